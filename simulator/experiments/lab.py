"""The students' lab: tidy tables of runs and parameter sweeps.

One row per run x turn x team, with the run's parameters, seed, strategy and the model
version, so the table goes straight into pandas, R or a spreadsheet. Sweeps derive every
run's seed from one :class:`numpy.random.SeedSequence`, so each run can be replayed on its
own (``trustsim run SCENARIO --strategy S --seed SEED``), and results are identical however
the runs were spread over processes.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np

from ..core.metrics import TeamValues
from ..core.params import PARAMS_BY_NAME, Params
from ..core.simulation import Simulation
from ..scenario.library import reference_solution
from ..scenario.loader import Scenario, load_scenario
from .strategies import STRATEGIES, Reference, play_strategy

#: Names students know from the literature, mapped to the model's parameters.
ALIASES = {"kappa": "asymmetry", "damping": "cross_team_damping"}

BASE_COLUMNS = ["run", "scenario", "strategy", "seed", "model_version"]
TURN_COLUMNS = ["turn", "team", "team_size", "trust_within", "trust_across", "ei",
                "trust_in_player", "modularity", "cross_team_trust", "promises_broken"]


def model_version() -> str:
    from .. import __version__

    return __version__


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run of a sweep: everything needed to reproduce it on its own."""

    scenario: str
    strategy: str
    seed: int
    params: tuple[tuple[str, float], ...] = ()
    turns: int | None = None
    rep: int = 0
    #: shares of the organisation's other managers acting by each policy (``--policy``)
    policies: tuple[tuple[str, float], ...] = ()
    #: regenerate a generated organisation with this seed (``--org-seeds``); None keeps it
    org_seed: int | None = None

    @property
    def key(self) -> str:
        """The run's id: the same for the same run however it was asked for."""
        fields: list[Any] = [self.scenario, self.strategy, self.seed, self.params, self.turns]
        if self.policies or self.org_seed is not None:
            fields += [self.policies, self.org_seed]
        text = json.dumps(fields)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_param(text: str) -> tuple[str, list[float]]:
    """``kappa=1,2,3`` or ``cross_team_damping=0.2:0.8:4`` (start:stop:count, inclusive).

    >>> parse_param("kappa=1,2,3")
    ('asymmetry', [1.0, 2.0, 3.0])
    >>> parse_param("cross_team_damping=0.2:0.8:4")
    ('cross_team_damping', [0.2, 0.4, 0.6, 0.8])
    """
    name, sep, values = text.partition("=")
    name = ALIASES.get(name.strip(), name.strip())
    if not sep or not values:
        raise ValueError(f"{text!r}: expected NAME=V1,V2,... or NAME=START:STOP:COUNT")
    if name not in PARAMS_BY_NAME:
        raise ValueError(f"{name!r} is not a model parameter (see docs/model.md)")
    try:
        if ":" in values:
            start, stop, count = values.split(":")
            points = [float(v) for v in np.linspace(float(start), float(stop), int(count))]
            points = [round(v, 12) for v in points]
        else:
            points = [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"{text!r}: the values must be numbers") from None
    if not points:
        raise ValueError(f"{text!r}: no values")
    spec = PARAMS_BY_NAME[name]
    for v in points:
        if not spec.lo <= v <= spec.hi:
            raise ValueError(f"{name}={v} is outside [{spec.lo}, {spec.hi}]")
    return name, points


def plan_sweep(scenario: str, grid: Mapping[str, Sequence[float]], strategies: Sequence[str],
               reps: int, *, seed: int = 0, turns: int | None = None) -> list[RunSpec]:
    """Every (parameter combination, strategy, replicate) as a run with its own seed."""
    names = sorted(grid)
    combos = list(itertools.product(*(grid[n] for n in names))) or [()]
    total = len(combos) * len(strategies) * reps
    seeds = np.random.SeedSequence(seed).spawn(total)
    runs = []
    i = 0
    for combo in combos:
        for strategy in strategies:
            for rep in range(reps):
                run_seed = int(seeds[i].generate_state(1, np.uint64)[0] % (2**63))
                runs.append(RunSpec(scenario, strategy, run_seed,
                                    tuple(zip(names, combo, strict=True)), turns, rep))
                i += 1
    return runs


@lru_cache(maxsize=4)
def _load(path: str) -> Scenario:
    return load_scenario(path)


Column = list[Any] | np.ndarray[Any, Any]


