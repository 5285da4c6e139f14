"""The behaviours the model must show (issue: simulation core, section 3)."""

from __future__ import annotations

import itertools

import numpy as np

from simulator.core import Simulation
from simulator.core.params import Params
from simulator.core.setup import PersonSetup, Setup, TeamSetup
from simulator.core.testing import tiny_setup

BRIDGES = {("boss", "b0"), ("b0", "c0"), ("a1", "b1"), ("b2", "c2")}


def team_setup(*, trust: float = 0.5, size: int = 6, turns: int = 20, capacity: int = 99,
               cross: bool = True, params: Params | None = None) -> Setup:
    """Three teams; the player leads team a. Dense inside teams; across teams, every pair
    (``cross``) or only a few bridges (managers, a1-b1, b2-c2)."""
    people = [PersonSetup("boss", "Boss", "manager", "a")]
    for t in "abc":
        lead = "boss" if t == "a" else f"{t}0"
        if t != "a":
            people.append(PersonSetup(lead, lead.upper(), "manager", t))
        for i in range(1, size):
            people.append(PersonSetup(f"{t}{i}", f"{t.upper()}{i}", "employee", t, lead,
                                      competence=0.5))
    index = {p.id: i for i, p in enumerate(people)}
    ties = {}
    for a, b in itertools.permutations(range(len(people)), 2):
        same = people[a].team == people[b].team
        if same:
            ties[(a, b)] = (trust, 0.7)
        elif cross or (people[a].id, people[b].id) in BRIDGES or (
                people[b].id, people[a].id) in BRIDGES:
            ties[(a, b)] = (0.45, 0.2 if cross else 0.5)
    keys = sorted(ties)
    assert index["boss"] == 0
    return Setup(
        title="Teams", language="en", seed=1, turns=turns, player="boss", capacity=capacity,
        params=params or Params(), teams=[TeamSetup(t, t) for t in "abc"], people=people,
        tie_src=np.array([k[0] for k in keys], np.int32),
        tie_dst=np.array([k[1] for k in keys], np.int32),
        tie_trust=np.array([ties[k][0] for k in keys]),
        tie_strength=np.array([ties[k][1] for k in keys]),
    )


def total_trust_in_player(sim: Simulation) -> float:
    return sum(sim.trust(pid, "player") for pid in sim.world.ids if pid != sim.player_id)


def test_one_broken_promise_costs_more_than_several_quick_wins_build() -> None:
    sim = Simulation(tiny_setup(capacity=10), seed=1)
    start = total_trust_in_player(sim)
    for person in ("ben", "cas", "dan"):
        sim.act("quick_win", person)
    gained = total_trust_in_player(sim) - start
    before_break = total_trust_in_player(sim)
    sim.act("break_promise", "p1")
    lost = before_break - total_trust_in_player(sim)
    assert gained > 0
    assert lost > gained, (lost, gained)


def test_doing_nothing_lets_cross_team_trust_decay_and_silos_deepen() -> None:
    sim = Simulation(team_setup(), seed=1)
    first = sim.metrics()
    for _ in range(10):
        sim.end_turn()
    last = sim.metrics()
    assert last["cross_team_trust"] < first["cross_team_trust"] - 0.03
    for team in "abc":
        assert last["ei"][team] < first["ei"][team] - 0.05  # more inward-looking
    assert last["modularity"] > first["modularity"]


def test_quick_win_moves_low_trust_more_than_high_trust() -> None:
    low = Simulation(team_setup(trust=0.2), seed=1)
    high = Simulation(team_setup(trust=0.8), seed=1)
    d_low = low.act("quick_win", "a1").changes[0].delta
    d_high = high.act("quick_win", "a1").changes[0].delta
    assert d_low > 0 and d_high > 0
    assert d_low > 2 * d_high


def test_quick_wins_have_diminishing_returns_on_one_person() -> None:
    sim = Simulation(team_setup(trust=0.3), seed=1)
    deltas = [sim.act("quick_win", "a1").changes[0].delta for _ in range(3)]
    assert deltas[0] > deltas[1] > deltas[2] > 0


