"""The scenario file format: specs, YAML loading with positions, errors, schema, saves.

Names are imported lazily: ``simulator.scenario.errors`` is light, the loader is not.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import Problem, SaveError, ScenarioError
    from .game import Game
    from .loader import load_scenario, load_scenario_text
    from .model import Scenario

_WHERE = {
    "Problem": "errors", "SaveError": "errors", "ScenarioError": "errors",
    "Game": "game", "Scenario": "model", "load_scenario": "loader",
    "load_scenario_text": "loader",
}

__all__ = [
    "Game",
    "Problem",
    "SaveError",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "load_scenario_text",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.scenario' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
