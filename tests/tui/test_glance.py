"""The dashboard's glance (overload_tui.glance): with a saved log-in, the next start draws the
dashboard as it was last shown before the database layer is even loaded, holds the keys typed
meanwhile, and runs them once the log-in is checked and the data read afresh. A glance that does
not go with the saved log-in is never shown; one that turns out stale leads to the login screen
with nothing typed carried into the form."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from datetime import timedelta

import pytest

from overload_tui import launch
from overload_tui.app import OverloadApp
from overload_tui.domain.enums import Category
from overload_tui.glance import VERSION, Glance
from overload_tui.screens.dashboard import DashboardData, DashboardScreen, OpenWorkout, data_from_json, data_to_json
from overload_tui.screens.login import LoginScreen
from overload_tui.screens.session import SessionScreen
from overload_tui.screens.startup import SplashScreen
from tests.tui.helpers import PASSWORD, settle, sqlite_only, until

TIMEOUT = 20.0  # seconds for the database to open once the test lets it


def _token(exp: float) -> str:
    """A JWT-shaped token with that expiry (the glance reads ``exp``; only the database verifies)."""
    payload = base64.urlsafe_b64encode(json.dumps({"sub": "1", "exp": exp}).encode()).decode().rstrip("=")
    return f"header.{payload}.signature"


def _workout_open(app) -> bool:
    """The logging screen is up."""
    return any(isinstance(s, SessionScreen) for s in app.screen_stack)


async def at_rest(pilot) -> None:
    """Until the keys held for the screen in front have run on it and the database thread is
    idle: ending the app in the middle of that is not what these tests are about."""
    app = pilot.app
    await until(pilot, lambda: app._held_keys is None, "the held keys to run")
    await app.wait_for_service()


def _app(database_url, data_dir, gate: threading.Event | None = None) -> OverloadApp:
    """The app as the ``overload`` command starts it; with ``gate``, the database opens only
    once it is set (as if loading SQLAlchemy and opening the database took that long)."""

    def open_services():
        if gate is not None:
            assert gate.wait(TIMEOUT)
        return launch.open_services(database_url, data_dir=data_dir)

    return OverloadApp(open_services=open_services, glance=Glance.for_launch(database_url, data_dir))


async def _run_once(database_url, data_dir) -> None:
    """A first start with the saved log-in: the dashboard read afresh leaves its glance."""
    app = _app(database_url, data_dir)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.fresh, "the dashboard")
            await app.wait_for_service()
    finally:
        if app.services is not None:
            app.services.close()


@pytest.fixture
def glance_left(database_url, data_dir, services, logged_in, ws):
    """Alice logged in on this terminal, with a template, after one start that left the glance."""
    ws.create_template("Push day")
    import asyncio

    asyncio.run(_run_once(database_url, data_dir))
    assert list(data_dir.glob("glance-*")), "the dashboard kept its glance"
    return logged_in


@sqlite_only
async def test_the_next_start_shows_the_last_dashboard_at_once_and_runs_keys_typed_meanwhile(
    database_url, data_dir, glance_left, ws
):
    gate = threading.Event()
    app = _app(database_url, data_dir, gate)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the glance")
            screen = app.screen
            assert app.services is None and app.user is None and not screen.fresh
            assert [t.name for t in screen.data.templates] == ["Push day"]
            assert "Hello Alice." in screen.query_one("#summary").content.plain
            assert screen.sub_title == "alice"

            await pilot.press("n")  # a new workout, typed before the log-in is checked: held
            await until(pilot, lambda: [key.key for key in app._held_keys or ()] == ["n"], "the n held",
                        seen=lambda: f"held: {app._held_keys!r}")
            assert app.screen is screen and app.user is None and ws.latest_unfinished() is None

            gate.set()
            await until(pilot, lambda: _workout_open(app), "the held n to start a workout")
            assert screen.fresh and app.user.username == "alice"
            assert ws.latest_unfinished() is not None
            await at_rest(pilot)
    finally:
        if app.services is not None:
            app.services.close()


@sqlite_only
async def test_a_log_in_found_stale_goes_to_the_login_screen_and_retires_the_glance(
    database_url, data_dir, glance_left, services
):
    services.auth.change_password(glance_left.id, PASSWORD, "a new password 1")  # old tokens stop working
    gate = threading.Event()
    app = _app(database_url, data_dir, gate)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the glance")
            await pilot.press("n", "x")  # meant for the dashboard
            gate.set()
            await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app._held_keys is None,
                        "the login screen, the held keys let go", seen=lambda: f"held: {app._held_keys!r}")
            await settle(pilot)  # a key let go to run would have reached the form by now
            assert app.screen.query_one("#identifier").value == "", "keys typed for the dashboard are dropped"
            assert not list(data_dir.glob("glance-*")) and not list(data_dir.glob("token-*"))
            await app.wait_for_service()
    finally:
        if app.services is not None:
            app.services.close()


@sqlite_only
async def test_without_a_glance_the_splash_shows_and_the_keys_still_wait(database_url, data_dir, glance_left, ws):
    for path in data_dir.glob("glance-*"):
        path.unlink()
    gate = threading.Event()
    app = _app(database_url, data_dir, gate)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            # Started: a saved log-in may be there, so keys are held until it is checked.
            await until(pilot, lambda: app._held_keys is not None, "the app to hold keys for the saved log-in")
            assert isinstance(app.screen, SplashScreen)
            assert not any(isinstance(s, DashboardScreen) for s in app.screen_stack), "no glance to show"
            await pilot.press("n")
            gate.set()
            await until(pilot, lambda: _workout_open(app), "the held n to start a workout")
            await at_rest(pilot)
    finally:
        if app.services is not None:
            app.services.close()


# -- the file -------------------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    """A glance saved with a token good for an hour, and that token's file."""
    token_path = tmp_path / "token-abc"
    token = _token(time.time() + 3600)
    token_path.write_text(token)
    token_path.chmod(0o600)
    glance = Glance.for_launch("sqlite:///x.db", tmp_path)
    glance.save(token_path, token, {"id": 1, "username": "alice", "email": "a@b.c", "name": None}, {"k": 1})
    return glance, token_path


