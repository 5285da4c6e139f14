"""The footer is rebuilt only when the keys it shows change, and always when they do."""

from __future__ import annotations

from typing import Any

from pilot_helpers import CHAIR, game_idle, play_command, wait_for, wait_screen
from textual.widgets._footer import FooterKey

from simulator.ui.app import TrustsimApp
from simulator.ui.footer import CalmFooter
from simulator.ui.screens.picker import BriefScreen
from simulator.ui.widgets import ActsPanel


def _shown(footer: CalmFooter) -> list[FooterKey]:
    """The keys on screen (a key that went is kept hidden, to come back)."""
    return [key for key in footer.query(FooterKey) if key.display]


def _undo_key(screen: Any) -> FooterKey:
    footer = screen.query_one(CalmFooter)
    return next(k for k in footer.query(FooterKey) if k.action == "undo")


async def test_footer_follows_the_game_and_skips_needless_rebuilds() -> None:
    app = TrustsimApp([CHAIR], resume=False, single=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, BriefScreen)
        await pilot.press("s")
        screen = await game_idle(pilot)
        footer = screen.query_one(CalmFooter)
        await wait_for(pilot, lambda: footer.query(FooterKey), what="the footer's keys")
        assert _undo_key(screen).has_class("-disabled")  # nothing to undo yet

        rebuilds = 0
        compose = CalmFooter.compose

        def counting(self: CalmFooter) -> Any:
            nonlocal rebuilds
            rebuilds += 1
            return compose(self)

        CalmFooter.compose = counting  # type: ignore[method-assign]
        try:
            # open the target list and close it unused: the footer's keys are the same
            panel = screen.query_one(ActsPanel)
            await pilot.press("w")
            await wait_for(pilot, lambda: panel.asking, what="the target list")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not panel.choosing, what="the acts again")
            await pilot.pause()
            assert rebuilds == 0
            # an act makes undo possible: the footer shows it, undimmed in place
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
            await wait_for(pilot, lambda: not _undo_key(screen).has_class("-disabled"),
                           what="undo to be offered")
            assert rebuilds == 0
            # ... and dimmed again when there is nothing left to undo
            await pilot.press("u")
            await wait_for(pilot, lambda: _undo_key(screen).has_class("-disabled"),
                           what="undo to be dimmed")
            assert rebuilds == 0
            # the people table brings a key of its own (sort): mounted in its place, among
            # the others, without a rebuild; hidden with the table, and shown again with it
            shown = [k.action for k in _shown(footer)]
            await pilot.press("v")
            await wait_for(pilot, lambda: any(k.action == "sort_people" for k in
                                              _shown(footer)), what="the sort key")
            with_sort = [k.action for k in _shown(footer)]
            assert with_sort == [a for a in (b.action for _, b, _, _ in
                                             screen.active_bindings.values() if b.show)]
            assert [a for a in with_sort if a != "sort_people"] == shown
            sort_key = next(k for k in footer.query(FooterKey) if k.action == "sort_people")
            assert sort_key.key_display == "o" and not sort_key.has_class("-disabled")
            await pilot.press("v")
            await wait_for(pilot, lambda: not any(k.action == "sort_people" for k in
                                                  _shown(footer)),
                           what="the sort key to go")
            assert [k.action for k in _shown(footer)] == shown
            sort_keys = [k for k in footer.query(FooterKey) if k.action == "sort_people"]
            await pilot.press("v")
            await wait_for(pilot, lambda: any(k.action == "sort_people" for k in
                                              _shown(footer)), what="the sort key again")
            assert [k.action for k in _shown(footer)] == with_sort
            assert [k for k in footer.query(FooterKey) if k.action == "sort_people"] \
                == sort_keys  # the same key, shown again
            await pilot.press("v")
            await wait_for(pilot, lambda: not any(k.action == "sort_people" for k in
                                                  _shown(footer)),
                           what="the sort key to go again")
            # a dimmed key, with the sort key hidden, is dimmed in place: no rebuild
            await play_command(pilot, {"do": "act", "act": "quick_win", "target": "tomas"})
            await wait_for(pilot, lambda: not _undo_key(screen).has_class("-disabled"),
                           what="undo to be offered again")
            assert rebuilds == 0
        finally:
            CalmFooter.compose = compose  # type: ignore[method-assign]
