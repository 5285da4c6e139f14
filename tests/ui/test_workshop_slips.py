"""What a trainee hit in the workshop's trial run (issue 15), each fixed: the map's markers
after a rewind, a resumed save of an edited file, ending a turn with acts left, a dilemma
that cuts acts, texts cut at 80x24, pop-ups over the log, wording, look-alike files."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import (
    CHAIR,
    FLOORS,
    SCENARIOS,
    game_idle,
    open_targets,
    pick,
    play_command,
    reference_commands,
    wait_for,
    wait_screen,
)
from textual.widgets import DataTable, Static

from simulator.experiments.starter import starter_yaml
from simulator.i18n import Messages
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.screens.dialogs import (
    ConfirmScreen,
    DilemmaScreen,
    EndTurnScreen,
    MessageScreen,
    TurnScreen,
)
from simulator.ui.screens.game import GameScreen, game_screen
from simulator.ui.screens.picker import BriefScreen, PickerScreen
from simulator.ui.widgets import OrgMap
from simulator.ui.widgets.log import EventLog

SIZE = (80, 24)


async def _start(pilot: Any) -> GameScreen:
    """`trustsim play FILE`: the brief, then s."""
    await wait_screen(pilot, BriefScreen)
    await pilot.press("s")
    screen: GameScreen = await game_idle(pilot)
    return screen


def _lines(widget: Any) -> list[str]:
    """What a line-drawn widget (map, log, acts) shows, line by line."""
    return [widget.render_line(y).text for y in range(widget.content_size.height)]


def _said(app: TrustsimApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- the map after a rewind -------------------------------------------------------------------


async def test_a_rewind_takes_the_undone_acts_markers_off_the_map() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        game = screen.game
        for cmd in ({"do": "act", "act": "quick_win", "target": "tomas"},
                    {"do": "act", "act": "keep_promise", "promise": "rota"},
                    {"do": "end_turn"}):
            assert screen.do(partial(game.execute, cmd)) is not None
        await game_idle(pilot)
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "sami"})
        org_map = screen.query_one(OrgMap)
        assert any("◆" in line for line in _lines(org_map)), "no marker after the act"
        await pilot.press("g")
        await pick(pilot, "2")  # back to the start of turn 2: the quick win is undone
        await game_idle(pilot)
        assert game.turn == 2 and len(game.log) == 3
        assert screen.highlight == set() and screen.deltas == {}
        assert not any("◆" in line or "▲" in line for line in _lines(org_map)), \
            _lines(org_map)


# -- undo and redo say so in the log, in no pop-up over it ------------------------------------


async def test_undo_and_redo_are_told_in_the_log_not_in_a_pop_up() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        log = screen.query_one(EventLog)
        await pilot.press("u")
        await wait_for(pilot, lambda: not screen.game.log, what="the undo")
        await game_idle(pilot)
        assert log.texts[-1].plain == "Undone: Quick win Tomás Ruiz"
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.game.log, what="the redo")
        await game_idle(pilot)
        assert log.texts[-1].plain == "Redone: Quick win Tomás Ruiz"
        assert not any(m.startswith(("Undone", "Redone")) for m in _said(app)), _said(app)
        assert "Redone: Quick win Tomás Ruiz" in _lines(log)[-1]  # in view, not covered


# -- ending a turn with acts left -------------------------------------------------------------


async def test_ending_a_turn_with_acts_left_asks_once() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        game = screen.game
        await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
        await pilot.press("e")
        ask = await wait_screen(pilot, EndTurnScreen)
        assert ask.left == 1
        body = str(ask.query_one(".dialog-body", Static).content)
        assert body == "You have 1 act left this turn; an act you do not use is lost."
        await pilot.press("escape")  # keep playing
        await game_idle(pilot)
        assert game.turn == 1 and game.log[-1]["do"] == "act"
        await pilot.press("e")
        await wait_screen(pilot, EndTurnScreen)
        await pilot.press("enter")  # end it
        await wait_screen(pilot, TurnScreen)
        assert game.turn == 2
        await pilot.press("enter")
        await game_idle(pilot)
        # both acts used: no question
        for target in ("tomas", "sami"):
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": target})
        await pilot.press("e")
        await wait_screen(pilot, TurnScreen)
        assert game.turn == 3


async def test_a_setting_stops_the_question_and_the_palette_brings_it_back(
        trustsim_home: Path) -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        game = screen.game
        await pilot.press("e")
        await wait_screen(pilot, EndTurnScreen)
        await pilot.press("n")  # end it, and stop asking
        await wait_screen(pilot, TurnScreen)
        assert game.turn == 2
        settings = storage.settings_path()
        assert str(settings).startswith(str(trustsim_home))
        assert json.loads(settings.read_text(encoding="utf-8")) == {"confirm_end_turn": False}
        await pilot.press("enter")
        await game_idle(pilot)
        await pilot.press("e")  # two acts left, and no question
        await wait_screen(pilot, TurnScreen)
        assert game.turn == 3
        await pilot.press("enter")
        await game_idle(pilot)
        # the command palette says the setting and switches it back on
        commands = {c.title: c for c in app.get_system_commands(screen)}
        off = "Ask before ending a turn with acts left: off"
        assert off in commands
        commands[off].callback()
        assert storage.setting("confirm_end_turn") is True
        await pilot.press("e")
        await wait_screen(pilot, EndTurnScreen)


def test_a_served_sessions_setting_is_its_own(monkeypatch: pytest.MonkeyPatch,
                                              trustsim_home: Path) -> None:
    """Under `trustsim serve` every browser's choice stays with it: no settings file."""
    monkeypatch.setattr(storage, "_SESSION", "20250101-000000-1")
    monkeypatch.setattr(storage, "_SESSION_SETTINGS", {})
    storage.set_setting("confirm_end_turn", False)
    assert storage.setting("confirm_end_turn") is False
    assert not storage.settings_path().exists()


