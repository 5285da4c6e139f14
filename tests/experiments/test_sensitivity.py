"""Sensitivity analysis: SALib designs played as lab runs, resumable, ranked, plotted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from simulator.cli import app
from simulator.core.params import PARAMS, PARAMS_BY_NAME
from simulator.experiments import lab
from simulator.experiments import sensitivity as sa

pytest.importorskip("SALib")

ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")
runner = CliRunner()

#: apology_integrity only matters to the `apologise` act, which do_nothing never plays
CHOSEN = ["asymmetry", "drift", "silo_erosion", "apology_integrity"]


def small(**options: object) -> sa.Design:
    return sa.plan(FLOORS, **{"method": "morris", "params": CHOSEN, "samples": 3,
                              "turns": 4, **options})  # type: ignore[arg-type]


def cli(tmp_path: Path, *args: str) -> Result:
    return runner.invoke(app, ["sensitivity", "two-floors", "--params", ",".join(CHOSEN),
                               "--samples", "3", "--turns", "4", *args])


def test_select_params_names_aliases_groups_and_exclusions() -> None:
    assert sa.select_params("kappa,drift") == ["asymmetry", "drift"]
    assert sa.select_params("drift,kappa") == ["asymmetry", "drift"]  # declaration order
    spread = sa.select_params("group:spread")
    assert spread and "cross_team_damping" in spread and "drift" not in spread
    assert "max_hops" not in sa.select_params("group:spread,-max_hops")
    everything = sa.select_params("all")
    assert len(everything) == len([p for p in PARAMS if p.lo < p.hi])
    assert sa.select_params("-group:acts") == [n for n in everything
                                               if PARAMS_BY_NAME[n].group != "acts"]
    for bad in ("nope", "group:nope", "", "drift,-drift"):
        with pytest.raises(ValueError):
            sa.select_params(bad)


def test_run_counts_follow_the_methods() -> None:
    assert sa.run_count("morris", 4, 3) == 15
    assert sa.run_count("sobol", 4, 8) == 48
    assert len(small().runs) == 15
    assert len(sa.plan(FLOORS, method="sobol", params=CHOSEN, samples=8).runs) == 48


def test_every_run_has_the_same_seed_and_points_stay_in_bounds() -> None:
    design = small(seed=7)
    assert {r.seed for r in design.runs} == {7}
    for j, name in enumerate(design.names):
        p = PARAMS_BY_NAME[name]
        assert p.lo <= design.points[:, j].min() and design.points[:, j].max() <= p.hi
    assert [r.key for r in design.runs] == [r.key for r in small(seed=7).runs]
    assert [r.key for r in design.runs] != [r.key for r in small(seed=8).runs]


def test_integer_parameters_are_played_as_whole_numbers() -> None:
    design = sa.plan(FLOORS, params="max_hops,embedded_contacts,drift", samples=4)
    assert design.names == ("drift", "max_hops", "embedded_contacts")  # declaration order
    whole = design.points[:, 1:]
    assert np.array_equal(whole, np.round(whole))
    rows = lab.run_rows(design.runs[0])  # the scenario accepts the values
    assert len(rows)


def test_morris_runs_end_to_end_and_ranks_every_chosen_parameter() -> None:
    ranking = sa.sensitivity(FLOORS, params=CHOSEN, samples=3, turns=4)
    assert sorted(ranking.parameters()) == sorted(CHOSEN)
    assert [e["rank"] for e in ranking.entries] == [1, 2, 3, 4]
    stars = [e["mu_star"] for e in ranking.entries]
    assert stars == sorted(stars, reverse=True)
    assert ranking.runs == 15 and ranking.turn == 4
    by_name = {e["parameter"]: e for e in ranking.entries}
    assert by_name["silo_erosion"]["mu_star"] > 0
    markdown = ranking.markdown()
    for name in CHOSEN:
        assert f"`{name}`" in markdown


def test_a_parameter_that_cannot_act_has_no_effect() -> None:
    for method, samples, key in (("morris", 3, "mu_star"), ("sobol", 4, "ST")):
        ranking = sa.sensitivity(FLOORS, method=method, params=CHOSEN, samples=samples,
                                 turns=4)
        entry = next(e for e in ranking.entries if e["parameter"] == "apology_integrity")
        assert entry[key] == 0.0
        assert ranking.without_effect() == ["apology_integrity"]
        assert ranking.entries[-1]["parameter"] == "apology_integrity"
        assert "apology_integrity" in ranking.markdown().split("No effect")[1]


def test_the_outcome_is_the_mean_over_teams_at_the_chosen_turn() -> None:
    design = small()
    means = sa.run_design(design)
    rows = lab.run_rows(design.runs[4])
    at = [r["trust_across"] for r in rows if r["turn"] == 2]
    y = sa.outcome_values(design, means, "trust_across", 2)
    assert y[4] == pytest.approx(sum(at) / len(at), abs=1e-15)
    last = [r["ei"] for r in rows if r["turn"] == 4]
    assert sa.outcome_values(design, means)[4] == pytest.approx(sum(last) / len(last))
    with pytest.raises(ValueError, match="end at turn 4"):
        sa.outcome_values(design, means, "ei", 9)


def test_resuming_does_not_rerun_finished_runs(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    design = small()
    total = len(design.unique_runs())
    parts = tmp_path / "runs.parquet.parts"
    parts.mkdir()
    played: list[str] = []
    real = lab.run_rows

    def counting(spec: lab.RunSpec) -> lab.Rows:
        if len(played) == 6 and interrupt:
            raise KeyboardInterrupt
        played.append(spec.key)
        return real(spec)

    monkeypatch.setattr(lab, "run_rows", counting)
    interrupt = True
    with pytest.raises(KeyboardInterrupt):
        sa.run_design(design, parts=parts, out=tmp_path / "runs.parquet")
    assert not (tmp_path / "runs.parquet").exists()
    assert sa.finished(design, tmp_path / "runs.parquet", parts) == 6
    interrupt = False
    first = list(played)
    played.clear()
    resumed = sa.run_design(design, parts=parts, out=tmp_path / "runs.parquet")
    assert len(played) == total - 6 and not set(played) & set(first)
    fresh = sa.run_design(design)
    assert resumed.keys() == fresh.keys()
    for key in fresh:
        assert np.array_equal(resumed[key], fresh[key], equal_nan=True)
    # the finished table holds every run: asking again plays nothing
    played.clear()
    again = sa.run_design(design, parts=parts, out=tmp_path / "runs.parquet")
    assert played == [] and again.keys() == fresh.keys()


def test_the_command_resumes_and_reuses_its_table(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "runs.csv"
    first = cli(tmp_path, "--jobs", "1", "--out", str(out), "--json")
    assert first.exit_code == 0, first.output
    assert "3 x (4 + 1) = 15 runs" in first.stderr
    assert out.exists() and not (tmp_path / "runs.csv.parts").exists()
    played: list[str] = []
    real = lab.run_rows

    def counting(spec: lab.RunSpec) -> lab.Rows:
        played.append(spec.key)
        return real(spec)

    monkeypatch.setattr(lab, "run_rows", counting)
    again = cli(tmp_path, "--jobs", "1", "--out", str(out), "--json")
    assert again.exit_code == 0, again.output
    assert played == [] and "15 already done" in again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    # another outcome from the same runs: nothing to play either
    other = cli(tmp_path, "--jobs", "1", "--out", str(out), "--json", "--outcome",
                "trust_across")
    assert other.exit_code == 0 and played == []
    assert json.loads(other.stdout)["outcome"] == "trust_across"


def test_serial_and_two_processes_give_identical_results(tmp_path: Path) -> None:
    results = []
    for jobs in ("1", "2"):
        out = tmp_path / f"runs-{jobs}.parquet"
        result = cli(tmp_path, "--jobs", jobs, "--out", str(out), "--json")
        assert result.exit_code == 0, result.output
        results.append((json.loads(result.stdout), out.read_bytes()))
    assert results[0][0] == results[1][0]
    serial = lab.Rows(_columns(tmp_path / "runs-1.parquet"))
    assert serial == lab.Rows(_columns(tmp_path / "runs-2.parquet"))


def _columns(path: Path) -> dict[str, list[Any]]:
    import pyarrow.parquet as pq

    return dict(pq.read_table(path).to_pydict())  # type: ignore[no-untyped-call]


def test_the_command_writes_markdown_json_and_a_figure(tmp_path: Path) -> None:
    md, js, png = tmp_path / "r.md", tmp_path / "r.json", tmp_path / "f.png"
    result = cli(tmp_path, "--out", str(tmp_path / "t.parquet"), "-o", str(md), "--plot",
                 str(png), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == md.read_text(encoding="utf-8")
    assert "| rank | parameter |" in result.stdout and "seed 0 in every run" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = cli(tmp_path, "--out", str(tmp_path / "t.parquet"), "-o", str(js),
                 "--method", "sobol", "--samples", "4", "--jobs", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["method"] == "sobol" and data["runs"] == 4 * (4 + 2)
    assert {e["parameter"] for e in data["ranking"]} == set(CHOSEN)
    assert {"ST", "ST_conf", "S1", "S1_conf"} <= set(data["ranking"][0])


@pytest.mark.parametrize(("args", "message"), [
    (["--params", "asymmetry,nope"], "unknown 'nope'"),
    (["--method", "fast"], "--method: unknown 'fast'"),
    (["--outcome", "happiness"], "--outcome: unknown 'happiness'"),
    (["--samples", "0"], "at least 2"),
    (["--method", "sobol", "--samples", "6"], "power of 2"),
    (["--method", "sobol", "--samples", "1024", "--params", "all"], "--yes"),
    (["--plot", "fig.jpg"], "ends in"),
    (["--out", "runs.xlsx"], "ends in .csv or .parquet"),
    (["--turn", "99"], "end at turn"),
    (["--strategy", "dance"], "unknown strategies"),
])
def test_bad_inputs_are_refused_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["sensitivity", "two-floors", "--samples", "3",
                                 "--params", "asymmetry,drift", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing ran, nothing written


def test_a_constant_outcome_ranks_nothing_first(tmp_path: Path) -> None:
    ranking = sa.sensitivity(FLOORS, method="sobol", params=CHOSEN, samples=4, turns=2,
                             outcome="promises_broken")
    assert ranking.constant and ranking.without_effect() == ranking.parameters()
    assert "same in every run" in ranking.markdown()
