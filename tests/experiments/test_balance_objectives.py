"""`trustsim balance` shows each objective's value per strategy (mean and range over the
seeds), in its table and in --json, so tuning a scenario needs no extra `run` calls."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiments.balance import run_one
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "scenarios" / "two-floors.yaml"
runner = CliRunner()


def _balance(*args: str) -> str:
    # wide enough that no cell of the tables wraps
    result = runner.invoke(app, ["balance", str(FLOORS), "--seeds", "3",
                                 "--strategies", "do_nothing,reference", *args],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_json_carries_each_objectives_mean_and_range_per_strategy() -> None:
    data = json.loads(_balance("--json"))
    objectives = [o.id for o in load_scenario(FLOORS).setup.objectives]
    for row in data["summary"]:
        assert list(row["objectives"]) == objectives
        # the runs of the strategy's best answers, as the row says
        runs = [r for r in data["runs"] if r["strategy"] == row["strategy"]
                and r["choices"] == row["best_choices"]]
        assert len(runs) == row["runs"] == 3
        for goal in objectives:
            values = [r["objectives"][goal] for r in runs]
            assert row["objectives"][goal] == {"mean": statistics.fmean(values),
                                               "min": min(values), "max": max(values)}
    # each run's value is the one its game was judged on
    reference = next(r for r in data["runs"] if r["strategy"] == "reference")
    again = run_one(str(FLOORS), "reference", reference["seed"])
    assert reference["objectives"] == again.objectives
    assert all(v is not None for v in reference["objectives"].values())
    # what the strategies are for shows in the numbers: bridges are built by the
    # reference, not by doing nothing
    by = {row["strategy"]: row["objectives"] for row in data["summary"]}
    assert by["reference"]["open-up"]["min"] > by["do_nothing"]["open-up"]["max"]


def test_the_table_shows_each_objective_per_strategy_with_its_target() -> None:
    out = _balance()
    data = json.loads(_balance("--json"))
    assert "Objectives as judged: mean (lowest to highest over seeds)" in " ".join(out.split())
    flat = " ".join(out.replace("│", " ").split())
    for objective in load_scenario(FLOORS).setup.objectives:
        assert f"{objective.id} >= {objective.at_least:g}" in flat
    for row in data["summary"]:
        for goal, found in row["objectives"].items():
            cell = f"{found['mean']:.2f} ({found['min']:.2f} to {found['max']:.2f})"
            assert cell in flat, (row["strategy"], goal, cell)


def test_counted_objectives_show_whole_numbers() -> None:
    result = runner.invoke(app, ["balance", "new-in-the-chair", "--seeds", "2",
                                 "--strategies", "reference"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.replace("│", " ").split())
    # "Keep at least three promises": the reference keeps four, in every seed
    assert "4.0 (4 to 4)" in flat and "4.00 (4.00" not in flat
