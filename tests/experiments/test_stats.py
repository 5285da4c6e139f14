"""Statistics over lab tables: one value per run, CIs over runs (never teams), effects."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

pd = pytest.importorskip("pandas", reason="the lab extra (pandas) is not installed")
pytest.importorskip("pyarrow", reason="the lab extra (pyarrow) is not installed")
scipy_stats = pytest.importorskip("scipy.stats", reason="the lab extra (scipy) is not installed")

from simulator.cli import app  # noqa: E402
from simulator.experiments import lab, stats  # noqa: E402
from simulator.experiments.stats import StatsError  # noqa: E402

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")

# per-run values (the mean over a run's teams) the tables below are built from
BASE = [-0.50, -0.42, -0.61, -0.55, -0.47]
BRIDGES = [-0.31, -0.20, -0.36, -0.28]


def table(per_strategy: dict[str, list[float]], *, teams: int = 5, turns: int = 3,
          spread: float = 0.1) -> pd.DataFrame:
    """A lab-like table whose runs' team-mean ``ei`` at the last turn is the given value:
    the teams of a run spread symmetrically around it (so they look like many
    observations), and earlier turns hold other numbers."""
    offsets = np.linspace(-spread, spread, teams)
    rows = []
    for strategy, values in per_strategy.items():
        for i, value in enumerate(values):
            for turn in range(turns):
                for t, offset in enumerate(offsets):
                    last = turn == turns - 1
                    rows.append({
                        "run": f"{strategy}-{i}", "scenario": "toy", "strategy": strategy,
                        "seed": i, "param_asymmetry": 1.0, "turn": turn, "team": f"t{t}",
                        "team_size": t + 1, "ei": (value if last else 0.3) + offset,
                        "modularity": value / 2})
    return pd.DataFrame(rows)


def test_the_examples_in_the_docstrings_hold() -> None:
    result = doctest.testmod(stats, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0


def test_the_ci_is_the_t_interval_over_runs_computed_by_hand() -> None:
    summary = stats.summarize(table({"do_nothing": BASE}), ["strategy"], "ei")
    (cell,) = summary.cells
    mean, sd, n = np.mean(BASE), np.std(BASE, ddof=1), len(BASE)
    half = scipy_stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
    assert cell.n == 5 and summary.turn == 2
    assert cell.mean == pytest.approx(mean, abs=1e-12)
    assert cell.sd == pytest.approx(sd, abs=1e-12)
    assert (cell.low, cell.high) == pytest.approx((mean - half, mean + half), abs=1e-12)
    ci = scipy_stats.ttest_1samp(BASE, 0.0).confidence_interval(0.95)
    assert (cell.low, cell.high) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_the_effect_is_welchs_interval_as_scipy_gives_it() -> None:
    summary = stats.summarize(table({"do_nothing": BASE, "build_bridges": BRIDGES}),
                              ["strategy"], "ei", baseline="do_nothing")
    base, bridges = summary.cells
    assert base.key == ("do_nothing",) and base.effect == 0.0 and base.effect_low is None
    test = scipy_stats.ttest_ind(BRIDGES, BASE, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert bridges.effect == pytest.approx(np.mean(BRIDGES) - np.mean(BASE), abs=1e-12)
    assert (bridges.effect_low, bridges.effect_high) == pytest.approx((ci.low, ci.high),
                                                                      abs=1e-12)
    assert bridges.baseline == ("do_nothing",)


def test_teams_are_not_replicates() -> None:
    # 2 runs x 5 teams: ten rows at the last turn, but two replicates
    frame = table({"do_nothing": [-0.5, -0.3]})
    (cell,) = stats.summarize(frame, ["strategy"], "ei").cells
    assert cell.n == 2
    half = scipy_stats.t.ppf(0.975, 1) * np.std([-0.5, -0.3], ddof=1) / np.sqrt(2)
    assert (cell.low, cell.high) == pytest.approx((-0.4 - half, -0.4 + half), abs=1e-12)
    # what counting teams as replicates would have given: a much narrower interval
    rows = frame[frame.turn == 2]["ei"]
    wrong = scipy_stats.ttest_1samp(rows, 0.0).confidence_interval(0.95)
    assert cell.high - cell.low > 5 * (wrong.high - wrong.low)


def test_a_run_becomes_one_value_weighted_unweighted_or_one_team() -> None:
    frame = table({"do_nothing": [-0.5, -0.3]}, spread=0.2)
    last = frame[frame.turn == 2]
    plain = stats.per_run(last, "ei")
    assert plain.values["value"].tolist() == pytest.approx([-0.5, -0.3])
    assert plain.values["teams"].tolist() == [5, 5]
    assert "each team counts once" in plain.aggregation
    weighted = stats.per_run(last, "ei", weighted=True)
    expected = [np.average(g["ei"], weights=g["team_size"]) for _, g in last.groupby("run")]
    assert weighted.values["value"].tolist() == pytest.approx(expected)
    assert "weighted by team size" in weighted.aggregation
    one = stats.per_run(last, "ei", team="t4")
    assert one.values["value"].tolist() == pytest.approx([-0.3, -0.1])
    assert one.aggregation == "team t4's ei"
    org = stats.per_run(last, "modularity")
    assert org.values["value"].tolist() == pytest.approx([-0.25, -0.15])
    assert "the same on every team row" in org.aggregation


def test_teams_without_a_value_are_left_out_of_the_run_mean() -> None:
    frame = table({"do_nothing": [-0.5]}, teams=2, spread=0.1)
    frame.loc[(frame.turn == 2) & (frame.team == "t0"), "ei"] = np.nan
    values = stats.per_run(frame[frame.turn == 2], "ei").values
    assert values["value"].tolist() == pytest.approx([-0.4]) and values["teams"].tolist() == [1]


def test_identical_replicates_are_reported_not_hidden() -> None:
    summary = stats.summarize(table({"do_nothing": [-0.4] * 4, "build_bridges": [-0.2] * 3}),
                              ["strategy"], "ei", baseline="do_nothing")
    base, bridges = summary.cells
    assert base.identical and base.sd == 0 and base.low == base.high == pytest.approx(-0.4)
    assert any("replicates are identical: all 4 runs give -0.4000" in n for n in base.notes)
    assert "replicates are identical" in summary.to_markdown()
    assert bridges.effect_low == bridges.effect_high == pytest.approx(0.2)
    assert any("zero-width" in n for n in bridges.notes)
    assert json.loads(summary.to_json())["cells"][0]["identical"] is True


def test_the_baseline_matches_the_other_by_columns() -> None:
    a = table({"do_nothing": [-0.5, -0.4], "build_bridges": [-0.3, -0.2]})
    b = table({"do_nothing": [-0.9, -0.8], "build_bridges": [-0.1, 0.0]})
    b["param_asymmetry"] = 3.0
    b["run"] = "k3-" + b["run"]
    frame = pd.concat([a, b], ignore_index=True)
    summary = stats.summarize(frame, ["strategy", "param_asymmetry"], "ei",
                              baseline="do_nothing")
    effects = {c.key: c.effect for c in summary.cells}
    assert effects[("build_bridges", 1.0)] == pytest.approx(0.2)
    assert effects[("build_bridges", 3.0)] == pytest.approx(0.8)
    assert [c.key for c in summary.cells] == [("do_nothing", 1.0), ("do_nothing", 3.0),
                                              ("build_bridges", 1.0), ("build_bridges", 3.0)]
    by_kappa = stats.summarize(frame, ["strategy", "param_asymmetry"], "ei",
                               baseline="param_asymmetry=1")
    assert {c.key: c.effect for c in by_kappa.cells}[("do_nothing", 3.0)] == pytest.approx(-0.4)
    # pooled conditions are said, not silently mixed
    pooled = stats.summarize(frame, ["strategy"], "ei")
    assert pooled.pooled == [("param_asymmetry", 2)]
    assert "pools runs over param_asymmetry (2 values)" in pooled.to_markdown()
    assert stats.summarize(frame, ["strategy"], "ei",
                           where=["param_asymmetry=3"]).pooled == []


def test_turn_where_and_formats() -> None:
    frame = table({"do_nothing": BASE, "build_bridges": BRIDGES})
    early = stats.summarize(frame, ["strategy"], "ei", turn=0)
    assert early.turn == 0 and early.cells[0].mean == pytest.approx(0.3)
    only = stats.summarize(frame, ["strategy"], "ei", where=["strategy=build_bridges"])
    assert [c.key for c in only.cells] == [("build_bridges",)]
    summary = stats.summarize(frame, ["strategy"], "ei", baseline="do_nothing")
    records = list(pd.read_csv(__import__("io").StringIO(summary.to_csv())).itertuples())
    assert [r.strategy for r in records] == ["do_nothing", "build_bridges"]
    assert records[1].n == 4 and records[1].per_run.startswith("the mean over teams")
    data = json.loads(summary.to_json())
    assert data["turn"] == 2 and data["baseline"] == {"strategy": "do_nothing"}
    assert "teams are not replicates" in data["method"]
    text = summary.to_markdown()
    assert "| build_bridges | 4 |" in text and "95% CI" in text
    assert summary.to_frame().shape[0] == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"by": ["nope"]}, "no column 'nope'"),
    ({"outcome": "team"}, "not a number column"),
    ({"baseline": "dance"}, "baseline strategy=dance is not in the selection"),
    ({"baseline": "seed=1"}, "not one of --by"),
    ({"turn": 7}, "turn 7 is not in the table (turns 0 to 2)"),
    ({"where": ["strategy=dance"]}, "no row has strategy = dance"),
    ({"where": ["param_asymmetry=x"]}, "holds numbers"),
    ({"where": ["strategy=do_nothing", "run=build_bridges-0"]}, "no row has run"),
    ({"team": "t9"}, "no team 't9'"),
    ({"by": ["turn"]}, "takes one turn"),
])
def test_bad_questions_are_clear_errors(kwargs: dict[str, object], message: str) -> None:
    frame = table({"do_nothing": BASE, "build_bridges": BRIDGES})
    options: dict[str, object] = {"by": ["strategy"], "outcome": "ei", **kwargs}
    with pytest.raises(StatsError) as caught:
        stats.summarize(frame, **options)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_an_empty_table_is_a_clear_error() -> None:
    empty = table({"do_nothing": BASE}).iloc[0:0]
    with pytest.raises(StatsError, match="empty"):
        stats.summarize(empty, ["strategy"], "ei")


def test_text_columns_are_the_labs() -> None:
    assert lab.STR_COLUMNS <= stats.TEXT_COLUMNS


def write(frame: pd.DataFrame, path: Path) -> Path:
    lab.write_table(lab.Rows({c: frame[c].tolist() for c in frame.columns}), path)
    return path


def test_csv_and_parquet_give_the_same_summary_and_digit_run_ids_stay_text(
        tmp_path: Path) -> None:
    frame = table({"do_nothing": BASE, "build_bridges": BRIDGES})
    frame["run"] = frame["run"].map({r: f"{i:016d}" for i, r in enumerate(frame.run.unique())})
    outs = []
    for suffix in (".csv", ".parquet"):
        read = stats.read_table(write(frame, tmp_path / f"t{suffix}"), ["run", "strategy",
                                                                          "turn", "ei"])
        assert read["run"].astype(str).iloc[0] == "0000000000000000"
        outs.append(stats.summarize(read, ["strategy"], "ei",
                                    baseline="do_nothing").to_json())
    assert outs[0] == outs[1]
    with pytest.raises(StatsError, match="no column 'nope'"):
        stats.read_table(tmp_path / "t.csv", ["nope"])


def test_summarize_on_the_command_line(tmp_path: Path) -> None:
    path = write(table({"do_nothing": BASE, "build_bridges": BRIDGES}), tmp_path / "t.csv")
    result = runner.invoke(app, ["summarize", str(path), "--by", "strategy", "--outcome",
                                 "ei", "--baseline", "do_nothing"])
    assert result.exit_code == 0, result.output
    assert "| build_bridges | 4 |" in result.output and "Welch 95% CI" in result.output
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["summarize", str(path), "--format", "json", "--team", "t0",
                                 "--where", "strategy=build_bridges", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["per_run"] == "team t0's ei" and data["cells"][0]["n"] == 4
    csv_text = runner.invoke(app, ["summarize", str(path), "--format", "csv",
                                   "--weighted"]).output
    assert "weighted by team size" in csv_text.splitlines()[1]


@pytest.mark.parametrize("args", [
    ["--by", "nope"], ["--outcome", "team"], ["--baseline", "dance"], ["--turn", "9"],
    ["--where", "strategy=dance"], ["--where", "nonsense"], ["--format", "xml"],
])
def test_summarize_bad_inputs_exit_2(tmp_path: Path, args: list[str]) -> None:
    path = write(table({"do_nothing": BASE}), tmp_path / "t.parquet")
    result = runner.invoke(app, ["summarize", str(path), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_a_real_sweep_is_summarized_over_runs(tmp_path: Path) -> None:
    out = tmp_path / "sweep.parquet"
    assert runner.invoke(app, ["sweep", FLOORS, "--strategy", "do_nothing,build_bridges",
                               "--reps", "3", "--jobs", "1", "--turns", "3",
                               "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["summarize", str(out), "--baseline", "do_nothing"])
    assert result.exit_code == 0, result.output
    summary = stats.summarize(stats.read_table(out), ["strategy"], "ei",
                              baseline="do_nothing")
    assert [c.n for c in summary.cells] == [3, 3]
    teams = stats.read_table(out)["team"].nunique()
    assert teams > 1  # several teams a run, still n = 3 runs
    for cell in summary.cells:  # whether seeds vary a run depends on the strategy
        assert ("replicates are identical" in result.output) >= cell.identical


def test_mean_interval_edges() -> None:
    assert stats.mean_interval([0.5, 0.5, 0.5]) == (0.5, 0.5, 0.5)
    mean, low, high = stats.mean_interval([0.5, float("nan")])
    assert mean == 0.5 and np.isnan(low) and np.isnan(high)
    assert all(np.isnan(v) for v in stats.mean_interval([]))
    ci = scipy_stats.ttest_1samp(BASE, 0.0).confidence_interval(0.9)
    assert stats.mean_interval(BASE, 0.9)[1:] == pytest.approx((ci.low, ci.high), abs=1e-12)
