"""Hostile files too big or strange to commit: every entry point refuses them clearly, with
exit code 1, no traceback and little memory (bench/bench_hostile.py times them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import MAKERS, measure

from simulator.scenario.library import find_scenarios, library_dir
from simulator.ui.screens.picker import load_entry

#: Peak memory allowed to refuse one hostile file (the issue's bound: 500 MB).
MAX_RSS_MB = 500

@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return [make(folder) for make in MAKERS]


@pytest.mark.parametrize("command", ["validate", "run", "play"])
def test_each_entry_point_refuses_each_file(hostile: list[tuple[Path, str]],
                                            command: str) -> None:
    for path, message in hostile:
        result = measure(command, str(path))
        out = str(result["out"])
        assert result["code"] == 1, (path.name, command, out)
        assert message in out, (path.name, command, out)
        assert str(path) in out
        assert "Traceback" not in out
        assert float(str(result["mb"])) < MAX_RSS_MB, (path.name, command, result["mb"])


def test_the_picker_lists_them_as_invalid_and_the_rest_stay_playable(
        hostile: list[tuple[Path, str]]) -> None:
    folder = hostile[0][0].parent
    good = folder / "fine.yaml"
    good.write_bytes((library_dir() / "two-floors.yaml").read_bytes())
    found = find_scenarios([folder], [])
    # folders and pipes are not offered at all; every other file is, and only one plays
    offered = {p.name for p in found}
    assert "folder.yaml" not in offered and "pipe.yaml" not in offered
    assert len(found) == len(hostile) - 2 + 1
    entries = {p.name: load_entry(p) for p in found}
    assert entries.pop("fine.yaml").scenario is not None
    for name, entry in entries.items():
        assert entry.scenario is None and entry.error is not None, name
        assert entry.error.problems and str(entry.error.problems[0]).startswith(
            str(folder / name)), name
