"""Strategies: small, registered policies that play a game without a person.

A strategy looks at the game and returns the next command: an act, or ``None`` to end
the turn. Dilemmas are answered by :meth:`Strategy.choose` (first option by default).
Register your own in a few lines::

    from simulator.experiments.strategies import Strategy, register

    @register("praise_everyone", "Recognise the least trusting person each time.")
    class PraiseEveryone(Strategy):
        def next(self, game, rng):
            people = game.targets("recognise")
            return {"do": "act", "act": "recognise",
                    "target": min(people, key=lambda p: game.trust(p, "player"))}

``play_strategy(game, "praise_everyone", seed=1)`` then plays a whole game with it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..core.errors import ActNotAllowed
from ..core.simulation import Command, Simulation
from .script import parse_script


class Strategy:
    """Base class: override :meth:`next` (and :meth:`choose` for dilemmas).

    ``exploit`` marks strategies that play the rules rather than the lesson (spamming one
    act, trying everything with undo): a scenario is balanced when none of them wins more
    often than its reference solution. ``chooses`` marks strategies that answer dilemmas
    themselves; ``balance`` plays the others under every combination of options.
    ``needs_undo`` asks for a game that can take acts back.
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    exploit: ClassVar[bool] = False
    chooses: ClassVar[bool] = False
    needs_undo: ClassVar[bool] = False

    def __init__(self, **options: Any) -> None:
        self.options = options

    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        """The next command this turn, or ``None`` to end the turn."""
        return None

    def choose(self, game: Simulation, event: str, options: Sequence[str],
               rng: random.Random) -> str:
        return options[0]


STRATEGIES: dict[str, type[Strategy]] = {}


def register(name: str, summary: str, *, exploit: bool = False
             ) -> Callable[[type[Strategy]], type[Strategy]]:
    def decorate(cls: type[Strategy]) -> type[Strategy]:
        cls.name = name
        cls.summary = summary
        cls.exploit = exploit
        STRATEGIES[name] = cls
        return cls
    return decorate


def _act(act: str, target: str | None = None, **extra: Any) -> Command:
    cmd: Command = {"do": "act", "act": act}
    if target is not None:
        cmd["target"] = target
    cmd.update({k: v for k, v in extra.items() if v is not None})
    return cmd


def _lowest_trust(game: Simulation, people: Sequence[str]) -> str | None:
    candidates = [p for p in people if p in game.world.index]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (game.trust(p, "player"), p))


def _team_and_reports(game: Simulation) -> list[str]:
    w = game.world
    own = set(w.members(int(w.team[game.player]))) | set(w.reports(game.player))
    own.discard(game.player)
    return [w.ids[i] for i in sorted(own)]


@register("do_nothing", "End every turn without acting.")
class DoNothing(Strategy):
    pass


@register("quick_wins", "A quick win each act for whoever in your team trusts you least.",
          exploit=True)