def test_a_damaged_settings_file_counts_as_none(trustsim_home: Path) -> None:
    path = storage.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{not json", '["confirm_end_turn"]', '{"confirm_end_turn": "no"}'):
        path.write_text(text, encoding="utf-8")
        assert storage.setting("confirm_end_turn") is True
    storage.set_setting("confirm_end_turn", False)
    assert json.loads(path.read_text(encoding="utf-8")) == {"confirm_end_turn": False}


# -- a dilemma that costs an act ------------------------------------------------------------


async def test_a_dilemma_that_costs_an_act_costs_it_now_and_says_so() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        game = screen.game
        for cmd in reference_commands(CHAIR)[:11]:
            assert screen.do(partial(game.execute, cmd)) is not None, cmd
        await game_idle(pilot)
        await pilot.press("e")  # no act left: no question
        await wait_screen(pilot, TurnScreen)
        await pilot.press("enter")
        dilemma = await wait_screen(pilot, DilemmaScreen)
        # the status line names the decision without cutting it (80 columns)
        status = str(screen.query_one("#status", Static).content)
        assert len(status) <= SIZE[0] and status.rstrip().endswith("A decision is waiting")
        await pilot.press(str([o for o, _ in dilemma.event.options].index("take-it") + 1))
        outcome = await wait_screen(pilot, MessageScreen)
        assert "one act fewer this turn" in str(outcome.body)
        await pilot.press("enter")
        await game_idle(pilot)
        assert game.turn == 5 and game.capacity_left == game.turn_capacity == 1
        said = [t.plain.strip() for t in screen.query_one(EventLog).texts]
        assert "This turn you have 1 act instead of 2." in said


def test_shipped_dilemmas_say_when_an_act_is_lost() -> None:
    """A dilemma's capacity effect applies to the turn in which it is answered
    (docs/authoring.md): no shipped option says "next turn" for it."""
    checked = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        setup = load_scenario(path).setup
        for event in setup.events:
            for option in event.options:
                if any(getattr(e, "kind", "") == "capacity" or type(e).__name__.startswith(
                        "Capacity") for e in option.effects):
                    checked += 1
                    assert "next turn" not in option.outcome.lower(), (path.name, option.id)
                    assert "volgende beurt" not in option.outcome.lower()
    assert checked >= 5


def test_the_status_line_fits_its_width() -> None:
    game = Game(load_scenario(CHAIR))
    for cmd in [*reference_commands(CHAIR)[:11], {"do": "end_turn"}]:
        game.execute(cmd)
    assert game.pending == ["escalation"]
    screen = game_screen("en")(game, Messages("en"))
    wide = screen.status_line(120).plain
    assert wide.endswith("A decision is waiting: A customer escalation")
    narrow = screen.status_line(80).plain
    assert len(narrow) <= 80 and narrow.endswith("A decision is waiting")
    # a title too long for a narrow terminal gives way, marked
    game.setup.title = "A very long scenario title that a trainer wrote in full"
    tight = screen.status_line(60).plain
    assert len(tight) <= 60 and "…" in tight and "Turn 5/8" in tight


# -- texts cut at 80x24 ----------------------------------------------------------------------


async def test_the_target_filter_and_a_long_question_are_not_cut() -> None:
    app = TrustsimApp([FLOORS], resume=False, single=True, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _start(pilot)
        panel = await open_targets(pilot, screen, "connect")
        await pilot.press("enter")  # the first person; now: who meets them?
        await wait_for(pilot, lambda: "ontmoet" in str(
            screen.query_one("#acts-label").render()), what="the second question")
        await pilot.press("a")  # a filter
        await pilot.pause()
        shown = " ".join(line.strip() for line in _lines(panel)[:4])
        assert "Esc wist" in shown and "…" not in shown, shown
        label = screen.query_one("#acts-label")
        assert label.has_class("-two-lines") and label.size.height == 2
        question = " ".join(line.strip() for line in _lines(label))
        assert question.startswith("Verbinden: wie ontmoet ") and "…" not in question
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: not panel.choosing, what="the acts again")
        await game_idle(pilot)
        assert not label.has_class("-two-lines") and label.size.height == 1


# -- a resumed save of an edited file ---------------------------------------------------------


def _saved_game(path: Path) -> list[dict[str, Any]]:
    """A game of ``path`` with one act, autosaved where the interface looks for it."""
    game = Game(load_scenario(path))
    game.act("quick_win", "tomas")
    save = storage.autosave_path(str(path))
    game.save(save)
    return list(game.log)


@pytest.mark.parametrize("answer", ["resume", "afresh"])
async def test_a_resumed_save_of_an_edited_file_says_so(tmp_path: Path, answer: str) -> None:
    path = tmp_path / "chair.yaml"
    path.write_text(CHAIR.read_text(encoding="utf-8"), encoding="utf-8")
    log = _saved_game(path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: New in the chair", "title: New in the chair, revised"), encoding="utf-8")
    app = TrustsimApp([path], resume=True, single=True)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await wait_screen(pilot, ConfirmScreen)
        assert "has changed since this game was saved" in confirm.body
        assert confirm.yes == "Resume the saved version" and confirm.no == "Start afresh"
        if answer == "resume":
            await pilot.press("enter")
            screen = await game_idle(pilot)
            assert screen.game.log == log
            assert screen.game.setup.title == "New in the chair"  # the version it kept
        else:
            await pilot.press("escape")
            brief = await wait_screen(pilot, BriefScreen)
            assert brief.scenario.setup.title == "New in the chair, revised"
            await pilot.press("s")
            screen = await game_idle(pilot)
            assert screen.game.log == [] and \
                screen.game.setup.title == "New in the chair, revised"


async def test_an_unchanged_file_resumes_as_before(tmp_path: Path) -> None:
    path = tmp_path / "chair.yaml"
    # a BOM: the save keeps the text without it, and that is no change
    path.write_bytes(b"\xef\xbb\xbf" + CHAIR.read_bytes())
    _saved_game(path)
    app = TrustsimApp([path], resume=True, single=True)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await wait_screen(pilot, ConfirmScreen)
        assert "changed" not in confirm.body and confirm.yes == "Resume"
        await pilot.press("enter")
        screen = await game_idle(pilot)
        screen.action_save()  # saved again, from the text it kept
        await pilot.press("q")
    app = TrustsimApp([path], resume=True, single=True)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await wait_screen(pilot, ConfirmScreen)
        assert "changed" not in confirm.body


async def test_the_pickers_offer_to_resume_says_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "chair.yaml"
    path.write_text(CHAIR.read_text(encoding="utf-8"), encoding="utf-8")
    _saved_game(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    app = TrustsimApp([path], resume=True)
    async with app.run_test(size=SIZE) as pilot:
        confirm = await wait_screen(pilot, ConfirmScreen)
        assert "has changed since this game was saved" in confirm.body
        assert confirm.yes == "Resume the saved version"


# -- wording ---------------------------------------------------------------------------------


async def test_one_team_and_one_act_read_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "solo.yaml"
    path.write_text(starter_yaml("solo", people=4, teams=1).replace(
        "capacity: 2", "capacity: 1"), encoding="utf-8")
    assert load_scenario(path).setup.capacity == 1
    app = TrustsimApp([path], resume=False, single=True)
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        assert "4 people in 1 team, 8 turns, 1 act per turn." in _markdown(brief)
    nl = Messages("nl")
    assert nl("brief.you_are", name="X", people=nl.count("person", 1),
              teams=nl.count("team", 2), turns=nl.count("turn", 1),
              acts=nl.count("act", 1)) == \
        "Je speelt X. 1 persoon in 2 teams, 1 beurt, 1 actie per beurt."
    en = Messages("en")
    assert en("game.resumed", turn=2, count=1).startswith("Resumed at turn 2 (1 act played")
    assert en("log.drift", within="0.001", across="0.000", count=1).endswith(
        "1 unused tie weakened")
    assert en("change.ties_more", count=1, before="0.10", after="0.20").startswith(
        "1 working tie grew stronger")
    assert en("change.more", count=1) == "… and 1 smaller change"


def _markdown(screen: BriefScreen) -> str:
    from textual.widgets import Markdown

    return str(screen.query_one(Markdown).source)


def test_a_change_that_rounds_to_zero_has_no_sign() -> None:
    for language, zero in (("en", "0.000"), ("nl", "0,000")):
        t = Messages(language)
        assert t.num(-0.0001, "+.3f") == zero and t.num(0.0002, "+.3f") == zero
        assert t.num(-0.004, "+.2f") == zero[:-1]
        assert t.num(-0.012, "+.3f").startswith("-0")
        line = t("log.drift", within=t.num(-0.0003, "+.3f"), across=t.num(-0.012, "+.3f"),
                 count=4)
        assert "-0.000" not in line and "-0,000" not in line


async def test_files_with_the_same_title_show_their_names(tmp_path: Path) -> None:
    for name in ("chair-a.yaml", "chair-b.yaml"):
        (tmp_path / name).write_text(CHAIR.read_text(encoding="utf-8"), encoding="utf-8")
    paths = [FLOORS, tmp_path / "chair-a.yaml", tmp_path / "chair-b.yaml"]
    app = TrustsimApp(paths, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        table = picker.query_one("#scenarios", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(3)]
        assert titles == ["Two floors", "New in the chair · chair-a.yaml",
                          "New in the chair · chair-b.yaml"]
