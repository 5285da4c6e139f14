"""The trainer's tools: `trustsim new`, `check`, `balance` and `debrief`, and their guide.

Each command is driven through the real CLI (typer's CliRunner) in a temporary folder.
The guide, docs/authoring.md, is checked too: its generated field reference matches the
schema, and every command it shows exists with the options it uses.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shlex
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from simulator import Game
from simulator.cli import app
from simulator.experiments.balance import DEFAULT_STRATEGIES
from simulator.experiments.script import parse_script, play
from simulator.i18n import Messages
from simulator.scenario import load_scenario
from simulator.scenario.library import reference_solution, shipped_scenarios
from simulator.scenario.schema import scenario_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
AUTHORING_MD = ROOT / "docs" / "authoring.md"
runner = CliRunner()


def _shipped(stem: str) -> Path:
    return next(p for p in shipped_scenarios() if p.stem == stem)


# -- trustsim new ---------------------------------------------------------------------------


@pytest.mark.parametrize(("people", "teams", "language"), [
    (2, 1, "en"), (3, 1, "nl"), (8, 2, "en"), (9, 3, "nl"), (13, 4, "nl-BE"), (40, 5, "de"),
    (100, 50, "en"),
])
def test_new_writes_a_starter_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             people: int, teams: int, language: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "starter", "--people", str(people), "--teams",
                                 str(teams), "--language", language])
    assert result.exit_code == 0, result.output
    path = tmp_path / "starter.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schema.json"
    scenario = load_scenario(path)
    assert scenario.people == people
    assert len(scenario.setup.teams) == teams
    assert scenario.language == language
    assert scenario.setup.objectives
    schema = tmp_path / "schema.json"
    assert schema.read_text(encoding="utf-8") == schema_text()
    assert json.loads(schema.read_text(encoding="utf-8")) == scenario_schema()
    checked = runner.invoke(app, ["check", "--strict", "starter.yaml"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "starter.yaml: ok"


def test_new_keeps_a_yaml_suffix_and_writes_schema_beside_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "sub/folder/onboarding.yaml"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sub" / "folder" / "onboarding.yaml").is_file()
    assert (tmp_path / "sub" / "folder" / "schema.json").is_file()
    assert not (tmp_path / "schema.json").exists()
    assert not (tmp_path / "sub" / "folder" / "onboarding.yaml.yaml").exists()


def test_new_refuses_to_overwrite_without_force(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["new", "mine"]).exit_code == 0
    path = tmp_path / "mine.yaml"
    path.write_text("# my own work\n", encoding="utf-8")
    refused = runner.invoke(app, ["new", "mine", "--people", "10"])
    assert refused.exit_code == 1
    assert "already exists" in refused.output and "--force" in refused.output
    assert path.read_text(encoding="utf-8") == "# my own work\n"
    forced = runner.invoke(app, ["new", "mine", "--people", "10", "--force"])
    assert forced.exit_code == 0, forced.output
    assert load_scenario(path).people == 10


@pytest.mark.parametrize(("people", "teams"), [(3, 2), (5, 3), (99, 50), (1, 1), (8, 0)])
def test_new_refuses_impossible_combinations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             people: int, teams: int) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "bad", "--people", str(people), "--teams", str(teams)])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "bad.yaml").exists()
    assert not (tmp_path / "schema.json").exists()


def test_new_refuses_a_bad_language_code(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "bad", "--language", "english"])
    assert result.exit_code == 2
    assert not (tmp_path / "bad.yaml").exists()


# -- trustsim check ---------------------------------------------------------------------------

CLEAN = """\
version: 1
title: Lint me
brief: A small scenario without anything to warn about.
turns: 6
player: ana
teams:
  - {id: dev}
  - {id: ops}
people:
  - {id: ana, name: Ana, role: manager, team: dev}
  - {id: ben, name: Ben, team: dev, manager: ana}
  - {id: cas, name: Cas, team: dev, manager: ana}
  - {id: dan, name: Dan, role: manager, team: ops}
  - {id: eli, name: Eli, team: ops, manager: dan}
