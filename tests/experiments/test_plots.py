"""Table plots: bands are 95% CIs over runs, with --where, --facet and a caption that says
how each point was made. (File types and --network: test_lab.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

pd = pytest.importorskip("pandas", reason="the lab extra (pandas) is not installed")
pytest.importorskip("matplotlib", reason="the lab extra (matplotlib) is not installed")
scipy_stats = pytest.importorskip("scipy.stats", reason="the lab extra (scipy) is not installed")

from simulator.cli import app  # noqa: E402
from simulator.experiments import lab, stats  # noqa: E402
from simulator.experiments.plots import plot_table  # noqa: E402

runner = CliRunner()


def sweep_like(reps: int = 3, teams: int = 5, turns: int = 4) -> pd.DataFrame:
    """Two strategies x two kappas x ``reps`` runs x ``turns`` x ``teams``; a run's team
    mean at turn t is ``base + t * slope + r / 100`` for replicate r."""
    rows = []
    for strategy, base in (("do_nothing", -0.5), ("build_bridges", -0.3)):
        for kappa, slope in ((1.0, -0.01), (3.0, -0.03)):
            for r in range(reps):
                for turn in range(turns):
                    for t, offset in enumerate(np.linspace(-0.2, 0.2, teams)):
                        rows.append({"run": f"{strategy}-{kappa}-{r}", "strategy": strategy,
                                     "param_asymmetry": kappa, "turn": turn, "team": f"t{t}",
                                     "team_size": 4,
                                     "ei": base + turn * slope + r / 100 + offset})
    return pd.DataFrame(rows)


def test_bands_are_cis_over_runs_and_the_caption_says_so(tmp_path: Path) -> None:
    frame = sweep_like(reps=2)
    drawn = plot_table(frame, tmp_path / "f.png", where=["param_asymmetry=1"])
    assert drawn.keys == ("strategy", "turn")
    point = next(c for c in drawn.cells if c.key == ("do_nothing", 3))
    runs = [-0.5 - 0.03 + r / 100 for r in range(2)]
    ci = scipy_stats.ttest_1samp(runs, 0.0).confidence_interval(0.95)
    assert point.n == 2  # two runs of five teams each: n is 2
    assert (point.mean, point.low, point.high) == pytest.approx(
        (np.mean(runs), ci.low, ci.high), abs=1e-12)
    assert "mean over runs of the mean over teams of ei" in drawn.caption
    assert "95% CI over runs" in drawn.caption and "n = 2 runs per point" in drawn.caption
    assert "pooled" not in drawn.caption
    assert (tmp_path / "f.png").read_bytes().startswith(b"\x89PNG")


def test_pooled_conditions_facets_and_a_parameter_on_x(tmp_path: Path) -> None:
    frame = sweep_like()
    pooled = plot_table(frame, tmp_path / "p.svg")
    assert "pooled over asymmetry (2 values)" in pooled.caption
    assert "n = 6 runs per point" in pooled.caption
    faceted = plot_table(frame, tmp_path / "f.svg", facet="param_asymmetry")
    assert faceted.keys == ("strategy", "param_asymmetry", "turn")
    assert "pooled" not in faceted.caption and "n = 3 runs per point" in faceted.caption
    against = plot_table(frame, tmp_path / "k.pdf", x="param_asymmetry", team="t0")
    assert "team t0's ei, at each run's last turn" in against.caption
    assert {c.key for c in against.cells} == {(s, k) for s in ("do_nothing", "build_bridges")
                                              for k in (1.0, 3.0)}
    early = plot_table(frame, tmp_path / "k.pdf", x="param_asymmetry", turn=0)
    assert "at turn 0" in early.caption
    assert all(c.mean == pytest.approx(-0.5 + 0.01 if c.key[0] == "do_nothing" else -0.29)
               for c in early.cells)


def test_identical_replicates_show_in_the_caption(tmp_path: Path) -> None:
    frame = sweep_like()
    frame["ei"] = frame["turn"] * 0.1  # every run the same
    drawn = plot_table(frame, tmp_path / "f.png", facet="param_asymmetry")
    assert "replicates identical at 16 of 16 points (zero-width band)" in drawn.caption


def test_plot_where_and_facet_on_the_command_line(tmp_path: Path) -> None:
    frame = sweep_like()
    path = tmp_path / "t.parquet"
    lab.write_table(lab.Rows({c: frame[c].tolist() for c in frame.columns}), path)
    out = tmp_path / "f.png"
    result = runner.invoke(app, ["plot", str(path), "--y", "ei", "--by", "strategy",
                                 "--facet", "param_asymmetry", "--where",
                                 "strategy=build_bridges", "--weighted", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    for bad in (["--where", "strategy=dance"], ["--facet", "nope"], ["--x", "strategy"],
                ["--where", "param_asymmetry=2"], ["--team", "nobody"]):
        result = runner.invoke(app, ["plot", str(path), *bad, "-o", str(out)])
        assert result.exit_code == 2, (bad, result.output)
        assert "Traceback" not in result.output


def test_plot_reads_rows_and_lab_tables_alike(tmp_path: Path) -> None:
    frame = sweep_like(reps=2)
    rows = frame.to_dict("records")
    a = plot_table(rows, tmp_path / "a.png")
    b = plot_table(stats.as_frame(lab.Rows.from_dicts(rows)), tmp_path / "b.png")
    assert [(c.key, c.mean) for c in a.cells] == [(c.key, c.mean) for c in b.cells]
