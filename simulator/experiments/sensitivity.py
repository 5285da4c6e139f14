"""Which parameters move an outcome: global sensitivity analysis with SALib.

A design samples the declared bounds of the chosen model parameters
(:data:`~simulator.core.params.PARAMS`) with SALib, Morris trajectories for screening or
Saltelli's scheme for Sobol indices; every sample point is one run of the lab
(:class:`~simulator.experiments.lab.RunSpec`), played through
:func:`~simulator.experiments.lab.run_sweep`, so a design runs in processes or on a Dask
cluster and resumes from its parts folder exactly like a sweep. The outcome of a run is one
number: the mean over teams of a column of the tidy table (``ei`` by default) at one turn
(the last by default). SALib then ranks the parameters (Morris: mu*, sigma and a bootstrap
confidence interval of mu*; Sobol: first-order and total indices with theirs).

Every run uses the same seed (common random numbers): two runs of a design differ only
in their parameters, so an effect is never the noise of another seed. A different
``seed`` repeats the analysis under other draws, which is how to see whether a ranking
depends on them.

>>> design = plan("scenarios/two-floors.yaml", method="morris",
...               params=["asymmetry", "cross_team_decay"], samples=3)
>>> len(design.runs), design.runs[0].seed == design.runs[-1].seed
(9, True)
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.params import PARAMS, PARAMS_BY_NAME
from .lab import ALIASES, Rows, RunSpec, check_strategies, columns_of, run_sweep

METHODS = ("morris", "sobol")
#: columns of the tidy table a design can take as its outcome (mean over teams)
OUTCOMES = ("ei", "trust_within", "trust_across", "cross_team_trust", "modularity",
            "trust_in_player", "promises_broken")
GROUPS = tuple(dict.fromkeys(p.group for p in PARAMS))
#: a design of more runs than this needs ``yes=True`` (``--yes``)
MAX_RUNS = 20_000
#: Morris grid levels (SALib's default, and the usual choice)
LEVELS = 4
#: runs played and written per batch: bounds the memory a large design holds at once
BATCH = 256
DEFAULT_SAMPLES = {"morris": 10, "sobol": 64}


# -- the design --------------------------------------------------------------------------


def select_params(spec: str | Sequence[str] = "all") -> list[str]:
    """The parameters named by ``spec``, in declaration order.

    ``all`` is every parameter whose bounds differ; ``group:NAME`` a group of
    :data:`~simulator.core.params.PARAMS` (trust, memory, acts, spread, turn); a name (or
    an alias such as ``kappa``) one parameter; ``-NAME`` or ``-group:NAME`` leaves out.

    >>> select_params("kappa,cross_team_decay")
    ['asymmetry', 'cross_team_decay']
    >>> len(select_params("group:spread,-max_hops"))
    8
    """
    items = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec)]
    items = [s for s in items if s]
    if not items:
        raise ValueError("--params: name at least one parameter (or `all`)")
    chosen: list[str] = []
    dropped: set[str] = set()
    unknown: list[str] = []
    for item in items:
        drop = item.startswith("-")
        names = _names(item[1:] if drop else item)
        if names is None:
            unknown.append(item)
        elif drop:
            dropped.update(names)
        else:
            chosen += [n for n in names if n not in chosen]
    if unknown:
        raise ValueError(f"--params: unknown {', '.join(map(repr, unknown))} (a parameter of "
                         f"docs/model.md, group:{'|group:'.join(GROUPS)}, or all)")
    if not any(not item.startswith("-") for item in items):
        chosen = _names("all") or []
    fixed = [n for n in chosen if PARAMS_BY_NAME[n].lo >= PARAMS_BY_NAME[n].hi]
    if fixed:
        raise ValueError(f"--params: {', '.join(fixed)} cannot vary (lower bound = upper)")
    order = {p.name: i for i, p in enumerate(PARAMS)}
    names = sorted((n for n in chosen if n not in dropped), key=order.__getitem__)
    if not names:
        raise ValueError("--params: every parameter was left out")
    return names


def _names(item: str) -> list[str] | None:
    if item == "all":
        return [p.name for p in PARAMS if p.lo < p.hi]
    if item.startswith("group:"):
        group = item.removeprefix("group:")
        return [p.name for p in PARAMS if p.group == group] if group in GROUPS else None
    name = ALIASES.get(item, item)
    return [name] if name in PARAMS_BY_NAME else None


def run_count(method: str, k: int, samples: int) -> int:
    """Runs a design takes: Morris ``r * (k + 1)``; Sobol (S1 and ST) ``N * (k + 2)``.

    >>> run_count("morris", 76, 10), run_count("sobol", 76, 64)
    (770, 4992)
    """
    return samples * (k + 1) if method == "morris" else samples * (k + 2)


def check_design(method: str, samples: int, outcome: str = "ei") -> None:
    """Raise ``ValueError`` with a message for a user if the choices cannot make a design."""
    if method not in METHODS:
        raise ValueError(f"--method: unknown {method!r} (known: {', '.join(METHODS)})")
    if outcome not in OUTCOMES:
        raise ValueError(f"--outcome: unknown {outcome!r} (known: {', '.join(OUTCOMES)})")
    if samples < 2:
        what = "trajectories" if method == "morris" else "base samples"
        raise ValueError(f"--samples: {samples} {what}; a design needs at least 2")
    if method == "sobol" and samples & (samples - 1):
        raise ValueError(f"--samples: {samples} is not a power of 2, which Sobol sampling "
                         "needs (try 32, 64 or 128)")


@dataclass(frozen=True)
class Design:
    """The sample points of a sensitivity analysis and the run that plays each."""

    scenario: str
    method: str
    names: tuple[str, ...]
    samples: int
    strategy: str
    seed: int
    turns: int | None
    #: one row per run: the parameter values played (integers rounded, 6 digits kept)
    points: np.ndarray[Any, Any] = field(repr=False)
    runs: tuple[RunSpec, ...] = field(repr=False)

    @property
    def problem(self) -> dict[str, Any]:
        """SALib's description of the parameters and their bounds."""
        return problem(self.names)

    def unique_runs(self) -> list[RunSpec]:
        """The runs without repeats (two sample points can coincide)."""
        return list({r.key: r for r in self.runs}.values())


def problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names),
            "bounds": [[PARAMS_BY_NAME[n].lo, PARAMS_BY_NAME[n].hi] for n in names]}


def plan(scenario: str, *, method: str = "morris", params: str | Sequence[str] = "all",
         samples: int | None = None, strategy: str = "do_nothing", seed: int = 0,
         turns: int | None = None) -> Design:
    """Sample the bounds of ``params`` and make one run per sample point, all with ``seed``.

    ``samples`` is Morris's number of trajectories ``r`` or Sobol's base sample ``N`` (a
    power of 2). The sampling itself is seeded with ``seed`` too, so the same arguments give
    the same runs (and the same run ids, which is what resuming relies on).
    """
    samples = DEFAULT_SAMPLES.get(method, 2) if samples is None else samples
    check_design(method, samples)
    check_strategies([strategy])
    names = select_params(params)
    spec = problem(names)
    if method == "morris":
        from SALib.sample import morris as morris_sample

        raw = morris_sample.sample(spec, samples, num_levels=LEVELS, seed=seed)
    else:
        from SALib.sample import sobol as sobol_sample

        raw = sobol_sample.sample(spec, samples, calc_second_order=False, seed=seed)
    points = _playable(np.asarray(raw, dtype=float), names)
    runs = tuple(RunSpec(scenario, strategy, seed,
                         tuple(zip(names, (float(v) for v in row), strict=True)), turns)
                 for row in points)
    return Design(scenario, method, tuple(names), samples, strategy, seed, turns, points, runs)


