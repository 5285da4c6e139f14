"""trustsim's interface driven by the keyboard with Textual's Pilot, at 80x24."""

from __future__ import annotations

import io
import json
import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import (
    CHAIR,
    RUIMTE,
    SHIPPED,
    end_turn,
    game_idle,
    offered_ids,
    open_first_scenario_and_start,
    open_targets,
    play_command,
    play_script,
    reference_commands,
    wait_for,
    wait_screen,
)
from rich.console import Console
from rich.text import Text
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static
from typer.testing import CliRunner

from simulator.cli import app as cli_app
from simulator.experiments.script import parse_command, play
from simulator.scenario.game import Game
from simulator.scenario.library import find_scenarios, library_dir
from simulator.scenario.loader import load_scenario
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.commands import GAME_COMMANDS, key_label
from simulator.ui.screens.debrief import DebriefScreen
from simulator.ui.screens.dialogs import (
    ConfirmScreen,
    HelpScreen,
    MessageScreen,
    PersonScreen,
)
from simulator.ui.screens.game import GameScreen
from simulator.ui.screens.picker import BriefScreen, PickerScreen, ProblemsScreen
from simulator.ui.widgets import FILTER_FROM, ActsPanel, OrgMap, PeopleTable
from simulator.ui.widgets.log import EventLog

SIZE = (80, 24)


