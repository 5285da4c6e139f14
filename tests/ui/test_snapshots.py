"""Screenshots of trustsim's screens, compared with accepted SVGs (pytest-textual-snapshot).

Update the baselines with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and look
at them before committing. The scenarios carry their seeds; user data goes to a temporary
``TRUSTSIM_HOME``; scenario paths are given relative to the repository root (the picker
shows them), so the pictures do not depend on where the repository or the tmp folder is.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import (
    ROOT,
    end_turn,
    game_idle,
    open_first_scenario_and_start,
    pick,
    reference_commands,
    wait_for,
    wait_screen,
)
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from simulator.ui.app import TrustsimApp
from simulator.ui.screens.debrief import DebriefScreen
from simulator.ui.screens.dialogs import TurnScreen
from simulator.ui.screens.picker import BriefScreen, PickerScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> TrustsimApp:
    monkeypatch.chdir(ROOT)
    paths = [Path("scenarios/new-in-the-chair.yaml"), Path("scenarios/two-floors.yaml")]
    assert all(p.is_file() for p in paths)
    return TrustsimApp(paths, resume=False)


async def _loaded_picker(pilot: Any) -> PickerScreen:
    picker: PickerScreen = await wait_screen(pilot, PickerScreen)
    await wait_for(pilot, lambda: picker.entries, what="the picker to load")
    return picker


async def _picker(pilot: Any) -> None:
    """The loaded picker.

    Works around a real, intermittent bug (see test_pilot.py::
    test_picker_titles_never_truncated): when the table is painted between the rows
    arriving from the loading thread and DataTable's idle-time width update, the titles
    stay truncated ("New in t") because DataTable keeps the rows it rendered with the old
    widths. Once the widths are measured, the stale renders are dropped here so the
    baseline is the picker as it should look. Remove this when the bug is fixed.
    """
    picker = await _loaded_picker(pilot)
    table = picker.query_one("#scenarios", DataTable)
    width = max(len(e.scenario.setup.title) for e in picker.entries if e.scenario)
    await wait_for(pilot, lambda: table.columns[ColumnKey("title")].content_width >= width,
                   what="the title column to be measured")
    table._clear_caches()  # the workaround (private API of DataTable)
    table.refresh()


async def _brief(pilot: Any) -> None:
    await _loaded_picker(pilot)
    await pilot.press("enter")
    await wait_screen(pilot, BriefScreen)


async def _one_act(pilot: Any) -> None:
    await open_first_scenario_and_start(pilot)
    await pilot.press("w")
    await pick(pilot, "tomas")
    await game_idle(pilot)


async def _end_of_turn(pilot: Any) -> None:
    await _one_act(pilot)
    await pilot.press("e")
    await wait_screen(pilot, "EndTurnScreen")  # one act left: it asks first
    await pilot.press("enter")
    await wait_screen(pilot, TurnScreen)


async def _debrief(pilot: Any) -> None:
    """The reference solution (played through the screen's own `do`, which the keys call,
    to keep the test fast), then the last end of turn by the keyboard."""
    screen = await open_first_scenario_and_start(pilot)
    game = screen.game
    commands = reference_commands(ROOT / "scenarios" / "new-in-the-chair.yaml")
    assert commands[-1] == {"do": "end_turn"}
    for cmd in commands[:-1]:
        assert screen.do(partial(game.execute, cmd)) is not None, cmd
    await game_idle(pilot)
    await end_turn(pilot)
    await wait_screen(pilot, DebriefScreen)
    assert game.over and game.won


@pytest.mark.parametrize("size", SIZES)
def test_picker(snap_compare: Any, app: TrustsimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_picker)


@pytest.mark.parametrize("size", SIZES)
def test_brief(snap_compare: Any, app: TrustsimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_brief)


@pytest.mark.parametrize("size", SIZES)
def test_game_after_one_act(snap_compare: Any, app: TrustsimApp,
                            size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_one_act)


@pytest.mark.parametrize("size", SIZES)
def test_end_of_turn(snap_compare: Any, app: TrustsimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_end_of_turn)


@pytest.mark.parametrize("size", SIZES)
def test_debrief(snap_compare: Any, app: TrustsimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_debrief)
