"""A trainee's session in a room of `trustsim serve`: it tells the trainer's view where it
stands after every move, shows its seat, and stops while the trainer pauses the room."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pilot_helpers import SCENARIOS, open_first_scenario_and_start, pick, wait_for, wait_screen

from simulator.experiments.room import Room
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.roomlink import PausedScreen
from simulator.ui.screens.game import GameScreen

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


async def test_the_session_tells_the_room_where_it_stands(room: Room) -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: room.statuses(), what="the first status")
        [joined] = room.statuses()
        assert (joined.seat, joined.peer, joined.stage) == (7, "10.1.2.3", "picking")
        # the trainee sees their seat, to tell the trainer who is who
        banner = str(app.screen.query("Static").first().render())
        assert "Seat 7" in banner

        screen = await open_first_scenario_and_start(pilot)
        await wait_for(pilot, lambda: room.statuses()[0].stage == "playing",
                       what="the game's first status")
        started = room.statuses()[0]
        assert started.scenario == screen.game.setup.title and not started.last_acts

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


async def test_a_paused_room_stops_the_game_until_it_is_resumed(room: Room) -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_scenario_and_start(pilot)
        game = screen.game
        room.pause("Eyes up front")
        paused = await wait_screen(pilot, PausedScreen, timeout=5)
        text = " ".join(str(w.render()) for w in paused.query("Label, Static"))
        assert "paused the room" in text and "Eyes up front" in text
        # nothing is played while paused: not an act, not the end of a turn
        for key in ("w", "enter", "e", "enter", "escape", "u"):
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
        assert not (trustsim_home / "data" / "rooms").exists()
