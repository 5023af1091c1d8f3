"""The key bar at the bottom of every screen: one widget drawing one line.

Textual's Footer is a container of one widget per key (a dozen, each styled, measured and
drawn on its own) that it removes and mounts again whenever the screen says its bindings may
have changed: on every focus change and every ``refresh_bindings()``. On this app's screens
that was a quarter of the cost of opening the history. ``KeysFooter`` draws the same keys as
one line of text: a change of keys repaints that line, and nothing is laid out again.

It looks like Textual's (the same theme variables) and picks its spacing by itself: roomy when
every key fits, compact when not, and when even that is too wide it cuts the keys short with an
ellipsis, always keeping the command palette's key (where every action is) at the right end. A
click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

PALETTE_BAR = "▏"
_PLAIN, _DIM = Style(), Style(dim=True)


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One entry: a key and what it does, or a group of keys sharing one label."""

    keys: tuple[tuple[str, str], ...]  # (key, as shown)
    label: str
    enabled: bool


class KeysFooter(Widget, can_focus=False):
    """Drop-in for Textual's ``Footer`` on this app's screens."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.items: tuple[FooterItem, ...] | None = None  # None: not read from the screen yet
        self.palette: FooterItem | None = None
        self._hits: list[tuple[int, int, str, bool]] = []  # (from x, to x, key, enabled) as drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # -- what to show -----------------------------------------------------------------------
    def _bindings_changed(self, screen: Screen) -> None:
        # Textual reports a change when the terminal loses focus too: the keys have not changed.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.read_keys()

    def read_keys(self) -> bool:
        """Read the screen's keys; repaint (no layout: the line's size never changes) if they
        differ from those shown. Returns whether they did."""
        items, palette = self._items()
        if (items, palette) == (self.items, self.palette):
            return False
        self.items, self.palette = items, palette
        self.refresh()
        return True

    def _items(self) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        app, active = self.app, self.screen.active_bindings
        by_action: dict[str, tuple[Binding, bool]] = {}  # an action's first key, as Textual's
        for _, binding, enabled, _ in active.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled))
        items: list[FooterItem] = []
        for group, members in groupby(by_action.values(), lambda m: m[0].group):
            members = list(members)
            if group is not None and len(members) > 1:
                keys = tuple((b.key, app.get_key_display(b)) for b, _ in members)
                items.append(FooterItem(keys, group.description, any(e for _, e in members)))
            else:
                items.extend(FooterItem(((b.key, app.get_key_display(b)),), b.description, e)
                             for b, e in members)
        palette = None
        found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if found is not None:
            b = found.binding
            palette = FooterItem(((b.key, app.get_key_display(b)),), b.description, found.enabled)
        return tuple(items), palette

    # -- drawing ----------------------------------------------------------------------------
    def render(self) -> Content:
        if self.items is None:  # the first frame: the screen's keys are known already
            self.items, self.palette = self._items()
        width = self.size.width
        key_style = self.get_visual_style("footer-key--key", partial=True)
        text_style = self.get_visual_style("footer-key--description", partial=True)
        palette = self._line([self.palette], True, key_style, text_style, lead=PALETTE_BAR) if self.palette else None
        room = width - (palette[0].cell_length if palette else 0)
        for compact in (False, True):
            line, hits = self._line(self.items or (), compact, key_style, text_style)
            if line.cell_length <= room:
                break
        if line.cell_length > room:
            line = line.truncate(max(room, 0), ellipsis=True)
            hits = [(start, min(end, room - 1), *rest) for start, end, *rest in hits if start < room - 1]
        if palette is not None and room >= 0:
            line = line.pad_right(room - line.cell_length) + palette[0]
            hits += [(room + start, room + end, *rest) for start, end, *rest in palette[1]]
        self._hits = hits
        return line

    @staticmethod
    def _line(items, compact: bool, key_style: Style, text_style: Style,
              lead: str = "") -> tuple[Content, list[tuple[int, int, str, bool]]]:
        """The items as one line, and where each key is: (from x, to x, key, enabled)."""
        parts: list[tuple[str, Style] | str] = [(lead, text_style)] if lead else []
        hits: list[tuple[int, int, str, bool]] = []
        x = cell_len(lead)

        def add(text: str, style: Style) -> None:
            nonlocal x
            parts.append((text, style))
            x += cell_len(text)

        for item in items:
            dim = _PLAIN if item.enabled else _DIM
            start = x
            if not compact:
                add(" ", key_style + dim)
            for n, (key, display) in enumerate(item.keys):
                if n:
                    add(" ", key_style + dim)
                add(display, key_style + dim)
                hits.append((x - cell_len(display), x, key, item.enabled))
            if not compact:
                add(" ", key_style + dim)
            if item.label:
                add(f" {item.label}" if compact else f"{item.label} ", text_style + dim)
            if len(item.keys) == 1:  # the whole entry is the key's
                hits[-1] = (start, x, *hits[-1][2:])
            if compact:
                add(" ", _PLAIN)
        content = Content.assemble(*parts)
        return (content.right_crop(1) if compact and items else content), hits

    # -- mouse ------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._hits:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
