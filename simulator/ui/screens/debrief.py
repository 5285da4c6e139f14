"""The debrief: objectives, turning points, measures, acts and questions; exportable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown

from ...experiments.debrief import debrief_markdown
from ...experiments.narrate import Narrator
from ...scenario.files import atomic_write_text
from .. import storage
from ..focus import dismiss_once, focus_first


class DebriefScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close", show=False),
                Binding("e", "export", "Export", show=False)]

    def __init__(self, game: Any, narrator: Narrator, branches: list[list[dict[str, Any]]]
                 ) -> None:
        super().__init__()
        self.game, self.narrator, self.branches = game, narrator, branches
        self.text = debrief_markdown(game, language=narrator.t.language, branches=branches)

    def compose(self) -> ComposeResult:
        t = self.narrator.t
        with Vertical(classes="dialog wide tall"):
            with VerticalScroll(id="debrief-scroll", can_focus=True):
                yield Markdown(self.text, id="debrief")
            with Horizontal(classes="buttons"):
                yield Button(f"{t('cmd.export')} (e)", id="export", variant="primary")
                yield Button(f"{t('cmd.back')} (esc)", id="close")
            yield Label("", id="exported", classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#debrief-scroll")

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        t = self.narrator.t
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        seat = storage.ROOM  # in a room: whose export it is, in its name
        who = "" if seat is None else f"-seat-{seat.seat:02d}" + (
            f"-{storage.slug(seat.name)}" if seat.name else "")
        base = storage.export_dir() / f"{storage.slug(self.game.setup.title)}{who}-{stamp}"
        markdown = base.with_name(base.name + ".md")
        session = base.with_name(base.name + ".json")
        try:
            atomic_write_text(markdown, self.text)
            self.game.save(session)
        except OSError as exc:
            self.notify(t("game.save_failed", error=exc.strerror or exc), severity="error")
            return
        message = (t("debrief.exported", path=markdown) + "\n"
                   + t("debrief.session_saved", path=session))
        self.query_one("#exported", Label).update(message)
        self.notify(message)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        dismiss_once(self, None)
