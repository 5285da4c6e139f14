"""The player's acts: one function each, registered in :data:`ACTS`.

Each act declares the arguments it takes and a ``check`` that says, before anything moves,
why it cannot be done (the interface dims unavailable acts with that reason). ``apply``
changes the world through :meth:`World.direct` and returns an :class:`ActResult`.

Every act says which of the three bases of trust it moves (ability, benevolence,
integrity): its signals are triples in that order. Chance (a quick win falling flat) is a
draw fixed by the seed, the turn and how many times the act was done this turn
(:mod:`simulator.core.chance`), so undo cannot re-roll it; delegated work is settled at
the end of the turn (:func:`settle_task`), when its outcome happens in the story.

Adding an act means one function here and one ``@register`` line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .chance import draw
from .errors import ActNotAllowed
from .records import (
    ActResult,
    Cause,
    Promise,
    PromiseChanged,
    Record,
    TaskSettled,
    TieChanged,
    TraitChanged,
    TrustChanged,
)
from .world import Task, World

TargetKind = Literal["person", "report", "person_or_team", "promise", "own_promise", "pair",
                     "wronged"]


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
    """The declaration of one act: its name, what it targets and how it is explained.

    ``bases`` names the bases of trust the act moves, for the help and the docs.
    """

    name: str
    label: str
    summary: str
    target: TargetKind
    apply: Apply
    bases: tuple[str, ...] = ()


ACTS: dict[str, ActSpec] = {}


def register(name: str, label: str, target: TargetKind, summary: str,
             bases: tuple[str, ...] = ()) -> Callable[[Apply], Apply]:
    def decorate(fn: Apply) -> Apply:
        ACTS[name] = ActSpec(name, label, summary, target, fn, bases)
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


def _trait(world: World, person: int, trait: str, gain: float, cause: Cause) -> TraitChanged:
    values = getattr(world, trait)
    before = float(values[person])
    after = min(1.0, before + gain * (1.0 - before))
    values[person] = after
    return TraitChanged(world.ids[person], trait, before, after, cause)


def _pair(ctx: Context, args: ActArgs) -> tuple[int, int]:
    """The two people ``connect`` would bring together, or why not."""
    w = ctx.world
    if not args.target or not args.other:
        raise ActNotAllowed("connect needs two people", "missing_target")
    found = []
    for pid in (args.target, args.other):
        i = w.index.get(pid)
        if i is None:
            raise ActNotAllowed(f"there is nobody called {pid!r}", "unknown_person")
        found.append(i)
    a, b = found
    if a == b:
        raise ActNotAllowed("connect needs two different people", "same_person")
    if w.team[a] == w.team[b]:
        raise ActNotAllowed(f"{w.names[a]} and {w.names[b]} are in the same team; connect "
                            "bridges teams", "same_team")
    if w.manager[a] == b or w.manager[b] == a:
        raise ActNotAllowed(f"{w.names[a]} and {w.names[b]} already work together along a "
                            "reporting line; connect bridges peers", "reporting_line")
    return a, b


def _wronged(ctx: Context, pid: str | None) -> int:
    """Someone the actor's own failures have cost trust (whom an apology can reach)."""
    i = _person(ctx, pid)
    lost = ctx.world.damage.get((i, ctx.actor))
    if lost is None or sum(lost) <= 1e-9:
        raise ActNotAllowed(f"{ctx.world.names[i]} has nothing to forgive "
                            f"{ctx.world.names[ctx.actor]}", "nothing_to_apologise")
    return i


# -- the acts --------------------------------------------------------------------------------


@register("delegate", "Delegate", "report",
          "Hand a report real work. Being trusted lifts their trust in you at once; at the "
          "end of the turn the work comes back: success (likelier with competence and your "
          "support) raises trust both ways, failure without support reads as being set up "
          "to fail.", ("benevolence", "ability"))
