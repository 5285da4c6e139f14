"""Trust and silo measures over the turns, as sparklines with their numbers."""

from __future__ import annotations

import math
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Sparkline

from ...experiments.narrate import Narrator
from ..focus import dismiss_once
from ..widgets import fmt

SERIES = ("trust_in_player", "cross_team_trust", "within_team_trust", "ei_mean", "modularity")


def _values(history: list[dict[str, Any]], key: str, team: str | None = None) -> list[float]:
    out = []
    for metrics in history:
        value = metrics["team_trust_in_player"].get(team) if team else metrics.get(key)
        out.append(0.0 if value is None or math.isnan(value) else float(value))
    return out


class TrendsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,t,q", "close", "Close", show=False)]

    def __init__(self, game: Any, narrator: Narrator) -> None:
        super().__init__()
        self.game, self.narrator = game, narrator

    def compose(self) -> ComposeResult:
        t = self.narrator.t
        history = self.game.history
        rows: list[tuple[str, list[float]]] = [(t(f"trends.{key}"), _values(history, key))
                                               for key in SERIES]
        w = self.game.world
        for team_id, name in list(zip(w.team_ids, w.team_names, strict=True))[:8]:
            rows.append((t("trends.team", team=name), _values(history, "", team_id)))
        with Vertical(classes="dialog wide"):
            yield Label(t("trends.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                for label, values in rows:
                    with Horizontal(classes="trend"):
                        yield Label(label, classes="trend-label")
                        # one turn, or no change yet: a flat line (a single value would
                        # be drawn as a full bar)
                        yield Sparkline(values if len(values) > 1 else values * 2,
                                        classes="trend-line")
                        yield Label(t("trends.first_last", first=fmt(values[0], t),
                                      last=fmt(values[-1], t)), classes="trend-numbers")

    def action_close(self) -> None:
        dismiss_once(self, None)
