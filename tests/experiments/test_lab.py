"""The lab: tidy tables, reproducible sweeps (serial, processes, Dask), resume, exports."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiments import lab
from simulator.experiments.lab import CAUSE_COLUMNS, parse_param, plan_sweep, run_rows, run_sweep

ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")
runner = CliRunner()

EXPECTED_COLUMNS = [
    "run", "scenario", "strategy", "policy", "seed", "model_version", "model",
    "param_asymmetry", "param_cross_team_damping", "turn", "team", "team_size",
    "trust_within", "trust_across", "ei", "trust_in_player", "modularity",
    "cross_team_trust", "promises_broken", *CAUSE_COLUMNS,
]


def small_sweep() -> list[lab.RunSpec]:
    grid = dict([parse_param("kappa=1,3"), parse_param("cross_team_damping=0.2:0.8:2")])
    return plan_sweep(FLOORS, grid, ["do_nothing", "build_bridges"], 2, seed=5)


def test_parse_param_aliases_ranges_and_errors() -> None:
    assert parse_param("kappa=1,2") == ("asymmetry", [1.0, 2.0])
    assert parse_param("cross_team_damping=0.2:0.8:4")[1] == [0.2, 0.4, 0.6, 0.8]
    for bad in ("kappa", "nope=1", "kappa=a,b", "kappa=99"):
        with pytest.raises(ValueError):
            parse_param(bad)


def test_seeds_come_from_one_seed_sequence_and_differ() -> None:
    runs = small_sweep()
    assert len(runs) == 2 * 2 * 2 * 2
    assert len({r.seed for r in runs}) == len(runs)
    assert [r.seed for r in runs] == [r.seed for r in small_sweep()]
    assert [r.seed for r in runs] != [r.seed for r in plan_sweep(
        FLOORS, {}, ["do_nothing"], 16, seed=6)]


def test_a_run_replays_on_its_own() -> None:
    runs = small_sweep()
    rows = run_sweep(runs, jobs=1)
    one = run_rows(runs[5])
    assert [r for r in rows if r["run"] == runs[5].key] == one


def test_sweep_is_identical_serial_and_in_processes() -> None:
    runs = small_sweep()
    assert run_sweep(runs, jobs=1) == run_sweep(runs, jobs=2)


def test_sweep_is_identical_on_a_dask_local_cluster() -> None:
    pytest.importorskip("dask.distributed", reason="the lab extra (dask) is not installed")
    runs = small_sweep()[:6]
    assert run_sweep(runs, jobs=1) == run_sweep(runs, cluster="local")


def test_interrupted_sweep_resumes_without_redoing_runs(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    runs = small_sweep()
    parts = tmp_path / "parts"
    parts.mkdir()
    run_sweep(runs[:5], jobs=1, parts=parts)  # "interrupted" after five runs
    calls: list[str] = []
    real = lab.run_rows

    def counting(spec: lab.RunSpec) -> list[dict[str, object]]:
        calls.append(spec.key)
        return real(spec)

    monkeypatch.setattr(lab, "run_rows", counting)
    rows = run_sweep(runs, jobs=1, parts=parts)
    assert calls == [r.key for r in runs[5:]]
    monkeypatch.setattr(lab, "run_rows", real)
    expected = run_sweep(runs, jobs=1)
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert got.keys() == want.keys()
        for key in got:
            if isinstance(want[key], float):
                assert got[key] == pytest.approx(want[key], nan_ok=True, rel=0, abs=0)
            else:
                assert got[key] == want[key]


def test_csv_schema_is_fixed(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    result = runner.invoke(app, ["sweep", FLOORS, "--param", "kappa=1,3", "--param",
                                 "cross_team_damping=0.2:0.8:2", "--strategy",
                                 "do_nothing,build_bridges", "--reps", "2", "--jobs", "1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    assert header == EXPECTED_COLUMNS
    assert len(rows) == 16 * 11 * 2  # runs x (turns 0..10) x teams
    assert not (tmp_path / "sweep.csv.parts").exists()


def test_parquet_schema_is_fixed(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the lab extra (pyarrow) is missing")
    out = tmp_path / "run.parquet"
    result = runner.invoke(app, ["run", FLOORS, "--strategy", "build_bridges", "--seed", "2",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == [c for c in EXPECTED_COLUMNS if not c.startswith("param_")]
    types = {f.name: str(f.type) for f in table.schema}
    assert types["seed"] == "int64" and types["turn"] == "int64"
    assert types["ei"] == "double" and types["team"] == "string"
    assert table.num_rows == 11 * 2


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_exports_read_back_with_networkx(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"org{suffix}"
    result = runner.invoke(app, ["export", FLOORS, "--turn", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".graphml":
        G = nx.read_graphml(out)
    elif suffix == ".gexf":
        G = nx.read_gexf(out)
    else:
        import json

        G = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="links")
    assert G.number_of_nodes() == 11
    assert G.nodes["daniel"]["team"] == "eng"
    data = G.edges["priya", "daniel"]
    assert 0.0 <= float(data["trust"]) <= 1.0
    # the metrics' weight: trust x strength (tests/experiments/test_export.py checks more)
    assert float(data["weight"]) == float(data["trust"]) * float(data["strength"])


def test_cli_errors_are_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["sweep", FLOORS, "--param", "nope=1"]).exit_code == 2
    assert runner.invoke(app, ["sweep", FLOORS, "--strategy", "dance"]).exit_code == 2
    assert runner.invoke(app, ["run", FLOORS, "--strategy", "dance"]).exit_code == 2
    assert runner.invoke(app, ["export", FLOORS, "-o", str(tmp_path / "x.txt")]).exit_code == 2
    assert runner.invoke(app, ["sweep"]).exit_code == 2


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_plots_are_files_of_the_right_type(tmp_path: Path, suffix: str, magic: bytes) -> None:
    pytest.importorskip("matplotlib", reason="the lab extra (matplotlib) is not installed")
    table = tmp_path / "sweep.csv"
    assert runner.invoke(app, ["sweep", FLOORS, "--param", "kappa=1,3", "--strategy",
                               "do_nothing,build_bridges", "--reps", "2", "--jobs", "1",
                               "--out", str(table)]).exit_code == 0
    for args in (["plot", str(table), "--x", "turn", "--y", "ei"],
                 ["plot", str(table), "--x", "param_asymmetry", "--y", "cross_team_trust"],
                 ["plot", "--network", FLOORS, "--turn", "2"]):
        out = tmp_path / f"fig{suffix}"
        out.unlink(missing_ok=True)
        result = runner.invoke(app, [*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    bad = runner.invoke(app, ["plot", str(table), "--y", "nope", "-o", str(tmp_path / "x.png")])
    assert bad.exit_code == 2 and "no column 'nope'" in bad.output


def test_resuming_with_measures_redoes_the_runs_kept_without_them(tmp_path: Path) -> None:
    """A run kept by a sweep without --measures lacks their columns: asked again with
    them, it is run again (its key differs), never read back with the columns empty."""
    import dataclasses
    import math

    runs = small_sweep()[:4]
    parts = tmp_path / "parts"
    parts.mkdir()
    run_sweep(runs, jobs=1, parts=parts)
    measured = [dataclasses.replace(r, measures=("reciprocity",)) for r in runs]
    assert {r.key for r in measured}.isdisjoint({r.key for r in runs})
    rows = run_sweep(measured, jobs=1, parts=parts)
    assert all(not math.isnan(row["reciprocity"]) for row in rows)
    # the same measures in another order are the same run
    again = [dataclasses.replace(r, measures=("reciprocity",)) for r in runs]
    assert [r.key for r in again] == [r.key for r in measured]
