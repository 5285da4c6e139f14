"""Tables of rows (the picker's scenarios, the game's people)."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.geometry import Size
from textual.scrollbar import ScrollBar
from textual.widgets import DataTable


class RowTable(DataTable[Any]):
    """A table of rows: home and end go to the first and last row (a DataTable's go to
    the first and last column)."""

    BINDINGS = [Binding("home", "scroll_top", show=False),
                Binding("end", "scroll_bottom", show=False)]

    def _scrollbars(self) -> list[ScrollBar]:
        return [bar for bar in (self._vertical_scrollbar, self._horizontal_scrollbar)
                if bar is not None]

    def _scrollbar_look(self) -> tuple[Any, ...]:
        styles = self.styles
        return (styles.scrollbar_background, styles.scrollbar_background_hover,
                styles.scrollbar_background_active, styles.scrollbar_color,
                styles.scrollbar_color_hover, styles.scrollbar_color_active,
                styles.scrollbar_corner_color,
                self.background_colors[0])  # what a translucent scrollbar is drawn over

    def watch_has_focus(self, has_focus: bool) -> None:
        """Textual's, without repainting scrollbars whose colours did not change.

        The focus restyles the table, and setting its scrollbar colours repaints its
        scrollbars whether the colours changed or not: a frame more after the table's own
        (the people table's, each time it was shown).
        """
        bars, look = self._scrollbars(), self._scrollbar_look()
        pending = [bar._repaint_required for bar in bars]
        super().watch_has_focus(has_focus)
        if self._scrollbar_look() == look:
            for bar, was in zip(bars, pending, strict=True):
                bar._repaint_required = was

    def _scroll_update(self, virtual_size: Size) -> None:
        """Textual's, without repainting scrollbars that did not change.

        A DataTable updates its scrollbars at every layout of the screen that includes it
        (the virtual size it is laid out with is never its own) and repaints them whether
        they changed or not: a frame more, 17-33 ms after the layout's own (the people
        table's scrollbar, each time the table was shown).
        """
        bars = self._scrollbars()
        before = [(bar.window_virtual_size, bar.window_size, bar.position,
                   bar._repaint_required) for bar in bars]
        super()._scroll_update(virtual_size)
        for bar, (*shown, pending) in zip(bars, before, strict=True):
            if not pending and [bar.window_virtual_size, bar.window_size,
                                bar.position] == shown:
                bar._repaint_required = False  # drawn as it was: no repaint to report


__all__ = ["RowTable"]
