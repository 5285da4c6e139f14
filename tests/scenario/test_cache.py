"""The interface's cache of validated scenarios: fast, exact, and never in the way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import ScenarioError, load_scenario
from simulator.core.simulation import Simulation
from simulator.scenario.cache import cache_dir, load_scenario_cached
from simulator.scenario.library import library_dir

SHIPPED = library_dir() / "new-in-the-chair.yaml"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTSIM_HOME", str(tmp_path / "home"))


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "scenario.yaml"
    shutil.copy(SHIPPED, target)
    return target


def _same(a: object, b: object) -> bool:
    sa, sb = a.setup, b.setup  # type: ignore[attr-defined]
    return (sa.title, sa.turns, sa.player) == (sb.title, sb.turns, sb.player) and \
        Simulation(sa, seed=3).fingerprint() == Simulation(sb, seed=3).fingerprint()


def test_a_cached_scenario_is_the_scenario(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    first = load_scenario_cached(path)
    assert len(list(cache_dir().glob("*.pickle"))) == 1
    second = load_scenario_cached(path)
    direct = load_scenario(path)
    assert _same(first, direct) and _same(second, direct)
    assert second.path == str(path) and second.sha256 == direct.sha256
    assert second.text == direct.text


def test_a_warm_load_does_not_import_the_checker(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    load_scenario_cached(path)
    code = ("import sys\nfrom simulator.scenario.cache import load_scenario_cached\n"
            f"s = load_scenario_cached({str(path)!r})\n"
            "print(s.title, 'pydantic' in sys.modules, 'simulator.scenario.spec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=os.environ.copy(), check=True, timeout=60,
                         cwd=tmp_path).stdout  # the installed trustsim, not ./simulator
    assert out.split() == ["New", "in", "the", "chair", "False", "False"]


def test_an_edited_file_is_checked_again(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    load_scenario_cached(path)
    path.write_text(path.read_text(encoding="utf-8").replace("turns:", "turns: [", 1),
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario_cached(path)
    assert str(path) in str(error.value)


def test_invalid_files_are_not_cached(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ScenarioError):
            load_scenario_cached(bad)
    assert not list(cache_dir().glob("*.pickle"))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x04K\x01.", b"\x80\x05\x95"])
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, damage: bytes) -> None:
    path = _copy(tmp_path)
    load_scenario_cached(path)
    (entry,) = cache_dir().glob("*.pickle")
    entry.write_bytes(damage)
    assert _same(load_scenario_cached(path), load_scenario(path))
    assert entry.read_bytes() != damage


def test_an_unwritable_cache_costs_nothing_but_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    path = _copy(tmp_path)
    assert _same(load_scenario_cached(path), load_scenario(path))


def test_missing_and_large_files_go_straight_to_the_loader(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario_cached(tmp_path / "nowhere.yaml")
    with pytest.raises(ScenarioError, match="folder"):
        load_scenario_cached(tmp_path)
