"""The game screen's widgets. Each renders core records and state; none computes a rule."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from ...experiments.narrate import MARK, Narrator
from ...i18n import Messages
from ..commands import GAME_COMMANDS, key_label
from ..tables import RowTable
from .choices import Choice, ChoiceList
from .orgmap import OrgMap

if TYPE_CHECKING:
    from ...scenario.game import Game

#: A trust level shown as a symbol and a number; colour only repeats what they say.
LEVELS = ((0.2, "○", "red"), (0.4, "◔", "dark_orange"), (0.6, "◑", "yellow"),
          (0.8, "◕", "green3"), (1.01, "●", "green"))


_EN = Messages("en")


def trust_text(value: float, t: Messages = _EN) -> Text:
    """``◑ 0.45`` in the colour of its band (the band of the number shown: 0.398 reads
    0.40, so it is ◑, not ◔)."""
    shown = round(value, 2)
    for limit, symbol, colour in LEVELS:
        if shown < limit:
            return Text(f"{symbol} {t.num(value)}", style=colour)
    return Text(f"● {t.num(value)}")  # pragma: no cover


def delta_text(delta: float, t: Messages = _EN) -> Text:
    if abs(delta) < 0.005:
        return Text("")
    arrow = "▲" if delta > 0 else "▼"
    return Text(f" {arrow}{t.num(delta, '+.2f')}",
                style="bold green" if delta > 0 else "bold red")


def _cell_len(value: Any) -> int:
    return value.cell_len if isinstance(value, Text) else len(str(value))


def fmt(value: float | None, t: Messages = _EN) -> str:
    return t.num(value)


class PeopleTable(RowTable):
    """Everyone, sortable: click a column header, or cycle the sort column (the game
    screen's sort command calls :meth:`action_cycle_sort`)."""

    # what matters most first: a narrow table cuts the columns on the right
    COLUMNS = ("name", "trusts_you", "change", "team", "you_trust", "role", "competence")
    NUMBERS = frozenset({"trusts_you", "change", "you_trust", "competence"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._sort_index = 1
        self._reverse = True
        # what each row shows, as the numbers its cells are made from: a refresh rebuilds
        # and updates only the rows whose numbers changed
        self._shown: dict[str, tuple[Any, ...]] = {}

    _labels: dict[str, str]

    def build(self, game: Game, narrator: Narrator) -> None:
        self.clear(columns=True)
        self._shown = {}
        self._labels = {key: narrator.t(f"col.{key}") for key in self.COLUMNS}
        for key in self.COLUMNS:
            self.add_column(self._labels[key], key=key)
        rows, keys = [], []
        for i, pid in enumerate(game.world.ids):
            if i == game.player:
                continue
            values = self._values(game, i, 0.0)
            self._shown[pid] = values
            rows.append(self._cells(game, narrator, values))
            keys.append(pid)
        for row, key in zip(rows, keys, strict=True):
            self.add_row(*row, key=key)
        self._apply_sort()

    @staticmethod
    def _values(game: Game, i: int, delta: float) -> tuple[Any, ...]:
        """What person ``i``'s row shows, before it is put in words: the row is rebuilt
        only when these change."""
        w = game.world
        pid = w.ids[i]
        return (int(w.team[i]), w.roles[i], game.trust(pid, "player"),
                game.trust("player", pid), float(w.competence[i]),
                delta if abs(delta) >= 0.005 else 0.0, w.names[i])

    def _cells(self, game: Game, narrator: Narrator, values: tuple[Any, ...]) -> list[Any]:
        team, role, trusts_you, you_trust, competence, delta, name = values
        w, t = game.world, narrator.t
        cells = {"name": name, "team": w.team_names[team],
                 "role": t(f"role.{role}"),
                 "trusts_you": trust_text(trusts_you, t),
                 "you_trust": Text(t.num(you_trust)),
                 "competence": Text(t.num(competence)),
                 "change": delta_text(delta, t)}
        return [cells[key] for key in self.COLUMNS]

    def refresh_rows(self, game: Game, narrator: Narrator, deltas: dict[str, float]) -> None:
        w = game.world
        if self.row_count != w.n_people - 1 or len(self._shown) != self.row_count:
            self.build(game, narrator)
            return
        changed = False
        for i, pid in enumerate(w.ids):
            if i == game.player:
                continue
            values = self._values(game, i, deltas.get(pid, 0.0))
            shown = self._shown.get(pid)
            if values == shown:
                continue
            changed = True
            self._shown[pid] = values
            for key, old, new, cell in zip(self.COLUMNS, self._order(shown),
                                           self._order(values), self._cells(game, narrator, values),
                                           strict=True):
                if old != new:
                    self.update_cell(pid, key, cell)
        if changed:
            self._fit_change_column()
            self._apply_sort()

    def _order(self, values: tuple[Any, ...] | None) -> tuple[Any, ...]:
        """A row's numbers in the order of :attr:`COLUMNS` (None: all unknown)."""
        if values is None:
            return (None,) * len(self.COLUMNS)
        team, role, trusts_you, you_trust, competence, delta, name = values
        by_key = {"name": name, "team": team, "role": role, "trusts_you": trusts_you,
                  "you_trust": you_trust, "competence": competence, "change": delta}
        return tuple(by_key[key] for key in self.COLUMNS)

    def _fit_change_column(self) -> None:
        """The change column as wide as its widest cell. A DataTable asked to fit each
        updated cell measures the whole column again for every cell that got narrower (161
        rows: 26,000 measures, most of the time it took to show the table); here the
        widest cell is the one it measures from."""
        column_key = ColumnKey("change")
        widest = max(self._data, key=lambda row: _cell_len(self._data[row][column_key]),
                     default=None)
        if widest is not None:
            self.update_cell(widest, column_key, self._data[widest][column_key],
                             update_width=True)

    def _apply_sort(self) -> None:
        column = self.COLUMNS[self._sort_index]

        def key(value: Any) -> Any:
            text = value.plain if isinstance(value, Text) else str(value)
            digits = text.replace("▲", "").replace("▼", "").replace("○", "").replace(
                "◔", "").replace("◑", "").replace("◕", "").replace("●", "").strip()
            try:  # numbers in the scenario's language: 0,30 in Dutch
                return (0, float(digits.replace(",", ".")))
            except ValueError:
                return (0, 0.0) if not digits and column in self.NUMBERS else (1, text)

        self.sort(column, key=key, reverse=self._reverse)
        # the header says which column sorts, and which way
        for name, label in self._labels.items():
            mark = ("▼" if self._reverse else "▲") if name == column else ""
            column_ = self.columns[ColumnKey(name)]
            wanted = Text(label + mark, style="bold" if mark else "")
            if column_.label != wanted:
                column_.label = wanted
                column_.content_width = max(column_.content_width, wanted.cell_len)
                self.refresh()

    def action_cycle_sort(self) -> None:
        """Sort by the next column that can be seen (a narrow table hides the last ones)."""
        shown = self._visible_columns()
        self._sort_index = next((i for i in range(self._sort_index + 1, len(self.COLUMNS))
                                 if i in shown), min(shown, default=0))
        self._reverse = self.COLUMNS[self._sort_index] in self.NUMBERS
        self._apply_sort()

    def _visible_columns(self) -> set[int]:
        width = self.scrollable_content_region.width
        if width <= 0:
            return set(range(len(self.COLUMNS)))
        shown, left = set(), -self.scroll_x
        for index, column in enumerate(self.columns.values()):
            if left < width - 2:  # at least a little of it shows
                shown.add(index)
            left += column.get_render_width(self)
        return shown

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = self.COLUMNS.index(str(event.column_key.value))
        self._reverse = not self._reverse if index == self._sort_index \
            else self.COLUMNS[index] in self.NUMBERS
        self._sort_index = index
        self._apply_sort()


#: Target lists longer than this say that typing filters them.
FILTER_FROM = 8

_MOVES = {"up": "cursor_up", "down": "cursor_down", "pageup": "page_up",
          "pagedown": "page_down", "home": "first", "end": "last"}


class ActsPanel(ChoiceList):
    """Every act with its key; unavailable ones are disabled and say why. When an act needs
    a target, the same list offers the targets.

    Choosing in this list, rather than in a dialog or a widget shown in its place, changes
    no layout and moves no focus: opening and closing a screen made Textual restyle and
    repaint everything underneath it, and so does moving the focus; that was most of the
    time from an act to a repainted screen. The acts are updated in place.
    """

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, t: Messages = _EN, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.t = t
        self._shown: dict[str, str | None] | None = None
        self._shared: str | None = None
        self._future: asyncio.Future[str | None] | None = None
        self._items: list[tuple[str, Text]] = []
        self._detail: str | None = None
        self._filter = ""
        self._latest: dict[str, str | None] = {}
        self._choosing = False
        self.show_cursor = False  # a menu of keys: the cursor shows once it is used

    # -- acts ------------------------------------------------------------------------------

    def show(self, availability: dict[str, str | None], t: Messages) -> str | None:
        """Update the acts; returns the one reason shared by every act, if there is one
        (no acts left, game over), which is then shown once, above them. While a target is
        being chosen, the acts are updated when the choice is over."""
        acts = [cmd for cmd in GAME_COMMANDS if cmd.act]
        reasons = {availability.get(cmd.act or "") for cmd in acts}
        shared = next(iter(reasons)) if len(reasons) == 1 else None
        self._latest = dict(availability)
        if self.choosing or availability == self._shown:
            return shared  # nothing changed, or targets are shown: see close()
        choices = []
        if shared:  # said once, above the acts (no act is possible)
            choices.append(Choice(None, Text(shared, style="italic"), enabled=False))
        for n, cmd in enumerate(acts):
            assert cmd.act is not None
            reason = availability.get(cmd.act)
            prompt = Text()
            prompt.append(f"{key_label(cmd):>2} ", style="bold")
            prompt.append(t(f"act.{cmd.act}"))
            # acts side by side that wait for the same reason (keep and break: no open
            # promises) say it once, under the last of them
            following = availability.get(acts[n + 1].act or "") if n + 1 < len(acts) else None
            if reason and not shared and reason != following:
                prompt.append(f"\n   {reason}", style="italic")
            choices.append(Choice(cmd.act, prompt, enabled=not reason))
        if self._shown is None or len(self.choices) != len(choices):
            self.set_choices(choices)
        else:
            for index, choice in enumerate(choices):
                self.replace_choice(index, choice)
        self._shown = dict(availability)
        return shared

    def on_focus(self) -> None:
        self.show_cursor = True
        if self.highlighted is None:
            self.action_first()
        self.refresh()

    def on_blur(self) -> None:
        self.show_cursor = self.choosing
        self.refresh()

    # -- targets ---------------------------------------------------------------------------

    @property
    def asking(self) -> bool:
        """A question is open (a target is being chosen)."""
        return self._future is not None and not self._future.done()

    @property
    def choosing(self) -> bool:
        """The list shows targets (until :meth:`close`)."""
        return self._choosing

    @property
    def settled(self) -> bool:
        """Showing the acts as they are (no choice open)."""
        return not self._choosing

    @property
    def offered(self) -> list[str]:
        """The ids the open question offers (all of them, whatever the filter)."""
        return [key for key, _ in self._items] if self.asking else []

    @property
    def shown_ids(self) -> list[str]:
        """The ids that can be chosen now (after the filter)."""
        return [c.id for c in self.choices if c.id is not None and c.enabled]

    def ask(self, items: list[tuple[str, Text]], *, highlight: str | None = None,
            detail: str | None = None) -> asyncio.Future[str | None]:
        """Offer ``items`` (id, label), with ``detail`` above them; the future gets the
        chosen id, or None if cancelled. The list stays a target list until :meth:`close`
        (an act may ask twice), so the last answer and the act's result are painted
        together. The question itself is the caller's to show (the panel's title)."""
        self.resolve(None)
        self._future = asyncio.get_running_loop().create_future()
        self._choosing = True
        self.show_cursor = True
        # the one selected on the map comes first, the others in their order after it
        self._items = sorted(items, key=lambda item: item[0] != highlight)
        self._detail, self._filter = detail, ""
        self._offer(highlight)
        return self._future

    def resolve(self, choice: str | None) -> None:
        """Answer the open question (from a key, a click, or the map)."""
        if self._future is not None and not self._future.done():
            self._future.set_result(choice)

    def close(self) -> None:
        """Back to the acts (drawn in the same frame as the act's result, if there is one:
        the screen paints the whole change at once)."""
        self.resolve(None)
        if self._choosing:
            self._choosing = False
            self.show_cursor = self.has_focus
            self._items, self._shown = [], None
            self.show(self._latest, self.t)

    def _offer(self, highlight: str | None = None) -> None:
        t = self.t
        needle = self._filter.casefold()
        shown = [(key, label) for key, label in self._items
                 if not needle or needle in label.plain.casefold() or needle in key.casefold()]
        if self._filter:
            hint = t("game.filtered", text=self._filter, shown=len(shown),
                     total=len(self._items))
        else:
            hint = t("game.pick_hint_filter" if len(self._items) > FILTER_FROM
                     else "game.pick_hint")
        if self._detail:
            hint = f"{self._detail} · {hint}"
        # wrapped, never cut: at 80 columns "· Esc clears" would read "· Esc cle…"
        line = Text(hint, style="dim italic")
        ids = [key for key, _ in shown]
        self.set_choices([Choice(None, line, enabled=False),
                          *(Choice(key, label) for key, label in shown)],
                         highlight=1 + ids.index(highlight) if highlight in ids else None)

    def on_key(self, event: events.Key) -> None:
        """While choosing, typing filters the targets (and no other command runs)."""
        if self.choosing and event.key not in _MOVES and self.route_key(event):
            event.stop()
            event.prevent_default()

    def route_key(self, event: events.Key) -> bool:
        """Handle a key for the open choice as if the list had the focus (the screen sends
        keys here while the map keeps the focus: moving the focus repaints the whole
        screen). True if the key was used."""
        if not self.choosing:
            return False
        key = event.key
        if key in _MOVES:
            getattr(self, f"action_{_MOVES[key]}")()
        elif key == "enter":  # answered at once, not through a message: one hop less
            if self.highlighted_id is not None:
                self.resolve(self.highlighted_id)
        elif key == "escape":
            self.action_cancel()
        elif key == "backspace":
            self._filter = self._filter[:-1]
            self._offer()
        elif event.is_printable and event.character and len(self._filter) < 40:
            self._filter += event.character
            self._offer()
        else:
            return False
        return True

    def on_choice_list_selected(self, event: ChoiceList.Selected) -> None:
        """A target answers the open question; an act goes on to the screen. A selection
        that was made on a list no longer shown (two quick enters: the second arrives after
        the choice ended) is dropped, never taken as an act or another question's answer."""
        choice_id = event.choice.id
        if self.choosing:
            event.stop()
            if self.asking and choice_id in {key for key, _ in self._items}:
                self.resolve(choice_id)
        elif choice_id not in self._latest:
            event.stop()

    def action_cancel(self) -> None:
        if self._filter:  # escape clears the filter first, then cancels
            self._filter = ""
            self._offer()
        else:
            self.resolve(None)


class ObjectivesPanel(Static):
    def show(self, game: Game, narrator: Narrator) -> None:
        text = Text()
        styles = {"met": "green", "failed": "red", "on_track": "", "at_risk": "yellow"}
        for i, status in enumerate(game.objectives()):
            if i:
                text.append("\n")
            text.append(f"{MARK[status.state]} ", style="bold " + styles[status.state])
            text.append(narrator.objective(status, compact=True),
                        style=styles[status.state])
        self.update(text, layout=False)


__all__ = ["FILTER_FROM", "ActsPanel", "ObjectivesPanel", "OrgMap", "PeopleTable", "RowTable",
           "trust_text"]
