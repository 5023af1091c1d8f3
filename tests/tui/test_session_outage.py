"""The database goes away while sets are being logged: nothing typed is lost, nothing is saved
twice, and the waiting sets go in, in order, once it answers again."""

from __future__ import annotations

import pytest

from overload_tui.domain.errors import DatabaseUnavailableError, ValidationError
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.session import SessionScreen
from overload_tui.services.base import MAYBE_SAVED, NOT_SAVED
from overload_tui.services.workouts import WorkoutService
from overload_tui.widgets.set_table import SetTable
from tests.tui.helpers import settle, sqlite_only, type_text
from tests.tui.test_session import box, box_message, history, resume, sets_of, workout  # noqa: F401

REAL_ADD_SET = WorkoutService.add_set


def refused(self, *args, **kwargs):
    raise DatabaseUnavailableError(f"Cannot reach the PostgreSQL database (Connection refused). {NOT_SAVED}")


def saved_then_lost(self, *args, **kwargs):
    """The COMMIT went through but its answer was lost: saved, and the caller cannot know."""
    REAL_ADD_SET(self, *args, **kwargs)
    raise DatabaseUnavailableError(f"Lost the connection to the database while saving. {MAYBE_SAVED}")


def lost_before_commit(self, *args, **kwargs):
    raise DatabaseUnavailableError(f"Lost the connection to the database while saving. {MAYBE_SAVED}")


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def marks(app) -> list[str]:
    table = app.screen.query_one("#sets", SetTable)
    return [str(table.get_row_at(i)[0]).replace("*", "") for i in range(table.row_count)]


async def log(pilot, *texts: str) -> None:
    for text in texts:
        await pilot.press("ctrl+u")
        await type_text(pilot, text)
        await pilot.press("enter")
    await settle(pilot)


async def test_sets_that_could_not_be_saved_wait_and_ctrl_y_sends_them(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "105x3")
        assert "1 set waits" in box_message(app) and "ctrl+y" in box_message(app)
        assert any("Connection refused" in m for m in notifications(app))
        assert box(app).value == "105x3"  # what was typed is still there, ready for the next set
        await log(pilot, "x4")  # carrying on while the database is away
        assert "2 sets wait" in box_message(app)
        entries = app.screen.query_one("#entries")
        assert entries.rows[0].prompt.plain == "1. Bench Press (Barbell) +2"
        assert sets_of(ws, sid) == []
        assert marks(app) == ["1…", "2…"]
        assert str(app.screen.query_one("#set-prompt").render()) == "Set 3"

        await pilot.press("ctrl+y")  # still away: still waiting, nothing lost
        await settle(pilot)
        assert len(screen.unsent) == 2 and sets_of(ws, sid) == []

        monkeypatch.undo()
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert sets_of(ws, sid) == [(105, 3, "kg"), (105, 4, "kg")]
        assert marks(app) == ["1", "2"] and not screen.unsent
        assert "Enter saves" in box_message(app)
        await log(pilot, "105x4")
        assert sets_of(ws, sid) == [(105, 3, "kg"), (105, 4, "kg"), (105, 4, "kg")]


async def test_waiting_sets_go_in_first_with_the_next_set(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5")
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "102.5x5")
        monkeypatch.undo()
        await log(pilot, "102.5x4")  # the database is back: the waiting set first, then this one
        assert sets_of(ws, sid) == [(100, 5, "kg"), (102.5, 5, "kg"), (102.5, 4, "kg")]
        assert marks(app) == ["1", "2", "3"]


async def test_a_set_that_may_have_been_saved_is_never_saved_twice(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        await log(pilot, "100x5")
        monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
        await log(pilot, "100x5")  # the same values as set 1: it must not be taken for it either
        assert any("may or may not have been saved" in m for m in notifications(app))
        assert sets_of(ws, sid) == [(100, 5, "kg")] * 2  # it was saved after all
        monkeypatch.undo()
        await pilot.press("ctrl+y")  # reads the sets first: there it is, so it is not sent again
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg")] * 2
        assert marks(app) == ["1", "2"] and not screen.unsent

        monkeypatch.setattr(WorkoutService, "add_set", lost_before_commit)
        await log(pilot, "100x5")  # this time it was not saved
        monkeypatch.undo()
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg")] * 3
        assert marks(app) == ["1", "2", "3"]


async def test_reading_the_workout_again_settles_a_maybe_saved_set(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
        await log(pilot, "100x5")
        monkeypatch.undo()
        await pilot.press("ctrl+n")  # saving the workout's notes reads the workout again
        await settle(pilot)
        await type_text(pilot, "back")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.unsent
        assert sets_of(ws, sid) == [(100, 5, "kg")]
        assert marks(app) == ["1"]


async def test_the_database_coming_back_sends_the_waiting_sets(ws, workout, make_app, monkeypatch):
    app = make_app()
    if not hasattr(type(app), "db_online"):
        pytest.skip("the app does not report the database's state (db_online) yet")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "100x5")
        monkeypatch.undo()
        app.db_online = False
        await settle(pilot)
        assert sets_of(ws, sid) == []
        app.db_online = True  # what the app's health check says when the database answers again
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg")] and not screen.unsent


@sqlite_only
async def test_leaving_with_waiting_sets_asks_first(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "100x5")
        await pilot.press("ctrl+s")  # finishing is refused while a set waits
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and "not saved yet" in box_message(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("n")  # stay
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        monkeypatch.undo()
        await pilot.press("ctrl+g", "y")  # leave, and lose it
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert sets_of(ws, sid) == []


@sqlite_only
async def test_a_refused_set_is_put_back_in_the_box_to_be_fixed(ws, workout, make_app, monkeypatch):
    """Not an outage: the database refused the set itself. Nothing waits; the text comes back."""

    def too_heavy(self, *args, **kwargs):
        raise ValidationError("Weight must be at most 1000 kg.")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        monkeypatch.setattr(WorkoutService, "add_set", too_heavy)
        await log(pilot, "105x3")
        assert "at most 1000 kg" in box_message(app)
        assert box(app).value == "105x3" and not screen.unsent
        assert str(app.screen.query_one("#set-prompt").render()) == "Set 1"
        monkeypatch.undo()
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, screen.session_id) == [(105, 3, "kg")]


@sqlite_only
async def test_notes_that_could_not_be_saved_stay_in_the_dialog(ws, workout, make_app, monkeypatch):
    from textual.widgets import Static, TextArea

    def refused_notes(self, *args, **kwargs):
        raise DatabaseUnavailableError(f"Cannot reach the database. {NOT_SAVED}")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        monkeypatch.setattr(WorkoutService, "set_entry_notes", refused_notes)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await type_text(pilot, "seat 4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not saved" in str(app.screen.query_one("#form-error", Static).render())
        assert app.screen.query_one(TextArea).text == "seat 4"  # kept, in the dialog still open
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert ws.get_session(sid).entries[0].notes == "seat 4"
