"""The title bar at the top of every screen: one widget drawing one line.

Textual's Header is a container of three widgets (icon, title, clock space), each styled, laid
out and drawn on its own, and it sets its title through an async watcher after the screen's first
frame, with a layout of the whole screen. ``TitleHeader`` draws the same line itself: the icon on
the left (a click opens the command palette), the title and sub-title centred, cut short with an
ellipsis when they do not fit. A change of title repaints that line; nothing is laid out again.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # as Textual's HeaderIcon: the icon, padded, and the hover area
RIGHT_WIDTH = 10  # as Textual's HeaderClockSpace: keeps the title centred on the screen


class TitleHeader(Widget, can_focus=False):
    """Drop-in for Textual's ``Header`` on this app's screens (its looks; no clock, no tall mode)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"title-header--icon-hover"}
    DEFAULT_CSS = """
    TitleHeader {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        .title-header--icon-hover { background: $foreground 10%; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._icon_hover = False

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._title_changed, init=False)
            self.watch(owner, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()  # a repaint: the line's size never changes

    def title_content(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        icon = Content(f" {ICON}").pad_right(ICON_WIDTH - 2)
        if self._icon_hover:
            icon = icon.stylize(self.get_visual_style("title-header--icon-hover", partial=True))
        middle = max(width - ICON_WIDTH - RIGHT_WIDTH, 0)
        title = self.title_content().center(middle, ellipsis=True) if middle else Content("")
        line = Content.assemble(icon, title)
        return line.pad_right(max(width - line.cell_length, 0)).truncate(width)

    # -- the icon opens the command palette, as Textual's does -----------------------------------
    def _on_icon(self, x: int) -> bool:
        return x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def _hover_icon(self, hover: bool) -> None:
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_icon(self._on_icon(event.x))

    def on_leave(self, _: events.Leave) -> None:
        self._hover_icon(False)

    async def on_click(self, event: events.Click) -> None:
        if self._on_icon(event.x):
            event.stop()
            await self.run_action("app.command_palette")
