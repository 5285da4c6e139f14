"""A session's side of the room (``trustsim serve``): it says where it stands, and it stops
while the trainer pauses the room.

Only a session started with ``--room`` has a seat (:data:`storage.ROOM`); for every other
run of the interface these functions do nothing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..experiments.room import NAME_LENGTH, clean_name
from ..i18n import Messages
from . import storage

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from ..experiments.room import SessionStatus
    from ..scenario.game import Game

#: How often a session looks at the room's pause switch (seconds): a stat, nothing more.
PAUSE_INTERVAL = 1.0


def publish_picking() -> None:
    """The session has joined and is choosing a scenario."""
    seat = storage.ROOM
    if seat is None:
        return
    from ..experiments.room import SessionStatus

    publish(SessionStatus(seat=seat.seat, session=seat.session, name=seat.name,
                          peer=seat.peer, joined_at=seat.joined_at, moved_at=seat.moved_at))


def game_status(game: Game, save: Path, *, moved: bool = True) -> SessionStatus | None:
    """Where this seat stands playing ``game`` (saved at ``save``), taken now, on the
    interface's thread; ``moved``: the trainee just moved. None outside a room."""
    seat = storage.ROOM
    if seat is None:
        return None
    from ..experiments.room import game_status as status_of

    if moved:
        seat.moved_at = time.time()
    return status_of(game, seat=seat.seat, session=seat.session, peer=seat.peer,
                     joined_at=seat.joined_at, moved_at=seat.moved_at, save=save.name,
                     name=seat.name)


def publish(status: object) -> None:
    """Write a status for the trainer's view (any thread: it is one file's atomic write)."""
    seat = storage.ROOM
    if seat is None or status is None:
        return
    try:
        seat.room.publish(status)  # type: ignore[arg-type]
    except OSError as exc:  # the room's view misses one update; the game goes on
        storage.logger().warning("could not write the room status: %s", exc)


def seat_label(t: Messages) -> str | None:
    """"Seat 7", shown in the session's header so the trainer can tell who is who."""
    seat = storage.ROOM
    return None if seat is None else t("room.seat", seat=seat.seat)


class NameScreen(ModalScreen[None]):
    """Joining a room: the trainee may give their name, so the trainer knows whose game is
    whose (empty is fine: the seat's number says it too)."""

    BINDINGS = [Binding("escape", "skip", show=False)]

    def __init__(self, t: Messages) -> None:
        super().__init__(id="room-name")
        self.t = t

    def compose(self) -> ComposeResult:
        seat = seat_label(self.t) or ""
        with Vertical(classes="dialog"):
            yield Label(f"{seat} · {self.t('room.name.title')}", classes="dialog-title")
            yield Static(self.t("room.name.body"), classes="dialog-body")
            yield Input(placeholder=self.t("room.name.placeholder"),
                        max_length=NAME_LENGTH, id="name")
            yield Static(self.t("room.name.keys"), classes="dialog-body")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        seat = storage.ROOM
        if seat is not None:
            seat.name = clean_name(event.value)
            publish_picking()
        self.dismiss()

    def action_skip(self) -> None:
        self.dismiss()


class PausedScreen(ModalScreen[None]):
    """The trainer has paused the room: nothing can be played until they resume it."""

    # every key is swallowed here; the trainer resumes the room, not the trainee
    BINDINGS = [Binding("escape,enter,space,q", "nothing", show=False)]

    def __init__(self, t: Messages, message: str) -> None:
        super().__init__(id="paused")
        self.t, self.message = t, message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            seat = seat_label(self.t)
            title = self.t("room.paused.title")
            yield Label(f"{seat} · {title}" if seat else title, classes="dialog-title")
            body = Text(self.t("room.paused.body"))
            if self.message:
                body = Text.assemble(Text(self.message, style="bold"), "\n\n", body)
            yield Static(body)

    def action_nothing(self) -> None:
        pass


def watch_pause(app: App[Any], t: Messages) -> None:
    """Show :class:`PausedScreen` while the room is paused (checked every second)."""
    seat = storage.ROOM
    if seat is None:
        return
    shown: dict[str, PausedScreen | None] = {"screen": None}

    def check() -> None:
        message = seat.room.pause_message()
        screen = shown["screen"]
        if message is not None and screen is None:
            shown["screen"] = paused = PausedScreen(t, message)
            app.push_screen(paused)
        elif message is None and screen is not None:
            if not screen.is_attached:
                shown["screen"] = None
            elif app.screen is screen:  # (a screen above it is closed first)
                shown["screen"] = None
                screen.dismiss()

    check()
    app.set_interval(PAUSE_INTERVAL, check, name="room-pause")


__all__ = ["NameScreen", "PausedScreen", "game_status", "publish", "publish_picking", "seat_label",
           "watch_pause"]