promises:
  - {id: p1, by: ana, to: ben, what: a day off, due: 3}
events:
  - id: choice
    turn: 2
    kind: dilemma
    title: The day off
    options:
      - id: keep
        label: Give Ben the day off
        effects:
          - {kind: promise, promise: p1, outcome: keep}
      - id: skip
        label: Not now
objectives:
  - {id: trusted, kind: trust_in_player, who: ben, at_least: 0.8, text: Ben trusts you}
"""

#: One edit of CLEAN per lint warning, and a piece of the warning it must trigger.
WARNINGS = {
    "met at turn 0": (("at_least: 0.8", "at_least: 0.5"), "is already met at turn 0"),
    "person without ties": (
        ("  - {id: ops}\n", "  - {id: ops}\n  - {id: attic}\n"),
        "Hermit has no ties"),
    "promise not the player's": (
        ("due: 3}\n", "due: 3}\n  - {id: p2, by: dan, to: eli, what: a raise, due: 5}\n"),
        "promise 'p2' is not the player's"),
    "promise settled after it fell due": (
        ("    turn: 2\n", "    turn: 4\n"),
        "settles promise 'p1', which falls due at the end of turn 3, before this event fires "
        "(end of turn 4)"),
}


def _scenario_with(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = CLEAN
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    if "{id: attic}" in text:
        text = text.replace("people:\n", "people:\n  - {id: hermit, name: Hermit, "
                            "team: attic}\n", 1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_clean_scenario_is_ok(tmp_path: Path) -> None:
    path = _scenario_with(tmp_path, "clean")
    for args in (["check", str(path)], ["check", "--strict", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.output == f"{path}: ok\n"


@pytest.mark.parametrize("case", list(WARNINGS))
def test_check_warns(tmp_path: Path, case: str) -> None:
    edit, expected = WARNINGS[case]
    path = _scenario_with(tmp_path, "warned", edit)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"{path}: 1 warning(s)"
    assert len(lines) == 2, result.output
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: warning: \S+: ", lines[0]), lines[0]
    assert expected in lines[0]
    strict = runner.invoke(app, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.output == result.output


def test_check_reports_every_warning_of_one_file(tmp_path: Path) -> None:
    path = _scenario_with(tmp_path, "all", *(edit for edit, _ in WARNINGS.values()))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"{path}: 4 warning(s)"
    for _, expected in WARNINGS.values():
        assert expected in result.output


def test_check_invalid_file_exits_1(tmp_path: Path) -> None:
    bad = _scenario_with(tmp_path, "bad", ("turns: 6", 'turns: "6"'), ("role: manager, team: dev",
                                                                      "role: boss, team: dev"))
    clean = _scenario_with(tmp_path, "clean")
    result = runner.invoke(app, ["check", str(bad), str(clean)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{bad}:4:8: turns: expected a whole number (got '6')"
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: people\[0\]\.role: must be one of ",
                    lines[1])
    assert lines[-1] == f"{clean}: ok"
    missing = runner.invoke(app, ["check", str(tmp_path / "nowhere.yaml")])
    assert missing.exit_code == 1
    assert "no such file" in missing.output


def test_a_dilemma_at_the_promises_due_turn_comes_too_late(tmp_path: Path) -> None:
    """What the next test asks lint to warn about: promises fall due before events fire."""
    path = _scenario_with(tmp_path, "due", ("    turn: 2\n", "    turn: 3\n"))
    game = Game(load_scenario(path), undo=False)
    for _ in range(3):
        game.end_turn()
    assert game.pending == ["choice"]
    game.execute({"do": "choose", "event": "choice", "option": "keep"})
    assert [p.status for p in game.promises() if p.id == "p1"] == ["broken"]


def test_check_warns_about_a_dilemma_at_the_promises_due_turn(tmp_path: Path) -> None:
    path = _scenario_with(tmp_path, "due", ("    turn: 2\n", "    turn: 3\n"))
    result = runner.invoke(app, ["check", str(path)])
    assert "settles promise 'p1'" in result.output


def test_check_warns_about_a_scenario_without_objectives(tmp_path: Path) -> None:
    path = tmp_path / "aimless.yaml"
    path.write_text(CLEAN.split("objectives:")[0], encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert "warning" in result.output


# -- trustsim balance -------------------------------------------------------------------------


def _balance(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["balance", "new-in-the-chair", *args])
    return result.exit_code, result.output


def _answers() -> int:
    """How many sets of answers to the dilemmas balance plays (new-in-the-chair)."""
    from simulator.experiments.balance import dilemma_policies

    return len(dilemma_policies(load_scenario(ROOT / "scenarios" / "new-in-the-chair.yaml")))


def test_balance_json_is_deterministic_across_processes() -> None:
    from simulator.experiments.strategies import STRATEGIES

    code1, one = _balance("--seeds", "6", "--json", "--jobs", "1")
    code2, two = _balance("--seeds", "6", "--json", "--jobs", "2")
    assert code1 == code2 == 0, one + two
    assert one == two
    data = json.loads(one)
    assert [r["strategy"] for r in data["summary"]] == list(DEFAULT_STRATEGIES)
    answers = _answers()
    assert answers > 1  # the scenario has a dilemma: every answer is played
    per = {s: 1 if STRATEGIES[s].chooses else answers for s in DEFAULT_STRATEGIES}
    assert len(data["runs"]) == 6 * sum(per.values())
    assert [r["strategy"] for r in data["runs"]] == [
        s for s in DEFAULT_STRATEGIES for _ in range(per[s] * 6)]
    rate = {r["strategy"]: r["win_rate"] for r in data["summary"]}
    assert rate["reference"] >= 0.8 and rate["do_nothing"] == 0.0
    assert all(r["runs"] == 6 for r in data["summary"])
    # the objectives' values ride along, per run and summarised per strategy
    reference = next(r for r in data["summary"] if r["strategy"] == "reference")
    assert reference["objectives"] and all(
        v["min"] <= v["mean"] <= v["max"] for v in reference["objectives"].values())
    assert {r["strategy"] for r in data["summary"] if r["exploit"]} >= {
        "greedy_undo", "quick_wins", "spam_recognise"}


def test_balance_plays_every_answer_and_reports_the_best_and_the_worst() -> None:
    code, out = _balance("--seeds", "3", "--json", "--strategies", "do_nothing")
    assert code == 0, out
    data = json.loads(out)
    answers = {tuple(sorted(r["choices"].items())) for r in data["runs"]}
    assert len(answers) == _answers()
    row = data["summary"][0]
    assert row["answers"] == _answers()
    assert row["win_rate"] >= row["win_rate_worst"]
    assert row["best_choices"] and row["worst_choices"]


def test_balance_csv_has_a_header_and_one_row_per_run() -> None:
    code, out = _balance("--seeds", "3", "--csv", "--strategies", "do_nothing,random,reference")
    assert code == 0, out
    rows = list(csv.reader(io.StringIO(out)))
    scenario = load_scenario(ROOT / "scenarios" / "new-in-the-chair.yaml")
    goals = [f"objective_{o.id}" for o in scenario.setup.objectives]
    assert rows[0] == ["strategy", "seed", "choices", "won", "objectives_met",
                       "trust_in_player", "cross_team_trust", "promises_broken",
                       "ei_product", "ei_support", *goals]
    body = rows[1:]
    answers = _answers()
    assert len(body) == 3 * (answers + 1 + 1)
    assert [r[0] for r in body] == ["do_nothing"] * 3 * answers + ["random"] * 3 \
        + ["reference"] * 3
    assert all(len(r) == len(rows[0]) for r in body)
    assert {r[3] for r in body if r[0] == "reference"} == {"1"}
    assert {r[3] for r in body if r[0] == "do_nothing"} == {"0"}
    assert all("=" in r[2] for r in body if r[0] == "do_nothing")


def test_balance_table_lists_every_strategy() -> None:
    code, out = _balance("--seeds", "2")
    assert code == 0, out
    for strategy in DEFAULT_STRATEGIES:
        assert strategy in out
    assert "100%" in out and "0%" in out


@pytest.mark.parametrize("args", [
    ("--strategies", "do_nothing,nonsense"),
    ("--strategies", "Do_Nothing"),
    ("--json", "--csv"),
    ("--csv", "--json", "--strategies", "nonsense"),
    ("--seeds", "0"),
    ("--jobs", "0"),
])
def test_balance_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    code, out = _balance("--seeds", "2", *args)
    assert code == 2, out


def test_balance_messages_for_usage_errors() -> None:
    assert "unknown strategies: nonsense (known: do_nothing," in _balance(
        "--strategies", "nonsense")[1]
    assert "choose one of --json and --csv" in _balance("--json", "--csv")[1]


def test_balance_invalid_scenario_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["balance", str(bad), "--seeds", "1"])
    assert result.exit_code == 1


def test_balance_reports_an_unreadable_reference_solution(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(CLEAN, encoding="utf-8")
    (tmp_path / "mine.acts").write_text("quick_wins ben\n", encoding="utf-8")
    result = runner.invoke(app, ["balance", str(scenario), "--seeds", "1", "--csv"])
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception)  # an exit, not a crash


# -- trustsim debrief -------------------------------------------------------------------------

CHAIR = "new-in-the-chair"


def _reference_lines() -> list[str]:
    acts = reference_solution(_shipped(CHAIR))
    assert acts is not None
    return acts.read_text(encoding="utf-8").splitlines()


def _diverging_at_turn_2() -> str:
    """The reference solution, with other acts in turn 2."""
    lines = [line for line in _reference_lines() if line.strip() and not line.startswith("#")]
    ends = [i for i, line in enumerate(lines) if line.strip() == "end_turn"]
    turn_two = ["feedback sami", "coach ines"]
    assert lines[ends[0] + 1: ends[1]] != turn_two
    return "\n".join([*lines[: ends[0] + 1], *turn_two, *lines[ends[1]:]]) + "\n"


def _save(path: Path, acts: str, scenario: str = CHAIR) -> Game:
    game = Game(str(_shipped(scenario)), undo=False)
    play(game, parse_script(acts, path.name))
    game.save(path)
    return game


@pytest.fixture
def saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    paths = [tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"]
    assert _save(paths[0], "\n".join(_reference_lines())).won
    assert not _save(paths[1], "").won
    _save(paths[2], _diverging_at_turn_2())
    return paths


def _table(report: str, header_start: str) -> tuple[list[str], dict[str, list[str]]]:
    """The Markdown table whose header starts with ``header_start``: header, rows by key."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows: dict[str, list[str]] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return header, rows