def _playable(points: np.ndarray[Any, Any], names: Sequence[str]) -> np.ndarray[Any, Any]:
    """Sample points as values a scenario accepts: whole numbers for integer parameters,
    six significant digits for the rest (short run ids and tables; SALib's Morris analysis
    reads only which parameter moved, and in which direction)."""
    out = np.empty_like(points)
    for j, name in enumerate(names):
        p = PARAMS_BY_NAME[name]
        column = points[:, j]
        if p.integer:
            column = np.floor(column + 0.5)
        else:
            column = np.array([float(f"{v:.6g}") for v in column])
        out[:, j] = np.clip(column, p.lo, p.hi)
    return out


# -- running it ------------------------------------------------------------------------------


#: per run: the mean over teams of every outcome at every turn (rows: turns; columns: OUTCOMES)
RunMeans = dict[str, np.ndarray[Any, Any]]


def run_means(columns: Mapping[str, Any]) -> RunMeans:
    """Mean over teams of each outcome, per run and turn, from a tidy table's columns."""
    keys = np.asarray(columns["run"], dtype=str)
    if not len(keys):
        return {}
    unique, run_index = np.unique(keys, return_inverse=True)
    turns = np.asarray(columns["turn"], dtype=np.int64)
    width = int(turns.max()) + 1
    cell = run_index * width + turns
    out = np.full((len(unique) * width, len(OUTCOMES)), np.nan)
    for j, name in enumerate(OUTCOMES):
        values = np.asarray(columns[name], dtype=float)
        finite = np.isfinite(values)
        sums = np.bincount(cell[finite], weights=values[finite], minlength=len(out))
        counts = np.bincount(cell[finite], minlength=len(out))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, j] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    seen = np.zeros(len(out), bool)
    seen[cell] = True
    out[~seen] = np.nan
    return {str(key): out[i * width:(i + 1) * width] for i, key in enumerate(unique)}


def read_means(path: str | Path) -> RunMeans:
    """:func:`run_means` of a table written by a design (or a sweep); {} if unreadable."""
    path = Path(path)
    wanted = ["run", "turn", *OUTCOMES]
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path, columns=wanted)  # type: ignore[no-untyped-call]
            return run_means({c: table.column(c).to_numpy(zero_copy_only=False)
                              for c in wanted})
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns: dict[str, list[Any]] = {c: [] for c in wanted}
            for row in reader:
                columns["run"].append(row["run"])
                columns["turn"].append(int(row["turn"]))
                for c in OUTCOMES:
                    columns[c].append(float(row[c]) if row[c] else math.nan)
        return run_means(columns)
    except (OSError, KeyError, ValueError, ImportError, TypeError):
        return {}
    except Exception as exc:  # a damaged Parquet file: run again rather than fail
        if type(exc).__module__.startswith("pyarrow"):
            return {}
        raise


def finished(design: Design, out: Path | None, parts: Path | None) -> int:
    """How many of the design's runs are already done (in ``out`` or in ``parts``)."""
    have = set(read_means(out)) if out is not None and out.exists() else set()
    if parts is not None and parts.is_dir():
        from .parts import RunStore

        have |= RunStore(parts).keys() | {p.stem for p in parts.glob("*.csv")}
    return sum(1 for spec in design.unique_runs() if spec.key in have)


