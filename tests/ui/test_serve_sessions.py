"""A room of browsers: `trustsim serve` caps concurrent sessions, keeps each in its own
process (one killed takes nothing else with it) and listens on 127.0.0.1 by default."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
from pilot_helpers import ROOT
from test_serve import _free_port, _get, _stop

STARTUP_TIMEOUT = 20.0
PICKER = b"silos at work"


def _start(home: Path, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "TRUSTSIM_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port), *args],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    _get(f"http://127.0.0.1:{port}/", time.monotonic() + STARTUP_TIMEOUT)
    return process, port


def _listening(port: int) -> set[str]:
    """Local addresses listening on ``port`` (Linux: /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                address, hex_port = fields[1].rsplit(":", 1)
                if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                    found.add(address)
    return found


def _sessions(server_pid: int) -> list[int]:
    """Pids of the `trustsim session` processes started by the server."""
    def parent(pid: int) -> int:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])

    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().split(b"\0")
            if b"session" not in cmd or not any(b"python" in c for c in cmd[:1]):
                continue
            pid = int(entry)
            ancestor = pid
            for _ in range(5):
                ancestor = parent(ancestor)
                if ancestor == server_pid:
                    found.append(pid)
                    break
        except (OSError, ValueError, IndexError):
            continue
    return found


class Browser:
    """One browser session over the websocket, collecting what the server sends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.received = b""
        self.closed: int | None = None
        self._http: aiohttp.ClientSession | None = None
        self.ws: Any = None

    async def open(self) -> Browser:
        self._http = aiohttp.ClientSession()
        self.ws = await self._http.ws_connect(self.url)
        return self

    async def read_until(self, marker: bytes, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and marker not in self.received:
            try:
                message = await asyncio.wait_for(self.ws.receive(), timeout=0.5)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.CLOSING):
                self.closed = self.ws.close_code or -1
                return marker in self.received
        return marker in self.received

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._http is not None:
            await self._http.close()


async def _room(port: int, server_pid: int) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    a, b = await Browser(url).open(), await Browser(url).open()
    facts: dict[str, Any] = {}
    try:
        facts["a_started"] = await a.read_until(PICKER)
        facts["b_started"] = await b.read_until(PICKER)
        # the room is full: the page says so and a third websocket is turned away
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            facts["full_page"] = None
        except urllib.error.HTTPError as error:
            facts["full_page"] = (error.code, error.read().decode("utf-8"))
        c = await Browser(url).open()
        await c.read_until(PICKER, timeout=5)
        facts["c_refused"] = c.closed
        await c.close()
        # kill A's session process outright: B must not notice, and A's slot frees up
        sessions = _sessions(server_pid)
        facts["sessions"] = len(sessions)
        victim = min(sessions)  # A started first
        os.kill(victim, signal.SIGKILL)
        await a.read_until(b"never sent", timeout=10)
        facts["a_closed"] = a.closed
        b.received = b""
        await b.ws.send_json(["resize", {"width": 100, "height": 30}])
        facts["b_alive"] = await b.read_until(PICKER)
        d = await Browser(url).open()
        facts["d_started"] = await d.read_until(PICKER)
        await d.close()
    finally:
        await a.close()
        await b.close()
    return facts


def test_sessions_are_capped_and_isolated(trustsim_home: Path) -> None:
    process, port = _start(trustsim_home, "--max-sessions", "2")
    try:
        facts = asyncio.run(asyncio.wait_for(_room(port, process.pid), timeout=120))
        assert facts["a_started"] and facts["b_started"], facts
        assert facts["full_page"] is not None and facts["full_page"][0] == 503, facts
        assert "room is full" in facts["full_page"][1]
        assert facts["c_refused"] == 1013, facts  # try again later
        assert facts["sessions"] == 2, facts
        assert facts["a_closed"] is not None, facts  # A's browser learns its session ended
        assert facts["b_alive"], facts  # B redraws after a resize: still playing
        assert facts["d_started"], facts  # the killed session's slot is free again
        assert process.poll() is None, "the server stopped"
    finally:
        _stop(process)


def test_serve_listens_on_this_machine_only_by_default(trustsim_home: Path) -> None:
    process, port = _start(trustsim_home)
    try:
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, nothing else
    finally:
        _stop(process)


def test_max_sessions_must_be_a_positive_number() -> None:
    from typer.testing import CliRunner

    from simulator.cli import app

    for bad in ("0", "-3", "many"):
        result = CliRunner().invoke(app, ["serve", "--max-sessions", bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "Traceback" not in result.output
