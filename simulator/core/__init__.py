"""The domain core: people, ties, acts, spread, turn dynamics, silo metrics.

No Textual, no Rich, no YAML, no file I/O: everything here runs without a screen.
Names are imported lazily so that importing one light module (``records``, ``errors``)
does not pull in numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .acts import ACTS, ActArgs, ActSpec
    from .errors import ActNotAllowed, TrustsimError, UnknownAct
    from .params import PARAMS, Param, Params
    from .records import (
        ActResult,
        Bases,
        Cause,
        ChoiceResult,
        EventFired,
        ObjectiveStatus,
        Promise,
        PromiseChanged,
        TaskSettled,
        TieChanged,
        TraitChanged,
        TrustChanged,
        TurnReport,
        explain,
    )
    from .setup import Setup
    from .simulation import Command, Simulation

_WHERE = {
    "ACTS": "acts", "ActArgs": "acts", "ActSpec": "acts",
    "ActNotAllowed": "errors", "TrustsimError": "errors", "UnknownAct": "errors",
    "PARAMS": "params", "Param": "params", "Params": "params",
    "ActResult": "records", "Bases": "records", "Cause": "records", "ChoiceResult": "records",
    "EventFired": "records", "ObjectiveStatus": "records", "Promise": "records",
    "PromiseChanged": "records", "TaskSettled": "records", "TieChanged": "records",
    "TraitChanged": "records", "TrustChanged": "records", "TurnReport": "records",
    "explain": "records",
    "Setup": "setup", "Command": "simulation", "Simulation": "simulation",
}

__all__ = [
    "ACTS",
    "PARAMS",
    "ActArgs",
    "ActNotAllowed",
    "ActResult",
    "ActSpec",
    "Bases",
    "Cause",
    "ChoiceResult",
    "Command",
    "EventFired",
    "ObjectiveStatus",
    "Param",
    "Params",
    "Promise",
    "PromiseChanged",
    "Setup",
    "Simulation",
    "TaskSettled",
    "TieChanged",
    "TraitChanged",
    "TrustChanged",
    "TrustsimError",
    "TurnReport",
    "UnknownAct",
    "explain",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.core' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
