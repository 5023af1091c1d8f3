"""InOrderInput, FormInput and FormDialog: keys act in the order typed, through Textual's public
API (the login form's bursts are in test_login.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.form_input import InOrderInput


def burst(app: App, text: str) -> None:
    """Keys as a paste or a slow SSH link deliver them: all queued at once."""
    for char in text:
        key = {"\r": "enter", "\t": "tab", "\x15": "ctrl+u"}.get(char, char)
        app.post_message(events.Key(key, char if key == char else None))


class Boxes(App[None]):
    CSS = "Input { width: 12; }"

    def compose(self) -> ComposeResult:
        yield InOrderInput(id="in-order")
        yield Input(id="plain")
        yield InOrderInput(id="in-order-2")


async def test_typing_lays_nothing_out_and_the_text_stays_scrolled_within_itself():
    app = Boxes()
    async with app.run_test(size=(40, 8)) as pilot:
        box, plain = app.query_one("#in-order", InOrderInput), app.query_one("#plain", Input)
        layouts: dict[str, list[bool]] = {"in-order": [], "plain": []}
        for widget in (box, plain):
            refresh = widget.refresh
            widget.refresh = (lambda r, log: lambda *a, **k: (log.append(k.get("layout", False)), r(*a, **k))[1])(
                refresh, layouts[widget.id])
        for widget in (box, plain):
            widget.focus()
            await pilot.pause()
            await pilot.press(*"abcdefghij")
            await pilot.pause()
        assert box.value == plain.value == "abcdefghij"
        assert any(layouts["plain"])  # what Textual's Input does on every key
        assert not any(layouts["in-order"])

        box.focus()
        box.value = "x" * 40
        box.action_end()
        await pilot.pause()
        assert box.scroll_x > 0
        box.cursor_position = 35
        await pilot.press("ctrl+k")  # delete to the end: 35 left, the box was scrolled past them
        await pilot.pause()
        assert box.value == "x" * 35 and box.scroll_x <= box.max_scroll_x


async def test_editing_keys_act_in_order_with_the_letters():
    app = Boxes()
    async with app.run_test() as pilot:
        box = app.query_one("#in-order", InOrderInput)
        box.focus()
        await pilot.pause()
        burst(app, "old\x15new")  # ctrl+u between: runs before "new" is typed
        await pilot.pause()
        assert box.value == "new"


async def test_keys_queued_in_a_box_after_the_focus_moved_on_go_where_the_focus_is():
    app = Boxes()
    async with app.run_test() as pilot:
        box = app.query_one("#in-order", InOrderInput)
        for other in (app.query_one("#plain", Input), app.query_one("#in-order-2", InOrderInput)):
            box.focus()
            await pilot.pause()
            for char in "xy":
                box.post_message(events.Key(char, char))  # queued for the box...
            app.set_focus(other)  # ...then the focus moves on, before they are handled
            await pilot.pause()
            assert (box.value, other.value) == ("", "xy")  # each typed once, where the focus is


class DialogHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.saved: list[dict[str, str]] = []
        self.result: Any = None

    def call_service(self, fn, *args, on_done=None, on_error=None, **kwargs):
        result = fn(*args, **kwargs)
        if on_done is not None:
            on_done(result)

    def on_mount(self) -> None:
        fields = [FormField("name", "Name"), FormField("reps", "Reps", type="integer")]

        def save(values: dict[str, str]) -> str:
            self.saved.append(values)
            return "saved"

        self.push_screen(FormDialog("Two fields", fields, save), self.closed)

    def closed(self, result: Any) -> None:
        self.result = result


async def test_a_form_dialog_typed_in_one_burst_fills_each_field_and_saves_once():
    app = DialogHost()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        burst(app, "Squat\r5\r")
        await asyncio.sleep(0)
        await pilot.pause()
        await pilot.pause()
        assert app.saved == [{"name": "Squat", "reps": "5"}]
        assert app.result == "saved" and not isinstance(app.screen, FormDialog)
