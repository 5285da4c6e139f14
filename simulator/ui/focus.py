"""Widgets and helpers that stay safe when keys arrive faster than the screen is built."""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import OptionList


def focus_first(node: DOMNode, selector: str) -> None:
    """Focus the first widget matching ``selector`` under ``node``, if there is one.

    A dialog can be dismissed by a key that arrives before its mount handler runs (a fast
    typist, or keys queued while the app was busy); its widgets are gone by then, and a
    plain ``query_one(...).focus()`` would raise.
    """
    for widget in node.query(selector):
        widget.focus()
        return


def _safe_move_page(self: OptionList, direction: Any) -> None:
    try:
        self._update_lines()
        _move_page(self, direction)
    except KeyError:
        pass  # not laid out yet: paging does nothing


def make_option_lists_safe() -> None:
    """Patch Textual's OptionList so that page up/down cannot fail before its first layout.

    Textual 8's ``OptionList._move_page`` looks the highlighted option up in a line table
    that is only filled once the list is laid out; a page key arriving first raised
    ``KeyError`` (found by tests/ui/test_abuse.py, in our lists and in Textual's own
    command palette, which is why this patches the class rather than subclassing it).
    Paging then does nothing. Remove when Textual guards it as ``scroll_to_highlight``
    already does.
    """
    if OptionList._move_page is not _safe_move_page:
        OptionList._move_page = _safe_move_page  # type: ignore[method-assign]


_move_page = OptionList._move_page


def dismiss_once(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss ``screen`` with ``result`` if it is still the one on top.

    Two quick keys (enter, enter) can both reach a dialog: the first closes it, and the
    second must not close whatever is underneath (or fail on an empty screen stack).
    """
    if screen.is_current:
        screen.dismiss(result)
