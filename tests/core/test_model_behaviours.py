"""The rules of model v2 that the lessons (tests/model) rest on, one mechanism per test.

The lessons say what the model teaches; these pin the mechanisms a clever player would
probe: chance that undo cannot re-roll, promises with stakes, no ratchets, ties that form.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from simulator.core import ActNotAllowed, Simulation
from simulator.core.params import Params
from simulator.core.records import TaskSettled
from simulator.core.setup import (
    EventSetup,
    PersonSetup,
    PromiseSetup,
    Setup,
    TeamSetup,
    TieEffect,
)
from simulator.core.testing import tiny_setup

BRIDGES = {("boss", "b0"), ("b0", "c0"), ("a1", "b1"), ("b2", "c2")}


def team_setup(*, trust: float = 0.5, size: int = 6, turns: int = 20, capacity: int = 99,
               cross: bool = True, params: Params | None = None,
               competence: float = 0.9) -> Setup:
    """Three teams; the player leads team a. Dense inside teams; across teams, every pair
    (``cross``) or only a few bridges (managers, a1-b1, b2-c2)."""
    people = [PersonSetup("boss", "Boss", "manager", "a", competence=competence)]
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
        promises=[PromiseSetup("p1", "boss", "a1", "a quiet week", 3)],
    )


# -- trust and its bases ---------------------------------------------------------------------


def test_trust_is_the_weighted_mean_of_the_three_bases_after_anything() -> None:
    sim = Simulation(team_setup(), seed=3)
    sim.act("quick_win", "a1")
    sim.act("break_promise", "p1")
    sim.act("feedback", "a2")
    sim.end_turn()
    w = sim.world
    n = w.n_edges
    wa, wb, wi = w.params.base_weights
    bases = w.bases_arrays()
    combined = wa * bases["ability"] + wb * bases["benevolence"] + wi * bases["integrity"]
    assert np.allclose(combined, w.trust[:n], atol=1e-12)
    assert all(((b >= 0) & (b <= 1)).all() for b in bases.values())
    b = sim.bases("a1", "player")
    assert sim.trust("a1", "player") == pytest.approx(wa * b.ability + wb * b.benevolence
                                                      + wi * b.integrity)


def test_each_act_moves_the_bases_it_names() -> None:
    sim = Simulation(team_setup(), seed=3)
    quick = sim.act("quick_win", "a1").changes[0]
    assert quick.bases == (0.0, quick.bases[1], 0.0) and quick.bases[1] > 0
    assert quick.base == "benevolence"
    delivered = [c for c in sim.end_turn().changes
                 if c.cause.kind == "task" and c.truster == "a1"]
    assert delivered and delivered[0].bases[0] > 0  # delivered at the end of the turn
    assert delivered[0].bases[1:] == (0.0, 0.0) and delivered[0].base == "ability"
    broken = sim.act("break_promise", "p1").changes[0]
    assert broken.bases[2] < broken.bases[1] < 0 and broken.base == "integrity"
    sim.act("make_promise", "a2", due=5)
    sim.end_turn()
    kept = sim.act("keep_promise", "m1").changes[0]
    assert kept.bases[2] > 0 and kept.bases[:2] == (0.0, 0.0) and kept.base == "integrity"


def test_the_players_competence_decides_how_often_a_quick_win_falls_flat() -> None:
    def flat(competence: float) -> int:
        count = 0
        for seed in range(100):
            sim = Simulation(team_setup(competence=competence), seed=seed)
            assert sim.act("quick_win", "a1").outcome == ""  # not known before the turn ends
            settled = [r for r in sim.end_turn().other if isinstance(r, TaskSettled)]
            count += settled[0].outcome == "failed" and settled[0].act == "quick_win"
        return count

    assert flat(1.0) == 0
    assert flat(0.0) > flat(0.5) > 0


# -- chance that undo cannot re-roll -----------------------------------------------------------


def test_a_delegation_is_settled_at_the_end_of_the_turn_not_when_handed_over() -> None:
    sim = Simulation(tiny_setup(), seed=4)
    handed = sim.act("delegate", "cas")
    assert handed.outcome == "handed over"
    assert not any(c.truster == "ana" for c in handed.changes)  # no verdict on Cas yet
    report = sim.end_turn()
    settled = [r for r in report.other if isinstance(r, TaskSettled)]
    assert len(settled) == 1 and settled[0].report == "cas"
    assert settled[0].outcome in ("succeeded", "failed")


def test_undo_does_not_let_a_player_find_success_by_trying_reports_in_turn() -> None:
    """Trying the weak report, undoing a failure and handing the same work to the strong
    one succeeds exactly when handing it to the strong one first would have."""
    setup = tiny_setup()  # Ben: competence 0.8, Cas: 0.3
    for seed in range(60):
        honest = Simulation(setup, seed=seed)
        honest.act("delegate", "ben")
        strong = next(r for r in honest.end_turn().other if isinstance(r, TaskSettled))

        peeking = Simulation(setup, seed=seed)
        peeking.act("delegate", "cas")
        weak = next(r for r in peeking.end_turn().other if isinstance(r, TaskSettled))
        if weak.outcome == "failed":
            peeking.undo()
            peeking.undo()
            peeking.act("delegate", "ben")
            weak = next(r for r in peeking.end_turn().other if isinstance(r, TaskSettled))
        # peeking finds success no more often than picking the best report at once
        assert weak.outcome == "failed" or strong.outcome == "succeeded", seed


def test_the_events_of_a_turn_do_not_depend_on_what_the_player_did() -> None:
    params = Params.from_overrides({"random_events": 0.5})
    setup = dataclasses.replace(tiny_setup(turns=12), params=params)
    quiet, busy = Simulation(setup, seed=9), Simulation(setup, seed=9)
    quiet_events, busy_events = [], []
    while not quiet.over:
        busy.act("delegate", "ben")
        busy.act("quick_win", "cas")
        quiet_events += [e.id for e in quiet.end_turn().events]
        busy_events += [e.id for e in busy.end_turn().events]
    assert quiet_events == busy_events and quiet_events  # the same rumours, the same turns


# -- promises with stakes -------------------------------------------------------------------------


def test_a_promise_cannot_be_kept_the_turn_it_is_made() -> None:
    sim = Simulation(tiny_setup(), seed=1)
    sim.act("make_promise", "cas", due=3)
    with pytest.raises(ActNotAllowed) as refused:
        sim.act("keep_promise", "m1")
    assert refused.value.code == "too_soon"
    sim.end_turn()
    assert sim.act("keep_promise", "m1").changes[0].delta > 0


def test_saying_early_costs_less_than_breaking_at_the_due_turn_and_than_lapsing() -> None:
    def after(plan: str) -> float:
        setup = dataclasses.replace(tiny_setup(turns=6), promises=[
            PromiseSetup("p1", "ana", "ben", "a day off", 3)])
        sim = Simulation(setup, seed=1)
        while sim.turn < 4:
            if (plan == "early" and sim.turn == 1) or (plan == "due" and sim.turn == 3):
                result = sim.act("break_promise", "p1")
                if plan == "early":
                    assert result.changes[0].cause.detail == "said early"
            sim.end_turn()
        return sim.trust("ben", "ana")

    early, due, lapsed = after("early"), after("due"), after("lapse")
    assert early > due > lapsed


def test_a_lapsed_promise_lowers_the_anchor_so_the_damage_lasts() -> None:
    sim = Simulation(tiny_setup(turns=12), seed=1)
    e = sim.world.eid(sim.world.index["ben"], sim.player)
    assert e is not None
    anchor = float(sim.world.baseline[e])
    while sim.turn <= 3:
        sim.end_turn()  # p1 is due at turn 3: it lapses
    assert float(sim.world.baseline[e]) < anchor - 0.05
    while not sim.over:
        sim.end_turn()
    assert sim.trust("ben", "ana") < 0.5 - 0.1  # nine turns later, still well below


# -- no ratchets ---------------------------------------------------------------------------------


def test_coaching_again_and_again_does_not_ratchet_trust_to_one() -> None:
    sim = Simulation(team_setup(turns=20, capacity=2), seed=1)
    for _ in range(5):
        sim.act("coach", "a1")
        sim.act("coach", "a1")
        sim.end_turn()
    while not sim.over:
        sim.end_turn()
    e = sim.world.eid(sim.world.index["a1"], sim.player)
    assert e is not None
    assert float(sim.world.baseline[e]) < 0.8
    assert sim.trust("a1", "player") < 0.8


def test_reconnecting_one_pair_does_not_ratchet_their_tie() -> None:
    sim = Simulation(team_setup(turns=20, capacity=2, cross=False), seed=1)
    for _ in range(5):
        sim.act("connect", "a2", other="b2")
        sim.act("connect", "a2", other="b2")
        sim.end_turn()
    e = sim.world.eid(sim.world.index["a2"], sim.world.index["b2"])
    assert e is not None
    assert float(sim.world.baseline[e]) <= sim.trust("a2", "b2") + \
        sim.world.params.anchor_headroom + 1e-12


def test_connect_refuses_a_pair_joined_by_a_reporting_line() -> None:
    sim = Simulation(team_setup(), seed=1)
    with pytest.raises(ActNotAllowed) as refused:
        sim.act("connect", "boss", other="b0")  # not a reporting line: allowed
        sim.act("connect", "b0", other="b1")  # same team
    assert refused.value.code == "same_team"
    setup = tiny_setup()
    setup.people[4] = PersonSetup("eli", "Eli", "employee", "ops", "ana")  # Ana manages Eli
    sim = Simulation(setup, seed=1)
    assert sim.check("connect", "ana", other="eli") is not None
    with pytest.raises(ActNotAllowed) as refused:
        sim.act("connect", "ana", other="eli")
    assert refused.value.code == "reporting_line"


def test_recognition_from_someone_barely_trusted_counts_less() -> None:
    trusted = Simulation(team_setup(trust=0.6), seed=1)
    distrusted = Simulation(team_setup(trust=0.6), seed=1)
    e = distrusted.world.eid(distrusted.world.index["a1"], 0)
    assert e is not None
    for name in ("trust", "ref_ability", "ref_benevolence", "ref_integrity", "ref_trust"):
        getattr(distrusted.world, name)[e] = 0.05
    gain_trusted = trusted.act("recognise", "a1").changes[0].bases[1]
    gain_distrusted = distrusted.act("recognise", "a1").changes[0].bases[1]
    # the same gap would give 0.95/0.4 times more; credibility cuts it to a seventh
    assert gain_distrusted < gain_trusted * (0.95 / 0.4) * 0.2


def test_an_apology_needs_something_to_apologise_for() -> None:
    sim = Simulation(team_setup(), seed=1)
    assert sim.available()["apologise"] is not None
    with pytest.raises(ActNotAllowed) as refused:
        sim.act("apologise", "a1")
    assert refused.value.code == "nothing_to_apologise"
    sim.act("break_promise", "p1")
    assert sim.targets("apologise") == ["a1"]
    repaired = sim.act("apologise", "a1").changes[0]
    assert repaired.delta > 0 and repaired.bases[2] > 0
    assert sim.targets("apologise") == []  # forgiven once: the damage is spent


# -- gossip, bridges and closure ------------------------------------------------------------------


def test_cross_team_damping_slows_news_across_teams() -> None:
    def heard_outside(damping: float) -> float:
        sim = Simulation(team_setup(params=Params.from_overrides(
            {"cross_team_damping": damping})), seed=1)
        result = sim.act("quick_win", "a1")
        return sum(c.delta for c in result.heard if not c.truster.startswith("a"))

    assert heard_outside(0.9) > 2 * heard_outside(0.3) >= 0
    assert heard_outside(0.9) > 0


def test_news_that_crosses_a_team_border_maintains_the_bridge() -> None:
    sim = Simulation(team_setup(cross=False), seed=1)
    before = sim.strength("b1", "a1")
    result = sim.act("quick_win", "a1")
    assert any(c.truster == "b1" for c in result.heard)  # b1 heard it from a1
    assert sim.strength("b1", "a1") > before
    assert any(getattr(r, "source", None) == "b1" for r in result.other)


def _triads_setup() -> Setup:
    """Team x: x1 - x2 - x3 strongly tied in a line (x1 and x3 do not know each other);
    x3 also strongly tied to y1 of team y. Two open triads: x1 - x2 - x3 inside a team,
    x2 - x3 - y1 across."""
    people = [PersonSetup("boss", "Boss", "manager", "x"),
              *(PersonSetup(f"x{i}", f"X{i}", "employee", "x", "boss") for i in (1, 2, 3)),
              PersonSetup("lead", "Lead", "manager", "y"),
              PersonSetup("y1", "Y1", "employee", "y", "lead")]
    index = {p.id: i for i, p in enumerate(people)}
    pairs = [("x1", "x2", 0.8), ("x2", "x3", 0.8), ("x3", "y1", 0.8),
             ("boss", "x1", 0.8), ("boss", "x2", 0.8), ("boss", "x3", 0.8),
             ("lead", "y1", 0.8)]
    ties = sorted({(index[a], index[b], s) for a, b, s in pairs}
                  | {(index[b], index[a], s) for a, b, s in pairs})
    return Setup(title="Triads", language="en", seed=1, turns=10, player="boss",
                 capacity=1, params=Params(), teams=[TeamSetup("x", "X"), TeamSetup("y", "Y")],
                 people=people, tie_src=np.array([t[0] for t in ties], np.int32),
                 tie_dst=np.array([t[1] for t in ties], np.int32),
                 tie_trust=np.full(len(ties), 0.6), tie_strength=np.array([t[2] for t in ties]))


def test_strong_open_triads_close_more_often_inside_a_team_and_only_weakly() -> None:
    """Triadic closure with homophily: strong a - k and k - b make a - b likelier, more
    so inside a team; the tie it forms is an acquaintance (closure_strength)."""
    closed = {"inside": 0, "across": 0}
    setup = _triads_setup()
    for seed in range(150):
        sim = Simulation(setup, seed=seed)
        while not sim.over:
            sim.end_turn()
        cap = sim.world.params.closure_strength
        for key, (a, b) in (("inside", ("x1", "x3")), ("across", ("x2", "y1"))):
            grown = sim.strength(a, b)
            assert grown <= cap + 1e-12
            closed[key] += grown > 0
    assert closed["inside"] > closed["across"] > 0, closed


def test_closure_is_the_same_whatever_the_player_did_before() -> None:
    setup = _triads_setup()
    quiet, busy = Simulation(setup, seed=5), Simulation(setup, seed=5)
    while not quiet.over:
        busy.act("quick_win", "x2")
        quiet.end_turn()
        busy.end_turn()
    assert quiet.strength("x1", "x3") == busy.strength("x1", "x3")


def test_the_ties_effect_can_create_ties_between_teams() -> None:
    event = EventSetup("mix", 1, "news", "A joint project", "", (
        TieEffect("dev", "ops", 1.0, 0.3),))
    setup = dataclasses.replace(tiny_setup(), events=[event])
    sim = Simulation(setup, seed=1)
    assert sim.strength("cas", "fay") == 0.0
    report = sim.end_turn()
    assert sim.strength("cas", "fay") == pytest.approx(0.3)
    assert any(getattr(r, "source", None) == "cas" for r in report.other)


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


def test_connect_strengthens_a_cross_team_tie_and_lifts_the_ei_index() -> None:
    sim = Simulation(team_setup(), seed=1)
    before = sim.metrics()["ei"]["b"]
    strength = sim.strength("b1", "c1")
    sim.act("connect", "b1", other="c1")
    assert sim.strength("b1", "c1") > strength
    assert sim.metrics()["ei"]["b"] > before


def test_promises_not_kept_break_by_themselves_when_due() -> None:
    sim = Simulation(tiny_setup(), seed=1)
    for _ in range(3):
        report = sim.end_turn()
    broken = [r for r in report.other if getattr(r, "promise", None) is not None]
    assert broken and broken[0].promise.status == "broken"  # type: ignore[attr-defined]
    assert broken[0].cause.kind == "promise_due"  # type: ignore[attr-defined]
