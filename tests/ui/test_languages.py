"""The interface in a language a trainer added (German): from the picker to the debrief; and
the language chosen as asked (``--lang``, else the system's ``LANG`` for the picker)."""

from __future__ import annotations

import re
from typing import Any

from pilot_helpers import (
    CHAIR,
    RUIMTE,
    SHIPPED,
    game_idle,
    open_first_scenario_and_start,
    play_script,
    reference_commands,
    wait_for,
    wait_screen,
)

from simulator.i18n import Messages
from simulator.ui.app import TrustsimApp
from simulator.ui.screens.debrief import DebriefScreen
from simulator.ui.screens.dialogs import TurnScreen
from simulator.ui.screens.picker import BriefScreen, PickerScreen
from simulator.ui.widgets import OrgMap

SIZE = (100, 32)
EN = Messages("en")
# interface words whose English never appears in the shipped English scenarios' own text
ENGLISH_ONLY = ["game.log", "cmd.end_turn", "cmd.quit", "game.pick_hint", "brief.start",
                "debrief.turning_points", "debrief.acts", "debrief.questions",
                "debrief.metrics", "cmd.export", "turn.continue", "picker.title",
                "picker.col.turns", "picker.hint", "brief.hint"]


def screen_text(app: Any) -> str:
    """What the top screen shows, line by line, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def no_english(text: str, where: str) -> None:
    for key in ENGLISH_ONLY:
        assert EN(key) not in text, f"{where}: English {EN(key)!r} ({key}) in\n{text}"
    assert not re.search(r"\bTurn \d+/\d+", text), text
    assert not re.search(r"\d+/\d+ acts left", text), text


async def test_german_plays_from_the_picker_to_the_debrief() -> None:
    """`trustsim --lang de`: picker, brief, a whole game (its acts, ends of turn and
    dilemma) and the debrief speak German, numbers with a decimal comma."""
    app = TrustsimApp(SHIPPED, language="de", resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        await wait_for(pilot, lambda: picker.entries, what="the picker to load")
        await pilot.pause()
        text = screen_text(app)
        assert "Wähle ein Szenario" in text and "Runden" in text, text
        no_english(text, "picker")
        await pilot.press("enter")
        await wait_screen(pilot, BriefScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "Du spielst" in text and "pro Runde" in text, text
        no_english(text, "brief")
        await pilot.press("s")
        screen = await game_idle(pilot)
        assert screen.t.language == "de"
        text = screen_text(app)
        assert "Runde 1/8" in text and "noch 2/2 Züge" in text and "Runde beenden" in text, text
        map_text = screen.query_one(OrgMap).text()  # the scenario's own text may say 0.55
        assert re.search(r"\b0,\d\d\b", map_text), map_text
        assert not re.search(r"\b0\.\d\d\b", map_text), map_text
        no_english(text, "game")

        # the reference solution, its promises in the words the German screen offers
        english, german = EN("promise.what").split("|"), screen.t("promise.what").split("|")
        commands = [{**c, "what": german[english.index(c["what"])]} if "what" in c else c
                    for c in reference_commands(CHAIR)]
        first_end = next(i for i, c in enumerate(commands) if c["do"] == "end_turn")
        await play_script(pilot, commands[:first_end])
        text = screen_text(app)
        assert "noch 0/2 Züge" in text, text
        no_english(text, "after two acts")
        await pilot.press("e")
        await wait_screen(pilot, TurnScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "Ende von Runde 1" in text and "Weiter" in text, text
        no_english(text, "end of turn")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TurnScreen))

        await play_script(pilot, commands[first_end + 1:])
        debrief = await wait_screen(pilot, DebriefScreen)
        await pilot.pause()
        assert screen.game.over
        assert "Nachbesprechung: New in the chair" in debrief.text
        for heading in ("Ziele", "Wendepunkte", "Deine Züge, Runde für Runde",
                        "Fragen zur Diskussion", "Von der ersten bis zur letzten Runde"):
            assert heading in debrief.text, heading
        no_english(debrief.text, "debrief")
        assert re.search(r"\b0,\d\d\b", debrief.text), debrief.text
        text = screen_text(app)
        assert "Exportieren" in text and "Zurück" in text, text


async def test_the_picker_follows_the_system_language_and_lang_wins() -> None:
    app = TrustsimApp(SHIPPED, resume=False, system_language="de")
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        assert picker.t.language == "de"
        # a scenario speaks its own language: LANG is for the picker only
        screen = await open_first_scenario_and_start(pilot)
        assert screen.t.language == "en"
    app = TrustsimApp(SHIPPED, language="nl", resume=False, system_language="de")
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        assert picker.t.language == "nl"
        screen = await open_first_scenario_and_start(pilot)
        assert screen.t.language == "nl"


async def test_an_unknown_language_falls_back_and_says_so() -> None:
    app = TrustsimApp([*SHIPPED, RUIMTE], language="xx", resume=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await wait_screen(pilot, PickerScreen)
        assert picker.t.language == "en"
        await wait_for(pilot, lambda: app._notifications, what="the notice")
        notice = " ".join(n.message for n in app._notifications)
        assert "“xx”" in notice and "de, en, nl" in notice, notice
    # ... and each scenario speaks its own: the Dutch one Dutch
    app = TrustsimApp([RUIMTE], language="xx-YY", resume=False, single=True,
                      system_language="de")
    async with app.run_test(size=SIZE) as pilot:
        brief = await wait_screen(pilot, BriefScreen)
        assert brief.t.language == "nl"