class Rows(Sequence[dict[str, Any]]):
    """A tidy table held as columns that reads as a sequence of row dicts.

    ``rows[i]`` and iteration give dicts of plain Python values (one per run x turn x
    team); ``rows.columns`` is the table by column (numbers as numpy arrays, text as
    lists), ready for :meth:`to_pandas` or pyarrow without a per-row copy. Runs and sweeps
    build tables by column because a sweep makes hundreds of thousands of rows, and numpy
    columns cross between processes as a few buffers rather than millions of objects.
    Two tables are equal when every column is (NaN equal to NaN).
    """

    __slots__ = ("columns",)

    def __init__(self, columns: Mapping[str, Column] | None = None) -> None:
        self.columns: dict[str, Column] = dict(columns or {})

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, Any]]) -> Rows:
        rows = list(rows)
        names = columns_of(rows) if rows else []
        return cls({c: [r.get(c) for r in rows] for c in names})

    @classmethod
    def concat(cls, tables: Iterable[Rows]) -> Rows:
        tables = [t for t in tables if len(t)]
        names: list[str] = []
        for table in tables:
            names += [c for c in table.columns if c not in names]
        out: dict[str, Column] = {}
        for c in names:
            parts = [t.columns[c] if c in t.columns else [None] * len(t) for t in tables]
            arrays = [part for part in parts if isinstance(part, np.ndarray)]
            if len(arrays) == len(parts):
                out[c] = np.concatenate(arrays)
            else:
                out[c] = [v for part in parts for v in _plain(part)]
        return cls(out)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        names = list(self.columns)
        columns = [_plain(v) for v in self.columns.values()]
        for values in zip(*columns, strict=True):
            yield dict(zip(names, values, strict=True))

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Rows:
        if isinstance(index, slice):
            return Rows({c: v[index] for c, v in self.columns.items()})
        length = len(self)
        if not -length <= index < length:
            raise IndexError("row index out of range")
        return {c: v[index].item() if isinstance(v, np.ndarray) else v[index]
                for c, v in self.columns.items()}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self.columns.keys() == other.columns.keys() and all(
                _same_column(v, other.columns[c]) for c, v in self.columns.items())
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return self == Rows.from_dicts(other) if other else len(self) == 0
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Rows: {len(self):,} rows x {len(self.columns)} columns>"

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (needs pandas: the lab extra)."""
        import pandas as pd

        return pd.DataFrame(self.columns)


def _plain(column: Column) -> list[Any]:
    return column.tolist() if isinstance(column, np.ndarray) else list(column)


def _same_column(a: Column, b: Column) -> bool:
    if len(a) != len(b):
        return False
    x, y = np.asarray(a), np.asarray(b)
    if x.dtype.kind == "f" and y.dtype.kind == "f":
        return bool(np.array_equal(x, y, equal_nan=True))
    return _plain(a) == _plain(b)


def _turn_columns(game: Simulation, cols: dict[str, list[Any]]) -> int:
    """Append the per-team measures of the organisation now to ``cols``; returns the count
    of rows added (one per team)."""
    w = game.world
    teams = w.team_ids
    k = len(teams)
    metrics = game.history[-1] if game.history else game.metrics()
    broken = sum(1 for p in w.promises.values()
                 if p.status == "broken" and p.by == game.player_id)
    cols["turn"] += [game.turn - 1] * k
    cols["team"] += teams
    cols["team_size"] += np.bincount(w.team, minlength=k).tolist()
    for column, key in (("trust_within", "team_trust_within"),
                        ("trust_across", "team_trust_across"),
                        ("ei", "ei"), ("trust_in_player", "team_trust_in_player")):
        by_team = metrics[key]
        if isinstance(by_team, TeamValues):  # in team order already: no lookups
            cols[column] += [_f(v) for v in by_team.array().tolist()]
        else:
            cols[column] += [_f(by_team.get(t)) for t in teams]
    cols["modularity"] += [_f(metrics["modularity"])] * k
    cols["cross_team_trust"] += [_f(metrics["cross_team_trust"])] * k
    cols["promises_broken"] += [broken] * k
    return k


def team_rows(game: Simulation) -> list[dict[str, Any]]:
    """Per-team measures of the organisation now (one dict per team)."""
    cols: dict[str, list[Any]] = {c: [] for c in TURN_COLUMNS}
    _turn_columns(game, cols)
    return list(Rows(cols))


def _f(value: Any) -> float:
    return float(value) if value is not None else math.nan


def run_rows(spec: RunSpec) -> Rows:
    """Play one run and return its tidy rows (turn 0 and the end of every turn)."""
    scenario = _load(spec.scenario)
    setup = scenario.setup
    if spec.params or spec.turns:
        overrides = {**setup.params.overrides(), **dict(spec.params)}
        setup = dataclasses.replace(setup, params=Params.from_overrides(overrides),
                                    turns=spec.turns or setup.turns)
    game = Simulation(setup, spec.seed, undo=False, explain_drift=False)
    per_turn: dict[str, list[Any]] = {c: [] for c in TURN_COLUMNS}
    count = 0

    def record(g: Simulation) -> None:
        nonlocal count
        count += _turn_columns(g, per_turn)

    record(game)
    policy = (Reference(reference_solution(Path(spec.scenario)))
              if spec.strategy == "reference" else spec.strategy)
    play_strategy(game, policy, seed=spec.seed, on_turn=record)
    base: dict[str, Any] = {"run": spec.key, "scenario": Path(spec.scenario).stem,
                            "strategy": spec.strategy, "seed": spec.seed,
                            "model_version": model_version()}
    base.update({f"param_{name}": value for name, value in sorted(spec.params)})
    columns: dict[str, Column] = {name: [value] * count for name, value in base.items()}
    for name, values in per_turn.items():
        columns[name] = values if name == "team" else np.array(
            values, np.int64 if name in INT_COLUMNS else np.float64)
    for name, value in base.items():
        if isinstance(value, int | float):
            columns[name] = np.full(count, value, np.int64 if name in INT_COLUMNS
                                    else np.float64)
    return Rows(columns)


def run_sweep(runs: Sequence[RunSpec], *, jobs: int = 1, parts: Path | None = None,
              cluster: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> Rows:
    """Run every spec (skipping those already in ``parts``) and return all rows in order.

    ``parts`` is a folder with one small CSV per finished run, written atomically, so an
    interrupted sweep resumes where it stopped. ``cluster`` sends the runs to a Dask
    distributed scheduler (an address, or ``local`` for a LocalCluster).
    """
    todo = [r for r in runs if parts is None or not (parts / f"{r.key}.csv").exists()]
    done = len(runs) - len(todo)
    if progress:
        progress(done, len(runs))

    def finished(spec: RunSpec, rows: Rows) -> None:
        nonlocal done
        if parts is not None:
            write_table(rows, parts / f"{spec.key}.csv")
        results[spec.key] = rows
        done += 1
        if progress:
            progress(done, len(runs))

    results: dict[str, Rows] = {}
    if cluster:
        from .distributed import map_on_cluster

        for spec, rows in map_on_cluster(run_rows, todo, cluster):
            finished(spec, rows)
    elif jobs <= 1:
        for spec in todo:
            finished(spec, run_rows(spec))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, len(todo) // (jobs * 16))
            for spec, rows in zip(todo, pool.map(run_rows, todo, chunksize=chunk),
                                  strict=True):
                finished(spec, rows)
    tables: list[Rows] = []
    for spec in runs:
        if spec.key in results:
            tables.append(results[spec.key])
        elif parts is not None:
            tables.append(Rows.from_dicts(read_csv(parts / f"{spec.key}.csv")))
    return Rows.concat(tables)


# -- tables -----------------------------------------------------------------------------------


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The table's columns in their fixed order (the sweep's parameters in the middle)."""
    names = rows.columns if isinstance(rows, Rows) else {k for r in rows for k in r}
    params = sorted(k for k in names if k.startswith("param_"))
    return [*BASE_COLUMNS, *params, *TURN_COLUMNS]


