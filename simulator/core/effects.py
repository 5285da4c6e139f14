"""What events and dilemma options do to the world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from .acts import break_promise_effect, keep_promise_effect
from .records import Cause, Record, TieChanged, TrustChanged
from .setup import (
    CapacityEffect,
    Effect,
    HireEffect,
    MoveEffect,
    PromiseEffect,
    TieEffect,
    TrustEffect,
)
from .world import BASES, Signal, World

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


def signal_of(effect: TrustEffect) -> Signal:
    """The signal of a trust effect on the three bases: its ``base`` alone, or all three."""
    if effect.base is None:
        return (effect.by, effect.by, effect.by)
    return cast(Signal, tuple(effect.by if name == effect.base else 0.0 for name in BASES))


def apply_effects(world: World, effects: Sequence[Effect], player: int, turn: int,
                  cause: Cause) -> Applied:
    out = Applied()
    cushion = world.params.crisis_cushion
    for effect in effects:
        if isinstance(effect, TrustEffect):
            whos = resolve_group(world, effect.who, player)
            ins = resolve_group(world, effect.in_, player)
            signal = signal_of(effect)
            for a in whos:
                for b in ins:
                    if a == b or (effect.in_ == EVERYONE and world.team[a] == world.team[b]):
                        continue
                    s = signal
                    if effect.by < 0 and cushion > 0:
                        # strong friendships cushion a blow (Krackhardt and Stern 1988)
                        e = world.eid(a, b)
                        if e is not None:
                            k = 1.0 - cushion * float(world.strength[e] * world.trust[e])
                            s = (s[0] * k, s[1] * k, s[2] * k)
                    out.changes += world.direct(a, b, s, cause, spread=effect.spread,
                                                mark_used=False)
        elif isinstance(effect, PromiseEffect):
            promise = world.promises.get(effect.promise)
            if promise is not None and promise.status == "open":
                if effect.outcome == "keep":
                    changes, record = keep_promise_effect(world, promise, turn, cause)
                else:
                    changes, record = break_promise_effect(world, promise, turn, cause,
                                                           lapsed=False)
                out.changes += changes
                out.other.append(record)
        elif isinstance(effect, CapacityEffect):
            out.capacity += effect.by
        elif isinstance(effect, TieEffect):
            left = set(resolve_group(world, effect.between, player))
            right = set(resolve_group(world, effect.and_, player))
            for a in sorted(left | right):
                if effect.add > 0:
                    pairs = [(b, world.ensure_edge(a, b)) for b in sorted(
                        (right if a in left else set()) | (left if a in right else set()))
                        if b != a]
                else:
                    pairs = [(b, e) for b, e in world.adjacency.out_edges(a)
                             if (a in left and b in right) or (a in right and b in left)]
                for b, e in pairs:
                    before = float(world.strength[e])
                    after = min(1.0, before * effect.factor + effect.add)
                    if after != before:
                        world.set_strength(e, after)
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
