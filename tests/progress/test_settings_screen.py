"""The settings screen driven with Pilot on a logged-in app (SQLite: one backend is enough for
the UI; the service itself is tested on both)."""

from __future__ import annotations


import pytest
from textual.events import Mount
from textual.widgets import Input, Select, Static

from overload_tui.app import OverloadApp
from overload_tui.domain.e1rm import Formula
from overload_tui.domain.enums import Equipment
from overload_tui.screens.settings import SettingsScreen
from overload_tui.widgets.confirm import ConfirmScreen
from tests.tui.helpers import settle as tui_settle
from tests.tui.helpers import until


class SettingsHost(OverloadApp):
    def __init__(self, services, user) -> None:
        super().__init__(services)
        self._user = user
        self.results: list = []

    def on_mount(self, event: Mount) -> None:
        event.prevent_default()  # not the real log-in flow
        self.user = self._user
        self.push_screen(SettingsScreen(), self.results.append)


@pytest.fixture
def sqlite_services(tmp_path, data_dir):
    from overload_tui.services import Services

    svc = Services.open(f"sqlite:///{tmp_path / 'settings.db'}", data_dir=data_dir, bcrypt_rounds=4)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def user(sqlite_services):
    return sqlite_services.auth.register("alice", "alice@example.com", "correct horse", "Alice")


async def settle(app, pilot) -> None:
    """Until every database call has answered and the screen has drawn it (not a number of rounds)."""
    await tui_settle(pilot)


async def type_into(pilot, screen, dom_id: str, text: str, *, keys: bool = False) -> None:
    """Fill a box: with real key presses when ``keys`` (slower), else by setting its value."""
    box = screen.query_one(f"#{dom_id}", Input)
    box.focus()
    box.value = ""
    if keys:
        await pilot.press(*text)
    else:
        box.value = text


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_settings_screen_saves_and_shows_inline_errors(sqlite_services, user):
    svc = sqlite_services.settings(user.id)
    svc.update(rep_max=10)
    app = SettingsHost(sqlite_services, user)
    async with app.run_test(size=(110, 50)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#rep_max", Input).value == "10"      # loaded from the database
        assert screen.query_one("#rep_min", Input).value == "8"
        assert screen.query_one("#plates", Input).value == "25, 20, 15, 10, 5, 2.5, 1.25"
        assert screen.query_one("#e1rm_formula", Select).value == "epley"

        # Bad input: inline messages, typed values kept, nothing saved.
        await type_into(pilot, screen, "rep_min", "20", keys=True)
        await type_into(pilot, screen, "plates", "25, 20, 0")
        await type_into(pilot, screen, "rep_max", "[bold]x")         # markup stays literal
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(screen, "#error-plates") == "Each plate must be more than 0 and at most 100 kg."
        assert shown(screen, "#error-rep_max") == "Rep range maximum must be a number, not '[bold]x'."
        assert screen.query_one("#error-rep_max").has_class("-shown")
        assert not screen.query_one("#error-rep_min").has_class("-shown")  # fine on its own
        assert screen.query_one("#plates", Input).value == "25, 20, 0"
        assert screen.query_one("#rep_max", Input).value == "[bold]x"
        assert screen.query_one("#rep_max", Input).has_class("-invalid")
        assert "Not saved" in shown(screen, "#status")
        assert svc.get().rep_max == 10 and svc.get().rep_min == 8

        # Range check across fields.
        await type_into(pilot, screen, "rep_max", "12")
        await type_into(pilot, screen, "plates", "20, 25, 10")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(screen, "#error-rep_min") == "Rep range minimum must be from 1 to the maximum (12)."
        assert not screen.query_one("#error-plates").has_class("-shown")

        # Fixed: saved through the button, the form shows the values as stored.
        await type_into(pilot, screen, "rep_min", "6")
        await type_into(pilot, screen, "increments-barbell", "5")
        await type_into(pilot, screen, "rest_heavy", "240")
        screen.query_one("#e1rm_formula", Select).value = "brzycki"
        await pilot.click("#save")
        await settle(app, pilot)
        saved = svc.get()
        assert (saved.rep_min, saved.rep_max, saved.plates) == (6, 12, (25, 20, 10))
        assert saved.increments[Equipment.BARBELL] == 5 and saved.rest_heavy == 240
        assert saved.e1rm_formula is Formula.BRZYCKI
        assert screen.query_one("#plates", Input).value == "25, 20, 10"
        assert not screen.query(".error.-shown") and shown(screen, "#status") == "Saved."

        # Back (ctrl+g, which works in tmux) hands the saved settings to the caller.
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.results, "the settings handed back", seen=lambda: repr(app.results))
        assert app.results == [saved]


async def test_leaving_with_unsaved_changes_asks_first(sqlite_services, user):
    app = SettingsHost(sqlite_services, user)
    async with app.run_test(size=(110, 50)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await type_into(pilot, screen, "bar_weight", "15")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question about unsaved changes")
        await pilot.press("n")                          # stay
        await until(pilot, lambda: app.screen is screen, "the settings again")
        assert app.screen is screen and screen.query_one("#bar_weight", Input).value == "15"
        await pilot.press("ctrl+r")                     # defaults back in the form: not dirty
        await pilot.pause()
        assert screen.query_one("#bar_weight", Input).value == "20" and not screen.dirty
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.results, "the screen to close", seen=lambda: repr(app.results))
        assert app.results == [None]                   # nothing was saved
        assert sqlite_services.settings(user.id).get().bar_weight == 20
