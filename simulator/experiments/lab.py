"""The students' lab: tidy tables of runs and parameter sweeps.

One row per run x turn x team, with the run's parameters, seed, strategy and the model
version, so the table goes straight into pandas, R or a spreadsheet. Sweeps derive every
run's seed from one :class:`numpy.random.SeedSequence`, so each run can be replayed on its
own (``trustsim run SCENARIO --strategy S --seed SEED --param NAME=VALUE``, the same
run id: :func:`replay_spec`), and results are identical however the runs were spread over
processes.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import itertools
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np

from ..core.metrics import TeamValues
from ..core.params import MODEL_VERSION, PARAMS_BY_NAME, Params
from ..core.setup import Setup
from ..core.simulation import Simulation
from ..scenario.library import reference_solution
from ..scenario.loader import Scenario, load_scenario
from .causes import CAUSE_COLUMNS as _CAUSES
from .causes import CauseTally
from .measures import MEASURES, measure_columns
from .measures import record_measures as _measure_columns
from .policies import PolicyRunner, policy_label
from .strategies import STRATEGIES, Reference, play_strategy

#: Names students know from the literature, mapped to the model's parameters.
ALIASES = {"kappa": "asymmetry", "damping": "cross_team_damping"}

#: ``model_version`` is trustsim's version, ``model`` the version of the model's rules
#: (:data:`~simulator.core.params.MODEL_VERSION`, as in saved games)
BASE_COLUMNS = ["run", "scenario", "strategy", "policy", "seed", "model_version", "model"]
TURN_COLUMNS = ["turn", "team", "team_size", "trust_within", "trust_across", "ei",
                "trust_in_player", "modularity", "cross_team_trust", "promises_broken"]
#: how much each act and kind of cause moved trust in the turn (see causes.py), and how
#: many acts the managers did by policy
CAUSE_COLUMNS = [*_CAUSES, "manager_acts"]


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
    #: acts a turn of each manager acting by policy (``--manager-capacity``); None: the
    #: scenario's capacity
    manager_capacity: int | None = None
    #: network measures to add per turn (``--measures``, names of ``measures.MEASURES``);
    #: they change nothing in the run but add columns, so a run kept without them is not
    #: the run asked for with them: they are part of its key when there are any
    measures: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The run's id: the same for the same run however it was asked for."""
        # the scenario's absolute path: `two-floors.yaml` and `./two-floors.yaml` are one run
        fields: list[Any] = [os.path.abspath(self.scenario), self.strategy, self.seed,
                             self.params, self.turns]
        if self.policies or self.org_seed is not None:
            fields += [self.policies, self.org_seed]
        if self.manager_capacity is not None:
            fields += [("manager_capacity", self.manager_capacity)]
        if self.measures:  # (none: the key of every run before measures existed)
            fields += [("measures", sorted(self.measures))]
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


def replay_spec(scenario: str, strategy: str = "do_nothing", seed: int | None = None,
                params: Sequence[str] = (), turns: int | None = None,
                **fields: Any) -> RunSpec:
    """The one run that ``trustsim run --strategy`` and ``trustsim export`` name.

    ``params`` are ``NAME=VALUE`` texts (one value each, the names and aliases of a sweep's
    ``--param``); ``seed`` defaults to the scenario's; other fields of the spec
    (``policies``, ``org_seed``, ...) go into it as given. Built as :func:`plan_sweep` builds a
    sweep's runs, so a sweep row's scenario (given the same way), strategy, seed, parameter
    values and turns replay that very run, under the same ``run`` id.

    >>> replay_spec("two-floors.yaml", "build_bridges", 7, ["kappa=2"]).params
    (('asymmetry', 2.0),)
    """
    check_strategies([strategy])
    values: dict[str, float] = {}
    for text in params:
        name, points = parse_param(text)
        if len(points) != 1:
            raise ValueError(f"{text!r}: one value per parameter in a single run "
                             "(`trustsim sweep` runs several)")
        if name in values:
            raise ValueError(f"{name} is given twice")
        values[name] = points[0]
    if seed is None:
        seed = _load(scenario).setup.seed
    elif seed < 0:
        raise ValueError("the seed must be 0 or more")
    return RunSpec(scenario, strategy, seed, tuple(sorted(values.items())), turns, **fields)

