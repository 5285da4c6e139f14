"""`trustsim serve` answers browsers with the textual-serve page (title and websocket)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from pilot_helpers import ROOT

STARTUP_TIMEOUT = 15.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, deadline: float) -> tuple[int, str]:
    """GET ``url``, retrying while the server starts; gives up at ``deadline``."""
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last = exc
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {STARTUP_TIMEOUT:.0f} s: {last}")


def test_serve_answers_with_the_page(trustsim_home: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TRUSTSIM_HOME": str(trustsim_home), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            status, body = _get(f"http://127.0.0.1:{port}/", deadline)
        except AssertionError:
            if process.poll() is not None:
                output = process.stdout.read().decode("utf-8", "replace") if process.stdout \
                    else ""
                raise AssertionError(f"trustsim serve exited with {process.returncode}:\n"
                                     f"{output}") from None
            raise
        assert status == 200
        # textual-serve's page has no <title> element: the name shows in its intro box
        assert "<div>trustsim</div>" in body
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in body
        # nothing from the internet (a training room's network may have no way out): the
        # font comes from the server itself, and it answers
        assert "googleapis" not in body and "https://" not in body.split("<body")[0]
        font = re.search(r'url\("([^"]*RobotoMono-VariableFont_wght\.ttf)"\)', body)
        assert font is not None, body[:800]
        status, _ = _get(f"http://127.0.0.1:{port}{font.group(1)}"
                         if font.group(1).startswith("/") else font.group(1), deadline)
        assert status == 200
        assert process.poll() is None, "the server stopped after one request"
        # a browser session: the websocket starts `trustsim session`, which draws the picker
        screen = asyncio.run(_first_screen(f"ws://127.0.0.1:{port}/ws?width=80&height=24"))
        assert b"trustsim" in screen and b"trust and silos at work" in screen
        # its first line says where it can be reached: here, this machine only
        assert process.stdout is not None
        first = process.stdout.readline().decode("utf-8")
        assert f"serving on http://127.0.0.1:{port}" in first, first
        assert "this machine only: --host 0.0.0.0" in first, first
    finally:
        _stop(process)


async def _first_screen(url: str, timeout: float = 15.0) -> bytes:
    """The bytes a browser session receives until the picker's status line is drawn."""
    import aiohttp

    received = b""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        while time.monotonic() < deadline and b"silos at work" not in received:
            try:
                message = await asyncio.wait_for(ws.receive(), timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
    return received


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and the sessions it started (its own process group)."""
    try:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # a session still running after its server stopped would be a leak: end it too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.stdout:
            process.stdout.close()
