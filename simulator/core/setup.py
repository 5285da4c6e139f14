"""What a game starts from: plain, validated values built by the scenario layer.

The core never parses files. ``simulator.scenario`` turns a YAML or compact file into a
:class:`Setup`; tests and the lab can also build one directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from .params import Params

Role = Literal["executive", "manager", "employee"]
ROLES: tuple[Role, ...] = ("executive", "manager", "employee")

#: Edge kinds, stored per edge as int8.
WITHIN, CROSS, REPORTING = 0, 1, 2


@dataclass(frozen=True, slots=True)
class TeamSetup:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class PersonSetup:
    id: str
    name: str
    role: Role
    team: str
    manager: str | None = None
    competence: float = 0.5
    openness: float = 0.5
    propensity: float = 0.5
    description: str = ""


@dataclass(frozen=True, slots=True)
class PromiseSetup:
    id: str
    by: str
    to: str
    what: str
    due: int


# -- effects: what events and dilemma options do -----------------------------------------


@dataclass(frozen=True, slots=True)
class TrustEffect:
    """Shift the trust of ``who`` (person, team or ``*`` for everyone) in ``in_`` by ``by``.

    ``in_`` is a person, a team (meaning each of its members) or ``*`` (everyone outside
    ``who``'s own team). ``by`` is a signal: positive values grow trust with bounded
    growth, negative ones apply the asymmetry.
    """

    who: str
    in_: str
    by: float
    spread: bool = False
    #: the one base it moves (ability, benevolence or integrity), or all three
    base: Literal["ability", "benevolence", "integrity"] | None = None


@dataclass(frozen=True, slots=True)
class PromiseEffect:
    promise: str
    outcome: Literal["keep", "break"]


@dataclass(frozen=True, slots=True)
class CapacityEffect:
    """Change the player's capacity for the next turn only."""

    by: int


@dataclass(frozen=True, slots=True)
class TieEffect:
    """Scale tie strength between two groups (people or teams), ``factor`` in [0, 2],
    then add ``add``: with ``add`` above 0 every pair between the groups gets a tie."""

    between: str
    and_: str
    factor: float = 1.0
    #: strength added to every pair between the two groups, creating ties where none were
    add: float = 0.0


@dataclass(frozen=True, slots=True)
class MoveEffect:
    """Move a person to another team (and optionally another manager)."""

    person: str
    team: str
    manager: str | None = None


@dataclass(frozen=True, slots=True)
class HireEffect:
    """A new person joins; ties to their team and manager use the scenario's defaults."""

    person: PersonSetup


Effect = TrustEffect | PromiseEffect | CapacityEffect | TieEffect | MoveEffect | HireEffect


@dataclass(frozen=True, slots=True)
class OptionSetup:
    id: str
    label: str
    effects: tuple[Effect, ...] = ()
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class EventSetup:
    """A scripted event, fired at the end of ``turn``."""

    id: str
    turn: int
    kind: str
    title: str
    text: str
    effects: tuple[Effect, ...] = ()
    options: tuple[OptionSetup, ...] = ()


# -- objectives -----------------------------------------------------------------------------

ObjectiveKind = Literal[
    "trust_in_player", "team_ei", "cross_team_trust", "no_broken_promises",
    "modularity", "promises_kept",
]


@dataclass(frozen=True, slots=True)
class ObjectiveSetup:
    """One goal. ``who`` is a person or team id where the kind needs one.

    ``at_least`` / ``at_most`` give the threshold; ``by`` the turn at whose end it is judged.
    """

    id: str
    kind: ObjectiveKind
    text: str
    by: int
    who: str | None = None
    at_least: float | None = None
    at_most: float | None = None


@dataclass(frozen=True, slots=True)
class TieDefaults:
    trust: float
    strength: float


@dataclass(slots=True)
class Setup:
    """Everything a game needs, resolved to plain values.

    ``ties`` are parallel arrays over directed edges: ``src``, ``dst`` (person indices),
    ``trust`` and ``strength``. Duplicates are not allowed; the scenario layer merges them.
    """

    title: str
    language: str
    seed: int
    turns: int
    player: str
    capacity: int
    params: Params
    teams: list[TeamSetup]
    people: list[PersonSetup]
    tie_src: npt.NDArray[np.int32]
    tie_dst: npt.NDArray[np.int32]
    tie_trust: npt.NDArray[np.float64]
    tie_strength: npt.NDArray[np.float64]
    promises: list[PromiseSetup] = field(default_factory=list)
    events: list[EventSetup] = field(default_factory=list)
    objectives: list[ObjectiveSetup] = field(default_factory=list)
    debrief: list[str] = field(default_factory=list)
    brief: str = ""
    summary: str = ""
    within_team: TieDefaults | None = field(default_factory=lambda: TieDefaults(0.5, 0.6))
    reporting: TieDefaults = field(default_factory=lambda: TieDefaults(0.55, 0.8))

    def descriptions(self) -> dict[str, str]:
        """The scenario's words about its teams and people, by id (those who join in an
        event too); only those that have some.

        >>> from simulator.core.testing import tiny_setup
        >>> tiny_setup().descriptions()
        {}
        """
        found = {t.id: t.description for t in self.teams if t.description}
        people = list(self.people)
        for event in self.events:
            people += [e.person for e in event.effects if isinstance(e, HireEffect)]
        found.update((p.id, p.description) for p in people if p.description)
        return found