def plain(renderable: object, width: int = 200) -> str:
    """A Rich renderable as plain text."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def static_text(widget: Static, width: int = 200) -> str:
    """What a Static shows, as plain text."""
    content = widget.content
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    return plain(content, width)


def status_text(screen: GameScreen) -> str:
    return static_text(screen.query_one("#status", Static))


async def start_single(pilot: Any) -> GameScreen:
    """`trustsim play`: the brief, then s."""
    await wait_screen(pilot, BriefScreen)
    await pilot.press("s")
    screen: GameScreen = await game_idle(pilot)
    return screen


async def to_end_of_turn_4(pilot: Any, screen: GameScreen) -> None:
    """Turns 1-3 and the acts of turn 4 of the reference solution, through the screen's own
    `do` (what the keys call; the keyboard itself is tested by the full playthrough)."""
    commands = reference_commands(CHAIR)[:11]
    assert sum(c["do"] == "end_turn" for c in commands) == 3
    for cmd in commands:
        assert screen.do(partial(screen.game.execute, cmd)) is not None, cmd
    await game_idle(pilot)
    assert screen.game.turn == 4 and screen.game.capacity_left == 0


# -- a whole game ---------------------------------------------------------------------------


async def test_full_playthrough_by_keyboard_matches_trustsim_run() -> None:
    commands = reference_commands(CHAIR)
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_scenario_and_start(pilot)
        game = screen.game
        assert game.setup.title == "New in the chair"
        assert game.turn == 1 and game.log == []
        await play_script(pilot, commands)
        debrief = await wait_screen(pilot, DebriefScreen)
        assert debrief.game is game
        assert game.over and game.won
        # the interface logged exactly the reference solution, choice included
        assert game.log == commands

        # ... and ended in the very state `trustsim run new-in-the-chair --acts reference`
        headless = Game(load_scenario(CHAIR), undo=False)
        play(headless, [(0, c) for c in commands], finish=True)
        assert headless.log == commands
        assert headless.fingerprint() == game.fingerprint()
        assert repr(headless.history) == repr(game.history)

    result = CliRunner().invoke(cli_app, ["run", "new-in-the-chair", "--acts", "reference",
                                          "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [step["command"] for step in data["steps"]] == commands
    assert data["over"] and data["won"]


async def test_promise_acts_are_logged_like_scripts() -> None:
    """Found by these tests (the interface logged {'target': 'rota'}); fixed in the core."""
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        await play_command(pilot, {"do": "act", "act": "keep_promise", "promise": "rota"})
        assert screen.game.log == [parse_command("keep_promise rota")]
        # a new promise says what it promises: chosen from a few, in the game's language
        what = screen.t("promise.what").split("|")[1]
        await play_command(pilot, {"do": "act", "act": "make_promise", "target": "sami",
                                   "what": what, "due": 3})
        assert screen.game.log[-1] == parse_command(f'make_promise sami due=3 what="{what}"')
        made = next(p for p in screen.game.promises("open") if p.to == "sami")
        assert made.what == what == "time for a proper one-to-one"
        shown = "\n".join(t.plain for t in screen.query_one(EventLog).texts)
        assert f"“{what}”" in shown and "a commitment" not in shown


# -- undo and redo ----------------------------------------------------------------------------


async def test_undo_restores_and_redo_replays_an_act() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        start = game.fingerprint()
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        after = game.fingerprint()
        log = list(game.log)
        assert after != start
        trust = game.trust("tomas", "player")

        await pilot.press("u")
        await wait_for(pilot, lambda: game.fingerprint() == start, what="undo")
        assert game.log == [] and game.can_redo
        # the log says what was taken back, below the act's own lines
        last = screen.query_one(EventLog).texts[-1].plain
        assert last == "Undone: Quick win Tomás Ruiz", last
        await pilot.press("y")
        await wait_for(pilot, lambda: game.fingerprint() == after, what="redo")
        assert game.log == log
        assert game.trust("tomas", "player") == trust
        assert not game.can_redo
        # the screen shows the redone state: one act left of two
        assert "1/2" in status_text(screen)


# -- autosave and resume ----------------------------------------------------------------------


async def test_quit_then_resume_restores_the_game(trustsim_home: Path) -> None:
    played = [
        {"do": "act", "act": "quick_win", "target": "tomas"},
        {"do": "act", "act": "keep_promise", "promise": "rota"},
        {"do": "end_turn"},
        {"do": "act", "act": "quick_win", "target": "sami"},
    ]
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_scenario_and_start(pilot)
        game = screen.game
        await play_script(pilot, played)
        fingerprint, log = game.fingerprint(), list(game.log)
        await pilot.press("q")
        await wait_screen(pilot, PickerScreen)
    save = storage.autosave_path(str(CHAIR))
    assert save.is_file() and str(save).startswith(str(trustsim_home))
    assert json.loads(save.read_text(encoding="utf-8"))["log"] == log

    app = TrustsimApp(SHIPPED, resume=True)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await wait_screen(pilot, ConfirmScreen)
        assert "New in the chair" in str(confirm.body) and "2" in str(confirm.body)
        await pilot.press("enter")  # "Resume" has the focus
        screen = await game_idle(pilot)
        assert screen.game.fingerprint() == fingerprint
        assert screen.game.log == log
        assert screen.game.turn == 2
        assert "Turn 2/8" in status_text(screen)
        first = screen.query_one(EventLog).texts[0].plain
        assert first.startswith("Resumed at turn 2 (3 acts played so far)"), first


async def test_decline_resume_then_open_from_picker_offers_it_again() -> None:
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_scenario_and_start(pilot)
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        fingerprint = screen.game.fingerprint()
        await pilot.press("q")
        await wait_screen(pilot, PickerScreen)
        # opening the scenario again offers the autosave
        await pilot.press("enter")
        await wait_screen(pilot, ConfirmScreen)
        await pilot.press("enter")
        screen = await game_idle(pilot)
        assert screen.game.fingerprint() == fingerprint


# -- invalid scenario files and saves ---------------------------------------------------------


async def test_invalid_scenario_in_a_dir_shows_its_problems(tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    bad = folder / "broken.yaml"
    bad.write_text("version: 1\ntitle: Broken\nbrief: x\nturns: 5\nplayer: maya\n"
                   "teams:\n  - {id: support, name: Support\n", encoding="utf-8")
    paths = find_scenarios([library_dir(), folder], [])
    assert bad in paths
    index = paths.index(bad)
    app = TrustsimApp(paths, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        table = picker.query_one("#scenarios", DataTable)
        assert table.row_count == len(paths)
        assert "broken.yaml" in str(table.get_row_at(index)[0])
        await pilot.press(*["down"] * index)
        assert table.cursor_row == index
        assert "invalid" in static_text(picker.query_one("#summary", Static))
        await pilot.press("enter")
        problems = await wait_screen(pilot, ProblemsScreen)
        text = static_text(problems.query_one("#problems Static", Static))
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines
        for line in lines:
            assert line.startswith(f"{bad}:"), line
            _, row, col = line.split(":")[:3]
            assert row.isdigit() and col.isdigit(), line
        await pilot.press("escape")
        await wait_screen(pilot, PickerScreen)
        # the other scenarios still open
        chair = [p.name for p in paths].index(CHAIR.name)  # installed or in the repo
        await pilot.press(*(["up"] * (index - chair) if chair < index
                            else ["down"] * (chair - index)), "enter")
        brief = await wait_screen(pilot, BriefScreen)
        assert brief.scenario.setup.title == "New in the chair"
        await pilot.press("escape")
        await wait_screen(pilot, PickerScreen)
        # the trainer fixes the file while the picker is open: opening it again reads it
        bad.write_text(CHAIR.read_text(encoding="utf-8").replace(
            "title: New in the chair", "title: Fixed now"), encoding="utf-8")
        table.move_cursor(row=index)
        await pilot.press("enter")
        brief = await wait_screen(pilot, BriefScreen)
        assert brief.scenario.setup.title == "Fixed now"
        assert "Fixed now" in str(table.get_row_at(index)[0])


def _bytes_under(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file()]


async def test_damaged_save_is_reported_and_kept(trustsim_home: Path) -> None:
    """A save that is JSON but does not replay: an error screen, and the file is kept."""
    game = Game(load_scenario(CHAIR))
    game.act("quick_win", "tomas")
    data = game.to_save()
    data["log"].append({"do": "act", "act": "quick_win", "target": "nobody"})
    save = storage.autosave_path(str(CHAIR))
    save.parent.mkdir(parents=True)
    original = json.dumps(data).encode()
    save.write_bytes(original)

    app = TrustsimApp(SHIPPED, resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, ConfirmScreen)
        await pilot.press("enter")
        message = await wait_screen(pilot, MessageScreen)
        assert "nobody" in plain(message.body) or "cannot be replayed" in plain(message.body)
        await pilot.press("enter")
        await wait_screen(pilot, PickerScreen)
    assert original in _bytes_under(save.parent)
    assert list(save.parent.glob("*.corrupt-*.json"))


async def test_garbage_autosave_is_reported_and_kept(trustsim_home: Path) -> None:
    save = storage.autosave_path(str(CHAIR))
    save.parent.mkdir(parents=True)
    garbage = b"\x00\xffthis is not a save {{{"
    save.write_bytes(garbage)
    app = TrustsimApp(SHIPPED, resume=True)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        await pilot.press("enter")  # open New in the chair
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MessageScreen | BriefScreen))
        shown_error = isinstance(pilot.app.screen, MessageScreen)
        if not shown_error:
            # no complaint: start a game and play one act, as a user would
            await pilot.press("s")
            await game_idle(pilot)
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
            await pilot.press("q")
            await wait_screen(pilot, PickerScreen)
    assert garbage in _bytes_under(save.parent), "the unreadable save was overwritten"
    assert shown_error, "no message said the autosave could not be read"


# -- a dilemma ----------------------------------------------------------------------------


async def test_dilemma_answered_by_digit() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        await to_end_of_turn_4(pilot, screen)
        await end_turn(pilot, {"escalation": "take-it"})  # e, enter, then "2"
        screen = await game_idle(pilot)
        assert game.log[-2:] == [{"do": "end_turn"},
                                 {"do": "choose", "event": "escalation", "option": "take-it"}]
        assert game.turn == 5 and not game.pending
        assert game.capacity_left == 1
        # one act this turn (the status counts it out of the usual two)
        assert "1/1 acts left" in status_text(screen)  # this turn has one act


async def test_undone_dilemma_can_be_answered_again() -> None:
    from simulator.ui.screens.dialogs import DilemmaScreen

    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        await to_end_of_turn_4(pilot, screen)
        await end_turn(pilot, {"escalation": "ask-kwame"})
        await game_idle(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: game.pending == ["escalation"], what="the undo")
        await wait_screen(pilot, DilemmaScreen, timeout=3)


# -- Dutch -----------------------------------------------------------------------------------


async def test_dutch_interface() -> None:
    app = TrustsimApp(SHIPPED, language="nl", resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        assert picker.t.language == "nl"
        screen = await open_first_scenario_and_start(pilot)  # an English scenario
        assert screen.t.language == "nl"
        assert "Beurt 1/8" in status_text(screen)
        descriptions = {b.binding.description for b in app.active_bindings.values()
                        if b.binding.show}
        assert "Beurt klaar" in descriptions and "End turn" not in descriptions
        footer = screen.query_one(Footer)
        footer_text = " ".join(str(key.render()) for key in footer.children)
        assert "Beurt klaar" in footer_text and "Stoppen" in footer_text
        acts = screen.query_one(ActsPanel)
        acts_text = " ".join(choice.prompt.plain for choice in acts.choices)
        assert "Snel succes" in acts_text and "Quick win" not in acts_text
        # numbers as the Dutch write them: 0,27, not 0.27
        map_text = screen.query_one(OrgMap).text()
        assert re.search(r"\b0,\d\d\b", map_text), map_text
        assert not re.search(r"\b0\.\d\d\b", map_text), map_text
        # the table's sort key speaks Dutch too, and a report of yours reports to "jou"
        await pilot.press("v")
        await wait_for(pilot, lambda: screen.query_one(PeopleTable).display, what="the table")
        footer_text = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        assert "Sorteren" in footer_text and "Sort " not in footer_text
        await pilot.press("v")
        assert screen.query_one(OrgMap).cursor_id == "tomas"
        await pilot.press("enter")
        person = await wait_screen(pilot, PersonScreen)
        assert any("Rapporteert aan jou" in static_text(w) for w in person.query(Static))


# -- people table and help ----------------------------------------------------------------------


async def test_people_table_lists_everyone_but_the_player_and_sorts() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        table = screen.query_one(PeopleTable)
        assert not table.display
        await pilot.press("v")
        await wait_for(pilot, lambda: table.display and table.has_focus, what="the table")
        others = {pid for pid in game.world.ids if pid != game.player_id}
        rows = [str(table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value)
                for r in range(table.row_count)]
        assert set(rows) == others and len(rows) == len(others)
        orders = [rows]

        def marked() -> list[str]:
            return [str(c.key.value) for c in table.columns.values()
                    if str(c.label).endswith(("▲", "▼"))]

        assert marked() == ["trusts_you"]  # the header says how it is sorted
        for _ in range(3):
            await pilot.press("o")
            orders.append([str(table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value)
                           for r in range(table.row_count)])
        assert any(order != rows for order in orders[1:]), orders
        # at 80 columns the last columns are cut off: o sorts only by those that show
        shown = table._visible_columns()
        assert len(shown) < len(PeopleTable.COLUMNS)
        seen = set()
        for _ in range(len(PeopleTable.COLUMNS)):
            await pilot.press("o")
            seen.update(marked())
        assert seen == {PeopleTable.COLUMNS[i] for i in shown}, (seen, shown)
        assert "o" in [b.key for _, b, enabled, _ in screen.active_bindings.values()
                       if b.show and enabled]  # in the footer with the table
        # back to the map
        await pilot.press("v")
        await wait_for(pilot, lambda: not table.display, what="the map")


async def test_help_lists_every_command() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        t = screen.t
        await pilot.press("question_mark")
        help_screen = await wait_screen(pilot, HelpScreen)
        text = static_text(help_screen.query_one("#keys Static", Static), width=160)
        rows = text.splitlines()
        for cmd in GAME_COMMANDS:
            label = t(f"act.{cmd.act}") if cmd.act else t(cmd.label)
            key = key_label(cmd)
            assert any(row.split()[:1] == [key] and label in row for row in rows), (key, label)
        # and what the map's symbols mean, each band of trust with its bound
        assert "◑ under 0.60" in text and "● from 0.80" in text and "◆" in text
        await pilot.press("escape")
        await game_idle(pilot)


async def test_enter_on_a_person_in_the_map_opens_details() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        # the map starts on the first of the player's people: Tomás
        await pilot.pause()
        assert screen.query_one(OrgMap).cursor_id == "tomas"
        await pilot.press("enter")
        person = await wait_screen(pilot, PersonScreen)
        assert person.pid == "tomas"
        await pilot.press("escape")
        await game_idle(pilot)


async def test_enter_in_the_people_table_opens_details() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        await pilot.press("v")
        table = screen.query_one(PeopleTable)
        await wait_for(pilot, lambda: table.has_focus, what="the table")
        await pilot.press("down")
        expected = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("enter")
        person = await wait_screen(pilot, PersonScreen, timeout=2)
        assert person.pid == expected


# -- rough edges found while testing ------------------------------------------------------


async def test_typing_a_name_in_the_target_list_picks_that_person() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        panel = await open_targets(pilot, screen)
        assert len(panel.offered) > FILTER_FROM, "a list that says typing filters it"
        await pilot.press(*"sami")
        assert offered_ids(panel) == ["sami"]
        await pilot.press("enter")
        await game_idle(pilot)
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "sami"}]


async def test_escape_on_the_brief_of_a_single_scenario() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, BriefScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code is not None or type(app.screen) is not Screen, \
            "a blank screen"


async def test_question_mark_on_the_picker() -> None:
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        assert "? " in picker.t("picker.hint")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is not picker, timeout=2,
                       what="a help screen")
        # the picker's own keys, not the game's
        text = static_text(app.screen.query_one("#keys Static", Static), width=160)
        assert "Quit trustsim" in text and "Quick win" not in text


async def test_the_whole_brief_can_be_read_at_80x24() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        await pilot.pause()
        scroll = brief.query_one("#brief-scroll")
        assert scroll.max_scroll_y > 0, "the brief fits: this test needs one that does not"
        assert brief.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y


async def test_the_whole_debrief_can_be_read_at_80x24() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        for cmd in reference_commands(CHAIR)[:-1]:
            screen.do(partial(game.execute, cmd))
        await end_turn(pilot)
        debrief = await wait_screen(pilot, DebriefScreen)
        await pilot.pause()
        scroll = debrief.query_one("#debrief-scroll")
        assert scroll.max_scroll_y > 0
        assert debrief.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y


async def test_picker_titles_never_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.geometry import Region

    show_entries = PickerScreen.show_entries

    def show_then_paint(self: PickerScreen, entries: list[Any]) -> None:
        show_entries(self, entries)
        table = self.query_one("#scenarios", DataTable)
        table.render_lines(Region(0, 0, table.size.width, table.size.height))  # a paint

    monkeypatch.setattr(PickerScreen, "show_entries", show_then_paint)
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        await pilot.pause(0.2)
        table = picker.query_one("#scenarios", DataTable)
        shown = [table.render_line(y).text for y in range(1, 1 + table.row_count)]
        for entry, line in zip(picker.entries, shown, strict=True):
            assert entry.scenario is not None
            assert entry.scenario.setup.title in line, line


# -- choosing whom an act is for, in the acts panel --------------------------------------------


async def test_select_someone_on_the_map_then_an_act_then_enter() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        org_map = screen.query_one(OrgMap)
        await pilot.press("down")  # from Tomás to Inès
        assert org_map.cursor_id == "ines"
        panel = await open_targets(pilot, screen)
        assert panel.highlighted_id == "ines"
        assert offered_ids(panel)[0] == "ines", "the one selected comes first"
        assert sorted(offered_ids(panel)) == sorted(screen.game.targets("quick_win"))
        assert org_map.has_focus, "choosing moves no focus"
        await pilot.press("enter")
        await game_idle(pilot)
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "ines"}]
        assert not panel.choosing and "w Quick win" in panel.choices[0].prompt.plain


async def test_while_choosing_letters_filter_and_other_commands_wait() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        panel = await open_targets(pilot, screen)
        # the footer's keys are dimmed: their letters go to the filter now
        end_turn_key = next(k for k in screen.query("FooterKey") if k.action == "end_turn")
        await wait_for(pilot, lambda: end_turn_key.has_class("-disabled"), what="dimmed keys")
        await pilot.press("e", "u", "q")  # end turn, undo, quit: typed, not done
        assert game.turn == 1 and screen.is_current
        assert panel.shown_ids == []  # nobody is called "euq"
        await pilot.press("escape")  # clears the filter
        assert len(panel.shown_ids) == len(panel.offered)
        await pilot.press("escape")  # cancels the choice
        await wait_for(pilot, lambda: not panel.choosing, what="the acts again")
        assert game.log == []
        await wait_for(pilot, lambda: not end_turn_key.has_class("-disabled"),
                       what="the keys back")


async def test_a_click_on_the_map_answers_the_choice() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        org_map = screen.query_one(OrgMap)
        await open_targets(pilot, screen)
        line = next(n for n, text in enumerate(org_map.text().splitlines()) if "Jon Park" in text)
        await pilot.click(OrgMap, offset=(12, line - org_map._top))
        await game_idle(pilot)
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "jon"}]


async def test_connect_asks_for_two_people_of_different_teams() -> None:
    app = TrustsimApp([SHIPPED[1]], resume=False, single=True)  # Two floors
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game, w = screen.game, screen.game.world
        panel = await open_targets(pilot, screen, "connect")
        first = panel.highlighted_id
        assert first is not None
        asked = panel._future
        await pilot.press("enter")
        await wait_for(pilot, lambda: panel._future is not asked and panel.asking,
                       what="the second person")
        team = w.team[w.index[first]]
        assert panel.offered and all(w.team[w.index[pid]] != team for pid in panel.offered)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not panel.choosing, what="the acts again")
        assert game.log == []
        # someone of the other floor first: you may be the second, shown as yourself
        panel = await open_targets(pilot, screen, "connect")
        asked = panel._future
        await pilot.press(*"carla", "enter")
        await wait_for(pilot, lambda: panel._future is not asked and panel.asking,
                       what="the second person")
        you = next(c for c in panel.choices if c.id == game.player_id)
        assert you.prompt.plain.startswith("★ Daniel Brandt (you)"), you.prompt.plain


async def test_an_act_stays_in_view_with_all_it_changed() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        await play_command(pilot, {"do": "act", "act": "keep_promise", "promise": "rota"})
        await game_idle(pilot)
        log = screen.query_one(EventLog)
        shown = [log.render_line(y).text for y in range(log.content_size.height)]
        assert any("Keep promise" in line for line in shown), shown
        assert any("kept" in line for line in shown), shown  # the promise record too


async def test_no_acts_left_is_said_once_above_the_acts() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        for target in ("tomas", "sami"):
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": target})
        panel = screen.query_one(ActsPanel)
        first = panel.choices[0]
        assert first.id is None and not first.enabled
        assert "no acts left" in first.prompt.plain
        assert not any(choice.enabled for choice in panel.choices)
        assert sum("no acts left" in c.prompt.plain for c in panel.choices) == 1


async def test_the_people_table_sorts_numbers_in_the_scenarios_language() -> None:
    app = TrustsimApp([RUIMTE], resume=False, single=True)  # Dutch: 0,30
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        await pilot.press("v")
        table = screen.query_one(PeopleTable)
        await wait_for(pilot, lambda: table.display and table.row_count, what="the table")
        # the first columns are the ones that matter: name, trust in you, change
        assert table.COLUMNS[:3] == ("name", "trusts_you", "change")
        shown = [table.get_row_at(r)[1].plain for r in range(table.row_count)]
        values = [float(text.split()[-1].replace(",", ".")) for text in shown]
        assert all("," in text for text in shown)
        assert values == sorted(values, reverse=True), shown


async def test_wide_terminals_give_the_target_list_more_room() -> None:
    widths = {}
    for size in ((80, 24), (200, 60)):
        app = TrustsimApp([CHAIR], resume=False, single=True)
        async with app.run_test(size=size) as pilot:
            screen = await start_single(pilot)
            await pilot.pause()
            widths[size[0]] = screen.query_one(ActsPanel).size.width
            if size[0] == 200:  # the map uses the width for columns of teams
                assert max(line.count("╭") for line in
                           screen.query_one(OrgMap).text().splitlines()) >= 2
    assert widths[200] > widths[80]


async def test_an_act_from_the_command_palette_or_a_click_in_the_acts() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        panel = screen.query_one(ActsPanel)
        # the palette: find "Quick win" by name, then the person selected on the map
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen is not screen, what="the palette")
        await pilot.press(*"quick win")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and panel.asking,
                       what="the targets")
        await pilot.press("enter")
        await game_idle(pilot)
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "tomas"}]
        # a click on an act in the list, then on a person in it
        recognise = next(n for n, c in enumerate(panel.choices) if c.id == "recognise")
        await pilot.click(ActsPanel, offset=(4, recognise))
        await wait_for(pilot, lambda: panel.asking, what="the targets")
        # a person in view (the panel shows a few rows at 80x24)
        row, person = next((n, c.id) for n, c in enumerate(panel.choices)
                           if c.id and 0 <= n - panel._top < panel.size.height)
        await pilot.click(ActsPanel, offset=(4, row - panel._top))
        await game_idle(pilot)
        assert screen.game.log[-1] == {"do": "act", "act": "recognise", "target": person}


async def test_home_and_end_go_to_the_first_and_last_scenario() -> None:
    app = TrustsimApp(SHIPPED, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        table = picker.query_one("#scenarios", DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_the_collector_is_calmed_during_a_game_and_restored_after() -> None:
    import gc

    before = gc.get_threshold()
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        await start_single(pilot)
        await wait_for(pilot, lambda: gc.get_threshold()[0] >= 50_000, what="a calm collector")
        assert gc.get_freeze_count() > 0
        await pilot.press("q")
        await pilot.pause()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_keys_right_after_an_act_do_what_they_say() -> None:
    """The acts list comes back a frame after the act's result; a key in between ends
    the turn, it does not type into the list of targets."""
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        panel = await open_targets(pilot, screen)
        await pilot.press("enter", "e")
        # one act is left: e asks before it ends the turn (and typed nothing)
        await wait_screen(pilot, "EndTurnScreen")
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "tomas"}]
        await pilot.press("enter")
        await wait_screen(pilot, "TurnScreen")
        assert screen.game.log == [{"do": "act", "act": "quick_win", "target": "tomas"},
                                   {"do": "end_turn"}]
        await pilot.press("enter")
        await game_idle(pilot)
        assert not panel.choosing and panel.choices[0].id == "quick_win"


async def test_a_choice_selected_twice_acts_once() -> None:
    """Two quick enters on the list of targets (the list has the focus): the second
    selection arrives after the act, when the list is no longer a list of targets. It is
    dropped, not taken as an act named after the target (found by the random-keys test)."""
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        panel = await open_targets(pilot, screen, "keep_promise")
        panel.focus()
        await pilot.pause()
        rota = next(n for n, c in enumerate(panel.choices) if c.id == "rota")
        for _ in range(2):  # both queued before either is handled
            panel.post_message(ActsPanel.Selected(panel, panel.choices[rota], rota))
        await game_idle(pilot)
        assert screen.game.log == [{"do": "act", "act": "keep_promise", "promise": "rota"}]
        assert app.is_running and app._exception is None
        # a stale selection of a target while a new question is open answers nothing
        panel = await open_targets(pilot, screen, "quick_win")
        stale = next(c for c in panel.choices if c.id == "tomas")
        panel.post_message(ActsPanel.Selected(panel, type(stale)("rota", stale.prompt), 0))
        await pilot.pause()
        assert panel.asking and len(screen.game.log) == 1


async def test_a_tall_terminal_gives_the_log_more_of_the_story() -> None:
    """At 80x24 an act shows its biggest changes and "... and N smaller changes"; at 40
    rows the log is taller and lists more of them, the act's own line still in view."""
    shown_changes = {}
    for size in (SIZE, (120, 40)):
        storage.autosave_path(str(CHAIR)).unlink(missing_ok=True)  # no offer to resume
        app = TrustsimApp([CHAIR], resume=False, single=True)
        async with app.run_test(size=size) as pilot:
            screen = await start_single(pilot)
            # a quick win for the whole team: many changes, more than 80x24 can list
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": "support"})
            log = screen.query_one(EventLog)
            shown = [log.render_line(y).text for y in range(log.content_size.height)]
            assert any("Quick win" in line for line in shown), shown
            shown_changes[size[1]] = sum("trust in you" in line for line in shown)
    assert shown_changes[40] > shown_changes[24] >= 3, shown_changes