def run_design(design: Design, *, jobs: int = 1, cluster: str | None = None,
               parts: Path | None = None, out: Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> RunMeans:
    """Play every run of the design (skipping finished ones) and return their means.

    Runs go through :func:`~simulator.experiments.lab.run_sweep` in batches, with the
    sweep's parts folder (one file per finished run) when ``parts`` is given. With ``out``,
    the tidy table of every run is written there (CSV or Parquet, atomically), and an
    ``out`` that already holds every run of the design is read instead of playing anything.
    """
    runs = design.unique_runs()
    if out is not None and out.exists():
        means = read_means(out)
        if all(r.key in means for r in runs):
            if progress:
                progress(len(runs), len(runs))
            return {r.key: means[r.key] for r in runs}
    means = {}
    writer = _TableWriter(out) if out is not None else None
    try:
        for start in range(0, len(runs), BATCH):
            batch = runs[start:start + BATCH]
            report = None
            if progress:
                def report(done: int, _total: int, start: int = start) -> None:
                    progress(start + done, len(runs))
            rows = run_sweep(batch, jobs=jobs, parts=parts, cluster=cluster, progress=report)
            means.update(run_means(rows.columns))
            if writer is not None:
                writer.write(rows)
            del rows
        if writer is not None:
            writer.close()
    finally:
        if writer is not None:
            writer.abort()
    return means


class _TableWriter:
    """A tidy table written batch by batch to a temporary file, renamed over ``path`` at the
    end (so a half-written table never takes the place of a good one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temp = path.with_name(path.name + ".partial")
        self.columns: list[str] | None = None
        self.parquet: Any = None
        self.text: Any = None
        self.done = False

    def write(self, rows: Rows) -> None:
        if not len(rows):
            return
        if self.columns is None:
            self.columns = columns_of(rows)
        data = {c: rows.columns[c] for c in self.columns}
        if self.path.suffix == ".parquet":
            try:
                import pyarrow as pa
                import pyarrow.parquet as pq
            except ImportError:
                raise RuntimeError("writing Parquet needs pyarrow: pip install "
                                   "'trustsim[lab]'") from None
            table = pa.table(data)
            if self.parquet is None:
                # a column empty in the first batch (all None) is text in later ones
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type)
                                    else f for f in table.schema])
                self.parquet = pq.ParquetWriter(  # type: ignore[no-untyped-call]
                    self.temp, schema)
            self.parquet.write_table(table.cast(self.parquet.schema))
            return
        if self.text is None:
            self.text = open(self.temp, "w", encoding="utf-8", newline="")  # noqa: SIM115
            csv.writer(self.text, lineterminator="\n").writerow(self.columns)
        writer = csv.writer(self.text, lineterminator="\n")
        plain = [v.tolist() if isinstance(v, np.ndarray) else list(v) for v in data.values()]
        writer.writerows(zip(*([_csv_value(v) for v in column] for column in plain),
                             strict=True))

    def close(self) -> None:
        handle = self.parquet or self.text
        if handle is None:
            return
        handle.close()
        with open(self.temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(self.temp, self.path)
        self.done = True

    def abort(self) -> None:
        if self.done:
            return
        for handle in (self.parquet, self.text):
            if handle is not None:
                handle.close()
        self.temp.unlink(missing_ok=True)


def _csv_value(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


def outcome_values(design: Design, means: RunMeans, outcome: str = "ei",
                   turn: int | None = None) -> np.ndarray[Any, Any]:
    """The outcome of every run of the design, in sample order: the mean over teams of
    ``outcome`` at ``turn`` (the last turn when None)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"--outcome: unknown {outcome!r} (known: {', '.join(OUTCOMES)})")
    j = OUTCOMES.index(outcome)
    values = []
    for spec in design.runs:
        table = means[spec.key]
        played = np.flatnonzero(~np.all(np.isnan(table), axis=1))
        last = int(played.max()) if len(played) else 0
        at = last if turn is None else turn
        if at > last:
            raise ValueError(f"--turn {turn}: the runs end at turn {last}")
        values.append(table[at, j])
    y = np.asarray(values)
    bad = int(np.isnan(y).sum())
    if bad:
        raise ValueError(f"{outcome} is undefined (no team has a value) in {bad} of "
                         f"{len(y)} runs; choose another --outcome or --turn")
    return y


