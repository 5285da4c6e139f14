"""The lessons the model claims to teach, each measured through the public API.

Every lesson is a function that plays small games, on an organisation written for it
(:func:`two_teams`, not a shipped scenario) and on a generated one, and returns the rows
it measured: a condition (the trust level, the organisation), the figures, and whether
the lesson held there. ``tests/model/test_lessons.py`` asserts that every row holds;
``docs/gen_validation.py`` writes the same rows to docs/validation.md. Nothing here is
hard-coded: change the model and the figures (and perhaps the verdicts) change with it.

Each lesson holds at trust levels 0.1, 0.3, 0.5 and 0.8 where it is about a level.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from simulator import Game
from simulator.core import Simulation
from simulator.core.effects import apply_effects
from simulator.core.params import Params
from simulator.core.records import Cause
from simulator.core.setup import Setup, TrustEffect
from simulator.experiments.generate import generate_org
from simulator.scenario.loader import load_scenario_text

LEVELS = (0.1, 0.3, 0.5, 0.8)


@dataclass(frozen=True)
class Row:
    """One measurement: where, the figures, and whether the lesson held there."""

    condition: str
    figures: dict[str, float]
    holds: bool


@dataclass(frozen=True)
class Lesson:
    key: str
    claim: str
    source: str
    how: str
    measure: Callable[[], list[Row]]
    notes: str = ""


LESSONS: list[Lesson] = []


def lesson(key: str, claim: str, source: str, how: str, notes: str = ""
           ) -> Callable[[Callable[[], list[Row]]], Callable[[], list[Row]]]:
    def register(fn: Callable[[], list[Row]]) -> Callable[[], list[Row]]:
        LESSONS.append(Lesson(key, claim, source, how, cache(fn), notes))
        return fn
    return register


# -- the organisations ---------------------------------------------------------------------

_TWO_TEAMS = """
version: 1
title: Lesson
language: en
brief: An organisation written for one lesson of the model.
seed: 1
turns: {turns}
player: p
capacity: {capacity}
params: {params}
teams:
  - {{id: A, name: Team A}}
  - {{id: B, name: Team B}}
people:
  - {{id: p, name: P, role: manager, team: A, traits: {{competence: {pc}, openness: 0.5}}}}
  - {{id: a1, name: A1, team: A, manager: p, traits: {{competence: 0.9, openness: {open}}}}}
  - {{id: a2, name: A2, team: A, manager: p, traits: {{competence: 0.7, openness: {open}}}}}
  - {{id: a3, name: A3, team: A, manager: p, traits: {{competence: 0.5, openness: {open}}}}}
  - {{id: a4, name: A4, team: A, manager: p, traits: {{competence: 0.3, openness: {open}}}}}
  - {{id: a5, name: A5, team: A, manager: p, traits: {{competence: 0.2, openness: {open}}}}}
  - {{id: q, name: Q, role: manager, team: B}}
  - {{id: b1, name: B1, team: B, manager: q}}
  - {{id: b2, name: B2, team: B, manager: q}}
  - {{id: b3, name: B3, team: B, manager: q}}
  - {{id: b4, name: B4, team: B, manager: q}}
  - {{id: b5, name: B5, team: B, manager: q}}
