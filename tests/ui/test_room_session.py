"""A trainee's session in a room of `trustsim serve`: it tells the trainer's view where it
stands after every move, shows its seat, and stops while the trainer pauses the room."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import SCENARIOS, open_first_scenario_and_start, pick, wait_for, wait_screen
from textual.widgets import Label

from simulator.experiments.room import Room
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.roomlink import NameScreen, PausedScreen
from simulator.ui.screens.game import GameScreen
from simulator.ui.screens.picker import PickerScreen

SIZE = (100, 30)


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Room]:
    """This test process is seat 7 of a room (as `trustsim session --room` makes it)."""
    monkeypatch.setattr(storage, "_SESSION", None)
    monkeypatch.setattr(storage, "_SESSION_SETTINGS", {})
    monkeypatch.setattr(storage, "ROOM", None)
    room = Room.create(tmp_path / "rooms")
    storage.use_session_saves(room.folder, 7, "10.1.2.3")
    yield room


def _app() -> TrustsimApp:
    return TrustsimApp([SCENARIOS / "delegation-done-right.yaml",
                        SCENARIOS / "two-floors.yaml"], resume=False)


async def _join(pilot: Any, name: str = "") -> None:
    """The room asks for a name first: type it (or nothing) and press enter."""
    await wait_screen(pilot, NameScreen)
    for key in name:
        await pilot.press("space" if key == " " else key)
    await pilot.press("enter")
    await wait_screen(pilot, PickerScreen)


async def test_the_session_tells_the_room_where_it_stands(room: Room) -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: room.statuses(), what="the first status")
        [joined] = room.statuses()
        assert (joined.seat, joined.peer, joined.stage) == (7, "10.1.2.3", "picking")
        assert joined.name == ""
        assert "Seat 7" in str(app.screen.query_one(".dialog-title", Label).render())
        await _join(pilot, "Dana K")
        # the trainee sees their seat, to tell the trainer who is who
        banner = str(app.screen.query("Static").first().render())
        assert "Seat 7" in banner
        await wait_for(pilot, lambda: room.statuses()[0].name == "Dana K", what="the name")

        screen = await open_first_scenario_and_start(pilot)
        await wait_for(pilot, lambda: room.statuses()[0].stage == "playing",
                       what="the game's first status")
        started = room.statuses()[0]
        assert started.scenario == screen.game.setup.title and not started.last_acts
        assert started.name == "Dana K"  # the name stays with every status

        await pilot.press("w")
        target = screen.game.targets("quick_win")[0]
        await pick(pilot, target)
        await wait_for(pilot, lambda: room.statuses()[0].last_acts, what="the act's status")
        status = room.statuses()[0]
        assert status.last_acts[0].startswith("1: Quick win")
        assert status.moved_at >= started.moved_at
        assert status.acts_left == screen.game.capacity_left
        # the status names the save, which holds this game and nothing else
        save = room.save_file(7, status.session, "delegation-done-right")
        assert status.save == save.name
        await wait_for(pilot, save.exists, what="the save")
        assert storage.autosave_path(str(screen.game.scenario.path)) == save
        # another scenario of the same seat is saved apart: both games are kept
        assert storage.autosave_path(str(SCENARIOS / "two-floors.yaml")) != save
        # an export says whose it is (exports of every seat land in one folder)
        from simulator.ui.screens.debrief import DebriefScreen

        # (x opens it when the game is over; here it is opened on the game as it stands)
        app.push_screen(DebriefScreen(screen.game, screen.narrator, screen.branches))
        await wait_screen(pilot, DebriefScreen)
        await pilot.press("e")
        await wait_for(pilot, lambda: list(storage.export_dir().glob("*.json")),
                       what="the export")
        [export] = storage.export_dir().glob("*.json")
        assert "-seat-07-dana-k-" in export.name


async def test_a_paused_room_stops_the_game_until_it_is_resumed(room: Room) -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await _join(pilot)
        screen = await open_first_scenario_and_start(pilot)
        game = screen.game
        room.pause("Eyes up front")
        paused = await wait_screen(pilot, PausedScreen, timeout=5)
        text = " ".join(str(w.render()) for w in paused.query("Label, Static"))
        assert "paused the room" in text and "Eyes up front" in text
        # nothing is played while paused: not an act, not the end of a turn
        for key in ("w", "enter", "e", "enter", "escape", "u", "ctrl+p"):
            await pilot.press(key)
        await pilot.pause(0.2)
        assert game.log == [] and isinstance(app.screen, PausedScreen)
        room.resume()
        await wait_for(pilot, lambda: isinstance(app.screen, GameScreen), timeout=5,
                       what="the game to come back")
        await pilot.press("w")
        await pick(pilot, game.targets("quick_win")[0])
        assert [c["act"] for c in game.log] == ["quick_win"]


async def test_outside_a_room_nothing_is_written_or_watched(
        tmp_path: Path, trustsim_home: Path) -> None:
    assert storage.ROOM is None
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_scenario_and_start(pilot)
        assert not any(t.name == "room-pause" for t in app._timers)
        assert not app.query(NameScreen) and not isinstance(app.screen, NameScreen)
        assert not (trustsim_home / "data" / "rooms").exists()


def test_a_name_is_one_short_line_of_text() -> None:
    from simulator.experiments.room import NAME_LENGTH, clean_name, seat_name

    assert clean_name("  Dana \x1b[31m K\n ") == "Dana [31m K"
    assert clean_name("a|b") == "a/b"  # it goes into the report's tables
    assert len(clean_name("x" * 100)) == NAME_LENGTH
    assert seat_name(3, "Dana") == "Seat 3 · Dana" and seat_name(3, " \t") == "Seat 3"


def test_no_game_a_trainee_played_is_overwritten_by_the_next(room: Room) -> None:
    """In a room each new game of a scenario gets a save of its own; the resume offer
    looks at the latest one."""
    scenario = str(SCENARIOS / "delegation-done-right.yaml")
    first = storage.new_game_path(scenario)
    assert storage.autosave_path(scenario) == first  # nothing saved yet
    first.write_text("{}", encoding="utf-8")
    second = storage.new_game_path(scenario)
    assert second != first and second.name.endswith("delegation-done-right.2.json")
    second.write_text("{}", encoding="utf-8")
    assert storage.autosave_path(scenario) == second
    assert storage.new_game_path(scenario).name.endswith(".3.json")
    # another scenario whose name starts the same is counted apart
    assert storage.new_game_path(str(SCENARIOS / "delegation.yaml")).name.endswith(
        "-delegation.json")