# -- the ranking --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """The parameters of a design ranked by their effect on one outcome."""

    scenario: str
    strategy: str
    method: str
    outcome: str
    turn: int
    samples: int
    runs: int
    seed: int
    #: one entry per parameter, largest effect first: parameter, group, lo, hi, and
    #: mu_star, mu_star_conf, mu, sigma (Morris) or ST, ST_conf, S1, S1_conf (Sobol)
    entries: tuple[dict[str, Any], ...]
    #: the outcome did not change in any run
    constant: bool = False

    @property
    def key(self) -> str:
        return "mu_star" if self.method == "morris" else "ST"

    def parameters(self) -> list[str]:
        return [e["parameter"] for e in self.entries]

    def without_effect(self) -> list[str]:
        """Parameters that never moved the outcome (every difference exactly 0)."""
        return [e["parameter"] for e in self.entries if e["no_effect"]]

    def as_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "strategy": self.strategy, "method": self.method,
                "outcome": self.outcome, "aggregation": "mean over teams",
                "turn": self.turn, "samples": self.samples, "runs": self.runs,
                "seed": self.seed, "constant_outcome": self.constant,
                "ranking": [_finite(e) for e in self.entries]}

    def markdown(self) -> str:
        return ranking_markdown(self)


def _finite(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v
            for k, v in entry.items()}


def analyse(design: Design, y: np.ndarray[Any, Any], *, outcome: str = "ei", turn: int,
            seed: int | None = None) -> Ranking:
    """Rank the design's parameters by their effect on ``y`` (one value per run)."""
    seed = design.seed if seed is None else seed
    y = np.asarray(y, dtype=float)
    names = list(design.names)
    constant = bool(np.ptp(y) == 0)
    entries: list[dict[str, Any]] = []
    if design.method == "morris":
        from SALib.analyze import morris as morris_analyse

        result = morris_analyse.analyze(design.problem, design.points, y, num_levels=LEVELS,
                                        conf_level=0.95, num_resamples=1000, seed=seed)
        for i in range(len(names)):
            entries.append({"mu_star": float(result["mu_star"][i]),
                            "mu_star_conf": float(result["mu_star_conf"][i]),
                            "mu": float(result["mu"][i]),
                            "sigma": float(result["sigma"][i])})
        no_effect = [e["mu_star"] == 0 for e in entries]
    elif constant:
        entries = [{"ST": 0.0, "ST_conf": 0.0, "S1": 0.0, "S1_conf": 0.0} for _ in names]
        no_effect = [True] * len(names)
    else:
        from SALib.analyze import sobol as sobol_analyse

        result = sobol_analyse.analyze(design.problem, y, calc_second_order=False,
                                       conf_level=0.95, num_resamples=1000, seed=seed)
        for i in range(len(names)):
            entries.append({k: float(result[k][i]) for k in ("ST", "ST_conf", "S1", "S1_conf")})
        no_effect = _sobol_no_effect(y, len(names), design.samples)
    for name, entry, none in zip(names, entries, no_effect, strict=True):
        p = PARAMS_BY_NAME[name]
        entry.update(parameter=name, group=p.group, lo=p.lo, hi=p.hi, no_effect=bool(none))
    key = "mu_star" if design.method == "morris" else "ST"
    order = sorted(range(len(names)), key=lambda i: (-_rankable(entries[i][key]), i))
    ranked = []
    for rank, i in enumerate(order, 1):
        entry = entries[i]
        ranked.append({"rank": rank, "parameter": entry.pop("parameter"),
                       "group": entry.pop("group"), "lo": entry.pop("lo"),
                       "hi": entry.pop("hi"), **entry})
    return Ranking(Path(design.scenario).stem, design.strategy, design.method, outcome, turn,
                   design.samples, len(design.runs), design.seed, tuple(ranked), constant)


def _rankable(value: float) -> float:
    return value if math.isfinite(value) else -math.inf


def _sobol_no_effect(y: np.ndarray[Any, Any], k: int, n: int) -> list[bool]:
    """Saltelli's blocks without second order are [A, AB_1, ..., AB_k, B] per base point:
    a parameter has no effect when every AB_i equals A."""
    blocks = y.reshape(n, k + 2)
    return [bool(np.all(blocks[:, 1 + i] == blocks[:, 0])) for i in range(k)]


# -- reports ------------------------------------------------------------------------------


