"""KeysFooter: the screen's keys on one line, fitted to the width, clickable, repainted (never
laid out again) when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from overload_tui.widgets.footer import KeysFooter

MOVE = Binding.Group("Move", compact=True)


class Keys(App[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("x", "delete", "Delete"),
        Binding("u", "move(-1)", "Up", group=MOVE),
        Binding("d", "move(1)", "Down", group=MOVE),
        Binding("ctrl+g", "back", "Back"),
        Binding("z", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []
        self.can_delete = False

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "delete" and not self.can_delete else True

    def action_save(self) -> None:
        self.done.append("save")

    def action_delete(self) -> None:
        self.done.append("delete")

    def action_move(self, step: int) -> None:
        self.done.append(f"move {step}")


def line(app: App) -> str:
    return app.screen.query_one(KeysFooter).render().plain


async def test_keys_roomy_when_they_fit_compact_then_cut_keeping_the_palette_key():
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        text = line(app)
        assert text.startswith(" ^s Save  x Delete  u d Move  ^g Back ")
        assert text.rstrip().endswith("▏^p palette") and len(text) == 100
        assert "Hidden" not in text

        await pilot.resize_terminal(45, 10)
        await pilot.pause()
        text = line(app)
        assert text.startswith("^s Save x Delete u d Move ^g Back") and len(text) == 45

        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        text = line(app)
        assert "…" in text and text.endswith("▏^p palette") and len(text) == 30


async def test_a_click_presses_the_key_and_a_disabled_key_does_nothing():
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        text = line(app)
        await pilot.click(footer, offset=(text.index("Save"), 0))
        await pilot.click(footer, offset=(text.index("Delete"), 0))  # disabled: a bell
        await pilot.click(footer, offset=(text.index("u d") + 2, 0))  # d, in the group
        await pilot.pause()
        assert app.done == ["save", "move 1"]


async def test_a_key_enabled_later_repaints_the_line_without_a_layout():
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        assert not footer.items[1].enabled
        layouts = []
        original = footer.refresh
        footer.refresh = lambda *a, **k: (layouts.append(k.get("layout", False)), original(*a, **k))[1]
        app.can_delete = True
        app.refresh_bindings()
        await pilot.pause()
        assert footer.items[1].enabled and layouts and not any(layouts)
        layouts.clear()
        app.refresh_bindings()  # nothing changed: not even a repaint
        await pilot.pause()
        assert layouts == []
        await pilot.press("x")
        assert app.done == ["delete"]
