"""The map of the organisation: every team a box, reporting lines inside it, trust on each
line, and each team's strongest ties to other teams along its bottom edge.

Drawn on a canvas of text lines rather than with a graph-drawing library. netext 0.5 was
measured for this (PERFORMANCE.md, and again here on the 8-person scenario): 114 ms to lay
out eight nodes, reporting lines routed across other boxes, and a label that grows overlapping
its neighbour; and above ~30 edges its lines stop being readable. An organisation chart is a
set of trees grouped by team, which boxes and guides show exactly, at 80 columns as at 200:
boxes flow into as many columns as fit. Large organisations start folded into teams (a box
per team with its mean trust in you and its links), and a team unfolds to show its people.

Only the lines whose text changed are drawn again after an act, and the widget scrolls itself,
so a change never makes Textual lay the screen out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from .lines import LineWidget

if TYPE_CHECKING:
    from ...experiments.narrate import Narrator
    from ...scenario.game import Game

#: Boxes are at least this wide; more columns appear as the map gets wider.
BOX_WIDTH = 38
GAP = 2


@dataclass
class _Row:
    kind: str      # "person" | "empty"
    id: str | None
    guide: str     # reporting-line guides in front of the person ("│ ├ ")


@dataclass(eq=False)  # boxes are compared by identity
class _Box:
    team: str      # team id
    rows: list[_Row]
    folded: bool = False
    col: int = 0
    top: int = 0   # first canvas line
    lines: list[Strip] | None = None  # painted lines, None when stale

    @property
    def height(self) -> int:
        return 2 + (0 if self.folded else len(self.rows))

    def item(self, line: int) -> str | None:
        """The id on a line of the box (``team:<id>`` for the top edge)."""
        if line == 0:
            return f"team:{self.team}"
        if not self.folded and 1 <= line <= len(self.rows):
            return self.rows[line - 1].id
        return None


class OrgMap(LineWidget, can_focus=True):
    """The organisation by team: reporting lines, trust in you, links between teams.

    Up and down go through people and teams in reading order, left and right to the next
    column of boxes. Above ``TEAM_VIEW_AT`` people the teams start folded (the team-level
    view): enter or space on a team opens or closes it (and so do left and right where
    there is no column to go to). Enter on a person posts :class:`OrgMap.Selected`.
    """

    TEAM_VIEW_AT = 40

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("left", "side(-1)", show=False),
        Binding("right", "side(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(-1)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
        Binding("space", "fold", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "org-map--box", "org-map--own-box", "org-map--cursor", "org-map--guide"}

    DEFAULT_CSS = """
    OrgMap {
        height: 1fr;
        & > .org-map--box { color: $primary 60%; }
        & > .org-map--own-box { color: $accent; }
        & > .org-map--guide { color: $text-muted; }
        & > .org-map--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .org-map--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """

    class Selected(Message):
        """Enter (or a click) on a person, or on a team (``team:<id>``)."""

        def __init__(self, org_map: OrgMap, item: str) -> None:
            super().__init__()
            self.org_map, self.item = org_map, item

        @property
        def control(self) -> OrgMap:
            return self.org_map

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._boxes: list[_Box] = []
        self._own_team: str | None = None
        self._team_view = False
        self._structure: Any = None
        self._columns = 0
        self._box_width = 0
        self._resized: Size | None = None  # the size of the last resize
        self._canvas: list[list[tuple[_Box, int] | None]] = []  # [line][column]
        self._cursor: tuple[_Box, int] | None = None
        self._top = 0
        self._texts: dict[str, Text] = {}      # label of each person and team header
        self._links: dict[str, Text] = {}      # bottom edge of each team
        self._marked: set[str] = set()         # ids drawn with a mark (the open choice)
        self._source: Any = None               # (game, narrator, highlight, deltas)
        self._strips: dict[Any, Strip] = {}    # painted lines by their text
        self._player_id: str | None = None
        self._sizes: Any = ()
        self.choosing = False                  # enter on a team chooses it, not unfolds

    # -- building ----------------------------------------------------------------------------

    def build(self, game: Game, narrator: Narrator, highlight: set[str] | None = None,
              deltas: dict[str, float] | None = None) -> None:
        """Lay the teams out (again, if people moved); then label everything."""
        w = game.world
        self._structure = _structure(game)
        self._team_view = w.n_people > self.TEAM_VIEW_AT
        folded = {box.team for box in self._boxes if box.folded} if self._boxes else None
        cursor = self.cursor_id
        player_team = int(w.team[game.player])
        self._own_team = w.team_ids[player_team]
        self._player_id = game.player_id
        import numpy as np

        self._sizes = np.bincount(w.team[: w.n_people], minlength=len(w.team_ids))
        order = sorted(range(len(w.team_ids)), key=lambda t: (t != player_team, t))
        self._boxes = []
        for t in order:
            members = set(w.members(t))
            rows: list[_Row] = []
            # reporting lines inside the team: roots are members whose manager is outside
            roots = [m for m in sorted(members) if int(w.manager[m]) not in members]
            for m in roots:
                _add_rows(rows, w, m, members, "", None, depth=0)
            team = w.team_ids[t]
            is_folded = (team in folded) if folded is not None else (
                self._team_view and team != self._own_team)
            self._boxes.append(_Box(team, rows or [_Row("empty", None, "")],
                                    folded=is_folded and self._team_view))
        self._columns = 0  # flow again at the next paint
        self.refresh_labels(game, narrator, highlight or set(), deltas or {})
        if cursor is not None:
            self.move_to(cursor)

    def refresh_labels(self, game: Game, narrator: Narrator, highlight: set[str],
                       deltas: dict[str, float]) -> None:
        """New trust, deltas and highlights on the same layout (rebuilt if people moved).
        People's lines are labelled when they are next painted: a folded team of a large
        organisation costs nothing."""
        if _structure(game) != self._structure:
            self.build(game, narrator, highlight, deltas)
            return
        from . import trust_text

        self._source = (game, narrator, set(highlight), dict(deltas))
        w, t = game.world, narrator.t
        metrics = game.metrics()
        links = game.team_links()
        self._texts = {}
        for box in self._boxes:
            ti = w.team_index[box.team]
            trust = metrics["team_trust_in_player"].get(box.team)
            header = Text()
            if self._team_view:
                header.append("▸ " if box.folded else "▾ ", style="bold")
            header.append_text(trust_text(trust, t) if trust is not None and trust == trust
                               else Text(t.num(None)))
            header.append(" " + w.team_names[ti], style="bold")
            self._texts[f"short:{box.team}"] = header.copy().append(
                f" · {int(self._sizes[ti])}", style="dim")  # for a narrow box
            header.append(" · " + t("game.team_size", count=int(self._sizes[ti])),
                          style="dim")
            self._texts[f"team:{box.team}"] = header
            edge = Text("↔ ", style="dim")
            for n, (other, value, _ties) in enumerate(links.get(box.team, ())):
                name = w.team_names[w.team_index[other]]
                edge.append((", " if n else "") + name + " ", style="dim")
                edge.append_text(trust_text(value, t))
            if not links.get(box.team):
                edge.append(t("game.no_links"), style="dim")
            self._links[box.team] = edge
            box.lines = None
        self.refresh()

    def _person_text(self, pid: str) -> Text:
        from . import delta_text, trust_text

        game, narrator, highlight, deltas = self._source
        w, t = game.world, narrator.t
        i = w.index[pid]
        label = Text()
        if i == game.player:
            label.append("★ ", style="bold")
            label.append(w.names[i], style="bold")
            label.append(f" ({t('game.you')})", style="dim")
            return label
        label.append_text(trust_text(game.trust(pid, "player"), t))
        label.append(" ")
        label.append(w.names[i], style="bold" if pid in highlight else "")
        label.append_text(delta_text(deltas.get(pid, 0.0), t))
        if pid in highlight:
            label.append(" ◆", style="bold magenta")
        return label

    # -- what the screen asks ----------------------------------------------------------------

    @property
    def cursor_id(self) -> str | None:
        """The person (or ``team:<id>``) under the cursor."""
        return None if self._cursor is None else self._cursor[0].item(self._cursor[1])

    def move_to(self, item: str) -> bool:
        """Put the cursor on a person (unfolding their team) or a team."""
        for box in self._boxes:
            if item == f"team:{box.team}":
                self._set_cursor((box, 0))
                return True
            for n, row in enumerate(box.rows, 1):
                if row.id == item:
                    if box.folded:
                        self._fold(box, False)
                    self._set_cursor((box, n))
                    return True
        return False

    def first_person(self) -> str | None:
        """The first person after the player in the player's team (where play starts)."""
        own = next((b for b in self._boxes if b.team == self._own_team), None)
        rows = [r.id for r in own.rows if r.id] if own else []
        others = [r for r in rows if r != self._player_id]
        return others[0] if others else (rows[0] if rows else None)

    def mark(self, ids: set[str]) -> None:
        """Draw a mark beside these people or teams (the choice the acts panel is on), and
        bring the first of them into view."""
        if ids != self._marked:
            changed = ids ^ self._marked
            self._marked = set(ids)
            for box in self._boxes:
                if box.team in changed or any(r.id in changed for r in box.rows):
                    box.lines = None
            for item in sorted(ids):
                self._show(item)
                break
            self.refresh()

    def _show(self, item: str) -> None:
        """Scroll so that a person's line (or a team's box) is in view."""
        self._flow()
        height = max(1, self.content_size.height)
        for box in self._boxes:
            lines = [0] if box.team == item else [
                n for n, r in enumerate(box.rows, 1) if r.id == item and not box.folded]
            if lines:
                line = box.top + lines[0]
                if not self._top <= line < self._top + height:
                    self._top = max(0, min(line - height // 2, len(self._canvas) - height))
                return

    def text(self) -> str:
        """Everything the map shows, as plain text (for tests and screen readers)."""
        self._flow()
        return "\n".join(self._paint_line(y).text for y in range(len(self._canvas)))

    # -- painting ----------------------------------------------------------------------------

    def _flow(self) -> None:
        """Place the boxes in columns (the shortest column takes the next box)."""
        width = max(10, self.content_size.width or 80)
        # as many columns as fit, and no more than there are teams: the boxes widen instead
        columns = max(1, min(len(self._boxes), (width + GAP) // (BOX_WIDTH + GAP)))
        box_width = (width - GAP * (columns - 1)) // columns
        if columns == self._columns and box_width == self._box_width and self._canvas:
            return
        self._columns, self._box_width = columns, box_width
        heights = [0] * columns
        for box in self._boxes:
            col = min(range(columns), key=lambda c: (heights[c], c))
            box.col, box.top = col, heights[col]
            heights[col] += box.height
            box.lines = None
        self._canvas = [[None] * columns for _ in range(max(heights, default=0))]
        for box in self._boxes:
            for line in range(box.height):
                self._canvas[box.top + line][box.col] = (box, line)
        if self._cursor is None or self._cursor[0] not in self._boxes:
            self._cursor = None
            own = self.first_person()
            if own:
                self.move_to(own)
        self._scroll_to_cursor()

    def _box_lines(self, box: _Box) -> list[Strip]:
        if box.lines is not None:
            return box.lines
        console = self.app.console
        # colours only: the background comes from the widget, under everything
        frame = _colour(self.get_component_rich_style(
            "org-map--own-box" if box.team == self._own_team else "org-map--box"))
        guide = _colour(self.get_component_rich_style("org-map--guide"))
        inner = self._box_width - 4
        header = self._texts.get(f"team:{box.team}", Text()).copy()
        if header.cell_len > self._box_width - 7:  # "12 people" does not fit: "12"
            header = self._texts.get(f"short:{box.team}", header).copy()
        edge = self._links.get(box.team, Text()).copy()
        if box.team in self._marked:
            header.append(" ◀", style="bold reverse")
        texts: list[Text] = []
        texts.append(_edge("╭─ ", header, "╮", self._box_width, frame))
        if not box.folded:
            for row in box.rows:
                content = Text()
                content.append(row.guide, style=guide)
                if row.id is not None:
                    content.append_text(self._person_text(row.id))
                    if row.id in self._marked:
                        content.append(" ◀", style="bold reverse")
                if content.cell_len > inner and row.id in self._marked:
                    content = content[: max(0, inner - 2)] + Text(" ◀", style="bold reverse")
                content.truncate(inner, overflow="ellipsis", pad=True)
                line = Text()
                line.append("│ ", style=frame)
                line.append_text(content)
                line.append(" │", style=frame)
                texts.append(line)
        texts.append(_edge("╰─ ", edge, "╯", self._box_width, frame))
        # a line whose text did not change keeps its strip (most lines, after an act)
        if len(self._strips) > 4096:
            self._strips = {}
        lines = []
        for text in texts:
            key = (text.plain, tuple(text.spans), self._box_width)
            strip = self._strips.get(key)
            if strip is None:
                strip = Strip(list(text.render(console, end=""))).adjust_cell_length(
                    self._box_width)
                self._strips[key] = strip
            lines.append(strip)
        box.lines = lines
        return box.lines

    _cursor_style = Style()

    def render_lines(self, crop: Region) -> list[Strip]:
        # the cursor's colour, once per paint (not once per line)
        self._cursor_style = Style(
            bgcolor=self.get_component_rich_style("org-map--cursor").bgcolor)
        self._flow()
        return super().render_lines(crop)

    def _paint_line(self, line: int) -> Strip:
        segments: list[Segment] = []
        cursor_style = self._cursor_style
        for col, cell in enumerate(self._canvas[line] if line < len(self._canvas) else []):
            if col:
                segments.append(Segment(" " * GAP))
            if cell is None:
                segments.append(Segment(" " * self._box_width))
                continue
            box, n = cell
            strip = self._box_lines(box)[n]
            if self._cursor == cell and self.show_cursor:
                # the cursor covers the inside of the box (or the team's name on its edge)
                left, right = 2, self._box_width - 2
                inside = Strip(Segment.apply_style(strip.crop(left, right),
                                                   post_style=cursor_style))
                strip = Strip.join([strip.crop(0, left), inside,
                                    strip.crop(right, self._box_width)])
            segments.extend(strip)
        return Strip(segments)

    show_cursor = True

    WHEEL = 2

    def _line_count(self) -> int:
        return len(self._canvas)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        strip = self._paint_line(self._top + y)
        return strip.extend_cell_length(width).crop(0, width).apply_style(self._base_style)

    def on_resize(self, event: events.Resize) -> None:
        # shown again (from the people table) at the size it had: Textual sends a resize
        # with every show, and a repaint here was a frame more (17-33 ms) after the view's
        if event.size == self._resized:
            return
        self._resized = event.size
        self._columns = 0
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = {}  # colours come from the theme
        for box in self._boxes:
            box.lines = None

    # -- moving ------------------------------------------------------------------------------

    def _stops(self) -> list[tuple[_Box, int]]:
        """Every line the cursor can rest on, column by column."""
        stops = []
        for col in range(max(1, self._columns)):
            for box in sorted((b for b in self._boxes if b.col == col), key=lambda b: b.top):
                stops.append((box, 0))
                if not box.folded:
                    stops.extend((box, n) for n, row in enumerate(box.rows, 1) if row.id)
        return stops

    def _set_cursor(self, cursor: tuple[_Box, int] | None) -> None:
        if cursor != self._cursor:
            self._cursor = cursor
            self._scroll_to_cursor()
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's line in view (and the whole box, when it fits)."""
        if self._cursor is None or not self._canvas:
            return
        box, n = self._cursor
        height = max(1, self.content_size.height)
        line = box.top + n
        if box.height <= height:
            low, high = box.top, box.top + box.height - 1
        else:
            low = high = line
        if low < self._top:
            self._top = low
        elif high >= self._top + height:
            self._top = high - height + 1
        if line < self._top:
            self._top = line
        self._top = max(0, min(self._top, max(0, len(self._canvas) - height)))

    def action_cursor(self, step: int) -> None:
        self._flow()
        stops = self._stops()
        if not stops:
            return
        if self._cursor not in stops:
            self._set_cursor(stops[0])
            return
        index = stops.index(self._cursor) + step
        self._set_cursor(stops[max(0, min(index, len(stops) - 1))])

    def action_page(self, step: int) -> None:
        for _ in range(max(1, self.content_size.height - 1)):
            self.action_cursor(step)

    def action_edge(self, step: int) -> None:
        stops = self._stops()
        if stops:
            self._set_cursor(stops[0 if step < 0 else -1])

    def action_side(self, step: int) -> None:
        """Left and right: to the next column, or fold and unfold a team."""
        self._flow()
        if self._cursor is None:
            return
        box, n = self._cursor
        target_col = box.col + step
        if 0 <= target_col < self._columns:
            line = box.top + n
            candidates = [(b, m) for b, m in self._stops() if b.col == target_col]
            if candidates:
                self._set_cursor(min(candidates, key=lambda s: abs(s[0].top + s[1] - line)))
                return
        if self._team_view:
            self._fold(box, step < 0)
            self._set_cursor((box, 0))

    def action_fold(self) -> None:
        if self._cursor is not None and self._team_view:
            box = self._cursor[0]
            self._fold(box, not box.folded)
            self._set_cursor((box, 0))

    def _fold(self, box: _Box, folded: bool) -> None:
        if box.folded != folded and self._team_view:
            box.folded = folded
            self._columns = 0  # boxes move: flow again
            for key in (f"team:{box.team}", f"short:{box.team}"):
                header = self._texts.get(key)
                if header is not None and header.plain[:1] in "▸▾":
                    self._texts[key] = Text("▸ " if folded else "▾ ", style="bold") + header[2:]
            self.refresh()

    def action_select(self) -> None:
        item = self.cursor_id
        if item is None:
            return
        if item.startswith("team:") and self._team_view and not self.choosing:
            self.action_fold()
            return
        self.post_message(self.Selected(self, item))

    # -- the mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._canvas:
            return
        line = self._top + offset.y
        col = offset.x // (self._box_width + GAP)
        if not (0 <= line < len(self._canvas)) or col >= self._columns:
            return
        cell = self._canvas[line][col]
        if cell is None or cell[0].item(cell[1]) is None:
            return
        self._set_cursor(cell)
        self.action_select()



def _colour(style: Style) -> Style:
    return Style(color=style.color, bold=style.bold, dim=style.dim)


def _edge(start: str, label: Text, end: str, width: int, frame: Style) -> Text:
    """``╭─ label ──────╮``: a box's top or bottom edge with a label cut to fit."""
    room = width - len(start) - len(end) - 1
    label.truncate(max(0, room), overflow="ellipsis")
    line = Text()
    line.append(start, style=frame)
    line.append_text(label)
    line.append(" " + "─" * max(0, room - label.cell_len) + end, style=frame)
    return line


def _add_rows(rows: list[_Row], w: Any, person: int, members: set[int], prefix: str,
              last: bool | None, depth: int) -> None:
    """The person, then their reports inside the team, with guides as in a tree."""
    guide = "" if last is None else prefix + ("└ " if last else "├ ")
    rows.append(_Row("person", w.ids[person], guide))
    if depth > 12:
        return
    reports = [m for m in sorted(members) if int(w.manager[m]) == person and m != person]
    inner = "" if last is None else prefix + ("  " if last else "│ ")
    for n, m in enumerate(reports):
        _add_rows(rows, w, m, members, inner, n == len(reports) - 1, depth + 1)


def _structure(game: Game) -> Any:
    """What the layout depends on: who is in which team, reporting to whom."""
    w = game.world
    return (w.n_people, len(w.team_ids), w.team[: w.n_people].tobytes(),
            w.manager[: w.n_people].tobytes())


__all__ = ["OrgMap"]