relationships:
  defaults:
    within_team: {{trust: 0.7, strength: 0.7}}
    cross_team: {{trust: {ct}, strength: {cs}}}
    reporting: {{trust: 0.6, strength: 0.8}}
  ties:
{ties}
promises: {promises}
events: {events}
"""


def two_teams(level: float = 0.5, *, turns: int = 10, capacity: int = 3,
              cross_trust: float = 0.45, cross_strength: float = 0.15,
              openness: float = 0.5, player_competence: float = 0.8,
              ties: Iterable[str] = (), promises: str = "[]", events: str = "[]",
              params: dict[str, float] | None = None) -> Game:
    """Team A (the player P and reports a1..a5, who trust P at ``level``) and team B (Q
    and b1..b5). Inside each team everyone trusts everyone at 0.7 (strength 0.7); across
    teams the ties are weak (``cross_trust``, ``cross_strength``)."""
    lines = [f"    - {{from: a{i}, to: p, trust: {level}}}" for i in range(1, 6)]
    lines += [f"    - {t}" for t in ties]
    text = _TWO_TEAMS.format(
        turns=turns, capacity=capacity, params=params or {}, pc=player_competence,
        open=openness, ct=cross_trust, cs=cross_strength, ties="\n".join(lines),
        promises=promises, events=events)
    return Game(load_scenario_text(text, "<lesson>"), seed=1)


@cache
def _generated_setup(people: int, seed: int) -> Setup:
    return generate_org(people=people, seed=seed, turns=10, capacity=3).setup()


def generated(level: float = 0.5, *, people: int = 120, seed: int = 1, game_seed: int = 1,
              params: dict[str, float] | None = None) -> Simulation:
    """A generated organisation whose player's reports trust the player at ``level``."""
    setup = _generated_setup(people, seed)
    player = [p.id for p in setup.people].index(setup.player)
    managers = np.array([-1 if p.manager is None else [q.id for q in setup.people].index(
        p.manager) for p in setup.people])
    trust = setup.tie_trust.copy()
    to_player = (setup.tie_dst == player) & (managers[setup.tie_src] == player)
    trust[to_player] = level
    setup = dataclasses.replace(setup, tie_trust=trust,
                                params=Params.from_overrides(params or {}))
    return Simulation(setup, seed=game_seed)


def reports(sim: Simulation) -> list[str]:
    w = sim.world
    return [w.ids[i] for i in w.reports(sim.player)]


def trust_in_player(sim: Simulation, people: Iterable[str] | None = None) -> float:
    """Summed trust in the player (of ``people``, or of everyone else)."""
    ids = people if people is not None else [p for p in sim.world.ids if p != sim.player_id]
    return sum(sim.trust(p, "player") for p in ids)


def finish(sim: Simulation) -> Simulation:
    while not sim.over:
        sim.end_turn()
    return sim


def _fmt_level(level: float) -> str:
    return f"trust {level:.1f}"


# -- 1. asymmetry --------------------------------------------------------------------------

EQUAL = {"promise_keep": 0.25, "promise_break": 0.25}


def _promise_game(level: float, generated_org: bool, *, cross_strength: float = 0.15
                  ) -> tuple[Simulation, str, str]:
    """A game whose player has a promise, due this turn, to someone who trusts them at
    ``level``; keeping and breaking it are signals of the same size."""
    if generated_org:
        sim = generated(level, params=EQUAL)
        to = reports(sim)[0]
        sim.act("make_promise", to, due=2)
        sim.end_turn()
        sim.capacity_left = 3
        pid = sim.promises("open")[0].id
        return sim, to, pid
    game = two_teams(level, params=EQUAL, cross_strength=cross_strength, cross_trust=0.6,
                     promises="[{id: x, by: p, to: a1, what: a quiet week, due: 1}]")
    return game, "a1", "x"


@lesson("asymmetry", "A broken promise costs more than an equal-sized gesture gains, at "
        "every trust level.", "Slovic 1993 (trust asymmetry)",
        "Keep or break the same promise, due now, with `promise_keep` = `promise_break` = "
        "0.25; sum the change in everyone's trust in the player (the person it was made "
        "to and all who hear of it).",
        "For the person it was made to alone, the loss is capped by what there is to lose: "
        "at trust 0.1 a kept promise adds more to that one tie than a broken one can take.")
def asymmetry() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        for level in LEVELS:
            found = {}
            for act in ("keep_promise", "break_promise"):
                sim, to, pid = _promise_game(level, org == "generated")
                start = trust_in_player(sim)
                direct = sim.trust(to, "player")
                sim.act(act, promise=pid)
                found[act] = (trust_in_player(sim) - start, sim.trust(to, "player") - direct)
            gain, loss = found["keep_promise"][0], -found["break_promise"][0]
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"gain (kept)": gain, "loss (broken)": loss,
                             "loss / gain": loss / gain if gain else float("inf"),
                             "direct gain": found["keep_promise"][1],
                             "direct loss": -found["break_promise"][1]},
                            loss > gain > 0))
    return rows


