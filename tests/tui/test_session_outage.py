"""The database goes away while sets are being logged: nothing typed is lost, nothing is saved
twice, and the waiting sets go in, in order, once it answers again (ctrl+y, the next set, or the
app's health check setting ``db_online`` back). Through the logging screen: the waiting sets are
in the table with …, the status line says how many wait and how to send them."""

from __future__ import annotations

import pytest

from overload_tui.domain.errors import DatabaseUnavailableError, ValidationError
from overload_tui.screens.session import SessionScreen
from overload_tui.services.base import MAYBE_SAVED, NOT_SAVED
from overload_tui.services.workouts import WorkoutService
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.form_dialog import FormDialog
from tests.tui.helpers import sqlite_only, until
from tests.tui.test_session import (  # noqa: F401 - fixtures
    box,
    dashboard,
    history,
    in_db,
    log,
    marks,
    prompt,
    quiet,
    resume,
    sets_of,
    status,
    view,
    wait_for,
    workout,
)

REAL_ADD_SET = WorkoutService.add_set
REAL = {name: getattr(WorkoutService, name) for name in ("add_set", "update_session", "set_entry_notes")}


def refused(self, *args, **kwargs):
    raise DatabaseUnavailableError(f"Cannot reach the PostgreSQL database (Connection refused). {NOT_SAVED}")


def saved_then_lost(self, *args, **kwargs):
    """The COMMIT went through but its answer was lost: saved, and the caller cannot know."""
    REAL_ADD_SET(self, *args, **kwargs)
    raise DatabaseUnavailableError(f"Lost the connection to the database while saving. {MAYBE_SAVED}",
                                   maybe_saved=True)


def lost_before_commit(self, *args, **kwargs):
    """Lost during COMMIT, and in fact not saved: the caller cannot know either."""
    raise DatabaseUnavailableError(f"Lost the connection to the database while saving. {MAYBE_SAVED}",
                                   maybe_saved=True)


def down_for_checks(monkeypatch) -> None:
    """The app's health check finds the database down: only the lifter's ctrl+y (or a reading of
    the workout) sends or settles the waiting sets."""
    from overload_tui import launch

    monkeypatch.setattr(launch, "ping", lambda services: refused(None))


def restore(monkeypatch) -> None:
    """The database answers again: the service's own methods back (not monkeypatch.undo(), which
    would also undo the fixed clock)."""
    for name in ("add_set", "update_session", "set_entry_notes"):
        monkeypatch.setattr(WorkoutService, name, REAL[name])


def pending(app) -> int:
    return view(app).pending


def table_marks(app) -> list[str]:
    return marks(app, records=False)


def footer_keys(app) -> list[str]:
    return [b.binding.key for b in app.screen.active_bindings.values() if b.enabled and b.binding.show]


async def test_sets_that_could_not_be_saved_wait_and_ctrl_y_sends_them(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        assert "ctrl+y" not in footer_keys(app)  # shown only while sets wait
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "105x3")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        assert "Connection refused" in status(app) and "1 set waits" in status(app) and "ctrl+y" in status(app)
        assert app.screen.query_one("#set-message").has_class("-error")
        assert box(app).value == ""  # taken: it waits in the table, not in the box
        assert view(app).prefill == "105x3"  # the next set starts from it
        assert "ctrl+y" in footer_keys(app)
        await log(pilot, "x4")  # carrying on while the database is away: it waits too, at once
        await wait_for(pilot, lambda: pending(app), 2, "two sets waiting")
        assert "2 sets wait" in status(app)
        entries = app.screen.query_one("#entries")
        assert entries.rows[0].prompt.plain == "1. Bench Press (Barbell) +2"
        assert sets_of(ws, sid) == []
        assert table_marks(app) == ["1…", "2…"]
        assert prompt(app) == "Set 3"

        await pilot.press("ctrl+y")  # still away: still waiting, nothing lost
        await quiet(pilot)
        assert pending(app) == 2 and sets_of(ws, sid) == []

        restore(monkeypatch)
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: pending(app), 0, "the waiting sets sent")
        await in_db(pilot, lambda: sets_of(ws, sid), [(105, 3, "kg"), (105, 4, "kg")], "both sets saved, in order")
        await wait_for(pilot, lambda: table_marks(app), ["1", "2"], "the sets saved in the table")
        assert status(app).startswith("Saved 2 sets that had waited.")
        assert not app.screen.query_one("#set-message").has_class("-error")
        assert entries.rows[0].prompt.plain == "1. Bench Press (Barbell) 2"
        assert "ctrl+y" not in footer_keys(app)
        await log(pilot, "105x4")
        await in_db(pilot, lambda: sets_of(ws, sid), [(105, 3, "kg"), (105, 4, "kg"), (105, 4, "kg")], "one more")


