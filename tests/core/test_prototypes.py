"""Games of one organisation start from a shared template; they must not share state."""

from __future__ import annotations

import dataclasses

import numpy as np
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
    n = w.n_edges
    kinds = w.kind[:n]
    # the rate of each kind, slowed by embeddedness (shared contacts)
    embedded = np.minimum(1.0, w.shared[:n] / fast.params.embedded_contacts)
    slowed = 1.0 - fast.params.embedded_slow * embedded
    cross, within = kinds == world_module.CROSS, kinds == world_module.WITHIN
    assert np.allclose(w.decay[:n][cross], 0.9 * slowed[cross])
    assert np.allclose(w.decay[:n][within], 0.5 * slowed[within])
    assert cross.any() and within.any()
