"""Loading scenario files: YAML pitfalls, positions, limits, compact files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from simulator import ScenarioError, load_scenario
from simulator.scenario import load_scenario_text
from simulator.scenario.library import reference_solution, shipped_scenarios

ROOT = Path(__file__).resolve().parents[2]

BASE = textwrap.dedent("""\
    version: 1
    title: Base
    brief: A small team.
    turns: 4
    player: ana
    teams:
      - id: dev
    people:
      - {id: ana, name: Ana, role: manager, team: dev}
      - {id: ben, name: Ben, team: dev, manager: ana}
    """)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_base_is_valid() -> None:
    scenario = load_scenario_text(BASE, "s.yaml")
    assert scenario.title == "Base" and scenario.people == 2


def test_yaml_11_words_stay_text() -> None:
    text = BASE.replace("title: Base", "title: no").replace(
        "{id: ben, name: Ben,", "{id: 007, name: 1.10,")
    scenario = load_scenario_text(text, "s.yaml")
    assert scenario.title == "no"
    assert scenario.setup.people[1].id == "007"
    assert scenario.setup.people[1].name == "1.10"


def test_yes_on_off_are_not_booleans_and_timestamps_stay_text() -> None:
    text = BASE.replace("title: Base", "title: 2024-01-01").replace("name: Ben", "name: on")
    scenario = load_scenario_text(text, "s.yaml")
    assert scenario.title == "2024-01-01"
    assert scenario.setup.people[1].name == "on"


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    lines = problems(BASE + "turns: 5\n")
    assert lines == ["s.yaml:11:1: turns: duplicate key 'turns' (first at line 4): each key may "
                     "appear once"]


def test_every_problem_is_reported_at_once() -> None:
    text = BASE.replace("turns: 4", "turns: ten").replace("title: Base", "titel: Base")
    lines = problems(text)
    assert any(":2:1: titel: unknown field `titel`" in line for line in lines)
    assert any("title: required field `title` is missing" in line for line in lines)
    assert any(":4:8: turns: expected a whole number (got 'ten')" in line for line in lines)


def test_meaning_problems_point_at_the_value() -> None:
    text = BASE.replace("manager: ana}", "manager: anna}")
    lines = problems(text)
    assert "s.yaml:10:46: people[1].manager: unknown manager 'anna' (did you mean 'ana'?)" in lines


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, " \
                f"*{prev}, *{prev}, *{prev}, *{prev}]\n"
    lines = problems(bomb)
    assert len(lines) == 1 and "expands to more than" in lines[0]


def test_deep_nesting_is_refused() -> None:
    lines = problems("a: " + "[" * 200 + "]" * 200 + "\n")
    assert len(lines) == 1 and ("nest" in lines[0])


def test_non_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Ben", "B\xe9n").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (f"{path}:10:22: the file is not UTF-8 text (byte 0xe9 cannot "
                               "be decoded); save it as UTF-8")


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_scenario(path).title == "Base"


def test_binary_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ScenarioError, match="binary"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    with pytest.raises(ScenarioError, match="at most 5 MB"):
        load_scenario(path)


def test_nan_and_infinity_are_refused() -> None:
    text = BASE.replace("{id: ben, name: Ben, team: dev, manager: ana}",
                        "{id: ben, name: Ben, team: dev, manager: ana, traits: {competence: .nan}}")
    assert any("must be a finite number" in line for line in problems(text))


def test_unicode_ids_are_normalised_and_collisions_caught() -> None:
    composed, decomposed = "jos\u00e9", "jose\u0301"
    text = BASE + f"  - {{id: {composed}, name: A, team: dev, manager: ana}}\n" \
                  f"  - {{id: {decomposed}, name: B, team: dev, manager: ana}}\n"
    assert any("is used twice" in line for line in problems(text))


def test_every_shipped_scenario_loads_and_has_a_reference_solution() -> None:
    shipped = shipped_scenarios()
    assert len(shipped) >= 2
    for path in shipped:
        scenario = load_scenario(path)
        assert scenario.setup.objectives, path
        assert reference_solution(path) is not None, path


def test_compact_round_trip_and_errors(tmp_path: Path) -> None:
    from simulator.experiments.generate import generate_org, write_org

    org = generate_org(people=120, seed=3)
    path = tmp_path / "org.npz"
    write_org(org, str(path))
    scenario = load_scenario(path)
    assert scenario.people == 120
    assert np.array_equal(scenario.setup.tie_src, org.tie_src)
    # corrupt a value and write it back: reported, never loaded
    arrays = dict(np.load(path))
    arrays["tie_trust"] = arrays["tie_trust"].copy()
    arrays["tie_trust"][5] = np.nan
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(ScenarioError, match=r"tie_trust\[5\]: must be a finite number"):
        load_scenario(bad)
    arrays["tie_trust"][5] = 0.5
    arrays["manager"] = arrays["manager"].copy()
    arrays["manager"][0] = 7  # the top executive now reports into their own tree: a cycle
    np.savez(bad, **arrays)
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(bad)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ScenarioError, match="not a readable"):
        load_scenario(tmp_path / "junk.npz")
