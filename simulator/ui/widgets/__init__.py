"""The game screen's widgets. Each renders core records and state; none computes a rule."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable, OptionList, Static, Tree
from textual.widgets.option_list import Option

from ...experiments.narrate import MARK, Narrator
from ...i18n import Messages
from ..commands import GAME_COMMANDS, key_label

if TYPE_CHECKING:
    from ...scenario.game import Game

#: A trust level shown as a symbol and a number; colour only repeats what they say.
LEVELS = ((0.2, "○", "red"), (0.4, "◔", "dark_orange"), (0.6, "◑", "yellow"),
          (0.8, "◕", "green3"), (1.01, "●", "green"))


_EN = Messages("en")


def trust_text(value: float, t: Messages = _EN) -> Text:
    """``◑ 0.45`` in the colour of its band."""
    for limit, symbol, colour in LEVELS:
        if value < limit:
            return Text(f"{symbol} {t.num(value)}", style=colour)
    return Text(f"● {t.num(value)}")  # pragma: no cover


def delta_text(delta: float, t: Messages = _EN) -> Text:
    if abs(delta) < 0.005:
        return Text("")
    arrow = "▲" if delta > 0 else "▼"
    return Text(f" {arrow}{t.num(delta, '+.2f')}",
                style="bold green" if delta > 0 else "bold red")


def fmt(value: float | None, t: Messages = _EN) -> str:
    return t.num(value)


class OrgMap(Tree[str]):
    """The organisation by team, reporting lines as indentation, trust in the player.

    Laid out once; later turns restyle the labels in place. Above ``TEAM_VIEW_AT`` people
    it starts as a team-level view (teams collapsed, mean trust and cross-team links on
    each team) that drills down when a team is expanded.
    """

    TEAM_VIEW_AT = 40

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("org", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._people: dict[str, Any] = {}
        self._teams: dict[str, Any] = {}
        self._links: dict[str, Any] = {}

    def build(self, game: Game, narrator: Narrator) -> None:
        self.clear()
        self._people.clear()
        self._teams.clear()
        self._links.clear()
        w = game.world
        team_view = w.n_people > self.TEAM_VIEW_AT
        player_team = int(w.team[game.player])
        order = sorted(range(len(w.team_ids)), key=lambda t: (t != player_team, t))
        for t in order:
            node = self.root.add("", data=f"team:{w.team_ids[t]}", expand=True)
            self._teams[w.team_ids[t]] = node
            # the links on a line of their own: beside the team they are cut at 80 columns
            self._links[w.team_ids[t]] = node.add_leaf("", data=None)
            if team_view:  # teams with their links; people one level down, folded
                node = node.add(narrator.t("game.members"), data=f"team:{w.team_ids[t]}",
                                expand=False)
            members = set(w.members(t))
            # reporting lines inside the team: roots are members whose manager is outside
            roots = [m for m in sorted(members) if int(w.manager[m]) not in members]
            for m in roots:
                self._add_person(node, m, members, w, 0)
        self.refresh_labels(game, narrator, set(), {})

    def first_person_line(self) -> int:
        """The line of the first person after the player (where the cursor starts)."""
        for line in range(self.last_line + 1):
            node = self.get_node_at_line(line)
            if node is not None and node.data and not node.data.startswith("team:") \
                    and "★" not in str(node.label):
                return line
        return 0

    def _add_person(self, parent: Any, person: int, members: set[int], w: Any,
                    depth: int) -> None:
        reports = [m for m in sorted(members) if int(w.manager[m]) == person and m != person]
        leaf = not reports or depth > 6
        child = parent.add("", data=w.ids[person], expand=True, allow_expand=not leaf)
        self._people[w.ids[person]] = child
        if not leaf:
            for m in reports:
                self._add_person(child, m, members, w, depth + 1)

    def refresh_labels(self, game: Game, narrator: Narrator, highlight: set[str],
                       deltas: dict[str, float]) -> None:
        w = game.world
        t = narrator.t
        metrics = game.metrics()
        for pid, node in self._people.items():
            i = w.index.get(pid)
            if i is None:
                continue
            label = Text()
            if i == game.player:
                label.append("★ ", style="bold")
                label.append(w.names[i], style="bold")
                label.append(f" ({t('game.you')})", style="dim")
            else:
                label.append_text(trust_text(game.trust(pid, "player"), t))
                label.append(" ")
                label.append(w.names[i], style="bold" if pid in highlight else "")
                label.append_text(delta_text(deltas.get(pid, 0.0), t))
                if pid in highlight:
                    label.append(" ◆", style="bold magenta")
            self._relabel(node, label)
        links = _team_links(game, t)
        for team_id, node in self._teams.items():
            ti = w.team_index[team_id]
            count = int((w.team == ti).sum())
            # like a person's line: the team's mean trust in you first, so a narrow map
            # cuts the size, not the number
            trust = metrics["team_trust_in_player"].get(team_id)
            label = trust_text(trust, t) if trust is not None and trust == trust \
                else Text(fmt(None, t))
            label.append(" " + w.team_names[ti], style="bold")
            label.append(" · " + t("game.team_size", count=count), style="dim")
            across = t("game.team_links", links=links[team_id]) if links.get(team_id) \
                else t("game.no_links")
            self._relabel(self._links[team_id], Text("↔ " + across, style="dim"))
            self._relabel(node, label)
        self.refresh()

    def _relabel(self, node: Any, label: Text) -> None:
        """``node.set_label`` without its deferred per-node refresh: every label of a turn
        changes at once, and one repaint of the map (:meth:`refresh`) shows them together,
        in the same frame as the rest of the screen."""
        node._label = self.process_label(label)
        node._updates += 1


def _team_links(game: Game, t: Messages = _EN, limit: int = 2) -> dict[str, str]:
    """Mean trust across each team's strongest cross-team links ("Product 0.41")."""
    w = game.world
    n = w.n_edges
    if n == 0 or len(w.team_ids) < 2:
        return {}
    import numpy as np

    cross = w.cross_f[:n] > 0
    st, dt = w.src_team[:n][cross], w.dst_team[:n][cross]
    trust = w.trust[:n][cross]
    k = len(w.team_ids)
    pair = st * k + dt
    sums = np.bincount(pair, weights=trust, minlength=k * k)
    counts = np.bincount(pair, minlength=k * k)
    out: dict[str, str] = {}
    for a in range(k):
        row = [(int(counts[a * k + b]), b) for b in range(k) if b != a and counts[a * k + b]]
        row.sort(reverse=True)
        parts = [f"{w.team_names[b]} {t.num(sums[a * k + b] / c)}" for c, b in row[:limit]]
        if parts:
            out[w.team_ids[a]] = ", ".join(parts)
    return out


