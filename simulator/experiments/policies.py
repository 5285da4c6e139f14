"""Policies: how the organisation's other managers act, turn by turn, in a lab run.

A strategy plays the player; a policy plays every manager it is given. Each turn, each
manager with a policy does up to ``capacity`` acts, through the same act registry and
rules as the player (``game.execute`` with ``actor``), in an order drawn afresh each turn.
``--policy build_bridges=0.3,keep_promises=0.7`` gives 30% of the managers (other than
the player) one policy and 70% the other; who gets which is drawn from the run's seed, so
replicates of a sweep differ honestly, and the rest do nothing. Every choice a policy
makes (whom to coach, which two people to connect) comes from the run's seeded streams.

Register your own in a few lines::

    from simulator.experiments.policies import Policy, register_policy

    @register_policy("praise", "Recognise a report drawn at random.", acts=("recognise",))
    class Praise(Policy):
        def next(self, game, manager, rng):
            reports = self.reports(game, manager)
            if not reports:
                return None
            target = game.world.ids[reports[int(rng.integers(len(reports)))]]
            return self.command(game, "recognise", manager, target)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..core.chance import numpy_stream
from ..core.errors import ActNotAllowed
from ..core.records import ActResult
from ..core.simulation import Command, Simulation


class Policy:
    """How one manager acts. Override :meth:`next`; it is called up to ``capacity``
    times a turn and returns a command (with ``actor`` set) or ``None`` to stop."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    acts: ClassVar[tuple[str, ...]] = ()

    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        return None

    # helpers for policies ---------------------------------------------------------------

    @staticmethod
    def command(game: Simulation, act: str, manager: int, target: str | None = None,
                **extra: Any) -> Command:
        """An act command done by ``manager`` (a person index)."""
        return _command(act, game.world.ids[manager], target, **extra)

    @staticmethod
    def reports(game: Simulation, manager: int) -> list[int]:
        """The manager's direct reports (cached per run: reporting lines do not move)."""
        cache: dict[int, list[int]] = game.__dict__.setdefault("_policy_reports", {})
        found = cache.get(manager)
        if found is None:
            found = game.world.reports(manager)
            cache[manager] = found
        return found


def _command(act: str, actor: str, target: str | None = None, **extra: Any) -> Command:
    cmd: Command = {"do": "act", "act": act, "actor": actor}
    if target is not None:
        cmd["target"] = target
    cmd.update({k: v for k, v in extra.items() if v is not None})
    return cmd


POLICIES: dict[str, type[Policy]] = {}


def register_policy(name: str, summary: str, *, acts: tuple[str, ...]
                    ) -> Callable[[type[Policy]], type[Policy]]:
    """Register a policy class under ``name`` (what it does, which acts it uses)."""
    def decorate(cls: type[Policy]) -> type[Policy]:
        cls.name, cls.summary, cls.acts = name, summary, acts
        POLICIES[name] = cls
        return cls
    return decorate


def _pick(rng: np.random.Generator, items: Sequence[int]) -> int:
    return int(items[int(rng.integers(len(items)))])


@register_policy("build_bridges",
                 "Connect someone of their team with someone of another team, both drawn at "
                 "random, each act (a pair already joined strongly is skipped).",
                 acts=("connect",))
class BuildBridges(Policy):
    tries: ClassVar[int] = 8

    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        w = game.world
        team = int(w.team[manager])
        mine = [m for m in w.members(team) if m != manager] or [manager]
        n = w.n_people
        for _ in range(self.tries):
            a = _pick(rng, mine)
            b = int(rng.integers(n))
            if int(w.team[b]) == team or w.manager[a] == b or w.manager[b] == a:
                continue
            e = w.eid(a, b)
            if e is not None and float(w.strength[e]) >= 0.5:
                continue
            return _command("connect", w.ids[manager], w.ids[a], other=w.ids[b])
        return None


@register_policy("keep_promises",
                 "Keep every promise that falls due, then promise a report drawn at random "
                 "something due next turn.", acts=("keep_promise", "make_promise"))
