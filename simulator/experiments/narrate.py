"""Records told in the scenario's language: the words of the explained log and the debrief.

The interface and the Markdown debrief both use these, so a change reads the same
everywhere: "Ben +0.12 trust in you: your quick win"; "Eli +0.03: heard it from Ben".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ..core.records import (
    OBJECTIVE_DECIMALS,
    ActResult,
    Cause,
    ChoiceResult,
    ObjectiveStatus,
    PromiseChanged,
    TaskSettled,
    TieChanged,
    TraitChanged,
    TrustChanged,
    TurnReport,
)
from ..i18n import Messages

if TYPE_CHECKING:
    from ..core.simulation import Simulation


@dataclass(frozen=True, slots=True)
class Narrator:
    """Tells records in one language, from the player's point of view."""

    t: Messages
    names: Mapping[str, str]
    player: str
    options: Mapping[tuple[str, str], str]
    events: Mapping[str, str]
    #: objectives that count promises (id -> kind), not measure a value
    counts: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_game(cls, game: Simulation, language: str | None = None) -> Narrator:
        options = {(e.id, o.id): o.label for e in game.setup.events for o in e.options}
        events = {e.id: e.title for e in game.setup.events}
        names = dict(zip(game.world.team_ids, game.world.team_names, strict=True))
        names.update(game.world.name_map())
        counts = {o.id: o.kind for o in game.setup.objectives
                  if o.kind in ("promises_kept", "no_broken_promises")}
        return cls(Messages(language or game.setup.language), names, game.player_id, options,
                   events, counts)

    def name(self, pid: str) -> str:
        if pid == self.player:
            return self.t("game.you")
        return self.names.get(pid, pid)

    def cause(self, cause: Cause) -> str:
        t = self.t
        if cause.via:
            tellers = [self.names.get(p, p) for p in cause.via]
            if len(tellers) == 1:
                return t("cause.heard", teller=tellers[0])
            return t("cause.heard_chain", teller=tellers[0], next=tellers[1])
        if cause.kind == "act":
            noun = t(f"noun.{cause.act}")
            if cause.actor == self.player:
                # "your ...": Dutch inflects the adjective after a possessive ("jouw snelle
                # succes", not "jouw snel succes"), so those acts have their own phrase
                own = f"cause.act.you.{cause.act}"
                text = t(own) if t.has(own) else t("cause.act.you", act=noun)
            else:
                text = t("cause.act", act=noun, actor=self.names.get(cause.actor, cause.actor))
            if cause.detail and t.has(f"outcome.{cause.detail}"):
                text += f" ({t(f'outcome.{cause.detail}')})"
            return text
        if cause.kind == "promise_due":
            return t("cause.promise_due")
        if cause.kind == "event":
            return t("cause.event", event=self.events.get(cause.detail, cause.act))
        if cause.kind == "dilemma":
            label = self.options.get((cause.detail, cause.target), cause.target)
            return t("cause.dilemma", option=label)
        if cause.kind == "task":
            outcome = t(f"outcome.{cause.detail}") if t.has(f"outcome.{cause.detail}") \
                else cause.detail
            if cause.act == "quick_win":
                return t("cause.task.quick_win", outcome=outcome)
            if cause.actor == self.player:
                return t("cause.task", outcome=outcome)
            return t("cause.task.other", outcome=outcome,
                     actor=self.names.get(cause.actor, cause.actor))
        return t("cause.drift")

    #: a change smaller than this reads as 0.00: it is counted, not listed
    VISIBLE = 0.005

    def ranked(self, changes: Iterable[TrustChanged]) -> list[TrustChanged]:
        """The changes worth a line (not the end-of-turn drift, not those that round to
        0.00), biggest first: those told directly, then those who heard it."""
        return sorted((c for c in changes if c.cause.kind != "drift"
                       and abs(c.delta) >= self.VISIBLE),
                      key=lambda c: (bool(c.cause.via), -abs(c.delta)))

    #: a base is named beside a change when it moved at least this much
    BASE_SHOWN = 0.01

    def base(self, change: TrustChanged) -> tuple[str, str] | None:
        """The base a direct change was mostly about, and how far it moved: ("integrity",
        "-0.30"); ``None`` for hearsay, drift, or bases that barely moved."""
        if change.cause.via or change.cause.kind == "drift":
            return None
        base = change.singled_out
        if base is None:
            return None
        moved = dict(zip(("ability", "benevolence", "integrity"), change.bases, strict=True))
        size = moved[base]
        if abs(size) < self.BASE_SHOWN:
            return None
        return self.t(f"base.{base}"), self.t.num(size, "+.2f")

    def trust_change(self, change: TrustChanged) -> str:
        delta = self.t.num(change.delta, "+.2f")
        if change.trustee == self.player:
            base = self.base(change)
            if base is not None:
                return self.t("change.trust_in_you.base", who=self.name(change.truster),
                              delta=delta, base=base[0], base_delta=base[1],
                              cause=self.cause(change.cause))
            return self.t("change.trust_in_you", who=self.name(change.truster), delta=delta,
                          cause=self.cause(change.cause))
        return self.t("change.trust", who=self.name(change.truster),
                      whom=self.name(change.trustee), delta=delta,
                      cause=self.cause(change.cause))

    def other(self, record: Any) -> str:
        t = self.t
        if isinstance(record, PromiseChanged):
            p = record.promise
            return t("change.promise", to=self.name(p.to), what=p.what,
                     status=t(f"status.{p.status}"))
        if isinstance(record, TraitChanged):
            # small changes keep their sign and size: +0.004, not +0.00
            spec = "+.2f" if abs(record.delta) >= 0.005 else "+.3f"
            return t("change.trait", who=self.name(record.person),
                     trait=t(f"person.trait.{record.trait}"), delta=t.num(record.delta, spec),
                     cause=self.cause(record.cause))
        if isinstance(record, TieChanged):
            key = "change.tie" if record.after >= record.before else "change.tie_less"
            return t(key, who=self.name(record.source), whom=self.name(record.other),
                     before=t.num(record.before), after=t.num(record.after))
        if isinstance(record, TaskSettled):
            detail = record.cause.detail
            outcome = t(f"outcome.{detail}") if t.has(f"outcome.{detail}") else detail
            if record.act == "quick_win":
                return t("change.quick_win", who=self.name(record.report), outcome=outcome)
            return t("change.task", who=self.name(record.report), outcome=outcome,
                     chance=f"{record.chance:.0%}",
                     support=t("change.task.support") if record.supported else "")
        return repr(record)

    #: more tie changes than this from one act or event are told as one line
    TIES_TOLD_ONE_BY_ONE = 2

    def others(self, records: Iterable[Any]) -> list[str]:
        """The records besides trust, told: a tie that moved both ways alike is one line
        (connect: "Ben and Eli now work together more"), and many ties moving at once (an
        event thinning the ties between two teams) are one summary line."""
        t = self.t
        ties: dict[tuple[str, str, float, float], TieChanged] = {}
        rest: list[Any] = []
        for record in records:
            if isinstance(record, TieChanged) and abs(record.delta) < self.VISIBLE:
                continue  # gossip wearing a path a little: applied, not told
            if isinstance(record, TieChanged):
                pair = tuple(sorted((record.source, record.other)))
                ties.setdefault((pair[0], pair[1], record.before, record.after), record)
            else:
                rest.append(record)
        lines = [self.other(record) for record in rest]
        if len(ties) > self.TIES_TOLD_ONE_BY_ONE:
            for stronger in (True, False):
                moved = [r for r in ties.values() if (r.after >= r.before) == stronger]
                if moved:
                    before = sum(r.before for r in moved) / len(moved)
                    after = sum(r.after for r in moved) / len(moved)
                    key = "change.ties_more" if stronger else "change.ties_less"
                    lines.append(t(key, count=len(moved), before=t.num(before),
                                   after=t.num(after)))
        else:
            lines += [self.other(record) for record in ties.values()]
        return lines

    def act_line(self, result: ActResult) -> str:
        act = self.t(f"act.{result.act}")
        target = " + ".join(self.name(p) for p in result.target.split("+")) \
            if result.act == "connect" else self.names.get(result.target, result.target)
        if result.outcome and self.t.has(f"outcome.{result.outcome}"):
            return self.t("log.act_outcome", act=act, target=target,
                          outcome=self.t(f"outcome.{result.outcome}"))
        return self.t("log.act", act=act, target=target)

    def objective(self, status: ObjectiveStatus, *, compact: bool = False) -> str:
        """``Support trusts you ... by turn 8: at risk, 0.34 (target 0.58, turn 8)``; compact
        (where the scenario's own words already say the target): ``...: at risk, now 0.34``."""
        state = self.t(f"objective.{status.state}")
        if status.value is None or status.target is None:
            return f"{status.text}: {state}"
        kind = self.counts.get(status.id)
        if kind is not None:
            # promises read as promises: "1 of 2 kept", "none broken", not 0.00
            count, target = round(status.value), round(status.target)
            if kind == "promises_kept":
                told = self.t("objective.kept", value=count, target=target)
            else:
                told = self.t("objective.none_broken") if count == 0 else \
                    self.t("objective.broken", value=count)
            return f"{status.text}: {state}, " + (
                told if compact else self.t("objective.by", value=told, by=status.by))
        # the decimals the objective is judged on: a value read as 0.30 meets 0.3
        number = partial(self.t.num, spec=f".{OBJECTIVE_DECIMALS}f")
        if compact:
            return f"{status.text}: {state}, " + self.t("objective.now",
                                                        value=number(status.value))
        value = self.t("objective.value", value=number(status.value),
                       target=number(status.target), by=status.by)
        return f"{status.text}: {state}, {value}"


