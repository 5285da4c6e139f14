"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class CalmFooter(Footer):
    """A :class:`~textual.widgets.Footer` that skips its rebuild when nothing it shows changed.

    Textual's footer recomposes every key widget whenever the screen's bindings are
    refreshed: on every focus change and every return from a dialog, which after an act is
    most of the time the screen takes to repaint. The keys, labels and dimmed states
    rarely change then; when they do, the footer is rebuilt as before.
    """

    _shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        return tuple((b.key, b.key_display, b.description, b.action, b.group, enabled, tooltip)
                     for _, b, enabled, tooltip in self.screen.active_bindings.values()
                     if b.show)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (self._bindings_ready and self.is_attached and screen is self.screen
                and self._shown is not None and self._signature() == self._shown):
            return
        super().bindings_changed(screen)