def test_debrief_compares_sessions(saves: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["debrief", "a.json", "b.json", "c.json", "-o", "report.md"])
    assert result.exit_code == 0, result.output
    assert "wrote report.md" in result.output
    for name in ("a", "b", "c"):
        assert re.search(rf"│ {name} +│", result.output), result.output
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    t = Messages("en")
    assert report.startswith(f"# {t('debrief.title', title='New in the chair')}\n")

    header, rows = _table(report, "| session |")
    assert set(rows) == {"a", "b", "c"}
    objectives = header.index(t("debrief.objectives"))
    goals = len(load_scenario(ROOT / "scenarios" / "new-in-the-chair.yaml").setup.objectives)
    assert rows["a"][objectives] == f"✓ {goals}/{goals}"
    assert rows["b"][objectives].startswith("✗ ")
    assert rows["c"][objectives][0] in "✓✗"
    diverged = header.index("diverged at")
    # turn 1: a and c play the reference, b nothing; turn 2: all differ, and the first
    # session named counts as the majority; from turn 3 a and c agree again
    assert [rows[s][diverged] for s in "abc"] == ["–", "1", "2"]

    assert f"## {t('debrief.acts')}" in report
    acts_header, acts = _table(report, "| turn |")
    assert acts_header == ["turn", "a", "b", "c"]
    assert list(acts) == [str(turn) for turn in range(1, 9)]
    assert acts["1"][1] == acts["1"][3] != acts["1"][2] == "–"
    assert acts["2"][1] != acts["2"][3]
    assert "Feedback Sami Haddad" in acts["2"][3] and "Coach Inès Laurent" in acts["2"][3]
    assert acts["3"][1] == acts["3"][3]
    assert f"## {t('debrief.turning_points')}" in report
    assert f"## {t('debrief.questions')}" in report


