"""Shared by the templates, history and progress screens and their dialogs.

* ``ServiceCalls``: ``run_service`` queues work on the app's database thread and drops the answer
  if the screen has been closed meanwhile (a slow query must not poke a widget that is gone).
* ``BindingCommands``: a command-palette provider listing the active screen's key bindings, so
  every action with a key is also in the palette (ctrl+p), with its key shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from overload_tui.domain.errors import OverloadError


class ServiceCalls:
    """Mixin for a Screen: database work through ``app.call_service``, never on the UI thread."""

    def run_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], Any] | None = None,
        on_error: Callable[[OverloadError], Any] | None = None,
        **kwargs: Any,
    ):
        def guard(callback: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
            if callback is None:
                return None

            def call(value: Any) -> Any:
                if self.is_attached:  # type: ignore[attr-defined]
                    return callback(value)
                return None

            return call

        return self.app.call_service(  # type: ignore[attr-defined]
            fn, *args, on_done=guard(on_done), on_error=guard(on_error), **kwargs
        )


def _binding_commands(screen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
    """(name, help, callback) for each enabled, described binding active on ``screen``."""
    seen: set[tuple[int, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        node = active.node
        if not binding.description or binding.system or not active.enabled:
            continue
        if not binding.show and node is not screen and not binding.tooltip:  # cursor keys: not commands
            continue
        if node is screen.app:  # the app's own (quit...) are in the palette already
            continue
        marker = (id(node), binding.action)
        if marker in seen:
            continue
        seen.add(marker)
        key_display = screen.app.get_key_display(binding)
        yield binding.description, f"Key: {key_display}", partial(node.run_action, binding.action)


class BindingCommands(Provider):
    """The current screen's key bindings as palette commands."""

    async def discover(self) -> Hits:
        for name, help_text, callback in _binding_commands(self.screen):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in _binding_commands(self.screen):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
