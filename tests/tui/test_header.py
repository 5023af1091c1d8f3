"""TitleHeader: the icon and the screen's title on one line, repainted (never laid out again) when
the title changes; a click on the icon opens the command palette."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.widgets import Label

from overload_tui.widgets.header import TitleHeader


class Titled(App[None]):
    TITLE = "overload"

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Label("body")


def line(app: App) -> str:
    return app.screen.query_one(TitleHeader).render().plain


async def test_icon_left_title_and_sub_title_centred_between_the_icon_and_the_right_margin():
    app = Titled()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        text = line(app)
        assert len(text) == 60 and text.startswith(" ⭘      ")
        assert text[8:50].strip() == "overload" and text[8:50].index("overload") == (42 - 8) // 2
        assert app.screen.query_one(TitleHeader).region.height == 1


async def test_a_new_title_or_sub_title_is_repainted_without_a_layout(monkeypatch):
    refreshes: list[bool] = []  # whether each refresh asked for a layout
    original = TitleHeader.refresh

    def refresh(self, *regions, **kwargs):
        refreshes.append(kwargs.get("layout", False))
        return original(self, *regions, **kwargs)

    monkeypatch.setattr(TitleHeader, "refresh", refresh)
    app = Titled()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        refreshes.clear()
        app.screen.sub_title = "alice"
        await pilot.pause()
        assert "overload — alice" in line(app)
        assert refreshes and not any(refreshes)
        refreshes.clear()
        app.title = "Workout"
        await pilot.pause()
        assert "Workout — alice" in line(app)
        assert refreshes and not any(refreshes)


async def test_a_title_too_long_is_cut_with_an_ellipsis():
    app = Titled()
    async with app.run_test(size=(30, 5)) as pilot:
        app.screen.sub_title = "a very long name that cannot fit"
        await pilot.pause()
        text = line(app)
        assert len(text) == 30 and "…" in text and text.startswith(" ⭘      ")


async def test_a_click_on_the_icon_opens_the_command_palette_and_elsewhere_does_nothing():
    app = Titled()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.click(TitleHeader, offset=(30, 0))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleHeader, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
