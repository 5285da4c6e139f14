"""trustsim: a simulator of trust and silos at work.

>>> from simulator import load_scenario, Game, ScenarioError, ActNotAllowed

Names are imported lazily so that ``import simulator`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .core.errors import ActNotAllowed
    from .scenario import Game, Scenario, ScenarioError, load_scenario

_LAZY = {
    "load_scenario": "simulator.scenario",
    "Game": "simulator.scenario",
    "Scenario": "simulator.scenario",
    "ScenarioError": "simulator.scenario",
    "SaveError": "simulator.scenario",
    "ActNotAllowed": "simulator.core.errors",
}

__all__ = ["ActNotAllowed", "Game", "Scenario", "ScenarioError", "__version__", "load_scenario"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
