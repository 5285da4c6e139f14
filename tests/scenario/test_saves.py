"""Saves: atomic, versioned, replayed and checked; bad saves reported and kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import Game, load_scenario
from simulator.scenario import SaveError

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "new-in-the-chair.yaml"


def played() -> Game:
    game = Game(load_scenario(SCENARIO), seed=9)
    game.act("quick_win", "tomas")
    game.act("delegate", "kwame")
    game.end_turn()
    game.act("feedback", "lena")
    return game


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    game = played()
    path = tmp_path / "s.json"
    game.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "trustsim-save" and data["version"] == 1
    loaded = Game.load(path)
    assert loaded.fingerprint() == game.fingerprint()
    assert loaded.log == game.log and loaded.turn == 2
    assert loaded.trust("tomas", "maya") == game.trust("tomas", "maya")
    loaded.undo()  # a loaded game can still undo
    assert loaded.log == game.log[:-1]


def test_save_leaves_no_temporary_files_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    played().save(path)
    first = path.read_bytes()
    game = played()
    game.end_turn()
    game.save(path)
    assert path.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


@pytest.mark.parametrize("content, message", [
    (b"", "damaged or truncated JSON"),
    (b'{"format": "trustsim-save", "version": 1, "scen', "damaged or truncated JSON"),
    (b"\xff\xfe", "damaged or truncated JSON"),
    (b'{"hello": 1}', "not a trustsim save"),
    (b'{"format": "trustsim-save", "version": 99}', "newer trustsim"),
    (b'{"format": "trustsim-save", "version": 1}', "incomplete or was edited"),
])
def test_bad_saves_are_reported_and_kept(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SaveError, match=message):
        Game.load(path)
    assert path.read_bytes() == content


def test_hand_edited_log_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    played().save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["log"][0]["target"] = "sami"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="does not give the saved state"):
        Game.load(path)
    data["log"][0]["target"] = "nobody"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="step 1 of the log"):
        Game.load(path)


def test_older_save_versions_go_through_migrations(tmp_path: Path, monkeypatch:
                                                   pytest.MonkeyPatch) -> None:
    from simulator.scenario import game as game_module

    path = tmp_path / "s.json"
    played().save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 0
    data["moves"] = data.pop("log")  # pretend version 0 called the log "moves"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="no migration from save version 0"):
        Game.load(path)

    def v0_to_v1(old: dict[str, object]) -> dict[str, object]:
        new = dict(old)
        new["log"] = new.pop("moves")
        new["version"] = 1
        return new

    monkeypatch.setitem(game_module.MIGRATIONS, 0, v0_to_v1)
    assert Game.load(path).fingerprint() == played().fingerprint()


def test_a_save_of_another_model_version_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    played().save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["model"] == 2
    del data["model"]  # what trustsim 0.1 (model v1) wrote
    data["trustsim"] = "0.1.0"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(SaveError, match=r"model v1 \(trustsim 0\.1\.0\).*model v2"):
        Game.load(path)
    assert path.read_bytes() == before  # the file is never changed
