"""Statistics over a lab table: one value per run, then means and 95% confidence intervals
over runs, and effects against a baseline.

**Runs are the replicates, never teams.** A table has one row per run x turn x team, and
the teams of one run are not independent observations: they share one organisation and
one history. So every summary here first reduces each run to one value (:func:`per_run`:
the mean over its teams, weighted by team size on request, or one team's value) and only
then takes means and intervals over runs (:func:`describe`, :func:`summarize`).

The functions are pure functions over a pandas DataFrame (a pyarrow Table, the lab's
``Rows`` or a list of row dicts are turned into one). :func:`read_table` reads only the
columns asked for, with pyarrow (Parquet, or CSV with its multi-threaded parser), so a
summary or a plot of a million rows takes a second or two (``bench/bench_lab_tables.py``).

>>> import pandas as pd
>>> df = pd.DataFrame({
...     "run": ["a", "a", "b", "b", "c", "c", "d", "d"],
...     "strategy": ["do_nothing"] * 4 + ["build_bridges"] * 4,
...     "turn": [20] * 8, "team": ["t1", "t2"] * 4, "team_size": [5] * 8,
...     "ei": [-0.6, -0.4, -0.7, -0.5, -0.3, -0.1, -0.2, -0.2]})
>>> result = summarize(df, by=["strategy"], outcome="ei", baseline="do_nothing")
>>> [(c.key, c.n, round(c.mean, 3), round(c.effect, 3)) for c in result.cells]
[(('do_nothing',), 2, -0.55, 0.0), (('build_bridges',), 2, -0.2, 0.35)]
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: text columns of a lab table (``lab.STR_COLUMNS``; a test keeps the two in step): read as
#: text from CSV even when a value looks like a number (a run id can be all digits)
TEXT_COLUMNS = frozenset({"run", "scenario", "strategy", "policy", "model_version", "team"})
#: columns that say which condition a run ran under (with every ``param_`` column): runs
#: of different conditions in one cell are pooled, and summaries say so
CONDITIONS = ("scenario", "strategy", "policy")
CONFIDENCE = 0.95
VALUE = "value"  # the per-run value's column in :attr:`PerRun.values`


class StatsError(ValueError):
    """A question the table cannot answer (unknown column, value or turn; empty selection)."""


def t_quantile(p: float, df: Any) -> Any:
    """Student's t quantile (``scipy.special.stdtrit``, what ``scipy.stats.t.ppf`` calls;
    importing scipy.stats would cost a second of start-up).

    >>> round(float(t_quantile(0.975, 10)), 4)
    2.2281
    """
    try:
        from scipy.special import stdtrit
    except ImportError:
        raise RuntimeError("confidence intervals need scipy: pip install 'trustsim[lab]'") \
            from None
    return stdtrit(df, p)


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE
                  ) -> tuple[float, float, float]:
    """Mean and its t confidence interval: ``mean -+ t(df=n-1) * sd / sqrt(n)``.

    >>> mean, low, high = mean_interval([1.0, 2.0, 3.0, 4.0])
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (2.5, 0.446, 4.554)
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    half = _half_width(float(x.std(ddof=1)) if n > 1 else math.nan, n, confidence)
    return mean, mean - half, mean + half


