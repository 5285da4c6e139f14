"""Trust and silo measures over the turns, as bars on a fixed scale with their numbers."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
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


class TrendRows(Widget):
    """Every measure's row in one widget: its label, its bars (the latest turns when too
    narrow for them all) and its first and last numbers.

    A label, a bar and a number widget a row made the screen some forty widgets to
    compose, style and lay out over the game: the most of its opening time.
    """

    COMPONENT_CLASSES = {"trend-rows--bars"}
    LABEL, WIDE_LABEL, NUMBERS = 36, 52, 17

    def __init__(self, rows: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: (label, bars, numbers) a row
        self.rows = rows

    def render(self) -> Text:
        wide = self.screen.has_class("-wide")
        label_width = self.WIDE_LABEL if wide else self.LABEL
        bars_width = max(0, self.size.width - label_width - self.NUMBERS)
        bars_style = self.get_component_rich_style("trend-rows--bars", partial=True)
        out = Text(no_wrap=True, end="")
        for index, (label, line, numbers) in enumerate(self.rows):
            if index:
                out.append("\n")
            cell = Text(label, no_wrap=True)
            cell.truncate(label_width, overflow="ellipsis", pad=True)
            out.append_text(cell)
            out.append(line[-bars_width:] if bars_width else "", bars_style)
            out.append(" " * (bars_width - min(len(line), bars_width)))
            cell = Text(" " + numbers, no_wrap=True)
            cell.truncate(self.NUMBERS - 1, overflow="crop", pad=True)
            out.append_text(cell)
            out.append(" ")
        return out


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
            lines = []
            for label, key, team in rows:
                values = [_value(m, key, team) for m in points]
                low, high = SCALES.get(key, TRUST_SCALE)
                lines.append((label, bars(values, low, high),
                              t("trends.first_last", first=fmt(values[0], t),
                                last=fmt(values[-1], t))))
            with VerticalScroll(classes="dialog-body trends"):
                yield TrendRows(lines)
            yield Label(t("trends.legend"), classes="hint")

    def action_close(self) -> None:
        dismiss_once(self, None)
