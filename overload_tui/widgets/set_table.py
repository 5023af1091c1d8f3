"""The logging screen's two lists: the workout's exercises and the chosen exercise's sets.

Both are redrawn in place, never rebuilt for a small change: logging a set appends one row and
rewrites one line of the exercise list (a rebuild of either redraws every visible line, which was
most of the cost of logging a set). ``SetTable`` draws its lines itself and keeps each one, so a
logged set draws one new line (and the cursor's old and new lines), nothing else.

``SetTable`` columns: # (position, then W/D/F for a warm-up, drop or failure set, and * for a set
that beat a personal record; … for a set not saved yet), weight, reps, RPE, e1RM (up to 12 reps),
and the time it was logged. The keys act through the screen's actions (``screen.edit_set``...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Self

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from overload_tui.domain.e1rm import estimate_1rm, is_trusted
from overload_tui.services.dto import SetInfo
from overload_tui.widgets import format as fmt

MOVE = Binding.Group("Move", compact=True)
PR_MARK = "*"  # ASCII: a star is drawn two cells wide by some terminals and fonts
UNSENT_MARK = "…"
COLUMNS = (("#", "n", 4), ("Weight", "weight", 11), ("Reps", "reps", 4), ("RPE", "rpe", 3),
           ("e1RM", "e1rm", 5), ("Time", "time", 5))


@dataclass(frozen=True, slots=True)
class SetRow:
    """One row as shown: equal rows are never redrawn."""

    key: str
    number: int
    info: SetInfo
    record: bool = False
    unsent: bool = False

    def cells(self) -> tuple[Text, ...]:
        s, dim = self.info, "dim italic" if self.unsent else ""
        mark = Text(str(self.number), style=dim)
        if s.set_type in fmt.SET_TYPE_MARKS:
            mark.append(fmt.SET_TYPE_MARKS[s.set_type], style="bold")
        if self.record:
            mark.append(PR_MARK, style="bold")
        if self.unsent:
            mark.append(UNSENT_MARK, style="bold")
        e1rm = estimate_1rm(s.weight, s.reps) if s.weight and is_trusted(s.reps) else None
        return (
            mark,
            Text(f"{fmt.weight(s.weight)} {fmt.unit_label(s.unit)}", style=dim),
            Text(str(s.reps), justify="right", style=dim),
            Text(fmt.number(s.rpe) if s.rpe is not None else "", justify="right", style=dim),
            Text(f"{e1rm:.0f}" if e1rm else "", style="dim", justify="right"),
            Text(f"{s.logged_at:%H:%M}" if s.logged_at else "", style="dim"),
        )


class SetTable(ScrollView, can_focus=True):
    """The chosen exercise's sets. Enter or e edits the set under the cursor.

    A Line-API widget: a header line, then one line a set. Each line is a Strip kept in a cache
    keyed by what makes it look the way it does (the row, the width, cursor, hover, zebra parity
    and the styles in effect, focus included), so a logged set renders its own line and the
    cursor's old and new lines; every other line comes from the cache. DataTable keys its caches
    on a count of changes, so each new row drew every visible cell again through Rich.

    Adding rows sets ``virtual_size`` without Textual's layout (the table's height is fixed by
    CSS, so its size cannot change): only the scrollbar is updated, and a layout happens only
    when the scrollbar appears or goes.
    """

    ALLOW_SELECT = False
    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_first", "First set", show=False),
        Binding("end,ctrl+end", "cursor_last", "Last set", show=False),
        Binding("e", "screen.edit_set", "Edit set"),
        Binding("x,delete", "screen.delete_set", "Delete set", key_display="x"),
        Binding("t", "screen.cycle_set_type", "Type", tooltip="Normal, warm-up (W), drop (D), failure (F)"),
        Binding("u", "screen.move_set(-1)", "Move set up", group=MOVE),
        Binding("d", "screen.move_set(1)", "Move set down", group=MOVE),
        Binding("n", "screen.entry_notes", "Exercise notes"),
    ]
    # DataTable's component classes and styles, so the table looks like one in every theme.
    COMPONENT_CLASSES = {
        "datatable--header", "datatable--cursor", "datatable--hover", "datatable--even-row", "datatable--odd-row",
    }
    DEFAULT_CSS = """
    SetTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark {
            & > .datatable--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """

    class RowSelected(Message):
        """Enter on a row, or a click on the cursor's row."""

        def __init__(self, table: SetTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> SetTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.shown: list[SetRow] = []
        self._cursor = 0
        self._hover: int | None = None
        self._look: _Look | None = None
        self._frame: tuple[int, int, int] | None = None  # width and scroll offset, while drawing
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self.set_reactive(ScrollView.virtual_size, Size(TABLE_WIDTH, 1))

    # -- the rows ------------------------------------------------------------------------------
    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_count(self) -> int:
        return len(self.shown)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row ``index`` as shown (DataTable's name)."""
        return list(self.shown[index].cells())

    def show_rows(self, rows: Sequence[SetRow]) -> None:
        """Show ``rows``, touching only what differs from what is shown."""
        rows = list(rows)
        old = self.shown
        if rows == old:
            return
        if len(rows) >= len(old) and rows[: len(old)] == old:  # sets logged: append them
            self.shown = rows
            self._set_height()
            for index in range(len(old), len(rows)):
                self._refresh_row(index)
            return
        if [r.key for r in rows] == [r.key for r in old]:  # the same sets, some changed
            self.shown = rows
            for index, (before, row) in enumerate(zip(old, rows)):
                if before != row:
                    self._refresh_row(index)
            return
        cursor = self._cursor
        self.clear()
        self.shown = rows
        self._set_height()
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def clear(self) -> Self:
        """No rows; the cursor back on the first line, scrolled to the top."""
        self.shown = []
        self._cursor = 0
        self._hover = None
        self._set_height()
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()
        return self

    def _set_height(self) -> None:
        """The virtual size for the rows shown. ``virtual_size`` is a layout reactive: setting it
        lays the whole screen out again, which only a change of scrollbars needs (the table's
        own size is set by CSS). ``_scroll_update`` shows or hides the scrollbar (a layout then,
        through its own reactive) and sizes its thumb."""
        size = Size(TABLE_WIDTH, len(self.shown) + 1)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    # -- the cursor ----------------------------------------------------------------------------
    def move_cursor(self, *, row: int | None = None, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (kept within the rows) and scroll it into view."""
        if row is not None:
            row = max(0, min(row, len(self.shown) - 1))
            if row != self._cursor:
                self._refresh_row(self._cursor)
                self._cursor = row
                self._refresh_row(row)
        if scroll:
            self._scroll_to_cursor(animate)

    @property
    def _body_height(self) -> int:
        """Lines for rows: the content area less the header (and a horizontal scrollbar)."""
        return self.scrollable_content_region.height - 1

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        body = self._body_height
        if body <= 0 or not self.shown:
            return
        top = round(self.scroll_target_y if animate else self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=animate, force=True)
        elif self._cursor >= top + body:
            self.scroll_to(y=self._cursor - body + 1, animate=animate, force=True)

    def _on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    def _keyboard(self) -> None:
        self._set_hover(None)

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self._keyboard()
        page = max(1, self._body_height)
        self.scroll_to(y=self.scroll_y - page, animate=False, force=True)
        self.move_cursor(row=self._cursor - page)

    def action_page_down(self) -> None:
        self._keyboard()
        page = max(1, self._body_height)
        self.scroll_to(y=self.scroll_y + page, animate=False, force=True)
        self.move_cursor(row=self._cursor + page)

    def action_cursor_first(self) -> None:
        self._keyboard()
        self.move_cursor(row=0)

    def action_cursor_last(self) -> None:
        self._keyboard()
        self.move_cursor(row=len(self.shown) - 1)

    def action_select_cursor(self) -> None:
        self._keyboard()
        self._select()

    def _select(self) -> None:
        if 0 <= self._cursor < len(self.shown):
            self.post_message(self.RowSelected(self, self._cursor, self.shown[self._cursor].key))

    # -- the mouse -----------------------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        index = offset.y - 1 + round(self.scroll_y)
        return index if index < len(self.shown) else None

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            if self._hover is not None:
                self._refresh_row(self._hover)
            self._hover = row
            if row is not None:
                self._refresh_row(row)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    async def _on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        again = row == self._cursor
        self.move_cursor(row=row)
        if again:
            self._select()

    # -- drawing -------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._look = self._get_look()  # once a frame, not once a line
        self._frame = (self.size.width, *self.scroll_offset)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _get_look(self) -> _Look:
        """The styles a line is drawn with (as DataTable takes them): part of every cache key, so
        a change of focus or theme draws the lines again."""
        row = self.get_component_styles
        return _Look(
            self.rich_style,
            row("datatable--header").rich_style,
            row("datatable--even-row").rich_style,
            row("datatable--odd-row").rich_style,
            self.get_component_rich_style("datatable--cursor"),
            self.get_component_rich_style("datatable--hover"),
            self.has_focus,
        )

    def render_line(self, y: int) -> Strip:
        look = self._look or self._get_look()
        width, scroll_x, scroll_y = self._frame or (self.size.width, *self.scroll_offset)
        full = max(width, TABLE_WIDTH)
        if y == 0:
            key: tuple = (None, full, look)
            strip = self._strips.get(key)
            if strip is None:
                strip = self._strips[key] = self.render_header(look, full)
        else:
            index = y - 1 + scroll_y
            if index >= len(self.shown):
                return Strip.blank(width, look.base)
            row = self.shown[index]
            cursor, hover = index == self._cursor, index == self._hover
            key = (row, full, cursor, hover, index % 2, look)
            strip = self._strips.get(key)
            if strip is None:
                strip = self._strips[key] = self.render_row(row, look, full, index % 2, cursor, hover)
        return strip.crop(scroll_x, scroll_x + width) if scroll_x or full > width else strip

    def render_header(self, look: _Look, width: int) -> Strip:
        console = self.app.console
        segments: list[Segment] = []
        for label, _, column_width in COLUMNS:
            segments += _cell(Text(label), column_width, console, look.header, _NULL)
        if width > TABLE_WIDTH:
            segments.append(Segment(" " * (width - TABLE_WIDTH), look.header))
        return Strip(segments, width).simplify()

    def render_row(self, row: SetRow, look: _Look, width: int, odd: int, cursor: bool, hover: bool) -> Strip:
        """One row's line, as DataTable draws it: each cell padded by a space either side, the
        row's zebra style under the cell's own, the cursor's colours over both."""
        console = self.app.console
        row_style = look.odd if odd else look.even
        component = _NULL
        if hover:
            component += look.hover
        if cursor:
            component += look.cursor
        pre = row_style + component
        post = Style.from_color(color=component.color)
        segments: list[Segment] = []
        for cell, (_, _, column_width) in zip(row.cells(), COLUMNS):
            segments += _cell(cell, column_width, console, pre, post)
        if width > TABLE_WIDTH:
            segments.append(Segment(" " * (width - TABLE_WIDTH), pre))
        return Strip(segments, width).simplify()

    def _refresh_row(self, index: int) -> None:
        """Draw row ``index``'s line again, if it is in view."""
        line = index + 1 - round(self.scroll_y)
        if 1 <= line < self.size.height:
            self.refresh(Region(0, line, self.size.width, 1))


class _Look(NamedTuple):
    base: Style
    header: Style
    even: Style
    odd: Style
    cursor: Style
    hover: Style
    focus: bool


_NULL = Style()
TABLE_WIDTH = sum(width + 2 for _, _, width in COLUMNS)  # a space either side of each column


def _cell(text: Text, width: int, console: Console, pre: Style, post: Style) -> list[Segment]:
    """A cell's segments: ``text`` justified in ``width`` (cut to it), a space either side; what
    ``Padding(text, (0, 1))`` rendered by Rich gives, without Rich's line machinery."""
    length = text.cell_len
    if length > width:
        text = text.copy()
        text.truncate(width, overflow="crop")
        length = text.cell_len
    base = console.get_style(text.style, default=_NULL) if text.style else _NULL
    if text.spans:
        parts = [Segment(part.text, pre + part.style + post) for part in text.render(console)]
    elif text.plain:
        parts = [Segment(text.plain, pre + base + post)]
    else:
        parts = []
    space, gap = pre + post, width - length
    if text.justify != "right":
        return [Segment(" ", space), *parts, Segment(" " * (gap + 1), space)]
    if gap:  # Rich pads on the left in the text's own style
        parts.insert(0, Segment(" " * gap, pre + base + post))
    return [Segment(" ", space), *parts, Segment(" ", space)]


class EntryList(OptionList):
    """The workout's exercises. Keys here act on the highlighted one."""

    BINDINGS = [
        Binding("u", "screen.move_entry(-1)", "Move up", group=MOVE),
        Binding("d", "screen.move_entry(1)", "Move down", group=MOVE),
        Binding("x,delete", "screen.remove_entry", "Remove", key_display="x"),
        Binding("n", "screen.entry_notes", "Exercise notes"),
    ]

    def show_options(self, options: Sequence[tuple[str, Text]]) -> bool:
        """Show (id, prompt) options. Only the lines whose text changed are redrawn when the ids
        are the same; returns True when the list was rebuilt."""
        ids = [option_id for option_id, _ in options]
        if ids != [o.id for o in self.options]:
            self.set_options(Option(prompt, id=option_id) for option_id, prompt in options)
            return True
        for index, (_, prompt) in enumerate(options):
            self.set_prompt(index, prompt)
        return False

    def set_prompt(self, index: int, prompt: Text) -> None:
        """Change one option's text and redraw its line alone (``replace_option_prompt`` redraws
        every line). Prompts are one line (no wrapping here), so no other line moves."""
        option = self.get_option_at_index(index)
        if isinstance(option.prompt, Text) and option.prompt == prompt:
            return
        option._set_prompt(prompt)
        self._option_render_cache.clear()  # cheap: only lines that are redrawn render again
        line = self._index_to_line.get(index) if self._lines else None
        if line is None:
            self.refresh()
        else:
            self.refresh_lines(line, self._heights.get(index, 1))
