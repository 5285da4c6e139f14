"""The debrief's turning points are what moved each objective's measure, and its table
of measures shows what the objectives measure, not only trust across everyone."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.core.effects import PLAYER
from simulator.core.records import Cause
from simulator.experiments.compare import Session, compare_markdown
from simulator.experiments.debrief import debrief_markdown
from simulator.experiments.narrate import Narrator, turning_points
from simulator.experiments.script import parse_script
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _reference(name: str) -> Game:
    """A shipped scenario played to the end by its reference solution."""
    game = Game(load_scenario(SCENARIOS / f"{name}.yaml"))
    acts = SCENARIOS / f"{name}.acts"
    for _, cmd in parse_script(acts.read_text(encoding="utf-8"), str(acts)):
        game.execute(cmd)
    assert game.over and game.won
    return game


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_each_step_moved_its_objective_as_a_replay_measures_it() -> None:
    game = _reference("two-floors")
    points = turning_points(game)
    assert set(points) == {o.id for o in game.setup.objectives}
    # the moves of every step, added up, are how far each measure went by its turn
    start = Game(load_scenario(SCENARIOS / "two-floors.yaml"))
    for objective in game.setup.objectives:
        first = start.objective_value(objective, start.history[0])
        last = next(s.value for s in game.objectives() if s.id == objective.id)
        assert first is not None and last is not None
        moved = sum(p.delta for p in points[objective.id])
        assert abs(first + moved - last) < 1e-9, objective.id
        assert all(p.turn <= objective.by for p in points[objective.id])


def test_two_floors_names_the_connections_that_won_it() -> None:
    """The connections barely move trust in the player, so a debrief that listed only
    that named none of them; they are what raised Engineering's E-I index."""
    game = _reference("two-floors")
    connects = sum(1 for c in game.log if c.get("act") == "connect")
    text = debrief_markdown(game, language="en")
    turning = _section(text, "Turning points")
    ei = next(o for o in game.setup.objectives if o.kind == "team_ei")
    block = turning.split(f"- {ei.text}:\n", 1)[1].split("\n- ", 1)[0]
    lines = block.splitlines()
    moved = [p for p in turning_points(game)[ei.id]
             if p.command is not None and p.command.get("act") == "connect"]
    assert len(moved) > 10 and connects >= len(moved)
    assert lines[0].strip().startswith(f"- Connect, {len(moved)} times (+"), lines
    # the choice and the event that moved it are told by their names and turns
    assert any("You chose: Negotiate a staged launch together" in line for line in lines)
    assert any(line.strip().startswith("- End of turn 4: Budget review (-") for line in lines)
    # every objective has its own list
    for objective in game.setup.objectives:
        assert f"- {objective.text}:\n    - " in turning


def test_the_measures_start_with_what_the_objectives_measure() -> None:
    game = _reference("two-floors")
    table = _section(debrief_markdown(game, language="en"), "From first to last turn")
    rows = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()
            if line.startswith("| ") and "---" not in line][1:]
    # Engineering's trust in the player is the objective: first, marked, with its value
    assert rows[:3] == ["Trust across teams (your objective)",
                        "Engineering: E-I index (your objective)",
                        "Engineering: trust in you (your objective)"]
    own = next(line for line in table.splitlines()
               if line.startswith("| Engineering: trust in you (your objective)"))
    team = game.history[-1]["team_trust_in_player"]["eng"]
    assert own.endswith(f"| {team:.2f} |")
    # trust in the player across everyone is named as such, and each measure shows once
    assert "Trust in you (everyone)" in rows and "Trust in you" not in rows
    assert len(rows) == len(set(rows))
    assert "Sales: trust in you" in rows and "Engineering: trust in you" not in rows


def test_a_person_objective_shows_that_persons_trust() -> None:
    game = Game(load_scenario(SCENARIOS / "new-in-the-chair.yaml"))
    objective = game.setup.objectives[0]
    person = type(objective)("tomas-trust", "trust_in_player", "Tomás trusts you", 2,
                             who="tomas", at_least=0.9)
    game.setup.objectives = [person]
    game.execute({"do": "act", "act": "quick_win", "target": "tomas"})
    game.execute({"do": "end_turn"})
    text = debrief_markdown(game, language="en")
    row = next(line for line in text.splitlines()
               if line.startswith("| Tomás Ruiz: trust in you (your objective)"))
    start = Game(load_scenario(SCENARIOS / "new-in-the-chair.yaml")).trust("tomas", PLAYER)
    assert row == (f"| Tomás Ruiz: trust in you (your objective) | {start:.2f} | "
                   f"{game.trust('tomas', PLAYER):.2f} |")
    assert re.search(r"- Turn 1: Quick win Tomás Ruiz \(\+0\.\d\d\)",
                     _section(text, "Turning points"))


def test_the_room_report_names_each_objectives_biggest_mover() -> None:
    game = _reference("two-floors")
    report = compare_markdown([Session("ana", game)])
    line = next(x for x in _section(report, "Turning points").splitlines()
                if x.startswith("- **ana**"))
    assert "Connect, " in line and line.count(";") == len(game.setup.objectives) - 1
    # each mover after the objective it moved
    for objective in game.setup.objectives:
        assert f"{objective.text}: " in line


def test_dutch_turning_points_and_causes_read_as_dutch() -> None:
    game = _reference("ruimte-om-te-groeien")
    text = debrief_markdown(game)
    turning = _section(text, "Keerpunten")
    assert "keer (+0,0" in turning and "in totaal" in turning
    # "your quick win" inflects in Dutch: jouw snelle succes, not jouw snel succes
    narrator = Narrator.for_game(game, "nl")
    mine = Cause("act", "quick_win", game.player_id, "x")
    assert narrator.cause(mine) == "jouw snelle succes"
    assert narrator.cause(Cause("act", "delegate", game.player_id, "x")) == \
        "jouw gedelegeerde werk"
    assert narrator.cause(Cause("act", "coach", game.player_id, "x")) == "jouw coaching"


def test_a_dutch_room_report_has_no_english_words_or_numbers() -> None:
    game = _reference("ruimte-om-te-groeien")
    report = compare_markdown([Session("ana", game)])
    header, _rule, row = report.split("\n\n")[1].splitlines()[:3]
    assert header.startswith("| sessie | Doelen | Vertrouwen in jou (iedereen) |")
    assert header.endswith("| week af in beurt |")
    trust = game.history[-1]["trust_in_player"]
    assert f"| {trust:.2f} |".replace(".", ",") in row
    assert "| beurt | ana |" in report
