"""A room of 25 browsers, watched by the trainer: `trustsim serve` with real websocket
sessions (each its own `trustsim session` process), the room view's state, pause and
resume, the debrief report of every session, and the token that keeps it the trainer's."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
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

ROOM_SIZE = 25
#: browsers that join and stay on the picker (every fifth)
WATCHERS = {i for i in range(ROOM_SIZE) if i % 5 == 4}
STARTUP_TIMEOUT = 30.0
#: terminal escapes (CSI, OSC, charset): what is left is the screen's text
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"
                   rb"|\x1b[()][0-9A-Za-z]")


def _start(home: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "TRUSTSIM_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    # what the server says goes to a file (a pipe nobody reads would fill and stop it)
    with open(home.parent / "serve.log", "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port),
             "--max-sessions", str(ROOM_SIZE + 5)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
    _get(f"http://127.0.0.1:{port}/", time.monotonic() + STARTUP_TIMEOUT)
    return process, port


class Browser:
    """One trainee's browser: a websocket read all the time (as a browser does, answering
    the server's heartbeat), and the screen's text as it arrives."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url
        self.raw = b""
        self.ws: Any = None
        self.closed = False
        self._arrived = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @property
    def text(self) -> str:
        return _ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    async def open(self) -> Browser:
        self.ws = await self.http.ws_connect(self.url)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.raw += message.data
                self._arrived.set()
        self.closed = True
        self._arrived.set()

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            await self._reader

    async def wait(self, marker: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.text:
            left = deadline - time.monotonic()
            if self.closed:
                raise AssertionError(f"the session closed waiting for {marker!r}")
            if left <= 0:
                raise AssertionError(f"{marker!r} never came; the screen ended with "
                                     f"{self.text[-600:]!r}")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=min(left, 1.0))

    async def press(self, key: str, then: str, timeout: float = 60.0) -> None:
        self.raw = b""
        await self.ws.send_json(["stdin", key])
        await self.wait(then, timeout)

    async def play_a_quick_win(self) -> None:
        await self.wait("delegation-done-right.yaml")  # the picker, its rows loaded
        await self.press("\r", "Start (s)")  # the first scenario's brief
        await self.press("s", "The game begins")
        await self.press("w", "whom")
        await self.press("\r", "Quick win →")


