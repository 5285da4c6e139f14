"""What events and dilemma options do to the world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .records import Cause, Promise, PromiseChanged, Record, TieChanged, TrustChanged
from .setup import (
    CapacityEffect,
    Effect,
    HireEffect,
    MoveEffect,
    PromiseEffect,
    TieEffect,
    TrustEffect,
)
from .world import World

PLAYER = "player"
EVERYONE = "*"


@dataclass(slots=True)
class Applied:
    changes: list[TrustChanged] = field(default_factory=list)
    other: list[Record] = field(default_factory=list)
    capacity: int = 0


def resolve_group(world: World, ref: str, player: int) -> list[int]:
    """People named by ``ref``: a person id, a team id, ``player`` or ``*`` (everyone)."""
    if ref == PLAYER:
        return [player]
    if ref == EVERYONE:
        return list(range(world.n_people))
    if ref in world.index:
        return [world.index[ref]]
    if ref in world.team_index:
        return world.members(world.team_index[ref])
    return []


def settle_promise(world: World, promise: Promise, status: str, turn: int,
                   cause: Cause) -> tuple[list[TrustChanged], PromiseChanged]:
    """Keep or break ``promise`` on behalf of whoever made it."""
    p = world.params
    by, to = world.index[promise.by], world.index[promise.to]
    if status == "kept":
        changes = world.direct(to, by, p.promise_keep, cause)
    else:
        changes = world.direct(to, by, -p.promise_break, cause, scar=True)
    settled = Promise(promise.id, promise.by, promise.to, promise.what, promise.due,
                      "kept" if status == "kept" else "broken", turn)
    world.promises[promise.id] = settled
    return changes, PromiseChanged(settled, cause)


def apply_effects(world: World, effects: Sequence[Effect], player: int, turn: int,
                  cause: Cause) -> Applied:
    out = Applied()
    for effect in effects:
        if isinstance(effect, TrustEffect):
            whos = resolve_group(world, effect.who, player)
            ins = resolve_group(world, effect.in_, player)
            for a in whos:
                for b in ins:
                    if a == b or (effect.in_ == EVERYONE and world.team[a] == world.team[b]):
                        continue
                    out.changes += world.direct(a, b, effect.by, cause, spread=effect.spread,
                                                mark_used=False)
        elif isinstance(effect, PromiseEffect):
            promise = world.promises.get(effect.promise)
            if promise is not None and promise.status == "open":
                status = "kept" if effect.outcome == "keep" else "broken"
                changes, record = settle_promise(world, promise, status, turn, cause)
                out.changes += changes
                out.other.append(record)
        elif isinstance(effect, CapacityEffect):
            out.capacity += effect.by
        elif isinstance(effect, TieEffect):
            left = set(resolve_group(world, effect.between, player))
            right = set(resolve_group(world, effect.and_, player))
            for a in sorted(left | right):
                for b, e in world.adjacency.out_edges(a):
                    if not ((a in left and b in right) or (a in right and b in left)):
                        continue
                    before = float(world.strength[e])
                    after = min(1.0, before * effect.factor)
                    if after != before:
                        world.strength[e] = after
                        out.other.append(TieChanged(world.ids[a], world.ids[b], before,
                                                    after, cause))
        elif isinstance(effect, MoveEffect):
            who = world.index[effect.person]
            team = world.team_index[effect.team]
            manager = world.index[effect.manager] if effect.manager else None
            world.move_person(who, team, manager)
        elif isinstance(effect, HireEffect):
            world.add_person(effect.person)
    return out
