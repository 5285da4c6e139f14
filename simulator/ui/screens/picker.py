"""Choosing a scenario, reading its problems or its brief."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, Static

from ...i18n import Messages
from ...scenario.errors import ScenarioError
from ...scenario.text import safe_text
from .. import storage
from ..focus import focus_first
from ..footer import CalmFooter
from ..roomlink import seat_label
from ..tables import RowTable

if TYPE_CHECKING:
    from ...scenario.loader import Scenario



@dataclass(slots=True)
class Entry:
    path: Path
    scenario: Scenario | None = None
    error: ScenarioError | None = None
    stamp: tuple[int, int] | None = None  # the file's mtime and size when it was read


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def load_entry(path: Path) -> Entry:
    from ...scenario.cache import load_scenario_cached

    stamp = _stamp(path)
    try:
        return Entry(path, load_scenario_cached(path), stamp=stamp)
    except ScenarioError as error:
        return Entry(path, error=error, stamp=stamp)


#: The width of the picker's title column.
TITLE_WIDTH = 36


def _cells(entry: Entry, *, named: bool = False) -> tuple[str | Text, ...]:
    """The picker's row for an entry: title, language, people, turns (or the file's name
    and a cross, if it is invalid). ``named``: the title is followed by the file's name,
    for titles that more than one file shares."""
    if entry.scenario is not None:
        s = entry.scenario.setup
        title: str | Text = s.title
        if named:  # the file's name in full; the title gives way if both do not fit
            name = f" · {entry.path.name}"
            room = max(8, TITLE_WIDTH - len(name))
            title = Text(s.title if len(s.title) <= room else s.title[: room - 1] + "…")
            title.append(name, style="dim")
        return title, s.language, str(len(s.people)), str(s.turns)
    return Text(safe_text(entry.path.name), style="red"), "", "", Text("✗", style="bold red")


class PickerScreen(Screen[None]):
    BINDINGS = [Binding("q,escape", "app.quit", "Quit", show=False),
                Binding("enter", "open", "Open", show=False),
                Binding("question_mark,f1", "help", "Help", show=False)]

    def __init__(self, paths: list[Path], t: Messages) -> None:
        super().__init__()
        self.paths = paths
        self.t = t
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        t = self.t
        seat = seat_label(t)
        yield Static(Text(f" trustsim · {t('app.subtitle')} " + (f"· {seat} " if seat else ""),
                          style="bold reverse"),
                     id="status")
        yield Label(t("picker.title"), classes="section")
        table: DataTable[Any] = RowTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="summary", classes="summary")
        yield Label(t("picker.hint"), classes="hint")
        yield CalmFooter(show_command_palette=False)

    def on_mount(self) -> None:
        if not self.query("#scenarios"):  # left again (a fast key) before it was mounted
            return
        t = self.t
        table = self.query_one("#scenarios", DataTable)
        # fixed widths: the rows arrive from a thread, after the first paint
        for key, width in (("title", TITLE_WIDTH), ("language", 5), ("people", 7),
                           ("turns", 6)):
            table.add_column(t(f"picker.col.{key}"), key=key, width=width)
        table.focus()
        self.load_all()

    @work(thread=True, exclusive=True)
    def load_all(self) -> None:
        entries = [load_entry(path) for path in self.paths]
        self.app.call_from_thread(self.show_entries, entries)

    def _shared_title(self, entry: Entry) -> bool:
        """Another file in the list has the same title: the rows show the file names, or
        two files would look the same."""
        if entry.scenario is None:
            return False
        title = entry.scenario.setup.title
        return sum(1 for e in self.entries
                   if e.scenario is not None and e.scenario.setup.title == title) > 1

    def show_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        table = self.query_one("#scenarios", DataTable)
        table.clear()
        for i, entry in enumerate(entries):
            table.add_row(*_cells(entry, named=self._shared_title(entry)), key=str(i))
        if entries:
            table.move_cursor(row=0)
            self.show_summary(0)

    @on(DataTable.RowHighlighted, "#scenarios")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show_summary(int(event.row_key.value))

    def show_summary(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        entry = self.entries[index]
        text = Text()
        if entry.scenario is not None:
            text.append(entry.scenario.setup.summary or entry.scenario.setup.title)
            # a browser of `trustsim serve` is told the file's name, not the server's folders
            shown = entry.path.name if storage.in_session() else str(entry.path)
            text.append(f"\n{safe_text(shown)}", style="dim")
        else:
            text.append(f"✗ {self.t('picker.invalid')}\n", style="bold red")
            assert entry.error is not None
            text.append(str(entry.error.problems[0]), style="red")
        self.query_one("#summary", Static).update(text)

    @on(DataTable.RowSelected, "#scenarios")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        if table.row_count:
            self.open(table.cursor_row)

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self.t, picker=True))

    def open(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        # the file as it is now: a trainer may have fixed it (or broken it) meanwhile
        entry = self.entries[index]
        if entry.stamp is None or _stamp(entry.path) != entry.stamp:
            entry = self.entries[index] = load_entry(entry.path)
            table = self.query_one("#scenarios", DataTable)
            for column, value in zip(table.columns,
                                     _cells(entry, named=self._shared_title(entry)),
                                     strict=True):
                table.update_cell(str(index), column, value)
            self.show_summary(index)
        if entry.error is not None:
            self.app.push_screen(ProblemsScreen(entry.path, entry.error, self.t))
        elif entry.scenario is not None:
            self.app.open_scenario(entry.scenario)  # type: ignore[attr-defined]


class ProblemsScreen(Screen[None]):
    """Every problem of an invalid file, as file:line:col: path: message."""

    BINDINGS = [Binding("escape,q", "back", "Back", show=False)]

    def __init__(self, path: Path, error: ScenarioError, t: Messages) -> None:
        super().__init__()
        self.path, self.error, self.t = path, error, t

    def compose(self) -> ComposeResult:
        text = Text()
        for problem in self.error.problems:
            text.append(str(problem) + "\n", style="red")
        yield Static(Text(f" {self.t('problems.title', file=safe_text(self.path.name))} ",
                          style="bold reverse"), id="status")
        with VerticalScroll(id="problems"):
            yield Static(text)
        yield Label(self.t("problems.hint"), classes="hint")
        yield CalmFooter(show_command_palette=False)

    def on_mount(self) -> None:
        focus_first(self, "#problems")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit(return_code=1)


#: Above this many people the cast lists only those the scenario says something about.
CAST_ALL_UP_TO = 40

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """A name as literal text inside Markdown."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def cast_lines(scenario: Scenario, t: Messages) -> list[str]:
    """The brief's cast, in Markdown: every team with its description, and its people with
    their role and description (the player's team first). A large organisation lists only
    the people the scenario describes, and how many more there are."""
    from ...experiments.narrate import paragraphs

    setup = scenario.setup
    described = setup.descriptions()
    player = next(p for p in setup.people if p.id == setup.player)
    everyone = len(setup.people) <= CAST_ALL_UP_TO
    teams = sorted(setup.teams, key=lambda team: team.id != player.team)
    lines = ["", f"## {t('brief.cast')}", ""]
    left_out = 0
    for team in teams:
        members = [p for p in setup.people if p.team == team.id]
        head = f"**{_md(team.name)}** · {t('game.team_size', count=len(members))}"
        if team.id in described:
            head += f": {' '.join(paragraphs(described[team.id]).split())}"
        lines += [head, ""]
        shown = [p for p in members if everyone or p.id in described or p.id == player.id]
        left_out += len(members) - len(shown)
        for person in shown:
            you = f" ({t('game.you')})" if person.id == player.id else ""
            line = f"- {_md(person.name)}{you}, {t(f'role.{person.role}')}"
            if person.id in described:
                line += f": {' '.join(paragraphs(described[person.id]).split())}"
            lines.append(line)
        if shown:
            lines.append("")
    if left_out:
        lines += [t("brief.cast_more", count=left_out), ""]
    return lines


