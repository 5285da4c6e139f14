"""The explained log under the map: what the last acts and turns changed, and why."""

from __future__ import annotations

from collections import deque
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.strip import Strip

from .lines import LineWidget


class EventLog(LineWidget):
    """The newest lines at the bottom; the mouse wheel scrolls back through older ones.

    Not a :class:`~textual.widgets.RichLog`: a RichLog grows its virtual size and scrolls
    on every write, and Textual answers both with a layout and a repaint of the whole
    screen, several times per act. This widget keeps its size and paints only itself.
    """

    DEFAULT_CSS = """
    EventLog {
        height: 7;
    }
    """

    def __init__(self, *, max_lines: int = 400, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texts: deque[Text] = deque(maxlen=max_lines)
        self._lines: list[Strip] = []   # the texts wrapped at the current width
        self._width = 0
        self._back = 0                  # lines scrolled back from the newest

    @property
    def texts(self) -> list[Text]:
        """Everything written and still kept, oldest first."""
        return list(self._texts)

    def write(self, text: Text | str) -> None:
        text = Text(text) if isinstance(text, str) else text
        if len(self._texts) == self._texts.maxlen:
            self._texts.popleft()
            self._width = 0  # the oldest lines go: wrap again at the next paint
        self._texts.append(text)
        if self._width:
            self._lines.extend(self._wrap(text, self._width))
        self._back = 0
        self.refresh()

    def _wrap(self, text: Text, width: int) -> list[Strip]:
        """``text`` wrapped at ``width``; a line that wraps keeps its indent (the changes
        under an act stay indented on their second line)."""
        console = self.app.console
        indent = len(text.plain) - len(text.plain.lstrip(" "))
        if indent and text.cell_len > width > indent + 10:
            lines = console.render_lines(text[indent:], console.options.update_width(
                width - indent), pad=False)
            pad = Segment(" " * indent)
            return [Strip([pad, *line]).simplify() for line in lines]
        options = console.options.update_width(width)
        lines = console.render_lines(text, options, pad=False)
        return [Strip(line).simplify() for line in lines]

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if width <= 0:
            return Strip.blank(0)
        if width != self._width:
            self._width = width
            self._lines = [line for text in self._texts for line in self._wrap(text, width)]
        height = self.content_size.height
        end = len(self._lines) - self._back
        index = max(0, end - height) + y  # short logs start at the top
        style = self._base_style
        if 0 <= index < end:
            strip = self._lines[index]
            if y == 0 and self._back:
                strip = Strip([*strip.crop(0, width - 2), Segment(" ↑", style)])
            return strip.extend_cell_length(width).apply_style(style)
        return Strip.blank(width, style)

    def on_resize(self, event: events.Resize) -> None:
        self._width = 0
        self.refresh()

    def _scroll(self, lines: int) -> None:
        """Up (negative) goes back to older lines; the log counts from its newest."""
        self.scroll_back(-lines)

    def scroll_back(self, lines: int) -> None:
        """Show ``lines`` older lines (newer when negative), within what is kept."""
        height = max(1, self.content_size.height)
        back = max(0, min(self._back + lines, len(self._lines) - height))
        if back != self._back:
            self._back = back
            self.refresh()