async def test_waiting_sets_go_in_first_with_the_next_set(ws, workout, make_app, monkeypatch):
    """The database is back: the next set typed waits behind the one waiting (the logbook stays
    offline until a resend), and ctrl+y sends both in order."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")], "the first set")
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "102.5x5")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        restore(monkeypatch)
        await log(pilot, "102.5x4")  # queued behind the waiting one: the order is kept
        await wait_for(pilot, lambda: pending(app), 2, "two sets waiting")
        await pilot.press("ctrl+y")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg"), (102.5, 5, "kg"), (102.5, 4, "kg")], "in order")
        await wait_for(pilot, lambda: table_marks(app), ["1", "2", "3"], "all saved in the table")


async def test_a_set_that_may_have_been_saved_is_never_saved_twice(ws, workout, make_app, monkeypatch):
    down_for_checks(monkeypatch)  # the app's own check would send the waiting set by itself
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")], "the first set")
        monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
        await log(pilot, "100x5")  # the same values as set 1: it must not be taken for it either
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        assert "may or may not have been saved" in status(app)
        assert sets_of(ws, sid) == [(100, 5, "kg")] * 2  # it was saved after all
        restore(monkeypatch)
        await pilot.press("ctrl+y")  # reads the sets first: there it is, so it is not sent again
        await wait_for(pilot, lambda: pending(app), 0, "nothing waiting")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")] * 2, "still two sets")
        await wait_for(pilot, lambda: table_marks(app), ["1", "2"], "two sets in the table")

        monkeypatch.setattr(WorkoutService, "add_set", lost_before_commit)
        await log(pilot, "100x5")  # this time it was not saved
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        restore(monkeypatch)
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: pending(app), 0, "nothing waiting")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")] * 3, "sent once")
        await wait_for(pilot, lambda: table_marks(app), ["1", "2", "3"], "three sets in the table")


async def test_reading_the_workout_again_settles_a_maybe_saved_set(ws, workout, make_app, monkeypatch):
    down_for_checks(monkeypatch)  # the app's own check would send the waiting set by itself
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
        await log(pilot, "100x5")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        restore(monkeypatch)
        await pilot.press("ctrl+n")  # saving the workout's notes reads the workout again
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the notes dialog")
        await pilot.press(*"back", "ctrl+s")
        await until(pilot, lambda: app.screen is screen, "back on the logging screen")
        await wait_for(pilot, lambda: pending(app), 0, "the set found saved")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")], "one set")
        assert table_marks(app) == ["1"]


async def test_the_database_coming_back_sends_the_waiting_sets(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "100x5", "100x4")
        await wait_for(pilot, lambda: pending(app), 2, "two sets waiting")
        restore(monkeypatch)
        app.db_online = False
        await quiet(pilot)
        assert sets_of(ws, sid) == [] and pending(app) == 2
        app.db_online = True  # what the app's health check says when the database answers again
        await wait_for(pilot, lambda: pending(app), 0, "the waiting sets sent")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg"), (100, 4, "kg")], "both saved")
        assert table_marks(app) == ["1", "2"]


@sqlite_only
async def test_a_set_the_database_refuses_makes_the_app_check_it(ws, workout, make_app, monkeypatch):
    from overload_tui import app as app_module
    from overload_tui import launch
    from overload_tui.screens.startup import OfflineBanner

    monkeypatch.setattr(app_module, "PING_ONLINE_SECONDS", 3600.0)  # no periodic check in this test
    monkeypatch.setattr(app_module, "PING_OFFLINE_SECONDS", 3600.0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        monkeypatch.setattr(launch, "ping", lambda services: refused(None))  # down for the check too
        await log(pilot, "100x5")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        # A check started at once answers in a moment; without one, this never happens.
        await until(pilot, lambda: not app.db_online, "the app to find the database down", timeout=5)
        await until(pilot, lambda: app.screen.query(OfflineBanner), "the offline banner")


@sqlite_only
async def test_leaving_with_waiting_sets_asks_first(ws, workout, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "100x5")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        await pilot.press("ctrl+s")  # finishing is refused while a set waits
        await wait_for(pilot, lambda: status(app), "1 set not saved yet: ctrl+y sends them first.", "the refusal")
        assert app.screen is screen
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "1 set could not be saved yet. Leave and lose it?" in str(app.screen.query_one("#question").render())
        await pilot.press("n")  # stay
        await until(pilot, lambda: app.screen is screen, "back on the logging screen")
        assert pending(app) == 1
        restore(monkeypatch)
        await pilot.press("ctrl+g", "y")  # leave, and lose it
        await dashboard(pilot)
        await quiet(pilot)
        assert sets_of(ws, sid) == []
        assert ws.latest_unfinished().id == sid  # the workout itself is kept


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
        await wait_for(pilot, lambda: box(app).value, "105x3", "the line given back")
        assert "at most 1000 kg" in status(app) and pending(app) == 0
        assert prompt(app) == "Set 1"
        restore(monkeypatch)
        await pilot.press("enter")
        await in_db(pilot, lambda: sets_of(ws, screen.session_id), [(105, 3, "kg")], "the set saved")


@sqlite_only
async def test_workout_notes_that_could_not_be_saved_stay_in_the_dialog(ws, workout, make_app, monkeypatch):
    from textual.widgets import Static, TextArea

    def refused_notes(self, *args, **kwargs):
        raise DatabaseUnavailableError(f"Cannot reach the database. {NOT_SAVED}")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        sid = screen.session_id
        monkeypatch.setattr(WorkoutService, "update_session", refused_notes)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the notes dialog")
        await pilot.press(*"slept badly", "ctrl+s")
        await until(pilot, lambda: "Not saved" in str(app.screen.query_one("#form-error", Static).render()),
                    "the refusal in the dialog")
        assert "Cannot reach the database" in str(app.screen.query_one("#form-error", Static).render())
        assert app.screen.query_one(TextArea).text == "slept badly"  # kept, in the dialog still open
        restore(monkeypatch)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "back on the logging screen")
        await in_db(pilot, lambda: ws.get_session(sid).notes, "slept badly", "the notes saved")


@sqlite_only
async def test_an_exercise_note_that_could_not_be_saved_comes_back_to_the_box(ws, workout, make_app, monkeypatch):
    def refused_notes(self, *args, **kwargs):
        raise DatabaseUnavailableError(f"Cannot reach the database. {NOT_SAVED}")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await resume(pilot)
        monkeypatch.setattr(WorkoutService, "set_entry_notes", refused_notes)
        await log(pilot, "note seat 4")
        await wait_for(pilot, lambda: box(app).value, "note seat 4", "the note given back")
        assert "Cannot reach the database" in status(app)
        restore(monkeypatch)
        await pilot.press("enter")
        await in_db(pilot, lambda: ws.get_session(screen.session_id).entries[0].notes, "seat 4", "the note saved")
        assert isinstance(app.screen, SessionScreen)


async def test_quitting_with_sets_waiting_says_so_and_asks(ws, workout, make_app, monkeypatch):
    """ctrl+q while sets wait: the lifter is told how many and that they are on disk, and asked;
    'n' stays (nothing lost), a second ctrl+q quits."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await log(pilot, "105x3")
        await wait_for(pilot, lambda: pending(app), 1, "one set waiting")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert app.screen.question == ("1 set still waits for the database. They are kept on disk and sent the "
                                       "next time you open a workout. Quit anyway?")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "back to the workout")
        assert pending(app) == 1 and app.is_running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("ctrl+q")  # a second ctrl+q is a yes
        await until(pilot, lambda: not app.is_running, "the app quit")


async def test_quitting_with_nothing_waiting_asks_nothing(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await log(pilot, "105x3")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "the app quit at once")


async def test_sets_a_killed_run_left_go_in_at_the_next_log_in(services, ws, alice, workout, logged_in, make_app):
    """The journal of a run killed with a set waiting: the next launch sends it on log-in, before
    any workout is opened, once."""
    from overload_tui.domain.enums import Unit
    from overload_tui.services.dto import SetInfo
    from overload_tui.services.journal import Journal

    entry = ws.get_session(workout).entries[0]
    journal = Journal.for_user(services.db, alice.id)
    journal.add("3f1c2d4e-0000-4000-8000-000000000001", workout, entry.id, SetInfo(0, 0, 100.0, 5, Unit.KG))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await in_db(pilot, lambda: sets_of(ws, workout), [(100, 5, "kg")], "the journaled set saved on log-in")
        await until(pilot, lambda: not journal.waiting(), "the journal emptied")
    assert sets_of(ws, workout) == [(100, 5, "kg")]
