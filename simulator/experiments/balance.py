"""Balancing a scenario: every built-in strategy over many seeds, in parallel.

A trainer wants to see that the intended strategy wins and the tempting ones lose. Each
run is (strategy, seed, answers to the dilemmas) -> outcome. A strategy that does not
answer dilemmas itself is played under every combination of their options (or, when
there are too many, under "always the n-th option"), so a strategy that wins only with
the right answer reads as such: the table reports its best and its worst answers. Runs
are independent, so they spread over processes, and the table is the same however many
processes ran it.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..scenario.game import Game
from ..scenario.library import reference_solution
from ..scenario.loader import Scenario, load_scenario
from .strategies import STRATEGIES, Reference, play_strategy

DEFAULT_STRATEGIES = ("do_nothing", "quick_wins", "delegate_competent", "build_bridges",
                      "break_promises", "random", "spam_recognise", "spam_coach",
                      "spam_feedback", "promise_farm", "greedy_undo", "reference")

#: Above this many combinations of dilemma options, play "always the n-th option" instead.
MAX_POLICIES = 27

Choices = tuple[tuple[str, str], ...]


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
    #: the answers given to the scenario's dilemmas (event id, option id)
    choices: Choices = ()
    #: the value each objective was judged on, at its turn (None where not measurable)
    objectives: dict[str, float | None] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _scenario(path: str) -> Scenario:
    return load_scenario(path)


def dilemma_policies(scenario: Scenario) -> list[Choices]:
    """Every combination of the dilemmas' options, or, when there are more than
    :data:`MAX_POLICIES`, "always the n-th option" for each n. ``[()]`` when there are
    no dilemmas."""
    dilemmas = [e for e in scenario.setup.events if e.options]
    if not dilemmas:
        return [()]
    options = [[(e.id, o.id) for o in e.options] for e in dilemmas]
    if math.prod(len(o) for o in options) <= MAX_POLICIES:
        return [tuple(combo) for combo in itertools.product(*options)]
    widest = max(len(o) for o in options)
    return [tuple(o[min(n, len(o) - 1)] for o in options) for n in range(widest)]


def run_one(path: str, strategy: str, seed: int, choices: Choices = ()) -> RunOutcome:
    """One game of the scenario at ``path`` with ``strategy`` under ``seed``."""
    scenario = _scenario(path)
    policy = STRATEGIES[strategy]
    game = Game(scenario, seed, undo=policy.needs_undo)
    if strategy == "reference":
        script = reference_solution(Path(path))
        play_strategy(game, Reference(script), seed=seed)
    else:
        play_strategy(game, strategy, seed=seed, choices=dict(choices))
    last = game.history[-1]
    return RunOutcome(
        strategy=strategy, seed=seed, won=game.won,
        objectives_met=sum(1 for s in game.objectives() if s.state == "met"),
        trust_in_player=float(last["trust_in_player"]),
        cross_team_trust=float(last["cross_team_trust"]),
        ei={k: float(v) for k, v in last["ei"].items()},
        promises_broken=sum(1 for p in game.promises("broken") if p.by == game.player_id),
        choices=choices,
        # the value each objective was judged on (at its own turn)
        objectives={s.id: s.value for s in game.objectives()},
    )


def _run(task: tuple[str, str, int, Choices]) -> RunOutcome:
    return run_one(*task)


def balance(path: str | Path, strategies: Sequence[str] = DEFAULT_STRATEGIES,
            seeds: Iterable[int] = range(200), *, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> list[RunOutcome]:
    """Every (strategy, answers to the dilemmas, seed) run, sorted by strategy order,
    then answers, then seed."""
    path = str(path)
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategies: {', '.join(unknown)} "
                         f"(known: {', '.join(STRATEGIES)})")
    if "reference" in strategies and reference_solution(Path(path)) is None:
        raise ValueError(f"{path}: no reference solution ({Path(path).stem}.acts) beside it")
    seeds = list(seeds)
    policies = dilemma_policies(_scenario(path))
    tasks = [(path, s, seed, choices) for s in strategies
             for choices in ([()] if STRATEGIES[s].chooses else policies)
             for seed in seeds]
    results: list[RunOutcome] = []
    if jobs <= 1:
        for i, task in enumerate(tasks, 1):
            results.append(_run(task))
            if progress:
                progress(i, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, len(tasks) // (jobs * 8))
            for i, outcome in enumerate(pool.map(_run, tasks, chunksize=chunk), 1):
                results.append(outcome)
                if progress:
                    progress(i, len(tasks))
    order = {s: i for i, s in enumerate(strategies)}
    position = {p: i for i, p in enumerate(policies)}
    results.sort(key=lambda r: (order[r.strategy], position.get(r.choices, -1), r.seed))
    return results


def _mean(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return statistics.fmean(finite) if finite else math.nan


def _objectives(runs: Sequence[RunOutcome]) -> dict[str, dict[str, float | None]]:
    """Each objective's mean, lowest and highest value over ``runs``."""
    out: dict[str, dict[str, float | None]] = {}
    for key in runs[0].objectives:
        values = [v for r in runs if (v := r.objectives.get(key)) is not None]
        out[key] = ({"mean": statistics.fmean(values), "min": min(values),
                     "max": max(values)} if values
                    else {"mean": None, "min": None, "max": None})
    return out


def summarise(results: Sequence[RunOutcome]) -> list[dict[str, Any]]:
    """One row per strategy, for its best answers to the dilemmas (the highest win rate,
    then the most objectives met): win rate, and the worst answers' win rate beside it,
    final trust in the player, E-I per team, promises broken, and each objective's value
    (mean and range over seeds)."""
    rows = []
    strategies = list(dict.fromkeys(r.strategy for r in results))
    for strategy in strategies:
        mine = [r for r in results if r.strategy == strategy]
        by_choices: dict[Choices, list[RunOutcome]] = {}
        for r in mine:
            by_choices.setdefault(r.choices, []).append(r)

        def rank(item: tuple[Choices, list[RunOutcome]]) -> tuple[float, float]:
            runs = item[1]
            return (sum(r.won for r in runs) / len(runs),
                    statistics.fmean(r.objectives_met for r in runs))

        ranked = sorted(by_choices.items(), key=rank)
        worst_choices, worst = ranked[0]
        best_choices, runs = ranked[-1]
        teams = list(runs[0].ei)
        trust = [r.trust_in_player for r in runs]
        rows.append({
            "strategy": strategy,
            "exploit": STRATEGIES[strategy].exploit if strategy in STRATEGIES else False,
            "runs": len(runs),
            "win_rate": sum(r.won for r in runs) / len(runs),
            "win_rate_worst": sum(r.won for r in worst) / len(worst),
            "answers": len(by_choices),
            "best_choices": dict(best_choices),
            "worst_choices": dict(worst_choices),
            "trust_in_player": _mean(trust),
            "trust_in_player_sd": statistics.pstdev(trust) if len(trust) > 1 else 0.0,
            "cross_team_trust": _mean([r.cross_team_trust for r in runs]),
            "ei": {t: _mean([r.ei[t] for r in runs]) for t in teams},
            "promises_broken": _mean([float(r.promises_broken) for r in runs]),
            "objectives": _objectives(runs),
        })
    return rows


def as_records(results: Sequence[RunOutcome]) -> list[dict[str, Any]]:
    records = []
    for r in results:
        record = asdict(r)
        record["choices"] = dict(r.choices)
        records.append(record)
    return records