# -- 2. no quick repair ----------------------------------------------------------------------

@lesson("no_quick_repair", "Three quick wins do not restore trust lost to a broken promise "
        "within the game.", "seed 004 (being let down causes deep and lasting distrust)",
        "Break a promise on its due turn to someone who trusts the player at the level; "
        "give them a quick win in each of the next three turns; play to the end of the "
        "game (turn 8 or 10) and compare their trust with the level before the promise "
        "was broken.")
def no_quick_repair() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        for level in LEVELS:
            if org == "generated":
                sim = generated(level)
                to = reports(sim)[0]
                sim.act("make_promise", to, due=2)
                sim.end_turn()
                pid = sim.promises("open")[0].id
            else:
                sim = two_teams(level, turns=8,
                                promises="[{id: x, by: p, to: a1, what: a quiet week, "
                                         "due: 1}]")
                to, pid = "a1", "x"
            before = sim.trust(to, "player")
            sim.act("break_promise", promise=pid)
            broken = sim.trust(to, "player")
            for _ in range(3):
                sim.end_turn()
                sim.act("quick_win", to)
            while sim.turn <= (8 if org == "two teams" else sim.turns) and not sim.over:
                sim.end_turn()
            after = sim.trust(to, "player")
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"before the break": before, "after the break": broken,
                             "end of game": after}, after < before))
    return rows


# -- 3. bad news travels further -----------------------------------------------------------

_CHAIN = """
version: 1
title: A chain of colleagues
language: en
brief: Eight people in one team, each working closely with the next.
seed: 1
turns: 4
player: p
params: {{promise_keep: 0.25, promise_break: 0.25}}
teams: [{{id: A, name: Team A}}]
people:
  - {{id: p, name: P, role: manager, team: A}}
{people}
relationships:
  defaults:
    within_team: null
    reporting: {{trust: {level}, strength: 0.8}}
  ties:
{ties}
promises: [{{id: x, by: p, to: a1, what: a quiet week, due: 1}}]
"""


def chain(level: float) -> Game:
    """Eight reports of the player in a line: a1 works with a2, a2 with a3, and so on."""
    people = "\n".join(f"  - {{id: a{i}, name: A{i}, team: A, manager: p}}" for i in range(1, 9))
    ties = "\n".join(f"    - {{mutual: [a{i}, a{i + 1}], trust: 0.8, strength: 0.8}}"
                     for i in range(1, 8))
    text = _CHAIN.format(people=people, ties=ties, level=level)
    return Game(load_scenario_text(text, "<lesson>"), seed=1)


@lesson("bad_news_travels", "Bad news reaches more people than good news.",
        "Baumeister, Bratslavsky, Finkenauer and Vohs 2001 (bad is stronger than good); "
        "Slovic 1993",
        "Keep or break the same promise (signals of equal size); count the people who "
        "heard of it and the total change their hearsay made. The organisation written "
        "for it is a chain of eight colleagues, so reach is not capped by its size.")
def bad_news_travels() -> list[Row]:
    rows = []
    for org in ("chain", "generated"):
        for level in LEVELS:
            found = {}
            for act in ("keep_promise", "break_promise"):
                if org == "chain":
                    sim: Simulation = chain(level)
                    pid = "x"
                else:
                    sim, _, pid = _promise_game(level, True)
                result = sim.act(act, promise=pid)
                heard = [c for c in result.changes if not c.direct]
                found[act] = (len({c.truster for c in heard}),
                              sum(abs(c.delta) for c in heard))
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"heard good news": found["keep_promise"][0],
                             "heard bad news": found["break_promise"][0],
                             "hearsay change, good": found["keep_promise"][1],
                             "hearsay change, bad": found["break_promise"][1]},
                            found["break_promise"][0] > found["keep_promise"][0]
                            and found["break_promise"][1] > found["keep_promise"][1]))
    return rows


# -- 4. quick wins ---------------------------------------------------------------------------

