"""The scenario file format: specs, YAML loading with positions, errors, schema, saves."""

from .errors import Problem, SaveError, ScenarioError
from .game import Game
from .loader import Scenario, load_scenario, load_scenario_text

__all__ = ["Game", "Problem", "SaveError", "Scenario", "ScenarioError", "load_scenario",
           "load_scenario_text"]
