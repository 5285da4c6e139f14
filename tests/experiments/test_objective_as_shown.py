"""Targets compare the value as shown: what the trainee reads is what is judged."""

from __future__ import annotations

import dataclasses

import numpy as np

from simulator.core.records import OBJECTIVE_DECIMALS, ObjectiveStatus
from simulator.core.setup import ObjectiveSetup
from simulator.core.simulation import Simulation
from simulator.core.testing import tiny_setup
from simulator.experiments.narrate import Narrator
from simulator.experiments.report import objective_line
from simulator.i18n import Messages


def _judge(kind: str, value: float, **bounds: float) -> ObjectiveStatus:
    """The final verdict on one objective whose measure is ``value``."""
    objective = ObjectiveSetup("goal", kind, "The goal", 1, **bounds)  # type: ignore[arg-type]
    game = Simulation(dataclasses.replace(tiny_setup(), objectives=[objective]), undo=False)
    metrics = {"cross_team_trust": value, "modularity": value}
    return game._status(objective, metrics, final=True)


def test_a_value_shown_equal_to_its_target_is_met() -> None:
    met = _judge("cross_team_trust", 0.2996, at_least=0.3)
    assert met.state == "met"
    assert met.value == 0.2996  # the measure itself is kept as it is
    assert _judge("cross_team_trust", 0.2949, at_least=0.3).state == "failed"
    # an upper bound too: 0.3004 reads 0.30, which is not above 0.3
    assert _judge("modularity", 0.3004, at_most=0.3).state == "met"
    assert _judge("modularity", 0.3051, at_most=0.3).state == "failed"


def test_the_verdict_agrees_with_the_number_shown_everywhere() -> None:
    """Around a target, "met" exactly when the number the interface, the headless run
    and the debrief print reaches it; they all print the same number and target."""
    narrator = Narrator(Messages("en"), {}, "player", {}, {})
    for value in np.linspace(0.27, 0.33, 601):
        status = _judge("cross_team_trust", float(value), at_least=0.3)
        shown = f"{float(value):.{OBJECTIVE_DECIMALS}f}"
        assert (status.state == "met") == (float(shown) >= 0.3), (value, status.state)
        word = "met" if status.state == "met" else "FAILED"
        assert f": {word}, {shown} (target 0.30 by turn 1)" in objective_line(status)
        assert narrator.objective(status).endswith(f", {shown} (target 0.30, turn 1)")


def test_the_slip_of_the_issue_is_gone() -> None:
    """``FAILED, 0.30 (target 0.3)``: a value that reads like its target fails no more."""
    for value in np.linspace(0.29501, 0.29999, 50):
        line = objective_line(_judge("cross_team_trust", float(value), at_least=0.3))
        assert line.endswith("met, 0.30 (target 0.30 by turn 1)"), line


def test_a_dutch_run_tells_its_objectives_in_dutch() -> None:
    """The headless run of a Dutch scenario: no English "met, 0.63" after a Dutch text."""
    status = _judge("cross_team_trust", 0.634, at_least=0.6)
    assert objective_line(status, "nl").endswith(": gehaald, 0,63 (doel 0,60, beurt 1)")
    failed = _judge("cross_team_trust", 0.5, at_least=0.6)
    assert objective_line(failed, "nl").endswith(": NIET GEHAALD, 0,50 (doel 0,60, beurt 1)")
    assert "met" not in objective_line(status, "nl").split(": ", 1)[1]
