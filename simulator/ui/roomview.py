"""The trainer's view of the room in a terminal (``trustsim room``).

It reads the room from ``trustsim serve`` over HTTP with the room's token, the same state
the web page shows: one row per trainee, refreshed every two seconds. ``p`` pauses or
resumes the room, ``d`` writes the debrief report of every session.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ..experiments.room import clean_name, idle_words
from ..scenario.files import atomic_write_text
from ..scenario.text import safe_text

#: How often the view asks the server (seconds).
REFRESH = 2.0
#: Seconds without a move after which a trainee's last move is shown in red (as on the page).
STUCK = 180.0
MARK = {"on_track": ("✓", "green"), "met": ("✓", "bold green"), "at_risk": ("!", "yellow"),
        "failed": ("✗", "red")}


class RoomError(Exception):
    """The server could not be reached, or refused the token: said in words."""


class RoomClient:
    """The room's state, pause and report, from ``trustsim serve`` at ``url``."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    def _call(self, path: str, body: dict[str, Any] | None = None) -> bytes:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"X-Trustsim-Token": self.token},
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 403:
                raise RoomError(f"{self.url} refused the token: give the one "
                                "`trustsim serve` printed (--token)") from None
            if error.code == 404:
                raise RoomError(f"{self.url} answered 404 (no room view there): is it the "
                                "address `trustsim serve` printed?") from None
            raise RoomError(f"{self.url} answered {error.code}") from None
        except ValueError:  # http.client.InvalidURL: not an address it can ask
            raise RoomError(f"{self.url} is not an address trustsim can reach") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            reason = getattr(reason, "strerror", None) or reason
            raise RoomError(f"cannot reach {self.url} ({reason}): is `trustsim serve` "
                            "running there?") from None

    def state(self) -> dict[str, Any]:
        try:
            data = json.loads(self._call("/room/state"))
        except ValueError:
            raise RoomError(f"{self.url} did not answer as a trustsim room") from None
        if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
            raise RoomError(f"{self.url} did not answer as a trustsim room")
        return data

    def pause(self, message: str = "") -> dict[str, Any]:
        return dict(json.loads(self._call("/room/pause", {"message": message})))

    def resume(self) -> dict[str, Any]:
        return dict(json.loads(self._call("/room/resume", {})))

    def report(self) -> str:
        return self._call("/room/report").decode("utf-8")


def objectives_text(row: dict[str, Any]) -> Text:
    text = Text()
    for objective in row.get("objectives", []):
        mark, style = MARK.get(objective.get("state"), ("?", ""))
        text.append(mark, style=style)
    if row.get("objectives"):
        text.append(f" {row.get('on_track', 0)}/{len(row['objectives'])} on track")
    return text


def turn_text(row: dict[str, Any]) -> str:
    if row.get("stage") == "picking":
        return "–"
    done = ("won · " if row.get("won") else "lost · ") if row.get("stage") == "over" else ""
    return f"{done}{row.get('turn', 0)}/{row.get('turns', 0)}"


def row_cells(row: dict[str, Any]) -> list[Text]:
    """One trainee's row, as both the terminal view and the printed table show it (as
    Text: what a session wrote is never read as markup), in :data:`COLUMNS`' order: what
    the trainer scans first comes first, so it shows on an 80-column terminal."""
    trust = row.get("trust_in_player")
    acts = row.get("last_acts") or []
    idle = float(row.get("idle", 0))
    # a trainee in a game who has not moved for a while may be stuck: it shows
    stuck = row.get("connected", True) and row.get("stage") == "playing" and idle > STUCK
    seat = f"Seat {row.get('seat')}" + ("" if row.get("connected", True) else " (left)")
    name = clean_name(str(row.get("name") or ""))
    picking = row.get("stage") == "picking"
    return [Text(seat + (f" · {name}" if name else ""), no_wrap=True, overflow="ellipsis"),
            Text(turn_text(row)), objectives_text(row),
            Text("–" if trust is None else f"{trust:.2f}", justify="right"),
            Text(idle_words(idle) + " ago", style="bold red" if stuck else ""),
            Text(safe_text(str(row.get("scenario") or (
                "choosing a scenario" if picking and row.get("connected", True) else "–")))),
            Text(safe_text(str(acts[-1])) if acts else "–")]


#: The columns, and the widths they are cut to (None: as wide as their text).
COLUMNS = ("Seat", "Turn", "Objectives", "Trust", "Last move", "Scenario", "Last act")
WIDTHS = (18, 10, 16, 5, 9, 22, None)


