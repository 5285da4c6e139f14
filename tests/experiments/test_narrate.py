"""How records and scenario texts are told to the player."""

from __future__ import annotations

from pathlib import Path

from simulator.experiments.narrate import Narrator, paragraphs
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario

CHAIR = Path(__file__).resolve().parents[2] / "scenarios" / "new-in-the-chair.yaml"


def test_paragraphs_join_the_lines_an_author_wrapped() -> None:
    text = "Kwame could fix it\n  fast; he has\nworked late.\n\nSecond one.\n"
    assert paragraphs(text) == "Kwame could fix it fast; he has worked late.\n\nSecond one."


def test_paragraphs_keep_list_items_on_their_own_lines() -> None:
    text = "You promised:\n- a rota\n- a tool that\n  works\n1. first\n2) second"
    assert paragraphs(text) == ("You promised:\n- a rota\n- a tool that works\n1. first\n"
                                "2) second")


def test_objectives_that_count_show_whole_numbers() -> None:
    game = Game(load_scenario(CHAIR))
    narrator = Narrator.for_game(game, "en")
    lines = {status.id: narrator.objective(status) for status in game.objectives()}
    counting = [o.id for o in game.setup.objectives if o.kind == "no_broken_promises"]
    measuring = [o.id for o in game.setup.objectives if o.kind == "trust_in_player"]
    assert counting and measuring
    assert lines[counting[0]].endswith(": on track, none broken (turn 8)")
    target = game.setup.objectives[[o.id for o in game.setup.objectives].index(measuring[0])]
    assert f"(target {target.at_least:.2f}, turn 8)" in lines[measuring[0]]
    # while playing: the count, in words
    status = next(s for s in game.objectives() if s.id == counting[0])
    assert narrator.objective(status, compact=True).endswith("on track, none broken")
    broken = type(status)(**{**{f: getattr(status, f) for f in status.__slots__},
                             "value": 1.0, "state": "failed"})
    assert narrator.objective(broken, compact=True).endswith("failed, 1 broken")
    dutch = Narrator.for_game(game, "nl").objective(status, compact=True)
    assert dutch.endswith("geen gebroken")


def test_the_compact_objective_leaves_the_target_to_the_scenarios_words() -> None:
    game = Game(load_scenario(CHAIR))
    narrator = Narrator.for_game(game, "nl")
    status = next(s for s in game.objectives() if s.value is not None and s.value % 1)
    line = narrator.objective(status, compact=True)
    assert line.startswith(status.text) and "nu " in line and "doel" not in line
    assert narrator.t.num(status.value) in line


def test_ties_are_told_once_per_pair_in_the_way_they_moved() -> None:
    from simulator.core.records import Cause, TieChanged, TraitChanged

    game = Game(load_scenario(CHAIR))
    narrator = Narrator.for_game(game, "en")
    cause = Cause("act", "connect", game.player_id, "tomas+ruth")
    # connect: both directions alike, one line
    both = [TieChanged("tomas", "ruth", 0.2, 0.5, cause), TieChanged("ruth", "tomas", 0.2, 0.5,
                                                                      cause)]
    assert narrator.others(both) == ["Tomás Ruiz and Ruth Adeyemi now work together more "
                                     "(tie 0.20 → 0.50)"]
    # a tie that weakens says so
    weaker = narrator.others([TieChanged("tomas", "ruth", 0.09, 0.08, cause)])
    assert weaker == ["Tomás Ruiz and Ruth Adeyemi now work together less (tie 0.09 → 0.08)"]
    # an event thinning many ties: one summary line, after the other records
    event = Cause("event", "tie", None, "budget")
    pairs = [("tomas", "ruth"), ("ines", "jon"), ("sami", "ruth"), ("lena", "jon")]
    many = [TieChanged(a, b, 0.3, 0.15, event) for a, b in pairs]
    trait = TraitChanged("tomas", "competence", 0.5, 0.504, event)
    told = narrator.others([*many, trait])
    assert len(told) == 2 and "competence" in told[0]
    assert told[1] == "4 working ties grew weaker (0.30 → 0.15 on average)"
    # Dutch has its own words
    dutch = Narrator.for_game(game, "nl").others(many)
    assert dutch == ["4 werkrelaties werden zwakker (gemiddeld 0,30 → 0,15)"]


def test_an_objective_to_keep_promises_counts_them_kept() -> None:
    scenario = CHAIR.with_name("promises-collide.yaml")
    game = Game(load_scenario(scenario))
    narrator = Narrator.for_game(game, "en")
    kept = [o.id for o in game.setup.objectives if o.kind == "promises_kept"]
    assert kept
    status = next(s for s in game.objectives() if s.id == kept[0])
    assert status.target is not None
    line = narrator.objective(status, compact=True)
    assert line.endswith(f"0 of {round(status.target)} kept"), line


def test_changes_are_ranked_biggest_first_and_zeros_left_out() -> None:
    from simulator.core.records import Cause, TrustChanged

    game = Game(load_scenario(CHAIR))
    narrator = Narrator.for_game(game, "nl")
    due = Cause("promise_due")
    heard = Cause("promise_due", via=("tomas",))
    changes = [TrustChanged("tomas", "maya", 0.5, 0.28, due),
               TrustChanged("sami", "maya", 0.4, 0.396, due),            # rounds to 0.00
               TrustChanged("ines", "maya", 0.4, 0.34, heard),
               TrustChanged("lena", "maya", 0.4, 0.29, heard),
               TrustChanged("kwame", "maya", 0.4, 0.39, Cause("drift"))]  # drift: no line
    assert [c.truster for c in narrator.ranked(changes)] == ["tomas", "lena", "ines"]


def test_a_new_promise_is_told_with_what_it_promises() -> None:
    from simulator.experiments.debrief import describe_command

    game = Game(load_scenario(CHAIR))
    narrator = Narrator.for_game(game, "en")
    cmd = {"do": "act", "act": "make_promise", "target": "sami", "due": 4,
           "what": "a quiet week"}
    assert describe_command(cmd, narrator) == "Promise “a quiet week” to Sami Haddad"
