"""The domain core: people, ties, acts, spread, turn dynamics, silo metrics.

No Textual, no Rich, no YAML, no file I/O: everything here runs without a screen.
"""

from .acts import ACTS, ActArgs, ActSpec
from .errors import ActNotAllowed, TrustsimError, UnknownAct
from .params import PARAMS, Param, Params
from .records import (
    ActResult,
    Cause,
    ChoiceResult,
    EventFired,
    ObjectiveStatus,
    Promise,
    PromiseChanged,
    TieChanged,
    TraitChanged,
    TrustChanged,
    TurnReport,
    explain,
)
from .setup import Setup
from .simulation import Command, Simulation

__all__ = [
    "ACTS", "PARAMS", "ActArgs", "ActNotAllowed", "ActResult", "ActSpec", "Cause",
    "ChoiceResult", "Command", "EventFired", "ObjectiveStatus", "Param", "Params", "Promise",
    "PromiseChanged", "Setup", "Simulation", "TieChanged", "TraitChanged", "TrustChanged",
    "TrustsimError", "TurnReport", "UnknownAct", "explain",
]