class QuickWins(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        target = _lowest_trust(game, _team_and_reports(game) or game.targets("quick_win"))
        return _act("quick_win", target) if target else None


@register("delegate_competent", "Delegate to your most competent report; quick wins if none.")
class DelegateCompetent(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        w = game.world
        reports = w.reports(game.player)
        if not reports:
            return QuickWins().next(game, rng)
        best = max(reports, key=lambda i: (float(w.competence[i]), -i))
        return _act("delegate", w.ids[best])


@register("build_bridges", "Connect people across teams, weakest cross-team tie first.")
class BuildBridges(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        w = game.world
        if len(w.team_ids) < 2:
            return QuickWins().next(game, rng)
        mine = [i for i in w.members(int(w.team[game.player])) if i != game.player] \
            or [game.player]
        best = weakest_bridge(game, mine, exclude=game.player)
        if best is None:
            return None
        return _act("connect", w.ids[best[0]], other=w.ids[best[1]])


def weakest_bridge(game: Simulation, people: Sequence[int], *, exclude: int | None = None
                   ) -> tuple[int, int] | None:
    """The weakest tie from one of ``people`` to someone in another team: the pair
    ``(a, b)`` with the least ``game.strength(a, b)`` (0 where there is no tie), ties
    broken by the smaller ``a``, then the smaller ``b``; ``b`` is never ``exclude``.
    ``None`` when nobody is in another team.

    The same choice as ``min((game.strength(a, b), a, b) for a in people for b in ...)``
    over every pair, in one pass over the world's edge arrays: a dense strength matrix of
    ``people`` x everyone (zero where there is no tie), other teams only, whose first
    smallest entry in row-major order (rows by ``a``, columns by ``b``) is the minimum of
    ``(strength, a, b)``.
    """
    w = game.world
    rows = np.array(sorted(set(people)), np.int64)
    n = w.n_people
    if not len(rows):
        return None
    team = w.team[:n]
    allowed = team[None, :] != team[rows][:, None]
    if exclude is not None:
        allowed[:, exclude] = False
    if not allowed.any():
        return None
    m = w.n_edges
    src, dst = w.src[:m], w.dst[:m]
    row_of = np.full(n, -1, np.int64)
    row_of[rows] = np.arange(len(rows))
    mine = np.flatnonzero(row_of[src] >= 0)
    r, c, s = row_of[src[mine]], dst[mine], w.strength[mine]
    strength = np.zeros((len(rows), n))
    strength[r, c] = s
    if not np.array_equal(strength[r, c], s):
        # one pair, two edges (a scenario cannot make this today): the pair's strength is
        # that of its first edge, as World.eid finds it
        _, first = np.unique(r * n + c, return_index=True)
        strength[r[first], c[first]] = s[first]
    strength[~allowed] = np.inf
    a, b = divmod(int(np.argmin(strength)), n)
    return int(rows[a]), b


@register("break_promises", "Promise freely for the quick lift, then break what falls due.")
class BreakPromises(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        mine = [p for p in game.promises("open") if p.by == game.player_id]
        if mine:
            return _act("break_promise", promise=mine[0].id)
        target = _lowest_trust(game, _team_and_reports(game) or game.targets("make_promise"))
        if target is None:
            return None
        return _act("make_promise", target, due=min(game.turns, game.turn + 1))


@register("random", "A random available act on a random valid target.")
class RandomActs(Strategy):
    chooses = True

    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        acts = sorted(name for name, why in game.available().items() if why is None)
        if not acts:
            return None
        act = rng.choice(acts)
        targets = game.targets(act)
        if not targets:
            return None
        target = rng.choice(targets)
        if act in ("break_promise", "keep_promise"):
            return _act(act, promise=target)
        if act == "connect":
            w = game.world
            team = w.team[w.index[target]]
            others = [p for i, p in enumerate(w.ids) if w.team[i] != team]
            return _act(act, target, other=rng.choice(others)) if others else None
        if act == "make_promise":
            return _act(act, target, due=rng.randint(game.turn, game.turns))
        return _act(act, target)

    def choose(self, game: Simulation, event: str, options: Sequence[str],
               rng: random.Random) -> str:
        return rng.choice(list(options))


@register("spam_recognise", "Recognise whoever in your team trusts you least, every act.",
          exploit=True)
class SpamRecognise(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        target = _lowest_trust(game, _team_and_reports(game) or game.targets("recognise"))
        return _act("recognise", target) if target else None


@register("spam_coach", "Coach the report who trusts you least, every act (quick wins if "
          "you have no reports).", exploit=True)
class SpamCoach(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        reports = game.targets("coach") if game.world.reports(game.player) else []
        target = _lowest_trust(game, reports)
        return _act("coach", target) if target else QuickWins().next(game, rng)


@register("spam_feedback", "Give feedback to whoever in your team trusts you least, every "
          "act.", exploit=True)
class SpamFeedback(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        target = _lowest_trust(game, _team_and_reports(game) or game.targets("feedback"))
        return _act("feedback", target) if target else None


@register("promise_farm", "Make promises for the lift and keep each as soon as the rules "
          "allow (the turn after); keep the scenario's own promises at once.", exploit=True)
class PromiseFarm(Strategy):
    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        for promise in game.promises("open"):
            if promise.by == game.player_id and promise.made < game.turn:
                return _act("keep_promise", promise=promise.id)
        target = _lowest_trust(game, _team_and_reports(game) or game.targets("make_promise"))
        if target is None or game.turn >= game.turns:
            return QuickWins().next(game, rng)
        return _act("make_promise", target, due=min(game.turns, game.turn + 1))


def objective_score(game: Simulation) -> float:
    """How close the on-screen objectives are to being met now, in one number: the sum of
    each objective's shortfall (0 when met), a broken promise counting heavily. What a
    player who optimises the numbers on screen would maximise."""
    metrics = game.metrics()
    total = 0.0
    for objective in game.setup.objectives:
        value = game.objective_value(objective, metrics)
        if objective.kind == "no_broken_promises":
            total -= 5.0 * (value or 0.0)
        elif value is None:
            total -= 1.0
        elif objective.at_least is not None:
            scale = 0.1 if objective.kind == "promises_kept" else 1.0
            total += min(0.0, value - objective.at_least) * scale
        elif objective.at_most is not None:
            total += min(0.0, objective.at_most - value)
    cross = metrics["cross_team_trust"]
    return total + 0.01 * float(metrics["trust_in_player"]) + 0.01 * (
        0.0 if cross != cross else float(cross))


def _candidates(game: Simulation) -> list[Command]:
    """Every act a greedy player would try now: each act on each of its targets in the
    player's own team and reports (or everyone, in a small organisation), each open
    promise, and a few bridges from the player's team."""
    w = game.world
    mine = set(_team_and_reports(game)) or set(w.ids) - {game.player_id}
    out: list[Command] = []
    for act, why in sorted(game.available().items()):
        if why is not None:
            continue
        if act in ("keep_promise", "break_promise"):
            out += [_act(act, promise=p) for p in game.targets(act)]
        elif act == "connect":
            own = [w.ids[i] for i in w.members(int(w.team[game.player]))]
            others = [pid for i, pid in enumerate(w.ids) if w.team[i] != w.team[game.player]]
            for a in own[:6]:
                if others:
                    b = min(others, key=lambda b: (game.strength(a, b), b))
                    out.append(_act("connect", a, other=b))
        elif act == "make_promise":
            continue  # a promise is a debt, not a move to score now
        else:
            out += [_act(act, t) for t in game.targets(act) if t in mine]
    return out


@register("greedy_undo", "Try every act (and every option of a dilemma) with undo and keep "
          "the one that moves the on-screen objectives most.", exploit=True)
class GreedyUndo(Strategy):
    chooses = True
    needs_undo = True

    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        best: tuple[float, int] | None = None
        candidates = _candidates(game)
        for i, cmd in enumerate(candidates):
            try:
                game.execute(cmd)
            except ActNotAllowed:
                continue
            score = objective_score(game)
            game.undo()
            if best is None or score > best[0]:
                best = (score, i)
        return None if best is None else candidates[best[1]]

    def choose(self, game: Simulation, event: str, options: Sequence[str],
               rng: random.Random) -> str:
        best: tuple[float, str] | None = None
        for option in options:
            game.execute({"do": "choose", "event": event, "option": option})
            score = objective_score(game)
            game.undo()
            if best is None or score > best[0]:
                best = (score, option)
        return options[0] if best is None else best[1]


@register("reference", "The scenario's reference solution (NAME.acts beside it).")
class Reference(Strategy):
    """Plays a scripted list of commands, then ends the remaining turns."""

    chooses = True  # the script answers its dilemmas

    def __init__(self, script: str | Path | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.commands: list[Command] = []
        if script is not None:
            path = Path(script)
            self.commands = [c for _, c in parse_script(path.read_text(encoding="utf-8"),
                                                        str(path))]
        self._position = 0

    def next(self, game: Simulation, rng: random.Random) -> Command | None:
        return None  # the runner plays self.commands first (see play_strategy)


def play_strategy(game: Simulation, strategy: str | Strategy, *, seed: int = 0,
                  max_steps: int = 100_000,
                  on_turn: Callable[[Simulation], None] | None = None,
                  choices: dict[str, str] | None = None,
                  before_end: Callable[[Simulation], None] | None = None) -> Simulation:
    """Play ``game`` to its end with a strategy (a name or an instance).

    ``on_turn`` is called after every end of turn (the lab records its rows there).
    ``choices`` (dilemma id -> option id) answers those dilemmas instead of the
    strategy (``balance`` plays every combination). ``before_end`` is called before every
    end of turn, once the player is done (the lab's managers act there, by policy).
    """
    policy = STRATEGIES[strategy]() if isinstance(strategy, str) else strategy
    rng = random.Random(seed * 7919 + 17)
    if isinstance(policy, Reference):
        for scripted in policy.commands:
            if game.over:
                break
            if scripted["do"] == "end_turn" and before_end is not None:
                before_end(game)
            try:
                game.execute(scripted)
            except ActNotAllowed:
                continue  # a script written for another seed: skip what is refused here
            if on_turn is not None and scripted["do"] == "end_turn":
                on_turn(game)
    steps = 0
    refused = 0
    while not game.over and steps < max_steps:
        steps += 1
        if game.pending:
            event_id = game.pending[0]
            options = [o.id for o in game._event_setups[event_id].options]
            fixed = (choices or {}).get(event_id)
            option = fixed if fixed in options else policy.choose(game, event_id, options,
                                                                  rng)
            game.execute({"do": "choose", "event": event_id, "option": option})
            continue
        cmd: Command | None = (policy.next(game, rng)
                               if game.capacity_left > 0 and refused < 3 else None)
        if cmd is None:
            if before_end is not None:
                before_end(game)
            game.execute({"do": "end_turn"})
            refused = 0
            if on_turn is not None:
                on_turn(game)
            continue
        try:
            game.execute(cmd)
        except ActNotAllowed:
            refused += 1
    return game
