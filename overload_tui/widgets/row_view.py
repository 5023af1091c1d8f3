"""Rows of a fixed height, a cursor on one of them, drawn line by line and each line kept.

``RowView`` is what the set table and the history list share (Textual's DataTable and
OptionList did the same jobs, at a cost): a Line-API widget over a list of hashable rows, with
a cursor (keys, mouse), a scroll bar, and a cache of drawn lines keyed by what makes a line look
the way it does (the row, the width, cursor, hover, zebra parity, the styles in effect), so a
change draws only the lines it changes. Its height in lines is known from the number of rows
without drawing any (OptionList learns it by rendering every option), and setting it does not
lay the screen out again unless the scroll bar appears or goes.

A subclass sets ``ROW_HEIGHT`` (and ``HEADER_HEIGHT`` for lines above the rows that do not
scroll), returns its styles from ``get_look`` (hashable: part of every cache key) and draws a
row with ``render_row`` (and the header with ``render_header``). ``TextRows`` draws each row
from a Text, looking like Textual's OptionList; ``OptionRows`` takes (id, Text) options, as
OptionList does. With ``height: auto`` a view is as tall as its rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from overload_tui.widgets.textual_private import set_virtual_size_quietly


class _RowMessage(Message):
    def __init__(self, view: RowView, index: int) -> None:
        super().__init__()
        self.view = view
        self.index = index

    @property
    def control(self) -> RowView:
        return self.view

    @property
    def row(self) -> Any:
        """The row at ``index`` (as the view holds it now)."""
        return self.view.rows[self.index]


class RowView(ScrollView, can_focus=True):
    ROW_HEIGHT: ClassVar[int] = 1
    HEADER_HEIGHT: ClassVar[int] = 0
    ALLOW_SELECT = False
    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_first", "First", show=False),
        Binding("end,ctrl+end", "cursor_last", "Last", show=False),
    ]

    class Highlighted(_RowMessage):
        """The cursor moved to another row."""

    class Selected(_RowMessage):
        """Enter on a row, or a click on the cursor's row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.rows: list[Hashable] = []
        self._cursor = 0
        self._hover: int | None = None
        self._look: Hashable | None = None
        # width, scroll offset and a blank line, while drawing
        self._frame: tuple[int, int, int, Strip] | None = None
        self._lines: LRUCache[tuple, Strip] = LRUCache(2048)

    # -- for a subclass -----------------------------------------------------------------------
    def row_key(self, row: Any) -> Hashable:
        """What identifies a row across changes (its position when the rows are replaced)."""
        return row

    def content_width(self) -> int:
        """Lines wider than the widget scroll sideways; 0: as wide as the widget."""
        return 0

    def get_look(self) -> Hashable:
        return (self.rich_style, self.has_focus)

    def render_header(self, look: Any, width: int) -> list[Strip]:
        return []

    def render_row(self, row: Any, look: Any, width: int, odd: bool, cursor: bool,
                   hover: bool) -> list[Strip]:
        raise NotImplementedError

    # -- the rows -----------------------------------------------------------------------------
    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_item(self) -> Any | None:
        return self.rows[self._cursor] if 0 <= self._cursor < len(self.rows) else None

    def show_rows(self, rows: Sequence[Hashable], cursor: int | None = None) -> None:
        """Show ``rows``, drawing only what differs from what is shown: rows added at the end,
        or the same rows (by ``row_key``) with some changed, redraw those alone."""
        rows, old = list(rows), self.rows
        if rows != old:
            if len(rows) >= len(old) and rows[: len(old)] == old:
                changed = range(len(old), len(rows))
            elif [self.row_key(r) for r in rows] == [self.row_key(r) for r in old]:
                changed = [i for i, (a, b) in enumerate(zip(old, rows)) if a != b]
            else:
                at = self._cursor
                self.clear()
                cursor = min(at, len(rows) - 1) if cursor is None else cursor
                changed = ()
            self.rows = rows
            self._set_height()
            for index in changed:
                self._refresh_row(index)
        if cursor is not None and rows:
            self.move_cursor(row=cursor)

    def clear(self) -> Self:
        """No rows; the cursor back on the first, scrolled to the top."""
        self.rows = []
        self._cursor = 0
        self._hover = None
        self._set_height()
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()
        return self

    def _set_height(self) -> None:
        # virtual_size is a layout reactive: setting it lays the whole screen out again, which
        # only a change of scroll bars needs (the widget's own size is set by CSS).
        size = Size(self.content_width(), self._lines_needed())
        if size != self.virtual_size:
            set_virtual_size_quietly(self, size)
            if self.styles.height is not None and self.styles.height.is_auto:
                self.refresh(layout=True)  # as tall as its rows (up to a max-height): it grew

    def _lines_needed(self) -> int:
        return self.HEADER_HEIGHT + len(self.rows) * self.ROW_HEIGHT

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._lines_needed()

    # -- the cursor ---------------------------------------------------------------------------
    def move_cursor(self, *, row: int | None = None, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (kept within the rows) and scroll it into view."""
        if row is not None and self.rows:
            row = max(0, min(row, len(self.rows) - 1))
            if row != self._cursor:
                self._refresh_row(self._cursor)
                self._cursor = row
                self._refresh_row(row)
                self.post_message(self.Highlighted(self, row))
        if scroll:
            self._scroll_to_cursor(animate)

    @property
    def _rows_in_view(self) -> int:
        return max(1, (self.scrollable_content_region.height - self.HEADER_HEIGHT) // self.ROW_HEIGHT)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        if not self.rows or self.scrollable_content_region.height <= self.HEADER_HEIGHT:
            return
        top = round(self.scroll_target_y if animate else self.scroll_y)
        first, last = self._cursor * self.ROW_HEIGHT, (self._cursor + 1) * self.ROW_HEIGHT
        body = self.scrollable_content_region.height - self.HEADER_HEIGHT
        if first < top:
            self.scroll_to(y=first, animate=animate, force=True)
        elif last > top + body:  # the cursor's row at the bottom, the top on a row's first line
            self.scroll_to(y=-(-(last - body) // self.ROW_HEIGHT) * self.ROW_HEIGHT, animate=animate, force=True)

    def on_resize(self, _: events.Resize) -> None:
        self._scroll_to_cursor()

    def _by_keyboard(self, row: int) -> None:
        self._set_hover(None)
        self.move_cursor(row=row)

    def action_cursor_up(self) -> None:
        self._by_keyboard(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._by_keyboard(self._cursor + 1)

    def action_page_up(self) -> None:
        self._by_keyboard(self._cursor - self._rows_in_view)

    def action_page_down(self) -> None:
        self._by_keyboard(self._cursor + self._rows_in_view)

    def action_cursor_first(self) -> None:
        self._by_keyboard(0)

    def action_cursor_last(self) -> None:
        self._by_keyboard(len(self.rows) - 1)

    def action_select_cursor(self) -> None:
        self._set_hover(None)
        if self.cursor_item is not None:
            self.post_message(self.Selected(self, self._cursor))

    # -- the mouse ----------------------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.HEADER_HEIGHT:
            return None
        index = (offset.y - self.HEADER_HEIGHT + round(self.scroll_y)) // self.ROW_HEIGHT
        return index if index < len(self.rows) else None

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            for index in (self._hover, row):
                if index is not None:
                    self._refresh_row(index)
            self._hover = row

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        again = row == self._cursor
        self.move_cursor(row=row)
        if again:
            self.action_select_cursor()

    # -- drawing ------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._look = self.get_look()  # once a frame, not once a line
        width = self.scrollable_content_region.width
        self._frame = (width, *self.scroll_offset, Strip.blank(width, self.rich_style))
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        look = self._look if self._look is not None else self.get_look()
        frame = self._frame or (self.scrollable_content_region.width, *self.scroll_offset, None)
        width, scroll_x, scroll_y, blank = frame
        full = max(width, self.content_width())
        if y < self.HEADER_HEIGHT:
            key: tuple = (None, y, full, look)
            if (strip := self._lines.get(key)) is None:
                for n, line in enumerate(self.render_header(look, full)):
                    self._lines[(None, n, full, look)] = line
                strip = self._lines.get(key) or Strip.blank(full)
        else:
            index, line = divmod(y - self.HEADER_HEIGHT + scroll_y, self.ROW_HEIGHT)
            if index >= len(self.rows):
                return blank or Strip.blank(width, self.rich_style)
            row = self.rows[index]
            odd, cursor, hover = index % 2 == 1, index == self._cursor, index == self._hover
            state = (full, odd, cursor, hover, look)
            if (strip := self._lines.get((row, line, *state))) is None:
                for n, drawn in enumerate(self.render_row(row, look, full, odd, cursor, hover)):
                    self._lines[(row, n, *state)] = drawn
                strip = self._lines[(row, line, *state)]
        return strip.crop(scroll_x, scroll_x + width) if scroll_x or full > width else strip

    def _refresh_row(self, index: int) -> None:
        """Draw row ``index`` again, if it is in view."""
        top = self.HEADER_HEIGHT + index * self.ROW_HEIGHT - round(self.scroll_y)
        if top + self.ROW_HEIGHT > self.HEADER_HEIGHT and top < self.size.height:
            self.refresh(Region(0, top, self.size.width, self.ROW_HEIGHT))


class TextRows(RowView):
    """Rows drawn from ``prompt(row)`` (a Text, one line per row line, cut with an ellipsis),
    looking like Textual's OptionList."""

    COMPONENT_CLASSES = {"text-rows--cursor", "text-rows--hover"}
    DEFAULT_CSS = """
    TextRows {
        background: $surface;
        color: $foreground;
        & > .text-rows--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .text-rows--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .text-rows--hover { background: $block-hover-background; }
    }
    """

    def prompt(self, row: Any) -> Text:
        raise NotImplementedError

    def get_look(self) -> tuple[Style, Style, Style]:
        style = self.get_component_rich_style
        return self.rich_style, style("text-rows--cursor"), style("text-rows--hover")

    def render_row(self, row: Any, look: tuple[Style, Style, Style], width: int,
                   odd: bool, cursor: bool, hover: bool) -> list[Strip]:
        base, cursor_style, hover_style = look
        style = base + (hover_style if hover else _PLAIN) + (cursor_style if cursor else _PLAIN)
        console = self.app.console
        strips = []
        for line in self.prompt(row).split("\n", allow_blank=True)[: self.ROW_HEIGHT]:
            line.truncate(width, overflow="ellipsis")
            segments = line.render(console)  # the spans' styles; the Text's own goes under them
            if line.style:
                segments = Segment.apply_style(segments, console.get_style(line.style))
            strip = Strip(segments, line.cell_len)
            strips.append(strip.extend_cell_length(width).apply_style(style))
        return strips


_PLAIN = Style()


@dataclass(frozen=True, slots=True)
class OptionRow:
    """One line of an ``OptionRows``: its id and its text (plain, styles), equal when it looks
    the same."""

    id: str
    plain: str
    style: str
    spans: tuple[Span, ...]

    @classmethod
    def of(cls, row_id: str, text: Text) -> OptionRow:
        return cls(row_id, text.plain, str(text.style), tuple(text.spans))

    @property
    def prompt(self) -> Text:
        return Text(self.plain, style=self.style, spans=list(self.spans))


class OptionRows(TextRows):
    """A line per (id, Text) option, as Textual's OptionList shows them, drawn as ``RowView``
    draws (OptionList renders every option to learn its height, and draws them all again)."""

    def row_key(self, row: OptionRow) -> str:
        return row.id

    def prompt(self, row: OptionRow) -> Text:
        return row.prompt

    @property
    def highlighted(self) -> int | None:
        return self.cursor_row if self.rows else None

    @highlighted.setter
    def highlighted(self, index: int) -> None:
        self.move_cursor(row=index)

    @property
    def highlighted_id(self) -> str | None:
        row = self.cursor_item
        return row.id if row is not None else None

    def show_options(self, options: Sequence[tuple[str, Text]], cursor: int | None = None) -> None:
        """Show (id, prompt) lines, redrawing only those that changed."""
        self.show_rows([OptionRow.of(row_id, prompt) for row_id, prompt in options], cursor)

    def set_prompt(self, index: int, prompt: Text) -> None:
        """Change one line, and redraw that line alone."""
        rows = list(self.rows)
        rows[index] = OptionRow.of(rows[index].id, prompt)
        self.show_rows(rows)
