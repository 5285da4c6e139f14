"""The room's folder (``trustsim serve``): what sessions write of themselves, the pause
switch and the debrief report of every session, read without Textual."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from simulator.experiments.room import (
    Room,
    SessionStatus,
    game_status,
    idle_words,
    read_room_link,
    status_rows,
    write_room_link,
)
from simulator.scenario.files import atomic_write_text
from simulator.scenario.game import Game

ROOT = Path(__file__).resolve().parents[2]
LETTING_GO = ROOT / "scenarios" / "delegation-done-right.yaml"
TWO_FLOORS = ROOT / "scenarios" / "two-floors.yaml"


def _played(path: Path, acts: int) -> Game:
    game = Game(str(path))
    for _ in range(acts):
        act = next(a for a, why in game.available().items() if why is None)
        game.act(act, game.targets(act)[0])
        if game.capacity_left <= 0:
            game.end_turn()
    return game


def _seat(room: Room, seat: int, game: Game | None, *, moved_at: float = 100.0) -> None:
    session = f"s{seat}"
    save = room.save_file(seat, session, Path(game.scenario.path).stem if game else "x")
    if game is None:
        room.publish(SessionStatus(seat=seat, session=session, joined_at=90.0,
                                   moved_at=moved_at))
        return
    atomic_write_text(save, json.dumps(game.to_save()))
    room.publish(game_status(game, seat=seat, session=session, peer="10.0.0.7",
                             joined_at=90.0, moved_at=moved_at, save=save.name))


def test_rooms_opened_in_the_same_second_get_their_own_folders(tmp_path: Path) -> None:
    a = Room.create(tmp_path, "20261202-140000")
    b = Room.create(tmp_path, "20261202-140000")
    assert a.folder != b.folder and a.saves.is_dir() and b.status.is_dir()


def test_a_status_says_where_the_trainee_stands(tmp_path: Path) -> None:
    game = _played(LETTING_GO, 3)  # two acts in turn 1, one in turn 2
    status = game_status(game, seat=4, session="x", peer="p", joined_at=1.0, moved_at=2.0,
                         save="x.json")
    assert status.stage == "playing" and status.scenario == game.setup.title
    assert (status.turn, status.turns) == (2, game.turns)
    assert status.acts_left == game.capacity_left
    assert [o.text for o in status.objectives] == [o.text for o in game.setup.objectives]
    assert [o.state for o in status.objectives] == [o.state for o in game.objectives()]
    assert status.trust_in_player == pytest.approx(game.history[-1]["trust_in_player"])
    # the last acts, each with the turn it was made in
    assert [a.split(":")[0] for a in status.last_acts] == ["1", "1", "2"]
    assert status.won is None


def test_a_finished_game_says_won_or_lost(tmp_path: Path) -> None:
    game = Game(str(LETTING_GO))
    while not game.over:
        game.end_turn()
        for event in list(game.pending):
            option = next(o.id for e in game.setup.events if e.id == event
                          for o in e.options)
            game.choose(event, option)
    status = game_status(game, seat=1, session="x", peer="", joined_at=0, moved_at=0,
                         save=None)
    assert status.stage == "over" and status.won is game.won and status.acts_left == 0


def test_statuses_are_read_by_seat_and_a_damaged_one_is_skipped(tmp_path: Path) -> None:
    room = Room.create(tmp_path)
    _seat(room, 12, None)
    _seat(room, 3, _played(LETTING_GO, 1))
    (room.status / "seat-05-bad.json").write_text("{half", encoding="utf-8")
    (room.status / "seat-06-odd.json").write_text(
        json.dumps({"format": "something else", "seat": 6}), encoding="utf-8")
    seats = [s.seat for s in room.statuses()]
    assert seats == [3, 12]
    rows = status_rows(room.statuses(), now=160.0)
    assert rows[0]["idle"] == 60.0 and rows[0]["on_track"] == room.statuses()[0].on_track
    assert rows[1]["stage"] == "picking" and rows[1]["scenario"] is None


def test_pause_resume_and_the_trainers_message(tmp_path: Path) -> None:
    room = Room.create(tmp_path)
    assert not room.paused and room.pause_message() is None
    room.pause("Eyes up front \x1b]0;x\x07please")
    assert room.paused
    message = room.pause_message()
    assert message is not None and "\x1b" not in message and "\x07" not in message
    assert message.startswith("Eyes up front")
    room.resume()
    assert not room.paused and room.pause_message() is None
    room.resume()  # resuming a room that plays is no error
    room.pause()
    assert room.pause_message() == ""


def test_the_report_covers_every_session_by_scenario(tmp_path: Path) -> None:
    room = Room.create(tmp_path)
    _seat(room, 1, _played(LETTING_GO, 2))
    _seat(room, 2, _played(LETTING_GO, 4))
    _seat(room, 3, _played(TWO_FLOORS, 2))
    _seat(room, 4, None)  # joined, never started a scenario
    # a save that cannot be read is named, and spoils nothing else
    _seat(room, 5, _played(LETTING_GO, 1))
    (room.saves / "seat-05-s5-delegation-done-right.json").write_text("{broken",
                                                                     encoding="utf-8")
    text = room.report()
    assert room.report_file.read_text(encoding="utf-8") == text
    assert "5 sessions joined; 3 played a scenario, 1 did not start one." in text
    assert "Seat 5" in text.split("could not be read")[1].splitlines()[2]
    letting_go = Game(str(LETTING_GO)).setup.title
    two_floors = Game(str(TWO_FLOORS)).setup.title
    assert text.count(f"# Debrief: {letting_go}") == 1
    assert text.count(f"# Debrief: {two_floors}") == 1
    section = text.split(f"# Debrief: {two_floors}")[0].split(f"# Debrief: {letting_go}")[1]
    assert "| Seat 1 |" in section and "| Seat 2 |" in section
    assert "Seat 3" not in section
    assert "| Seat 4" not in text


def test_the_room_link_is_the_trainers_only(tmp_path: Path) -> None:
    path = write_room_link(tmp_path, "http://10.0.0.2:8000", "abc", tmp_path / "r")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_room_link(tmp_path) == {"url": "http://10.0.0.2:8000", "token": "abc"}
    path.write_text('{"url": 3}', encoding="utf-8")
    assert read_room_link(tmp_path) is None
    path.unlink()
    assert read_room_link(tmp_path) is None


@pytest.mark.parametrize(("seconds", "words"), [(0, "0 s"), (59.9, "59 s"), (60, "1 min"),
                                                 (3599, "59 min"), (3900, "1 h 05")])
def test_idle_words(seconds: float, words: str) -> None:
    assert idle_words(seconds) == words


def test_a_trainee_who_plays_two_scenarios_keeps_both_in_the_report(tmp_path: Path) -> None:
    room = Room.create(tmp_path)
    first, second = _played(LETTING_GO, 2), _played(TWO_FLOORS, 1)
    _seat(room, 1, first)
    _seat(room, 1, second)  # the same seat, then another scenario
    again = _played(LETTING_GO, 3)  # and a second game of the first
    assert room.games_saved(1, "s1", "delegation-done-right") == 1
    atomic_write_text(room.save_file(1, "s1", "delegation-done-right", 2),
                      json.dumps(again.to_save()))
    assert room.games_saved(1, "s1", "delegation-done-right") == 2
    assert len(list(room.saves.glob("*.json"))) == 3
    text = room.report()
    assert "1 session joined; 1 played a scenario." in text
    letting_go, two_floors = first.setup.title, second.setup.title
    section = text.split(f"# Debrief: {two_floors}")[0].split(f"# Debrief: {letting_go}")[1]
    assert "| Seat 1 |" in section and "| Seat 1 (2) |" in section
    assert "| Seat 1 |" in text.split(f"# Debrief: {two_floors}")[1]


def test_a_name_with_markup_is_shown_as_typed_in_the_report(tmp_path: Path) -> None:
    from simulator.experiments.room import report_html

    room = Room.create(tmp_path)
    _seat(room, 1, _played(LETTING_GO, 1))
    status = room.statuses()[0]
    room.publish(status.model_copy(update={"name": "<b>Dana</b> *x* [y](z)"}))
    text = room.report()
    assert r"Seat 1 · \<b\>Dana\</b\> \*x\* \[y\]\(z\)" in text
    page = report_html(text)
    assert "<b>Dana" not in page and "&lt;b&gt;Dana&lt;/b&gt; *x* [y](z)" in page
    assert "<table>" in page and page.count("<h1>") == 2  # the room, then the scenario