METHOD_NOTES = {
    "morris": ("mu* is the mean absolute elementary effect: how far the outcome moves when "
               "the parameter alone crosses its declared range (scaled to the whole range); "
               "± is its 95% bootstrap interval; mu keeps the sign (effects that cancel make "
               "it smaller than mu*); a sigma near or above mu* means the effect depends on "
               "the other parameters (interactions, or a non-linear effect)."),
    "sobol": ("ST is the total-order Sobol index: the share of the outcome's variance over "
              "the bounds that goes if the parameter is fixed (its own effect and every "
              "interaction); S1 is its own effect alone; ± are 95% bootstrap intervals."),
}


def describe(design: Design, outcome: str = "ei", turn: int | str = "last") -> str:
    """One paragraph: what the design runs and how many runs it takes."""
    k = len(design.names)
    runs = len(design.runs)
    if design.method == "morris":
        how = (f"Morris screening: {design.samples} trajectories over {k} parameters at "
               f"{LEVELS} levels, {design.samples} x ({k} + 1) = {runs:,} runs")
    else:
        how = (f"Sobol indices (Saltelli sampling, first and total order): {design.samples} "
               f"base samples over {k} parameters, {design.samples} x ({k} + 2) = "
               f"{runs:,} runs")
    turns = f", {design.turns} turns" if design.turns else ""
    return (f"{how} of {Path(design.scenario).stem} with `{design.strategy}`{turns}, every "
            f"run with seed {design.seed} (common random numbers). Outcome: the mean over "
            f"teams of `{outcome}` at turn {turn}.")


def _g(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return "0" if value == 0 else f"{value:.3g}"


def _bound(value: float) -> str:
    return f"{value:g}"


def ranking_markdown(ranking: Ranking) -> str:
    """The ranking as Markdown: the parameters with an effect ranked, the others listed."""
    lines = [f"**Sensitivity of `{ranking.outcome}` (mean over teams, turn {ranking.turn}) "
             f"in {ranking.scenario} with `{ranking.strategy}`**: "
             f"{'Morris' if ranking.method == 'morris' else 'Sobol'}, "
             f"{ranking.samples} {'trajectories' if ranking.method == 'morris' else 'base samples'}"
             f", {ranking.runs:,} runs, seed {ranking.seed} in every run.", ""]
    shown = [e for e in ranking.entries if not e["no_effect"]]
    if ranking.method == "morris":
        lines += ["| rank | parameter | group | range | mu* | ± (95%) | mu | sigma |",
                  "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: |"]
        for e in shown:
            lines.append(f"| {e['rank']} | `{e['parameter']}` | {e['group']} | "
                         f"{_bound(e['lo'])}–{_bound(e['hi'])} | {_g(e['mu_star'])} | "
                         f"{_g(e['mu_star_conf'])} | {_g(e['mu'])} | {_g(e['sigma'])} |")
    else:
        lines += ["| rank | parameter | group | range | ST | ± (95%) | S1 | ± (95%) |",
                  "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: |"]
        for e in shown:
            lines.append(f"| {e['rank']} | `{e['parameter']}` | {e['group']} | "
                         f"{_bound(e['lo'])}–{_bound(e['hi'])} | {_g(e['ST'])} | "
                         f"{_g(e['ST_conf'])} | {_g(e['S1'])} | {_g(e['S1_conf'])} |")
    if not shown:
        lines = lines[:2]
    lines += ["", METHOD_NOTES[ranking.method]]
    idle = ranking.without_effect()
    if ranking.constant:
        lines += ["", f"The outcome was the same in every run: none of the {len(idle)} "
                  "parameters moved it."]
    elif idle:
        lines += ["", f"No effect at all (the outcome identical whatever the value) for "
                  f"{len(idle)} of {len(ranking.entries)} parameters: "
                  f"{', '.join(f'`{n}`' for n in idle)}."]
    return "\n".join(lines) + "\n"


def plot_ranking(ranking: Ranking, output: str | Path, *, top: int = 25) -> None:
    """A horizontal bar chart of mu* (Morris) or ST with S1 (Sobol), 95% intervals as
    error bars, the largest effect on top; at most ``top`` parameters."""
    from .plots import FORMATS, _pyplot

    output = Path(output)
    if output.suffix not in FORMATS:
        raise ValueError(f"{output}: the figure's name ends in {', '.join(FORMATS)}")
    plt = _pyplot()
    entries = [e for e in ranking.entries if not e["no_effect"]][:top]
    k = ranking.key
    height = max(2.5, 0.32 * len(entries) + 1.6)
    fig, ax = plt.subplots(figsize=(7.5, height))
    ys = np.arange(len(entries))[::-1]
    values = [e[k] for e in entries]
    conf = [e[f"{k}_conf"] for e in entries]
    # mu* and ST are not negative: the interval is cut at 0 below
    errors = [[min(c, max(v, 0.0)) if k == "mu_star" else c for v, c in zip(values, conf,
                                                                            strict=True)],
              conf]
    ax.barh(ys, values, xerr=errors, color="#4477aa", ecolor="#222222", capsize=2,
            label="mu*" if k == "mu_star" else "ST (total)")
    if ranking.method == "sobol":
        ax.errorbar([e["S1"] for e in entries], ys, xerr=[e["S1_conf"] for e in entries],
                    fmt="D", color="#ee7733", ms=4, capsize=2, label="S1 (first order)")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(ys, [e["parameter"] for e in entries], fontsize=8)
    ax.axvline(0, color="#888888", lw=0.8)
    name = "Morris mu*" if k == "mu_star" else "Sobol index"
    ax.set_xlabel(f"{name} of {ranking.outcome} (mean over teams, turn {ranking.turn}); "
                  "bars: 95% CI", fontsize=9)
    idle = len(ranking.without_effect())
    rest = len(ranking.entries) - idle - len(entries)
    note = [f"{ranking.runs:,} runs, seed {ranking.seed}"]
    if rest > 0:
        note.append(f"{rest} smaller not shown")
    if idle:
        note.append(f"{idle} with no effect")
    ax.set_title(f"What moves {ranking.outcome}: {ranking.scenario}, {ranking.strategy}\n"
                 f"({'; '.join(note)})", fontsize=10)
    fig.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=120)
    plt.close(fig)


