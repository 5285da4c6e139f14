"""A list of choices that paints from cached lines and never changes the screen's layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from .lines import LineWidget


@dataclass(frozen=True, slots=True)
class Choice:
    """One line (or a few, when it wraps) of a :class:`ChoiceList`."""

    id: str | None
    prompt: Text
    enabled: bool = True


class ChoiceList(LineWidget, can_focus=True):
    """Choices with a cursor: keys, clicks and the mouse wheel.

    Textual's :class:`~textual.widgets.OptionList` renders each prompt again through its
    content pipeline on every paint and resizes its virtual area when its options change,
    which makes Textual lay out the whole screen: about a millisecond a line here, and a
    layout per change. This list wraps each prompt once per width, keeps the lines, and
    scrolls itself (a mark in its last column says there is more above or below), so a
    change repaints only the list.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("enter", "select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-list--cursor", "choice-list--disabled", "choice-list--more"}

    DEFAULT_CSS = """
    ChoiceList {
        height: 1fr;
        padding: 0 0 0 1;
        & > .choice-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .choice-list--disabled {
            color: $text-disabled;
        }
        & > .choice-list--more {
            color: $text-muted;
        }
    }
    """

    class Selected(Message):
        """A choice was taken (enter or a click)."""

        def __init__(self, choice_list: ChoiceList, choice: Choice, index: int) -> None:
            super().__init__()
            self.choice_list, self.choice, self.index = choice_list, choice, index

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class Highlighted(Message):
        """The cursor moved to another choice (or off every choice)."""

        def __init__(self, choice_list: ChoiceList, choice: Choice | None) -> None:
            super().__init__()
            self.choice_list, self.choice = choice_list, choice

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._choices: list[Choice] = []
        self._highlighted: int | None = None
        self._top = 0                               # first line shown
        self._width = 0                             # the width the lines were wrapped at
        self._wrapped: list[list[Strip]] = []       # each choice's lines at that width
        self._wrap_cache: dict[tuple[Any, ...], list[Strip]] = {}  # lines by prompt, width
        self._line_owner: list[int] = []            # the choice each line belongs to
        self._first_line: list[int] = []            # each choice's first line
        self.show_cursor = True                     # False: no cursor drawn (yet)

    # -- content ---------------------------------------------------------------------------

    @property
    def choices(self) -> list[Choice]:
        return list(self._choices)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self._choices):
            index = None
        if index != self._highlighted:
            self._highlighted = index
            self._scroll_to_cursor()
            self.refresh()
            self.post_message(self.Highlighted(self, None if index is None
                                               else self._choices[index]))

    @property
    def highlighted_id(self) -> str | None:
        index = self._highlighted
        return None if index is None else self._choices[index].id

    def set_choices(self, choices: Sequence[Choice], *, highlight: int | None = None) -> None:
        """Replace every choice; the cursor goes to ``highlight`` (or the first enabled)."""
        self._choices = list(choices)
        self._width = 0
        self._top = 0
        self._highlighted = None
        self.highlighted = highlight if highlight is not None else self._next_enabled(-1, 1)
        if self._highlighted is None:
            self.post_message(self.Highlighted(self, None))
        self.refresh()

    def replace_choice(self, index: int, choice: Choice) -> None:
        """Change one choice in place (only that choice is wrapped again)."""
        if self._choices[index] == choice:
            return
        old_lines = len(self._wrapped[index]) if self._width and index < len(self._wrapped) \
            else None
        self._choices[index] = choice
        if old_lines is not None:
            lines = self._wrap(choice.prompt, self._width)
            if len(lines) == old_lines:
                self._wrapped[index] = lines
            else:
                self._width = 0  # the lines below move: wrap everything at the next paint
        if self._highlighted == index and not choice.enabled:
            self._highlighted = None
        self.refresh()

    # -- painting --------------------------------------------------------------------------

    def _wrap(self, prompt: Text, width: int) -> list[Strip]:
        # the same prompts come back (the acts after every choice, the people in every
        # target list): wrapped once for each width
        key = (prompt.plain, tuple(prompt.spans), prompt.style, prompt.justify,
               prompt.overflow, prompt.no_wrap, width)
        lines = self._wrap_cache.get(key)
        if lines is None:
            console = self.app.console
            options = console.options.update(width=width, min_width=width, max_width=width,
                                             height=None, highlight=False)
            lines = [Strip(line) for line in console.render_lines(prompt, options,
                                                                  pad=False)]
            if len(self._wrap_cache) >= 4096:
                self._wrap_cache.clear()
            self._wrap_cache[key] = lines
        return lines

    def _layout_lines(self) -> None:
        width = max(1, self.content_size.width - 1)  # the last column holds the marks
        if width == self._width:
            return
        self._width = width
        self._wrapped = [self._wrap(choice.prompt, width) or [Strip.blank(0)]
                         for choice in self._choices]
        self._line_owner, self._first_line = [], []
        for index, lines in enumerate(self._wrapped):
            self._first_line.append(len(self._line_owner))
            self._line_owner.extend([index] * len(lines))
        self._scroll_to_cursor()

    def _line_count(self) -> int:
        return len(self._line_owner)

    def render_line(self, y: int) -> Strip:
        self._layout_lines()
        width = self.content_size.width
        base = self._base_style
        line = self._top + y
        if line >= len(self._line_owner) or width <= 0:
            return Strip.blank(width, base)
        index = self._line_owner[line]
        choice = self._choices[index]
        strip = self._wrapped[index][line - self._first_line[index]]
        strip = strip.extend_cell_length(width - 1)
        if index == self._highlighted and self.show_cursor:
            strip = strip.apply_style(self.get_component_rich_style("choice-list--cursor"))
        elif not choice.enabled:
            strip = strip.apply_style(self.get_component_rich_style("choice-list--disabled"))
        mark = " "
        if y == 0 and self._top > 0:
            mark = "▲"
        elif y == self.content_size.height - 1 and line < len(self._line_owner) - 1:
            mark = "▼"
        more = self.get_component_rich_style("choice-list--more")
        return Strip([*strip, Segment(mark, more)]).apply_style(base)

    def on_resize(self, event: events.Resize) -> None:
        self._width = 0
        self.refresh()

    # -- moving ----------------------------------------------------------------------------

    def _next_enabled(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self._choices):
            if self._choices[index].enabled:
                return index
            index += step
        return None

    def _move(self, step: int, count: int = 1) -> None:
        index = self._highlighted if self._highlighted is not None else (
            -1 if step > 0 else len(self._choices))
        for _ in range(count):
            following = self._next_enabled(index, step)
            if following is None:
                break
            index = following
        if 0 <= index < len(self._choices):
            self.highlighted = index

    def _scroll_to_cursor(self) -> None:
        if not self._width or self._highlighted is None or not self._first_line:
            return
        height = max(1, self.content_size.height)
        first = self._first_line[self._highlighted]
        last = first + len(self._wrapped[self._highlighted]) - 1
        if self._highlighted == self._next_enabled(-1, 1):
            first = 0  # the first choice shows what is above it (a title, a hint)
        if first < self._top:
            self._top = first
        elif last >= self._top + height:
            self._top = last - height + 1

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-1, max(1, self.content_size.height - 1))

    def action_page_down(self) -> None:
        self._move(1, max(1, self.content_size.height - 1))

    def action_first(self) -> None:
        self._highlighted = None
        self._move(1)

    def action_last(self) -> None:
        self._highlighted = None
        self._move(-1)

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and self._choices[index].enabled:
            self.post_message(self.Selected(self, self._choices[index], index))

    # -- the mouse -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = self._top + offset.y
        if 0 <= line < len(self._line_owner):
            index = self._line_owner[line]
            if self._choices[index].enabled:
                self.highlighted = index
                self.action_select()



__all__ = ["Choice", "ChoiceList"]