def test_a_glance_is_read_back_while_its_token_is_the_saved_one(saved):
    glance, _ = saved
    assert glance.load() == ({"id": 1, "username": "alice", "email": "a@b.c", "name": None}, {"k": 1})
    assert os.stat(glance.path).st_mode & 0o777 == 0o600


@pytest.mark.parametrize("change", ["another token", "token gone", "expired", "others can read", "not json",
                                    "another version", "another database"])
def test_a_glance_that_does_not_go_with_the_saved_log_in_is_ignored(saved, change, tmp_path):
    glance, token_path = saved
    if change == "another token":
        token_path.write_text(_token(time.time() + 3600) + "x")
    elif change == "token gone":
        token_path.unlink()
    elif change == "expired":
        assert glance.load(now=time.time() + 7200) is None
        return
    elif change == "others can read":
        glance.path.chmod(0o644)
    elif change == "not json":
        glance.path.write_text("{not json")
    elif change == "another version":
        glance.path.write_text(glance.path.read_text().replace(f'"version": {VERSION}', '"version": 99'))
    else:
        glance = Glance.for_launch("postgresql://other/db", tmp_path)
    assert glance.load() is None


def _lifter_token(sub: str) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"sub": sub, "exp": 1}).encode()).decode().rstrip("=")
    return f"header.{payload}.signature"


ALICE = {"id": 1, "username": "alice", "email": "a@b.c", "name": None}


def test_over_serve_each_lifter_has_a_glance_of_their_own(tmp_path):
    """``overload serve``: no token file; the glance is the token's lifter's, drawn only for them
    (the server signed the token; its expiry is the database's to check)."""
    alice = Glance.for_lifter(_lifter_token("1"), "sqlite:///x.db", tmp_path)
    bob = Glance.for_lifter(_lifter_token("2"), "sqlite:///x.db", tmp_path)
    alice.save(tmp_path / "unused", "t", ALICE, {"k": 1})
    assert alice.load() == (ALICE, {"k": 1}) and os.stat(alice.path).st_mode & 0o777 == 0o600
    assert bob.load() is None and alice.path != bob.path
    bob.save(tmp_path / "unused", "t", ALICE, {"k": 2})  # never another lifter's dashboard
    assert not bob.path.exists()
    # A file claiming another lifter (copied, edited) is not drawn.
    bob.path.write_text(alice.path.read_text())
    bob.path.chmod(0o600)
    assert bob.load() is None
    assert Glance.for_launch("sqlite:///x.db", tmp_path).load() is None  # nor taken for a saved log-in's
    for token in (None, "", "not.a-jwt.x", _lifter_token("alice"), _lifter_token("-1")):
        assert Glance.for_lifter(token, "sqlite:///x.db", tmp_path) is None


@pytest.mark.parametrize("field, bad", [("this_week", "3"), ("shown", "yesterday"), ("recent", [[1, "not a date"]]),
                                        ("templates", [[1, {"$": "markup"}, None, 2]]), ("volume", [["no such", 1, 2.0]])])
def test_malformed_dashboard_data_is_refused_before_anything_is_drawn(field, bad, fixed_clock):
    good = {"shown": fixed_clock.isoformat(), "today_open": [4, None, 2], "templates": [[1, "Push day", None, 3]],
            "recent": [[9, "2024-06-05T18:00:00", "[b]Legs[/b]", None, None, 2, 8, 1200.0, 0.0, ["Squat"]]],
            "this_week": 1, "volume": [["legs", 8, 1200.0]]}
    data = data_from_json(good)
    assert data.recent[0].name == "[b]Legs[/b]" and data.today_open.set_count == 2
    with pytest.raises((TypeError, ValueError, KeyError)):
        data_from_json({**good, field: bad})
    assert DashboardScreen.from_glance({"id": 1, "username": "alice", "email": "a@b.c"}, {**good, field: bad}) is None
    assert DashboardScreen.from_glance({"id": "1", "username": "alice", "email": "a@b.c"}, good) is None


@pytest.mark.parametrize("shown, resume, this_week", [
    (timedelta(hours=-2), True, 3),  # earlier today: as it was
    (timedelta(days=-1), False, 3),  # yesterday (a Tuesday, today is Wednesday): no Resume
    (timedelta(days=-7), False, 0),  # last week: no figures for "this week" either
])
def test_what_has_lapsed_since_the_glance_was_kept_is_not_shown(shown, resume, this_week, fixed_clock):
    saved = data_to_json(DashboardData(OpenWorkout(4, "Legs", 2), (), (), 3, ((Category.LEGS, 8, 1200.0),)))
    saved["shown"] = (fixed_clock + shown).isoformat()
    data = data_from_json(json.loads(json.dumps(saved)))
    assert (data.today_open is not None, data.this_week, bool(data.volume)) == (resume, this_week, bool(this_week))