@lesson("quick_wins", "Quick wins move low trust more than high trust, but not past a "
        "fresh scar.", "seed 004 (quick wins kick-start trust; a distrustful team is a "
        "steep hill)",
        "One quick win to someone who trusts the player at each level: the gain must fall "
        "as the level rises. Then, at each level, break a promise to them and give a "
        "quick win at once: trust must stay below where it was before the promise broke.")
def quick_wins() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        gains = []
        for level in LEVELS:
            sim = generated(level) if org == "generated" else two_teams(level)
            to = reports(sim)[0]
            before = sim.trust(to, "player")
            sim.act("quick_win", to)
            gains.append(sim.trust(to, "player") - before)
        falling = all(a > b for a, b in itertools.pairwise(gains))
        rows.append(Row(f"{org}, gain by level",
                        {f"gain at {level:.1f}": g for level, g in
                         zip(LEVELS, gains, strict=True)}, falling))
        for level in LEVELS:
            sim, to, pid = _promise_game(level, org == "generated")
            before = sim.trust(to, "player")
            sim.act("break_promise", promise=pid)
            sim.act("quick_win", to)
            after = sim.trust(to, "player")
            rows.append(Row(f"{org}, {_fmt_level(level)}: broken promise, then a quick win",
                            {"before": before, "after": after}, after < before))
    return rows


# -- 5. feedback ---------------------------------------------------------------------------

@lesson("feedback", "Feedback backfires at low trust and lands at high trust; landed "
        "feedback builds more than praise within three turns.",
        "seed 003 (trust is built by open communication and honest feedback); Mayer, "
        "Davis and Schoorman 1995",
        "Feedback to someone (openness 0.6) who trusts the player at each level: below "
        "the threshold (0.5) it must backfire and cost trust, above it land. Then at 0.8: "
        "feedback or recognition, three ends of turn, compare.")
def feedback() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        for level in LEVELS:
            if org == "generated":
                sim = generated(level)
                to = reports(sim)[0]
                sim.world.openness[sim.world.index[to]] = 0.6
            else:
                sim = two_teams(level, openness=0.6)
                to = "a1"
            before = sim.trust(to, "player")
            result = sim.act("feedback", to)
            delta = sim.trust(to, "player") - before
            low = level < 0.5
            ok = (result.outcome == "backfired" and delta < 0) if low else (
                result.outcome == "landed well" and delta > 0)
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"landed": float(result.outcome == "landed well"),
                             "change": delta}, ok))
        after = {}
        for act in ("feedback", "recognise"):
            sim = generated(0.8) if org == "generated" else two_teams(0.8, openness=0.6)
            to = reports(sim)[0]
            sim.act(act, to)
            for _ in range(3):
                sim.end_turn()
            after[act] = sim.trust(to, "player")
        rows.append(Row(f"{org}, trust 0.8, three turns later",
                        {"after feedback": after["feedback"],
                         "after recognition": after["recognise"]},
                        after["feedback"] > after["recognise"]))
    return rows


# -- 6. delegation ---------------------------------------------------------------------------

def _delegations(make: Callable[[int], Simulation], report: str, support: bool,
                 seeds: int = 200) -> tuple[float, float, float]:
    """Success rate, and the report's mean change of trust in the player after a failure
    (and after any outcome), over ``seeds`` games."""
    wins, failures, changes = 0, [], []
    for seed in range(seeds):
        sim = make(seed)
        before = sim.trust(report, "player")
        if support:
            sim.act("coach", report)
        sim.act("delegate", report)
        settled = [r for r in sim.end_turn().other if type(r).__name__ == "TaskSettled"]
        change = sim.trust(report, "player") - before
        changes.append(change)
        if settled[0].outcome == "succeeded":  # type: ignore[union-attr]
            wins += 1
        else:
            failures.append(change)
    return wins / seeds, statistics.fmean(failures) if failures else 0.0, \
        statistics.fmean(changes)


@lesson("delegation", "Delegating to a competent, supported report pays more often than to "
        "a weak, unsupported one; an unsupported failure costs trust.",
        "seeds 000-002 (smart empowerment: risk and reward; set up right to ensure "
        "success; coaching)",
        "200 seeds each: delegate to the most competent report after coaching them, or to "
        "the least competent without support; success rate, and the report's change of "
        "trust in the player over the turn when the work failed.")
