"""How the login, dashboard and logging screens look, at 80x24 and 45x20, on fixed data and a
fixed clock (SQLite only: the looks do not depend on the database). Update with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs before committing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from overload_tui.app import OverloadApp
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from tests.tui.helpers import PASSWORD, no_blink, settle, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((45, 20), id="45x20")]
LOGGING_SIZES = [*SIZES, pytest.param((120, 30), id="120x30")]


@pytest.fixture
def snap_services(tmp_path, data_dir, fixed_clock):
    from overload_tui.services import Services

    svc = Services.open(f"sqlite:///{tmp_path / 'snap.db'}", data_dir=data_dir, bcrypt_rounds=4)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def snap_data(snap_services, fixed_clock):
    """Alice: two past workouts, a template named like markup, and today's workout under way."""
    svc = snap_services
    user = svc.auth.register("alice", "alice@example.com", PASSWORD, "Alice")
    ws = svc.workouts(user.id)
    ex = {name: next(e for e in ws.search_exercises(name) if e.name == name)
          for name in ("Bench Press (Barbell)", "Squat (Barbell)", "Leg Press (Machine)")}
    for days, base in ((8, 95), (3, 97.5)):
        s = ws.start_session(fixed_clock - timedelta(days=days, hours=1))
        bench = ws.add_entry(ex["Bench Press (Barbell)"].id, session_id=s.id)
        for reps in (5, 5, 4):
            ws.add_set(bench.id, base, reps)
        squat = ws.add_entry(ex["Squat (Barbell)"].id, session_id=s.id)
        for reps in (5, 5, 5):
            ws.add_set(squat.id, base + 30, reps)
        ws.finish_session(s.id)
    template = ws.create_template("Push [bold]day[/]")
    ws.add_entry(ex["Bench Press (Barbell)"].id, template_id=template.id)

    today = ws.start_session(fixed_clock - timedelta(minutes=40), notes="Deload week, [red]easy[/] does it")
    bench = ws.add_entry(ex["Bench Press (Barbell)"].id, session_id=today.id)
    for w, r in ((100, 5), (100, 5), (100, 4)):
        ws.add_set(bench.id, w, r)
    ws.add_entry(ex["Leg Press (Machine)"].id, session_id=today.id)
    return svc


def logged_in(svc) -> OverloadApp:
    svc.tokens.save(svc.auth.login("alice", PASSWORD).token)
    return OverloadApp(svc)


async def _ready(pilot) -> None:
    await settle(pilot)
    no_blink(pilot.app)
    await pilot.pause()


async def _drawn(pilot, condition, what: str) -> None:
    """The picture is taken once ``condition`` holds (the screen's data is drawn), every database
    call has answered, and no cursor blinks: never after a number of rounds or seconds."""
    await until(pilot, condition, what)
    await settle(pilot)
    no_blink(pilot.app)
    await pilot.pause()
    assert condition(), f"{what}: no longer so once the app had settled"


def _login_form(app, registering: bool = False) -> bool:
    screen = app.screen
    return (isinstance(screen, LoginScreen) and app.services is not None
            and screen.registering == registering and screen.has_class("-register") == registering
            and (not registering or screen.query_one("#repeat").is_mounted)
            and app.focused is screen.query_one("#identifier"))


def _dashboard_drawn(app) -> bool:
    screen = app.screen
    return (isinstance(screen, DashboardScreen) and screen.fresh
            and "Hello Alice." in screen.query_one("#summary").content.plain
            and screen.query_one("#start").highlighted_id == "resume")


async def _login_ready(pilot) -> None:
    await _drawn(pilot, lambda: _login_form(pilot.app), "the login form, the database open")


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare, snap_data, size):
    assert snap_compare(OverloadApp(snap_data), terminal_size=size, run_before=_login_ready)


def test_register_narrow(snap_compare, snap_data):
    async def run_before(pilot):
        await _login_ready(pilot)
        await pilot.press("ctrl+r")
        await _drawn(pilot, lambda: _login_form(pilot.app, registering=True), "the new-account form")

    assert snap_compare(OverloadApp(snap_data), terminal_size=(45, 20), run_before=run_before)


async def _dashboard_ready(pilot) -> None:
    await _drawn(pilot, lambda: _dashboard_drawn(pilot.app), "the dashboard read from the database and drawn")


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, snap_data, size):
    assert snap_compare(logged_in(snap_data), terminal_size=size, run_before=_dashboard_ready)


# -- the logging screen ----------------------------------------------------------------------------
def _workout_drawn(app) -> bool:
    """The logging screen is up with the workout as read, last time and the records drawn, and
    the keys typed while it opened have run."""
    from overload_tui.screens.session import SessionScreen

    screen = app.screen
    view = screen.view if isinstance(screen, SessionScreen) else None
    return (view is not None and view.context_known and not view.records_due and app._held_keys is None
            and app.focused is screen.query_one("#set-input"))