def plan_sweep(scenario: str, grid: Mapping[str, Sequence[float]], strategies: Sequence[str],
               reps: int, *, seed: int = 0, turns: int | None = None,
               policies: Sequence[tuple[tuple[str, float], ...]] = ((),),
               org_seeds: bool = False,
               manager_capacity: int | None = None) -> list[RunSpec]:
    """Every (parameter combination, strategy, policy setting, replicate) as a run with its
    own seed.

    With ``org_seeds`` each replicate regenerates the (generated) organisation: replicate
    ``r`` uses the same organisation in every condition, so conditions compare on the same
    organisations (a paired design) while replicates differ.
    """
    names = sorted(grid)
    combos = list(itertools.product(*(grid[n] for n in names))) or [()]
    settings = list(policies) or [()]
    total = len(combos) * len(strategies) * len(settings) * reps
    seeds = np.random.SeedSequence(seed).spawn(total)
    org = [int(np.random.SeedSequence([seed, rep, 1]).generate_state(1, np.uint32)[0])
           for rep in range(reps)] if org_seeds else [None] * reps
    runs = []
    i = 0
    for combo in combos:
        for strategy in strategies:
            for setting in settings:
                for rep in range(reps):
                    run_seed = int(seeds[i].generate_state(1, np.uint64)[0] % (2**63))
                    runs.append(RunSpec(scenario, strategy, run_seed,
                                        tuple(zip(names, combo, strict=True)), turns, rep,
                                        tuple(setting), org[rep],
                                        manager_capacity=manager_capacity))
                    i += 1
    return runs


def identical_replicates(rows: Rows, outcomes: Sequence[str] = ("ei", "trust_within",
                                                                 "trust_across")) -> str | None:
    """Why the replicates of a sweep are all identical, or ``None`` when they differ.

    Replicates of a condition (same scenario, strategy, policy and parameters) that give
    the same rows add nothing: their spread is zero and a confidence interval over them
    is a lie. This says so, and why, when it is true of every condition with more than one
    replicate.
    """
    cols = rows.columns
    if not len(rows) or "turn" not in cols:
        return None
    turn = np.asarray(cols["turn"])
    last = turn == turn.max()
    keys = [c for c in ("scenario", "strategy", "policy", *sorted(
        c for c in cols if c.startswith("param_"))) if c in cols]
    groups: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
    runs_in: dict[tuple[Any, ...], set[Any]] = {}
    run_col = _plain(cols["run"])
    key_cols = [_plain(cols[k]) for k in keys]
    team_col = _plain(cols["team"])
    values = [np.asarray(cols[o], dtype=float) for o in outcomes if o in cols]
    per_run: dict[Any, list[Any]] = {}
    for i in np.flatnonzero(last).tolist():
        per_run.setdefault(run_col[i], []).append(
            (team_col[i], *(round(float(v[i]), 12) for v in values)))
        runs_in.setdefault(tuple(k[i] for k in key_cols), set()).add(run_col[i])
    for key, runs in runs_in.items():
        groups[key] = {tuple(sorted(per_run[r])) for r in runs}
    replicated = [k for k in runs_in if len(runs_in[k]) > 1]
    if not replicated or any(len(groups[k]) > 1 for k in replicated):
        return None
    n = max(len(runs_in[k]) for k in replicated)
    return (f"the {n} replicates of each condition are identical: nothing in these runs is "
            "left to chance (the strategies choose the same acts whatever the seed, the "
            "scenario has no random events, and the organisation is the same). Vary "
            "something between replicates: --org-seeds (a generated organisation), a policy "
            "(--policy; who gets which policy is drawn per run), the `random` strategy, or a "
            "scenario with random events; otherwise use --reps 1.")