def delegation() -> list[Row]:
    rows = []

    def scenario(seed: int) -> Simulation:
        game = two_teams(0.5)
        return Game(game.scenario, seed=seed)

    def gen(seed: int) -> Simulation:
        return generated(0.5, game_seed=seed)

    for org, make in (("two teams", scenario), ("generated", gen)):
        sim = make(0)
        w = sim.world
        ranked = sorted(reports(sim), key=lambda r: float(w.competence[w.index[r]]))
        weak, strong = ranked[0], ranked[-1]
        s_rate, _, s_mean = _delegations(make, strong, True)
        w_rate, w_fail, w_mean = _delegations(make, weak, False)
        rows.append(Row(org, {"success, competent and coached": s_rate,
                              "success, weak and unsupported": w_rate,
                              "trust change after an unsupported failure": w_fail,
                              "mean trust change, competent and coached": s_mean,
                              "mean trust change, weak and unsupported": w_mean},
                        s_rate > w_rate and w_fail < 0 and s_mean > w_mean))
    return rows


# -- 7. recognition ----------------------------------------------------------------------------

@lesson("recognition", "Repeated recognition of one person gives diminishing returns and "
        "costs trust among the others.",
        "Adams 1965 (equity); seed 003 (recognition and appreciation)",
        "Recognise the same person once a turn for five turns; each gain must be smaller "
        "than the one before, and the rest of the team must end trusting the player less "
        "than in the same game without the recognitions.")
def recognition() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        for level in LEVELS:
            def make(org: str = org, level: float = level) -> Simulation:
                return generated(level) if org == "generated" else two_teams(level)
            sim = make()
            to = reports(sim)[0]
            others = [r for r in reports(sim) if r != to]
            control = make()
            gains = []
            for _ in range(5):
                before = sim.trust(to, "player")
                sim.act("recognise", to)
                gains.append(sim.trust(to, "player") - before)
                sim.end_turn()
                control.end_turn()
            shrinking = all(a > b for a, b in itertools.pairwise(gains))
            cost = trust_in_player(control, others) - trust_in_player(sim, others)
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"first gain": gains[0], "fifth gain": gains[-1],
                             "others' trust lost": cost}, shrinking and cost > 0))
    return rows


# -- 8. silos ------------------------------------------------------------------------------------

def _silo_run(make: Callable[[dict[str, float]], Simulation], policy: str,
              params: dict[str, float]) -> dict[str, float]:
    from simulator.experiments.strategies import play_strategy

    sim = make(params)
    first = sim.metrics()
    play_strategy(sim, policy, seed=1)
    last = sim.history[-1]
    return {"ei_start": first["ei_mean"], "ei_end": last["ei_mean"],
            "cross_start": first["cross_team_trust"], "cross_end": last["cross_team_trust"]}


@lesson("silos", "Doing nothing lets cross-team trust fall and E-I move towards -1; "
        "bridges slow it; stronger damping produces more silo formation.",
        "Krackhardt and Stern 1988 (E-I index); seed 001 (the natural pull towards silos, "
        "departmental tunnel vision); Burt 2005",
        "Play 10 turns doing nothing, then building bridges (connect each act). Then build "
        "bridges at cross-team damping 0.1, 0.4 and 1.0: the mean E-I at the end must rise "
        "with the damping parameter (a low value lets little news cross: strong damping).")