def test_feedback_backfires_at_low_trust_and_lands_at_high_trust() -> None:
    low = Simulation(team_setup(trust=0.15), seed=1)
    high = Simulation(team_setup(trust=0.85), seed=1)
    bad = low.act("feedback", "a1")
    good = high.act("feedback", "a1")
    assert bad.outcome == "backfired" and bad.changes[0].delta < 0
    assert good.outcome == "landed well" and good.changes[0].delta > 0
    assert any(r.trait == "competence" and r.delta > 0 for r in good.other)  # type: ignore[union-attr]


def test_delegating_to_a_competent_report_pays_more_often() -> None:
    def success_rate(competence: float) -> float:
        wins = 0
        for seed in range(200):
            setup = tiny_setup()
            setup.people[2] = PersonSetup("cas", "Cas", "employee", "dev", "ana",
                                          competence=competence)
            sim = Simulation(setup, seed=seed)
            wins += sim.act("delegate", "cas").outcome == "succeeded"
        return wins / 200

    strong, weak = success_rate(0.9), success_rate(0.2)
    assert strong > weak + 0.3, (strong, weak)


def test_delegation_outcome_moves_managers_trust_both_ways() -> None:
    outcomes = {}
    for seed in range(40):
        sim = Simulation(tiny_setup(), seed=seed)
        result = sim.act("delegate", "cas")
        mine = next(c for c in result.changes if c.truster == "ana" and c.trustee == "cas")
        theirs = next(c for c in result.changes if c.truster == "cas" and c.trustee == "ana")
        assert theirs.delta > 0  # being trusted is always felt
        outcomes.setdefault(result.outcome, []).append(mine.delta)
    assert all(d > 0 for d in outcomes["succeeded"])
    assert all(d < 0 for d in outcomes["failed"])


def test_bad_news_reaches_more_people_than_good_news() -> None:
    good = Simulation(team_setup(cross=False), seed=1)
    bad = Simulation(team_setup(cross=False), seed=1)
    good_heard = {c.truster for c in good.act("quick_win", "a1").heard}
    bad.act("make_promise", "a1")
    bad_heard = {c.truster for c in bad.act("break_promise", "m1").heard}
    assert len(bad_heard) > len(good_heard)
    assert good_heard < bad_heard | good_heard


def test_cross_team_damping_slows_news_across_teams() -> None:
    def heard_outside(damping: float) -> float:
        sim = Simulation(team_setup(params=Params.from_overrides(
            {"cross_team_damping": damping})), seed=1)
        result = sim.act("quick_win", "a1")
        return sum(c.delta for c in result.heard if not c.truster.startswith("a"))

    assert heard_outside(0.9) > 2 * heard_outside(0.3) > 0


def test_connect_strengthens_a_cross_team_tie_and_lifts_the_ei_index() -> None:
    sim = Simulation(team_setup(), seed=1)
    before = sim.metrics()["ei"]["b"]
    strength = sim.strength("b1", "c1")
    sim.act("connect", "b1", other="c1")
    assert sim.strength("b1", "c1") > strength
    assert sim.metrics()["ei"]["b"] > before


def test_broken_promise_leaves_a_scar_that_slows_later_gains() -> None:
    scarred = Simulation(tiny_setup(capacity=9), seed=1)
    clean = Simulation(tiny_setup(capacity=9), seed=1)
    scarred.act("break_promise", "p1")
    # bring the clean game to the same trust level without a scar
    target = scarred.trust("ben", "ana")
    e = clean.world.eid(1, 0)
    assert e is not None
    clean.world.trust[e] = target
    gain_scarred = scarred.act("quick_win", "ben").changes[0].delta
    gain_clean = clean.act("quick_win", "ben").changes[0].delta
    assert 0 < gain_scarred < gain_clean


def test_promises_not_kept_break_by_themselves_when_due() -> None:
    sim = Simulation(tiny_setup(), seed=1)
    for _ in range(3):
        report = sim.end_turn()
    broken = [r for r in report.other if getattr(r, "promise", None) is not None]
    assert broken and broken[0].promise.status == "broken"  # type: ignore[attr-defined]
    assert broken[0].cause.kind == "promise_due"  # type: ignore[attr-defined]
