"""Benchmark: a turn in which every manager acts by policy, at full capacity.

    python bench/bench_policies.py [--people 30000] [--turns 3] [--policies recognise,...]

Times what a student runs: ``trustsim run ORG.npz --policy NAME=1 --turns T --out t.parquet``
(wall clock, through the command line, output written), against the same command with no
policy, so the difference is what the managers' acts cost; and, in process, the mean time
of the managers' acts and of the end of a turn (explanations tallied, as in the lab).

Target (issue #14): a turn where every manager of a 30,000-person organisation acts
(about 4,600 managers x 3 acts) in <= 100 ms. Tests never assert timings; this script
prints them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 100.0


def command_seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "simulator.cli", *args], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def in_process(org: str, policy: str, turns: int) -> tuple[float, float, int]:
    """Mean ms of the managers' acts per turn, of the end of a turn, and acts per turn."""
    from simulator.core.simulation import Simulation
    from simulator.experiments.causes import CauseTally
    from simulator.experiments.policies import PolicyRunner
    from simulator.scenario import load_scenario

    game = Simulation(load_scenario(org).setup, 1, undo=False, explain_drift=False,
                      keep_results=False)
    CauseTally(game)
    runner = PolicyRunner(game, ((policy, 1.0),), seed=1)
    acts_ms = end_ms = 0.0
    for _ in range(turns):
        start = time.perf_counter()
        runner.play_turn()
        acts_ms += time.perf_counter() - start
        start = time.perf_counter()
        game.end_turn()
        end_ms += time.perf_counter() - start
    return acts_ms * 1000 / turns, end_ms * 1000 / turns, runner.acts_done // turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--policies", default="recognise,build_bridges,keep_promises,"
                        "delegate_supported")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        org = str(Path(tmp) / f"org{args.people}.npz")
        subprocess.run([sys.executable, "-m", "simulator.cli", "generate", "-o", org,
                        "--people", str(args.people)], check=True, capture_output=True)
        out = str(Path(tmp) / "t.parquet")
        base = ["run", org, "--turns", str(args.turns), "--out", out]
        plain = command_seconds(base)
        print(f"{args.people:,} people, {args.turns} turns; `trustsim run` without "
              f"policies: {plain:.2f} s")
        print(f"{'policy':<20} {'acts/turn':>9} {'acts ms':>9} {'end ms':>8} "
              f"{'turn ms':>8} {'command s':>10} {'target':>8}")
        for name in args.policies.split(","):
            acts_ms, end_ms, acts = in_process(org, name, args.turns)
            seconds = command_seconds([*base, "--policy", f"{name}=1"])
            turn_ms = acts_ms + end_ms
            verdict = "met" if turn_ms <= TARGET_MS else f"x{turn_ms / TARGET_MS:.0f}"
            print(f"{name:<20} {acts:>9,} {acts_ms:>9.0f} {end_ms:>8.0f} {turn_ms:>8.0f} "
                  f"{seconds:>10.2f} {verdict:>8}")


if __name__ == "__main__":
    main()
