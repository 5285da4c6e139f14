"""Sweep speed, measured through the command a student runs.

Times, wall clock, in a subprocess, with the table written::

    trustsim generate -o org300.npz --people 300
    trustsim sweep org300.npz --param kappa=1,2,3,5 --strategy S --reps 250 --turns 20 \\
        --jobs 2 --out s.parquet [--no-resume]

for ``do_nothing`` and ``build_bridges``, resumable (the default: finished runs kept in
``s.parquet.parts/``) and not (``--no-resume``), so the cost of resumability shows. The CPU
time of the command and its workers is shown beside the wall clock: on a shared machine
it says whether the sweep waited for the CPU.

Compared in the same run with plain networkx, timed on a few runs in this process and
scaled to the sweep's number of runs (one process, and ideally divided over ``--jobs``):

* the PERFORMANCE.md workload (``networkx_reference_run`` below): what a student writes
  by hand, the "plain networkx reference" of the issue's speed table;
* ``bench/reference_nx.py``'s ``RefGame`` (this model's rules as networkx dict loops) on
  the same organisation with no acts: 20 ends of turn a run, the ``do_nothing`` workload.
  It has no ``connect`` act, so it has no ``build_bridges`` row.

Mesa 3.3.1 ``batch_run`` is not installed here; its figure is quoted from
shared/PERFORMANCE.md and marked so.

Run: ``python bench/bench_sweep.py`` (about 2 minutes), ``--quick`` for a smoke run (40
runs, a few seconds), ``--dask`` to add ``--cluster local`` rows, ``--repeat N`` for the
median of N.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KAPPAS = "1,2,3,5"
TURNS = 20
TARGET_S = 6.0  # 1,000 runs of build_bridges, 2 processes (issue 14)
MESA_2_PROCESSES_S = 55.6  # shared/PERFORMANCE.md, Mesa 3.3.1 batch_run, 1,000 runs

if TYPE_CHECKING:
    from simulator.core.setup import Setup


def networkx_reference_run(seed: int, people: int = 300, steps: int = 20) -> float:
    """The PERFORMANCE.md workload in plain Python + networkx; returns the final E-I."""
    import networkx as nx

    rng = random.Random(seed)
    G = nx.DiGraph()
    team = {i: i // 8 for i in range(people)}
    for i in range(people):
        for j in range(people):
            if i != j and team[i] == team[j] and rng.random() < 0.9:
                G.add_edge(i, j, trust=0.5, strength=0.6)
        for _ in range(5):
            j = rng.randrange(people)
            if team[j] != team[i]:
                G.add_edge(i, j, trust=0.45, strength=0.25)
                G.add_edge(j, i, trust=0.45, strength=0.25)
    ei = 0.0
    for _ in range(steps):
        for u, v, d in G.edges(data=True):
            d["trust"] += 0.05 * (0.5 - d["trust"])
            d["strength"] *= 0.95 if team[u] != team[v] else 0.99
        target = rng.randrange(people)
        sign = -3.0 if rng.random() < 0.2 else 1.0
        for o in G.predecessors(target):
            d = G[o][target]
            d["trust"] = min(1.0, max(0.0, d["trust"] + sign * 0.1 * d["strength"]))
            for o2 in G.predecessors(o):
                if o2 != target and G.has_edge(o2, target):
                    d2 = G[o2][target]
                    d2["trust"] = min(1.0, max(0.0, d2["trust"] + sign * 0.05 * d2["strength"]))
        ext: dict[int, float] = {}
        inn: dict[int, float] = {}
        for u, v, d in G.edges(data=True):
            w = d["trust"] * d["strength"]
            bucket = ext if team[u] != team[v] else inn
            bucket[team[u]] = bucket.get(team[u], 0.0) + w
        values = [(ext.get(t, 0.0) - inn.get(t, 0.0)) / (ext.get(t, 0.0) + inn.get(t, 0.0))
                  for t in set(team.values()) if ext.get(t, 0.0) + inn.get(t, 0.0) > 0]
        ei = statistics.fmean(values)
    return ei


def refgame_run(setup: Setup, seed: int, turns: int = TURNS) -> float:
    """``bench/reference_nx.py``: this model's rules as networkx dict loops, on the
    organisation the sweep uses (built from its setup each run, as a sweep builds each
    game), with no acts (``do_nothing``); returns the last mean E-I."""
    from bench.reference_nx import RefGame

    game = RefGame.build(setup, seed)
    ei = 0.0
    for _ in range(turns):
        ei = game.end_turn()["ei_mean"]
    return ei


@dataclass
class Timing:
    label: str
    runs: int
    wall: float  # median, seconds
    cpu: float  # user + sys of the command and its workers (same sample as the median)
    rows: int | None = None
    note: str = ""


def trustsim_command() -> list[str]:
    """The ``trustsim`` a student runs: the script beside this interpreter if there is
    one (a virtual environment), else ``python -m simulator``."""
    script = Path(sys.executable).with_name("trustsim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


def timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run ``command``; wall clock and CPU (children, user + sys) in seconds, stdout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def sweep_timing(folder: Path, org: Path, strategy: str, reps: int, jobs: int,
                 resume: bool, repeat: int, cluster: bool = False) -> Timing:
    out = folder / "s.parquet"
    command = [*trustsim_command(), "sweep", str(org), "--param", f"kappa={KAPPAS}",
               "--strategy", strategy, "--reps", str(reps), "--turns", str(TURNS),
               "--jobs", str(jobs), "--out", str(out)]
    if cluster:
        command += ["--cluster", "local"]
    if not resume:
        command.append("--no-resume")
    samples = []
    for _ in range(repeat):
        out.unlink(missing_ok=True)
        shutil.rmtree(out.with_name(out.name + ".parts"), ignore_errors=True)
        wall, cpu, _ = timed(command, folder)
        if not out.exists():
            raise SystemExit(f"{' '.join(command)} wrote no {out}")
        samples.append((wall, cpu))
    wall, cpu = sorted(samples)[len(samples) // 2]
    rows = None
    try:
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(out).metadata.num_rows  # type: ignore[no-untyped-call]
    except ImportError:
        pass
    how = "resumable" if resume else "--no-resume"
    where = "--cluster local" if cluster else f"--jobs {jobs}"
    return Timing(f"trustsim sweep, {strategy}, {where}, {how}", 4 * reps, wall, cpu, rows)


def per_run(fn: Callable[[int], object], count: int) -> float:
    """Seconds a run of ``fn(seed)`` takes in this process (median of ``count``, after
    one untimed run for imports and caches)."""
    fn(count)
    samples = []
    for seed in range(count):
        start = time.perf_counter()
        fn(seed)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000,
                        help="runs a sweep (4 values of kappa x runs/4 replicates)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--reference-runs", type=int, default=10,
                        help="networkx runs timed (then scaled to --runs)")
    parser.add_argument("--repeat", type=int, default=1, help="samples per command (median)")
    parser.add_argument("--strategies", default="do_nothing,build_bridges")
    parser.add_argument("--dask", action="store_true", help="also time --cluster local")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 40 runs, 2 networkx runs")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.reference_runs = 40, 2
    reps = max(1, args.runs // 4)
    runs = 4 * reps
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    folder = Path(tempfile.mkdtemp(prefix="trustsim-bench-sweep-"))
    try:
        org = folder / f"org{args.people}.npz"
        timed([*trustsim_command(), "generate", "-o", str(org), "--people",
               str(args.people)], folder)
        print(f"{runs:,} runs x {TURNS} turns of a generated {args.people}-person "
              f"organisation (kappa={KAPPAS}), {args.jobs} jobs, on {os.cpu_count()} CPUs; "
              f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        timings: list[Timing] = []
        for strategy in strategies:
            for resume in (False, True):
                timings.append(sweep_timing(folder, org, strategy, reps, args.jobs, resume,
                                            args.repeat))
                print(f"  {timings[-1].label}: {timings[-1].wall:.2f} s", flush=True)
            if args.dask:
                timings.append(sweep_timing(folder, org, strategy, reps, args.jobs, True,
                                            args.repeat, cluster=True))
                print(f"  {timings[-1].label}: {timings[-1].wall:.2f} s", flush=True)
        from simulator.scenario.loader import load_scenario

        setup = load_scenario(str(org)).setup
        nx_run = per_run(networkx_reference_run, args.reference_runs)
        ref_run = per_run(lambda seed: refgame_run(setup, seed), args.reference_runs)
        for label, one in (("plain networkx (PERFORMANCE.md workload)", nx_run),
                           ("bench/reference_nx.py RefGame, do_nothing", ref_run)):
            timings.append(Timing(f"{label}, 1 process", runs, one * runs, one * runs,
                                  note=f"{one * 1e3:.0f} ms a run x {runs:,} "
                                       f"({args.reference_runs} timed)"))
            timings.append(Timing(f"{label}, /{args.jobs} (ideal)", runs,
                                  one * runs / args.jobs, one * runs,
                                  note="the above divided over the jobs"))
        timings.append(Timing("Mesa 3.3.1 batch_run, 2 processes", 1000, MESA_2_PROCESSES_S,
                              float("nan"), note="quoted from shared/PERFORMANCE.md, "
                              "not measured here"))
        report(timings, runs, args.jobs, args.people)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(timings: list[Timing], runs: int, jobs: int, people: int) -> None:
    print()
    print("| what | runs | wall (s) | CPU (s) | ms a run (wall) | note |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for t in timings:
        cpu = "" if t.cpu != t.cpu else f"{t.cpu:.2f}"
        rows = f"{t.rows:,} rows written" if t.rows is not None else t.note
        print(f"| {t.label} | {t.runs:,} | {t.wall:.2f} | {cpu} | "
              f"{t.wall / t.runs * 1e3:.1f} | {rows} |")
    by = {t.label: t for t in timings}
    print()
    for strategy in ("do_nothing", "build_bridges"):
        plain = by.get(f"trustsim sweep, {strategy}, --jobs {jobs}, --no-resume")
        kept = by.get(f"trustsim sweep, {strategy}, --jobs {jobs}, resumable")
        if plain and kept:
            print(f"resumability, {strategy}: {kept.wall - plain.wall:+.2f} s wall "
                  f"({(kept.wall / plain.wall - 1) * 100:+.0f}%; target <= +10%), "
                  f"{kept.cpu - plain.cpu:+.2f} s CPU")
    bridges = by.get(f"trustsim sweep, build_bridges, --jobs {jobs}, resumable")
    nx_one = by.get("plain networkx (PERFORMANCE.md workload), 1 process")
    if bridges and (bridges.runs != 1000 or people != 300):
        print("target: judged on 1,000 runs of 300 people (the default), not this run")
    elif bridges:
        verdict = "PASS" if bridges.wall <= TARGET_S else "MISS"
        print(f"target: build_bridges, 1,000 runs, {jobs} jobs <= {TARGET_S:.0f} s: "
              f"{bridges.wall:.1f} s {verdict}")
        if nx_one:
            print(f"ratios (target >= 9x): plain networkx 1 process / build_bridges sweep "
                  f"{nx_one.wall / bridges.wall:.1f}x; Mesa batch_run 2 processes (quoted) / "
                  f"sweep {MESA_2_PROCESSES_S / bridges.wall:.1f}x")


if __name__ == "__main__":
    main()
