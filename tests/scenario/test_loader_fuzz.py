"""Mutated scenario files: the loader returns a scenario or raises ScenarioError, nothing else,
and whatever it accepts can be played.

Valid files (the shipped scenarios) are mutated at the byte, line and value level, one to
three times. ``TRUSTSIM_FUZZ_EXAMPLES`` raises the number of examples for a longer hunt
(CI runs the default; examples are derandomised, so a CI run is repeatable).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulator.core.simulation import Simulation
from simulator.experiments.strategies import play_strategy
from simulator.scenario.errors import ScenarioError
from simulator.scenario.library import shipped_scenarios
from simulator.scenario.loader import load_scenario_bytes
from simulator.scenario.model import Scenario

NAME = "fuzzed.yaml"
SOURCES = [p.read_bytes() for p in shipped_scenarios()]
EXAMPLES = int(os.environ.get("TRUSTSIM_FUZZ_EXAMPLES", "250"))

HOSTILE_VALUES = [
    ".nan", ".inf", "-.inf", "1e400", "-1", "0", "99999999999999999999", "~", "null", "[]",
    "{}", "*a", "&a x", "!!python/object:os.system", "yes", "no", "0x10", "010", "1:30",
    "1_000", "'", '"', "[", "{", "|", ">-", "- x", "? x", "true", "2001-12-14", "é",
    "e\u0301", "\ufb01", "x\u200by", "\u202eevil", "\x00", "\t", "💥" * 50, "x" * 5000,
    "[" * 80 + "]" * 80, "{a: 1, a: 2}", "player", "*", ":", "#", "- [a, b]",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "line_dup",
                                     "line_del", "line_swap", "value", "value", "value"]))
        n = max(1, len(data))
        i = draw(st.integers(0, n - 1))
        if kind == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[i: i + draw(st.integers(1, 40))]
        elif kind == "truncate":
            del data[i:]
        else:
            lines = bytes(data).split(b"\n")
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "line_dup":
                lines.insert(j, lines[j])
            elif kind == "line_del":
                del lines[j]
            elif kind == "line_swap":
                k = draw(st.integers(0, len(lines) - 1))
                lines[j], lines[k] = lines[k], lines[j]
            else:  # replace the value after a key with a hostile one
                text = lines[j].decode("utf-8", "replace")
                value = draw(st.sampled_from(HOSTILE_VALUES))
                text = re.sub(r":\s.*$", ": " + value, text, count=1) if ": " in text \
                    else text + value
                lines[j] = text.encode("utf-8", "surrogatepass")
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_loader_returns_a_scenario_or_raises_scenario_error(data: bytes) -> None:
    try:
        scenario = load_scenario_bytes(data, NAME)
    except ScenarioError as error:
        event(f"refused: {error.problems[0].kind}")
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith(NAME), str(problem)
        return
    event("accepted")
    assert isinstance(scenario, Scenario)
    # what the loader accepts must play: a whole game of random acts
    game = Simulation(scenario.setup, seed=1, undo=False)
    play_strategy(game, "random", seed=1)
    assert game.over
