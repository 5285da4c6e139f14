"""`trustsim serve --host 0.0.0.0` (the README's room command) starts on any machine: it
lists the addresses it answers on and the one to hand out, and each browser's page points
back at the address that browser used. The address lookup is patched: no network needed."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.ui import serve

runner = CliRunner()


class _FakeSocket:
    """A UDP socket whose outgoing address depends on where it is "connected"."""

    def __init__(self, routes: dict[str, str]) -> None:
        self.routes, self.address = routes, ""

    def __enter__(self) -> _FakeSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def connect(self, target: tuple[str, int]) -> None:
        if target[0] not in self.routes:
            raise OSError(101, "Network is unreachable")
        self.address = self.routes[target[0]]

    def getsockname(self) -> tuple[str, int]:
        return self.address, 40000

    # `serve` first checks its port is free: on this machine it always is
    def setsockopt(self, *args: object) -> None:
        pass

    def bind(self, address: tuple[str, int]) -> None:
        pass


def _network(monkeypatch: pytest.MonkeyPatch, routes: dict[str, str],
             named: list[str] | None = None) -> None:
    monkeypatch.setattr(socket, "socket", lambda *a: _FakeSocket(routes))

    def by_name(host: str) -> tuple[str, list[str], list[str]]:
        if named is None:
            raise socket.gaierror(-2, "Name or service not known")
        return host, [], named

    monkeypatch.setattr(socket, "gethostbyname_ex", by_name)


def test_the_default_route_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    _network(monkeypatch, {"192.0.2.1": "192.168.1.20", "10.255.255.255": "10.8.0.2"},
             named=["127.0.1.1", "192.168.1.20", "169.254.3.4"])
    assert serve.local_addresses() == ["192.168.1.20", "10.8.0.2", "169.254.3.4"]
    assert serve.room_urls("0.0.0.0", 8000) == [
        "http://192.168.1.20:8000", "http://10.8.0.2:8000", "http://169.254.3.4:8000",
        "http://127.0.0.1:8000"]


def test_a_room_network_with_no_way_out_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """No default route (a training room's own switch): the private range's route."""
    _network(monkeypatch, {"172.31.255.255": "172.16.0.7"}, named=["127.0.1.1"])
    assert serve.local_addresses() == ["172.16.0.7"]


def _served(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, dict[str, Any]]:
    """Run `trustsim serve ARGS` up to the point where it would listen; what it printed
    and how it built its server."""
    built: dict[str, Any] = {}

    def fake_serve(self: serve.RoomServer) -> None:
        built.update(host=self.host, port=self.port, public_url=self.public_url,
                     follow_host=self.follow_host)

    monkeypatch.setattr(serve.RoomServer, "serve", fake_serve)
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output
    return result.output, built


def test_the_readmes_command_names_the_address_to_hand_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _network(monkeypatch, {"192.0.2.1": "192.168.1.20"}, named=["10.8.0.2"])
    out, built = _served(monkeypatch, "--host", "0.0.0.0", "--port", "8000",
                         "--max-sessions", "25")
    first, second = out.splitlines()[:2]
    assert first.startswith("trustsim: serving on http://192.168.1.20:8000 to at most 25 ")
    assert "hand this address out" in first
    assert second == ("  listening on every address of this machine: "
                      "http://192.168.1.20:8000, http://10.8.0.2:8000, http://127.0.0.1:8000")
    assert built == {"host": "0.0.0.0", "port": 8000, "public_url": "http://0.0.0.0:8000",
                     "follow_host": True}


def test_no_network_address_still_starts_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _network(monkeypatch, {}, named=None)
    out, built = _served(monkeypatch, "--host", "0.0.0.0", "--port", "8123")
    first = out.splitlines()[0]
    assert first.startswith("trustsim: serving on http://127.0.0.1:8123 ")
    assert "no network address found, so only this machine can reach it" in first
    assert "--public-url http://ADDRESS:8123" in first
    assert built["host"] == "0.0.0.0" and built["follow_host"]


def test_a_public_url_is_what_browsers_are_sent_to(monkeypatch: pytest.MonkeyPatch) -> None:
    _network(monkeypatch, {"192.0.2.1": "192.168.1.20"})
    out, built = _served(monkeypatch, "--host", "0.0.0.0", "--public-url",
                         "https://room.example.org")
    assert out.startswith("trustsim: serving on https://room.example.org ")
    assert built["public_url"] == "https://room.example.org" and not built["follow_host"]


def test_this_machine_only_says_how_to_serve_the_room(monkeypatch: pytest.MonkeyPatch) -> None:
    out, built = _served(monkeypatch, "--port", "8001")
    assert built["host"] == "127.0.0.1"
    assert out.startswith("trustsim: serving on http://127.0.0.1:8001 ")
    assert "this machine only: --host 0.0.0.0 serves the room" in out
    assert "listening on every address" not in out


def _page(server: serve.RoomServer, host_header: str) -> str:
    """The page a browser gets when it asks for ``/`` with that Host header."""
    from aiohttp.test_utils import TestClient, TestServer

    async def fetch() -> str:
        client = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        try:
            response = await client.get("/", headers={"Host": host_header})
            assert response.status == 200
            return await response.text()
        finally:
            await client.close()

    return asyncio.run(fetch())


def test_each_page_points_back_at_the_address_its_browser_used(trustsim_home: Path) -> None:
    server = serve.RoomServer("true", max_sessions=2, host="0.0.0.0", port=8000,
                              title="trustsim")
    for address in ("192.168.1.20:8000", "10.8.0.2:8000", "trainer-laptop.local:8000",
                    "[fe80::1]:8000"):
        page = _page(server, address)
        assert f'data-session-websocket-url="ws://{address}/ws"' in page, address
        assert f"http://{address}/static/" in page
    # a Host header that is not an address is not echoed into the page
    page = _page(server, 'evil"><script>x</script>')
    assert "<script>x" not in page and 'ws://0.0.0.0:8000/ws"' in page
    assert server.public_url == "http://0.0.0.0:8000"  # put back after every page


def test_a_public_url_page_ignores_the_host_header(trustsim_home: Path) -> None:
    server = serve.RoomServer("true", max_sessions=2, host="0.0.0.0", port=8000,
                              title="trustsim", public_url="https://room.example.org")
    page = _page(server, "10.8.0.2:8000")
    assert 'data-session-websocket-url="wss://room.example.org/ws"' in page
