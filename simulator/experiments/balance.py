"""Balancing a scenario: every built-in strategy over many seeds, in parallel.

A trainer wants to see that the intended strategy wins and the tempting one loses. Each
run is (strategy, seed) -> outcome; runs are independent, so they spread over processes,
and the table is the same however many processes ran it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..scenario.game import Game
from ..scenario.library import reference_solution
from ..scenario.loader import Scenario, load_scenario
from .strategies import STRATEGIES, Reference, play_strategy

DEFAULT_STRATEGIES = ("do_nothing", "quick_wins", "delegate_competent", "build_bridges",
                      "break_promises", "random", "reference")


@dataclass(frozen=True, slots=True)
class RunOutcome:
    strategy: str
    seed: int
    won: bool
    objectives_met: int
    trust_in_player: float
    cross_team_trust: float
    ei: dict[str, float]
    promises_broken: int


@lru_cache(maxsize=8)
def _scenario(path: str) -> Scenario:
    return load_scenario(path)


def run_one(path: str, strategy: str, seed: int) -> RunOutcome:
    """One game of the scenario at ``path`` with ``strategy`` under ``seed``."""
    scenario = _scenario(path)
    game = Game(scenario, seed, undo=False)
    if strategy == "reference":
        script = reference_solution(Path(path))
        play_strategy(game, Reference(script), seed=seed)
    else:
        play_strategy(game, strategy, seed=seed)
    last = game.history[-1]
    return RunOutcome(
        strategy=strategy, seed=seed, won=game.won,
        objectives_met=sum(1 for s in game.objectives() if s.state == "met"),
        trust_in_player=float(last["trust_in_player"]),
        cross_team_trust=float(last["cross_team_trust"]),
        ei={k: float(v) for k, v in last["ei"].items()},
        promises_broken=sum(1 for p in game.promises("broken") if p.by == game.player_id),
    )


def _run(task: tuple[str, str, int]) -> RunOutcome:
    return run_one(*task)


def balance(path: str | Path, strategies: Sequence[str] = DEFAULT_STRATEGIES,
            seeds: Iterable[int] = range(200), *, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> list[RunOutcome]:
    """Every (strategy, seed) run, sorted by strategy order then seed."""
    path = str(path)
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategies: {', '.join(unknown)} "
                         f"(known: {', '.join(STRATEGIES)})")
    if "reference" in strategies and reference_solution(Path(path)) is None:
        raise ValueError(f"{path}: no reference solution ({Path(path).stem}.acts) beside it")
    tasks = [(path, s, seed) for s in strategies for seed in seeds]
    results: list[RunOutcome] = []
    if jobs <= 1:
        for i, task in enumerate(tasks, 1):
            results.append(_run(task))
            if progress:
                progress(i, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, outcome in enumerate(pool.map(_run, tasks, chunksize=max(1, len(tasks)
                                                                              // (jobs * 8))),
                                        1):
                results.append(outcome)
                if progress:
                    progress(i, len(tasks))
    order = {s: i for i, s in enumerate(strategies)}
    results.sort(key=lambda r: (order[r.strategy], r.seed))
    return results


def _mean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return statistics.fmean(finite) if finite else math.nan


def summarise(results: Sequence[RunOutcome]) -> list[dict[str, Any]]:
    """One row per strategy: win rate, final trust in the player, E-I per team, promises."""
    rows = []
    strategies = list(dict.fromkeys(r.strategy for r in results))
    for strategy in strategies:
        runs = [r for r in results if r.strategy == strategy]
        teams = list(runs[0].ei)
        trust = [r.trust_in_player for r in runs]
        rows.append({
            "strategy": strategy,
            "runs": len(runs),
            "win_rate": sum(r.won for r in runs) / len(runs),
            "trust_in_player": _mean(trust),
            "trust_in_player_sd": statistics.pstdev(trust) if len(trust) > 1 else 0.0,
            "cross_team_trust": _mean([r.cross_team_trust for r in runs]),
            "ei": {t: _mean([r.ei[t] for r in runs]) for t in teams},
            "promises_broken": _mean([float(r.promises_broken) for r in runs]),
        })
    return rows


def as_records(results: Sequence[RunOutcome]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]
