"""Helpers that drive trustsim's interface with a Textual Pilot, by the keyboard."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
CHAIR = SCENARIOS / "new-in-the-chair.yaml"
FLOORS = SCENARIOS / "two-floors.yaml"
RUIMTE = SCENARIOS / "ruimte-om-te-groeien.yaml"
#: the two scenarios the tests play, in a fixed order (the folder may gain others)
SHIPPED = [CHAIR, FLOORS]


def act_keys() -> dict[str, str]:
    """The key of each act, from the one command registry."""
    from simulator.ui.commands import GAME_COMMANDS

    return {c.act: c.key for c in GAME_COMMANDS if c.act}



async def wait_for(pilot: Any, predicate: Callable[[], Any], *, timeout: float = 10.0,
                   what: str = "condition") -> Any:
    """Let the app run until ``predicate()`` is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; screen stack: "
                                 f"{[type(s).__name__ for s in pilot.app.screen_stack]}")
        await asyncio.sleep(0.01)


async def wait_screen(pilot: Any, cls: type | tuple[type, ...] | str, *,
                      timeout: float = 10.0) -> Any:
    def check() -> Any:
        screen = pilot.app.screen
        name = type(screen).__name__
        ok = isinstance(screen, cls) if isinstance(cls, type | tuple) \
            else name.startswith(cls)
        return screen if ok else None
    return await wait_for(pilot, check, timeout=timeout, what=f"screen {cls}")


async def pick(pilot: Any, option_id: str) -> None:
    """In the acts panel, while it offers targets, move the highlight to ``option_id`` with
    the keys and press enter."""
    from simulator.ui.screens.game import GameScreen
    from simulator.ui.widgets import ActsPanel

    screen = await wait_screen(pilot, GameScreen)
    panel = screen.query_one(ActsPanel)
    await wait_for(pilot, lambda: panel.asking, what="the acts panel to offer targets")
    asked = panel._future
    ids = offered_ids(panel)
    assert option_id in ids, f"{option_id!r} is not offered: {ids}"
    # the list may start on the person selected in the map: move from there
    steps = ids.index(option_id) - ids.index(highlighted_id(panel))
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    assert highlighted_id(panel) == option_id
    await pilot.press("enter")
    await wait_for(pilot, lambda: asked is None or asked.done(), what="the choice to be taken")


async def open_targets(pilot: Any, screen: Any, act: str = "quick_win") -> Any:
    """Press ``act``'s key on the game screen; the acts panel, once it offers targets."""
    from simulator.ui.widgets import ActsPanel

    panel = screen.query_one(ActsPanel)
    await pilot.press(act_keys()[act])
    await wait_for(pilot, lambda: panel.asking, what="the acts panel to offer targets")
    return panel


def offered_ids(panel: Any) -> list[str]:
    """The ids the acts panel shows as choices now (after any filter)."""
    return list(panel.shown_ids)


def highlighted_id(panel: Any) -> str | None:
    return panel.highlighted_id


def _not_on_top(pilot: Any, screen: Any) -> bool:
    return pilot.app.screen is not screen


async def game_idle(pilot: Any) -> Any:
    """The game screen, on top, with no worker running."""
    from simulator.ui.screens.game import GameScreen
    from simulator.ui.widgets import ActsPanel

    screen = await wait_screen(pilot, GameScreen)
    await wait_for(pilot, lambda: not [w for w in screen.workers if w.is_running
                                       and w.group != "autosave"],
                   what="game workers to finish")
    panels = screen.query(ActsPanel)
    await wait_for(pilot, lambda: not panels or panels.first().settled,
                   what="the acts to be shown")
    return screen


async def play_command(pilot: Any, cmd: dict[str, Any], *,
                       after_end_turn: Callable[[], Any] | None = None) -> None:
    """Play one command of an acts file with the keyboard.

    ``choose`` commands are answered inside ``end_turn`` (the dialog opens right after the
    end-of-turn report), so they are skipped here: :func:`play_script` handles them.
    """
    from simulator.core.acts import ACTS

    screen = await game_idle(pilot)
    game = screen.game
    before = len(game.log)
    if cmd["do"] == "act":
        act = cmd["act"]
        await pilot.press(act_keys()[act])
        spec = ACTS[act]
        if spec.target == "own_promise":
            await pick(pilot, cmd["promise"])
        elif spec.target == "pair":
            await pick(pilot, cmd["target"])
            await pick(pilot, cmd["other"])
        else:
            await pick(pilot, cmd["target"])
            if act == "make_promise":  # what (one of the catalogue's phrases), then when
                phrases = screen.t("promise.what").split("|")
                await pick(pilot, str(phrases.index(cmd.get("what", phrases[0]))))
                await pick(pilot, str(cmd["due"]))
        await wait_for(pilot, lambda: len(game.log) == before + 1, what=f"{cmd} to be played")
    else:
        raise AssertionError(f"play_command cannot play {cmd}")


async def end_turn(pilot: Any, choices: dict[str, str] | None = None) -> None:
    """Press e (and enter, if it asks whether to end the turn with acts left), close the
    report with enter, answer any dilemma by its digit, close its outcome with enter."""
    from simulator.ui.screens.dialogs import (
        DilemmaScreen,
        EndTurnScreen,
        MessageScreen,
        TurnScreen,
    )

    screen = await game_idle(pilot)
    game = screen.game
    turn = game.turn
    await pilot.press("e")
    if await wait_screen(pilot, (TurnScreen, EndTurnScreen)) and \
            isinstance(pilot.app.screen, EndTurnScreen):
        await pilot.press("enter")
    await wait_screen(pilot, TurnScreen)
    assert game.turn == turn + 1
    await pilot.press("enter")
    while True:
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, TurnScreen))
        if not game.pending:
            break
        dilemma = await wait_screen(pilot, DilemmaScreen)
        event = dilemma.event
        option = (choices or {}).get(event.id, event.options[0][0])
        digit = [o for o, _ in event.options].index(option) + 1
        await pilot.press(str(digit))
        await wait_for(pilot, partial(_not_on_top, pilot, dilemma))
        if isinstance(pilot.app.screen, MessageScreen):
            await pilot.press("enter")
            await wait_for(pilot, lambda: not isinstance(pilot.app.screen, MessageScreen))


def reference_commands(scenario: Path) -> list[dict[str, Any]]:
    from simulator.experiments.script import parse_script

    acts = scenario.with_suffix(".acts")
    return [cmd for _, cmd in parse_script(acts.read_text(encoding="utf-8"), str(acts))]


async def play_script(pilot: Any, commands: list[dict[str, Any]]) -> None:
    """Play commands (acts, end_turn, choose) of an acts file with the keyboard."""
    choices: dict[str, str] = {}
    # a `choose` line follows the end_turn that raised its dilemma: look ahead
    for i, cmd in enumerate(commands):
        if cmd["do"] == "choose":
            continue
        if cmd["do"] == "end_turn":
            nxt = commands[i + 1] if i + 1 < len(commands) else None
            choices = {nxt["event"]: nxt["option"]} if nxt and nxt["do"] == "choose" else {}
            await end_turn(pilot, choices)
        else:
            await play_command(pilot, cmd)


async def open_first_scenario_and_start(pilot: Any) -> Any:
    """From the picker: enter on the first row, s on the brief; returns the game screen."""
    from simulator.ui.screens.picker import BriefScreen, PickerScreen

    picker = await wait_screen(pilot, PickerScreen)
    await wait_for(pilot, lambda: picker.entries, what="the picker to load")
    await pilot.press("enter")
    await wait_screen(pilot, BriefScreen)
    await pilot.press("s")
    return await game_idle(pilot)
