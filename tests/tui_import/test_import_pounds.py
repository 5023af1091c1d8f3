"""A pounds lifter on the import screen and the export dialog (issue 16): a lbs export previewed
and imported shows no kg figure, a Strong export that does not say its unit is read in the
lifter's unit, and the export dialog offers and writes Strong CSV in lb."""

from __future__ import annotations

import csv

import pytest
from textual.widgets import Input, Select, Static

from overload_tui.screens.import_screen import ExportScreen
from tests.transfer.helpers import fixture_file
from tests.tui.helpers import settle
from tests.tui_import.helpers import open_import, preview, report, status, strong_file


@pytest.fixture
def pounds(services, logged_in):
    services.settings(logged_in.id).update(weight_unit="lbs")
    return logged_in


async def test_a_pounds_export_previewed_and_imported_shows_no_kg(services, pounds, make_app, tmp_path):
    plain = strong_file(tmp_path / "strong.csv", [("Squat (Barbell)", 225, 5), ("Squat (Barbell)", 45, 10)])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await preview(pilot, str(fixture_file("fitnotes_sample.csv")))
        text = report(app)
        assert "Unit: weights in lbs, as the file says" in text
        assert " kg" not in text and " kg" not in status(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status(app).startswith("Imported 141 workouts, 744 sets")

        await preview(pilot, str(plain))  # Strong's export does not say: read in the lifter's unit
        assert "weights read as lbs, your unit (choose Unit: kg if the app showed kilograms)" in report(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    ws = services.workouts(pounds.id)
    [legs] = [s for s in ws.list_sessions(limit=1000) if s.name == "Morning"]
    assert [(s.amount, s.load_unit) for s in ws.get_session(legs.id).entries[0].sets] == [(225, "lbs"), (45, "lbs")]


async def test_the_export_dialog_of_a_pounds_lifter_writes_lb(services, pounds, make_app, tmp_path, fixed_clock):
    from overload_tui.services.transfer import TransferService

    TransferService(services.db, pounds.id).import_file(fixture_file("fitnotes_sample.csv"))
    out = tmp_path / "mine.csv"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-format", Select).value == "strong-csv"
        assert "Strong CSV (lb, km)" in app.export_screenshot().replace("&#160;", " ")
        hint = app.screen.query_one("#export-hint", Static).content.plain
        assert "weights in lb" in hint and " kg" not in hint
        app.screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Exported 141 workouts, 744 sets (weights in lb)" in str(app.screen.query_one("#export-status").content)
    rows = list(csv.reader(out.open(encoding="utf-8"), delimiter=";"))
    assert rows[0][4:6] == ["Weight", "Weight Unit"] and rows[1][4:6] == ["45.0", "lbs"]
