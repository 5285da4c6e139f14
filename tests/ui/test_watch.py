"""`trustsim play FILE --watch`: the game reloads its file when it changes, replaying the
acts so far where they still apply; a broken file is reported and the game plays on."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import FLOORS, game_idle, wait_for, wait_screen
from textual.widgets import Markdown
from typer.testing import CliRunner

from simulator.cli import app as cli_app
from simulator.experiments.reload import replay
from simulator.launch import Plan, interface_plan
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.screens.dialogs import ConfirmScreen, PersonScreen
from simulator.ui.screens.game import GameScreen
from simulator.ui.screens.picker import BriefScreen
from simulator.ui.widgets.log import EventLog

SIZE = (80, 24)

PLAYED = [
    {"do": "act", "act": "quick_win", "target": "priya"},
    {"do": "act", "act": "coach", "target": "oskar"},
    {"do": "end_turn"},
    {"do": "act", "act": "quick_win", "target": "mei"},
]


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of Two floors to edit, and a watch that looks often (the real timer runs)."""
    monkeypatch.setattr(TrustsimApp, "WATCH_INTERVAL", 0.05)
    path = tmp_path / "two-floors.yaml"
    shutil.copyfile(FLOORS, path)
    return path


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def notices(app: TrustsimApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def log_text(screen: GameScreen) -> str:
    return "\n".join(text.plain for text in screen.query_one(EventLog).texts)


async def start_and_play(pilot: Any, commands: list[dict[str, Any]]) -> GameScreen:
    await wait_screen(pilot, BriefScreen)
    await pilot.press("s")
    screen: GameScreen = await game_idle(pilot)
    for cmd in commands:
        # what the keys call (the keyboard itself is tested in test_pilot)
        assert screen.do(partial(screen.game.execute, cmd)) is not None, cmd
        screen = await game_idle(pilot)
    return screen


async def test_an_edited_file_reloads_and_replays_the_acts(scenario: Path) -> None:
    app = TrustsimApp([scenario], single=True, resume=False, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_and_play(pilot, PLAYED)
        old = screen.game
        assert old.log == PLAYED
        # the author renames Oskar's id (so coaching him no longer applies) and Priya
        edit(scenario, ("oskar", "oscar"), ("name: Priya Nair", "name: Priya N. Nair"))
        await wait_for(pilot, lambda: screen.game is not old, what="the reload")
        game = screen.game
        assert game.log == [PLAYED[0], PLAYED[2], PLAYED[3]]
        assert game.turn == 2 and game.capacity_left == 1
        assert "Priya N. Nair" in game.world.names and "oscar" in game.world.index
        # exactly the game the new file gives with those commands
        fresh = Game(load_scenario(scenario))
        for cmd in game.log:
            fresh.execute(cmd)
        assert fresh.fingerprint() == game.fingerprint()
        said = ("Reloaded two-floors.yaml: replayed 2 of 3 acts. “Coach Oskar Lind” no "
                "longer applies: there is nobody called 'oskar'")
        await wait_for(pilot, lambda: said in notices(app), what="the notice")
        assert said in log_text(screen)
        # the map and the acts follow the new game
        await game_idle(pilot)
        assert "Priya N. Nair" in screen.query_one("#map").text()
        # and the game goes on: undo takes back the last replayed act
        screen.action_undo()
        assert game.log == [PLAYED[0], PLAYED[2]]


async def test_a_broken_file_is_reported_and_the_last_good_version_plays_on(
        scenario: Path) -> None:
    app = TrustsimApp([scenario], single=True, resume=False, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_and_play(pilot, PLAYED[:1])
        old = screen.game
        edit(scenario, ("turns: 10", "turns: ten"))
        await wait_for(pilot, lambda: any("is not valid now" in n for n in notices(app)),
                       what="the problem to be reported")
        message = next(n for n in notices(app) if "is not valid now" in n)
        # the first problem, with its line and column
        assert message == ("two-floors.yaml is not valid now: 23:8: turns: expected a whole "
                           "number (got 'ten'). Still playing the last good version.")
        assert screen.game is old and old.log == PLAYED[:1]
        assert screen.do(partial(old.execute, PLAYED[1])) is not None  # it plays on
        # fixed, with a change: reloaded, both acts replayed
        edit(scenario, ("turns: ten", "turns: 12"))
        await wait_for(pilot, lambda: screen.game is not old, what="the reload")
        assert screen.game.turns == 12 and screen.game.log == PLAYED[:2]
        await wait_for(pilot, lambda: "Reloaded two-floors.yaml: replayed 2 of 2 acts."
                       in notices(app), what=f"the notice {notices(app)}")


async def test_under_a_dialog_the_reload_waits(scenario: Path) -> None:
    app = TrustsimApp([scenario], single=True, resume=False, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_and_play(pilot, PLAYED[:1])
        old = screen.game
        await screen.run_action("details")
        await wait_screen(pilot, PersonScreen)
        edit(scenario, ("name: Priya Nair", "name: Priya N. Nair"))
        await wait_for(pilot, lambda: app._watch_pending is not None,
                       what="the new version to be read")
        await pilot.pause()
        assert screen.game is old  # not under the card
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.game is not old, what="the reload")
        assert screen.game.log == PLAYED[:1]
        await wait_for(pilot, lambda: "Reloaded two-floors.yaml: replayed 1 of 1 act."
                       in notices(app), what=f"the notice {notices(app)}")


async def test_on_the_brief_the_new_brief_is_shown(scenario: Path) -> None:
    app = TrustsimApp([scenario], single=True, resume=False, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        edit(scenario, ("title: Two floors", "title: Two floors, second draft"))
        await wait_for(pilot, lambda: app.screen is not brief
                       and isinstance(app.screen, BriefScreen), what="the new brief")
        source = app.screen.query_one("#brief", Markdown).source
        assert source.startswith("# Two floors, second draft")
        await wait_for(pilot, lambda: "Reloaded two-floors.yaml." in notices(app),
                       what="the notice")
        await pilot.press("s")
        screen = await game_idle(pilot)
        assert screen.game.setup.title == "Two floors, second draft"


async def test_a_resumed_game_of_an_older_version_is_carried_over(scenario: Path) -> None:
    old = Game(load_scenario(scenario))
    old.execute(PLAYED[0])
    save = storage.autosave_path(str(scenario))
    save.parent.mkdir(parents=True, exist_ok=True)
    old.save(save)
    edit(scenario, ("name: Priya Nair", "name: Priya N. Nair"))
    app = TrustsimApp([scenario], single=True, resume=True, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, ConfirmScreen)
        await pilot.press("enter")  # resume
        screen = await game_idle(pilot)
        await wait_for(pilot, lambda: "Priya N. Nair" in screen.game.world.names,
                       what="the file as it is now")
        assert screen.game.log == PLAYED[:1]
        await wait_for(pilot, lambda: "Reloaded two-floors.yaml: replayed 1 of 1 act."
                       in notices(app), what=f"the notice {notices(app)}")


def test_replay_skips_what_no_longer_applies_and_goes_on() -> None:
    scenario = load_scenario(FLOORS)
    log = [*PLAYED, {"do": "act", "act": "quick_win", "target": "ben"},
           {"do": "act", "act": "quick_win", "target": "hana"}]  # one act too many
    done = replay(scenario, log)
    assert done.acts == 5 and done.acts_replayed == 4
    assert [s.code for s in done.skipped] == ["no_capacity"]
    assert done.game.log == log[:5]


def test_watch_goes_through_the_fast_launcher_and_the_cli() -> None:
    assert interface_plan(["play", "x.yaml", "--watch"]) == Plan(play="x.yaml", watch=True)
    assert interface_plan(["play", "x.yaml", "--watch", "--lang", "nl"]) == Plan(
        play="x.yaml", language="nl", watch=True)
    assert interface_plan(["play", "x.yaml", "--lang=nl", "--watch"]) == Plan(
        play="x.yaml", language="nl", watch=True)
    for argv in (["--watch"], ["play", "x.yaml", "--watch", "--watch"],
                 ["--dir", ".", "--watch"], ["play", "--watch"]):
        assert interface_plan(argv) is None, argv
    runner = CliRunner()
    result = runner.invoke(cli_app, ["play", "--help"])
    assert result.exit_code == 0 and "--watch" in result.output
    result = runner.invoke(cli_app, ["play", str(FLOORS), "--watch"])
    assert result.exit_code == 2 and "needs a terminal" in result.output