def headline(state: dict[str, Any]) -> str:
    sessions = state.get("sessions", [])
    here = [s for s in sessions if s.get("connected")]
    playing = sum(1 for s in here if s.get("stage") == "playing")
    paused = "PAUSED · " if state.get("paused") else ""
    return f"{paused}{len(here)} connected · {playing} playing · {len(sessions)} joined"


def report_path(folder: Path | None = None) -> Path:
    return (folder or Path.cwd()) / f"room-report-{time.strftime('%Y%m%d-%H%M%S')}.md"


class RoomApp(App[None]):
    """The room, live: one row per trainee."""

    TITLE = "trustsim: the room"
    CSS = """
    #headline { padding: 0 1; text-style: bold; height: 1; }
    #headline.paused { background: $error; color: $text; }
    #problem { padding: 0 1; color: $error; height: auto; }
    DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("p", "pause", "Pause / resume"),
                Binding("d", "report", "Debrief report"),
                Binding("r", "refresh", "Refresh"),
                Binding("q", "quit", "Quit")]

    def __init__(self, client: RoomClient, *, report_folder: Path | None = None,
                 relink: Callable[[], RoomClient | None] | None = None) -> None:
        super().__init__()
        self.client = client
        #: for a view of the room served on this machine: the room's address and token
        #: read again, when the server was restarted (a new token)
        self.relink = relink
        self.report_folder = report_folder
        self.state: dict[str, Any] = {}
        self.sub_title = client.url

    def compose(self) -> ComposeResult:
        yield Static("…", id="headline")
        yield Static("", id="problem")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column, width in zip(COLUMNS, WIDTHS, strict=True):
            table.add_column(column, key=column, width=width)
        table.fixed_columns = 1  # the seat stays in view when the table scrolls sideways
        self.action_refresh()
        self.set_interval(REFRESH, self.action_refresh, name="refresh")

    @work(exclusive=True, group="refresh")
    async def action_refresh(self) -> None:
        try:
            state = await asyncio.to_thread(self.client.state)
        except RoomError as exc:
            fresh = self.relink() if self.relink is not None else None
            if fresh is None or (fresh.url, fresh.token) == (self.client.url,
                                                              self.client.token):
                self.query_one("#problem", Static).update(str(exc))
                return
            self.client = fresh  # a new room on this machine: follow it
            self.sub_title = fresh.url
            self.notify("trustsim serve was started again: this view follows the new room.")
            self.action_refresh()
            return
        self.query_one("#problem", Static).update("")
        self.show(state)

    def show(self, state: dict[str, Any]) -> None:
        self.state = state
        headline = self.query_one("#headline", Static)
        headline.update(headline_text(state))
        headline.set_class(bool(state.get("paused")), "paused")
        table = self.query_one(DataTable)
        seen = set()
        for row in state.get("sessions", []):
            key = str(row.get("session"))
            seen.add(key)
            cells = row_cells(row)
            if key in table.rows:
                for column, value in zip(COLUMNS, cells, strict=True):
                    table.update_cell(key, column, value)
            else:
                table.add_row(*cells, key=key)
        for gone in [k for k in table.rows if k.value not in seen]:
            table.remove_row(gone)

    @work(exclusive=True, group="pause")
    async def action_pause(self) -> None:
        try:
            if self.state.get("paused"):
                state = await asyncio.to_thread(self.client.resume)
                self.notify("The room plays again.")
            else:
                state = await asyncio.to_thread(self.client.pause)
                self.notify("The room is paused: every trainee's game waits.")
        except RoomError as exc:
            self.notify(str(exc), severity="error")
            return
        self.show(state)

    @work(exclusive=True, group="report")
    async def action_report(self) -> None:
        self.notify("Writing the debrief report of every session…")
        try:
            text = await asyncio.to_thread(self.client.report)
            path = report_path(self.report_folder)
            await asyncio.to_thread(atomic_write_text, path, text)
        except (RoomError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Wrote {path}", timeout=10)


def headline_text(state: dict[str, Any]) -> str:
    text = headline(state) + (f" · {state['message']}" if state.get("message") else "")
    return text + (" · waiting for the first trainee" if not state.get("sessions") else "")


__all__ = ["COLUMNS", "RoomApp", "RoomClient", "RoomError", "headline", "row_cells"]