class Trainer:
    def __init__(self, port: int, token: str) -> None:
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, path: str, body: dict[str, Any] | None = None,
             token: str | None = None) -> tuple[int, bytes]:
        token = self.token if token is None else token
        request = urllib.request.Request(
            f"{self.base}{path}" + (f"?token={token}" if token else ""),
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def state(self) -> dict[str, Any]:
        status, body = self.call("/room/state")
        assert status == 200, (status, body[:200])
        return dict(json.loads(body))

    async def until(self, what: str, check: Any, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            state = await asyncio.to_thread(self.state)
            if check(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"the room view never showed {what}: {state}")
            await asyncio.sleep(0.5)


async def _room(port: int, trainer: Trainer, facts: dict[str, Any]) -> None:
    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    async with aiohttp.ClientSession() as http:
        browsers = [await Browser(http, url).open() for _ in range(ROOM_SIZE)]
        try:
            # each browser is asked for a name first: two in three give one, the rest skip
            await asyncio.gather(*(b.wait("Welcome to the room", 120) for b in browsers))
            for i, b in enumerate(browsers):
                await b.ws.send_json(["stdin", "\x1b" if i % 3 == 0 else f"Trainee {i + 1}\r"])
            await asyncio.gather(*(b.wait("delegation-done-right.yaml", 60)
                                   for b in browsers))
            # every browser tells its trainee their seat
            facts["seats_on_screen"] = sorted(
                int(m) for b in browsers for m in re.findall(r"Seat (\d+)", b.text)[:1])
            players = [b for i, b in enumerate(browsers) if i not in WATCHERS]
            await asyncio.gather(*(b.play_a_quick_win() for b in players))
            state = await trainer.until(
                "every trainee's quick win",
                lambda s: len(s["sessions"]) == ROOM_SIZE and sum(
                    1 for r in s["sessions"] if r["last_acts"]) == len(players))
            facts["live"] = state

            # the trainer pauses the room: every game stops, with the trainer's words
            for b in browsers:
                b.raw = b""
            status, _ = await asyncio.to_thread(trainer.call, "/room/pause",
                                                {"message": "Eyes up front, please"})
            facts["pause_status"] = status
            await asyncio.gather(*(b.wait("paused the room", 30) for b in browsers))
            facts["pause_says_why"] = all("Eyes up front" in b.text for b in browsers)
            facts["pause_names_seat"] = sorted(
                int(m) for b in browsers for m in re.findall(r"Seat (\d+)", b.text)[:1])
            facts["paused_state"] = await asyncio.to_thread(trainer.state)
            # keys do nothing while paused: a quick win tried now is not played
            first = players[0]
            await first.ws.send_json(["stdin", "w"])
            await first.ws.send_json(["stdin", "\r"])
            await asyncio.sleep(2.0)
            for b in browsers:
                b.raw = b""
            status, _ = await asyncio.to_thread(trainer.call, "/room/resume", {})
            facts["resume_status"] = status
            # every screen is back: the game's footer, or the picker's
            await asyncio.gather(*(b.wait("Quit" if b in players else "Enter open", 30)
                                   for b in browsers))
            facts["after_resume"] = await asyncio.to_thread(trainer.state)

            status, body = await asyncio.to_thread(trainer.call, "/room/report")
            facts["report"] = (status, body.decode("utf-8"))
            status, body = await asyncio.to_thread(trainer.call, "/room/report.html")
            facts["report_page"] = (status, body.decode("utf-8"))
            facts["players"] = len(players)
            facts["browsers_text"] = [b.text for b in browsers[:1]]
        finally:
            for b in browsers:
                await b.close()
        facts["after_leaving"] = await trainer.until(
            "everyone gone", lambda s: not any(r["connected"] for r in s["sessions"]))


def test_a_trainer_watches_pauses_and_debriefs_a_room_of_25_browsers(
        trustsim_home: Path) -> None:
    process, port = _start(trustsim_home)
    try:
        link = json.loads((trustsim_home / "state" / "room.json").read_text("utf-8"))
        trainer = Trainer(port, link["token"])
        # the room view is the trainer's: no token, or a wrong one, is refused
        for path in ("/room", "/room/state", "/room/report", "/room/report.html"):
            assert trainer.call(path, token="")[0] == 403, path
            assert trainer.call(path, token="not-the-token")[0] == 403, path
        assert trainer.call("/room/pause", {}, token="nope")[0] == 403
        status, page = trainer.call("/room")
        assert status == 200 and b"the room" in page
        # the trainees' page does not carry the token
        _, index = trainer.call("/", token="")
        assert link["token"].encode() not in index

        facts: dict[str, Any] = {}
        asyncio.run(asyncio.wait_for(_room(port, trainer, facts), timeout=420))

        rows = facts["live"]["sessions"]
        assert [r["seat"] for r in rows] == list(range(1, ROOM_SIZE + 1))
        # a name given is shown with its seat (the seats go in the order browsers joined,
        # which is not the order they were opened in: a name is checked against itself)
        named = [r for r in rows if r["name"]]
        assert len(named) == sum(1 for i in range(ROOM_SIZE) if i % 3)
        assert all(re.fullmatch(r"Trainee \d+", r["name"]) for r in named)
        assert all(r["connected"] for r in rows)
        playing = [r for r in rows if r["stage"] == "playing"]
        assert len(playing) == facts["players"]
        assert {r["scenario"] for r in playing} == {"Letting go"}
        for r in playing:
            assert r["turn"] == 1 and r["turns"] > 1
            assert len(r["last_acts"]) == 1 and r["last_acts"][0].startswith("1: Quick win")
            assert r["objectives"] and all(o["state"] in ("on_track", "at_risk", "met")
                                           for o in r["objectives"])
            assert 0.0 < r["trust_in_player"] < 1.0
            assert r["idle"] >= 0.0
        watchers = [r for r in rows if r["stage"] == "picking"]
        assert len(watchers) == len(WATCHERS) and all(r["scenario"] is None for r in watchers)
        # each trainee has a save of their own, named in their status
        saves = [r["save"] for r in playing]
        assert len(set(saves)) == len(saves)
        folder = Path(link["folder"])
        for r in playing:
            save = json.loads((folder / "saves" / r["save"]).read_text("utf-8"))
            assert [c["act"] for c in save["log"] if c["do"] == "act"] == ["quick_win"]
        # every browser tells its trainee their seat
        assert sorted(facts["seats_on_screen"]) == list(range(1, ROOM_SIZE + 1))

        assert facts["pause_status"] == 200 and facts["resume_status"] == 200
        assert facts["paused_state"]["paused"] is True
        assert facts["paused_state"]["message"] == "Eyes up front, please"
        assert facts["pause_says_why"]
        assert facts["pause_names_seat"] == list(range(1, ROOM_SIZE + 1))
        after = facts["after_resume"]
        assert after["paused"] is False
        first = next(r for r in after["sessions"] if r["stage"] == "playing")
        assert len(first["last_acts"]) == 1  # the quick win tried while paused was not played

        status, report = facts["report"]
        assert status == 200
        assert (f"{ROOM_SIZE} sessions joined; {facts['players']} played a scenario, "
                f"{len(WATCHERS)} did not start one.") in report
        assert report.count("# Debrief: Letting go") == 1
        for r in playing:
            name = f" · {r['name']}" if r["name"] else ""
            assert f"| Seat {r['seat']}{name} |" in report
        assert (folder / "report.md").read_text("utf-8") == report
        status, page = facts["report_page"]  # what `d` opens on the room view's page
        assert status == 200 and "<table>" in page and "Seat 1" in page

        gone = facts["after_leaving"]["sessions"]
        assert len(gone) == ROOM_SIZE and not any(r["connected"] for r in gone)
        assert process.poll() is None, "the server stopped"
        (folder / "report.md").unlink()
    finally:
        _stop(process)
    # stopping the server writes the room's last report; its log never shows the token
    report = (folder / "report.md").read_text("utf-8")
    assert f"{ROOM_SIZE} sessions joined" in report
    log = (trustsim_home.parent / "serve.log").read_text("utf-8")
    assert "wrote the room's report" in log
    assert link["token"] not in log.split("the room view, for you only")[1].split("\n", 1)[1]
