"""The lab's columnar table reads like a list of row dicts and writes the same files."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from simulator.experiments.lab import Rows, read_csv, write_table


def _table() -> Rows:
    return Rows({"run": ["a", "a", "b"], "scenario": ["s"] * 3, "strategy": ["x"] * 3,
                 "seed": [1, 1, 2], "model_version": ["v"] * 3, "param_kappa": [2.0] * 3,
                 "turn": [0, 1, 0], "team": ["t1", "t1", "t2"], "team_size": [3, 3, 4],
                 "trust_within": [0.5, math.nan, 0.25], "trust_across": [0.1, 0.2, 0.3],
                 "ei": [-0.5, -0.4, 0.0], "trust_in_player": [0.5, 0.5, 0.5],
                 "modularity": [0.3, 0.3, 0.3], "cross_team_trust": [0.4, 0.4, 0.4],
                 "promises_broken": [0, 1, 0]})


def test_rows_read_as_dicts() -> None:
    rows = _table()
    assert len(rows) == 3
    assert rows[1]["turn"] == 1 and rows[-1]["team"] == "t2"
    assert [r["run"] for r in rows] == ["a", "a", "b"]
    assert rows[1:].columns["run"] == ["a", "b"]
    with pytest.raises(IndexError):
        rows[3]
    assert Rows.from_dicts(list(rows)) == rows
    assert rows == list(rows) and list(rows) == rows
    assert rows != _table()[:2]


def test_concat_keeps_order_and_fills_missing_columns() -> None:
    a, b = _table()[:1], Rows({"run": ["c"], "extra": [7]})
    both = Rows.concat([a, Rows(), b])
    assert both.columns["run"] == ["a", "c"]
    assert both.columns["extra"] == [None, 7]
    assert both.columns["turn"] == [0, None]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_rows_and_dicts_write_the_same_file(tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="the lab extra (pyarrow) is not installed")
    write_table(_table(), tmp_path / f"a{suffix}")
    write_table(list(_table()), tmp_path / f"b{suffix}")
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    if suffix == ".csv":
        back = read_csv(tmp_path / "a.csv")
        assert back[1]["trust_within"] != back[1]["trust_within"]  # NaN survives as NaN
        assert back[2]["team_size"] == 4 and back[0]["param_kappa"] == 2.0


def test_to_pandas() -> None:
    pd = pytest.importorskip("pandas", reason="the lab extra (pandas) is not installed")
    df = _table().to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df["seed"]) == [1, 1, 2]
