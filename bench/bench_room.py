"""A room of N browsers, as a trainer runs it: `trustsim serve`, N websocket sessions that
each play a quick win, and the room view's answers (state, report).

    python bench/bench_room.py                 # 25 browsers (the README's room)
    python bench/bench_room.py --browsers 10

It starts the real command in a subprocess (with a TRUSTSIM_HOME of its own) and times
what a trainer waits for: every browser's first screen, every quick win reaching the room
view, one refresh of the view's state, the debrief report of every session; and the memory
the room takes (the resident memory of the server and its session processes, summed).
Targets (for a 2-core laptop): all 25 pickers within 30 s, a state refresh within 200 ms
(the page asks every 2 s), the report within 10 s, 25 sessions within 4 GiB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"
                   rb"|\x1b[()][0-9A-Za-z]")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url, self.raw = http, url, b""
        self.arrived = asyncio.Event()
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None

    async def open(self) -> Browser:
        self.ws = await self.http.ws_connect(self.url)
        self.reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.raw += message.data
                self.arrived.set()

    async def wait(self, marker: str) -> None:
        while marker not in _ANSI.sub(b"", self.raw).decode("utf-8", "replace"):
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), 1.0)

    async def press(self, key: str, then: str) -> None:
        self.raw = b""
        await self.ws.send_json(["stdin", key])
        await self.wait(then)


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def _get(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"X-Trustsim-Token": token})
    with urllib.request.urlopen(request, timeout=60) as response:
        return bytes(response.read())


async def _room(port: int, token: str, n: int, server: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        start = time.perf_counter()
        browsers = [await Browser(http, url).open() for _ in range(n)]
        await asyncio.gather(*(b.wait("delegation-done-right.yaml") for b in browsers))
        figures["all pickers on screen (s)"] = time.perf_counter() - start

        async def play(b: Browser) -> None:
            await b.press("\r", "Start (s)")
            await b.press("s", "The game begins")
            await b.press("w", "whom")
            await b.press("\r", "Quick win →")

        start = time.perf_counter()
        await asyncio.gather(*(play(b) for b in browsers))
        while True:
            state = json.loads(await asyncio.to_thread(_get, f"{base}/room/state", token))
            if sum(1 for r in state["sessions"] if r["last_acts"]) == n:
                break
            await asyncio.sleep(0.2)
        figures["every quick win in the room view (s)"] = time.perf_counter() - start
        figures["memory, server + sessions (MiB)"] = _rss(server) / 2**20
        samples = []
        for _ in range(10):
            t0 = time.perf_counter()
            await asyncio.to_thread(_get, f"{base}/room/state", token)
            samples.append(time.perf_counter() - t0)
        figures["a refresh of the room view (ms)"] = statistics.median(samples) * 1000
        t0 = time.perf_counter()
        await asyncio.to_thread(_get, f"{base}/room/report", token)
        figures["debrief report of every session (s)"] = time.perf_counter() - t0
        for b in browsers:
            await b.ws.close()
    return figures


TARGETS = {"all pickers on screen (s)": 30.0, "a refresh of the room view (ms)": 200.0,
           "debrief report of every session (s)": 10.0,
           "memory, server + sessions (MiB)": 4096.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browsers", type=int, default=25)
    args = parser.parse_args()
    port = _port()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TRUSTSIM_HOME": home}
        with open(Path(home) / "serve.log", "wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port),
                 "--max-sessions", str(args.browsers + 5)], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            link = Path(home) / "state" / "room.json"
            deadline = time.monotonic() + 30
            while True:
                try:
                    token = json.loads(link.read_text())["token"]
                    _get(f"http://127.0.0.1:{port}/room/state", token)
                    break
                except (OSError, ValueError, KeyError):
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            figures = asyncio.run(_room(port, token, args.browsers, server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    print(f"trustsim serve, {args.browsers} browsers, each a quick win "
          f"({os.cpu_count()} cores)")
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else (" PASS" if value <= target else " MISS") + \
            f" (target {target:g})"
        print(f"  {name:<40} {value:10.2f}{verdict}")


if __name__ == "__main__":
    main()
