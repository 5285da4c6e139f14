"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CalmFooter(Footer):
    """A :class:`~textual.widgets.Footer` that skips its rebuild when nothing it shows changed.

    Textual's footer recomposes every key widget whenever the screen's bindings are
    refreshed: on every focus change and every return from a dialog, which after an act was
    most of the time the screen took to repaint. The keys and labels rarely change then;
    when only some keys become available or unavailable (undo after the first act), those
    keys are dimmed or undimmed in place. Anything else rebuilds the footer as before.
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
        if self._bindings_ready and self.is_attached and screen is self.screen \
                and self._shown is not None:
            signature = self._signature()
            if signature == self._shown or self._dim_in_place(signature):
                return
        super().bindings_changed(screen)

    def _dim_in_place(self, signature: tuple[Any, ...]) -> bool:
        """Apply ``signature`` by dimming keys, if it differs from the shown one only in
        which keys are enabled; False if the footer must be rebuilt."""
        assert self._shown is not None

        def without_enabled(sig: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            return [row[:5] + row[6:] for row in sig]

        if without_enabled(signature) != without_enabled(self._shown):
            return False
        enabled = {(row[0], row[3]): row[5] for row in signature}
        keys = list(self.query(FooterKey))
        if any((key.key, key.action) not in enabled for key in keys):
            return False
        for key in keys:
            dim = not enabled[(key.key, key.action)]
            if key._disabled != dim:
                key._disabled = dim
                key.set_class(dim, "-disabled")
        self._shown = signature
        return True
