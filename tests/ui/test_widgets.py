"""The game screen's own widgets: the map, the choice list and the log, each in a small app."""

from __future__ import annotations

from typing import Any

from pilot_helpers import CHAIR, SCENARIOS
from rich.text import Text
from textual.app import App, ComposeResult

from simulator.experiments.narrate import Narrator
from simulator.scenario.game import Game
from simulator.scenario.loader import load_scenario
from simulator.ui.widgets import OrgMap
from simulator.ui.widgets.choices import Choice, ChoiceList
from simulator.ui.widgets.log import EventLog

SANDBOX = SCENARIOS / "sandbox.yaml"


class MapApp(App[None]):
    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.narrator = Narrator.for_game(game, "en")
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield OrgMap(id="map")

    def on_mount(self) -> None:
        org_map = self.query_one(OrgMap)
        org_map.build(self.game, self.narrator)
        org_map.focus()

    def on_org_map_selected(self, event: OrgMap.Selected) -> None:
        self.selected.append(event.item)

    def relabel(self, **kwargs: Any) -> None:
        self.query_one(OrgMap).refresh_labels(self.game, self.narrator,
                                              kwargs.get("highlight", set()),
                                              kwargs.get("deltas", {}))


def _box_columns(text: str) -> int:
    return max(line.count("╭") for line in text.splitlines())


async def test_the_map_shows_every_person_by_team_with_trust_numbers() -> None:
    game = Game(load_scenario(CHAIR))
    app = MapApp(game)
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        org_map = app.query_one(OrgMap)
        text = org_map.text()
        w = game.world
        for i, name in enumerate(w.names):
            assert name in text, name
            if i != game.player:  # a symbol and a number, not only a colour
                value = f"{game.trust(w.ids[i], 'player'):.2f}"
                line = next(line for line in text.splitlines() if name in line)
                assert value in line, (name, value, line)
        for team in w.team_names:
            assert team in text
        assert "★ Maya Okafor (you)" in text
        # reporting lines: Maya's reports hang under her with tree guides
        assert "├ ◔ 0.22 Tomás Ruiz" in text
        # the cursor starts on the first of the player's people
        assert org_map.cursor_id == "tomas"


async def test_the_map_flows_into_columns_as_it_widens() -> None:
    game = Game(load_scenario(CHAIR))
    for width, columns in ((50, 1), (120, 2)):
        app = MapApp(game)
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            assert _box_columns(app.query_one(OrgMap).text()) == columns, width


async def test_keys_move_through_people_and_teams_and_enter_selects() -> None:
    game = Game(load_scenario(CHAIR))
    app = MapApp(game)
    async with app.run_test(size=(50, 30)) as pilot:
        org_map = app.query_one(OrgMap)
        await pilot.pause()
        seen = [org_map.cursor_id]
        for _ in range(12):
            await pilot.press("down")
            seen.append(org_map.cursor_id)
        # every stop is a person or a team, in map order, ending on the last person
        assert seen[-1] == "jon" and seen[-2] == "jon"
        assert "team:product" in seen and None not in seen
        await pilot.press("home")
        assert org_map.cursor_id == "team:support"
        await pilot.press("down", "down", "enter")
        assert app.selected == ["tomas"]


async def test_large_organisations_start_folded_into_teams_and_unfold() -> None:
    game = Game(load_scenario(SANDBOX))
    assert game.world.n_people > OrgMap.TEAM_VIEW_AT
    app = MapApp(game)
    async with app.run_test(size=(80, 40)) as pilot:
        org_map = app.query_one(OrgMap)
        await pilot.pause()
        text = org_map.text()
        w = game.world
        # every team is there, with its size and mean trust; only the player's team open
        for name in w.team_names:
            assert name in text
        assert text.count("▸ ") == len(w.team_ids) - 1 and text.count("▾ ") == 1
        dispatch = w.members(w.team_index["ops-dispatch"])
        assert not any(w.names[i] in text for i in dispatch)
        # teams' links to other teams, with their mean trust
        other, value, _ties = game.team_links()["ops-dispatch"][0]
        assert f"{w.team_names[w.team_index[other]]} " in text and f"{value:.2f}" in text
        # drill down: enter on a team opens it, space folds it again
        assert org_map.move_to("team:ops-dispatch")
        await pilot.press("enter")
        text = org_map.text()
        assert all(w.names[i] in text for i in dispatch)
        assert app.selected == []  # enter on a team unfolds it in the team view
        await pilot.press("space")
        assert not any(w.names[i] in org_map.text() for i in dispatch)
        # two columns at 80: left and right move between them
        assert _box_columns(text) == 2
        await pilot.press("right")
        right = org_map._cursor[0].col
        await pilot.press("left")
        assert org_map._cursor[0].col == right - 1


async def test_a_new_hire_appears_on_the_map() -> None:
    game = Game(load_scenario(SANDBOX))
    app = MapApp(game)
    async with app.run_test(size=(80, 40)) as pilot:
        org_map = app.query_one(OrgMap)
        await pilot.pause()
        while "kalani-a" not in game.world.index:
            game.end_turn()
            while game.pending:
                event = next(e for e in game.events if e.id == game.pending[0])
                game.choose(event.id, event.options[0][0])
        app.relabel()
        assert org_map.move_to("kalani-a")
        await pilot.pause()
        assert "Kalani Akana" in org_map.text()