class PeopleTable(DataTable[Any]):
    """Everyone, sortable: click a column header, or press o to cycle the sort column."""

    BINDINGS = [("o", "cycle_sort", "Sort")]

    COLUMNS = ("name", "team", "role", "trusts_you", "you_trust", "competence", "change")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._sort_index = 3
        self._reverse = True

    def build(self, game: Game, narrator: Narrator) -> None:
        self.clear(columns=True)
        for key in self.COLUMNS:
            self.add_column(narrator.t(f"col.{key}"), key=key)
        w = game.world
        for i, pid in enumerate(w.ids):
            if i == game.player:
                continue
            self.add_row(*self._cells(game, narrator, i, 0.0), key=pid)
        self._apply_sort()

    def _cells(self, game: Game, narrator: Narrator, i: int, delta: float) -> list[Any]:
        w = game.world
        pid = w.ids[i]
        t = narrator.t
        return [w.names[i], w.team_names[int(w.team[i])], t(f"role.{w.roles[i]}"),
                trust_text(game.trust(pid, "player"), t),
                Text(t.num(game.trust("player", pid))),
                Text(t.num(float(w.competence[i]))), delta_text(delta, t)]

    def refresh_rows(self, game: Game, narrator: Narrator, deltas: dict[str, float]) -> None:
        w = game.world
        if self.row_count != w.n_people - 1:
            self.build(game, narrator)
            return
        for i, pid in enumerate(w.ids):
            if i == game.player:
                continue
            for key, value in zip(self.COLUMNS, self._cells(game, narrator, i,
                                                            deltas.get(pid, 0.0)),
                                  strict=True):
                self.update_cell(pid, key, value)
        self._apply_sort()

    def _apply_sort(self) -> None:
        column = self.COLUMNS[self._sort_index]

        def key(value: Any) -> Any:
            text = value.plain if isinstance(value, Text) else str(value)
            digits = text.replace("▲", "").replace("▼", "").replace("○", "").replace(
                "◔", "").replace("◑", "").replace("◕", "").replace("●", "").strip()
            try:
                return (0, float(digits))
            except ValueError:
                return (1, text)

        self.sort(column, key=key, reverse=self._reverse)

    def action_cycle_sort(self) -> None:
        self._sort_index = (self._sort_index + 1) % len(self.COLUMNS)
        self._reverse = self._sort_index >= 3
        self._apply_sort()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = self.COLUMNS.index(str(event.column_key.value))
        self._reverse = not self._reverse if index == self._sort_index else index >= 3
        self._sort_index = index
        self._apply_sort()


