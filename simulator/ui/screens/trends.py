"""Trust and silo measures over the turns, as bars on a fixed scale with their numbers."""

from __future__ import annotations

import math
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label

from ...experiments.narrate import Narrator
from ..focus import dismiss_once
from ..widgets import fmt

SERIES = ("trust_in_player", "cross_team_trust", "within_team_trust", "ei_mean", "modularity")

#: each measure's own scale: the same height means the same value on every turn and in
#: every game (a sparkline scaled to its data draws a change of 0.01 as a full bar)
SCALES: dict[str, tuple[float, float]] = {"ei_mean": (-1.0, 1.0), "modularity": (-0.5, 1.0)}
TRUST_SCALE = (0.0, 1.0)
BARS = "▁▂▃▄▅▆▇█"


def bars(values: list[float | None], low: float, high: float) -> str:
    """One bar a turn, its height the value on the scale ``low``..``high`` (a missing
    value is a space)."""
    out = []
    for value in values:
        if value is None:
            out.append(" ")
            continue
        share = (min(high, max(low, value)) - low) / (high - low)
        out.append(BARS[min(len(BARS) - 1, int(share * len(BARS)))])
    return "".join(out)


def _value(metrics: dict[str, Any], key: str, team: str | None) -> float | None:
    value = metrics["team_trust_in_player"].get(team) if team else metrics.get(key)
    return None if value is None or math.isnan(value) else float(value)


class Bars(Widget):
    """A row of bars that keeps the latest turns when it is too narrow for them all."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = text

    def render(self) -> str:
        width = self.size.width
        return self.text[-width:] if width else self.text


class TrendsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,t,q", "close", "Close", show=False)]

    def __init__(self, game: Any, narrator: Narrator) -> None:
        super().__init__()
        self.game, self.narrator = game, narrator

    def compose(self) -> ComposeResult:
        t = self.narrator.t
        game = self.game
        # the start of every turn, and now (acts taken since the turn began count)
        points = list(game.history)
        now = game.metrics()
        if not game.over and game.log and game.log[-1].get("do") != "end_turn":
            points.append(now)
        rows: list[tuple[str, str, str | None]] = [(t(f"trends.{key}"), key, None)
                                                  for key in SERIES]
        w = game.world
        for team_id, name in list(zip(w.team_ids, w.team_names, strict=True))[:8]:
            rows.append((t("trends.team", team=name), "", team_id))
        with Vertical(classes="dialog wide"):
            yield Label(t("trends.title"), classes="dialog-title")
            # one grid of label, bars and numbers: a row of its own for each measure
            # made the screen a third more widgets to style and lay out
            with VerticalScroll(classes="dialog-body trends"):
                for label, key, team in rows:
                    values = [_value(m, key, team) for m in points]
                    low, high = SCALES.get(key, TRUST_SCALE)
                    yield Label(label, classes="trend-label")
                    yield Bars(bars(values, low, high), classes="trend-line")
                    yield Label(t("trends.first_last", first=fmt(values[0], t),
                                  last=fmt(values[-1], t)), classes="trend-numbers")
            yield Label(t("trends.legend"), classes="hint")

    def action_close(self) -> None:
        dismiss_once(self, None)
