"""A Footer that rebuilds its keys only when the keys it shows have changed, and styles each
key once.

Textual's Footer removes and mounts every key (a dozen widgets, each styled) whenever the screen
says its bindings may have changed: on every focus change, every ``refresh_bindings()``, and
first of all just after the screen's first frame (it starts empty). Opening
the logging screen did that four times; moving between the set box and the table did it each
time. Here the keys shown are compared first (key, label, enabled, tooltip, group, and the
command-palette key) and the footer is rebuilt only when they differ. Each new key is also
born with the footer's compact style: Textual's keys start compact, then follow the footer, and
each switch restyles the key (about a tenth of the cost of opening the logging screen).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Drop-in for ``Footer`` (same looks and options)."""

    _shown: tuple | None = None

    def compose(self) -> ComposeResult:
        # Textual's Footer composes nothing until the screen first reports its bindings, after
        # the first frame, then mounts every key: a second layout of a screen just drawn. The
        # screen's bindings are known already: the keys are in the first frame, and that report
        # changes nothing unless the keys did.
        if not self._bindings_ready and self.is_attached:
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = self._signature()
        compact = self.compact
        for widget in super().compose():
            # As the footer is, so binding it to the footer changes nothing (the palette key is
            # not bound: Textual leaves it compact).
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def _signature(self) -> tuple:
        app = self.app
        keys = tuple(
            (binding.key, binding.action, app.get_key_display(binding), binding.description,
             enabled, tooltip, id(binding.group) if binding.group else None)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found.binding.key, found.enabled)
        return keys, palette

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()
