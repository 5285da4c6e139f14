"""`trustsim room`: the trainer's view of the room in a terminal (a fake server here; the
real one, with 25 browsers, is in test_room_serve.py), and its command's errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import wait_for
from typer.testing import CliRunner

from simulator.cli import app as cli
from simulator.experiments.room import write_room_link
from simulator.ui.roomview import RoomApp, RoomClient, RoomError

TOKEN = "0123456789abcdef"


def _row(seat: int, **kw: Any) -> dict[str, Any]:
    row = {"seat": seat, "session": f"s{seat}", "peer": "10.0.0.9", "stage": "playing",
           "scenario": "Letting go", "turn": 2, "turns": 8, "acts_left": 1,
           "objectives": [{"text": "a", "state": "on_track", "value": 0.5, "target": 0.5},
                          {"text": "b", "state": "at_risk", "value": 0.2, "target": 0.5}],
           "on_track": 1, "trust_in_player": 0.4567, "last_acts": ["2: Quick win Dana"],
           "won": None, "idle": 75.0, "connected": True}
    row.update(kw)
    return row


class FakeRoom:
    """What `trustsim serve` answers on /room/*, with the calls it received."""

    def __init__(self) -> None:
        self.paused = False
        self.message = ""
        self.sessions = [_row(1, name="Dana"),
                         _row(2, scenario="[bold red]Two floors[/]", connected=False),
                         _row(3, stage="picking", scenario=None, objectives=[],
                              trust_in_player=None, last_acts=[])]
        self.calls: list[str] = []

    def state(self) -> dict[str, Any]:
        return {"room": "r", "paused": self.paused,
                "message": self.message if self.paused else None, "sessions": self.sessions}


@pytest.fixture
def server() -> Iterator[tuple[str, FakeRoom]]:
    room = FakeRoom()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, body: dict[str, Any] | None) -> None:
            room.calls.append(self.path)
            if self.headers.get("X-Trustsim-Token") != TOKEN:
                self._answer(403, b"no")
            elif self.path == "/room/state":
                self._answer(200, json.dumps(room.state()).encode())
            elif self.path == "/room/pause":
                room.paused, room.message = True, (body or {}).get("message", "")
                self._answer(200, json.dumps(room.state()).encode())
            elif self.path == "/room/resume":
                room.paused = False
                self._answer(200, json.dumps(room.state()).encode())
            elif self.path == "/room/report":
                self._answer(200, b"# The room\n\n3 sessions joined\n", "text/plain")
            else:
                self._answer(404, b"")

        def do_GET(self) -> None:
            self._handle(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self._handle(json.loads(self.rfile.read(length) or b"{}"))

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", room
    httpd.shutdown()


async def test_the_view_shows_every_trainee_and_pauses_the_room(
        server: tuple[str, FakeRoom], tmp_path: Path) -> None:
    url, room = server
    app = RoomApp(RoomClient(url, TOKEN), report_folder=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        from textual.widgets import DataTable, Static

        table = app.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, what="three rows")
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(3)]
        assert cells[0] == ["Seat 1 · Dana", "2/8", "✓! 1/2 on track", "0.46", "1 min ago",
                            "Letting go", "2: Quick win Dana"]
        # a title from a session is shown as written, never read as markup
        assert cells[1][0] == "Seat 2 (left)" and cells[1][5] == "[bold red]Two floors[/]"
        assert cells[2][1] == "–" and cells[2][3] == "–" and cells[2][5] == "choosing a scenario"
        assert table.get_row_at(0)[4].style == ""  # 75 s: not stuck
        assert str(app.query_one("#headline", Static).render()) == \
            "2 connected · 1 playing · 3 joined"

        await pilot.press("p")
        await wait_for(pilot, lambda: room.paused, what="the pause")
        await wait_for(pilot, lambda: "PAUSED" in str(
            app.query_one("#headline", Static).render()), what="the headline to say so")
        await pilot.press("p")
        await wait_for(pilot, lambda: not room.paused, what="the resume")

        await pilot.press("d")
        await wait_for(pilot, lambda: list(tmp_path.glob("room-report-*.md")),
                       what="the report")
        [report] = tmp_path.glob("room-report-*.md")
        assert report.read_text(encoding="utf-8").startswith("# The room")

        # a session that left the room is gone from the table when the server drops it
        room.sessions = room.sessions[:1]
        await wait_for(pilot, lambda: table.row_count == 1, timeout=6, what="one row")


async def test_a_server_that_goes_away_is_said_not_raised(
        server: tuple[str, FakeRoom]) -> None:
    app = RoomApp(RoomClient("http://127.0.0.1:9", TOKEN, timeout=2))
    async with app.run_test(size=(100, 24)) as pilot:
        from textual.widgets import Static

        problem = app.query_one("#problem", Static)
        await wait_for(pilot, lambda: "cannot reach" in str(problem.render()),
                       what="the problem")
        await pilot.press("p")  # pausing an unreachable room: a notice, no traceback
        await wait_for(pilot, lambda: app._notifications, what="a notice")


def test_the_client_says_what_went_wrong(server: tuple[str, FakeRoom]) -> None:
    url, _ = server
    with pytest.raises(RoomError, match="refused the token"):
        RoomClient(url, "wrong").state()
    with pytest.raises(RoomError, match="cannot reach"):
        RoomClient("http://127.0.0.1:9", TOKEN, timeout=2).state()


def test_the_command_prints_the_room_and_writes_the_report(
        server: tuple[str, FakeRoom], tmp_path: Path, trustsim_home: Path) -> None:
    url, _room = server
    runner = CliRunner(env={"COLUMNS": "160"})
    # with no address, the room served on this machine (what `trustsim serve` left)
    write_room_link(trustsim_home / "state", url, TOKEN, tmp_path)
    result = runner.invoke(cli, ["room", "--once"])
    assert result.exit_code == 0, result.output
    assert "Seat 1" in result.output and "Letting go" in result.output
    assert "2 connected · 1 playing · 3 joined" in result.output
    # the room view's own address, token and all, works too
    result = runner.invoke(cli, ["room", f"{url}/room?token={TOKEN}", "--once"])
    assert result.exit_code == 0 and "Seat 3" in result.output
    target = tmp_path / "report.md"
    result = runner.invoke(cli, ["room", "--report", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# The room")


def test_the_commands_mistakes_are_said_with_their_exit_codes(
        server: tuple[str, FakeRoom], trustsim_home: Path) -> None:
    url, _ = server
    runner = CliRunner()
    result = runner.invoke(cli, ["room", "--once"])  # nothing served here
    assert result.exit_code == 2 and "no room is served on this machine" in result.output
    result = runner.invoke(cli, ["room", url, "--token", "wrong", "--once"])
    assert result.exit_code == 1 and "refused the token" in result.output
    result = runner.invoke(cli, ["room", "http://127.0.0.1:9", "--token", TOKEN, "--once"])
    assert result.exit_code == 1 and "cannot reach" in result.output
    assert "Traceback" not in result.output


def test_a_trainee_who_has_not_moved_for_minutes_stands_out() -> None:
    from simulator.ui.roomview import row_cells

    assert row_cells(_row(1, idle=400.0))[4].style == "bold red"
    assert str(row_cells(_row(1, idle=400.0))[4]) == "6 min ago"
    # not while choosing a scenario, nor once gone or finished
    for quiet in (_row(1, idle=400.0, stage="picking"), _row(1, idle=400.0, connected=False),
                  _row(1, idle=400.0, stage="over", won=True)):
        assert row_cells(quiet)[4].style == ""


async def test_a_view_of_this_machines_room_follows_a_restarted_server(
        server: tuple[str, FakeRoom]) -> None:
    """`trustsim room` with no address: when the server was started again (a new token),
    the view reads the room's address and token again instead of showing the refusal."""
    url, _ = server
    app = RoomApp(RoomClient(url, "the-old-token"), relink=lambda: RoomClient(url, TOKEN))
    async with app.run_test(size=(120, 30)) as pilot:
        from textual.widgets import DataTable

        table = app.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, what="the new room's rows")
        assert app.client.token == TOKEN


def test_serve_on_a_busy_port_says_so_and_makes_no_room(trustsim_home: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert not (trustsim_home / "data" / "rooms").exists()
