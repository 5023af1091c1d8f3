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
from tests.tui.helpers import PASSWORD, settle, sqlite_only, type_text, until


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
        await until(pilot, lambda: "Too many" in str(app.screen.query_one("#login-message", Static).render()),
                    "the throttled log-in to be said")
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
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard",
                    seen=lambda: f"login message: {message.render()}")
        await settle(pilot)  # the dashboard's calls answered before the app ends


@sqlite_only
async def test_the_heap_is_frozen_once_the_first_screen_is_up_and_thawed_at_the_end(services, logged_in):
    before = gc.get_threshold()
    app = OverloadApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await until(pilot, lambda: app._gc_frozen, "the heap frozen once the dashboard is up")
        assert isinstance(app.screen, DashboardScreen)
        assert gc.get_freeze_count() > 10_000  # Textual, SQLAlchemy, the app: out of the collector's way
        assert gc.get_threshold() == GC_THRESHOLD
        await settle(pilot)  # nothing left half done when the app ends
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


@sqlite_only
async def test_no_heap_tuning_when_asked_not_to(services, logged_in):
    before = gc.get_threshold()
    app = OverloadApp(services, tune_gc=False)
    async with app.run_test(size=(80, 24)) as pilot:
        # Where the heap would be frozen: the dashboard read and drawn, every call after it answered.
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.fresh,
                    "the dashboard read from the database")
        await settle(pilot)
        assert not app._gc_frozen and app._gc_threshold is None
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


@sqlite_only
async def test_young_garbage_is_collected_when_a_screen_closes_not_a_dialog(services, logged_in, monkeypatch):
    """A closed screen's widgets are cyclic garbage: collected (generation 1) a moment after it
    closes, instead of piling up into one long pause later; a closed dialog is not worth it."""
    from overload_tui.app import COLLECT_DELAY
    from overload_tui.widgets.confirm import ConfirmScreen

    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    app = OverloadApp(services)
    # The collections the app asks for, as it asks (a timer of COLLECT_DELAY): that a closed dialog
    # asks for none is then seen at once, instead of waiting a time for one that does not come.
    asked: list[float] = []
    set_timer = app.set_timer

    def spy(delay, callback=None, *args, **kwargs):
        if callback == app._collect:
            asked.append(delay)
        return set_timer(delay, callback, *args, **kwargs)

    monkeypatch.setattr(app, "set_timer", spy)

    def seen() -> str:
        return f"collections asked for: {asked}, done: {collected}"

    def changed_to(screen) -> bool:
        """The app has taken in that ``screen`` is in front (its screen-change handler has run)."""
        return app.screen is screen and app._top_screen is not None and app._top_screen() is screen

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        dashboard = app.screen
        await settle(pilot)
        await pilot.press("h")  # the history screen...
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen", "the history screen")
        await settle(pilot)
        assert asked == [] and collected == [], seen()
        await pilot.press("q")  # ...closed
        await until(pilot, lambda: collected == [1], "one young collection after the screen closed", seen=seen)
        assert changed_to(dashboard)
        assert asked == [COLLECT_DELAY], seen()

        app.push_screen(ConfirmScreen("Sure?"))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and changed_to(app.screen), "the dialog")
        await pilot.press("n")
        await until(pilot, lambda: changed_to(dashboard), "the dashboard again, the dialog closed")
        await settle(pilot)
        assert asked == [COLLECT_DELAY], f"a closed dialog asks for no collection; {seen()}"
        assert collected == [1], seen()
