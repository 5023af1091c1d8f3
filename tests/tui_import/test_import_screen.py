"""The import screen end to end on a real database file: preview writes nothing, ctrl+s imports
what was previewed (with the progress bar), refused rows need a confirmation, a malformed file says
its line and writes nothing, and the same file twice adds nothing. Plus the export dialog."""

from __future__ import annotations

import csv
import json

from textual.widgets import Button, Input, ProgressBar

from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.import_screen import ExportScreen, complete_path
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.row_view import OptionRows
from tests.transfer.helpers import db_counts, fixture_file
from tests.tui.helpers import settle, sqlite_only, until
from tests.tui_import.helpers import open_import, path_box, preview, report, status, strong_file

EMPTY = {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


async def test_strong_export_previewed_then_imported_once(services, logged_in, make_app):
    strong = str(fixture_file("strong_sample.csv"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        go = screen.query_one("#import-go", Button)
        assert go.disabled  # nothing previewed yet

        await preview(pilot, strong)
        # Typing never fired a key of the screen or the dashboard (the path has n, r, t, s, q...).
        assert app.screen is screen and path_box(app).value == strong
        assert db_counts(services, logged_in.id) == EMPTY  # the preview wrote nothing
        assert "Ready: 15 workouts, 250 sets" in status(app)
        text = report(app)
        assert "Would import 15 workouts, 87 exercise entries, 250 sets." in text
        assert "Leg Press → Leg Press (Machine) (alias) · 12 sets" in text
        assert "Nothing written yet." in text
        assert not go.disabled

        await pilot.press("ctrl+s")
        await settle(pilot)
        counts = db_counts(services, logged_in.id)
        assert (counts["sessions"], counts["sets"]) == (15, 250)
        assert status(app) == "Imported 15 workouts, 250 sets from strong_sample.csv."
        assert "Imported 15 workouts, 87 exercise entries, 250 sets." in report(app)
        bar = screen.query_one("#import-progress", ProgressBar)
        assert (bar.progress, bar.total) == (250, 250)
        assert screen.result is not None and screen.result.written
        assert go.disabled  # the plan is spent: a second import needs a new preview

        # The same file again: ctrl+s reads it first, finds nothing new, and writes nothing.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status(app) == "Nothing new to import. 15 workouts of it already in your log."
        assert "Already in your log, left alone: 15 workouts (250 sets)." in report(app)
        assert go.disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db_counts(services, logged_in.id) == counts

        await pilot.press("ctrl+g")  # back: the dashboard lists the imported workouts
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one("#recent", OptionRows).row_count == 15


async def test_refused_rows_are_imported_only_after_the_confirm(services, logged_in, make_app, tmp_path):
    path = strong_file(
        tmp_path / "refused.csv",
        [("Squat (Barbell)", 100, 5), ("[bold]Squat[/bold] (Barbell)", 100, 877777), ("Squat (Barbell)", 5000, 5)],
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await preview(pilot, str(path))
        assert status(app) == "2 rows refused (lines 3, 4): ctrl+s imports the rest (1 workout, 1 set) without them, after you confirm."
        text = report(app)
        assert "line 3: [bold]Squat[/bold] (Barbell): Reps must be at most 1000" in text  # literal, not markup
        assert "line 4: Squat (Barbell): Weight must be at most 1000 kg" in text
        assert str(screen.query_one("#import-go", Button).label) == "Import without 2 refused"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Import the rest (1 workout, 1 set) without them?" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert db_counts(services, logged_in.id) == EMPTY
        assert "Nothing imported" in status(app)

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        counts = db_counts(services, logged_in.id)
        assert (counts["sessions"], counts["sets"]) == (1, 1)
        assert status(app) == "Imported 1 workout, 1 set from refused.csv. Left out 2 refused rows."
        assert "2 rows left out (refused by the app's limits):" in report(app)
        assert path_box(app).has_focus  # back from the confirmation, ready for the next file


async def test_malformed_file_says_its_line_and_writes_nothing(services, logged_in, make_app, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),1,100,5,0,0,,,\n"
        "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),2,heavy,5,0,0,,,\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await preview(pilot, str(path))
        assert status(app).startswith("broken.csv: line 3: Weight must be a number")
        assert status(app).endswith("Nothing was imported.")
        assert screen.query_one("#import-status").has_class("-error")
        assert "line 3: Weight must be a number" in report(app)
        box = path_box(app)
        assert box.value == str(path) and box.has_focus  # the typed path stays, ready to fix
        assert screen.query_one("#import-go", Button).disabled

        await pilot.press("ctrl+s")  # import asks for a preview, which fails the same way
        await settle(pilot)
        assert "line 3" in status(app)
        assert db_counts(services, logged_in.id) == EMPTY

        # From elsewhere (Tab to the format), the error puts the cursor back at the end of the path.
        await pilot.press("tab")
        assert not box.has_focus
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert box.has_focus
        await pilot.press("x")
        assert box.value == f"{path}x"


@sqlite_only
async def test_missing_file_empty_path_and_tilde(services, logged_in, make_app, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "exports").mkdir(parents=True)
    strong_file(home / "exports" / "strong.csv", [("Squat (Barbell)", 100, 5), ("Squat (Barbell)", 100, 5)])
    monkeypatch.setenv("HOME", str(home))
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert status(app) == "Type the path of the file to import first."

        await preview(pilot, "~/exports/nothere.csv")
        assert "nothere.csv: no such file" in status(app)
        assert path_box(app).value == "~/exports/nothere.csv"

        await preview(pilot, "'~/exports/strong.csv'")  # quotes from a drag-and-drop are dropped
        assert status(app).startswith("Ready: 1 workout, 2 sets.")

        # Changing the format after the preview: ctrl+s previews again instead of importing.
        screen.query_one("#import-format").value = "hevy"
        await settle(pilot)
        assert "press Enter to preview again" in status(app)
        assert screen.query_one("#import-go", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status(app).startswith("strong.csv: line 1: not a Hevy export")
        assert db_counts(services, logged_in.id) == EMPTY

        # The right arrow takes the completion of a path.
        box = path_box(app)
        box.value = ""
        await pilot.press(*"~/exp")
        # The completion is looked up on a thread (a worker): until it is offered, not 0.2 s.
        await until(pilot, lambda: box._suggestion == "~/exports/", "the completion of ~/exp",
                    seen=lambda: f"offered: {box._suggestion!r}, typed: {box.value!r}")
        await pilot.press("right")
        assert box.value == "~/exports/"


def test_path_completion(tmp_path, monkeypatch):
    (tmp_path / "exports").mkdir()
    (tmp_path / "strong.csv").write_text("x")
    (tmp_path / ".hidden.csv").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert complete_path("st") == "strong.csv"
    assert complete_path("ex") == "exports/"
    assert complete_path(f"{tmp_path}/str") == f"{tmp_path}/strong.csv"
    assert complete_path(".h") == ".hidden.csv"
    assert complete_path("strong.csv") is None and complete_path("zz") is None
    assert complete_path("") is None and complete_path("~") is None
    monkeypatch.setenv("HOME", str(tmp_path))
    assert complete_path("~/stro") == "~/strong.csv"


@sqlite_only
async def test_back_and_palette_keys(logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        names = {b.binding.description for b in screen.active_bindings.values() if b.enabled}
        assert {"Import", "Preview", "Back", "Export"} <= names
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_export_csv_and_json_from_the_dashboard(services, logged_in, make_app, tmp_path, fixed_clock):
    from overload_tui.services.transfer import TransferService

    TransferService(services.db, logged_in.id).import_file(fixture_file("strong_sample.csv"))
    out = tmp_path / "mine.csv"
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        box = app.screen.query_one("#export-path", Input)
        assert box.value == "~/overload-2024-06-05.csv"
        box.value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Exported 15 workouts, 250 sets (weights in kg)" in str(app.screen.query_one("#export-status").content)
        rows = list(csv.reader(out.open(encoding="utf-8")))
        assert rows[0][:4] == ["Date", "Workout Name", "Duration", "Exercise Name"] and len(rows) == 251

        # Writing over a file asks first; "keep it" leaves it alone.
        out.write_text("mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert out.read_text() == "mine"

        # JSON: the name follows the format; a folder that is not there is said where you look.
        app.screen.query_one("#export-format").value = "json"
        await settle(pilot)
        assert box.value == str(tmp_path / "mine.json")
        await pilot.press("enter")
        await settle(pilot)
        backup = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
        assert len(backup["sessions"]) == 15
        box.value = str(tmp_path / "nowhere" / "x.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no folder" in str(app.screen.query_one("#export-status").content)



@sqlite_only
async def test_progress_bar_follows_a_large_import(services, logged_in, make_app, monkeypatch):
    from overload_tui.screens import import_screen
    from overload_tui.services.transfer import importer

    monkeypatch.setattr(importer, "SET_CHUNK", 500)  # several progress calls for the 7,210-row Hevy file
    monkeypatch.setattr(import_screen, "PROGRESS_EVERY", 0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        shown: list[tuple[float | None, float]] = []
        real = screen._show_progress
        monkeypatch.setattr(screen, "_show_progress", lambda total, progress=0: (shown.append((total, progress)), real(total, progress)))
        screen.query_one("#import-path", Input).value = str(fixture_file("hevy_sample.csv"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        sets = screen.plan.report.sets
        assert sets > 5000
        shown.clear()
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert status(app).startswith(f"Imported {screen.result.workouts:,} workouts, {sets:,} sets")
        done = [p for _, p in shown]
        assert len(done) >= 5 and done == sorted(done)  # the bar moved forward in steps
        assert shown[-1] == (sets, sets)
        assert db_counts(services, logged_in.id)["sets"] == sets


@sqlite_only
async def test_editing_keys_and_letters_sent_at_once_stay_in_order(logged_in, make_app):
    """tmux delivers ctrl+u and the letters after it in one burst: the box must clear first, then
    take the letters (Textual alone would run ctrl+u after them, leaving the box empty)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        box = path_box(app)
        box.value = "refused.csv"
        box.cursor_position = len(box.value)
        for key, char in [("ctrl+u", None), *((c if c.isalnum() else {".": "full_stop", "_": "underscore"}[c], c) for c in "strong_x.csv")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        await settle(pilot)
        assert box.value == "strong_x.csv"