def silos() -> list[Row]:
    rows = []

    def scenario(params: dict[str, float]) -> Simulation:
        return two_teams(0.5, params=params)

    def gen(params: dict[str, float]) -> Simulation:
        return generated(0.5, params=params)

    for org, make in (("two teams", scenario), ("generated", gen)):
        idle = _silo_run(make, "do_nothing", {})
        bridged = _silo_run(make, "build_bridges", {})
        rows.append(Row(f"{org}: doing nothing", {
            "E-I start": idle["ei_start"], "E-I end": idle["ei_end"],
            "cross trust start": idle["cross_start"], "cross trust end": idle["cross_end"]},
            idle["ei_end"] < idle["ei_start"] and idle["cross_end"] < idle["cross_start"]))
        rows.append(Row(f"{org}: building bridges", {
            "E-I end, idle": idle["ei_end"], "E-I end, bridges": bridged["ei_end"],
            "cross trust end, idle": idle["cross_end"],
            "cross trust end, bridges": bridged["cross_end"]},
            bridged["ei_end"] > idle["ei_end"]))
        sweep = [_silo_run(make, "build_bridges", {"cross_team_damping": d})["ei_end"]
                 for d in (0.1, 0.4, 1.0)]
        rows.append(Row(f"{org}: damping sweep (bridges)", {
            "E-I end at 0.1": sweep[0], "E-I end at 0.4": sweep[1],
            "E-I end at 1.0": sweep[2]}, sweep[0] < sweep[1] < sweep[2]))
    return rows


# -- 9. embedded ties ---------------------------------------------------------------------------

@lesson("embedded_ties", "Ties embedded in shared contacts outlast isolated bridges.",
        "Burt 2002 (the decay of bridges)",
        "Two cross-team ties of the same strength (0.6): a1-b1 alone, a2-b2 with three "
        "shared contacts; ten idle turns; compare what is left of each. On a generated "
        "organisation: the mean strength kept by cross-team ties with and without a "
        "shared contact.")
def embedded_ties() -> list[Row]:
    rows = []
    ties = ["{mutual: [a1, b1], trust: 0.6, strength: 0.6}",
            "{mutual: [a2, b2], trust: 0.6, strength: 0.6}",
            "{mutual: [a2, b3], trust: 0.6, strength: 0.3}",
            "{mutual: [a3, b2], trust: 0.6, strength: 0.3}",
            "{mutual: [a4, b2], trust: 0.6, strength: 0.3}"]
    game = two_teams(0.5, cross_strength=0.0, cross_trust=0.45, ties=ties)
    finish(game)
    isolated, embedded = game.strength("a1", "b1"), game.strength("a2", "b2")
    rows.append(Row("two teams, 10 idle turns",
                    {"isolated bridge": isolated, "embedded bridge": embedded},
                    embedded > isolated))
    sim = generated(0.5)
    w = sim.world
    n = w.n_edges
    cross = (w.kind[:n] == 1) & (w.strength[:n] > 0)
    start = w.strength[:n].copy()
    shared = w.shared[:n].copy()
    finish(sim)
    kept = w.strength[:n] / np.where(start > 0, start, 1.0)
    with_shared = float(kept[cross & (shared > 0)].mean())
    without = float(kept[cross & (shared == 0)].mean())
    rows.append(Row("generated, 10 idle turns: share of strength kept by cross-team ties",
                    {"with shared contacts": with_shared, "without": without},
                    with_shared > without))
    return rows


# -- 10. crisis --------------------------------------------------------------------------------

@lesson("crisis", "Strong cross-team ties reduce the damage a crisis does to cross-team "
        "trust.", "Krackhardt and Stern 1988 (friendships across units help in a crisis)",
        "The same budget cut (severity 0.3) in an organisation whose cross-team ties are "
        "weak (strength 0.15) or strong friendships (strength 0.8), trust 0.6 in both; "
        "the damage is the fall in mean cross-team trust against the same game without "
        "the cut.")
