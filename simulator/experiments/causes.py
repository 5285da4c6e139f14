"""Explanations in aggregate: how much each act and each kind of cause moved trust.

At the scale of a lab run (thousands of managers acting every turn) nobody reads one line
per change, but the explanations must not be dropped: :class:`CauseTally` observes every
result of a game and adds each trust change to its root cause, per team of the person
whose trust moved. The lab writes the sums as ``moved_*`` columns, one row per turn x
team (see docs/lab.md):

- ``moved_<act>``: changes whose root is that act (by the player or any manager),
  including what others heard of it;
- ``moved_task``: delegated work and quick wins settled at the end of the turn;
- ``moved_promise_due``: promises that lapsed by themselves;
- ``moved_event``: scripted and random events, and dilemma choices;
- ``moved_heard``: the part of all the above that travelled by hearsay.

What is left of a team's change over a turn is the end-of-turn dynamics (memory, drift,
erosion, cohesion, decay, closure), which move every tie a little and are summarised,
not itemised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.acts import ACTS
from ..core.records import TrustChanged
from ..core.simulation import Result, Simulation

ACT_CAUSES = sorted(ACTS)
OTHER_CAUSES = ["task", "promise_due", "event"]
CAUSE_COLUMNS = [f"moved_{name}" for name in (*ACT_CAUSES, *OTHER_CAUSES, "heard")]


class CauseTally:
    """Adds up every trust change of a game by root cause and team (see the module).

    >>> from simulator.core.testing import tiny_setup
    >>> game = Simulation(tiny_setup(), undo=False)
    >>> tally = CauseTally(game)
    >>> _ = game.act("quick_win", "ben")
    >>> row = tally.take()
    >>> float(row["moved_quick_win"].sum()) > 0, float(row["moved_delegate"].sum())
    (True, 0.0)
    """

    def __init__(self, game: Simulation) -> None:
        self.world = game.world
        self._column = {name: i for i, name in enumerate(ACT_CAUSES)}
        self._other = {name: len(ACT_CAUSES) + i for i, name in enumerate(OTHER_CAUSES)}
        self._other["dilemma"] = self._other["event"]
        self._heard = len(ACT_CAUSES) + len(OTHER_CAUSES)
        self.sums = np.zeros((len(CAUSE_COLUMNS), len(self.world.team_ids)))
        game.observers.append(self.observe)

    def observe(self, result: Result) -> None:
        changes: Any = getattr(result, "changes", ())
        if changes:
            self.add(changes)

    def add(self, changes: tuple[TrustChanged, ...]) -> None:
        w = self.world
        index, team, sums = w.index, w.team, self.sums
        for change in changes:
            cause = change.cause
            if cause.kind == "drift":
                continue
            row = (self._column.get(cause.act) if cause.kind in ("act", "heard")
                   else self._other.get(cause.kind))
            if row is None:
                continue
            t = int(team[index[change.truster]])
            delta = change.after - change.before
            sums[row, t] += delta
            if cause.via:
                sums[self._heard, t] += delta

    def take(self) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
        """The sums since the last call, per column (one value per team), and reset."""
        out = {name: self.sums[i].copy() for i, name in enumerate(CAUSE_COLUMNS)}
        self.sums[:] = 0.0
        return out


__all__ = ["CAUSE_COLUMNS", "CauseTally"]
