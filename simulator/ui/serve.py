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
import secrets
import shlex
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ..experiments.room import report_html, status_rows
from ..scenario.files import atomic_write_text
from ..scenario.text import safe_text
from . import storage
from .roompage import FORBIDDEN_PAGE, PAGE

if TYPE_CHECKING:
    from ..experiments.room import Room

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


#: Addresses that route nowhere but pick an outgoing interface when a UDP socket is
#: "connected" to them (nothing is sent): the default route (TEST-NET-1), then the private
#: ranges, for a training room's network that has no way out.
_PROBES = ("192.0.2.1", "10.255.255.255", "172.31.255.255", "192.168.255.255")


def _outgoing_address(probe: str) -> str | None:
    """The address this machine would send from towards ``probe`` (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect((probe, 9))
            return str(sock.getsockname()[0])
    except OSError:
        return None


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses that other computers can use, the most likely first:
    the one of the default route, those of routes to the private ranges, then whatever
    the host name resolves to. Loopback addresses are left out; link-local ones
    (169.254.x.x, a network without a DHCP server) come last."""
    found: list[str] = []
    for probe in _PROBES:
        address = _outgoing_address(probe)
        if address is not None:
            found.append(address)
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    usable = [a for a in dict.fromkeys(found)
              if not a.startswith(("127.", "0.")) and a != "255.255.255.255"]
    return sorted(usable, key=lambda a: a.startswith("169.254."))


def room_urls(host: str, port: int) -> list[str]:
    """The addresses a server listening on ``host`` answers on, the one to hand out first
    (the machine's own network addresses for a wildcard ``host``, then this machine's)."""
    if host in WILDCARDS:
        return [*(f"http://{a}:{port}" for a in local_addresses()), f"http://127.0.0.1:{port}"]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}"]


#: Hosts that mean "every address of this machine".
WILDCARDS = ("0.0.0.0", "::", "")

#: What a Host header may hold to be echoed into the page (a name or an address, a port).
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


