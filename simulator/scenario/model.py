"""A loaded scenario, in a module of its own so that reading one back from the interface's
cache (see :mod:`simulator.scenario.cache`) needs neither pydantic nor the schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.setup import Setup

if TYPE_CHECKING:
    from .spec import ScenarioSpec

#: The ``format`` field of a saved game (see :mod:`simulator.scenario.game`).
SAVE_FORMAT = "trustsim-save"


@dataclass(slots=True)
class Scenario:
    """A loaded, valid scenario: the core setup plus where it came from."""

    setup: Setup
    path: str
    text: str | None
    sha256: str
    spec: ScenarioSpec | None = None

    @property
    def title(self) -> str:
        return self.setup.title

    @property
    def language(self) -> str:
        return self.setup.language

    @property
    def people(self) -> int:
        return len(self.setup.people)

    def __repr__(self) -> str:
        return (f"Scenario({self.title!r}, {self.people} people, "
                f"{self.setup.turns} turns, path={self.path!r})")


__all__ = ["SAVE_FORMAT", "Scenario"]
