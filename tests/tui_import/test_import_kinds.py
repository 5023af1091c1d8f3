"""The import screen with every kind of set: the preview counts timed, distance and reps-only sets,
says which sets do not fit their exercise, shows the file's notes with their lines (at 80x24 and
45x20), and ctrl+s stores what the file measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transfer.kinds import stored_sets
from tests.tui.helpers import screen_text, settle, sqlite_only, until
from tests.tui_import.helpers import STRONG_HEAD, open_import, preview, report, status

ROWS = (
    "2024-01-01 08:00:00,Morning,1h,Plank,1,0,0,0,60,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Running,1,0,0,5,1800,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Push Up,1,0,20,0,0,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Bench Press (Barbell),1,60,0,0,30,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Bench Press (Barbell),2,100,5,0,0,,,\n"
    "2024-01-03 08:00:00,Left running,2d 3h,Plank,1,0,0,0,45,,,\n"
)
NOTE = "a Duration over 24 h (a workout left running) in the workouts starting at line 7"


def words(app) -> str:
    """The screen's text as one line of words, without the report's scroll bar."""
    return " ".join(screen_text(app).translate({ord(c): " " for c in "▁▂▃▄▅▆▇█▔"}).split())


def kinds_file(tmp_path: Path) -> str:
    path = tmp_path / "kinds.csv"
    path.write_text(STRONG_HEAD + ROWS, encoding="utf-8", newline="")
    return str(path)


async def test_every_kind_previewed_then_stored(services, logged_in, make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await preview(pilot, kinds_file(tmp_path))
        assert status(app) == "Ready: 2 workouts, 6 sets. Press ctrl+s to import (1 note below)."
        text = report(app)
        assert "Of them: 3 timed sets, 1 distance set, 1 reps-only set." in text
        assert "1 set does not measure what its exercise does: stored as logged (see the exercises)." in text
        assert "Bench Press (Barbell) · 2 sets (1 not weight x reps)" in text
        assert f"Notes (1):\n  {NOTE}" in text

        await pilot.press("ctrl+s")
        await until(pilot, lambda: status(app).startswith("Imported"), "the import")
        assert "Of them: 3 timed sets, 1 distance set, 1 reps-only set." in report(app)
    assert stored_sets(services, logged_in.id) == {
        "Plank": [(0.0, 1, 60.0, None, None), (0.0, 1, 45.0, None, None)],
        "Running": [(0.0, 1, 1800.0, 5000.0, "km")],
        "Push Up": [(0.0, 20, None, None, None)],
        "Bench Press (Barbell)": [(60.0, 1, 30.0, None, None), (100.0, 5, None, None, None)],
    }


@sqlite_only
@pytest.mark.parametrize("size", [(80, 24), (45, 20)], ids=["80x24", "45x20"])
async def test_the_counts_and_notes_can_be_read_on_a_small_terminal(services, logged_in, make_app, tmp_path, size):
    """What the user must see before ctrl+s is on the screen: the counts at once, the notes after
    at most a few PgDn (the status line says they are there)."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_import(pilot)
        await preview(pilot, kinds_file(tmp_path))
        shown = words(app)
        assert "Press ctrl+s to import (1 note below)." in shown
        assert "Of them: 3 timed sets, 1 distance set, 1 reps-only set." in shown
        pages = [words(app)]
        while "in the workouts starting at line 7" not in pages[-1] and len(pages) < 6:
            await pilot.press("pagedown")
            await settle(pilot)
            pages.append(words(app))
        assert "in the workouts starting at line 7" in pages[-1], pages
        assert any("Notes (1):" in page for page in pages), pages