class RoomServer(Server):
    """textual-serve's server with at most ``max_sessions`` sessions at a time.

    Without a ``public_url`` the page tells each browser to reach the interface at the
    address that browser used (its Host header): a room served on every address works
    whichever of the machine's addresses a trainee typed, with no address to configure.
    """

    def __init__(self, command: str, *, max_sessions: int, room: Room | None = None,
                 token: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("templates_path",
                          offline_templates(storage.state_dir() / "serve-templates"))
        self.follow_host = kwargs.get("public_url") is None
        super().__init__(command, **kwargs)
        self.max_sessions = max_sessions
        self.sessions = 0
        #: the room's folder (its sessions' saves and statuses) and the trainer's token
        self.room, self.token = room, token
        self.seats = 0  # seats handed out so far: each browser session gets the next
        self.live: set[int] = set()  # seats whose session is running

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.room is not None:
            app.add_routes([
                web.get("/room", self.handle_room_page),
                web.get("/room/state", self.handle_room_state),
                web.post("/room/pause", self.handle_room_pause),
                web.post("/room/resume", self.handle_room_resume),
                web.get("/room/report", self.handle_room_report),
                web.get("/room/report.html", self.handle_room_report_page),
            ])
        return app

    # -- the trainer's view of the room ---------------------------------------------------

    def _trainer(self, request: web.Request) -> bool:
        """Whether the request carries the room's token (query or X-Trustsim-Token)."""
        given = request.query.get("token") or request.headers.get("X-Trustsim-Token") or ""
        return bool(self.token) and secrets.compare_digest(given.encode(), self.token.encode())

    def _forbidden(self) -> web.Response:
        return web.Response(text=FORBIDDEN_PAGE, status=403, content_type="text/html")

    async def handle_room_page(self, request: web.Request) -> web.Response:
        if not self._trainer(request):
            return self._forbidden()
        return web.Response(text=PAGE, content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    def room_state(self) -> dict[str, Any]:
        """The room as the views show it: paused or not, and one row per session."""
        assert self.room is not None
        rows = status_rows(self.room.statuses())
        for row in rows:
            row["connected"] = row["seat"] in self.live
        message = self.room.pause_message()
        return {"room": self.room.folder.name, "paused": message is not None,
                "message": message, "sessions": rows}

    async def handle_room_state(self, request: web.Request) -> web.Response:
        if not self._trainer(request):
            return self._forbidden()
        state = await asyncio.to_thread(self.room_state)
        return web.json_response(state, headers={"Cache-Control": "no-store"})

    async def handle_room_pause(self, request: web.Request) -> web.Response:
        if not self._trainer(request):
            return self._forbidden()
        assert self.room is not None
        message = ""
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            body = await request.json()
            message = str(body.get("message", ""))[:200] if isinstance(body, dict) else ""
        self.room.pause(safe_text(message))
        log.info("the room is paused")
        return web.json_response(await asyncio.to_thread(self.room_state))

    async def handle_room_resume(self, request: web.Request) -> web.Response:
        if not self._trainer(request):
            return self._forbidden()
        assert self.room is not None
        self.room.resume()
        log.info("the room is resumed")
        return web.json_response(await asyncio.to_thread(self.room_state))

    async def handle_room_report_page(self, request: web.Request) -> web.Response:
        """The debrief report of every session as a page (what `d` opens on the page)."""
        if not self._trainer(request):
            return self._forbidden()
        assert self.room is not None
        text = await asyncio.to_thread(self.room.report)
        return web.Response(text=report_html(text), content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    async def handle_room_report(self, request: web.Request) -> web.Response:
        """The debrief report of every session (Markdown), also kept in the room's folder."""
        if not self._trainer(request):
            return self._forbidden()
        assert self.room is not None
        text = await asyncio.to_thread(self.room.report)
        return web.Response(text=text, content_type="text/plain", charset="utf-8",
                            headers={"Cache-Control": "no-store",
                                     "Content-Disposition": 'inline; filename="room.md"'})

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    def initialize_logging(self) -> None:
        """textual-serve's logging, without the room view's requests: the page asks every
        two seconds (a line each, in the way of what matters), with the token in them."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").addFilter(_NotTheRoomView())

    async def on_shutdown(self, app: web.Application) -> None:
        """The room's report, written as the server stops: the last word on every session
        (what `d` wrote before may be older)."""
        if self.room is None:
            return
        try:
            await asyncio.to_thread(self.room.report)
        except Exception:  # the saves stay; `trustsim room FOLDER --report` rebuilds it
            log.exception("could not write the room's report")
            return
        print(f"trustsim: wrote the room's report: {self.room.report_file}", flush=True)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing printed: ``trustsim serve`` has said where it serves (textual-serve's
        own line would name the wildcard address, which no browser can use)."""

    def page_url(self, request: web.Request) -> str:
        """The address the page sends the browser to: ``--public-url``, or the address
        the browser asked for."""
        host = request.headers.get("Host", "")
        if self.follow_host and _HOST.fullmatch(host):
            return f"{request.scheme}://{host}"
        return str(self.public_url)

    async def handle_index(self, request: web.Request) -> Any:
        if self.full:
            return web.Response(text=FULL_PAGE.format(count=html.escape(str(self.sessions))),
                                status=503, content_type="text/html")
        # textual-serve builds the page's addresses from public_url, synchronously (no
        # other request runs in between): set it to this browser's for the moment
        fixed = self.public_url
        self.public_url = self.page_url(request)
        try:
            return await super().handle_index(request)
        finally:
            self.public_url = fixed

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.full:
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                  message=b"the room is full; try again later")
            return websocket
        self.sessions += 1
        self.seats += 1
        seat = self.seats
        self.live.add(seat)
        try:
            return await self._session(request, self._seat_command(seat, request))
        finally:
            self.sessions -= 1
            self.live.discard(seat)

    def _seat_command(self, seat: int, request: web.Request) -> str:
        """The session's command: in a room, with its seat and its browser's address."""
        if self.room is None:
            return str(self.command)
        peer = request.remote or ""
        return f"{self.command} " + shlex.join(
            ["--room", str(self.room.folder), "--seat", str(seat), "--peer", peer])

    async def _session(self, request: web.Request, command: str) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with a session that ends its websocket."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: _Session | None = None
        try:
            await websocket.prepare(request)

            async def close() -> None:
                await websocket.close()

            session = _Session(command, write_bytes=websocket.send_bytes,
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


class _NotTheRoomView(logging.Filter):
    """Drops the access log's lines of the room view (``/room...``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return " /room" not in record.getMessage()  # "GET /room/state?token=... HTTP/1.1"


class _Session(AppService):
    """One browser's app process; when it ends, for any reason, so does its websocket."""

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()


__all__ = ["WILDCARDS", "RoomServer", "local_addresses", "room_urls"]
