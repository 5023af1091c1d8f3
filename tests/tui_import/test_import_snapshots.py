"""How the import screen and the export dialog look, at 80x24 and 45x20, on a fixed clock (SQLite
only: the looks do not depend on the database). The files are typed as relative paths from a
temporary working directory, so the pictures do not depend on where the tests run. Update with
``pytest tests/tui_import/test_import_snapshots.py --snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import shutil

import pytest

from overload_tui.app import OverloadApp
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.import_screen import ExportScreen, ImportScreen
from tests.transfer.helpers import fixture_file
from tests.tui.helpers import PASSWORD, no_blink, settle, until
from tests.tui_import.helpers import status, strong_file

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((45, 20), id="45x20")]


@pytest.fixture
def snap_app(tmp_path, data_dir, fixed_clock, monkeypatch):
    """Alice logged in, an empty log; the working directory holds the files to import."""
    from overload_tui.services import Services

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(fixture_file("strong_sample.csv"), work / "strong_sample.csv")
    strong_file(
        work / "refused.csv",
        [("Squat (Barbell)", 100, 5), ("[bold]Squat[/bold] (Barbell)", 100, 877777), ("Squat (Barbell)", 5000, 5)],
    )
    (work / "broken.csv").write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),1,100,5,0,0,,,\n"
        "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),2,heavy,5,0,0,,,\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(work)
    svc = Services.open(f"sqlite:///{tmp_path / 'snap.db'}", data_dir=data_dir, bcrypt_rounds=4)
    svc.auth.register("alice", "alice@example.com", PASSWORD, "Alice")
    svc.tokens.save(svc.auth.login("alice", PASSWORD).token)
    try:
        yield OverloadApp(svc)
    finally:
        svc.close()


def _dashboard(app) -> bool:
    screen = app.screen
    return (isinstance(screen, DashboardScreen) and screen.fresh
            and "Hello Alice." in screen.query_one("#summary").content.plain)


def _dashboard_below(app) -> bool:
    below = app.screen_stack[-2]
    return isinstance(below, DashboardScreen) and below.fresh


def _import_idle(app) -> bool:
    """The import screen has read (or imported) what it was asked to and says so."""
    screen = app.screen
    return isinstance(screen, ImportScreen) and screen.busy is None and status(app) != ""


async def _ready(pilot, drawn, what: str) -> None:
    """The picture is taken once ``drawn(app)`` holds, every database call has answered and no
    cursor blinks: never after a number of rounds."""
    await until(pilot, lambda: drawn(pilot.app), what)
    await settle(pilot)
    no_blink(pilot.app)
    await pilot.pause()
    assert drawn(pilot.app), f"{what}: no longer so once the app had settled"


def previewing(name: str, *then: str, says: str):
    """Open the import screen, type ``name`` and Enter, press ``then``; the picture once the
    status line starts with ``says``."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: _dashboard(app), "the dashboard")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
        await pilot.press(*name, "enter")
        if then:
            await until(pilot, lambda: _import_idle(app) and app.screen.plan is not None, "the preview")
            await pilot.press(*then)
        await _ready(pilot, lambda app: _import_idle(app) and status(app).startswith(says),
                     f"the status line to say {says!r}")

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_import_preview(snap_compare, snap_app, size):
    assert snap_compare(snap_app, terminal_size=size, run_before=previewing(
        "strong_sample.csv", says="Ready: 15 workouts, 250 sets."))


def test_import_refused_rows_narrow(snap_compare, snap_app):
    """Refused rows listed with their lines; the exercise name that looks like markup stays literal."""
    assert snap_compare(snap_app, terminal_size=(45, 20), run_before=previewing(
        "refused.csv", says="2 rows refused (lines 3, 4)"))


def test_import_malformed_file(snap_compare, snap_app):
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=previewing(
        "broken.csv", says="broken.csv: line 3: Weight must be a number"))


def test_import_done(snap_compare, snap_app):
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=previewing(
        "strong_sample.csv", "ctrl+s", says="Imported 15 workouts, 250 sets from strong_sample.csv."))


def test_export_dialog_narrow(snap_compare, snap_app):
    async def run_before(pilot) -> None:
        await until(pilot, lambda: _dashboard(pilot.app), "the dashboard")
        await pilot.press("e")
        await _ready(pilot, lambda app: isinstance(app.screen, ExportScreen) and _dashboard_below(app),
                     "the export dialog over the dashboard")

    assert snap_compare(snap_app, terminal_size=(45, 20), run_before=run_before)