async def test_labels_follow_the_game_without_a_new_layout() -> None:
    game = Game(load_scenario(CHAIR))
    app = MapApp(game)
    async with app.run_test(size=(50, 30)) as pilot:
        org_map = app.query_one(OrgMap)
        await pilot.pause()
        canvas = org_map._canvas
        result = game.act("quick_win", "tomas")
        deltas = {c.truster: c.delta for c in result.changes if c.trustee == game.player_id}
        app.relabel(highlight={"tomas"}, deltas=deltas)
        await pilot.pause()
        line = next(line for line in org_map.text().splitlines() if "Tomás" in line)
        assert f"{game.trust('tomas', 'player'):.2f}" in line
        assert "▲+" in line and "◆" in line
        assert org_map._canvas is canvas  # restyled in place, not laid out again


async def test_marks_show_the_choice_on_the_map() -> None:
    game = Game(load_scenario(CHAIR))
    app = MapApp(game)
    async with app.run_test(size=(50, 30)) as pilot:
        org_map = app.query_one(OrgMap)
        await pilot.pause()
        org_map.mark({"jon"})
        line = next(line for line in org_map.text().splitlines() if "Jon Park" in line)
        assert "◀" in line
        org_map.mark({"support"})
        text = org_map.text()
        assert "◀" in next(line for line in text.splitlines() if "Support ·" in line)
        assert "◀" not in next(line for line in text.splitlines() if "Jon Park" in line)


class ListApp(App[None]):
    def __init__(self, choices: list[Choice]) -> None:
        super().__init__()
        self.choices = choices
        self.taken: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield ChoiceList(id="list")

    def on_mount(self) -> None:
        choice_list = self.query_one(ChoiceList)
        choice_list.set_choices(self.choices)
        choice_list.focus()

    def on_choice_list_selected(self, event: ChoiceList.Selected) -> None:
        self.taken.append(event.choice.id)


async def test_the_choice_list_skips_disabled_choices_scrolls_and_selects() -> None:
    choices = [Choice(None, Text("a heading"), enabled=False)] + [
        Choice(f"c{i}", Text(f"choice {i}"), enabled=i != 3) for i in range(30)]
    app = ListApp(choices)
    async with app.run_test(size=(30, 10)) as pilot:
        choice_list = app.query_one(ChoiceList)
        await pilot.pause()
        assert choice_list.highlighted_id == "c0"  # the heading cannot be chosen
        await pilot.press("down", "down", "down")
        assert choice_list.highlighted_id == "c4"  # c3 is disabled
        await pilot.press("end")
        assert choice_list.highlighted_id == "c29"
        assert choice_list._top > 0  # scrolled itself to the cursor
        lines = [choice_list.render_line(y).text for y in range(choice_list.size.height)]
        assert "choice 29" in lines[-1] and lines[0].rstrip().endswith("▲")
        await pilot.press("enter")
        assert app.taken == ["c29"]
        await pilot.click(ChoiceList, offset=(3, 0))
        assert len(app.taken) == 2 and app.taken[1] != "c29"


async def test_a_long_choice_wraps_and_replacing_one_keeps_the_others() -> None:
    app = ListApp([Choice("a", Text("short")),
                   Choice("b", Text("a much longer choice that has to wrap here"))])
    async with app.run_test(size=(20, 10)) as pilot:
        choice_list = app.query_one(ChoiceList)
        await pilot.pause()
        text = [choice_list.render_line(y).text.rstrip() for y in range(4)]
        assert text[0].startswith("short") and len([t for t in text[1:] if t]) >= 2
        choice_list.replace_choice(0, Choice("a", Text("SHORT")))
        assert choice_list.render_line(0).text.startswith("SHORT")


class LogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventLog(id="log")


async def test_the_log_keeps_the_newest_lines_in_view_and_scrolls_back() -> None:
    app = LogApp()
    async with app.run_test(size=(40, 10)) as pilot:
        log = app.query_one(EventLog)
        log.write("first")
        await pilot.pause()
        assert log.render_line(0).text.startswith("first")  # a short log starts at the top
        for n in range(20):
            log.write(Text(f"line {n}"))
        await pilot.pause()
        height = log.content_size.height
        shown = [log.render_line(y).text.strip() for y in range(height)]
        assert shown[-1] == "line 19" and "first" not in shown
        log.scroll_back(3)  # what three turns of the mouse wheel do
        shown = [log.render_line(y).text.strip() for y in range(height)]
        assert shown[-1] == "line 16" and shown[0].endswith("↑")
        log.write("new")  # a new line brings the log back to the newest
        assert log.render_line(height - 1).text.strip() == "new"


async def test_a_wrapped_log_line_keeps_its_indent() -> None:
    app = LogApp()
    async with app.run_test(size=(40, 10)) as pilot:
        log = app.query_one(EventLog)
        log.write(Text("Act"))
        log.write(Text("  " + "trust drifts inside and across teams, ties weakened"))
        await pilot.pause()
        shown = [log.render_line(y).text.rstrip() for y in range(3)]
        assert shown[0] == "Act"
        assert shown[1].startswith("  trust") and shown[2].startswith("  ") \
            and not shown[2].startswith("   "), shown
        assert " ".join(line.strip() for line in shown[1:]) == \
            "trust drifts inside and across teams, ties weakened"


def test_the_trust_symbol_follows_the_number_shown() -> None:
    from simulator.ui.widgets import trust_text

    assert trust_text(0.398).plain == "◑ 0.40"  # 0.40 is in the band from 0.4, as help says
    assert trust_text(0.394).plain == "◔ 0.39"
    assert trust_text(0.8).plain == "● 0.80"
