"""Serving the interface to a room of browsers (``trustsim serve``), on textual-serve.

Each browser's websocket starts its own ``trustsim session`` process, so one session that
crashes, or is killed, takes nothing else with it. On top of textual-serve this adds:

- a cap on concurrent sessions: when the room is full a new browser gets a readable page
  (HTTP 503) instead of a terminal that never starts, and its websocket is closed with
  "try again later";
- an ending for sessions whose process dies: textual-serve 1.1 only closes a browser's
  websocket when the app says goodbye, so a crashed or killed session left a frozen
  terminal in its browser and kept its slot; now the websocket is closed when the process
  ends, whatever the reason, and the slot is free at once;
- a page that needs no internet: textual-serve's page fetches its font from Google Fonts;
  a training room's network often has no way out, so the page is served with the same font
  from textual-serve's own static files.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ..scenario.files import atomic_write_text
from . import storage

log = logging.getLogger("trustsim.serve")

FULL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trustsim: the room is full</title>
<meta http-equiv="refresh" content="15"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>The room is full</h1>
<p>{count} sessions are running, the most this server allows. This page tries again every
15 seconds; ask your trainer if it does not open.</p></body></html>
"""


#: textual-serve's page asks Google Fonts for its font ...
_FONT_LINK = re.compile(r'<link[^>]*href="https://fonts\.googleapis\.com/[^"]*"[^>]*>', re.S)
#: ... which textual-serve also ships among its static files
_LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf"); }
    </style>"""


def offline_templates(folder: Path) -> Path:
    """textual-serve's page templates in ``folder``, the font taken from its own static
    files rather than from the internet (the rest of each page as textual-serve has it)."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for template in source.glob("*.html"):
        atomic_write_text(folder / template.name,
                          _FONT_LINK.sub(_LOCAL_FONT, template.read_text(encoding="utf-8")))
    return folder


class RoomServer(Server):
    """textual-serve's server with at most ``max_sessions`` sessions at a time."""

    def __init__(self, command: str, *, max_sessions: int, **kwargs: Any) -> None:
        kwargs.setdefault("templates_path",
                          offline_templates(storage.state_dir() / "serve-templates"))
        super().__init__(command, **kwargs)
        self.max_sessions = max_sessions
        self.sessions = 0

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    async def handle_index(self, request: web.Request) -> Any:
        if self.full:
            return web.Response(text=FULL_PAGE.format(count=html.escape(str(self.sessions))),
                                status=503, content_type="text/html")
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.full:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                  message=b"the room is full; try again later")
            return websocket
        self.sessions += 1
        try:
            return await self._session(request)
        finally:
            self.sessions -= 1

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with a session that ends its websocket."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: _Session | None = None
        try:
            await websocket.prepare(request)

            async def close() -> None:
                await websocket.close()

            session = _Session(self.command, write_bytes=websocket.send_bytes,
                               write_str=websocket.send_str, close=close,
                               download_manager=self.download_manager, debug=self.debug)
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("a browser session failed")
        finally:
            if session is not None:
                with contextlib.suppress(Exception):
                    await session.stop()
        return websocket


class _Session(AppService):
    """One browser's app process; when it ends, for any reason, so does its websocket."""

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()


__all__ = ["RoomServer"]
