"""Records of what happened. The interface renders these; it never recomputes a rule.

Every number that moves is carried by a record with its cause chain, so an act can be
explained as "Ben +0.12 trust in Ana: quick win by Ana" and its spread as
"Eli +0.03 trust in Ana: heard it from Ben".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

CauseKind = Literal["act", "heard", "drift", "event", "promise_due", "dilemma", "task"]


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a value moved.

    ``kind`` is the root: an ``act`` (``act`` names it, ``actor`` did it), an ``event``
    (``act`` is the event kind, ``detail`` its id), a ``promise_due`` that broke by
    itself, a ``dilemma`` choice, a delegated ``task`` settled at the end of the turn
    (``detail`` says how it went), or end-of-turn ``drift``. ``via`` lists the people
    the news passed through, nearest to the listener first: ``("eli", "dana")`` reads
    "heard it from Eli, who heard it from Dana".
    """

    kind: CauseKind
    act: str = ""
    actor: str = ""
    target: str = ""
    detail: str = ""
    via: tuple[str, ...] = ()

    def heard_from(self, teller: str) -> Cause:
        """The same cause, passed on once more by ``teller``."""
        return Cause(self.kind, self.act, self.actor, self.target, self.detail,
                     (teller, *self.via))

    @property
    def root(self) -> Cause:
        """The cause without its hearsay chain."""
        return Cause(self.kind, self.act, self.actor, self.target, self.detail)


ACT_NOUNS: dict[str, str] = {
    "delegate": "delegated work",
    "quick_win": "quick win",
    "feedback": "feedback",
    "break_promise": "broken promise",
    "make_promise": "promise made",
    "keep_promise": "promise kept",
    "recognise": "recognition",
    "coach": "coaching",
    "connect": "introduction",
    "apologise": "apology",
}


def explain(cause: Cause, names: Mapping[str, str] | None = None) -> str:
    """Plain-English reason for a change (the interface may translate instead).

    >>> explain(Cause("act", "quick_win", "ana", "ben"), {"ana": "Ana"})
    'quick win by Ana'
    >>> names = {"ben": "Ben", "eli": "Eli"}
    >>> explain(Cause("act", "quick_win", "ana", "ben", via=("eli", "ben")), names)
    'heard it from Eli, who heard it from Ben'
    """
    names = names or {}

    def name(pid: str) -> str:
        return names.get(pid, pid)

    if cause.via:
        chain = ", who heard it from ".join(name(p) for p in cause.via)
        return f"heard it from {chain}"
    if cause.kind == "act":
        noun = ACT_NOUNS.get(cause.act, cause.act.replace("_", " "))
        text = f"{noun} by {name(cause.actor)}"
        return f"{text} ({cause.detail})" if cause.detail else text
    if cause.kind == "promise_due":
        return f"promise {cause.detail} not kept by its due turn"
    if cause.kind == "task":
        if cause.act == "quick_win":
            return f"quick win by {name(cause.actor)}: {cause.detail}"
        return f"the task {name(cause.actor)} delegated {cause.detail}"
    if cause.kind == "event":
        return f"{cause.act.replace('_', ' ')} ({cause.detail})" if cause.detail else cause.act
    if cause.kind == "dilemma":
        return f"dilemma {cause.detail}"
    return "drift at end of turn"


#: The three bases of trust, in the order every signal and record uses.
BASE_NAMES = ("ability", "benevolence", "integrity")


class Bases(NamedTuple):
    """One person's view of another on the three bases of trust (Mayer, Davis and
    Schoorman 1995), each between 0 and 1."""

    ability: float
    benevolence: float
    integrity: float


@dataclass(frozen=True, slots=True)
class TrustChanged:
    """``truster``'s trust in ``trustee`` moved from ``before`` to ``after``.

    ``bases`` is how much each of the three bases moved: (ability, benevolence,
    integrity).
    """

    truster: str
    trustee: str
    before: float
    after: float
    cause: Cause
    bases: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def base(self) -> str:
        """The base that moved most (what this change was about)."""
        sizes = [abs(x) for x in self.bases]
        return BASE_NAMES[sizes.index(max(sizes))]

    @property
    def singled_out(self) -> str | None:
        """The base this change was about, if one stands out (moved a quarter more than any
        other); ``None`` when the three moved alike (an event that names no base)."""
        sizes = sorted((abs(x) for x in self.bases), reverse=True)
        if sizes[0] <= 0.0 or sizes[0] < 1.25 * sizes[1]:
            return None
        return self.base

    @property
    def direct(self) -> bool:
        return not self.cause.via


