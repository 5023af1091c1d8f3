"""The logging screen's two lists: the workout's exercises and the chosen exercise's sets.

Both are redrawn in place, never rebuilt for a small change: logging a set appends one row and
rewrites one line of the exercise list (a rebuild of either redraws every visible line, which was
most of the cost of logging a set).

``SetTable`` columns: # (position, then W/D/F for a warm-up, drop or failure set, and * for a set
that beat a personal record; … for a set not saved yet), weight, reps, RPE, e1RM (up to 12 reps),
and the time it was logged. The keys act through the screen's actions (``screen.edit_set``...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, OptionList
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


class SetTable(DataTable):
    """The chosen exercise's sets. Enter or e edits the set under the cursor."""

    BINDINGS = [
        Binding("e", "screen.edit_set", "Edit set"),
        Binding("x,delete", "screen.delete_set", "Delete set", key_display="x"),
        Binding("t", "screen.cycle_set_type", "Type", tooltip="Normal, warm-up (W), drop (D), failure (F)"),
        Binding("u", "screen.move_set(-1)", "Move set up", group=MOVE),
        Binding("d", "screen.move_set(1)", "Move set down", group=MOVE),
        Binding("n", "screen.entry_notes", "Exercise notes"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.shown: list[SetRow] = []

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def show_rows(self, rows: Sequence[SetRow]) -> None:
        """Show ``rows``, touching only what differs from what is shown."""
        rows = list(rows)
        old = self.shown
        if rows == old:
            return
        self.shown = rows
        if len(rows) >= len(old) and rows[: len(old)] == old:  # sets logged: append them
            for row in rows[len(old):]:
                self.add_row(*row.cells(), key=row.key)
            return
        if [r.key for r in rows] == [r.key for r in old]:  # the same sets, some changed
            for before, row in zip(old, rows):
                if before != row:
                    for (_, column, _), cell in zip(COLUMNS, row.cells()):
                        self.update_cell(row.key, column, cell)
            return
        cursor = self.cursor_row
        self.clear()
        for row in rows:
            self.add_row(*row.cells(), key=row.key)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)


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
