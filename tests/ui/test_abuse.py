"""The interface under abuse: thousands of seeded random keys, resizes down to 40x12 and
huge pastes, over several scenarios; no exception, and the game always equals a replay of
its own log.

``TRUSTSIM_ABUSE_KEYS`` sets the number of keys per run (CI: the default below).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest
from pilot_helpers import CHAIR, FLOORS, RUIMTE, SCENARIOS
from textual import events
from textual.widgets import Input

from simulator.core.simulation import Simulation
from simulator.ui import storage
from simulator.ui.app import TrustsimApp
from simulator.ui.commands import GAME_COMMANDS

KEYS_PER_RUN = int(os.environ.get("TRUSTSIM_ABUSE_KEYS", "2500"))
SIZES = [(80, 24), (120, 40), (40, 12), (200, 60)]
# a list, not a set: the repeated keys come up more often
KEYS = [*sorted({c.key for c in GAME_COMMANDS}),
    "enter", "enter", "enter", "escape", "escape", "tab", "shift+tab", "up", "down", "down",
    "left", "right", "pageup", "pagedown", "home", "end", "space", "backspace", "1", "2",
    "3", "4", "a", "z", "f1", "ctrl+p", "question_mark", "s", "e", "x", "y", "u", "v", "t",
    "ctrl+q", "ctrl+t",
]
#: keys that leave the app or the game: pressed rarely, so a run goes deep into the game
RARE = {"q", "ctrl+q"}
HUGE = ("lorem ipsum " * 90_000 + "\x00\x1b[31m\u202e💥\n\r\t" + "é" * 1000)

counts = {"keys": 0, "resizes": 0, "pastes": 0, "apps": 0, "checks": 0, "races": 0}


def check_game(app: TrustsimApp) -> None:
    """Every game on the screen stack is sane and equals a replay of its log."""
    for screen in app.screen_stack:
        game = getattr(screen, "game", None)
        if game is None:
            continue
        counts["checks"] += 1
        assert 1 <= game.turn <= game.turns + 1
        assert game.capacity_left >= 0
        w = game.world
        trust = w.trust[: w.n_edges]
        assert np.all((trust >= 0.0) & (trust <= 1.0))
        replay = Simulation(game.setup, game.seed, undo=False)
        for cmd in game.log:
            replay.execute(cmd)
        assert replay.fingerprint() == game.fingerprint()


def send_key(app: TrustsimApp, key: str) -> None:
    """Queue one key press the way the terminal driver does (Pilot.press waits for the
    app to be idle after every key, which makes thousands of keys take minutes)."""
    char = key if len(key) == 1 else {"space": " ", "enter": "\r", "tab": "\t",
                                      "question_mark": "?", "escape": "\x1b"}.get(key)
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def abuse(app: TrustsimApp, rng: random.Random, keys: int) -> int:
    """Press up to ``keys`` random keys; returns how many were pressed before the app quit."""
    pressed = 0
    async with app.run_test(size=(80, 24)) as pilot:
        counts["apps"] += 1
        await pilot.pause()
        while pressed < keys:
            roll = rng.random()
            if roll < 0.01:
                await pilot.resize_terminal(*rng.choice(SIZES))
                counts["resizes"] += 1
            elif roll < 0.015:
                focused = app.focused
                target = focused if focused is not None else app.screen
                target.post_message(events.Paste(HUGE))
                counts["pastes"] += 1
            else:
                key = rng.choice(KEYS)
                if key in RARE and rng.random() < 0.9:
                    key = "escape"
                send_key(app, key)
                pressed += 1
                counts["keys"] += 1
            if pressed % 8 == 0 or roll < 0.015:
                # a fast typist: a few keys queue up, then the app catches up and repaints
                await pilot.pause()
            if not app.is_running:
                break
            if pressed % 100 == 0:
                check_game(app)
        if app.is_running:
            await pilot.pause()
            check_game(app)
    assert app._exception is None, app._exception
    return pressed


def _log_is_clean() -> None:
    log = storage.log_path()
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "unexpected error" not in text, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    # keys that reached a closing screen: logged and ignored by the app (see app.py)
    counts["races"] += text.count("ignored a key that reached a closing screen")


@pytest.mark.parametrize(("seed", "how"), [
    (1, "picker"), (2, "play-chair"), (3, "play-ruimte"), (4, "play-sandbox")])
async def test_random_keys_never_break_the_game(seed: int, how: str, trustsim_home: Path
                                                ) -> None:
    rng = random.Random(seed)
    left = KEYS_PER_RUN
    while left > 0:
        if how == "picker":
            app = TrustsimApp([CHAIR, FLOORS, RUIMTE], resume=True)
        else:
            path = {"play-chair": CHAIR, "play-ruimte": RUIMTE,
                    "play-sandbox": SCENARIOS / "sandbox.yaml"}[how]
            app = TrustsimApp([path], single=True, resume=True)
        left -= max(1, await abuse(app, rng, left))
    _log_is_clean()


test_random_keys_never_break_the_game.ui_timeout = 600  # type: ignore[attr-defined]


async def test_huge_paste_into_every_input(trustsim_home: Path) -> None:
    """The target list's filter and the command palette take a 1 MB paste and still work."""
    from pilot_helpers import game_idle, wait_screen

    from simulator.ui.screens.picker import BriefScreen

    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, BriefScreen)
        await pilot.press("s")
        screen = await game_idle(pilot)
        seen = 0
        for opener in ("w", "ctrl+p"):
            await pilot.press(opener)
            await pilot.pause()
            inputs = list(app.screen.query(Input))
            for field in inputs:
                field.focus()
                field.post_message(events.Paste(HUGE))
                await pilot.pause()
                assert len(field.value) <= len(HUGE)
                seen += 1
            await pilot.press("escape")
            await pilot.pause()
            if app.screen is not screen:
                await pilot.press("escape")
                await pilot.pause()
        assert seen >= 1
        # still responsive: an act works after the pastes
        before = len(screen.game.log)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.game.log) == before + 1
    assert app._exception is None
    _log_is_clean()


def test_report_counts() -> None:
    """Not a check: prints what the abuse tests did (see the closing note)."""
    print(f"\nabuse: {counts}")
    assert counts["keys"] == 0 or counts["keys"] >= KEYS_PER_RUN