def sensitivity(scenario: str, *, method: str = "morris", outcome: str = "ei",
                params: str | Sequence[str] = "all", samples: int | None = None,
                strategy: str = "do_nothing", seed: int = 0, turns: int | None = None,
                turn: int | None = None, jobs: int = 1, cluster: str | None = None,
                parts: Path | None = None, out: Path | None = None) -> Ranking:
    """Plan, run and analyse in one call (what ``trustsim sensitivity`` does).

    >>> r = sensitivity("scenarios/two-floors.yaml", params="cross_team_decay,apology_integrity",
    ...                 samples=2, turns=3)
    >>> r.parameters(), r.without_effect()
    (['cross_team_decay', 'apology_integrity'], ['apology_integrity'])
    """
    check_design(method, DEFAULT_SAMPLES.get(method, 2) if samples is None else samples,
                 outcome)
    design = plan(scenario, method=method, params=params, samples=samples, strategy=strategy,
                  seed=seed, turns=turns)
    means = run_design(design, jobs=jobs, cluster=cluster, parts=parts, out=out)
    y = outcome_values(design, means, outcome, turn)
    return analyse(design, y, outcome=outcome, turn=last_turn(design, means, turn))


def last_turn(design: Design, means: RunMeans, turn: int | None = None) -> int:
    """The turn the outcome is read at: ``turn``, or the last turn played."""
    if turn is not None:
        return turn
    table = means[design.runs[0].key]
    return int(np.flatnonzero(~np.all(np.isnan(table), axis=1)).max())


__all__ = ["LEVELS", "MAX_RUNS", "METHODS", "OUTCOMES", "Design", "Ranking", "analyse",
           "check_design", "describe", "last_turn", "outcome_values", "plan", "plot_ranking",
           "ranking_markdown", "run_count", "run_design", "select_params", "sensitivity"]
