"""The Markdown debrief: acts in words, and the other courses a rewind left behind."""

from __future__ import annotations

from pathlib import Path

from simulator.experiments.debrief import debrief_markdown
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario

CHAIR = Path(__file__).resolve().parents[2] / "scenarios" / "new-in-the-chair.yaml"


def _played(*turns: list[dict[str, object]]) -> Game:
    game = Game(load_scenario(CHAIR))
    for acts in turns:
        for cmd in acts:
            game.execute(cmd)
        game.execute({"do": "end_turn"})
    return game


def test_promises_are_told_by_what_they_promise_not_their_id() -> None:
    game = _played([{"do": "act", "act": "keep_promise", "promise": "rota"}],
                   [{"do": "act", "act": "make_promise", "target": "sami", "due": 4}])
    made = next(p for p in game.promises() if p.to == "sami")
    game.execute({"do": "act", "act": "keep_promise", "promise": made.id})
    text = debrief_markdown(game, language="en")
    rota = next(p for p in game.promises() if p.id == "rota")
    assert f"Keep promise “{rota.what}” to Tomás Ruiz" in text
    assert f"Keep promise “{made.what}” to Sami Haddad" in text
    assert f"promise {made.id}" not in text and "promise rota" not in text
    assert "“" in debrief_markdown(game, language="nl").split("## ")[-2]


def test_a_course_replayed_after_a_rewind_is_not_another_course() -> None:
    win = {"do": "act", "act": "quick_win", "target": "tomas"}
    game = _played([win], [win])
    before = list(game.log)
    game.rewind(2)
    for cmd in before[len(game.log):]:  # the same acts again
        game.execute(cmd)
    assert game.log == before
    assert "other course" not in debrief_markdown(game, language="en", branches=[before])


def test_a_different_course_left_mid_game_shows_the_turn_it_reached() -> None:
    win = {"do": "act", "act": "quick_win", "target": "tomas"}
    game = _played([win], [win])
    abandoned = list(game.log)
    game.rewind(2)
    game.execute({"do": "act", "act": "quick_win", "target": "sami"})
    text = debrief_markdown(game, language="en", branches=[abandoned, abandoned])
    assert text.count("| Your other course 1 (turn 3) |") == 1  # the two alike: one course
    assert "Your other course 2" not in text
    assert "### Your other course 1" in text
