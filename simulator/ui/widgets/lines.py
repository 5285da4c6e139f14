"""The base of the widgets that paint their own lines and scroll themselves."""

from __future__ import annotations

from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class LineWidget(Widget):
    """Paints its lines from its own caches and scrolls by moving ``_top`` itself.

    Textual's scrolling grows a virtual size and moves a scroll offset, and it answers both
    with a layout and a repaint of the screen; a widget that keeps its size and offsets its
    own lines repaints only itself. Subclasses give :meth:`_line_count` and paint in
    ``render_line`` from ``_top``, with ``_base_style`` under everything.
    """

    WHEEL = 1  # lines a turn of the mouse wheel scrolls
    _base_style = Style()
    _top = 0

    def render_lines(self, crop: Region) -> list[Strip]:
        # the widget's base style, once per paint (Textual recomputes it on every call)
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def _line_count(self) -> int:
        return 0

    def _scroll(self, lines: int) -> None:
        """Scroll by ``lines`` (up when negative), within the lines there are."""
        height = max(1, self.content_size.height)
        top = max(0, min(self._top + lines, self._line_count() - height))
        if top != self._top:
            self._top = top
            self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll(-self.WHEEL)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll(self.WHEEL)


__all__ = ["LineWidget"]
