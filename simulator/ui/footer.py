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
            # the rebuild waits for the next refresh and shows the bindings as they are
            # then: a second change before it (the focus moving after a key was added)
            # needs no second rebuild
            if screen.app.app_focus:
                self._shown = signature
        super().bindings_changed(screen)

    def on_mount(self) -> None:
        # after Footer.on_mount, which subscribes to the screen's bindings signal
        self.call_next(self._subscribe_at_once)

    def _subscribe_at_once(self) -> None:
        """Take the screen's bindings signal when it is sent, not after the messages
        waiting for the footer: those wait for the screen's next frame, so keys dimmed,
        undimmed, added or removed by a change were painted a frame (17-33 ms) after the
        change itself."""
        if self.is_attached:
            signal = self.screen.bindings_updated_signal
            signal.unsubscribe(self)
            signal.subscribe(self, self._bindings_changed_here, immediate=True)

    def _bindings_changed_here(self, screen: Screen[Any]) -> None:
        with self._context():  # what it starts (a rebuild, a key) belongs to the footer
            self.bindings_changed(screen)

    def _dim_in_place(self, signature: tuple[Any, ...]) -> bool:
        """Apply ``signature`` by dimming keys, if it differs from the shown one only in
        which keys are enabled; False if the footer must be rebuilt."""
        assert self._shown is not None

        def without_enabled(sig: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            return [row[:5] + row[6:] for row in sig]

        if without_enabled(signature) != without_enabled(self._shown):
            return self._add_or_remove(signature)
        enabled = {(row[0], row[3]): row[5] for row in signature}
        keys = [key for key in self.query(FooterKey) if key.display]  # not those hidden
        if any((key.key, key.action) not in enabled for key in keys):
            return False
        changed = []
        for key in keys:
            dim = not enabled[(key.key, key.action)]
            if key._disabled != dim:
                key._disabled = dim
                key.set_class(dim, "-disabled", update=False)
                changed.append(key)
        self._restyle(changed)
        self._shown = signature
        return True

    def _restyle(self, keys: list[FooterKey]) -> None:
        """Apply the CSS to keys whose classes changed, in one pass: keys alike share the
        rules matched for the first (one pass a key took 0.7 ms each)."""
        if keys:
            self.app.stylesheet.update_nodes(keys, animate=True)

    def _add_or_remove(self, signature: tuple[Any, ...]) -> bool:
        """Apply ``signature`` by removing and mounting single keys, if it differs from the
        shown one only by ungrouped keys coming or going (the people table's sort key, shown
        with the table): a rebuild restyled the whole footer and laid the screen out twice.
        False if the footer must be rebuilt."""
        assert self._shown is not None
        old = {(row[0], row[3]): row for row in self._shown}
        new = {(row[0], row[3]): row for row in signature}
        if len({row[3] for row in self._shown}) != len(self._shown) \
                or len({row[3] for row in signature}) != len(signature):
            return False  # an action with two keys (shown once): left to the rebuild
        kept_old = [row for row in self._shown if (row[0], row[3]) in new]
        kept_new = [row for row in signature if (row[0], row[3]) in old]
        if [r[:5] + r[6:] for r in kept_old] != [r[:5] + r[6:] for r in kept_new] \
                or any(row[4] is not None for row in signature + self._shown):
            return False
        every = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        keys = {(key.key, key.action): key for key in every if key.display}
        if set(keys) != set(old):
            return False
        # a key that goes is hidden, and shown again when it comes back: a new key's first
        # size made Textual lay the screen out once more, a frame (17 ms) later
        hidden = {(key.key, key.action): key for key in every if not key.display}
        for ident, key in keys.items():
            if ident not in new:
                key.display = False
            elif key._disabled != (not new[ident][5]):
                key._disabled = not new[ident][5]
                key.set_class(key._disabled, "-disabled")
        bindings = {(b.key, b.action): b for _, b, _, _ in self.screen.active_bindings.values()}
        following: FooterKey | None = None
        for row in reversed(signature):
            ident = (row[0], row[3])
            if ident in keys:
                following = keys[ident]
                continue
            binding_key, _, description, action, _, enabled, tooltip = row
            key_display = self.app.get_key_display(bindings[ident])
            if (old_key := hidden.pop(ident, None)) is not None:
                if (old_key.key_display, old_key.description) == (key_display, description) \
                        and self._next_shown(old_key) is following:
                    old_key._disabled = not enabled
                    old_key.set_class(old_key._disabled, "-disabled")
                    old_key.display = True
                    following = old_key
                    continue
                old_key.remove()  # elsewhere now, or saying something else
            key = FooterKey(binding_key, key_display, description, action,
                            disabled=not enabled, tooltip=tooltip)
            with self._context():  # bound to this footer, as its compose binds them
                key.data_bind(compact=Footer.compact)
            if following is not None:
                self.mount(key, before=following)
            else:
                self.mount(key, before=self._palette_key())
            following = key
        self._shown = signature
        return True

    def _next_shown(self, key: FooterKey) -> FooterKey | None:
        """The first key shown after ``key`` (the palette's key, or None at the end)."""
        siblings = list(self.children)
        return next((k for k in siblings[siblings.index(key) + 1:]
                     if isinstance(k, FooterKey) and k.display), None)

    def _palette_key(self) -> FooterKey | None:
        return next(iter(self.query(".-command-palette").results(FooterKey)), None)
