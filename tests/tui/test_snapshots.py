"""How the login, dashboard and logging screens look, at 80x24 and 45x20, on fixed data and a
fixed clock (SQLite only: the looks do not depend on the database). Update with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs before committing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from overload_tui.app import OverloadApp
from tests.tui.helpers import PASSWORD, no_blink, settle

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


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare, snap_data, size):
    assert snap_compare(OverloadApp(snap_data), terminal_size=size, run_before=_ready)


def test_register_narrow(snap_compare, snap_data):
    async def run_before(pilot):
        await pilot.press("ctrl+r")
        await _ready(pilot)

    assert snap_compare(OverloadApp(snap_data), terminal_size=(45, 20), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, snap_data, size):
    assert snap_compare(logged_in(snap_data), terminal_size=size, run_before=_ready)


async def _logging(pilot) -> None:
    await settle(pilot)
    await pilot.press("r")  # resume today's workout: bench press, three sets in
    await _ready(pilot)


@pytest.mark.parametrize("size", LOGGING_SIZES)
def test_logging(snap_compare, snap_data, size):
    assert snap_compare(logged_in(snap_data), terminal_size=size, run_before=_logging)


def test_logging_error_light_theme(snap_compare, snap_data):
    """A bad entry in the light theme: the reason must be readable there too."""

    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await _logging(pilot)
        await pilot.press(*"100x0", "enter")
        await _ready(pilot)

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_logging_marks_and_notes(snap_compare, snap_data):
    """A warm-up set, an RPE, a personal record (*), the exercise's notes and the suggestion."""

    async def run_before(pilot):
        await _logging(pilot)
        await pilot.press("ctrl+u", *"60x8 w", "enter", "ctrl+u", *"102.5x5 @9", "enter")
        await settle(pilot)
        await pilot.press("ctrl+l", *"Grip [b]wide[/b], belt", "ctrl+s")
        await settle(pilot)
        await pilot.press("down")  # leg press: no sets yet, no history: an empty box
        await settle(pilot)
        await pilot.press("up")
        await _ready(pilot)
        pilot.app.screen.query_one("#rest").stop()  # a countdown would differ from run to run
        await pilot.pause()

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_logging_sets_waiting_for_the_database(snap_compare, snap_data, monkeypatch):
    """The database went away: the sets wait in the table (…) and the box says how to resend."""
    from overload_tui.domain.errors import DatabaseUnavailableError
    from overload_tui.services.workouts import WorkoutService

    def refused(self, *args, **kwargs):
        raise DatabaseUnavailableError("Cannot reach the PostgreSQL database at db:5432 (Connection refused). "
                                       "Nothing was saved; try again in a moment.")

    async def run_before(pilot):
        await _logging(pilot)
        monkeypatch.setattr(WorkoutService, "add_set", refused)
        await pilot.press("enter", "enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        pilot.app.screen.query_one("#rest").stop()  # a countdown would differ from run to run
        await _ready(pilot)

    assert snap_compare(logged_in(snap_data), terminal_size=(80, 24), run_before=run_before)


def test_exercise_notes_dialog_narrow(snap_compare, snap_data):
    """The notes dialog (a FormDialog with a notes field), the exercise's name literal in its title."""

    async def run_before(pilot):
        await _logging(pilot)
        await pilot.press("ctrl+l", *"Seat 4", "enter", *"grip [b]wide[/b]")
        await _ready(pilot)
        pilot.app.screen.query_one("TextArea").cursor_blink = False
        await pilot.pause()

    assert snap_compare(logged_in(snap_data), terminal_size=(45, 20), run_before=run_before)


def test_picker_narrow(snap_compare, snap_data):
    async def run_before(pilot):
        await _logging(pilot)
        await pilot.press("ctrl+f", *"press")
        await pilot.pause(0.3)
        await _ready(pilot)

    assert snap_compare(logged_in(snap_data), terminal_size=(45, 20), run_before=run_before)
