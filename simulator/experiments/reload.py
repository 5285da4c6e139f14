"""A game carried over to a new version of its scenario file (``trustsim play --watch``).

An author edits the scenario while playing it; the game is rebuilt on the new version and
the commands played so far are replayed, in order, where they still apply. A command the
new version refuses (a person renamed away, an act with no capacity left, a dilemma that
is gone) is skipped, with the reason, and the replay goes on with the next one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ActNotAllowed
from ..scenario.game import Game
from ..scenario.loader import Scenario


@dataclass(frozen=True, slots=True)
class Skipped:
    """A command of the old game that the new version refused, and why."""

    command: dict[str, Any]
    reason: str
    code: str | None = None  # the refusal's code (``no_capacity``, ...), to translate it


@dataclass(slots=True)
class Replay:
    """The new game, and what became of the old game's commands."""

    game: Game
    replayed: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def acts(self) -> int:
        """How many of the old game's acts there were."""
        return sum(c["do"] == "act" for c in [*self.replayed, *(s.command for s in
                                                                 self.skipped)])

    @property
    def acts_replayed(self) -> int:
        return sum(c["do"] == "act" for c in self.replayed)


def replay(scenario: Scenario, log: Sequence[dict[str, Any]], *,
           seed: int | None = None) -> Replay:
    """A new game of ``scenario`` that plays ``log`` where it still applies.

    >>> from simulator.scenario.library import resolve_scenario
    >>> from simulator.scenario.loader import load_scenario
    >>> scenario = load_scenario(resolve_scenario("two-floors"))
    >>> done = replay(scenario, [{"do": "act", "act": "coach", "target": "dana"},
    ...                          {"do": "act", "act": "quick_win", "target": "priya"}])
    >>> done.acts_replayed, done.acts, done.skipped[0].reason
    (1, 2, "there is nobody called 'dana'")
    """
    game = Game(scenario, seed)
    result = Replay(game)
    for cmd in log:
        try:
            game.execute(cmd)
        except ActNotAllowed as refusal:
            result.skipped.append(Skipped(dict(cmd), refusal.reason, refusal.code))
        except (KeyError, TypeError, ValueError) as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            result.skipped.append(Skipped(dict(cmd), reason))
        else:
            result.replayed.append(dict(cmd))
    return result


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """What tells a file changed without reading it: its modification time and size
    (``None`` when it cannot be read)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


__all__ = ["Replay", "Skipped", "file_stamp", "replay"]