MARK = {"met": "✓", "failed": "✗", "on_track": "·", "at_risk": "!"}


def paragraphs(text: str) -> str:
    """A scenario's text as paragraphs: the line breaks an author typed to keep the YAML
    narrow are joined, so the text wraps to the width it is shown at; blank lines still
    separate paragraphs and list items (``-``, ``*``, ``1.``) keep their own lines.

    >>> paragraphs("Kwame could fix it\\nfast.\\n\\n- one\\n- two")
    'Kwame could fix it fast.\\n\\n- one\\n- two'
    """
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in (raw.strip() for raw in block.splitlines()):
            if not line:
                continue
            if lines and not _LIST_ITEM.match(line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        if lines:
            out.append("\n".join(lines))
    return "\n\n".join(out)


_LIST_ITEM = re.compile(r"([-*•]|\d+[.)])\s")


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """A step of the game that moved an objective's measure: an act, a choice, or an end
    of turn (with what happened at it: an event, a promise falling due, work coming
    back; or nothing but the drift). An end of turn's move includes that turn's drift."""

    turn: int
    #: the objective whose measure moved ("" for trust in the player, in a scenario
    #: without objectives)
    objective: str
    #: how far the measure moved (promises: how many were kept or broken)
    delta: float
    #: the act or choice; ``None`` for an end of turn
    command: Mapping[str, Any] | None = None
    #: the end of turn's report
    report: TurnReport | None = None

    @property
    def drift_only(self) -> bool:
        """An end of turn at which nothing happened but the drift."""
        return self.report is not None and not (
            self.report.events or any(isinstance(r, PromiseChanged | TaskSettled)
                                      for r in self.report.other))


#: a measure that moved less than this did not move, as shown (0.00)
MOVED = 0.005


def _finite(value: Any) -> float | None:
    value = float(value)
    return None if value != value else value


def turning_points(game: Simulation) -> dict[str, list[TurningPoint]]:
    """For each objective (by id), every step that moved its measure, in the order played,
    until the objective was judged: the acts and choices, and the ends of turn. A
    scenario without objectives gets the steps that moved trust in the player (key
    ``""``).

    The game is replayed from its log, measuring after every step: a connection that
    raised the E-I index is a turning point even though nobody's trust in the player
    moved.
    """
    from ..core.simulation import Simulation

    objectives = list(game.setup.objectives)
    replay = Simulation(game.setup, game.seed, undo=False, keep_results=False)

    def measures() -> list[float | None]:
        metrics = replay.metrics()
        if not objectives:
            return [_finite(metrics["trust_in_player"])]
        return [replay.objective_value(o, metrics) for o in objectives]

    ids = [o.id for o in objectives] or [""]
    last_turn = [o.by for o in objectives] or [game.setup.turns]
    found: dict[str, list[TurningPoint]] = {key: [] for key in ids}
    before = measures()
    for cmd in game.log:
        turn = replay.turn
        result = replay.execute(cmd)
        after = measures()
        for key, by, old, new in zip(ids, last_turn, before, after, strict=True):
            if turn <= by and old is not None and new is not None and new != old:
                found[key].append(TurningPoint(
                    turn, key, new - old,
                    report=result if isinstance(result, TurnReport) else None,
                    command=None if isinstance(result, TurnReport) else cmd))
        before = after
    return found


BASE_NAMES = ("ability", "benevolence", "integrity")


def bases_ledger(game: Simulation, narrator: Narrator) -> dict[str, dict[str, float]]:
    """What built and what damaged each base of trust in the player: for each base, the
    summed change (over everyone, heard or direct) by root cause, told in the narrator's
    words ("broken promise", "quick win", an event's title). Drift is left out: it moves
    trust as a whole, not one base."""
    t = narrator.t
    ledger: dict[str, dict[str, float]] = {base: {} for base in BASE_NAMES}
    for result in game.results:
        if isinstance(result, TurnReport | ActResult | ChoiceResult):
            changes = result.changes
        else:  # pragma: no cover - every result is one of the three
            continue
        for change in changes:
            cause = change.cause
            if change.trustee != game.player_id or cause.kind == "drift":
                continue
            if cause.kind == "act" or cause.kind == "task":
                label = t(f"noun.{cause.act}")
            elif cause.kind == "promise_due":
                label = t("cause.promise_due")
            else:
                label = narrator.cause(cause.root)
            for base, moved in zip(BASE_NAMES, change.bases, strict=True):
                if moved:
                    ledger[base][label] = ledger[base].get(label, 0.0) + moved
    return ledger


def acts_by_turn(log: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The commands of a log grouped by turn (choices count in the turn they answer)."""
    turns: list[list[Mapping[str, Any]]] = [[]]
    for cmd in log:
        if cmd["do"] == "end_turn":
            turns.append([])
        else:
            turns[-1].append(cmd)
    return turns
