"""Every file in ``invalid/`` must be refused with exactly the lines of its ``.expected`` file.

Each ``NN-short-name.yaml`` shows one failure class (a few combine several problems, to
prove that every problem is reported at once). ``NN-short-name.expected`` holds the lines
``load_scenario`` must produce, one problem a line, with the file's path written as
``{file}``.

A few expected files describe the output the loader *should* give but does not yet (a
wrong, misleading or missing message or position). Those cases are listed in
``KNOWN_BUGS`` and run as strict xfails: when the loader is fixed the test starts passing,
strict xfail turns that into a failure, and the entry must be removed from the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator import ScenarioError, load_scenario
from simulator.cli import app

HERE = Path(__file__).parent / "invalid"
CASES = sorted(HERE.glob("*.yaml"))
MIN_CASES = 60

#: case name -> why its expected output differs from what the loader gives today.
KNOWN_BUGS: dict[str, str] = {}

#: cases whose *exit code* from `trustsim validate` is wrong today (they load without error).
CLI_BUGS: dict[str, str] = {}


def _params(bugs: dict[str, str]) -> list[object]:
    return [pytest.param(path, id=path.stem,
                         marks=[pytest.mark.xfail(strict=True, reason=bugs[path.stem])]
                         if path.stem in bugs else [])
            for path in CASES]


def _expected(path: Path) -> list[str]:
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def _lines(problems: list[object], name: str) -> list[str]:
    lines = []
    for problem in problems:
        text = str(problem)
        assert text.startswith(name), f"problem does not start with the file name: {text}"
        lines.append("{file}" + text[len(name):])
    return lines


def test_folder_holds_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} invalid scenario files in {HERE}"


def test_every_case_has_a_non_empty_expected_file() -> None:
    for path in CASES:
        expected = path.with_suffix(".expected")
        assert expected.is_file(), f"{expected.name} is missing"
        lines = _expected(path)
        assert lines and all(line.strip() for line in lines), f"{expected.name} is empty " \
            "or has blank lines"
        assert all(line.startswith("{file}") for line in lines), expected.name


def test_known_bug_lists_name_existing_cases() -> None:
    stems = {path.stem for path in CASES}
    assert set(KNOWN_BUGS) <= stems
    assert set(CLI_BUGS) <= stems


@pytest.mark.parametrize("path", _params(KNOWN_BUGS))
def test_loader_reports_exactly_the_expected_problems(path: Path) -> None:
    name = str(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(name)
    assert _lines(info.value.problems, name) == _expected(path)


@pytest.mark.parametrize("path", _params(CLI_BUGS))
def test_validate_exits_with_1_and_prints_the_loader_problems(path: Path) -> None:
    name = str(path)
    result = CliRunner().invoke(app, ["validate", name])
    assert result.exit_code == 1, result.output
    try:
        load_scenario(name)
    except ScenarioError as exc:
        printed = [str(problem) for problem in exc.problems]
    else:  # pragma: no cover - the exit code check above fails first
        printed = []
    assert result.stdout.splitlines() == printed


def test_validate_as_a_subprocess_exits_with_1() -> None:
    """One real process (the others go through CliRunner, which is much faster)."""
    import subprocess

    case = HERE / "07-competence-above-one.yaml"
    path = str(case)
    done = subprocess.run([sys.executable, "-m", "simulator.cli", "validate", path],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        line.replace("{file}", path) for line in _expected(case)]


@pytest.mark.parametrize("command", ["run", "play", "check", "balance"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_entry_point_refuses_with_the_same_problems(path: Path, command: str) -> None:
    """`run`, `play` (checked before any interface starts), `check` and `balance` refuse a
    broken file with exit code 1 and the loader's first problem."""
    name = str(path)
    result = CliRunner().invoke(app, [command, name])
    assert result.exit_code == 1, (command, result.output)
    first = _expected(path)[0].replace("{file}", name)
    assert first in result.output, (command, result.output)
    assert "Traceback" not in result.output