async def _logging_drawn(pilot, condition=None, what: str = "the logging screen drawn") -> None:
    """The picture is taken once the screen shows what it is about (``condition``), every
    database call has answered and nothing blinks or counts down: never after a time."""
    from tests.tui.helpers import until

    app = pilot.app
    check = condition or (lambda: _workout_drawn(app))
    await until(pilot, check, what)
    await settle(pilot)
    for timer in app.screen.query("#rest"):
        timer.stop()  # a countdown would differ from run to run
    no_blink(app)
    await settle(pilot)
    assert check(), f"{what}: no longer so once the app had settled"


async def _logging(pilot) -> None:
    """Today's workout resumed from the dashboard: bench press, three sets in, two of them records."""
    from tests.tui.helpers import until

    app = pilot.app
    await until(pilot, lambda: type(app.screen).__name__ == "DashboardScreen" and app.screen.data is not None,
                "the dashboard")
    await pilot.press("r")
    await _logging_drawn(pilot)


async def _log(pilot, *lines: str) -> None:
    """Lines typed into the set box with Enter, in one go; then until all are applied and drawn."""
    keys = [key for line in lines for key in ("ctrl+u", *line, "enter")]
    await pilot.press(*keys)
    await settle(pilot)


@pytest.mark.parametrize("size", LOGGING_SIZES)
def test_logging(snap_compare, snap_data, size):
    assert snap_compare(logged_in(snap_data), terminal_size=size, run_before=_logging)


def test_logging_error_light_theme(snap_compare, snap_data):
    """A bad entry in the light theme: the reason must be readable there too, the line back in
    the box to fix."""

    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await _logging(pilot)
        await _log(pilot, "100x0")
        await _logging_drawn(pilot, lambda: pilot.app.screen.query_one("#set-input").value == "100x0"
                             and pilot.app.screen.query_one("#set-message").has_class("-error"), "the refusal")

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_logging_marks_and_notes(snap_compare, snap_data):
    """A warm-up set, an RPE, a personal record (*), the exercise's notes (markup shown as typed),
    the workout's notes and the suggestion."""

    async def run_before(pilot):
        app = pilot.app
        await _logging(pilot)
        await _log(pilot, "60x8 w", "102.5x5 @9", "note Grip [b]wide[/b], belt")
        await pilot.press("down")  # leg press: no sets yet, no history: an empty box
        await _logging_drawn(pilot, lambda: _workout_drawn(app) and app.screen.view.selected == 1, "leg press")
        await pilot.press("up")
        await _logging_drawn(pilot, lambda: _workout_drawn(app) and app.screen.view.selected == 0
                             and len(app.screen.view.rows) == 5, "bench press again")

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_logging_sets_waiting_for_the_database(snap_compare, snap_data, monkeypatch):
    """The database went away: the sets wait in the table (…) and the status line says how to
    send them (ctrl+y, also in the footer)."""
    from overload_tui.domain.errors import DatabaseUnavailableError
    from overload_tui.services.workouts import WorkoutService

    def refused(self, *args, **kwargs):
        raise DatabaseUnavailableError("Cannot reach the PostgreSQL database at db:5432 (Connection refused). "
                                       "Nothing was saved; try again in a moment.")

    async def run_before(pilot):
        app = pilot.app
        await _logging(pilot)
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await pilot.press("enter", "enter")
        await _logging_drawn(pilot, lambda: _workout_drawn(app) and app.screen.view.pending == 2, "two sets waiting")

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_workout_notes_dialog_narrow(snap_compare, snap_data):
    """The workout's notes dialog (ctrl+n: a FormDialog with a notes field) over the logging
    screen, markup in the notes shown as typed. (It was the exercise's notes dialog, ctrl+l: those
    notes are typed into the set box now, 'note ...'.)"""

    async def run_before(pilot):
        from textual.widgets import TextArea

        app = pilot.app
        await _logging(pilot)
        await pilot.press("ctrl+n", "ctrl+a", "ctrl+k", *"Seat 4", "enter", *"grip [b]wide[/b]")

        def typed() -> bool:
            areas = app.screen.query(TextArea)
            return bool(areas) and areas.first().text == "Seat 4\ngrip [b]wide[/b]"

        await _logging_drawn(pilot, typed, "the notes typed in the dialog")
        app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(logged_in(snap_data), terminal_size=(45, 20), run_before=run_before)


def test_picker_narrow(snap_compare, snap_data):
    """The exercise browser over the logging screen (ctrl+e, here from the palette), searching."""

    async def run_before(pilot):
        from overload_tui.widgets.exercise_picker import ExercisePickerScreen
        from tests.tui.helpers import until

        app = pilot.app
        await _logging(pilot)
        app.screen.action_browse()  # what ctrl+e and the palette's Exercises run
        await until(pilot, lambda: isinstance(app.screen, ExercisePickerScreen) and app.screen.loaded,
                    "the exercise browser")
        await pilot.press(*"press")

        def found() -> bool:
            screen = app.screen
            return (isinstance(screen, ExercisePickerScreen) and not screen._search_due
                    and screen._answered_seq == screen._search_seq > 0
                    and str(screen.query_one("#pick-status").render()).endswith("found"))

        await _logging_drawn(pilot, found, "the search's results")

    assert snap_compare(logged_in(snap_data), terminal_size=(45, 20), run_before=run_before)