def _half_width(sd: float, n: int, confidence: float) -> float:
    if n < 2:
        return math.nan
    if sd == 0:
        return 0.0
    return float(t_quantile(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)


def welch_interval(mean: float, sd: float, n: int, base_mean: float, base_sd: float,
                   base_n: int, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Difference of two means with its Welch t interval (unequal variances), from each
    group's mean, standard deviation (ddof=1) and size: what
    ``scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval()`` gives.

    >>> a, b = [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 2.0]
    >>> diff, low, high = welch_interval(np.mean(a), np.std(a, ddof=1), len(a),
    ...                                  np.mean(b), np.std(b, ddof=1), len(b))
    >>> round(diff, 3), round(low, 3), round(high, 3)
    (1.5, -0.732, 3.732)
    """
    diff = float(mean) - float(base_mean)
    if n < 2 or base_n < 2:
        return diff, math.nan, math.nan
    a, b = float(sd) ** 2 / n, float(base_sd) ** 2 / base_n
    se2 = a + b
    if se2 == 0:
        return diff, diff, diff
    df = se2 * se2 / (a * a / (n - 1) + b * b / (base_n - 1))
    half = float(t_quantile(0.5 + confidence / 2, df)) * math.sqrt(se2)
    return diff, diff - half, diff + half


# -- tables ---------------------------------------------------------------------------------


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise RuntimeError("lab tables need pandas: pip install 'trustsim[lab]'") from None
    return pd


def as_frame(data: Any) -> Any:
    """A pandas DataFrame from a DataFrame (as it is), a pyarrow Table, the lab's ``Rows``
    or a sequence of row dicts."""
    pd = _pandas()
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    rows = list(data)
    if not rows or isinstance(rows[0], dict):
        return pd.DataFrame.from_records(rows)
    raise TypeError(f"not a table: {type(data).__name__}")


def table_columns(path: str | Path) -> list[str]:
    """The column names of a table file (Parquet: from its schema; CSV: its header)."""
    path = Path(path)
    if path.suffix == ".parquet":
        pq = _parquet()
        return list(pq.read_schema(path).names)
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])
    raise StatsError(f"{path}: expected a .csv or .parquet table")


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("reading lab tables needs pyarrow: pip install 'trustsim[lab]'") \
            from None
    return pq


def condition_columns(names: Iterable[str]) -> list[str]:
    """The columns among ``names`` that describe a run's condition (see
    :data:`CONDITIONS`)."""
    return [c for c in names if c in CONDITIONS or str(c).startswith("param_")]


def read_table(path: str | Path, columns: Iterable[str] | None = None, *,
               conditions: bool = False) -> Any:
    """A table written by ``trustsim run --out`` or ``trustsim sweep`` as a pandas
    DataFrame, reading only ``columns`` (all when None), and with ``conditions`` also
    the condition columns (so :func:`pooled_over` can tell); text columns come back as
    categoricals. Both formats are read by pyarrow (CSV with its multi-threaded parser).
    An unknown column is a :class:`StatsError` that lists the table's columns."""
    path = Path(path)
    names = table_columns(path)
    wanted = list(dict.fromkeys(columns)) if columns is not None else names
    if conditions:
        wanted = list(dict.fromkeys([*wanted, *condition_columns(names)]))
    missing = [c for c in wanted if c not in names]
    if missing:
        raise StatsError(f"{path.name}: no column {', '.join(map(repr, missing))} "
                         f"(columns: {', '.join(names)})")
    pq = _parquet()
    import pyarrow as pa

    if path.suffix == ".parquet":
        # ParquetFile rather than pq.read_table, whose dataset layer costs more to import
        schema = pq.read_schema(path)
        text = [c for c in wanted if pa.types.is_string(schema.field(c).type)
                or pa.types.is_large_string(schema.field(c).type)]
        table = pq.ParquetFile(path, read_dictionary=text).read(columns=wanted)
    else:
        import pyarrow.csv as pcsv

        text_type = pa.dictionary(pa.int32(), pa.string())
        options = pcsv.ConvertOptions(  # type: ignore[attr-defined]
            include_columns=wanted, strings_can_be_null=False,
            column_types={c: text_type for c in wanted if c in TEXT_COLUMNS})
        table = pcsv.read_csv(path, convert_options=options)  # type: ignore[attr-defined]
    return table.to_pandas()


def parse_where(text: str) -> tuple[str, list[str]]:
    """``COL=VALUE`` or ``COL=V1,V2`` (any of the values).

    >>> parse_where("param_asymmetry=1,3")
    ('param_asymmetry', ['1', '3'])
    """
    name, sep, values = text.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise StatsError(f"{text!r}: expected COL=VALUE or COL=V1,V2")
    return name.strip(), [v.strip() for v in values.split(",") if v.strip()]


def _check_columns(frame: Any, names: Iterable[str]) -> None:
    missing = [c for c in dict.fromkeys(names) if c not in frame.columns]
    if missing:
        raise StatsError(f"no column {', '.join(map(repr, missing))} "
                         f"(columns: {', '.join(map(str, frame.columns))})")


def _is_numeric(series: Any) -> bool:
    pd = _pandas()
    return bool(pd.api.types.is_numeric_dtype(series.dtype))


def _typed(series: Any, texts: Sequence[Any], name: str) -> list[Any]:
    """``texts`` (what a user typed) as values of ``series``'s type."""
    pd = _pandas()
    try:
        if pd.api.types.is_bool_dtype(series.dtype):
            return [str(v).lower() in ("1", "true", "yes") for v in texts]
        if pd.api.types.is_numeric_dtype(series.dtype):
            return [float(v) for v in texts]
    except ValueError:
        raise StatsError(f"{name} holds numbers; got {', '.join(map(str, texts))}") from None
    return [str(v) for v in texts]


def _matches(series: Any, values: Sequence[Any]) -> Any:
    if _is_numeric(series) and not isinstance(values[0], bool):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        mask = np.zeros(len(x), dtype=bool)
        for v in values:
            mask |= np.isclose(x, v, rtol=1e-12, atol=1e-12)
        return mask
    return series.astype(str).isin(values).to_numpy() if not isinstance(
        series.dtype, _pandas().CategoricalDtype) else series.isin(values).to_numpy()


def _py(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _values_of(series: Any) -> list[Any]:
    return sorted((_py(v) for v in series.dropna().unique()), key=_order_key)


def _order_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def _show(values: Sequence[Any], limit: int = 12) -> str:
    shown = ", ".join(_fmt_key(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def select(frame: Any, where: Iterable[str | tuple[str, Sequence[Any]]]) -> Any:
    """The rows where every condition holds; a condition is ``"COL=V1,V2"`` or
    ``(COL, [V1, V2])``: the column equals any of the values (typed as the column).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"param_asymmetry": [1.0, 2.0, 3.0], "ei": [0.1, 0.2, 0.3]})
    >>> select(df, ["param_asymmetry=1,3"])["ei"].tolist()
    [0.1, 0.3]
    """
    frame = as_frame(frame)
    for condition in where:
        name, texts = parse_where(condition) if isinstance(condition, str) else condition
        _check_columns(frame, [name])
        column = frame[name]
        mask = _matches(column, _typed(column, list(texts), name))
        if not mask.any():
            raise StatsError(f"no row has {name} = {_show([*texts])} "
                             f"({name} values: {_show(_values_of(column))})")
        frame = frame[mask]
    return frame


def turns_of(frame: Any) -> list[int]:
    """The turns in the table, in order."""
    _check_columns(frame, ["turn"])
    return sorted(int(t) for t in frame["turn"].dropna().unique())


def at_turn(frame: Any, turn: int | None = None) -> tuple[Any, int]:
    """The rows at ``turn`` (default: the table's last turn) and the turn taken.

    >>> import pandas as pd
    >>> rows, turn = at_turn(pd.DataFrame({"turn": [0, 1, 2, 2], "ei": [1, 2, 3, 4]}))
    >>> turn, rows["ei"].tolist()
    (2, [3, 4])
    """
    frame = as_frame(frame)
    _check_columns(frame, ["turn"])
    if len(frame) == 0:
        raise StatsError("the selection is empty")
    if turn is None:
        turn = int(frame["turn"].max())
    mask = (frame["turn"] == turn).to_numpy()
    if not mask.any():
        turns = turns_of(frame)
        raise StatsError(f"turn {turn} is not in the table (turns {turns[0]} to {turns[-1]})")
    return frame[mask], turn


def at_last_turn_of_each_run(frame: Any) -> Any:
    """Each run's rows at its own last turn (the runs of a table may differ in length)."""
    frame = as_frame(frame)
    _check_columns(frame, ["run", "turn"])
    last = frame.groupby("run", observed=True, sort=False)["turn"].transform("max")
    return frame[(frame["turn"] == last).to_numpy()]


def pooled_over(frame: Any, keys: Iterable[str]) -> list[tuple[str, int]]:
    """Condition columns not in ``keys`` that take more than one value in ``frame``, with
    their count of values: a cell pools runs of these different conditions.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"strategy": ["a", "a", "b"], "param_asymmetry": [1.0, 2.0, 1.0]})
    >>> pooled_over(df, ["strategy"])
    [('param_asymmetry', 2)]
    """
    keys = set(keys)
    out = []
    for column in condition_columns(frame.columns):
        if column not in keys:
            count = int(frame[column].nunique())
            if count > 1:
                out.append((column, count))
    return out


# -- one value per run ------------------------------------------------------------------------


@dataclass(frozen=True)
class PerRun:
    """One value per run (and per combination of ``keys`` inside a run, such as turn):
    ``values`` is a DataFrame with the columns ``keys``, ``run``, ``value`` and ``teams``
    (team rows with a value that went into it); ``aggregation`` says in words how a
    run's rows became its value."""

    values: Any
    outcome: str
    keys: tuple[str, ...]
    aggregation: str


def per_run(frame: Any, outcome: str, keys: Sequence[str] = (), *, team: str | None = None,
            weighted: bool = False) -> PerRun:
    """Reduce each run's rows (per combination of ``keys``) to one value of ``outcome``:
    the mean over teams (each team counts once; rows without a value are left out),
    the mean weighted by ``team_size`` with ``weighted=True``, or team ``team``'s value.
    An organisation-wide measure (the same on every team row) gives that value.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"run": ["a", "a", "b", "b"], "team": ["t1", "t2"] * 2,
    ...                    "team_size": [1, 3, 1, 3], "ei": [0.0, 1.0, 0.5, 1.0]})
    >>> per_run(df, "ei").values["value"].tolist()
    [0.5, 0.75]
    >>> per_run(df, "ei", weighted=True).values["value"].tolist()
    [0.75, 0.875]
    >>> per_run(df, "ei").aggregation
    'the mean over teams of ei (each team counts once)'
    """
    pd = _pandas()
    frame = as_frame(frame)
    keys = tuple(k for k in dict.fromkeys(keys) if k != "run")
    weighted = weighted and team is None
    needed = ["run", outcome, *keys, *(["team"] if team is not None else []),
              *(["team_size"] if weighted else [])]
    _check_columns(frame, needed)
    if not _is_numeric(frame[outcome]):
        raise StatsError(f"{outcome} is not a number column ({frame[outcome].dtype}); "
                         "pick a measure such as ei, trust_within or modularity")
    if len(frame) == 0:
        raise StatsError("the selection is empty")
    if team is not None:
        mask = (frame["team"].astype(str) == team).to_numpy()
        if not mask.any():
            raise StatsError(f"no team {team!r} (teams: {_show(_values_of(frame['team']))})")
        frame = frame[mask]
    group = [*keys, "run"]
    functions = ["count", "min", "max"]
    if weighted:
        y = frame[outcome].astype(float)
        size = frame["team_size"].astype(float).where(y.notna())
        work = frame[group].assign(**{VALUE: y, "wy": y * size, "w": size})
        grouped = work.groupby(group, observed=True, sort=False, dropna=False).agg(
            {VALUE: functions, "wy": ["sum"], "w": ["sum"]})
        grouped.columns = ["_".join(c) for c in grouped.columns]
        grouped = grouped.reset_index()
        value = grouped["wy_sum"] / grouped["w_sum"].where(grouped["w_sum"] > 0)
    else:
        # straight on the table: no copy of a million rows (NaN is a missing value)
        grouped = frame.groupby(group, observed=True, sort=False, dropna=False)[outcome].agg(
            [*functions, "mean"])
        grouped.columns = [f"{VALUE}_{c}" for c in grouped.columns]
        grouped = grouped.reset_index()
        value = grouped[f"{VALUE}_mean"].astype(float)
    counts = grouped[f"{VALUE}_count"]
    org_wide = team is None and bool((grouped[f"{VALUE}_min"] == grouped[f"{VALUE}_max"])
                                     [counts > 0].all()) and counts.max() > 1
    if team is not None:
        aggregation = f"team {team}'s {outcome}"
    elif org_wide:
        aggregation = f"{outcome}, one value per run (the same on every team row)"
    elif weighted:
        aggregation = f"the mean over teams of {outcome}, weighted by team size"
    else:
        aggregation = f"the mean over teams of {outcome} (each team counts once)"
    values = pd.DataFrame({**{k: grouped[k] for k in group}, VALUE: value,
                           "teams": counts})
    return PerRun(values, outcome, keys, aggregation)


# -- over runs --------------------------------------------------------------------------------


@dataclass
class Cell:
    """One combination of the ``by`` columns: its runs' mean with a confidence interval and,
    given a baseline, the difference from the baseline cell with its Welch interval."""

    key: tuple[Any, ...]
    n: int
    mean: float
    sd: float
    low: float
    high: float
    identical: bool = False
    effect: float | None = None
    effect_low: float | None = None
    effect_high: float | None = None
    baseline: tuple[Any, ...] | None = None
    notes: list[str] = field(default_factory=list)


def describe(values: PerRun, by: Sequence[str], confidence: float = CONFIDENCE
             ) -> list[Cell]:
    """Per combination of ``by`` (columns of ``values.keys``): n runs, their mean, standard
    deviation and t confidence interval, in the order of the ``by`` values (numbers
    ascending, text as first seen).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"run": ["a", "b", "c"], "strategy": ["x", "x", "x"],
    ...                    "ei": [1.0, 2.0, 3.0]})
    >>> cell = describe(per_run(df, "ei", ["strategy"]), ["strategy"])[0]
    >>> cell.key, cell.n, cell.mean, round(cell.low, 3), round(cell.high, 3)
    (('x',), 3, 2.0, -0.484, 4.484)
    """
    frame = values.values
    by = list(by)
    _check_columns(frame, by)
    if len(frame) == 0:
        raise StatsError("the selection is empty")
    functions = ["count", "mean", "std", "min", "max"]
    if by:
        table = frame.groupby(by, observed=True, sort=False, dropna=False)[VALUE].agg(
            functions)
        keys = [k if isinstance(k, tuple) else (k,) for k in table.index]
    else:
        table = frame[VALUE].agg(functions).to_frame().T
        keys = [()]
    rank = {c: _rank(frame[c]) for c in by}
    cells = []
    for key, (count, m, s, lo, hi) in zip(keys, table[functions].itertuples(index=False),
                                         strict=True):
        count = int(count)
        m = float(m)
        s = float(s) if count >= 2 else math.nan
        identical = count >= 2 and lo == hi
        if identical:
            s = 0.0
        half = _half_width(s, count, confidence)
        cell = Cell(tuple(_py(v) for v in key), count, m, s, m - half, m + half, identical)
        if count == 0:
            cell.notes.append("no run has a value")
        elif count == 1:
            cell.notes.append("one run: no confidence interval")
        elif identical:
            cell.notes.append(f"replicates are identical: all {count} runs give "
                              f"{_number(m)}, so the interval has zero width and says "
                              "nothing about uncertainty (the runs did not vary)")
        cells.append(cell)
    cells.sort(key=lambda c: tuple(rank[name].get(v, len(rank[name]))
                                   for name, v in zip(by, c.key, strict=True)))
    return cells


def _rank(series: Any) -> dict[Any, int]:
    values = [_py(v) for v in series.unique()]
    if _is_numeric(series):
        values = sorted(values, key=_order_key)
    return {v: i for i, v in enumerate(values)}


def parse_baseline(text: str, by: Sequence[str]) -> tuple[str, str]:
    """``VALUE`` (of the first ``by`` column) or ``COL=VALUE``.

    >>> parse_baseline("do_nothing", ["strategy", "param_asymmetry"])
    ('strategy', 'do_nothing')
    >>> parse_baseline("param_asymmetry=1", ["strategy", "param_asymmetry"])
    ('param_asymmetry', '1')
    """
    if not by:
        raise StatsError("a baseline needs --by (the baseline is a value of a --by column)")
    name, sep, value = text.partition("=")
    if sep and name.strip() in by:
        return name.strip(), value.strip()
    if sep and name.strip() not in by:
        raise StatsError(f"the baseline column {name.strip()!r} is not one of --by "
                         f"({', '.join(by)})")
    return by[0], text.strip()


def compare(cells: list[Cell], by: Sequence[str], column: str, value: Any,
            confidence: float = CONFIDENCE) -> None:
    """Give every cell its effect against the baseline cell: the one with ``column`` equal
    to ``value`` and the same values of the other ``by`` columns (a difference of means
    with its Welch interval)."""
    at = list(by).index(column)
    base = {c.key[:at] + c.key[at + 1:]: c for c in cells if _same(c.key[at], value)}
    for cell in cells:
        ref = base.get(cell.key[:at] + cell.key[at + 1:])
        if ref is None:
            cell.notes.append("no baseline cell with the same other columns")
            continue
        cell.baseline = ref.key
        cell.effect, cell.effect_low, cell.effect_high = welch_interval(
            cell.mean, cell.sd, cell.n, ref.mean, ref.sd, ref.n, confidence)
        if cell is ref:
            cell.effect_low = cell.effect_high = None
        elif cell.n >= 2 and ref.n >= 2 and cell.effect_low == cell.effect_high:
            cell.notes.append("zero-width effect interval: the runs of both cells are "
                              "identical")


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) or (isinstance(a, float) and isinstance(b, float)
                            and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12))


@dataclass
class Summary:
    """What ``trustsim summarize`` prints: cells, and what the numbers are."""

    outcome: str
    turn: int
    by: list[str]
    aggregation: str
    cells: list[Cell]
    confidence: float = CONFIDENCE
    baseline: tuple[str, Any] | None = None
    where: list[str] = field(default_factory=list)
    #: condition columns that vary inside cells, with their count of values
    pooled: list[tuple[str, int]] = field(default_factory=list)

    @property
    def pooled_note(self) -> str:
        if not self.pooled:
            return ""
        parts = ", ".join(f"{c} ({k} values)" for c, k in self.pooled)
        return (f"each cell pools runs over {parts}: add them to --by, or pick values "
                "with --where")

    @property
    def method(self) -> str:
        level = f"{self.confidence:.0%}"
        text = (f"per run: {self.aggregation}; {level} CI of the mean over runs (t, "
                "n = runs; teams are not replicates)")
        if self.baseline:
            column, value = self.baseline
            others = [c for c in self.by if c != column]
            same = f" with the same {', '.join(others)}" if others else ""
            text += (f"; effect: difference of means from {column}={_fmt_key(value)}{same}, "
                     f"Welch {level} CI")
        return text

    @property
    def title(self) -> str:
        where = f" where {' and '.join(self.where)}" if self.where else ""
        return f"{self.outcome} at turn {self.turn}{where}"

    def records(self) -> list[dict[str, Any]]:
        """The cells as flat dicts (one per cell), as in the CSV and JSON outputs."""
        out = []
        for cell in self.cells:
            record: dict[str, Any] = {
                name: _nan_none(v) if isinstance(v, float) else v
                for name, v in zip(self.by, cell.key, strict=True)}
            record.update(n=cell.n, mean=_nan_none(cell.mean), sd=_nan_none(cell.sd),
                          ci_low=_nan_none(cell.low), ci_high=_nan_none(cell.high),
                          identical=cell.identical)
            if self.baseline:
                record.update(effect=_nan_none(cell.effect), effect_low=_nan_none(
                    cell.effect_low), effect_high=_nan_none(cell.effect_high))
            record["note"] = "; ".join(cell.notes)
            out.append(record)
        return out

    def to_frame(self) -> Any:
        """The cells as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.records())

    def to_json(self) -> str:
        data = {"outcome": self.outcome, "turn": self.turn, "where": self.where,
                "by": self.by, "per_run": self.aggregation, "confidence": self.confidence,
                "baseline": dict([self.baseline]) if self.baseline else None,
                "method": self.method, "pooled_over": dict(self.pooled),
                "cells": self.records()}
        return json.dumps(data, indent=1, allow_nan=False, default=str)

    def to_csv(self) -> str:
        """One line per cell; the outcome, turn and what the value per run is repeat on
        every line, so the file says what it holds."""
        records = self.records()
        meta = {"outcome": self.outcome, "turn": self.turn, "per_run": self.aggregation,
                "confidence": self.confidence}
        if self.baseline:
            meta["baseline"] = f"{self.baseline[0]}={self.baseline[1]}"
        if self.pooled:
            meta["pooled_over"] = " ".join(c for c, _ in self.pooled)
        text = io.StringIO()
        writer = csv.DictWriter(text, [*(records[0] if records else {}), *meta],
                                lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({**{k: "" if v is None else v for k, v in record.items()},
                             **meta})
        return text.getvalue()

    def to_markdown(self) -> str:
        level = f"{self.confidence:.0%}"
        head = [*self.by, "n", "mean", f"{level} CI"]
        if self.baseline:
            head += [f"effect vs {_fmt_key(self.baseline[1])}", f"{level} CI"]
        lines = [f"**{self.title}**", "", self.method, "",
                 "| " + " | ".join(head) + " |",
                 "|" + "|".join(" --- " if i < len(self.by) else " ---: "
                                for i in range(len(head))) + "|"]
        notes = []
        for cell in self.cells:
            row = [*(_fmt_key(v) for v in cell.key), str(cell.n), _number(cell.mean),
                   _interval(cell.low, cell.high)]
            if self.baseline:
                if cell.baseline == cell.key:
                    row += ["(baseline)", ""]
                else:
                    row += [_number(cell.effect, sign=True),
                            _interval(cell.effect_low, cell.effect_high, sign=True)]
            lines.append("| " + " | ".join(row) + " |")
            notes += [f"- {', '.join(_fmt_key(v) for v in cell.key) or 'all'}: {note}"
                      for note in cell.notes]
        if self.pooled:
            notes.append(f"- {self.pooled_note}")
        if notes:
            lines += ["", *notes]
        return "\n".join(lines) + "\n"


def _nan_none(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def _fmt_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: float | None, *, sign: bool = False) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:+.4f}" if sign else f"{value:.4f}"


def _interval(low: float | None, high: float | None, *, sign: bool = False) -> str:
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "-"
    return f"[{_number(low, sign=sign)}, {_number(high, sign=sign)}]"


def summarize(table: Any, by: Sequence[str], outcome: str = "ei", *, turn: int | None = None,
              baseline: str | None = None, where: Sequence[str] = (), team: str | None = None,
              weighted: bool = False, confidence: float = CONFIDENCE) -> Summary:
    """Per cell (combination of ``by``): n runs, the mean over runs of each run's value of
    ``outcome`` at ``turn`` (default: the last), its confidence interval, and with
    ``baseline`` (a value of the first ``by`` column, or ``COL=VALUE``) the difference from
    the baseline cell with its Welch interval. See :func:`per_run` for how each run's team
    rows become one value. Raises :class:`StatsError` for a question the table cannot
    answer."""
    if not 0 < confidence < 1:
        raise StatsError(f"the confidence level must be between 0 and 1, not {confidence}")
    frame = as_frame(table)
    by = list(dict.fromkeys(by))
    if "turn" in by:
        raise StatsError("summarize takes one turn (--turn); `trustsim plot` shows turns")
    _check_columns(frame, ["run", "turn", outcome, *by])
    frame = select(frame, where)
    frame, turn = at_turn(frame, turn)
    base: tuple[str, Any] | None = None
    if baseline is not None:
        column, text = parse_baseline(baseline, by)
        wanted = _typed(frame[column], [text], column)
        if not _matches(frame[column], wanted).any():
            raise StatsError(f"baseline {column}={text} is not in the selection "
                             f"({column} values: {_show(_values_of(frame[column]))})")
        base = (column, wanted[0])
    values = per_run(frame, outcome, by, team=team, weighted=weighted)
    cells = describe(values, by, confidence)
    if base is not None:
        compare(cells, by, base[0], base[1], confidence)
    return Summary(outcome, turn, by, values.aggregation, cells, confidence, base,
                   list(where), pooled_over(frame, by))
