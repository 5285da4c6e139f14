"""Tables of rows (the picker's scenarios, the game's people)."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable[Any]):
    """A table of rows: home and end go to the first and last row (a DataTable's go to
    the first and last column)."""

    BINDINGS = [Binding("home", "scroll_top", show=False),
                Binding("end", "scroll_bottom", show=False)]


__all__ = ["RowTable"]
