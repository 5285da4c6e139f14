"""The scenario's descriptions of people and teams reach the trainee: the person card, the
team's details and the brief's cast list."""

from __future__ import annotations

import io
from typing import Any

from pilot_helpers import SCENARIOS, game_idle, wait_screen
from rich.console import Console
from textual.widgets import Markdown, Static

from simulator.ui.app import TrustsimApp
from simulator.ui.screens.dialogs import PersonScreen
from simulator.ui.screens.game import GameScreen
from simulator.ui.screens.picker import CAST_ALL_UP_TO, BriefScreen
from simulator.ui.screens.team import TeamScreen
from simulator.ui.widgets import OrgMap

SIZE = (80, 24)
COACHING = SCENARIOS / "peer-coaching.yaml"
SANDBOX = SCENARIOS / "sandbox.yaml"
FLOORS = SCENARIOS / "two-floors.yaml"


def shown(widget: Static) -> str:
    """What a Static shows, as plain text (wrapped as a wide dialog would)."""
    console = Console(width=300, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return " ".join(console.export_text().split())


async def start(pilot: Any) -> GameScreen:
    await wait_screen(pilot, BriefScreen)
    await pilot.press("s")
    screen: GameScreen = await game_idle(pilot)
    return screen


async def test_a_persons_description_is_on_their_card() -> None:
    app = TrustsimApp([COACHING], single=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        org_map = screen.query_one(OrgMap)
        assert org_map.move_to("gareth")
        await pilot.press("enter")  # on the map: the person's card
        card = await wait_screen(pilot, PersonScreen)
        assert card.pid == "gareth"
        text = " ".join(shown(s) for s in card.query(Static))
        assert ("Respiratory lead for fifteen years. Protective of his team, allergic to "
                "slogans.") in text
        await pilot.press("escape")
        await wait_screen(pilot, GameScreen)
        # someone the scenario says nothing about: no empty line, no placeholder
        assert org_map.move_to("dylan")
        await pilot.press("enter")
        card = await wait_screen(pilot, PersonScreen)
        assert card.pid == "dylan"
        assert "slogans" not in " ".join(shown(s) for s in card.query(Static))


async def test_a_teams_description_is_in_its_details() -> None:
    app = TrustsimApp([COACHING], single=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        org_map = screen.query_one(OrgMap)
        assert org_map.move_to("team:respiratory")
        await pilot.press("enter")  # on the team's name: its details
        details = await wait_screen(pilot, TeamScreen)
        text = shown(details.query_one("#team-details", Static))
        assert "The longest waiting list in the trust, and tired of being told what to " \
            "do." in text
        assert "5 people" in text
        game = screen.game
        trust = game.metrics()["team_trust_in_player"]["respiratory"]
        assert f"Trust in you {'◔' if trust < 0.4 else '◑'} {trust:.2f}" in text
        assert "Gareth Hughes · manager" in text and "Ama Mensah · employee" in text
        assert "Strongest ties to other teams" in text
        await pilot.press("escape")
        await wait_screen(pilot, GameScreen)


async def test_team_details_in_the_team_view_of_a_large_organisation() -> None:
    """Above 40 people enter folds a team; the details command opens its details."""
    app = TrustsimApp([SANDBOX], single=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot)
        assert screen.query_one(OrgMap).move_to("team:ops-fleet")
        await screen.run_action("details")
        details = await wait_screen(pilot, TeamScreen)
        assert "Keeps 240 trucks on the road." in shown(
            details.query_one("#team-details", Static))


async def test_the_brief_lists_the_cast_with_descriptions() -> None:
    app = TrustsimApp([COACHING], single=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        source = brief.query_one("#brief", Markdown).source
        cast = source[source.index("## Who is who"):]
        # the player's team first, each team with its description, then its people
        assert cast.index("**Practice Development** · 3 people: A small central team") < \
            cast.index("**Diabetes Clinic** · 5 people: Nurse-led")
        assert "- Tariq Aziz (you), manager: Head of practice development" in cast
        assert "- Siobhan O'Neill, manager: Diabetes lead; volunteers first" in cast
        assert "- Dylan Brooks, employee\n" in cast  # no description, still in the cast


async def test_a_large_cast_lists_only_those_described() -> None:
    app = TrustsimApp([SANDBOX], single=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        setup = brief.scenario.setup
        assert len(setup.people) > CAST_ALL_UP_TO
        source = brief.query_one("#brief", Markdown).source
        cast = source[source.index("## Who is who"):]
        described = [p for p in setup.people if p.description]
        for person in described:
            assert f"- {person.name}" in cast
        assert f"… and {len(setup.people) - len(described)} more: the map shows everyone." \
            in cast
        assert "**Fleet** · 8 people: Keeps 240 trucks on the road." in cast


async def test_the_cast_escapes_markdown_in_names() -> None:
    from simulator.i18n import Messages
    from simulator.scenario.loader import load_scenario_text
    from simulator.ui.screens.picker import cast_lines

    text = FLOORS.read_text(encoding="utf-8").replace("name: Priya Nair",
                                                      "name: \"*Priya* [Nair]\"")
    lines = cast_lines(load_scenario_text(text, "floors.yaml"), Messages("nl"))
    assert lines[1] == "## Wie is wie"
    assert "- \\*Priya\\* \\[Nair\\], medewerker" in lines