@lru_cache(maxsize=4)
def _load(path: str) -> Scenario:
    return load_scenario(path)


def check_org_seeds(path: str) -> None:
    """Refuse ``--org-seed(s)`` for an organisation that cannot be regenerated."""
    from ..scenario.errors import ScenarioError
    from .generate import read_options

    message = (f"{path}: --org-seed(s) regenerate an organisation made by `trustsim "
               "generate` (.npz), and this file does not say how it was made")
    if not path.endswith(".npz"):
        raise ValueError(message)
    try:
        read_options(path)
    except ScenarioError as exc:
        raise ValueError(str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{message} ({exc})") from None


@lru_cache(maxsize=8)
def _regenerated(path: str, org_seed: int) -> Setup:
    from .generate import regenerate

    check_org_seeds(path)
    return regenerate(path, org_seed).setup()


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
        present = {k for r in rows for k in r}
        order = columns_of(rows) if rows else []
        names = [c for c in order if c in present] + sorted(present - set(order))
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


def run_rows(spec: RunSpec, on_turn: Callable[[Simulation], None] | None = None) -> Rows:
    """Play one run and return its tidy rows (turn 0 and the end of every turn).

    ``on_turn`` sees the game each time a turn's rows are recorded, turn 0 included (the
    exports draw the graphs of the very run the rows measure there).
    """
    setup = (_load(spec.scenario).setup if spec.org_seed is None
             else _regenerated(spec.scenario, spec.org_seed))
    if spec.params or spec.turns:
        overrides = {**setup.params.overrides(), **dict(spec.params)}
        setup = dataclasses.replace(setup, params=Params.from_overrides(overrides),
                                    turns=spec.turns or setup.turns)
    game = Simulation(setup, spec.seed, undo=False, explain_drift=False, keep_results=False)
    per_turn: dict[str, list[Any]] = {c: [] for c in (*TURN_COLUMNS, *CAUSE_COLUMNS,
                                                      *measure_columns(spec.measures))}
    measured: dict[str, Any] = {}  # what the measures keep between turns
    tally = CauseTally(game)
    runner = (PolicyRunner(game, spec.policies, spec.seed, capacity=spec.manager_capacity)
              if spec.policies else None)
    count = 0

    def record(g: Simulation) -> None:
        nonlocal count
        k = _turn_columns(g, per_turn)
        count += k
        _measure_columns(g, spec.measures, per_turn, measured)
        for name, values in tally.take().items():
            per_turn[name] += values.tolist()
        per_turn["manager_acts"] += [runner.take_acts() if runner else 0] * k
        if on_turn is not None:
            on_turn(g)

    record(game)
    policy = (Reference(reference_solution(Path(spec.scenario)))
              if spec.strategy == "reference" else spec.strategy)
    play_strategy(game, policy, seed=spec.seed, on_turn=record,
                  before_end=runner.before_end if runner else None)
    base: dict[str, Any] = {"run": spec.key, "scenario": Path(spec.scenario).stem,
                            "strategy": spec.strategy,
                            "policy": policy_label(spec.policies), "seed": spec.seed,
                            "model_version": model_version(), "model": MODEL_VERSION}
    if spec.org_seed is not None:
        base["org_seed"] = spec.org_seed
    if spec.manager_capacity is not None:
        base["manager_capacity"] = spec.manager_capacity
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


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: ``kept`` of ``total`` runs are on disk (in ``parts``) and the
    same command resumes from them; with no parts folder, nothing was kept."""

    def __init__(self, kept: int, total: int, *, resumable: bool) -> None:
        super().__init__(f"kept {kept:,} of {total:,} runs")
        self.kept, self.total, self.resumable = kept, total, resumable


def run_sweep(runs: Sequence[RunSpec], *, jobs: int = 1, parts: Path | None = None,
              cluster: str | None = None,
              progress: Callable[[int, int], None] | None = None,
              every: float = 1.0) -> Rows:
    """Run every spec (skipping those already in ``parts``) and return all rows in order.

    ``parts`` is a folder where finished runs are kept, in batches written atomically at
    most every ``every`` seconds (see :mod:`.parts`), so an interrupted sweep resumes
    where it stopped: a crash loses at most the last second of runs, a Ctrl-C none that
    had finished (it raises :class:`SweepInterrupted` once they are written). ``cluster``
    sends the runs to a Dask distributed scheduler (an address, or ``local`` for a
    LocalCluster); ``jobs`` > 1 to local worker processes. The table is the same however
    the runs were spread.
    """
    from .distributed import map_in_processes, map_on_cluster, sigint_ignored
    from .parts import RunStore

    store = RunStore(parts, every=every) if parts is not None else None
    kept = store.keys() if store is not None else set()
    legacy = {p.stem for p in parts.glob("*.csv")} if parts is not None else set()
    todo = [r for r in runs if r.key not in kept and r.key not in legacy]
    done = len(runs) - len(todo)
    if progress:
        progress(done, len(runs))

    def finished(spec: RunSpec, rows: Rows) -> None:
        nonlocal done
        results[spec.key] = rows
        if store is not None:
            store.add(spec.key, rows.columns)
        done += 1
        if progress:
            progress(done, len(runs))

    results: dict[str, Rows] = {}
    try:
        if cluster:
            for spec, rows in map_on_cluster(run_rows, todo, cluster,
                                             workers=jobs if jobs > 1 else None):
                finished(spec, rows)
        elif jobs <= 1 or len(todo) <= 1:
            for spec in todo:
                finished(spec, run_rows(spec))
        else:
            _load(todo[0].scenario)  # loaded once here; forked workers inherit it
            for spec, rows in map_in_processes(run_rows, todo, jobs):
                finished(spec, rows)
    except KeyboardInterrupt:
        with sigint_ignored():  # a second Ctrl-C must not cut the last batch short
            if store is not None:
                store.flush()
        on_disk = (store.keys() | legacy) if store is not None else set()
        raise SweepInterrupted(sum(1 for r in runs if r.key in on_disk), len(runs),
                               resumable=store is not None) from None
    if store is not None:
        with sigint_ignored():
            store.flush()  # everything on disk before the table is written
    stored = store.read(r.key for r in runs if r.key not in results) if store else {}
    tables: list[Rows] = []
    for spec in runs:
        if spec.key in results:
            tables.append(results[spec.key])
        elif spec.key in stored:
            tables.append(Rows(stored[spec.key]))
        elif parts is not None:  # a part of a sweep begun before batches (one CSV a run)
            tables.append(Rows.from_dicts(read_csv(parts / f"{spec.key}.csv")))
    return Rows.concat(tables)


# -- tables -----------------------------------------------------------------------------------


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The table's columns in their fixed order (the sweep's parameters in the middle)."""
    names = rows.columns if isinstance(rows, Rows) else {k for r in rows for k in r}
    params = sorted(k for k in names if k.startswith("param_"))
    extra = [c for c in ("org_seed", "manager_capacity") if c in names]
    measures = [m for m in MEASURES if m in names]  # only those asked for (--measures)
    return [*BASE_COLUMNS, *extra, *params, *TURN_COLUMNS, *CAUSE_COLUMNS, *measures]


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


INT_COLUMNS = {"seed", "org_seed", "manager_capacity", "model", "turn", "team_size",
               "promises_broken", "manager_acts"}
STR_COLUMNS = {"run", "scenario", "strategy", "policy", "model_version", "team"}


def read_csv(path: str | Path) -> list[dict[str, Any]]:
    """A tidy CSV back as rows with the right types."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = []
        for raw in csv.DictReader(fh):
            row: dict[str, Any] = {}
            for key, value in raw.items():
                if key in STR_COLUMNS:
                    row[key] = value
                elif key in INT_COLUMNS:  # empty: a column this table's rows lack
                    row[key] = int(value) if value != "" else None
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
