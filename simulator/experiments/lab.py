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
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..core.params import PARAMS_BY_NAME, Params
from ..core.simulation import Simulation, _ratio
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

    @property
    def key(self) -> str:
        text = json.dumps([self.scenario, self.strategy, self.seed, self.params, self.turns])
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


def team_rows(game: Simulation) -> list[dict[str, Any]]:
    """Per-team measures of the organisation now (one dict per team)."""
    w = game.world
    n = w.n_edges
    k = len(w.team_ids)
    st = w.src_team[:n]
    trust, strength, cross = w.trust[:n], w.strength[:n], w.cross_f[:n]
    tie = (strength > 0).astype(np.float64)
    inside = tie * (1.0 - cross)
    outside = tie * cross
    within = _ratio(np.bincount(st, weights=trust * inside, minlength=k),
                    np.bincount(st, weights=inside, minlength=k))
    across = _ratio(np.bincount(st, weights=trust * outside, minlength=k),
                    np.bincount(st, weights=outside, minlength=k))
    sizes = np.bincount(w.team, minlength=k)
    metrics = game.history[-1] if game.history else game.metrics()
    broken = sum(1 for p in game.promises("broken") if p.by == game.player_id)
    rows = []
    for t, team in enumerate(w.team_ids):
        rows.append({
            "turn": game.turn - 1, "team": team, "team_size": int(sizes[t]),
            "trust_within": _f(within[t]), "trust_across": _f(across[t]),
            "ei": _f(metrics["ei"].get(team)),
            "trust_in_player": _f(metrics["team_trust_in_player"].get(team)),
            "modularity": _f(metrics["modularity"]),
            "cross_team_trust": _f(metrics["cross_team_trust"]),
            "promises_broken": broken,
        })
    return rows


def _f(value: Any) -> float:
    return float(value) if value is not None else math.nan


def run_rows(spec: RunSpec) -> list[dict[str, Any]]:
    """Play one run and return its tidy rows (turn 0 and the end of every turn)."""
    scenario = _load(spec.scenario)
    setup = scenario.setup
    if spec.params or spec.turns:
        overrides = {**setup.params.overrides(), **dict(spec.params)}
        setup = dataclasses.replace(setup, params=Params.from_overrides(overrides),
                                    turns=spec.turns or setup.turns)
    game = Simulation(setup, spec.seed, undo=False, explain_drift=False)
    rows: list[dict[str, Any]] = []
    base = {"run": spec.key, "scenario": Path(spec.scenario).stem, "strategy": spec.strategy,
            "seed": spec.seed, "model_version": model_version()}
    base.update({f"param_{name}": value for name, value in spec.params})

    def record(g: Simulation) -> None:
        rows.extend({**base, **row} for row in team_rows(g))

    record(game)
    policy = (Reference(reference_solution(Path(spec.scenario)))
              if spec.strategy == "reference" else spec.strategy)
    play_strategy(game, policy, seed=spec.seed, on_turn=record)
    return rows


def run_sweep(runs: Sequence[RunSpec], *, jobs: int = 1, parts: Path | None = None,
              cluster: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run every spec (skipping those already in ``parts``) and return all rows in order.

    ``parts`` is a folder with one small CSV per finished run, written atomically, so an
    interrupted sweep resumes where it stopped. ``cluster`` sends the runs to a Dask
    distributed scheduler (an address, or ``local`` for a LocalCluster).
    """
    todo = [r for r in runs if parts is None or not (parts / f"{r.key}.csv").exists()]
    done = len(runs) - len(todo)
    if progress:
        progress(done, len(runs))

    def finished(spec: RunSpec, rows: list[dict[str, Any]]) -> None:
        nonlocal done
        if parts is not None:
            write_table(rows, parts / f"{spec.key}.csv")
        results[spec.key] = rows
        done += 1
        if progress:
            progress(done, len(runs))

    results: dict[str, list[dict[str, Any]]] = {}
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
    out: list[dict[str, Any]] = []
    for spec in runs:
        if spec.key in results:
            out.extend(results[spec.key])
        elif parts is not None:
            out.extend(read_csv(parts / f"{spec.key}.csv"))
    return out


# -- tables -----------------------------------------------------------------------------------


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    params = sorted({k for r in rows for k in r if k.startswith("param_")})
    return [*BASE_COLUMNS, *params, *TURN_COLUMNS]


def write_table(rows: Sequence[Mapping[str, Any]], path: str | Path) -> None:
    """Write a tidy table as CSV or Parquet (by suffix), atomically."""
    from ..scenario.files import atomic_write_bytes

    path = Path(path)
    columns = columns_of(rows)
    if path.suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("writing Parquet needs pyarrow: pip install 'trustsim[lab]'") \
                from None
        import io

        table = pa.table({c: [r.get(c) for r in rows] for c in columns})
        buffer = io.BytesIO()
        pq.write_table(table, buffer)  # type: ignore[no-untyped-call]
        atomic_write_bytes(path, buffer.getvalue())
        return
    import io

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _csv_value(row.get(c)) for c in columns})
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