def crisis() -> list[Row]:
    rows = []
    cut = ("[{id: cut, turn: 1, kind: budget_cut, title: Budget cut, teams: [A, B], "
           "severity: 0.3}]")
    damage = {}
    for label, strength in (("weak", 0.15), ("strong", 0.8)):
        found = []
        for events in (cut, "[]"):
            game = two_teams(0.5, cross_trust=0.6, cross_strength=strength, events=events)
            game.end_turn()
            found.append(game.metrics()["cross_team_trust"])
        damage[label] = found[1] - found[0]
    rows.append(Row("two teams", {"damage, weak ties": damage["weak"],
                                  "damage, strong friendships": damage["strong"]},
                    0 < damage["strong"] < damage["weak"]))
    gen_damage = {}
    for label, strength in (("weak", 0.15), ("strong", 0.8)):
        found = []
        for cut_it in (True, False):
            sim = generated(0.5)
            w = sim.world
            n = w.n_edges
            cross = (w.kind[:n] == 1) & (w.strength[:n] > 0)
            # the two teams with the most ties between them
            pairs = np.minimum(w.src_team[:n], w.dst_team[:n]) * len(w.team_ids) + \
                np.maximum(w.src_team[:n], w.dst_team[:n])
            busiest = int(np.bincount(pairs[cross]).argmax())
            a, b = divmod(busiest, len(w.team_ids))
            between = cross & (pairs == busiest)
            for name in ("trust", "ref_ability", "ref_benevolence", "ref_integrity",
                         "ref_trust", "baseline"):
                getattr(w, name)[:n][between] = 0.6
            w.strength[:n][between] = strength
            if cut_it:
                effects = [TrustEffect(w.team_ids[x], w.team_ids[y], -0.3, base="benevolence")
                           for x, y in ((a, b), (b, a))]
                apply_effects(w, effects, sim.player, 1, Cause("event", "budget_cut"))
            found.append(float(w.trust[:n][between].mean()))
        gen_damage[label] = found[1] - found[0]
    rows.append(Row("generated, the two most connected teams hit", {
        "damage, weak ties": gen_damage["weak"],
        "damage, strong friendships": gen_damage["strong"]},
        0 < gen_damage["strong"] < gen_damage["weak"]))
    return rows


# -- 11. apology ---------------------------------------------------------------------------------

@lesson("apology", "Apology repairs a competence failure more than an integrity failure.",
        "Kim, Ferrin, Cooper and Dirks 2004 (apology versus denial for competence- and "
        "integrity-based violations)",
        "A competence failure (a quick win that falls flat: the player's competence 0, "
        "`quick_win_flat` 1) or an integrity failure (a broken promise), an end of turn, "
        "then an apology; the share of what the violated base lost (ability for the "
        "competence failure, integrity for the broken promise) that the apology gives "
        "back.",
        "The shares follow from `apology_ability` (0.6) and `apology_integrity` (0.2) by "
        "design; what this measures is that nothing else in the game (drift, scars, "
        "hearsay) undoes the difference.")
def apology() -> list[Row]:
    rows = []
    for org in ("two teams", "generated"):
        for level in LEVELS:
            share = {}
            for failure in ("competence", "integrity"):
                params = {"quick_win_flat": 1.0}
                if org == "generated":
                    sim = generated(level, params=params)
                    to = reports(sim)[0]
                    sim.world.competence[sim.player] = 0.0
                    if failure == "integrity":
                        sim.act("make_promise", to, due=3)
                        sim.end_turn()
                        pid = sim.promises("open")[0].id
                else:
                    sim = two_teams(level, player_competence=0.0, params=params,
                                    promises="[{id: x, by: p, to: a1, what: a quiet week, "
                                             "due: 3}]")
                    to, pid = "a1", "x"
                base = 0 if failure == "competence" else 2  # ability, integrity
                before = sim.bases(to, "player")[base]
                if failure == "competence":
                    sim.act("quick_win", to)  # falls flat when delivered, at the turn's end
                else:
                    sim.act("break_promise", promise=pid)
                sim.end_turn()
                low = sim.bases(to, "player")[base]
                sim.act("apologise", to)
                after = sim.bases(to, "player")[base]
                share[failure] = (after - low) / (before - low) if before > low else 0.0
            rows.append(Row(f"{org}, {_fmt_level(level)}",
                            {"repaired, competence failure": share["competence"],
                             "repaired, integrity failure": share["integrity"]},
                            share["competence"] > share["integrity"]))
    return rows


def measure_all() -> dict[str, list[Row]]:
    return {lesson.key: lesson.measure() for lesson in LESSONS}


def _jsonable(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"condition": r.condition, "figures": r.figures, "holds": r.holds} for r in rows]


__all__ = ["LESSONS", "LEVELS", "Lesson", "Row", "field", "generated", "measure_all",
           "two_teams"]