@dataclass(frozen=True, slots=True)
class TieChanged:
    """The tie strength from ``source`` to ``other`` moved (how often they interact)."""

    source: str
    other: str
    before: float
    after: float
    cause: Cause

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class TraitChanged:
    """A person's trait (competence, openness, propensity) moved."""

    person: str
    trait: str
    before: float
    after: float
    cause: Cause

    @property
    def delta(self) -> float:
        return self.after - self.before


PromiseStatus = Literal["open", "kept", "broken"]


@dataclass(frozen=True, slots=True)
class Promise:
    """Who promised what to whom, due by which turn, and what became of it.

    ``made`` is the turn it was made (0 for promises the scenario starts with): a promise
    counts only once it has been open over an end of turn. ``early`` is true for a promise
    broken before its due turn, saying so in time.
    """

    id: str
    by: str
    to: str
    what: str
    due: int
    status: PromiseStatus = "open"
    settled_turn: int | None = None
    made: int = 0
    early: bool = False


@dataclass(frozen=True, slots=True)
class PromiseChanged:
    """A promise was made, kept or broken."""

    promise: Promise
    cause: Cause


@dataclass(frozen=True, slots=True)
class TaskSettled:
    """Delegated work came back at the end of the turn (``succeeded`` or ``failed``), or a
    quick win was delivered or fell flat (``act`` "quick_win").

    ``chance`` is the chance it had; ``supported`` whether the manager had coached the
    report or given feedback that landed, this turn or the one before.
    """

    manager: str
    report: str
    turn: int
    outcome: Literal["succeeded", "failed"]
    chance: float
    supported: bool
    cause: Cause
    act: str = "delegate"  # or "quick_win": delivered (succeeded) or fell flat (failed)


@dataclass(frozen=True, slots=True)
class EventFired:
    """A scripted or random event happened at the end of a turn."""

    id: str
    kind: str
    title: str
    text: str
    turn: int
    scripted: bool = True
    options: tuple[tuple[str, str], ...] = ()  # (option id, label) for dilemmas

    @property
    def is_dilemma(self) -> bool:
        return bool(self.options)


Record = TrustChanged | TieChanged | TraitChanged | PromiseChanged | TaskSettled


@dataclass(frozen=True, slots=True)
class ActResult:
    """What one act did."""

    act: str
    actor: str
    target: str
    turn: int
    outcome: str = ""
    changes: tuple[TrustChanged, ...] = ()
    other: tuple[Record, ...] = ()

    @property
    def direct(self) -> tuple[TrustChanged, ...]:
        return tuple(c for c in self.changes if c.direct)

    @property
    def heard(self) -> tuple[TrustChanged, ...]:
        return tuple(c for c in self.changes if not c.direct)


ObjectiveState = Literal["on_track", "at_risk", "met", "failed"]

#: Decimals an objective's measure is shown with, everywhere (the interface, the headless
#: run, the debrief). Targets are judged on the value rounded to these decimals, so a value
#: shown as 0.30 meets a target of 0.3: what the trainee reads is what is judged.
OBJECTIVE_DECIMALS = 2


def as_shown(value: float) -> float:
    """An objective's measure as it is shown and judged (rounded to
    :data:`OBJECTIVE_DECIMALS`).

    >>> as_shown(0.2996), as_shown(0.2949), as_shown(-0.4951)
    (0.3, 0.29, -0.5)
    """
    return round(value, OBJECTIVE_DECIMALS)


@dataclass(frozen=True, slots=True)
class ObjectiveStatus:
    """Where one objective stands after a turn."""

    id: str
    text: str
    state: ObjectiveState
    value: float | None
    target: float | None
    by: int
    kind: str = ""  # the objective's kind (trust_in_player, promises_kept, ...)

    @property
    def done(self) -> bool:
        return self.state in ("met", "failed")


@dataclass(frozen=True, slots=True)
class DriftSummary:
    """End-of-turn dynamics over the whole organisation, in aggregate."""

    edges: int
    mean_trust_change: float
    mean_within_change: float
    mean_cross_change: float
    ties_weakened: int
    ties_formed: int = 0  # pairs that became tied by closure


@dataclass(frozen=True, slots=True)
class TurnReport:
    """What the end of a turn did: drift, promises due, events, objectives."""

    turn: int
    changes: tuple[TrustChanged, ...] = ()
    other: tuple[Record, ...] = ()
    events: tuple[EventFired, ...] = ()
    objectives: tuple[ObjectiveStatus, ...] = ()
    drift: DriftSummary | None = None
    metrics: Mapping[str, object] = field(default_factory=dict)
    over: bool = False


@dataclass(frozen=True, slots=True)
class ChoiceResult:
    """What choosing an option of a dilemma did."""

    event: str
    option: str
    changes: tuple[TrustChanged, ...] = ()
    other: tuple[Record, ...] = ()
