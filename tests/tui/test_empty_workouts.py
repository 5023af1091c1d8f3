"""Issue 17: leaving an empty workout with ctrl+g deletes it only when it was started in that very
visit and is still empty and unnamed. One opened from the history is kept, however empty (three
named workouts were lost this way); so is one started here that another terminal has since named
or filled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from overload_tui.screens.history import HistoryScreen
from overload_tui.screens.session import SessionScreen
from tests.tui.helpers import until
from tests.tui.test_session import dashboard, find, logging_screen, quiet


@pytest.fixture
def empty_named(ws, fixed_clock, logged_in):
    """Yesterday's workout, named, never finished, no exercise in it yet."""
    return ws.start_session(fixed_clock - timedelta(days=1), name="Leg day")


async def _history(pilot) -> HistoryScreen:
    await dashboard(pilot)
    await pilot.press("h")
    await until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen) and pilot.app.screen.current is not None,
                "the history with a workout highlighted")
    await quiet(pilot)
    return pilot.app.screen


async def _leave(pilot) -> None:
    await pilot.press("ctrl+g")
    await until(pilot, lambda: not isinstance(pilot.app.screen, SessionScreen), "the logging screen closed")
    await quiet(pilot)


async def test_an_empty_named_workout_opened_from_the_history_is_kept(ws, empty_named, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _history(pilot)
        assert screen.current.id == empty_named.id
        await pilot.press("e")  # edit: opens it in the logging screen
        assert (await logging_screen(pilot)).session_id == empty_named.id
        await _leave(pilot)
        kept = ws.get_session(empty_named.id)
        assert (kept.name, kept.entries, kept.finished_at) == ("Leg day", (), None)


async def test_an_empty_unnamed_workout_opened_from_its_detail_is_kept(ws, fixed_clock, logged_in, make_app):
    old = ws.start_session(fixed_clock - timedelta(days=2))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _history(pilot)
        await pilot.press("v")  # its detail, then edit from there
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "SessionDetailScreen", "the detail")
        await quiet(pilot)
        await pilot.press("e")
        assert (await logging_screen(pilot)).session_id == old.id
        await _leave(pilot)
        assert ws.get_session(old.id).entries == ()


async def test_a_workout_started_here_but_named_elsewhere_meanwhile_is_kept(ws, services, alice, fixed_clock,
                                                                            logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await dashboard(pilot)
        await pilot.press("n")
        sid = (await logging_screen(pilot)).session_id
        other = services.workouts(alice.id)  # another terminal names it and adds an exercise
        other.update_session(sid, name="Push")
        other.add_entry(find(other, "Bench Press (Barbell)").id, session_id=sid)
        await _leave(pilot)
        kept = ws.get_session(sid)
        assert kept.name == "Push" and len(kept.entries) == 1


async def test_a_workout_started_here_and_left_empty_is_still_dropped(ws, fixed_clock, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await dashboard(pilot)
        await pilot.press("n")
        sid = (await logging_screen(pilot)).session_id
        await _leave(pilot)
        assert all(s.id != sid for s in ws.list_sessions())