def test_debrief_writes_debrief_md_by_default(saves: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["debrief", *map(str, saves)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "debrief.md").is_file()


def test_debrief_refuses_saves_of_different_scenarios(saves: list[Path],
                                                      tmp_path: Path) -> None:
    other = tmp_path / "d.json"
    _save(other, "end_turn\n", scenario="two-floors")
    result = runner.invoke(app, ["debrief", str(saves[0]), str(other), "-o", "mixed.md"])
    assert result.exit_code == 1
    assert "different scenarios" in result.output
    assert not (tmp_path / "mixed.md").exists()


@pytest.mark.parametrize("content", ['{"format": "trustsim-save", "vers', "[]", "",
                                     '{"format": "trustsim-save", "version": 1}'])
def test_debrief_refuses_a_corrupt_save(saves: list[Path], tmp_path: Path,
                                        content: str) -> None:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["debrief", str(saves[0]), str(corrupt), "-o", "out.md"])
    assert result.exit_code == 1
    assert str(corrupt) in result.output
    assert not (tmp_path / "out.md").exists()


def test_debrief_keeps_sessions_with_the_same_file_name_apart(saves: list[Path],
                                                              tmp_path: Path) -> None:
    for folder, save in (("x", saves[0]), ("y", saves[1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "session.json").write_bytes(save.read_bytes())
    result = runner.invoke(app, ["debrief", "x/session.json", "y/session.json", "-o", "r.md"])
    assert result.exit_code == 0
    _, acts = _table((tmp_path / "r.md").read_text(encoding="utf-8"), "| turn |")
    assert acts["1"][1] != acts["1"][2]


# -- the guide: docs/authoring.md -------------------------------------------------------------


def _gen_reference() -> ModuleType:
    path = ROOT / "docs" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("docs_gen_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_field_reference_matches_the_schema() -> None:
    gen = _gen_reference()
    text = AUTHORING_MD.read_text(encoding="utf-8")
    assert text.count(gen.START) == 1 and text.count(gen.END) == 1
    assert gen.between_markers(text) == gen.reference_markdown(), (
        "the field reference in docs/authoring.md is stale: run "
        "`python docs/gen_reference.py --write`")


def test_field_reference_lists_every_model_and_property() -> None:
    reference = _gen_reference().reference_markdown()
    schema = scenario_schema()
    models = {"Scenario": schema, **schema["$defs"]}
    sections = re.split(r"^#### ", reference, flags=re.M)[1:]
    by_name = {s.split("\n", 1)[0].strip("`"): s for s in sections}
    assert set(by_name) == set(models)
    for name, model in models.items():
        for prop, definition in model.get("properties", {}).items():
            row = next((line for line in by_name[name].splitlines()
                        if line.startswith(f"| `{prop}` |")), None)
            assert row is not None, f"{name}.{prop} is missing"
            if definition.get("description"):
                assert " ".join(definition["description"].split()) in row.replace("\\|", "|")


def _shown_commands() -> list[list[str]]:
    text = AUTHORING_MD.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "trustsim":
                commands.append(words)
    return commands


def test_every_command_the_guide_shows_exists() -> None:
    commands = _shown_commands()
    assert len(commands) >= 15
    names = {c.name or (c.callback.__name__ if c.callback else "")
             for c in app.registered_commands}
    for words in commands:
        name = next((w for w in words[1:] if not w.startswith("-")), None)
        assert name in names, " ".join(words)
        help_text = runner.invoke(app, [name, "--help"]).output
        for word in words[1:]:
            if word.startswith("--"):
                assert word.split("=")[0] in help_text, f"{' '.join(words)}: {word}?"
