"""Checks of meaning, and the building of a core :class:`Setup` from a valid spec."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.params import Params
from ..core.setup import (
    CapacityEffect,
    Effect,
    EventSetup,
    HireEffect,
    MoveEffect,
    ObjectiveSetup,
    OptionSetup,
    PersonSetup,
    PromiseEffect,
    PromiseSetup,
    Setup,
    TeamSetup,
    TieDefaults,
    TieEffect,
    TrustEffect,
)
from .spec import (
    BudgetCutEventSpec,
    CapacityEffectSpec,
    DilemmaEventSpec,
    MoveEffectSpec,
    NewHireEventSpec,
    PersonSpec,
    PromiseEffectSpec,
    ReorganisationEventSpec,
    RumourEventSpec,
    ScenarioSpec,
    TiesEffectSpec,
    TrustEffectSpec,
)

Path = tuple[str | int, ...]
Report = Callable[[Path, str], None]

RESERVED = {"player", "*"}


def _looks(identifier: str) -> str:
    """An id as a reader sees it: ``ﬁona`` (a ligature), ``Fiona`` and ``fiona`` alike."""
    return unicodedata.normalize("NFKC", identifier).casefold()


def check_meaning(spec: ScenarioSpec, report: Report) -> None:
    """Report every problem of meaning: unknown ids, cycles, impossible turns..."""
    teams: dict[str, int] = {}
    for i, team in enumerate(spec.teams):
        if team.id in teams:
            report(("teams", i, "id"), f"team id {team.id!r} is used twice "
                   f"(first by teams[{teams[team.id]}])")
        teams.setdefault(team.id, i)
        if team.id in RESERVED:
            report(("teams", i, "id"), f"{team.id!r} is reserved; choose another id")
    people: dict[str, int] = {}
    lookalike: dict[str, int] = {}  # ids as a reader sees them: compatibility forms, case
    for i, person in enumerate(spec.people):
        if person.id in people:
            report(("people", i, "id"), f"person id {person.id!r} is used twice "
                   f"(first by people[{people[person.id]}])")
        else:
            twin = lookalike.get(_looks(person.id))
            if twin is not None:
                first = spec.people[twin].id
                report(("people", i, "id"), f"person id {person.id!r} looks the same as "
                       f"{first!r} (people[{twin}]): ids may not differ only in case or "
                       "Unicode form")
        people.setdefault(person.id, i)
        lookalike.setdefault(_looks(person.id), i)
        if person.id in RESERVED:
            report(("people", i, "id"), f"{person.id!r} is reserved; choose another id")
        if person.id in teams:
            report(("people", i, "id"), f"{person.id!r} is already a team id; people and "
                   "teams need different ids")
    hires = [e.person for e in spec.events if isinstance(e, NewHireEventSpec)]
    everyone = set(people) | {h.id for h in hires}

    def person_ref(path: Path, pid: str | None, what: str = "person") -> None:
        if pid is not None and pid not in everyone and pid != "player":
            report(path, f"unknown {what} {pid!r}{_suggest(pid, everyone)}")

    def team_ref(path: Path, tid: str) -> None:
        if tid not in teams:
            report(path, f"unknown team {tid!r}{_suggest(tid, teams)}")

    def group_ref(path: Path, ref: str, *, star: bool = False) -> None:
        if ref in everyone or ref in teams or ref == "player" or (star and ref == "*"):
            return
        report(path, f"{ref!r} is neither a person nor a team"
               f"{_suggest(ref, everyone | set(teams))}")

    for i, person in enumerate(spec.people):
        team_ref(("people", i, "team"), person.team)
        if person.manager is not None:
            if person.manager == person.id:
                continue
            if person.manager not in people:
                report(("people", i, "manager"), f"unknown manager {person.manager!r}"
                       f"{_suggest(person.manager, people)}")
    for i, person in enumerate(spec.people):
        if person.manager == person.id:
            report(("people", i, "manager"), "a person cannot be their own manager")
    # reporting cycles (a person who is their own manager is reported above)
    manager_of = {p.id: (None if p.manager == p.id else p.manager) for p in spec.people}
    reported: set[str] = set()
    for i, person in enumerate(spec.people):
        seen = [person.id]
        current = manager_of.get(person.id)
        while current is not None and current in manager_of and current not in seen:
            seen.append(current)
            current = manager_of.get(current)
        if current is not None and current in seen and current == person.id:
            cycle = frozenset(seen)
            if cycle not in reported:  # type: ignore[comparison-overlap]
                reported.add(cycle)  # type: ignore[arg-type]
                report(("people", i, "manager"),
                       f"reporting lines form a cycle: {' -> '.join([*seen, person.id])}")
    # the player
    if spec.player not in people:
        report(("player",), f"unknown person {spec.player!r}{_suggest(spec.player, people)}")
    else:
        p = spec.people[people[spec.player]]
        if p.role == "employee":
            report(("player",), f"{p.name} is an employee; the player must be a manager or "
                   "an executive")
        if not any(q.manager == spec.player for q in spec.people):
            report(("player",), f"{p.name} manages nobody; give the player at least one "
                   "report (set `manager: " + spec.player + "` on someone)")
    # ties
    for i, tie in enumerate(spec.relationships.ties):
        pair = tie.mutual if tie.mutual is not None else (tie.from_, tie.to)
        field = "mutual" if tie.mutual is not None else None
        for j, pid in enumerate(pair):
            path: Path = ("relationships", "ties", i, field, j) if field else \
                ("relationships", "ties", i, "from" if j == 0 else "to")
            if pid is not None and pid not in people:
                report(path, f"unknown person {pid!r}{_suggest(pid, people)}")
        if pair[0] == pair[1]:
            report(("relationships", "ties", i), f"a tie from {pair[0]!r} to themselves")
    # promises
    promise_ids: dict[str, int] = {}
    for i, promise in enumerate(spec.promises):
        if promise.id in promise_ids:
            report(("promises", i, "id"), f"promise id {promise.id!r} is used twice")
        promise_ids.setdefault(promise.id, i)
        person_ref(("promises", i, "by"), promise.by)
        person_ref(("promises", i, "to"), promise.to)
        if promise.by == promise.to:
            report(("promises", i, "to"), "a promise to oneself")
        if promise.due > spec.turns:
            report(("promises", i, "due"), f"due at turn {promise.due}, after the last "
                   f"turn ({spec.turns})")
    # events
    event_ids: dict[str, int] = {}

    def check_effects(base: Path, effects: list[Any]) -> None:
        for k, effect in enumerate(effects):
            path = (*base, k)
            if isinstance(effect, TrustEffectSpec):
                group_ref((*path, "who"), effect.who, star=True)
                group_ref((*path, "in"), effect.in_)
            elif isinstance(effect, PromiseEffectSpec):
                if effect.promise not in promise_ids:
                    report((*path, "promise"), f"unknown promise {effect.promise!r}"
                           f"{_suggest(effect.promise, promise_ids)}")
            elif isinstance(effect, TiesEffectSpec):
                group_ref((*path, "between"), effect.between)
                group_ref((*path, "and"), effect.and_)
            elif isinstance(effect, MoveEffectSpec):
                check_move(path, effect)

    def check_move(path: Path, move: MoveEffectSpec) -> None:
        person_ref((*path, "person"), move.person)
        team_ref((*path, "team"), move.team)
        person_ref((*path, "manager"), move.manager, "manager")

    for i, event in enumerate(spec.events):
        if event.id in event_ids:
            report(("events", i, "id"), f"event id {event.id!r} is used twice")
        event_ids.setdefault(event.id, i)
        if event.turn > spec.turns:
            report(("events", i, "turn"), f"turn {event.turn} is after the last turn "
                   f"({spec.turns}); the event would never fire")
        elif isinstance(event, DilemmaEventSpec) and event.turn == spec.turns:
            report(("events", i, "turn"), f"a dilemma at the end of the last turn "
                   f"({spec.turns}) comes too late to matter; put it at turn "
                   f"{spec.turns - 1} or earlier")
        check_effects(("events", i, "effects"), event.effects)
        if isinstance(event, BudgetCutEventSpec):
            for j, tid in enumerate(event.teams):
                team_ref(("events", i, "teams", j), tid)
        elif isinstance(event, ReorganisationEventSpec):
            for j, move in enumerate(event.moves):
                check_move(("events", i, "moves", j), move)
        elif isinstance(event, NewHireEventSpec):
            hire = event.person
            if hire.id in people or hire.id in teams:
                report(("events", i, "person", "id"), f"{hire.id!r} is already taken")
            team_ref(("events", i, "person", "team"), hire.team)
            person_ref(("events", i, "person", "manager"), hire.manager, "manager")
        elif isinstance(event, RumourEventSpec):
            person_ref(("events", i, "about"), event.about)
            person_ref(("events", i, "from"), event.from_)
        elif isinstance(event, DilemmaEventSpec):
            option_ids: set[str] = set()
            for j, option in enumerate(event.options):
                if option.id in option_ids:
                    report(("events", i, "options", j, "id"),
                           f"option id {option.id!r} is used twice in this dilemma")
                option_ids.add(option.id)
                check_effects(("events", i, "options", j, "effects"), option.effects)
    # objectives
    objective_ids: set[str] = set()
    for i, objective in enumerate(spec.objectives):
        if objective.id in objective_ids:
            report(("objectives", i, "id"), f"objective id {objective.id!r} is used twice")
        objective_ids.add(objective.id)
        if objective.by is not None and objective.by > spec.turns:
            report(("objectives", i, "by"), f"turn {objective.by} is after the last turn "
                   f"({spec.turns})")
        who = getattr(objective, "who", None)
        if objective.kind == "trust_in_player" and who is not None:
            if who not in everyone and who not in teams:
                report(("objectives", i, "who"), f"{who!r} names nobody: expected a person "
                       f"or team id{_suggest(who, everyone | set(teams))}")
            elif who == spec.player:
                report(("objectives", i, "who"), "the player's trust in themselves is not "
                       "an objective")
        if objective.kind == "team_ei" and who is not None:
            team_ref(("objectives", i, "who"), who)


def _suggest(value: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(value, [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- building ----------------------------------------------------------------------------------


def _person(p: PersonSpec) -> PersonSetup:
    return PersonSetup(p.id, p.name, p.role, p.team, p.manager, p.traits.competence,
                       p.traits.openness, p.traits.propensity, p.description)


def _effect(spec: Any) -> Effect:
    if isinstance(spec, TrustEffectSpec):
        return TrustEffect(spec.who, spec.in_, spec.by, spec.spread, spec.base)
    if isinstance(spec, PromiseEffectSpec):
        return PromiseEffect(spec.promise, spec.outcome)
    if isinstance(spec, CapacityEffectSpec):
        return CapacityEffect(spec.by)
    if isinstance(spec, TiesEffectSpec):
        return TieEffect(spec.between, spec.and_, spec.factor, spec.add)
    if isinstance(spec, MoveEffectSpec):
        return MoveEffect(spec.person, spec.team, spec.manager)
    raise TypeError(spec)  # pragma: no cover


def _event(spec: Any) -> EventSetup:
    effects: list[Effect] = []
    options: tuple[OptionSetup, ...] = ()
    if isinstance(spec, BudgetCutEventSpec):
        for a, b in itertools.permutations(spec.teams, 2):
            effects.append(TrustEffect(a, b, -spec.severity, base="benevolence"))
        for a, b in itertools.combinations(spec.teams, 2):
            effects.append(TieEffect(a, b, 1.0 - spec.severity))
    elif isinstance(spec, ReorganisationEventSpec):
        effects += [MoveEffect(m.person, m.team, m.manager) for m in spec.moves]
    elif isinstance(spec, NewHireEventSpec):
        effects.append(HireEffect(_person(spec.person)))
    elif isinstance(spec, RumourEventSpec):
        effects.append(TrustEffect(spec.from_, spec.about, -spec.severity, spread=True,
                                   base="integrity"))
    elif isinstance(spec, DilemmaEventSpec):
        options = tuple(OptionSetup(o.id, o.label, tuple(_effect(e) for e in o.effects),
                                    o.outcome) for o in spec.options)
    effects += [_effect(e) for e in spec.effects]
    return EventSetup(spec.id, spec.turn, spec.kind, spec.title, spec.text, tuple(effects),
                      options)


def build_setup(spec: ScenarioSpec) -> Setup:
    """A core :class:`Setup` from a spec that passed :func:`check_meaning`."""
    people = [_person(p) for p in spec.people]
    index = {p.id: i for i, p in enumerate(people)}
    defaults = spec.relationships.defaults
    ties: dict[tuple[int, int], tuple[float, float]] = {}
    by_team: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        by_team.setdefault(p.team, []).append(i)
    if defaults.within_team is not None:
        d = defaults.within_team
        for members in by_team.values():
            for a, b in itertools.permutations(members, 2):
                ties[(a, b)] = (d.trust, d.strength)
    if defaults.cross_team is not None:
        d = defaults.cross_team
        for a, b in itertools.permutations(range(len(people)), 2):
            if people[a].team != people[b].team:
                ties[(a, b)] = (d.trust, d.strength)
    rep = defaults.reporting
    for i, p in enumerate(people):
        if p.manager is not None:
            m = index[p.manager]
            ties[(i, m)] = (rep.trust, rep.strength)
            ties[(m, i)] = (rep.trust, rep.strength)

    def kind_default(a: int, b: int) -> tuple[float, float]:
        if people[a].manager == people[b].id or people[b].manager == people[a].id:
            return rep.trust, rep.strength
        if people[a].team == people[b].team and defaults.within_team is not None:
            return defaults.within_team.trust, defaults.within_team.strength
        if people[a].team != people[b].team and defaults.cross_team is not None:
            return defaults.cross_team.trust, defaults.cross_team.strength
        return people[a].propensity, 0.5

    for tie in spec.relationships.ties:
        pairs = ([tie.mutual, (tie.mutual[1], tie.mutual[0])] if tie.mutual is not None
                 else [(tie.from_, tie.to)])
        for x, y in pairs:
            a, b = index[str(x)], index[str(y)]
            trust, strength = ties.get((a, b)) or kind_default(a, b)
            ties[(a, b)] = (tie.trust if tie.trust is not None else trust,
                            tie.strength if tie.strength is not None else strength)
    keys = sorted(ties)
    last = spec.turns
    return Setup(
        title=spec.title, language=spec.language, seed=spec.seed, turns=spec.turns,
        player=spec.player, capacity=spec.capacity,
        params=Params.from_overrides(
            spec.params.model_dump(exclude_none=True)),
        teams=[TeamSetup(t.id, t.name or t.id, t.description) for t in spec.teams],
        people=people,
        tie_src=np.fromiter((a for a, _ in keys), np.int32, len(keys)),
        tie_dst=np.fromiter((b for _, b in keys), np.int32, len(keys)),
        tie_trust=np.fromiter((ties[k][0] for k in keys), np.float64, len(keys)),
        tie_strength=np.fromiter((ties[k][1] for k in keys), np.float64, len(keys)),
        promises=[PromiseSetup(p.id, p.by, p.to, p.what, p.due) for p in spec.promises],
        events=[_event(e) for e in spec.events],
        objectives=[ObjectiveSetup(o.id, o.kind, o.text, o.by or last,
                                   getattr(o, "who", None),
                                   _float_or_none(getattr(o, "at_least", None)),
                                   getattr(o, "at_most", None))
                    for o in spec.objectives],
        debrief=list(spec.debrief), brief=spec.brief, summary=spec.summary,
        within_team=(TieDefaults(defaults.within_team.trust, defaults.within_team.strength)
                     if defaults.within_team is not None else None),
        reporting=TieDefaults(rep.trust, rep.strength),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
