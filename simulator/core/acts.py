"""The player's acts: one function each, registered in :data:`ACTS`.

Each act declares the arguments it takes and a ``check`` that says, before anything moves,
why it cannot be done (the interface dims unavailable acts with that reason). ``apply``
changes the world through :meth:`World.direct` and returns an :class:`ActResult`.

Adding an act means one function here and one ``@register`` line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .errors import ActNotAllowed
from .records import ActResult, Cause, Promise, PromiseChanged, Record, TieChanged, TraitChanged
from .world import World

TargetKind = Literal["person", "report", "person_or_team", "promise", "own_promise", "pair"]


@dataclass(frozen=True, slots=True)
class ActArgs:
    """Arguments of an act, resolved. Unused fields stay ``None``."""

    target: str | None = None
    other: str | None = None
    promise: str | None = None
    what: str | None = None
    due: int | None = None


@dataclass(frozen=True, slots=True)
class Context:
    world: World
    actor: int
    turn: int
    last_turn: int


Apply = Callable[[Context, ActArgs], ActResult]


@dataclass(frozen=True, slots=True)
class ActSpec:
    """The declaration of one act: its name, what it targets and how it is explained."""

    name: str
    label: str
    summary: str
    target: TargetKind
    apply: Apply


ACTS: dict[str, ActSpec] = {}


def register(name: str, label: str, target: TargetKind, summary: str) -> Callable[[Apply], Apply]:
    def decorate(fn: Apply) -> Apply:
        ACTS[name] = ActSpec(name, label, summary, target, fn)
        return fn
    return decorate


# -- argument checks (shared by check and apply) -------------------------------------------


def _person(ctx: Context, pid: str | None) -> int:
    if not pid:
        raise ActNotAllowed("this act needs a person to act on", "missing_target")
    i = ctx.world.index.get(pid)
    if i is None:
        raise ActNotAllowed(f"there is nobody called {pid!r}", "unknown_person")
    if i == ctx.actor:
        raise ActNotAllowed("you cannot do this to yourself", "self_target")
    return i


def _report(ctx: Context, pid: str | None) -> int:
    i = _person(ctx, pid)
    if ctx.world.manager[i] != ctx.actor:
        raise ActNotAllowed(f"{ctx.world.names[i]} does not report to "
                            f"{ctx.world.names[ctx.actor]}", "not_a_report")
    return i


def _open_promise(ctx: Context, promise_id: str | None) -> Promise:
    if not promise_id:
        raise ActNotAllowed("this act needs a promise", "missing_promise")
    promise = ctx.world.promises.get(promise_id)
    if promise is None:
        raise ActNotAllowed(f"there is no promise {promise_id!r}", "unknown_promise")
    if promise.by != ctx.world.ids[ctx.actor]:
        raise ActNotAllowed(f"promise {promise_id!r} was not made by "
                            f"{ctx.world.names[ctx.actor]}", "not_your_promise")
    if promise.status != "open":
        raise ActNotAllowed(f"promise {promise_id!r} is already {promise.status}",
                            "promise_settled")
    return promise


def _settle(ctx: Context, promise: Promise, status: Literal["kept", "broken"],
            cause: Cause) -> PromiseChanged:
    settled = Promise(promise.id, promise.by, promise.to, promise.what, promise.due,
                      status, ctx.turn)
    ctx.world.promises[promise.id] = settled
    return PromiseChanged(settled, cause)


def _trait(ctx: Context, person: int, trait: str, gain: float, cause: Cause) -> TraitChanged:
    values = getattr(ctx.world, trait)
    before = float(values[person])
    after = min(1.0, before + gain * (1.0 - before))
    values[person] = after
    return TraitChanged(ctx.world.ids[person], trait, before, after, cause)


# -- the acts --------------------------------------------------------------------------------


@register("delegate", "Delegate", "report",
          "Hand a report real work. Being trusted lifts their trust in you; the outcome "
          "(likelier with competence) moves your trust in them.")
def delegate(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _report(ctx, args.target)
    chance = min(0.95, max(0.05, p.delegate_base + p.delegate_competence_weight * w.competence[r]))
    success = w.rng.random() < chance
    outcome = "succeeded" if success else "failed"
    cause = Cause("act", "delegate", w.ids[ctx.actor], w.ids[r], outcome)
    changes = w.direct(r, ctx.actor, p.delegate_signal, cause)
    signal = p.delegate_success if success else -p.delegate_failure
    changes += w.direct(ctx.actor, r, signal, cause)
    other: list[Record] = []
    if success:
        other.append(_trait(ctx, r, "competence", p.delegate_growth, cause))
    return ActResult("delegate", w.ids[ctx.actor], w.ids[r], ctx.turn, outcome,
                     tuple(changes), tuple(other))


@register("quick_win", "Quick win", "person_or_team",
          "Deliver something tangible for a person or a whole team. Strongest where trust "
          "is low; repeated on the same person it counts for less.")
def quick_win(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    if args.target and args.target in w.team_index and args.target not in w.index:
        team = w.team_index[args.target]
        receivers = [i for i in w.members(team) if i != ctx.actor]
        if not receivers:
            raise ActNotAllowed(f"team {args.target!r} has nobody else in it", "empty_team")
        share = p.quick_win_team_share
    else:
        receivers = [_person(ctx, args.target)]
        share = 1.0
    cause = Cause("act", "quick_win", w.ids[ctx.actor], args.target or "")
    changes = []
    for r in receivers:
        n = w.quick_wins.get((ctx.actor, r), 0)
        w.quick_wins[(ctx.actor, r)] = n + 1
        signal = p.quick_win * share / (1.0 + p.quick_win_repeat * n)
        changes += w.direct(r, ctx.actor, signal, cause)
    return ActResult("quick_win", w.ids[ctx.actor], args.target or "", ctx.turn, "",
                     tuple(changes))


@register("feedback", "Give feedback", "person",
          "Tell someone honestly how their work lands. Where they trust you it helps them "
          "grow; where trust is low it is heard as criticism.")
def feedback(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _person(ctx, args.target)
    trust_in_giver = w.trust_value(r, ctx.actor)
    receptivity = trust_in_giver + p.feedback_openness * (float(w.openness[r]) - 0.5)
    landed = receptivity >= p.feedback_threshold
    signal = p.feedback * (receptivity - p.feedback_threshold) * 2.0
    signal = max(-p.feedback, min(p.feedback, signal))
    outcome = "landed well" if landed else "backfired"
    cause = Cause("act", "feedback", w.ids[ctx.actor], w.ids[r], outcome)
    changes = w.direct(r, ctx.actor, signal, cause)
    other: list[Record] = []
    if landed:
        gain = p.feedback_competence * float(w.openness[r])
        other.append(_trait(ctx, r, "competence", gain, cause))
    return ActResult("feedback", w.ids[ctx.actor], w.ids[r], ctx.turn, outcome,
                     tuple(changes), tuple(other))


@register("break_promise", "Break a promise", "own_promise",
          "Let a promise go. Trust drops hard (several times a gain of the same size), "
          "the news travels far, and a scar slows later gains.")
def break_promise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    promise = _open_promise(ctx, args.promise)
    receiver = w.index[promise.to]
    cause = Cause("act", "break_promise", w.ids[ctx.actor], promise.to, promise.id)
    changes = w.direct(receiver, ctx.actor, -p.promise_break, cause, scar=True)
    settled = _settle(ctx, promise, "broken", cause)
    return ActResult("break_promise", w.ids[ctx.actor], promise.to, ctx.turn, promise.id,
                     tuple(changes), (settled,))


@register("keep_promise", "Keep a promise", "own_promise",
          "Deliver what you promised. It shows integrity, and people hear about it.")
def keep_promise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    promise = _open_promise(ctx, args.promise)
    receiver = w.index[promise.to]
    cause = Cause("act", "keep_promise", w.ids[ctx.actor], promise.to, promise.id)
    changes = w.direct(receiver, ctx.actor, p.promise_keep, cause)
    settled = _settle(ctx, promise, "kept", cause)
    return ActResult("keep_promise", w.ids[ctx.actor], promise.to, ctx.turn, promise.id,
                     tuple(changes), (settled,))


@register("make_promise", "Make a promise", "person",
          "Commit to something for someone, due in a few turns. A little trust now; "
          "keep it and it pays, break it and it costs.")
def make_promise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _person(ctx, args.target)
    due = ctx.turn + int(p.promise_due_default) if args.due is None else args.due
    if due < ctx.turn:
        raise ActNotAllowed(f"a promise cannot fall due in the past (turn {due})", "bad_due")
    if due > ctx.last_turn:
        raise ActNotAllowed(f"turn {due} is after the last turn ({ctx.last_turn})", "bad_due")
    w.promise_counter += 1
    pid = f"m{w.promise_counter}"
    while pid in w.promises:
        w.promise_counter += 1
        pid = f"m{w.promise_counter}"
    promise = Promise(pid, w.ids[ctx.actor], w.ids[r], args.what or "a commitment", due)
    w.promises[pid] = promise
    cause = Cause("act", "make_promise", w.ids[ctx.actor], w.ids[r], pid)
    changes = w.direct(r, ctx.actor, p.promise_make, cause, spread=False)
    return ActResult("make_promise", w.ids[ctx.actor], w.ids[r], ctx.turn, pid,
                     tuple(changes), (PromiseChanged(promise, cause),))


@register("recognise", "Recognise", "person",
          "Appreciate someone's work in public. They trust you more, and their team sees it.")
def recognise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _person(ctx, args.target)
    cause = Cause("act", "recognise", w.ids[ctx.actor], w.ids[r])
    changes = w.direct(r, ctx.actor, p.recognise, cause)
    for mate in w.members(int(w.team[r])):
        if mate not in (r, ctx.actor):
            changes += w.direct(mate, r, p.recognise_team, cause, spread=False,
                                mark_used=False)
    return ActResult("recognise", w.ids[ctx.actor], w.ids[r], ctx.turn, "", tuple(changes))


@register("coach", "Coach", "report",
          "A one-to-one on the report's growth: competence rises a little, trust a little "
          "now and more over the turns that follow.")
def coach(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _report(ctx, args.target)
    cause = Cause("act", "coach", w.ids[ctx.actor], w.ids[r])
    changes = w.direct(r, ctx.actor, p.coach, cause)
    e = w.ensure_edge(r, ctx.actor)
    w.baseline[e] = min(1.0, float(w.baseline[e]) + p.coach_baseline)
    other = (_trait(ctx, r, "competence", p.coach_competence, cause),)
    return ActResult("coach", w.ids[ctx.actor], w.ids[r], ctx.turn, "", tuple(changes), other)


@register("connect", "Connect two people", "pair",
          "Bring two people from different teams together (peer support, an action-learning "
          "pair): their tie grows both ways and lasts, and their teams hear good things of "
          "the other side. The lever against silos.")
def connect(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    if not args.target or not args.other:
        raise ActNotAllowed("connect needs two people", "missing_target")
    a = w.index.get(args.target)
    b = w.index.get(args.other)
    for pid, i in ((args.target, a), (args.other, b)):
        if i is None:
            raise ActNotAllowed(f"there is nobody called {pid!r}", "unknown_person")
    assert a is not None and b is not None
    if a == b:
        raise ActNotAllowed("connect needs two different people", "same_person")
    if w.team[a] == w.team[b]:
        raise ActNotAllowed(f"{w.names[a]} and {w.names[b]} are in the same team; connect "
                            "bridges teams", "same_team")
    cause = Cause("act", "connect", w.ids[ctx.actor], f"{w.ids[a]}+{w.ids[b]}")
    other: list[Record] = []
    changes = []
    for x, y in ((a, b), (b, a)):
        e = w.ensure_edge(x, y)
        before = float(w.strength[e])
        after = min(1.0, before + p.connect_strength)
        w.strength[e] = after
        w.used[e] = True
        other.append(TieChanged(w.ids[x], w.ids[y], before, after, cause))
        changes += w.direct(x, y, p.connect_trust, cause)
        w.baseline[e] = min(1.0, float(w.baseline[e]) + p.connect_baseline)
    return ActResult("connect", w.ids[ctx.actor], f"{w.ids[a]}+{w.ids[b]}", ctx.turn, "",
                     tuple(changes), tuple(other))
