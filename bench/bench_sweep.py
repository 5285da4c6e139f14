"""Sweep speed: 1,000 runs x 20 turns of a 300-person organisation, one act a turn.

Compared in one run with a plain networkx reference of the same kind of workload (the
one described in shared/PERFORMANCE.md: drift and decay on every tie, one 2-hop act a
turn, E-I collected each turn), timed on fewer runs and reported per run and as a ratio.

Run: ``python bench/bench_sweep.py [--runs 1000] [--jobs 2] [--reference-runs 50]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.experiments.generate import OrgOptions, generate_org, write_org  # noqa: E402
from simulator.experiments.lab import plan_sweep, run_sweep  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reference-runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trustsim-sweep-"))
    scenario = folder / "org300.npz"
    write_org(generate_org(OrgOptions(people=300, seed=1, turns=20, capacity=1)), str(scenario))
    reps = max(1, args.runs // 2)
    runs = plan_sweep(str(scenario), {}, ["random", "quick_wins"], reps, seed=3)
    start = time.perf_counter()
    rows = run_sweep(runs, jobs=args.jobs)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for seed in range(args.reference_runs):
        networkx_reference_run(seed)
    ref_per_run = (time.perf_counter() - start) / args.reference_runs
    per_run = ours / len(runs)
    print(f"trustsim sweep: {len(runs)} runs x 20 turns, 300 people, one act a turn, "
          f"{args.jobs} process(es): {ours:.2f} s ({per_run * 1e3:.1f} ms a run, "
          f"{len(rows):,} rows)")
    print(f"plain networkx reference, 1 process: {ref_per_run * 1e3:.1f} ms a run "
          f"({args.reference_runs} runs timed) -> {ref_per_run * len(runs):.1f} s for "
          f"{len(runs)} runs")
    print(f"ratio (networkx 1 process / trustsim {args.jobs} processes): "
          f"{ref_per_run * len(runs) / ours:.1f}x")
    print(f"target: 1,000 runs <= 6 s on this machine: "
          f"{'PASS' if ours * 1000 / len(runs) <= 6.0 else 'MISS'}")


if __name__ == "__main__":
    main()