#: Target lists longer than this say that typing filters them.
FILTER_FROM = 8

_MOVES = {"up": "cursor_up", "down": "cursor_down", "pageup": "page_up",
          "pagedown": "page_down", "home": "first", "end": "last"}


class ActsPanel(OptionList):
    """Every act with its key; unavailable ones are disabled and say why. When an act needs
    a target, the same list offers the targets.

    Choosing in this list, rather than in a dialog or a widget shown in its place, changes
    no layout: opening and closing a screen made Textual restyle and repaint everything
    underneath it, which was most of the time from an act to a repainted screen. In acts
    mode the options are built once and later updated in place.
    """

    BINDINGS = [Binding("escape", "cancel", show=False)]

    _shown: dict[str, str | None] | None = None

    def __init__(self, t: Messages = _EN, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.t = t
        self._future: asyncio.Future[str | None] | None = None
        self._items: list[tuple[str, Text]] = []
        self._detail: str | None = None
        self._filter = ""
        self._latest: dict[str, str | None] = {}
        self._choosing = False

    # -- acts ------------------------------------------------------------------------------

    def show(self, availability: dict[str, str | None], t: Messages) -> str | None:
        """Update the acts; returns the one reason shared by every act, if there is one
        (no acts left, game over), for the caller to show once. While a target is being
        chosen, the acts are updated when the choice is over."""
        acts = [cmd for cmd in GAME_COMMANDS if cmd.act]
        reasons = {availability.get(cmd.act or "") for cmd in acts}
        shared = next(iter(reasons)) if len(reasons) == 1 else None
        self._latest = dict(availability)
        if self.choosing or availability == self._shown:
            return shared  # nothing changed, or targets are shown: see close()
        first = self._shown is None or self.option_count != len(acts)
        self._shown = dict(availability)
        if first:
            self.set_options(Option("", id=cmd.act) for cmd in acts)
        for index, cmd in enumerate(acts):
            assert cmd.act is not None
            reason = availability.get(cmd.act)
            prompt = Text()
            prompt.append(f"{key_label(cmd):>2} ", style="bold")
            prompt.append(t(f"act.{cmd.act}"))
            if reason and not shared:
                prompt.append(f"\n   {reason}", style="italic")
            self.replace_option_prompt_at_index(index, prompt)
            if reason:
                self.disable_option_at_index(index)
            else:
                self.enable_option_at_index(index)
        return shared

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
    def offered(self) -> list[str]:
        """The ids the open question offers (all of them, whatever the filter)."""
        return [key for key, _ in self._items] if self.asking else []

    def ask(self, items: list[tuple[str, Text]], *, highlight: str | None = None,
            detail: str | None = None) -> asyncio.Future[str | None]:
        """Offer ``items`` (id, label), with ``detail`` above them; the future gets the
        chosen id, or None if cancelled. The list stays a target list until :meth:`close`
        (an act may ask twice), so the last answer and the act's result are painted
        together. The question itself is the caller's to show (the panel's title)."""
        self.resolve(None)
        self._future = asyncio.get_running_loop().create_future()
        self._choosing = True
        self._items, self._detail, self._filter = list(items), detail, ""
        self._offer(highlight)
        return self._future

    def resolve(self, choice: str | None) -> None:
        """Answer the open question (from a key, a click, or the map)."""
        if self._future is not None and not self._future.done():
            self._future.set_result(choice)

    def close(self) -> None:
        """Back to the acts."""
        self.resolve(None)
        if self._choosing:
            self._choosing = False
            self._items, self._shown = [], None
            self.show(self._latest, self.t)
            self.highlighted = None

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
        line = Text(hint, style="dim italic", no_wrap=True, overflow="ellipsis")
        self.set_options([Option(line, disabled=True),
                          *(Option(label, id=key) for key, label in shown)])
        ids = [key for key, _ in shown]
        if ids:
            self.highlighted = 1 + (ids.index(highlight) if highlight in ids else 0)
        else:
            self.highlighted = None

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
        elif key == "enter":
            self.action_select()
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

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.choosing:
            event.stop()
            self.resolve(event.option.id)

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
            text.append(narrator.objective(status), style=styles[status.state])
        self.update(text, layout=False)


__all__ = ["FILTER_FROM", "ActsPanel", "ObjectivesPanel", "OrgMap", "PeopleTable", "trust_text"]