class KeepPromises(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        due = _own_promises(game, manager, due_by=game.turn)
        if due:
            return _command("keep_promise", game.world.ids[manager], promise=due[0])
        return _promise(game, manager, rng)


@register_policy("break_promises",
                 "Promise a report drawn at random something due next turn, then break "
                 "every promise that falls due.", acts=("make_promise", "break_promise"))
class BreakPromises(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        due = _own_promises(game, manager, due_by=game.turn)
        if due:
            return _command("break_promise", game.world.ids[manager], promise=due[0])
        return _promise(game, manager, rng)


@register_policy("delegate_supported",
                 "Coach a report drawn at random, then delegate to them (support first).",
                 acts=("coach", "delegate"))
class DelegateSupported(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        reports = self.reports(game, manager)
        if not reports:
            return None
        w = game.world
        coached = game.__dict__.setdefault("_policy_coached", {})
        r = coached.pop(manager, None)
        if r is not None:
            return _command("delegate", w.ids[manager], w.ids[r])
        r = _pick(rng, reports)
        coached[manager] = r
        return _command("coach", w.ids[manager], w.ids[r])


@register_policy("delegate_unsupported",
                 "Delegate to a report drawn at random, without coaching first.",
                 acts=("delegate",))
class DelegateUnsupported(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        reports = self.reports(game, manager)
        if not reports:
            return None
        return _command("delegate", game.world.ids[manager],
                        game.world.ids[_pick(rng, reports)])


@register_policy("quick_wins", "A quick win for the whole team each act.",
                 acts=("quick_win",))
class QuickWins(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        w = game.world
        return _command("quick_win", w.ids[manager], w.team_ids[int(w.team[manager])])


@register_policy("recognise", "Recognise a report drawn at random each act.",
                 acts=("recognise",))
class Recognise(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        reports = self.reports(game, manager)
        if not reports:
            return None
        return _command("recognise", game.world.ids[manager],
                        game.world.ids[_pick(rng, reports)])


@register_policy("feedback", "Give feedback to a report drawn at random each act.",
                 acts=("feedback",))
class Feedback(Policy):
    def next(self, game: Simulation, manager: int, rng: np.random.Generator
             ) -> Command | None:
        reports = self.reports(game, manager)
        if not reports:
            return None
        return _command("feedback", game.world.ids[manager],
                        game.world.ids[_pick(rng, reports)])


def _own_promises(game: Simulation, manager: int, *, due_by: int) -> list[str]:
    """Open promises of ``manager`` due by ``due_by`` that can be settled now."""
    book: dict[int, list[str]] = game.__dict__.setdefault("_policy_promises", {})
    open_ids = [pid for pid in book.get(manager, ())
                if game.world.promises[pid].status == "open"]
    book[manager] = open_ids
    return [pid for pid in open_ids
            if game.world.promises[pid].due <= due_by
            and game.world.promises[pid].made < game.turn]


def _promise(game: Simulation, manager: int, rng: np.random.Generator) -> Command | None:
    reports = Policy.reports(game, manager)
    if not reports or game.turn >= game.turns:
        return None
    w = game.world
    return _command("make_promise", w.ids[manager], w.ids[_pick(rng, reports)],
                    due=game.turn + 1, what="a commitment")


def parse_policies(text: str) -> tuple[tuple[str, float], ...]:
    """``build_bridges=0.3,keep_promises=0.7`` as ``(name, share)`` pairs, checked.

    >>> parse_policies("build_bridges=0.3, keep_promises=0.7")
    (('build_bridges', 0.3), ('keep_promises', 0.7))
    >>> parse_policies("build_bridges")
    (('build_bridges', 1.0),)
    """
    found: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, eq, value = part.partition("=")
        name = name.strip()
        if name not in POLICIES:
            raise ValueError(f"unknown policy {name!r} (known: {', '.join(POLICIES)})")
        try:
            share = float(value) if eq else 1.0
        except ValueError:
            raise ValueError(f"{part!r}: the share of managers must be a number between "
                             "0 and 1") from None
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{part!r}: the share of managers must be between 0 and 1")
        if name in found:
            raise ValueError(f"policy {name!r} is given twice")
        found[name] = share
    if not found:
        raise ValueError("--policy: expected NAME=SHARE[,NAME=SHARE...], e.g. "
                         "build_bridges=0.3")
    if sum(found.values()) > 1.0 + 1e-9:
        raise ValueError(f"the shares add up to {sum(found.values()):g}: they are shares of "
                         "the managers, at most 1 in all")
    return tuple(found.items())


def managers(game: Simulation) -> list[int]:
    """Everyone who has a report, except the player (whose play is the strategy's)."""
    w = game.world
    bosses = np.unique(w.manager[w.manager >= 0])
    return [int(m) for m in bosses if int(m) != game.player]


def assign_policies(game: Simulation, shares: Sequence[tuple[str, float]], seed: int
                    ) -> dict[int, str]:
    """Which manager acts by which policy (index -> name), drawn from the run's ``seed``:
    each policy's share of :func:`managers`, rounded so that the counts add up."""
    everyone = managers(game)
    rng = numpy_stream(seed, "policy assignment")
    order = [everyone[i] for i in rng.permutation(len(everyone))]
    counts = _apportion([share for _, share in shares], len(everyone))
    assignment: dict[int, str] = {}
    start = 0
    for (name, _), count in zip(shares, counts, strict=True):
        for m in order[start:start + count]:
            assignment[m] = name
        start += count
    return assignment


@dataclass
class PolicyRunner:
    """Lets the managers act by their policies each turn (call :meth:`play_turn` before
    every end of turn). ``assignment`` maps each acting manager to a policy name."""

    game: Simulation
    shares: Sequence[tuple[str, float]]
    seed: int
    capacity: int | None = None
    assignment: dict[int, str] = field(init=False)
    acts_done: int = field(init=False, default=0)
    refused: int = field(init=False, default=0)
    on_result: Callable[[ActResult], None] | None = None

    def __post_init__(self) -> None:
        self.assignment = assign_policies(self.game, self.shares, self.seed)
        self._policies = {name: POLICIES[name]() for name, _ in self.shares}
        self._taken = 0
        if self.capacity is not None:
            self.game.others_capacity = self.capacity

    def before_end(self, game: Simulation) -> None:
        """The hook :func:`~.strategies.play_strategy` calls before each end of turn."""
        self.play_turn()

    def take_acts(self) -> int:
        """Acts the managers did since the last call."""
        done, self._taken = self.acts_done - self._taken, self.acts_done
        return done

    def play_turn(self) -> None:
        game = self.game
        if game.over or not self.assignment:
            return
        acting = sorted(self.assignment)
        rng = numpy_stream(self.seed, "policy turn", game.turn)
        capacity = game.others_capacity
        for m in (acting[i] for i in rng.permutation(len(acting))):
            policy = self._policies[self.assignment[m]]
            for _ in range(capacity):
                if game.pending or game.over:
                    return
                cmd = policy.next(game, m, rng)
                if cmd is None:
                    break
                try:
                    result = game.execute(cmd)
                except ActNotAllowed:
                    self.refused += 1
                    continue
                self.acts_done += 1
                if isinstance(result, ActResult):
                    if result.act == "make_promise":  # what keep/break_promises look up
                        book = game.__dict__.setdefault("_policy_promises", {})
                        book.setdefault(m, []).append(result.outcome)
                    if self.on_result is not None:
                        self.on_result(result)


def _apportion(shares: Sequence[float], total: int) -> list[int]:
    """Whole counts of ``total`` for each share, by largest remainder (never above the
    total).

    >>> _apportion([0.3, 0.7], 10), _apportion([0.5, 0.5], 3), _apportion([0.25], 10)
    ([3, 7], [2, 1], [3])
    """
    exact = [s * total for s in shares]
    counts = [int(x) for x in exact]
    target = min(total, round(sum(exact)))
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: max(0, target - sum(counts))]:
        counts[i] += 1
    return counts


def policy_label(shares: Sequence[tuple[str, float]]) -> str:
    """How a table names the policies of a run: ``build_bridges=0.3``, or ``none``.

    >>> policy_label([("build_bridges", 0.3), ("keep_promises", 0.7)]), policy_label([])
    ('build_bridges=0.3,keep_promises=0.7', 'none')
    """
    return ",".join(f"{name}={share:g}" for name, share in shares) or "none"


def policy_table() -> list[Mapping[str, str]]:
    """Every registered policy: name, what it does, which acts it uses (for the docs)."""
    return [{"policy": cls.name, "does": cls.summary, "acts": ", ".join(cls.acts)}
            for cls in POLICIES.values()]


def policies_markdown() -> str:
    """The table of policies in docs/lab.md (a test keeps the two equal)."""
    lines = ["| policy | what each manager does | acts |", "| --- | --- | --- |"]
    for row in policy_table():
        acts = ", ".join(f"`{a}`" for a in row["acts"].split(", "))
        lines.append(f"| `{row['policy']}` | {row['does']} | {acts} |")
    return "\n".join(lines) + "\n"


__all__ = ["POLICIES", "Policy", "PolicyRunner", "managers", "parse_policies",
           "policies_markdown", "policy_label", "policy_table", "register_policy"]
