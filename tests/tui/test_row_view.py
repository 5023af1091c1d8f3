"""RowView: fixed-height rows with a cursor, each line drawn once and kept."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.strip import Strip

from overload_tui.widgets.row_view import RowView


class Pairs(RowView):
    ROW_HEIGHT = 2
    DEFAULT_CSS = "Pairs { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[str] = []

    def render_row(self, row, look, width, odd, cursor, hover) -> list[Strip]:
        self.drawn.append(row)
        mark = ">" if cursor else " "
        return [_line(f"{mark}{row}", width), _line(f"  {row} details", width)]


def _line(text: str, width: int) -> Strip:
    from rich.segment import Segment

    return Strip([Segment(text[:width].ljust(width))], width)


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Pairs()

    def on_row_view_highlighted(self, message: RowView.Highlighted) -> None:
        self.messages.append(("highlighted", message.index))

    def on_row_view_selected(self, message: RowView.Selected) -> None:
        self.messages.append(("selected", message.index))


def lines(view: RowView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_appending_rows_draws_only_the_new_ones():
    app = Host()
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(Pairs)
        view.focus()
        view.show_rows(["a", "b"])
        await pilot.pause()
        assert lines(view)[:4] == [">a", "  a details", " b", "  b details"]
        assert view.virtual_size.height == 4
        view.drawn.clear()
        view.show_rows(["a", "b", "c"])
        await pilot.pause()
        assert view.drawn == ["c"] and view.virtual_size.height == 6
        view.drawn.clear()
        view.show_rows(["a", "B", "c"])  # a changed row: by its key (the row itself here): replaced
        await pilot.pause()
        assert "B" in view.drawn and "a" not in view.drawn


async def test_cursor_keys_scroll_by_whole_rows_and_enter_selects():
    app = Host()
    async with app.run_test(size=(30, 7)) as pilot:  # 7 lines: three rows and a half
        view = app.query_one(Pairs)
        view.focus()
        view.show_rows([f"r{i}" for i in range(10)])
        await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert view.cursor_row == 3
        assert view.scroll_y % 2 == 0 and not lines(view)[0].startswith("  ")  # a row's first line on top
        assert ">r3" in lines(view)
        await pilot.press("end")
        await pilot.pause()
        assert view.cursor_row == 9 and ">r9" in lines(view)
        await pilot.press("pageup", "enter")
        await pilot.pause()
        assert view.cursor_row == 6
        assert app.messages[-1] == ("selected", 6)
        assert ("highlighted", 1) in app.messages


async def test_a_click_moves_the_cursor_and_a_second_click_selects():
    app = Host()
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(Pairs)
        view.show_rows(["a", "b", "c"])
        await pilot.pause()
        await pilot.click(Pairs, offset=(2, 3))  # the second line of row b
        await pilot.pause()
        assert view.cursor_row == 1 and ("selected", 1) not in app.messages
        await pilot.click(Pairs, offset=(2, 2))
        await pilot.pause()
        assert ("selected", 1) in app.messages


async def test_text_rows_keep_the_texts_own_style_under_its_spans():
    from rich.text import Text

    from overload_tui.widgets.row_view import TextRows

    class Lines(TextRows):
        def prompt(self, row) -> Text:
            text = Text(row, style="bold")  # the whole line bold, as Text draws it
            text.stylize("italic", 0, 1)
            return text

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Lines()

    app = One()
    async with app.run_test(size=(20, 4)) as pilot:
        view = app.query_one(Lines)
        view.show_rows(["ab"])
        await pilot.pause()
        first, second = list(view.render_line(0))[:2]
        assert (first.text, first.style.bold, first.style.italic) == ("a", True, True)
        assert (second.text, second.style.bold, bool(second.style.italic)) == ("b", True, False)
