"""The set table on its own: what it draws, what a new set costs (one row drawn, nothing laid out),
the cursor keys, Enter and the mouse; and on the logging screen, a new table for each exercise."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual import on
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from overload_tui.domain.enums import Unit
from overload_tui.services.dto import SetInfo
from overload_tui.widgets.set_table import COLUMNS, SetRow, SetTable
from tests.tui.helpers import sqlite_only, until
from tests.tui.test_session import history, log, resume, workout  # noqa: F401 - fixtures

VISIBLE = 7  # rows in view under the header (the table is 8 lines high)


def make_rows(count: int, first: int = 1, prefix: str = "s") -> list[SetRow]:
    return [SetRow(f"{prefix}{n}", n, SetInfo(id=n, order=n, weight=100 + n, reps=n % 12 + 1, unit=Unit.KG,
                                              logged_at=datetime(2024, 6, 5, 18, n % 60)))
            for n in range(first, first + count)]


class TableApp(App):
    CSS = "#sets { height: 8; scrollbar-size-vertical: 1; }"
    AUTO_FOCUS = "#box"  # as on the logging screen: the set box has the keys

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield SetTable(id="sets")
        yield Input(id="box")

    @on(SetTable.RowSelected, "#sets")
    def selected_row(self, message: SetTable.RowSelected) -> None:
        self.selected.append((message.cursor_row, message.row_key))


def drawn(table: SetTable) -> list[str]:
    """The table's lines as drawn (text only, right ends trimmed)."""
    return [strip.text.rstrip() for strip in table.render_lines(table.size.region)]


def row_line(row: SetRow) -> str:
    """A row as DataTable laid it out: a space either side of each column, numbers to the right."""
    line = ""
    for cell, (_, _, width) in zip(row.cells(), COLUMNS):
        text = cell.plain[:width]
        line += " " + (text.rjust(width) if cell.justify == "right" else text.ljust(width)) + " "
    return line.rstrip()


def count_rows_drawn(monkeypatch) -> list[tuple[str, bool]]:
    """(row key, cursor) for every row the table renders from now on."""
    calls: list[tuple[str, bool]] = []
    real = SetTable.render_row

    def render_row(self, row, look, width, odd, cursor, hover):
        calls.append((row.key, cursor))
        return real(self, row, look, width, odd, cursor, hover)

    monkeypatch.setattr(SetTable, "render_row", render_row)
    return calls


def visible(table: SetTable) -> range:
    top = round(table.scroll_y)
    return range(top, top + VISIBLE)


async def test_rows_are_drawn_under_the_header():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        rows = make_rows(3)
        table.show_rows(rows)
        await pilot.pause()
        lines = drawn(table)
        assert lines[0] == " #     Weight       Reps  RPE  e1RM   Time"
        assert lines[1:4] == [row_line(r) for r in rows]
        assert lines[2] == " 2     102 kg          3         112  18:02"  # reps and e1RM to the right
        assert lines[4:] == [""] * 4
        assert table.row_count == 3 and table.shown == rows
        assert [str(table.get_row_at(i)[2]) for i in range(3)] == ["2", "3", "4"]
        assert not table.show_vertical_scrollbar


async def test_zebra_stripes_header_and_cursor_have_their_own_colours():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        table.show_rows(make_rows(4))
        table.move_cursor(row=3)
        await pilot.pause()
        strips = table.render_lines(table.size.region)
        header, even, odd, even2, cursor = (strip._segments[0].style.bgcolor for strip in strips[:5])
        assert even == even2 and len({header, even, odd}) == 3
        assert cursor == odd  # no cursor shown while the lifter types (the set box has the focus)
        table.add_class("-rows")  # rows mode: the set box's keys act on the cursor's set
        await pilot.pause()
        shown = table.render_lines(table.size.region)[4]._segments[0].style.bgcolor
        assert shown == table.get_component_rich_style("datatable--cursor").bgcolor
        assert shown not in {header, even, odd}


