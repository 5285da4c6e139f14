"""Every shipped scenario is valid, playable by every strategy, losable and winnable.

A trainer who picks a shipped scenario must be able to trust it: it validates, `trustsim
check` finds no problem in it, it has a reference solution next to it (``NAME.acts``),
every built-in strategy plays it to the end, doing nothing loses it, and the reference
solution wins it under the scenario's own seed and in at least 80 % of seeds 0..19.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiments.script import parse_script, play
from simulator.experiments.strategies import STRATEGIES, Reference, Strategy, play_strategy
from simulator.scenario import Game, Scenario, load_scenario
from simulator.scenario.library import reference_solution, shipped_scenarios

SHIPPED = shipped_scenarios()
IDS = [p.stem for p in SHIPPED]
#: Seeds the reference solution must win in (at least WIN_SHARE of them).
WIN_SEEDS = range(20)
WIN_SHARE = 0.8
#: Seeds every strategy plays.
PLAY_SEEDS = (0, 1)
#: Above this many people a scenario is played with fewer seeds, to keep the file fast
#: (a 160-person sandbox plays 20 turns in well under 0.1 s, so none is cut today).
LARGE = 2_000
LARGE_WIN_SEEDS = range(5)

runner = CliRunner()


@functools.cache
def _scenario(path: Path) -> Scenario:
    return load_scenario(path)


def _reference(path: Path) -> Path:
    found = reference_solution(path)
    assert found is not None, f"{path.name}: no reference solution ({path.stem}.acts) beside it"
    return found


def _policy(path: Path, strategy: str) -> str | Strategy:
    return Reference(_reference(path)) if strategy == "reference" else strategy


def _win_seeds(scenario: Scenario) -> range:
    return LARGE_WIN_SEEDS if scenario.people > LARGE else WIN_SEEDS


def test_there_is_a_library() -> None:
    assert len(SHIPPED) >= 2
    assert {"new-in-the-chair", "two-floors"} <= set(IDS)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_validates(path: Path) -> None:
    scenario = _scenario(path)
    assert scenario.setup.objectives, f"{path.name} has no objectives: anyone would win it"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{path}: ok (")


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_check_reports_no_errors(path: Path) -> None:
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] in (f"{path}: ok", *(f"{path}: {n} warning(s)" for n in range(1, 100)))
    problems = [line for line in lines[:-1] if ": warning: " not in line]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_has_a_reference_solution_that_parses(path: Path) -> None:
    acts = _reference(path)
    commands = parse_script(acts.read_text(encoding="utf-8"), str(acts))
    assert any(c["do"] == "act" for _, c in commands), f"{acts.name} plays no act"


@pytest.mark.parametrize("strategy", list(STRATEGIES))
@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_strategy_plays_to_the_end(path: Path, strategy: str) -> None:
    scenario = _scenario(path)
    for seed in PLAY_SEEDS:
        game = Game(scenario, seed, undo=STRATEGIES[strategy].needs_undo)
        play_strategy(game, _policy(path, strategy), seed=seed)
        assert game.over, f"{strategy} stopped at turn {game.turn} (seed {seed})"
        assert game.turn == scenario.setup.turns + 1
        assert len(game.history) == scenario.setup.turns + 1
        assert not game.pending
        assert all(s.state in ("met", "failed") for s in game.objectives())


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_doing_nothing_loses(path: Path) -> None:
    scenario = _scenario(path)
    seed = scenario.setup.seed
    game = Game(scenario, seed, undo=False)
    play_strategy(game, "do_nothing", seed=seed)
    assert game.over
    assert not game.won, f"{path.name}: doing nothing wins under the scenario's seed ({seed})"


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_reference_solution_wins_under_the_scenarios_seed(path: Path) -> None:
    """Played strictly, as `trustsim run NAME --acts reference` does: a refused act fails."""
    scenario = _scenario(path)
    acts = _reference(path)
    game = Game(scenario, undo=False)
    assert game.seed == scenario.setup.seed
    play(game, parse_script(acts.read_text(encoding="utf-8"), str(acts)), file=str(acts))
    assert game.over
    failed = [f"{s.id}: {s.state} ({s.value})" for s in game.objectives() if s.state != "met"]
    assert game.won, f"{acts.name} does not win under seed {game.seed}: {failed}"


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_reference_solution_wins_most_seeds(path: Path) -> None:
    """As `trustsim balance` plays it (acts refused under a seed are skipped)."""
    scenario = _scenario(path)
    seeds = _win_seeds(scenario)
    lost = []
    for seed in seeds:
        game = Game(scenario, seed, undo=False)
        play_strategy(game, Reference(_reference(path)), seed=seed)
        assert game.over
        if not game.won:
            lost.append(seed)
    wins = len(seeds) - len(lost)
    assert wins >= WIN_SHARE * len(seeds), (
        f"{path.name}: the reference solution wins {wins} of {len(seeds)} seeds "
        f"(lost: {lost}); at least {WIN_SHARE:.0%} needed")
