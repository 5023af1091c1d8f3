"""StyledOnce: a screen is styled as it mounts, with its width classes already on, and not
again when it appears; it is restyled when shown again after a theme change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from overload_tui.widgets.screen_style import StyledOnce


class Plain(StyledOnce, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("plain")


class Roomy(Plain):
    def size_classes(self, width: int, height: int) -> dict[str, bool]:
        return {**super().size_classes(width, height), "-roomy": width >= 100}


class Base(App[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]


def count_restyles(app: App) -> list:
    calls = []
    original = app.update_styles
    app.update_styles = lambda node=None, animate=True: (calls.append(node), original(node, animate))[1]
    return calls


async def test_a_new_screen_is_styled_once_with_its_width_classes():
    app = Base()
    async with app.run_test(size=(80, 24)) as pilot:
        restyles = count_restyles(app)
        screen = Roomy()
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.has_class("-wide") and not screen.has_class("-narrow")
        assert not screen.has_class("-roomy")
        assert [n for n in restyles if n is screen] == []  # no second styling of the whole screen

        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert screen.has_class("-roomy") and screen.has_class("-wide")


async def test_shown_again_it_is_restyled_only_after_a_theme_change():
    app = Base()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = Plain()
        app.install_screen(screen, "kept")
        await app.push_screen("kept")
        await pilot.pause()
        restyles = count_restyles(app)
        for theme in (None, "textual-light"):
            app.pop_screen()
            await pilot.pause()
            if theme:
                app.theme = theme
                await pilot.pause()
            restyles.clear()
            await app.push_screen("kept")
            await pilot.pause()
            assert (screen in restyles) == bool(theme)

        app.pop_screen()
        await pilot.resize_terminal(50, 24)  # narrower while away: the classes follow
        await pilot.pause()
        await app.push_screen("kept")
        await pilot.pause()
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