async def test_a_new_set_draws_its_row_and_the_old_cursor_row_and_lays_nothing_out(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        rows = make_rows(5)
        table.show_rows(rows)
        table.move_cursor(row=4)
        await pilot.pause()
        calls = count_rows_drawn(monkeypatch)
        layouts = []
        real_layout = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout", lambda self, *a, **k: (layouts.append(1), real_layout(self, *a, **k))[1])
        spied_clear = []
        real_clear = SetTable.clear
        monkeypatch.setattr(SetTable, "clear", lambda self: (spied_clear.append(1), real_clear(self))[1])

        rows = [*rows, *make_rows(1, first=6)]
        table.show_rows(rows)  # what the logging screen does for a new set
        table.move_cursor(row=len(rows) - 1, animate=False)
        await pilot.pause()
        assert sorted(calls) == [("s5", False), ("s6", True)]
        assert layouts == [] and spied_clear == []
        assert drawn(table)[6] == row_line(rows[5])

        calls.clear()
        changed = replace(rows[1], record=True)  # a set marked afterwards: that row alone
        table.show_rows([rows[0], changed, *rows[2:]])
        await pilot.pause()
        assert calls == [("s2", False)]
        assert drawn(table)[2].startswith(" 2*")

        calls.clear()
        table.show_rows(list(table.shown))  # nothing new: nothing drawn
        await pilot.pause()
        assert calls == []


async def test_new_sets_past_the_bottom_scroll_the_cursor_into_view(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        rows = make_rows(VISIBLE)
        table.show_rows(rows)
        table.move_cursor(row=VISIBLE - 1)
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        for n in range(VISIBLE + 1, VISIBLE + 6):
            rows = [*rows, *make_rows(1, first=n)]
            table.show_rows(rows)
            table.move_cursor(row=len(rows) - 1, animate=False)
            await pilot.pause()
            assert table.cursor_row == len(rows) - 1 and table.cursor_row in visible(table)
            assert drawn(table)[-1] == row_line(rows[-1])
        assert table.show_vertical_scrollbar
        calls = count_rows_drawn(monkeypatch)  # scrolled by one more row: one new row, one old cursor row
        rows = [*rows, *make_rows(1, first=len(rows) + 1)]
        table.show_rows(rows)
        table.move_cursor(row=len(rows) - 1, animate=False)
        await pilot.pause()
        assert sorted(calls) == [(rows[-2].key, False), (rows[-1].key, True)]


async def test_cursor_keys_move_the_cursor_and_keep_it_in_view():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        table.show_rows(make_rows(20))
        table.focus()
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1
        await pilot.press("up", "up")  # already at the top
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("end")
        assert table.cursor_row == 19 and table.cursor_row in visible(table)
        assert table.scroll_y == 20 - VISIBLE
        await pilot.press("down")
        assert table.cursor_row == 19
        await pilot.press("pageup")
        assert table.cursor_row == 19 - VISIBLE and table.cursor_row in visible(table)
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown")
        assert table.cursor_row == VISIBLE and table.cursor_row in visible(table)
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert table.cursor_row == 19 and table.cursor_row in visible(table)
        for _ in range(VISIBLE + 2):
            await pilot.press("up")
        assert table.cursor_row == 19 - VISIBLE - 2 and table.cursor_row in visible(table)
        await pilot.pause()
        lines = drawn(table)
        assert lines[0].startswith(" #")  # the header stays on top
        assert lines[1] == row_line(table.shown[round(table.scroll_y)])


async def test_enter_and_a_click_on_the_cursor_row_select_it():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        table.show_rows(make_rows(5))
        table.focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [(1, "s2")]

        await pilot.click(SetTable, offset=(10, 4))  # line 4: the fourth set
        await pilot.pause()
        assert table.cursor_row == 3 and app.selected == [(1, "s2")]  # a new row: only moved
        await pilot.click(SetTable, offset=(50, 4))  # again, right of the columns
        await pilot.pause()
        assert app.selected == [(1, "s2"), (3, "s4")]
        await pilot.click(SetTable, offset=(10, 0))  # the header
        await pilot.click(SetTable, offset=(10, 7))  # below the last set
        await pilot.pause()
        assert table.cursor_row == 3 and len(app.selected) == 2


async def test_an_empty_table_selects_nothing():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        table.focus()
        await pilot.press("enter", "down", "end")
        await pilot.pause()
        assert app.selected == [] and table.cursor_row == 0 and table.row_count == 0
        assert drawn(table)[0].startswith(" #     Weight")


async def test_other_sets_clear_the_table_and_keep_the_cursor_in_range(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SetTable)
        table.show_rows(make_rows(12))
        table.move_cursor(row=11)
        await pilot.pause()
        assert table.scroll_y > 0
        cleared = []
        real_clear = SetTable.clear
        monkeypatch.setattr(SetTable, "clear", lambda self: (cleared.append(1), real_clear(self))[1])
        other = make_rows(3, prefix="o")
        table.show_rows(other)
        await pilot.pause()
        assert cleared == [1]
        assert table.shown == other and table.cursor_row == 2 and table.scroll_y == 0
        assert drawn(table)[1:5] == [*(row_line(r) for r in other), ""]
        table.show_rows([])
        await pilot.pause()
        assert table.row_count == 0 and drawn(table)[1] == ""


@sqlite_only
async def test_each_exercise_shows_its_own_sets_and_rows_mode_starts_on_the_last(ws, workout, make_app, monkeypatch):
    cleared = []
    real_clear = SetTable.clear
    monkeypatch.setattr(SetTable, "clear", lambda self: (cleared.append(1), real_clear(self))[1])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await log(pilot, "100x5", "100x4", "100x3")
        table = app.screen.query_one("#sets", SetTable)
        await until(pilot, lambda: table.row_count == 3, "three sets")
        cleared.clear()
        await pilot.press("down")  # leg press: no sets
        await until(pilot, lambda: cleared and table.row_count == 0, "leg press's empty table")
        await pilot.press("up")
        await until(pilot, lambda: table.row_count == 3, "bench's sets again")
        assert [line.split()[3] for line in drawn(table)[1:4]] == ["5", "4", "3"]
        assert not table.has_class("-rows")  # the cursor is not shown in full while typing

        await pilot.press("shift+tab", "up")  # rows mode: the cursor shown, on set 2
        await until(pilot, lambda: table.cursor_row == 1 and table.has_class("-rows"), "rows mode on set 2")
        await pilot.press("enter")  # Enter in rows mode edits the set: its line in the set box
        await until(pilot, lambda: app.screen.query_one("#set-input", Input).value == "#2 100x4", "set 2 to edit")
        assert not table.has_class("-rows")
        assert str(app.screen.query_one("#set-prompt").render()) == "Set 4"