def write_table(rows: Sequence[Mapping[str, Any]], path: str | Path) -> None:
    """Write a tidy table as CSV or Parquet (by suffix), atomically."""
    from ..scenario.files import atomic_write_bytes

    path = Path(path)
    table = rows if isinstance(rows, Rows) else Rows.from_dicts(rows)
    columns = columns_of(table)
    n = len(table)
    data = {c: table.columns[c] if c in table.columns else [None] * n for c in columns}
    if path.suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("writing Parquet needs pyarrow: pip install 'trustsim[lab]'") \
                from None
        import io

        buffer = io.BytesIO()
        pq.write_table(pa.table(data), buffer)  # type: ignore[no-untyped-call]
        atomic_write_bytes(path, buffer.getvalue())
        return
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*([_csv_value(v) for v in _plain(data[c])] for c in columns),
                         strict=True))
    atomic_write_bytes(path, text.getvalue().encode("utf-8"))


def _csv_value(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


INT_COLUMNS = {"seed", "turn", "team_size", "promises_broken"}
STR_COLUMNS = {"run", "scenario", "strategy", "model_version", "team"}


def read_csv(path: str | Path) -> list[dict[str, Any]]:
    """A tidy CSV back as rows with the right types."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = []
        for raw in csv.DictReader(fh):
            row: dict[str, Any] = {}
            for key, value in raw.items():
                if key in STR_COLUMNS:
                    row[key] = value
                elif key in INT_COLUMNS:
                    row[key] = int(value)
                else:
                    row[key] = float(value) if value != "" else math.nan
            rows.append(row)
        return rows


@dataclass
class SweepConfig:
    """A sweep described in a YAML file (``trustsim sweep --config sweep.yaml``)."""

    scenario: str
    params: dict[str, list[float]] = field(default_factory=dict)
    strategies: list[str] = field(default_factory=lambda: ["do_nothing"])
    reps: int = 10
    seed: int = 0
    turns: int | None = None


def check_strategies(names: Sequence[str]) -> None:
    unknown = [s for s in names if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategies: {', '.join(unknown)} "
                         f"(known: {', '.join(STRATEGIES)})")