def delegate(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _report(ctx, args.target)
    ordinal = w.count(ctx.actor, "delegate")
    cause = Cause("act", "delegate", w.ids[ctx.actor], w.ids[r], "handed over")
    changes = w.direct(r, ctx.actor, (0.0, p.delegate_signal, 0.0), cause)
    w.tasks.append(Task(w.ids[ctx.actor], w.ids[r], ctx.turn, ordinal))
    return ActResult("delegate", w.ids[ctx.actor], w.ids[r], ctx.turn, "handed over",
                     tuple(changes))


def task_chance(world: World, manager: int, report: int, turn: int) -> tuple[float, bool]:
    """The chance a task delegated by ``manager`` to ``report`` at ``turn`` succeeds, and
    whether the manager supported the report (coaching, or feedback that landed, this turn
    or the one before)."""
    p = world.params
    supported = world.support.get((manager, report), -10) >= turn - 1
    chance = (p.delegate_base + p.delegate_competence_weight * float(world.competence[report])
              + (p.delegate_support if supported else 0.0))
    return min(0.95, max(0.05, chance)), supported


def settle_task(world: World, task: Task
                ) -> tuple[list[TrustChanged], list[Record]]:
    """Something set in motion this turn is settled at its end: a quick win is delivered
    or falls flat (:func:`settle_quick_win`), delegated work comes back.

    Delegated work comes back at the end of its turn.

    Success: the manager's view of the report's ability rises (more if they already
    trusted them), the report credits the manager (and says so), competence grows.
    Failure: the manager's view of the report's ability falls; if the report had no
    support, they feel set up to fail, and their team hears it.
    """
    if task.act == "quick_win":
        return settle_quick_win(world, task)
    p = world.params
    m, r = world.index[task.manager], world.index[task.report]
    chance, supported = task_chance(world, m, r, task.turn)
    success = draw(world.seed, task.turn, "delegate", task.manager, task.ordinal) < chance
    detail = ("succeeded" if success else "failed" if supported
              else "failed without support")
    cause = Cause("task", "delegate", task.manager, task.report, detail)
    other: list[Record] = [TaskSettled(task.manager, task.report, task.turn,
                                       "succeeded" if success else "failed", chance,
                                       supported, cause)]
    if success:
        gain = p.delegate_success * (0.5 + world.trust_value(m, r))
        changes = world.direct(m, r, (gain, 0.0, 0.0), cause)
        credit = p.delegate_credit
        changes += world.direct(r, m, (0.5 * credit, credit, 0.0), cause)
        other.append(_trait(world, r, "competence", p.delegate_growth, cause))
    else:
        changes = world.direct(m, r, (-p.delegate_failure, 0.0, 0.0), cause)
        if not supported:
            blame = p.delegate_blame
            changes += world.direct(r, m, (-0.5 * blame, -blame, 0.0), cause, failure=True)
    return changes, other


def settle_quick_win(world: World, task: Task
                     ) -> tuple[list[TrustChanged], list[Record]]:
    """A quick win is delivered at the end of its turn, or falls flat (chance
    ``quick_win_flat x (1 - the actor's competence)``): delivered, each receiver gets half
    its signal on the actor's ability; flat, ``quick_win_flat_cost`` of it against their
    ability (a failure of the actor's that an apology can mend). The news spreads."""
    p = world.params
    actor = world.index[task.manager]
    flat_chance = p.quick_win_flat * (1.0 - float(world.competence[actor]))
    flat = draw(world.seed, task.turn, "quick_win", task.manager, task.ordinal) < flat_chance
    detail = "fell flat" if flat else "delivered"
    cause = Cause("task", "quick_win", task.manager, task.report, detail)
    changes: list[TrustChanged] = []
    for pid, s in zip(task.receivers, task.signals, strict=True):
        r = world.index[pid]
        if flat:
            changes += world.direct(r, actor, (-p.quick_win_flat_cost * s, 0.0, 0.0), cause,
                                    failure=True)
        else:
            changes += world.direct(r, actor, (0.5 * s, 0.0, 0.0), cause)
    return changes, [TaskSettled(task.manager, task.report, task.turn,
                                 "failed" if flat else "succeeded", 1.0 - flat_chance, False,
                                 cause, "quick_win")]


@register("quick_win", "Quick win", "person_or_team",
          "Deliver something tangible for a person or a whole team: goodwill now, and, "
          "when it is delivered at the end of the turn, competence shown. Strongest where "
          "trust is low; repeated on the same person it counts for less; it can fall flat "
          "(less often the more competent you are).", ("benevolence", "ability"))
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
    ordinal = w.count(ctx.actor, "quick_win")
    cause = Cause("act", "quick_win", w.ids[ctx.actor], args.target or "")
    changes = []
    signals = []
    for r in receivers:
        n = w.quick_wins.get((ctx.actor, r), 0)
        w.quick_wins[(ctx.actor, r)] = n + 1
        s = p.quick_win * share / (1.0 + p.quick_win_repeat * n)
        signals.append(s)
        changes += w.direct(r, ctx.actor, (0.0, s, 0.0), cause)
    w.tasks.append(Task(w.ids[ctx.actor], args.target or "", ctx.turn, ordinal, "quick_win",
                        tuple(w.ids[r] for r in receivers), tuple(signals)))
    return ActResult("quick_win", w.ids[ctx.actor], args.target or "", ctx.turn, "",
                     tuple(changes))


@register("feedback", "Give feedback", "person",
          "Tell someone honestly how their work lands. Where they trust you it helps them "
          "grow and shows your integrity, and the trust lasts; where trust is low it is "
          "heard as criticism, hurts, and leaves a mark.",
          ("integrity", "benevolence", "ability"))
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
    other: list[Record] = []
    if landed:
        # repeated on one person it wears off, like praise
        n = w.feedbacks.get((ctx.actor, r), 0.0)
        w.feedbacks[(ctx.actor, r)] = n + 1.0
        signal /= 1.0 + p.feedback_repeat * n
        changes = w.direct(r, ctx.actor, (0.5 * signal, 0.5 * signal, signal), cause)
        e = w.ensure_edge(r, ctx.actor)
        w.raise_anchor(e, p.feedback_anchor)
        gain = p.feedback_competence * float(w.openness[r])
        other.append(_trait(w, r, "competence", gain, cause))
        w.support[(ctx.actor, r)] = ctx.turn
    else:
        changes = w.direct(r, ctx.actor, (0.0, signal, 0.0), cause, scar=p.feedback_scar,
                           failure=True)
    return ActResult("feedback", w.ids[ctx.actor], w.ids[r], ctx.turn, outcome,
                     tuple(changes), tuple(other))


def break_cost(world: World, promise: Promise, turn: int, *, lapsed: bool) -> float:
    """The integrity signal (a positive size) of breaking ``promise`` at ``turn``.

    Letting it lapse costs ``promise_lapse`` times a broken promise; saying early that it
    cannot be kept costs less, the earlier the less: times
    ``1 - promise_early x (turns left / turns it ran)``.
    """
    p = world.params
    if lapsed:
        return p.promise_break * p.promise_lapse
    horizon = max(1, promise.due - promise.made)
    lead = max(0, promise.due - turn)
    return p.promise_break * (1.0 - p.promise_early * min(1.0, lead / horizon))


def break_promise_effect(world: World, promise: Promise, turn: int, cause: Cause,
                         *, lapsed: bool) -> tuple[list[TrustChanged], PromiseChanged]:
    """What breaking ``promise`` does, whether by the act or by letting it lapse: an
    integrity blow (benevolence takes a third) that scars, lowers the anchor, and travels
    far."""
    by, to = world.index[promise.by], world.index[promise.to]
    cost = break_cost(world, promise, turn, lapsed=lapsed)
    changes = world.direct(to, by, (0.0, -cost / 3.0, -cost), cause, scar=1.0, failure=True)
    first = changes[0]
    e = world.eid(to, by)
    assert e is not None
    world.lower_anchor(e, first.before - first.after)
    early = not lapsed and promise.due > turn
    settled = Promise(promise.id, promise.by, promise.to, promise.what, promise.due,
                      "broken", turn, promise.made, early)
    world.promises[promise.id] = settled
    return changes, PromiseChanged(settled, cause)


def keep_promise_effect(world: World, promise: Promise, turn: int,
                        cause: Cause) -> tuple[list[TrustChanged], PromiseChanged]:
    """What keeping ``promise`` does: integrity shown, and heard."""
    by, to = world.index[promise.by], world.index[promise.to]
    changes = world.direct(to, by, (0.0, 0.0, world.params.promise_keep), cause)
    settled = Promise(promise.id, promise.by, promise.to, promise.what, promise.due,
                      "kept", turn, promise.made)
    world.promises[promise.id] = settled
    return changes, PromiseChanged(settled, cause)


@register("break_promise", "Break a promise", "own_promise",
          "Say you cannot keep a promise. Integrity drops hard (several times a gain of the "
          "same size), the news travels far, and a scar slows every later gain; saying so "
          "early costs less than letting it lapse.", ("integrity", "benevolence"))
def break_promise(ctx: Context, args: ActArgs) -> ActResult:
    w = ctx.world
    promise = _open_promise(ctx, args.promise)
    early = promise.due > ctx.turn
    cause = Cause("act", "break_promise", w.ids[ctx.actor], promise.to,
                  "said early" if early else promise.id)
    changes, settled = break_promise_effect(w, promise, ctx.turn, cause, lapsed=False)
    return ActResult("break_promise", w.ids[ctx.actor], promise.to, ctx.turn, promise.id,
                     tuple(changes), (settled,))


@register("keep_promise", "Keep a promise", "own_promise",
          "Deliver what you promised. It shows integrity, and people hear about it. A "
          "promise counts once it has been open over an end of turn.", ("integrity",))
def keep_promise(ctx: Context, args: ActArgs) -> ActResult:
    w = ctx.world
    promise = _open_promise(ctx, args.promise)
    if promise.made >= ctx.turn:
        raise ActNotAllowed(f"promise {promise.id!r} was made this turn: a promise counts "
                            "once it has been open over an end of turn", "too_soon")
    cause = Cause("act", "keep_promise", w.ids[ctx.actor], promise.to, promise.id)
    changes, settled = keep_promise_effect(w, promise, ctx.turn, cause)
    return ActResult("keep_promise", w.ids[ctx.actor], promise.to, ctx.turn, promise.id,
                     tuple(changes), (settled,))


@register("make_promise", "Make a promise", "person",
          "Commit to something for someone, due in a few turns. A little goodwill now; "
          "keep it (from next turn) and it pays, break it and it costs.", ("benevolence",))
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
    promise = Promise(pid, w.ids[ctx.actor], w.ids[r], args.what or "a commitment", due,
                      made=ctx.turn)
    w.promises[pid] = promise
    cause = Cause("act", "make_promise", w.ids[ctx.actor], w.ids[r], pid)
    changes = w.direct(r, ctx.actor, (0.0, p.promise_make, 0.0), cause, spread=False)
    return ActResult("make_promise", w.ids[ctx.actor], w.ids[r], ctx.turn, pid,
                     tuple(changes), (PromiseChanged(promise, cause),))


@register("recognise", "Recognise", "person",
          "Appreciate someone's work in public. They trust you more (less each time, and "
          "less if they barely trust you) and their team thinks more of them; single the "
          "same person out again and the teammates passed over notice.", ("benevolence",))
def recognise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _person(ctx, args.target)
    n = w.recognitions.get((ctx.actor, r), 0.0)
    credibility = min(1.0, w.trust_value(r, ctx.actor) / p.recognise_credibility)
    signal = p.recognise / (1.0 + p.recognise_repeat * n) * credibility
    cause = Cause("act", "recognise", w.ids[ctx.actor], w.ids[r])
    changes = w.direct(r, ctx.actor, (0.0, signal, 0.0), cause)
    w.recognitions[(ctx.actor, r)] = n + 1.0
    mates = [m for m in w.members(int(w.team[r])) if m not in (r, ctx.actor)]
    for mate in mates:
        changes += w.direct(mate, r, (p.recognise_team, 0.0, 0.0), cause, spread=False,
                            mark_used=False)
    # singling out: teammates who were already recognised less than r before this one
    # notice (the least recognised first), the more the wider the gap; recognising people
    # in turn costs nothing
    passed = sorted((w.recognitions.get((ctx.actor, m), 0.0), w.ids[m], m) for m in mates)
    passed = [x for x in passed if n - x[0] > 1e-9][: int(p.recognise_envy_max)]
    if p.recognise_envy > 0:
        envy = Cause("act", "recognise", w.ids[ctx.actor], w.ids[r], "passed over")
        for count, _, mate in passed:
            gap = n - count
            changes += w.direct(mate, ctx.actor, (0.0, -p.recognise_envy * gap, 0.0), envy,
                                spread=False, mark_used=False)
    return ActResult("recognise", w.ids[ctx.actor], w.ids[r], ctx.turn, "", tuple(changes))


@register("coach", "Coach", "report",
          "A one-to-one on the report's growth: competence rises a little, trust a little "
          "now and more over the turns that follow; work you delegate to them goes better.",
          ("benevolence", "ability"))
def coach(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _report(ctx, args.target)
    cause = Cause("act", "coach", w.ids[ctx.actor], w.ids[r])
    changes = w.direct(r, ctx.actor, (0.5 * p.coach, p.coach, 0.0), cause)
    e = w.ensure_edge(r, ctx.actor)
    w.raise_anchor(e, p.coach_baseline)
    w.support[(ctx.actor, r)] = ctx.turn
    other = (_trait(w, r, "competence", p.coach_competence, cause),)
    return ActResult("coach", w.ids[ctx.actor], w.ids[r], ctx.turn, "", tuple(changes), other)


@register("connect", "Connect two people", "pair",
          "Bring two people from different teams together (peer support, an action-learning "
          "pair): their tie grows both ways and lasts, and their teams hear good things of "
          "the other side. The lever against silos.", ("benevolence", "ability"))
def connect(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    a, b = _pair(ctx, args)
    cause = Cause("act", "connect", w.ids[ctx.actor], f"{w.ids[a]}+{w.ids[b]}")
    other: list[Record] = []
    changes = []
    for x, y in ((a, b), (b, a)):
        e = w.ensure_edge(x, y)
        before = float(w.strength[e])
        after = min(1.0, before + p.connect_strength)
        w.set_strength(e, after)
        w.used[e] = True
        other.append(TieChanged(w.ids[x], w.ids[y], before, after, cause))
    for x, y in ((a, b), (b, a)):
        changes += w.direct(x, y, (p.connect_trust, p.connect_trust, 0.0), cause)
        e = w.ensure_edge(x, y)
        w.raise_anchor(e, p.connect_baseline)
    return ActResult("connect", w.ids[ctx.actor], f"{w.ids[a]}+{w.ids[b]}", ctx.turn, "",
                     tuple(changes), tuple(other))


@register("apologise", "Apologise", "wronged",
          "Own a failure to the person it let down. It repairs much of what a failure of "
          "competence cost (a quick win that fell flat, work you left unsupported) and "
          "little of what a broken promise cost.", ("ability", "benevolence", "integrity"))
def apologise(ctx: Context, args: ActArgs) -> ActResult:
    w, p = ctx.world, ctx.world.params
    r = _wronged(ctx, args.target)
    lost = w.damage.pop((r, ctx.actor))
    gains = (p.apology_ability * lost[0], p.apology_benevolence * lost[1],
             p.apology_integrity * lost[2])
    e = w.ensure_edge(r, ctx.actor)
    before, after, change = w.restore_bases(e, gains)
    w.used[e] = True
    cause = Cause("act", "apologise", w.ids[ctx.actor], w.ids[r])
    changes = (TrustChanged(w.ids[r], w.ids[ctx.actor], before, after, cause, change),)
    return ActResult("apologise", w.ids[ctx.actor], w.ids[r], ctx.turn, "", changes)
