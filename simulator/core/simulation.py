"""The game engine: acts, end of turn, dilemmas, objectives, undo and redo.

:class:`Simulation` is what the TUI, the headless commands and the lab all drive. Every
call that changes state is a *command* (a small JSON-able dict) appended to ``log``;
replaying the log from the start under the same seed rebuilds the state bit for bit,
which is how undo, redo, rewind and saves work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .acts import ACTS, ActArgs, Context, break_promise_effect, settle_task
from .chance import stream
from .dynamics import end_of_turn_dynamics
from .effects import PLAYER, apply_effects, resolve_group
from .errors import ActNotAllowed, UnknownAct
from .metrics import TeamValues, communities_arrays, normalized_mutual_information
from .records import (
    ActResult,
    Bases,
    Cause,
    ChoiceResult,
    EventFired,
    ObjectiveState,
    ObjectiveStatus,
    Promise,
    Record,
    TrustChanged,
    TurnReport,
    as_shown,
)
from .setup import WITHIN, EventSetup, ObjectiveSetup, Setup, TrustEffect
from .world import Snapshot, World

Command = dict[str, Any]
Result = ActResult | TurnReport | ChoiceResult

_ACT_FIELDS = ("target", "other", "promise", "what", "due", "actor")


class Simulation:
    """One game of one scenario under one seed.

    >>> from simulator.core.testing import tiny_setup
    >>> sim = Simulation(tiny_setup(), seed=3)
    >>> result = sim.act("quick_win", "ben")
    >>> result.changes[0].truster, result.changes[0].trustee, result.changes[0].delta > 0
    ('ben', 'ana', True)
    """

    def __init__(self, setup: Setup, seed: int | None = None, *, undo: bool = True,
                 explain_drift: bool = True, keep_results: bool = True) -> None:
        if keep_results is False and undo:
            raise ValueError("a game that keeps no results cannot undo: pass undo=False")
        self.setup = setup
        self.seed = setup.seed if seed is None else int(seed)
        self.world = World(setup, self.seed)
        self.player = self.world.index[setup.player]
        self.turn = 1
        self.capacity_left = setup.capacity
        self.turn_capacity = setup.capacity  # acts this turn started with (events change it)
        #: acts each other actor (a manager acting by a policy) may do in a turn
        self.others_capacity = setup.capacity
        #: acts done this turn by actors other than the player, by person index
        self.acted: dict[int, int] = {}
        self.pending: list[str] = []
        self.judged: dict[str, ObjectiveStatus] = {}
        self.events: list[EventFired] = []
        self.log: list[Command] = []
        self.results: list[Result] = []
        self._redo: list[Command] = []
        self._undo_enabled = undo
        self._explain_drift = explain_drift  # per-relationship drift records for the player
        #: keep every result in :attr:`results` (a lab run at scale only tallies them)
        self.keep_results = keep_results
        #: called with every result as it happens (the lab tallies causes this way)
        self.observers: list[Callable[[Result], None]] = []
        self._checkpoints: dict[int, Snapshot] = {}
        self._events_by_turn: dict[int, list[EventSetup]] = {}
        for event in setup.events:
            self._events_by_turn.setdefault(event.turn, []).append(event)
        self._event_setups = {e.id: e for e in setup.events}
        self.history: list[dict[str, Any]] = [self.metrics()]
        if undo:
            self._checkpoint()

    # -- reading the state ---------------------------------------------------------------

    @property
    def turns(self) -> int:
        return self.setup.turns

    @property
    def over(self) -> bool:
        return self.turn > self.setup.turns

    @property
    def player_id(self) -> str:
        return self.world.ids[self.player]

    @property
    def can_undo(self) -> bool:
        return self._undo_enabled and bool(self.log)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _idx(self, pid: str) -> int:
        if pid == PLAYER:
            return self.player
        try:
            return self.world.index[pid]
        except KeyError:
            raise KeyError(f"there is nobody called {pid!r}") from None

    def trust(self, truster: str, trustee: str) -> float:
        """How much ``truster`` trusts ``trustee`` (ids; ``player`` names the player)."""
        return self.world.trust_value(self._idx(truster), self._idx(trustee))

    def bases(self, truster: str, trustee: str) -> Bases:
        """``truster``'s view of ``trustee`` on the three bases of trust: ``ability``,
        ``benevolence`` and ``integrity``. :meth:`trust` is their weighted mean."""
        return Bases(*self.world.bases_value(self._idx(truster), self._idx(trustee)))

    def strength(self, a: str, b: str) -> float:
        e = self.world.eid(self._idx(a), self._idx(b))
        return 0.0 if e is None else float(self.world.strength[e])

    def promises(self, status: str | None = None) -> list[Promise]:
        return [p for p in self.world.promises.values() if status is None or p.status == status]

    def team_links(self, limit: int = 2) -> dict[str, list[tuple[str, float, int]]]:
        """Each team's strongest ties to other teams (the most ties first): the other
        team, the mean trust over those ties, and how many there are.
        See :func:`~simulator.core.metrics.team_links_arrays`."""
        from .metrics import team_links_arrays

        w = self.world
        n = w.n_edges
        tie = w.strength[:n] > 0
        links = team_links_arrays(w.src_team[:n][tie], w.dst_team[:n][tie], w.trust[:n][tie],
                                  len(w.team_ids), limit=limit)
        return {w.team_ids[a]: [(w.team_ids[b], value, count) for b, value, count in found]
                for a, found in links.items()}

    def metrics(self) -> dict[str, Any]:
        """Silo and trust metrics of the organisation now.

        ``ei`` (E-I index per team), ``ei_mean``, ``modularity`` (formal teams on the
        trust graph), ``cross_team_trust`` and ``within_team_trust`` (mean trust over
        ties), the same per team (``team_trust_across``, ``team_trust_within``: mean trust
        over each team's ties leaving the team and inside it), ``trust_in_player`` (mean
        over everyone else) and ``team_trust_in_player``.
        """
        w = self.world
        n = w.n_edges
        k = len(w.team_ids)
        dt = w.dst_team[:n]
        trust, strength = w.trust[:n], w.strength[:n]
        # slot 2t: ties inside team t; slot 2t+1: ties from team t to another team
        slot = w.team_slot[:n]
        weight = trust * strength
        by_slot = np.bincount(slot, weights=weight, minlength=2 * k)
        internal, external = by_slot[0::2], by_slot[1::2]
        out_w = internal + external
        in_w = np.bincount(dt, weights=weight, minlength=k)
        ei = _ratio(external - internal, out_w)
        total = float(out_w.sum())
        intra = float(internal.sum())
        modularity = (intra / total - float(out_w @ in_w) / (total * total)) if total > 0 \
            else math.nan
        tie = strength > 0
        tie_slot = slot[tie]
        ties = np.bincount(tie_slot, minlength=2 * k).astype(np.float64)
        trust_sums = np.bincount(tie_slot, weights=trust[tie], minlength=2 * k)
        n_within, n_cross = float(ties[0::2].sum()), float(ties[1::2].sum())
        sum_within, sum_cross = float(trust_sums[0::2].sum()), float(trust_sums[1::2].sum())
        team_within = _ratio(trust_sums[0::2], ties[0::2])
        team_across = _ratio(trust_sums[1::2], ties[1::2])
        tip = self._trust_in_player_by_person()
        team_of = w.team
        me = int(team_of[self.player])
        team_counts = np.bincount(team_of, minlength=k)
        team_counts[me] -= 1
        team_sums = np.bincount(team_of, weights=tip, minlength=k)
        team_sums[me] -= tip[self.player]
        team_tip = _ratio(team_sums, team_counts)
        others = w.n_people - 1
        broken = kept = 0
        for p in w.promises.values():
            if p.status == "broken":
                broken += 1
            elif p.status == "kept":
                kept += 1
        finite = np.isfinite(ei)
        n_finite = int(np.count_nonzero(finite))
        index = w.team_index
        return {
            "turn": self.turn - 1,
            "ei": TeamValues(index, ei),
            "ei_mean": float(ei[finite].sum()) / n_finite if n_finite else math.nan,
            "modularity": float(modularity),
            "cross_team_trust": sum_cross / n_cross if n_cross else math.nan,
            "within_team_trust": sum_within / n_within if n_within else math.nan,
            "team_trust_within": TeamValues(index, team_within),
            "team_trust_across": TeamValues(index, team_across),
            "trust_in_player": (float(team_sums.sum()) / others) if others > 0 else math.nan,
            "team_trust_in_player": TeamValues(index, team_tip),
            "promises_broken": broken,
            "promises_kept": kept,
        }

    def communities(self, *, seed: int | None = None) -> dict[str, Any]:
        """Emergent communities of the trust graph compared with the formal teams.

        ``count`` communities found (seeded Louvain, or Leiden through python-igraph on
        large graphs when installed: ``backend`` says which), and ``nmi``, their normalised
        mutual information with the formal teams (1.0: trust follows the org chart exactly).
        Costlier than :meth:`metrics`, so not computed every turn.
        """
        w = self.world
        n = w.n_edges
        labels, backend = communities_arrays(
            w.src[:n], w.dst[:n], w.trust[:n] * w.strength[:n], w.n_people,
            seed=self.seed if seed is None else seed)
        return {"count": len(set(labels)), "backend": backend,
                "nmi": normalized_mutual_information(labels, w.team.tolist()),
                "labels": dict(zip(w.ids, labels, strict=True))}

    def _trust_in_player_by_person(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        w = self.world
        tip = w.propensity.copy()
        src, eid = w.adjacency.listener_arrays(self.player)
        tip[src] = w.trust[eid]
        return tip

    # -- what can be done -----------------------------------------------------------------

    def check(self, act: str, target: str | None = None, **kwargs: Any) -> str | None:
        """Why ``act`` cannot be done now with these arguments, or ``None`` if it can."""
        try:
            self._precheck_act(act, self._args(act, target, kwargs), kwargs.get("actor"))
        except ActNotAllowed as refusal:
            return refusal.reason
        return None

    def availability(self) -> dict[str, tuple[str, str] | None]:
        """For each act, ``None`` if it can be done with some target now, else
        ``(code, reason)``: a stable code (``no_capacity``, ``no_reports``, ...) and a
        plain-English reason."""
        out: dict[str, tuple[str, str] | None] = {}
        general = self._general_refusal()
        code = ("game_over" if self.over else "dilemma_pending" if self.pending
                else "no_capacity")
        for name, spec in ACTS.items():
            if general:
                out[name] = (code, general)
            elif spec.target == "report" and not self.world.reports(self.player):
                out[name] = ("no_reports", "you have no direct reports")
            elif spec.target == "own_promise" and not any(
                    p.status == "open" and p.by == self.player_id
                    for p in self.world.promises.values()):
                out[name] = ("no_promises", "you have no open promises")
            elif name == "keep_promise" and not self.targets(name):
                out[name] = ("too_soon", "a promise counts once it has been open over an "
                                         "end of turn: keep it from next turn")
            elif spec.target == "pair" and len(self.world.team_ids) < 2:
                out[name] = ("one_team", "there is only one team")
            elif spec.target == "wronged" and not self._wronged():
                out[name] = ("nothing_to_apologise",
                             "nobody has anything to forgive you for")
            else:
                out[name] = None
        return out

    def available(self) -> dict[str, str | None]:
        """For each act, ``None`` if it can be done with some target now, else why not."""
        return {name: None if why is None else why[1]
                for name, why in self.availability().items()}

    def targets(self, act: str) -> list[str]:
        """The ids an act can take as its (first) target now."""
        spec = ACTS.get(act)
        if spec is None:
            return []
        w = self.world
        if spec.target == "report":
            return [w.ids[i] for i in w.reports(self.player)]
        if spec.target == "own_promise":
            return [p.id for p in w.promises.values()
                    if p.status == "open" and p.by == self.player_id
                    and (act != "keep_promise" or p.made < self.turn)]
        if spec.target == "wronged":
            return [w.ids[i] for i in self._wronged()]
        people = [pid for i, pid in enumerate(w.ids) if i != self.player]
        if spec.target == "person_or_team":
            return people + list(w.team_ids)
        return people

    def _wronged(self) -> list[int]:
        """The people the player's own failures have cost trust, in id order."""
        w = self.world
        return sorted(a for (a, b), lost in w.damage.items()
                      if b == self.player and sum(lost) > 1e-9)

    def _general_refusal(self, actor: int | None = None) -> str | None:
        if self.over:
            return "the game is over"
        if self.pending:
            return f"first choose an option for {self.pending[0]!r}"
        if actor is not None and actor != self.player:
            if self.acted.get(actor, 0) >= self.others_capacity:
                return (f"{self.world.names[actor]} has no capacity left this turn "
                        f"({self.others_capacity} acts a turn)")
        elif self.capacity_left <= 0:
            return "no capacity left this turn: end the turn"
        return None

    def _args(self, act: str, target: str | None, kwargs: Mapping[str, Any]) -> ActArgs:
        spec = ACTS.get(act)
        promise = kwargs.get("promise")
        if spec is not None and spec.target == "own_promise" and promise is None:
            promise, target = target, None
        due = kwargs.get("due")
        return ActArgs(target=target, other=kwargs.get("other"), promise=promise,
                       what=kwargs.get("what"), due=None if due is None else int(due))

    def _precheck_act(self, act: str, args: ActArgs, actor: str | None) -> Context:
        if act not in ACTS:
            raise UnknownAct(act, sorted(ACTS))
        actor_idx = self.player if actor is None else self.world.index.get(actor)
        if actor_idx is None:
            raise ActNotAllowed(f"there is nobody called {actor!r}", "unknown_person")
        general = self._general_refusal(actor_idx)
        if general:
            code = ("game_over" if self.over else "dilemma_pending" if self.pending
                    else "no_capacity")
            raise ActNotAllowed(general, code)
        ctx = Context(self.world, actor_idx, self.turn, self.setup.turns)
        _check_target(ACTS[act].target, ctx, args)
        return ctx

    # -- changing the state --------------------------------------------------------------

    def act(self, name: str, target: str | None = None, **kwargs: Any) -> ActResult:
        """Do an act. ``target`` is a person, a team (quick win) or a promise id.

        Keyword arguments: ``actor`` (defaults to the player), ``other`` (the second
        person of ``connect``), ``promise``, ``what`` and ``due`` (``make_promise``).
        Raises :class:`ActNotAllowed` with the reason when the rules refuse it.
        """
        cmd: Command = {"do": "act", "act": name}
        spec = ACTS.get(name)
        if spec is not None and spec.target == "own_promise" and kwargs.get("promise") is None:
            kwargs = {**kwargs, "promise": target}  # log the canonical form
            target = None
        if target is not None:
            cmd["target"] = target
        for key in _ACT_FIELDS:
            if key != "target" and kwargs.get(key) is not None:
                cmd[key] = kwargs[key]
        unknown = set(kwargs) - set(_ACT_FIELDS)
        if unknown:
            raise TypeError(f"unexpected argument(s): {', '.join(sorted(unknown))}")
        result = self.execute(cmd)
        assert isinstance(result, ActResult)
        return result

    def end_turn(self) -> TurnReport:
        """Close the turn: drift and decay, promises due, events, metrics, objectives."""
        result = self.execute({"do": "end_turn"})
        assert isinstance(result, TurnReport)
        return result

    def choose(self, event: str, option: str) -> ChoiceResult:
        """Resolve a pending dilemma by picking one of its options."""
        result = self.execute({"do": "choose", "event": event, "option": option})
        assert isinstance(result, ChoiceResult)
        return result

    def execute(self, cmd: Mapping[str, Any], *, _replay: bool = False) -> Result:
        """Run one logged command (what replay and redo use)."""
        kind = cmd.get("do")
        result: Result
        if kind == "act":
            kwargs = {k: cmd[k] for k in _ACT_FIELDS if k in cmd and k != "target"}
            result = self._act(str(cmd["act"]), cmd.get("target"), kwargs)
        elif kind == "end_turn":
            result = self._end_turn()
        elif kind == "choose":
            result = self._choose(str(cmd["event"]), str(cmd["option"]))
        else:
            raise ActNotAllowed(f"unknown command {kind!r}", "unknown_command")
        self.log.append(dict(cmd))
        if self.keep_results:
            self.results.append(result)
        for observer in self.observers:
            observer(result)
        if not _replay:
            self._redo.clear()
        if kind == "end_turn" and self._undo_enabled:
            self._checkpoint()
        return result

    def _act(self, name: str, target: str | None, kwargs: Mapping[str, Any]) -> ActResult:
        args = self._args(name, target, kwargs)
        ctx = self._precheck_act(name, args, kwargs.get("actor"))
        result = ACTS[name].apply(ctx, args)
        if ctx.actor == self.player:
            self.capacity_left -= 1
        else:
            self.acted[ctx.actor] = self.acted.get(ctx.actor, 0) + 1
        gossip = self._drain_ties()
        if gossip:
            result = ActResult(result.act, result.actor, result.target, result.turn,
                               result.outcome, result.changes, (*result.other, *gossip))
        return result

    def _drain_ties(self) -> list[Record]:
        """The strength changes gossip made during the last command (see World.spread)."""
        found: list[Record] = list(self.world.tie_records)
        self.world.tie_records = []
        return found

    def _end_turn(self) -> TurnReport:
        if self.over:
            raise ActNotAllowed("the game is over", "game_over")
        if self.pending:
            raise ActNotAllowed(f"first choose an option for {self.pending[0]!r}",
                                "dilemma_pending")
        w = self.world
        turn = self.turn
        other: list[Record] = []
        changes: list[TrustChanged] = []
        # delegated work comes back
        tasks, w.tasks = [t for t in w.tasks if t.turn <= turn], \
            [t for t in w.tasks if t.turn > turn]
        for task in tasks:
            c, records = settle_task(w, task)
            changes += c
            other += records
        drift, summary = end_of_turn_dynamics(
            w, self.player if self._explain_drift else None, turn)
        changes += drift
        # promises that fall due lapse by themselves
        for promise in sorted(w.promises.values(), key=lambda p: (p.due, p.id)):
            if promise.status == "open" and promise.due <= turn:
                cause = Cause("promise_due", "break_promise", promise.by, promise.to, promise.id)
                c, record = break_promise_effect(w, promise, turn, cause, lapsed=True)
                changes += c
                other.append(record)
        fired: list[EventFired] = []
        capacity = 0
        for event in self._events_by_turn.get(turn, []):
            options = tuple((o.id, o.label) for o in event.options)
            fired.append(EventFired(event.id, event.kind, event.title, event.text, turn,
                                    True, options))
            cause = Cause("event", event.kind, "", "", event.id)
            applied = apply_effects(w, event.effects, self.player, turn, cause)
            changes += applied.changes
            other += applied.other
            capacity += applied.capacity
            if options:
                self.pending.append(event.id)
        random_event = self._random_event(turn)
        if random_event is not None:
            event_fired, effects = random_event
            fired.append(event_fired)
            cause = Cause("event", event_fired.kind, "", "", event_fired.id)
            applied = apply_effects(w, effects, self.player, turn, cause)
            changes += applied.changes
            other += applied.other
        self.events += fired
        other += self._drain_ties()
        # effects fired after the dynamics (promises due, events) must not spare a tie
        # from next turn's decay
        w.used[: w.n_edges] = False
        w.turn_counts = {}
        self.turn += 1
        self.acted = {}
        self.capacity_left = max(0, self.setup.capacity + capacity)
        self.turn_capacity = self.capacity_left
        metrics = self.metrics()
        self.history.append(metrics)
        objectives = self._judge(turn)
        return TurnReport(turn, tuple(changes), tuple(other), tuple(fired), objectives,
                          summary, metrics, self.over)

    def _random_event(self, turn: int) -> tuple[EventFired, list[TrustEffect]] | None:
        """An unscripted event, drawn from the turn's own stream: the same seed and turn
        give the same event, whatever the player did before."""
        p = self.world.params
        rng = stream(self.seed, "events", turn)
        if p.random_events <= 0 or rng.random() >= p.random_events:
            return None
        w = self.world
        others = [i for i in range(w.n_people) if i != self.player]
        if not others:
            return None
        teller = others[rng.randrange(len(others))]
        if rng.random() < 0.5 or len(w.team_ids) < 2:
            event = EventFired(f"rumour-{turn}", "rumour", "A rumour",
                               f"A rumour about {w.names[self.player]} starts with "
                               f"{w.names[teller]}.", turn, scripted=False)
            return event, [TrustEffect(w.ids[teller], PLAYER, -p.event_size, spread=True,
                                       base="integrity")]
        a = int(w.team[teller])
        b = rng.randrange(len(w.team_ids) - 1)
        b = b if b < a else b + 1
        event = EventFired(f"squeeze-{turn}", "budget_cut", "A budget squeeze",
                           f"{w.team_names[a]} and {w.team_names[b]} compete for the same "
                           "budget.", turn, scripted=False)
        return event, [TrustEffect(w.team_ids[a], w.team_ids[b], -p.event_size,
                                   base="benevolence"),
                       TrustEffect(w.team_ids[b], w.team_ids[a], -p.event_size,
                                   base="benevolence")]

    def _choose(self, event_id: str, option_id: str) -> ChoiceResult:
        if self.over:
            raise ActNotAllowed("the game is over", "game_over")
        if event_id not in self.pending:
            raise ActNotAllowed(f"no dilemma {event_id!r} is waiting for a choice",
                                "no_such_dilemma")
        event = self._event_setups[event_id]
        option = next((o for o in event.options if o.id == option_id), None)
        if option is None:
            known = ", ".join(o.id for o in event.options)
            raise ActNotAllowed(f"dilemma {event_id!r} has no option {option_id!r} "
                                f"(options: {known})", "no_such_option")
        cause = Cause("dilemma", event.kind, "", option.id, event.id)
        applied = apply_effects(self.world, option.effects, self.player, self.turn, cause)
        self.capacity_left = max(0, self.capacity_left + applied.capacity)
        self.turn_capacity = max(0, self.turn_capacity + applied.capacity)
        self.pending.remove(event_id)
        return ChoiceResult(event_id, option_id, tuple(applied.changes),
                            (*applied.other, *self._drain_ties()))

    # -- objectives -----------------------------------------------------------------------

    def objectives(self) -> tuple[ObjectiveStatus, ...]:
        """Where each objective stands now (judged ones keep their verdict)."""
        return self._objectives(self.metrics() if self.log and self.log[-1]["do"] != "end_turn"
                                else self.history[-1])

    def _objectives(self, metrics: Mapping[str, Any]) -> tuple[ObjectiveStatus, ...]:
        return tuple(self.judged.get(o.id) or self._status(o, metrics, final=False)
                     for o in self.setup.objectives)

    def _judge(self, turn: int) -> tuple[ObjectiveStatus, ...]:
        metrics = self.history[-1]
        for objective in self.setup.objectives:
            if objective.id in self.judged:
                continue
            status = self._status(objective, metrics, final=objective.by <= turn)
            if status.state in ("met", "failed"):
                self.judged[objective.id] = status
        return self._objectives(metrics)

    def objective_value(self, objective: ObjectiveSetup,
                        metrics: Mapping[str, Any] | None = None) -> float | None:
        """The measured quantity an objective is judged on."""
        metrics = metrics or self.history[-1]
        kind, who = objective.kind, objective.who
        if kind == "trust_in_player":
            assert who is not None
            if who in self.world.team_index:
                return _none_if_nan(metrics["team_trust_in_player"].get(who))
            return self.trust(who, PLAYER)
        if kind == "team_ei":
            if who is None:
                return _none_if_nan(metrics["ei_mean"])
            return _none_if_nan(metrics["ei"].get(who))
        if kind == "cross_team_trust":
            return _none_if_nan(metrics["cross_team_trust"])
        if kind == "modularity":
            return _none_if_nan(metrics["modularity"])
        if kind == "no_broken_promises":
            return float(sum(1 for p in self.world.promises.values()
                             if p.status == "broken" and p.by == self.player_id))
        if kind == "promises_kept":
            return float(sum(1 for p in self.world.promises.values()
                             if p.status == "kept" and p.by == self.player_id))
        return None

    def _status(self, objective: ObjectiveSetup, metrics: Mapping[str, Any],
                *, final: bool) -> ObjectiveStatus:
        value = self.objective_value(objective, metrics)
        target: float | None
        if objective.kind == "no_broken_promises":
            target = 0.0
            ok = value == 0
            if not ok:
                final = True
        else:
            target = objective.at_least if objective.at_least is not None else objective.at_most
            # judged on the value as shown (0.2996 reads 0.30: it meets a target of 0.3)
            shown = None if value is None else as_shown(value)
            ok = shown is not None and (
                (objective.at_least is None or shown >= objective.at_least)
                and (objective.at_most is None or shown <= objective.at_most))
        state: ObjectiveState = (("met" if ok else "failed") if final
                                 else ("on_track" if ok else "at_risk"))
        return ObjectiveStatus(objective.id, objective.text, state, value, target, objective.by,
                               objective.kind)

    @property
    def won(self) -> bool:
        """All objectives met (only meaningful once the game is over)."""
        return all(s.state == "met" for s in self.objectives())

    # -- undo, redo, rewind -------------------------------------------------------------

    def _small_state(self) -> dict[str, Any]:
        return {
            "turn": self.turn, "capacity_left": self.capacity_left,
            "turn_capacity": self.turn_capacity, "acted": dict(self.acted),
            "pending": list(self.pending),
            "judged": dict(self.judged), "events": list(self.events),
            "history": list(self.history),
        }

    def _checkpoint(self) -> None:
        self._checkpoints[len(self.log)] = self.world.snapshot(self._small_state())

    def _rewind_to(self, length: int) -> None:
        if not self._undo_enabled:
            raise ActNotAllowed("undo is switched off for this game", "no_undo")
        start = max(k for k in self._checkpoints if k <= length)
        small = self.world.restore(self._checkpoints[start])
        self.turn = small["turn"]
        self.capacity_left = small["capacity_left"]
        self.turn_capacity = small["turn_capacity"]
        self.acted = dict(small["acted"])
        self.pending = list(small["pending"])
        self.judged = dict(small["judged"])
        self.events = list(small["events"])
        self.history = list(small["history"])
        replay = self.log[start:length]
        del self.log[start:], self.results[start:]
        for k in [k for k in self._checkpoints if k > start]:
            del self._checkpoints[k]
        for cmd in replay:
            self.execute(cmd, _replay=True)

    def undo(self) -> Command:
        """Take back the last command (act, end of turn or choice); returns it."""
        if not self.log:
            raise ActNotAllowed("nothing to undo", "nothing_to_undo")
        cmd = self.log[-1]
        redo = list(self._redo)
        self._rewind_to(len(self.log) - 1)
        self._redo = [*redo, cmd]
        return cmd

    def redo(self) -> Result:
        """Do again the last command taken back by :meth:`undo`."""
        if not self._redo:
            raise ActNotAllowed("nothing to redo", "nothing_to_redo")
        cmd = self._redo.pop()
        redo = list(self._redo)
        result = self.execute(cmd)
        self._redo = redo
        return result

    def turn_start(self, turn: int) -> int:
        """Index in ``log`` where ``turn`` began."""
        if turn < 1 or turn > self.turn:
            raise ActNotAllowed(f"turn {turn} has not been played", "bad_turn")
        ends = [i for i, c in enumerate(self.log) if c["do"] == "end_turn"]
        return 0 if turn == 1 else ends[turn - 2] + 1

    def rewind(self, turn: int) -> list[Command]:
        """Go back to the start of ``turn``; returns the commands taken back (a branch)."""
        start = self.turn_start(turn)
        dropped = self.log[start:]
        self._rewind_to(start)
        self._redo = list(reversed(dropped))
        return dropped

    def fingerprint(self) -> str:
        """Digest of the full state (world, turn, capacity, dilemmas, verdicts)."""
        import hashlib

        small: tuple[Any, ...] = (
            self.turn, self.capacity_left, tuple(self.pending),
            tuple(sorted((k, v.state) for k, v in self.judged.items())))
        if self.acted:  # other actors' acts this turn (only games with policies have them)
            small += (tuple(sorted(self.acted.items())),)
        return hashlib.sha256((self.world.fingerprint() + repr(small)).encode()).hexdigest()


def _check_target(kind: str, ctx: Context, args: ActArgs) -> None:
    from . import acts

    if kind == "report":
        acts._report(ctx, args.target)
    elif kind == "person":
        acts._person(ctx, args.target)
    elif kind == "own_promise":
        acts._open_promise(ctx, args.promise)
    elif kind == "person_or_team":
        w = ctx.world
        if args.target in w.team_index and args.target not in w.index:
            return
        acts._person(ctx, args.target)
    elif kind == "pair":
        acts._pair(ctx, args)
    elif kind == "wronged":
        acts._wronged(ctx, args.target)


def _ratio(num: np.ndarray[Any, Any], den: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``num / den`` with NaN where ``den`` is 0 (no errstate: it costs a context switch)."""
    return num / np.where(den > 0, den, np.nan)


def _none_if_nan(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


__all__ = ["WITHIN", "Command", "Simulation", "TrustChanged", "resolve_group"]
