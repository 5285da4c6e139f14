"""The game screen's widgets. Each renders core records and state; none computes a rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
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
            node.set_label(label)
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
            self._links[team_id].set_label(Text("↔ " + across, style="dim"))
            node.set_label(label)


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


class ActsPanel(OptionList):
    """Every act with its key; unavailable ones are disabled and say why.

    The options are built once; later updates change prompts and enabled states in place
    (no relayout of the whole list).
    """

    _shown: dict[str, str | None] | None = None

    def show(self, availability: dict[str, str | None], t: Messages) -> str | None:
        """Update the list; returns the one reason shared by every act, if there is one
        (no acts left, game over), for the caller to show once."""
        acts = [cmd for cmd in GAME_COMMANDS if cmd.act]
        reasons = {availability.get(cmd.act or "") for cmd in acts}
        shared = next(iter(reasons)) if len(reasons) == 1 else None
        if availability == self._shown:
            return shared  # nothing changed
        first = self._shown is None
        self._shown = dict(availability)
        if first:
            for cmd in acts:
                self.add_option(Option("", id=cmd.act))
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


class ObjectivesPanel(Static):
    def show(self, game: Game, narrator: Narrator) -> None:
        text = Text()
        styles = {"met": "green", "failed": "red", "on_track": "", "at_risk": "yellow"}
        for i, status in enumerate(game.objectives()):
            if i:
                text.append("\n")
            text.append(f"{MARK[status.state]} ", style="bold " + styles[status.state])
            text.append(narrator.objective(status), style=styles[status.state])
        self.update(text)


__all__ = ["ActsPanel", "ObjectivesPanel", "OrgMap", "PeopleTable", "trust_text"]
