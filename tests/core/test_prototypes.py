"""Games of one organisation start from a shared template; they must not share state."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.core import world as world_module
from simulator.core.params import Params
from simulator.core.simulation import Simulation
from simulator.core.testing import tiny_setup


def _play(sim: Simulation) -> Simulation:
    people = sim.targets("quick_win")[:3]
    for pid in people:
        sim.act("quick_win", pid)
        if sim.capacity_left == 0:
            sim.end_turn()
    sim.end_turn()
    return sim


def test_a_game_from_a_template_equals_one_built_from_scratch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    setup = tiny_setup()
    warm = [_play(Simulation(setup, seed=s)) for s in (1, 2)]  # the second copies the first
    monkeypatch.setattr(world_module, "_MAX_PROTOTYPE_PEOPLE", -1)  # no templates at all
    cold = [_play(Simulation(setup, seed=s)) for s in (1, 2)]
    assert [g.fingerprint() for g in warm] == [g.fingerprint() for g in cold]


def test_games_of_one_organisation_share_no_state() -> None:
    setup = tiny_setup()
    a = Simulation(setup, seed=1)
    b = Simulation(setup, seed=1)
    before = b.fingerprint()
    _play(a)
    a.world.ensure_edge(0, 1)  # and a tie made in play
    assert b.fingerprint() == before
    assert b.world.adjacency._extra_out == {}


def test_parameters_are_taken_from_each_setup_not_the_template() -> None:
    setup = tiny_setup()
    Simulation(setup, seed=1)
    fast = dataclasses.replace(setup, params=Params.from_overrides(
        {"cross_team_decay": 0.9, "within_team_decay": 0.5}))
    sim = Simulation(fast, seed=1)
    w = sim.world
    kinds = w.kind[: w.n_edges]
    assert set(w.decay[: w.n_edges][kinds == world_module.CROSS].tolist()) == {0.9}
    assert set(w.decay[: w.n_edges][kinds == world_module.WITHIN].tolist()) == {0.5}
