"""build_bridges' vectorised choice is the brute-force one, pair by pair.

The strategy used to scan every (teammate, outsider) pair through ``Simulation.strength``;
:func:`weakest_bridge` does it over the world's edge arrays. Same minimum of
``(strength, a, b)``, including the tie-breaks, on several organisations and turns, after
acts that create ties (``connect``), strengthen them and leave opinions of strength 0.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from simulator.core.simulation import Command, Simulation
from simulator.experiments.generate import generate_org
from simulator.experiments.strategies import (
    BuildBridges,
    RandomActs,
    play_strategy,
    weakest_bridge,
)
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def brute_force(game: Simulation, people: list[int], exclude: int | None
                ) -> tuple[int, int] | None:
    """The strategy as it was: every pair through ``Simulation.strength``."""
    w = game.world
    best: tuple[float, int, int] | None = None
    for a in people:
        for b in range(w.n_people):
            if w.team[b] == w.team[a] or b == exclude:
                continue
            key = (game.strength(w.ids[a], w.ids[b]), a, b)
            if best is None or key < best:
                best = key
    return None if best is None else (best[1], best[2])


class Checked(BuildBridges):
    """build_bridges that checks every choice against the brute force, and now and then
    plays a random act instead (so ties form and strengthen in other places too)."""

    def __init__(self) -> None:
        super().__init__()
        self.checked = 0
        self.other = RandomActs()

    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        w = game.world
        mine = [i for i in w.members(int(w.team[game.player])) if i != game.player] \
            or [game.player]
        assert weakest_bridge(game, mine, exclude=game.player) == \
            brute_force(game, mine, game.player)
        # some people of other teams too, unsorted, with and without an exclusion
        some = random.Random(game.turn * 31 + self.checked).sample(
            range(w.n_people), min(5, w.n_people))
        assert weakest_bridge(game, some) == brute_force(game, some, None)
        assert weakest_bridge(game, some, exclude=some[0]) == brute_force(game, some, some[0])
        self.checked += 1
        if rng.random() < 0.3:
            return self.other.next(game, rng)
        return super().next(game, rng)


def generated(people: int, seed: int) -> Simulation:
    return Simulation(generate_org(people=people, seed=seed, turns=8).setup(), seed,
                      undo=False)


def shipped(name: str) -> Simulation:
    return Simulation(load_scenario(str(ROOT / "scenarios" / f"{name}.yaml")).setup, 3,
                      undo=False)


@pytest.mark.parametrize("make", [
    lambda: generated(40, 0), lambda: generated(90, 7), lambda: generated(300, 1),
    lambda: shipped("two-floors"), lambda: shipped("sandbox"),
], ids=["gen40", "gen90", "gen300", "two-floors", "sandbox"])
def test_vectorised_choice_equals_brute_force(make: object) -> None:
    game = make()  # type: ignore[operator]
    strategy = Checked()
    play_strategy(game, strategy, seed=5)
    assert strategy.checked >= game.turns  # at least one choice a turn was checked


def test_equal_strengths_break_ties_by_the_smaller_pair() -> None:
    game = generated(40, 2)
    w = game.world
    n = w.n_edges
    w.strength[:n] = 0.25  # every tie alike; pairs with no tie (0) come first
    mine = w.members(0)
    assert weakest_bridge(game, mine) == brute_force(game, mine, None)
    outside = [b for b in range(w.n_people) if w.team[b] != 0]
    everyone_tied = [(a, b) for a in mine for b in outside if w.eid(a, b) is None]
    for a, b in everyone_tied:  # tie every pair: the minimum is then over equal strengths
        w.ensure_edge(a, b, strength=0.25)
    assert weakest_bridge(game, mine) == brute_force(game, mine, None)
    assert weakest_bridge(game, mine) == (min(mine), min(outside))


def test_nobody_in_another_team() -> None:
    game = generated(40, 2)
    w = game.world
    team = int(w.team[0])
    assert weakest_bridge(game, w.members(team), exclude=None) is not None
    assert weakest_bridge(game, []) is None
    w.team[:] = team  # one team: no bridge to build
    assert weakest_bridge(game, w.members(team)) is None


def test_a_pair_with_two_edges_counts_its_first() -> None:
    """Scenarios cannot make two edges for one pair, but if arrays ever held one, the
    choice would still be the one ``Simulation.strength`` (``World.eid``) sees."""
    game = generated(40, 2)
    w = game.world
    mine = w.members(0)
    a, b = min(mine), min(b for b in range(w.n_people) if w.team[b] != 0)
    e = w.ensure_edge(a, b)
    w.strength[e] = 0.0  # the weakest pair, first found
    assert weakest_bridge(game, mine) == (a, b) == brute_force(game, mine, None)
    m = w.n_edges
    assert m < len(w.src)
    w.src[m], w.dst[m], w.strength[m] = a, b, 0.9  # a second edge a -> b in the arrays
    w.n_edges += 1
    assert weakest_bridge(game, mine) == brute_force(game, mine, None) == (a, b)
    w.strength[e], w.strength[m] = 0.9, 0.0  # now the first edge is strong
    assert weakest_bridge(game, mine) == brute_force(game, mine, None) != (a, b)
