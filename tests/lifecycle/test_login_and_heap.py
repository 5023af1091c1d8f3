"""The login screen says a throttled log-in's message as the service words it, and the app's
garbage-collector tuning (issue 7) is on while it runs and undone when it ends."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta

from textual.widgets import Input, Static

from overload_tui.app import OverloadApp
from overload_tui.launch import GC_THRESHOLD
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from tests.tui.helpers import PASSWORD, settle, sqlite_only, type_text


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def _fail(services, clock: Clock, times: int) -> None:
    """``times`` wrong passwords for alice, each as soon as the throttle allows it."""
    from overload_tui.domain.errors import AuthError
    from overload_tui.services.auth import LOGIN_FAILED

    for n in range(times):
        if n >= 5:
            clock.advance(2 ** (n - 5))
        try:
            services.auth.login("alice", "Wrong-Guess-42")
        except AuthError as error:
            assert str(error) == LOGIN_FAILED
        else:
            raise AssertionError("a wrong password logged in")


@sqlite_only
async def test_a_throttled_log_in_is_said_inline_as_is(services, alice, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services.auth, "_now", clock)
    _fail(services, clock, 10)  # ten failures: 32 s to wait
    app = OverloadApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "alice")
        await pilot.press("enter")
        await type_text(pilot, PASSWORD)  # the right password, but too soon
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        message = screen.query_one("#login-message", Static)
        assert str(message.render()) == "Too many failed log-ins for this account; try again in 32 s."
        assert message.has_class("-error")
        assert screen.query_one("#identifier", Input).value == "alice"
        assert app.focused is screen.query_one("#password", Input)
        assert services.tokens.load() is None

        clock.advance(32)  # waited: the selected password is typed again and works
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.pause(0.05)


@sqlite_only
async def test_the_heap_is_frozen_once_the_first_screen_is_up_and_thawed_at_the_end(services, logged_in):
    before = gc.get_threshold()
    app = OverloadApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        for _ in range(20):
            if app._gc_frozen:
                break
            await settle(pilot)
        assert app._gc_frozen
        assert gc.get_freeze_count() > 10_000  # Textual, SQLAlchemy, the app: out of the collector's way
        assert gc.get_threshold() == GC_THRESHOLD
        await pilot.pause(0.05)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


@sqlite_only
async def test_no_heap_tuning_when_asked_not_to(services, logged_in):
    before = gc.get_threshold()
    app = OverloadApp(services, tune_gc=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
        await pilot.pause(0.05)


@sqlite_only
async def test_young_garbage_is_collected_when_a_screen_closes_not_a_dialog(services, logged_in, monkeypatch):
    """A closed screen's widgets are cyclic garbage: collected (generation 1) a moment after it
    closes, instead of piling up into one long pause later; a closed dialog is not worth it."""
    from overload_tui.app import COLLECT_DELAY
    from overload_tui.widgets.confirm import ConfirmScreen

    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    app = OverloadApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")  # the history screen...
        await settle(pilot)
        await pilot.press("q")  # ...closed
        await settle(pilot)
        await pilot.pause(COLLECT_DELAY + 0.2)
        assert isinstance(app.screen, DashboardScreen)
        assert collected == [1]

        app.push_screen(ConfirmScreen("Sure?"))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.pause(COLLECT_DELAY + 0.2)
        assert collected == [1]
