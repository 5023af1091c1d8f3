"""How the import screen and the export dialog look, at 80x24 and 45x20, on a fixed clock (SQLite
only: the looks do not depend on the database). The files are typed as relative paths from a
temporary working directory, so the pictures do not depend on where the tests run. Update with
``pytest tests/tui_import/test_import_snapshots.py --snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import shutil

import pytest

from overload_tui.app import OverloadApp
from tests.transfer.helpers import fixture_file
from tests.tui.helpers import PASSWORD, no_blink, settle
from tests.tui_import.helpers import strong_file

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


async def _ready(pilot) -> None:
    await settle(pilot)
    no_blink(pilot.app)
    await pilot.pause()


def previewing(name: str, *then: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*name, "enter")
        await settle(pilot)
        if then:
            await pilot.press(*then)
        await _ready(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_import_preview(snap_compare, snap_app, size):
    assert snap_compare(snap_app, terminal_size=size, run_before=previewing("strong_sample.csv"))


def test_import_refused_rows_narrow(snap_compare, snap_app):
    """Refused rows listed with their lines; the exercise name that looks like markup stays literal."""
    assert snap_compare(snap_app, terminal_size=(45, 20), run_before=previewing("refused.csv"))


def test_import_malformed_file(snap_compare, snap_app):
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=previewing("broken.csv"))


def test_import_done(snap_compare, snap_app):
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=previewing("strong_sample.csv", "ctrl+s"))


def test_export_dialog_narrow(snap_compare, snap_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("e")
        await _ready(pilot)

    assert snap_compare(snap_app, terminal_size=(45, 20), run_before=run_before)