class BriefScreen(Screen[None]):
    """The scenario's brief and objectives, before the first turn."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("s", "start", "Start")]

    DEFAULT_CSS = """
    /* the scrollbar's room is kept from the first frame: a long brief that gains its
       scrollbar once laid out would otherwise be drawn twice, reflowed */
    BriefScreen #brief-scroll { height: 1fr; scrollbar-gutter: stable; }
    BriefScreen #brief-scroll:focus { background: $boost; }
    """

    def __init__(self, scenario: Scenario, t: Messages) -> None:
        super().__init__()
        self.scenario, self.t = scenario, t

    def compose(self) -> ComposeResult:
        t, setup = self.t, self.scenario.setup
        player = next(p for p in setup.people if p.id == setup.player)
        lines = [f"# {setup.title}", "", setup.brief.strip(), "",
                 "*" + t("brief.you_are", name=player.name,
                         people=t.count("person", len(setup.people)),
                         teams=t.count("team", len(setup.teams)),
                         turns=t.count("turn", setup.turns),
                         acts=t.count("act", setup.capacity)) + "*", ""]
        if setup.objectives:
            lines += [f"## {t('brief.objectives')}", ""]
            lines += [f"- {o.text}" for o in setup.objectives]
        lines += cast_lines(self.scenario, t)
        with Vertical(id="brief-box"):
            with VerticalScroll(id="brief-scroll", can_focus=True):
                from textual.widgets import Markdown  # markdown-it: only once a brief opens

                yield Markdown("\n".join(lines), id="brief")
            with Horizontal(classes="buttons"):
                yield Button(f"{t('brief.start')} (s)", id="start", variant="primary")
            yield Label(t("brief.hint"), classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#brief-scroll")
        self.preload()

    @work(thread=True, exclusive=True, group="preload")
    def preload(self) -> None:
        """While the brief is read, import what the game screen needs, so that starting
        does not wait for it."""
        from . import dialogs, game  # noqa: F401

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        self.app.start_game(self.scenario)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:  # `trustsim play FILE`: nothing behind the brief
            self.app.exit()
