"""A Header whose title changes only repaint it.

Textual's Header sets its title through an async watcher, after the screen's first frame, with
``Static.update``'s default ``layout=True``: every screen was laid out and drawn a second time
just after it appeared (about a tenth of opening the logging screen), and again whenever its
title or sub-title changed. A header's size never depends on its title: a repaint is enough, and
set at mount the title is in the first frame.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class TitleHeader(Header):
    """Drop-in for ``Header`` (same looks and options)."""

    def _on_mount(self, event: Mount) -> None:
        # Instead of Header's own (Widget's only sets up scroll bars, which a header has not).
        event.prevent_default()

        def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title(), layout=False)
            except NoScreen:
                pass

        for owner in (self.app, self.screen):
            self.watch(owner, "title", set_title)
            self.watch(owner, "sub_title", set_title)
