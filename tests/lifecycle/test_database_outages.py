"""Issue 6, the app's half: PostgreSQL goes away and comes back while the real app runs (Pilot).

The database is reached through a TCP proxy that the test stops (every connection dropped, new
ones refused) and starts again. What must hold:

* at start-up, an unreachable database gets a screen that says where and why and retries by
  itself; r retries now; the app carries on to the login screen once the database answers;
* a saved log-in that cannot be checked because the database is down is kept (not thrown away as
  "no longer valid"), and the app opens on the dashboard once it is back;
* while running, a failed call makes the app check the database: ``db_online`` turns False, every
  screen on the stack gets ``DatabaseStatusChanged``, the screen in front shows the offline banner
  (so do screens opened meanwhile); when the database answers again all of that is undone and the
  app says so; nothing crashes and nothing shows a traceback.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.engine import make_url
from textual.widgets import Input

import overload_tui.app as app_module
from overload_tui import launch
from overload_tui.app import DatabaseStatusChanged, OverloadApp
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from overload_tui.screens.startup import DatabaseUnreachableScreen, OfflineBanner
from overload_tui.services import Services
from tests.tui.helpers import until

pytestmark = pytest.mark.postgres

PW = "correct horse"


@pytest.fixture
def fast_checks(monkeypatch):
    """Health checks every 0.2 s instead of every few seconds."""
    monkeypatch.setattr(app_module, "PING_OFFLINE_SECONDS", 0.2)
    monkeypatch.setattr(app_module, "PING_ONLINE_SECONDS", 0.2)
    monkeypatch.setattr(app_module, "RETRY_SECONDS", 1.0)


@pytest.fixture
def proxied_url(pg_url, pg_proxy, data_dir):
    """The test database, migrated, with alice; reached through the proxy."""
    services = Services.open(pg_url, data_dir=data_dir, bcrypt_rounds=4)
    services.auth.register("alice", "alice@example.com", PW)
    services.close()
    return make_url(pg_url).set(host="127.0.0.1", port=pg_proxy.port).render_as_string(hide_password=False)


def _attempts(app) -> object:
    return getattr(app.screen, "attempts", "-")


def text_of(screen) -> str:
    return " ".join(str(w.render()) for w in screen.query("Static"))


def record_status_messages(app) -> list[tuple[str, bool]]:
    """(screen class, online) of every DatabaseStatusChanged posted to a screen."""
    seen: list[tuple[str, bool]] = []
    original = app._set_db_status

    def spy(online: bool, problem: str) -> None:
        for screen in app.screen_stack:
            post = screen.post_message

            def recording(message, _screen=screen, _post=post):
                if isinstance(message, DatabaseStatusChanged):
                    seen.append((type(_screen).__name__, message.online))
                return _post(message)

            screen.post_message = recording
        try:
            original(online, problem)
        finally:
            for screen in app.screen_stack:
                screen.__dict__.pop("post_message", None)

    app._set_db_status = spy
    return seen


async def test_start_up_with_the_database_down_retries_until_it_is_back(proxied_url, pg_proxy, data_dir, fast_checks):
    pg_proxy.stop()
    app = OverloadApp(open_services=lambda: launch.open_services(proxied_url, data_dir=data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DatabaseUnreachableScreen), "the unreachable screen")
        shown = text_of(app.screen)
        assert f"Cannot reach the PostgreSQL database {make_url(proxied_url).database} at 127.0.0.1:{pg_proxy.port}" in shown
        assert "Connection refused" in shown and "Retrying" in shown
        assert "r: retry now" in shown and "q: quit" in shown
        await pilot.press("r")  # still down: says so, stays
        await until(pilot, lambda: app.screen.attempts >= 2, "a second attempt")
        assert isinstance(app.screen, DatabaseUnreachableScreen) and app.services is None

        pg_proxy.start()  # back: the next automatic try goes on to the login screen
        # (no shorter deadline than until's own: opening the database on a loaded machine takes
        # seconds, and the test is about getting there, not how fast)
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.services is not None,
                    "the login screen, the database open", seen=lambda: f"attempts: {_attempts(app)}")
        login = app.screen
        identifier, password = login.query_one("#identifier", Input), login.query_one("#password", Input)
        await until(pilot, lambda: app.focused is identifier, "the focus in the username box")
        await pilot.press(*"alice")
        await until(pilot, lambda: identifier.value == "alice", "alice in the username box",
                    seen=lambda: repr(identifier.value))
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is password, "the focus in the password box")
        await pilot.press(*PW)
        await until(pilot, lambda: password.value == PW, "the password typed", seen=lambda: f"{len(password.value)} characters")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard",
                    seen=lambda: f"login message: {login.query_one('#login-message').render()}")
        await app.wait_for_service()
    assert app.fatal_error is None and app.return_code in (0, None)


async def test_quitting_while_the_database_is_down_gives_one_line(proxied_url, pg_proxy, data_dir, fast_checks):
    pg_proxy.stop()
    app = OverloadApp(open_services=lambda: launch.open_services(proxied_url, data_dir=data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DatabaseUnreachableScreen), "the unreachable screen")
        await pilot.press("q")
        await until(pilot, lambda: app._exit, "the app to end")
    assert app.return_code == 1
    assert app.fatal_error.startswith("Cannot reach the PostgreSQL database") and "\n" not in app.fatal_error


async def test_a_saved_log_in_is_kept_while_the_database_is_down(proxied_url, pg_proxy, data_dir, fast_checks):
    services = Services.open(proxied_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        services.tokens.save(services.auth.login("alice", PW).token)
        pg_proxy.stop()
        app = OverloadApp(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DatabaseUnreachableScreen), "the unreachable screen")
            assert services.tokens.load() is not None, "an outage is not a bad token"
            pg_proxy.start()
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
            assert app.user.username == "alice"
            await app.wait_for_service()
    finally:
        services.close()


async def test_outage_while_running_is_shown_and_cleared(proxied_url, pg_proxy, data_dir, fast_checks):
    services = Services.open(proxied_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        services.tokens.save(services.auth.login("alice", PW).token)
        app = OverloadApp(services)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
            await app.wait_for_service()
            seen = record_status_messages(app)
            statuses: list[bool] = []
            app.watch(app, "db_online", lambda online: statuses.append(online), init=False)

            pg_proxy.stop()
            app.screen.reload()  # the dashboard reads again: the call fails, the app checks
            await until(pilot, lambda: not app.db_online, "db_online False")
            assert app.db_problem.startswith("Cannot reach the PostgreSQL database")
            assert "Nothing was saved" not in app.db_problem
            assert ("DashboardScreen", False) in seen
            await until(pilot, lambda: app.screen.query(OfflineBanner), "the banner on the dashboard")
            banner = str(app.screen.query_one(OfflineBanner).render())
            assert banner.startswith("Database offline: Cannot reach") and "Retrying" in banner

            await pilot.press("l")  # a dialog: the banner stays on the screen it covers
            await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", "the log-out question")
            assert not app.screen.query(OfflineBanner) and app.screen_stack[-2].query(OfflineBanner)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard again")

            await pilot.press("h")  # a screen opened while offline gets the banner too
            await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen", "the history screen")
            await until(pilot, lambda: app.screen.query(OfflineBanner), "the banner on the history screen")

            pg_proxy.start()
            await until(pilot, lambda: app.db_online, "db_online True")
            await until(pilot, lambda: not any(s.query(OfflineBanner) for s in app.screen_stack),
                        "every banner gone", seen=lambda: [type(s).__name__ for s in app.screen_stack
                                                           if s.query(OfflineBanner)])
            assert statuses == [False, True]
            assert ("HistoryScreen", True) in seen and ("DashboardScreen", True) in seen
            assert not any(s.query(OfflineBanner) for s in app.screen_stack)
            assert any("back online" in n.message for n in app._notifications)
            assert app._exception is None  # nothing crashed
            await app.wait_for_service()
    finally:
        services.close()


async def test_sets_typed_during_an_outage_and_after(proxied_url, pg_proxy, data_dir, fast_checks):
    """The logging screen while the database is down: no crash, the reason is on screen, and the
    app's status (banner, db_online) follows the database; after it is back, sets save again."""
    from overload_tui.screens.session import SessionScreen

    services = Services.open(proxied_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        alice = services.auth.login("alice", PW)
        services.tokens.save(alice.token)
        ws = services.workouts(alice.user.id)
        session = ws.start_session()
        ws.add_entry(ws.search_exercises("bench press")[0].id, session_id=session.id)
        app = OverloadApp(services)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
            await app.wait_for_service()
            app.open_session(session.id)
            await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.view is not None,
                        "the workout")
            await app.wait_for_service()

            pg_proxy.stop()
            await pilot.press("ctrl+u", *"100x5", "enter")
            await until(pilot, lambda: not app.db_online, "db_online False")
            await until(pilot, lambda: app.screen.query(OfflineBanner), "the banner")
            # The logging screen says why beside the set box (its own part of the job).
            await until(pilot, lambda: "reach" in str(app.screen.query_one("#set-message").render()),
                        "the reason beside the set box")

            pg_proxy.start()
            await until(pilot, lambda: app.db_online, "db_online True")
            await until(pilot, lambda: not app.screen.query(OfflineBanner), "the banner gone")
            await pilot.press("ctrl+u", *"102.5x3", "enter")

            def saved() -> list[tuple[float, int]]:
                return [(s.weight, s.reps) for s in ws.get_session(session.id).entries[0].sets]

            await until(pilot, lambda: saved() == [(100, 5), (102.5, 3)], "both sets saved, in order")
            assert app._exception is None
    finally:
        services.close()


async def test_health_checks_do_not_wait_behind_saves(proxied_url, data_dir, fast_checks):
    """The check runs on its own thread: a call holding the database thread does not hold it up.
    (The call is held by the test until the check has answered, not for a time: "answered in
    under a second while a 1.5 s call runs" failed on a loaded machine.)"""
    services = Services.open(proxied_url, data_dir=data_dir, bcrypt_rounds=4)
    release = threading.Event()
    try:
        app = OverloadApp(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
            await app.wait_for_service()
            await until(pilot, lambda: not app._pinging, "no check under way")
            held = app.call_service(release.wait, 60)
            app._ping()
            assert app._pinging, "the check started"
            await until(pilot, lambda: not app._pinging, "the check to answer while the database thread is held")
            assert not held.done(), "the call on the database thread was still held when the check answered"
            assert app.db_online
            release.set()
            await app.wait_for_service()
            assert held.done()
    finally:
        release.set()
        services.close()