async def test_a_stray_enter_does_not_answer_a_dilemma() -> None:
    """The enter that closes the turn's report, pressed twice, must not choose the first
    option of the decision that opens next: nothing is highlighted until an arrow is."""
    from simulator.ui.screens.dialogs import DilemmaScreen, TurnScreen

    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        await to_end_of_turn_4(pilot, screen)
        await pilot.press("e")
        await wait_screen(pilot, TurnScreen)
        await pilot.press("enter")
        dilemma = await wait_screen(pilot, DilemmaScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dilemma and game.pending == ["escalation"]
        await pilot.press("down", "enter")  # the arrows, then enter: the first option
        await wait_for(pilot, lambda: not game.pending, what="the choice")
        first = dilemma.event.options[0][0]
        assert game.log[-1] == {"do": "choose", "event": "escalation", "option": first}


def test_trend_bars_keep_one_scale() -> None:
    from simulator.ui.screens.trends import bars

    assert bars([0.0, 0.5, 1.0], 0.0, 1.0) == "▁▅█"
    # a small change is a small step, not the whole height
    assert bars([0.39, 0.40], 0.0, 1.0) == "▄▄"
    assert bars([-1.0, None, 2.0], -1.0, 1.0) == "▁ █"


async def test_trends_show_each_turn_and_now_on_fixed_scales() -> None:
    from simulator.ui.screens.trends import TrendRows, TrendsScreen

    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        game = screen.game
        await end_turn(pilot)
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        await pilot.press("t")
        trends = await wait_screen(pilot, TrendsScreen)
        rows = trends.query_one(TrendRows).rows
        # two turn starts and now
        assert all(len(line) == len(game.history) + 1 == 3 for _, line, _ in rows)
        numbers = [numbers for _, _, numbers in rows]
        now = game.metrics()["trust_in_player"]
        assert numbers[0].endswith(f"{now:.2f}"), numbers[0]
        # each row on one line: the label, then the bars, then the numbers
        lines = str(trends.query_one(TrendRows).render()).splitlines()
        assert len(lines) == len(rows)
        assert lines[0].startswith(rows[0][0]) and lines[0].rstrip().endswith(numbers[0])
        assert rows[0][1] in lines[0]
        assert "E-I index" in static_text(trends.query_one(".hint", Label))
        await pilot.press("escape")
        await game_idle(pilot)


async def test_a_dimmed_key_says_why_it_does_nothing() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)

        def said() -> list[str]:
            return [str(n.message) for n in app._notifications]

        await pilot.press("x")
        await wait_for(pilot, lambda: any("debrief opens when the game is over (after turn 8)"
                                          in m for m in said()), what="why x waits")
        assert not isinstance(app.screen, DebriefScreen)
        for target in ("tomas", "sami"):
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": target})
        await pilot.press("w")  # no acts left this turn
        await wait_for(pilot, lambda: any(m.startswith("Not possible:") for m in said()),
                       what="why w waits")
        await game_idle(pilot)
        assert len(screen.game.log) == 2 and not screen.query_one(ActsPanel).choosing
        # an available key says nothing of the sort
        before = len(said())
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is not screen, what="the trends")
        assert len(said()) == before
        await pilot.press("escape")
        await game_idle(pilot)
        assert said()
        await pilot.press("q")  # leaving the game takes its notices with it
        await wait_for(pilot, lambda: said() == [], what="the notices to go")


async def test_acts_waiting_for_the_same_reason_say_it_once() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        await play_command(pilot, {"do": "act", "act": "keep_promise", "promise": "rota"})
        await game_idle(pilot)
        panel = screen.query_one(ActsPanel)
        prompts = {c.id: c.prompt.plain for c in panel.choices}
        reason = screen._why(screen.game.availability()["keep_promise"])
        assert reason and reason == screen._why(screen.game.availability()["break_promise"])
        assert reason not in prompts["keep_promise"] and reason in prompts["break_promise"]
        assert sum(p.count(reason) for p in prompts.values()) == 1


async def test_the_log_scrolls_back_with_the_keyboard() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot)
        for target in ("tomas", "sami"):
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": target})
        log = screen.query_one(EventLog)
        height = log.content_size.height

        def shown() -> list[str]:
            return [log.render_line(y).text for y in range(height)]

        assert not any("The game begins" in line for line in shown())
        for _ in range(5):
            await pilot.press("shift+up")
        assert any("The game begins" in line for line in shown()), shown()
        for _ in range(5):
            await pilot.press("shift+down")
        assert any("Sami Haddad" in line for line in shown()) and \
            not any("The game begins" in line for line in shown())
