"""The trustsim command: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_no_arguments_lists_commands_and_shipped_scenarios() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    for word in ("validate", "run", "generate", "schema", "new-in-the-chair", "two-floors"):
        assert word in result.output


def test_validate_ok_and_invalid(tmp_path: Path) -> None:
    good = runner.invoke(app, ["validate", str(ROOT / "scenarios" / "two-floors.yaml")])
    assert good.exit_code == 0 and "ok (Two floors" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ntitle: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}:3:1: YAML syntax error")


def test_validate_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--json", str(bad),
                                 str(ROOT / "scenarios" / "two-floors.yaml")])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False
    assert [f["valid"] for f in data["files"]] == [False, True]
    assert {p["path"] for p in data["files"][0]["problems"]} >= {"title", "brief", "turns"}


def test_run_reference_solution_wins_and_prints_explanations() -> None:
    result = runner.invoke(app, ["run", "new-in-the-chair", "--acts", "reference"])
    assert result.exit_code == 0, result.output
    assert "quick win by Maya Okafor" in result.output
    assert "heard it from" in result.output
    assert "Result: all objectives met" in result.output


def test_run_json_is_deterministic() -> None:
    args = ["run", "two-floors", "--acts", "reference", "--json", "--seed", "3"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["won"] is True and data["seed"] == 3
    assert data["steps"][0]["result"]["changes"][0]["cause"]["act"] == "connect"


def test_run_reports_the_line_of_a_refused_act(tmp_path: Path) -> None:
    acts = tmp_path / "a.acts"
    acts.write_text("quick_win tomas\n\ndelegate ruth\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "new-in-the-chair", "--acts", str(acts)])
    assert result.exit_code == 1
    assert f"{acts}:3: delegate ruth: Ruth Adeyemi does not report to Maya Okafor" \
        in result.output


def test_run_reports_unreadable_acts_all_at_once(tmp_path: Path) -> None:
    acts = tmp_path / "a.acts"
    acts.write_text("dance tomas\nquick_win\nchoose x\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "new-in-the-chair", "--acts", str(acts)])
    assert result.exit_code == 1
    assert f"{acts}:1: unknown act 'dance'" in result.output
    assert f"{acts}:3: expected `choose EVENT OPTION`" in result.output


def test_run_on_invalid_scenario_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_generate_then_run(tmp_path: Path) -> None:
    out = tmp_path / "org.npz"
    result = runner.invoke(app, ["generate", "--people", "200", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "200 people" in result.output
    played = runner.invoke(app, ["run", str(out), "--json"])
    assert played.exit_code == 0
    assert json.loads(played.output)["turn"] == 21


@pytest.mark.parametrize("args", [["generate"], ["run"], ["validate"], ["nonsense"],
                                  ["generate", "--people", "1", "-o", "x.npz"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_schema_prints_json() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "ScenarioSpec"


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    out = subprocess.run([sys.executable, "-m", "simulator.cli", "validate", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr


def test_dir_without_a_terminal_lists_that_folder_too(tmp_path: Path) -> None:
    import shutil

    from simulator.scenario.game import Game
    from simulator.scenario.library import find_scenarios, library_dir
    from simulator.scenario.loader import load_scenario

    shutil.copy(library_dir() / "two-floors.yaml", tmp_path / "mine.yaml")
    (tmp_path / "broken.yaml").write_text("version: 1\n", encoding="utf-8")
    game = Game(load_scenario(tmp_path / "mine.yaml"), seed=1)
    game.save(tmp_path / "a-session.json")  # a collected session, not a scenario
    assert find_scenarios([tmp_path], []) == [tmp_path / "broken.yaml", tmp_path / "mine.yaml"]
    result = runner.invoke(app, ["--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listing = result.output.split(f"Scenario files in {tmp_path}:")[1]
    assert "mine" in listing and "Two floors" in listing
    assert "broken" in listing and "INVALID" in listing
    assert "a-session" not in result.output
