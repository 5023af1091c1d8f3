"""The programs screen driven with the keyboard (SQLite and PostgreSQL): the next weeks with
every weight explained, editing in the editor with errors at the line, starting a program and
its next day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from overload_tui import clock

from overload_tui.screens.programs import ProgramsScreen
from overload_tui.services.programs import ProgramService
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.form_dialog import FormDialog
from tests.tui_screens.helpers import FIXED_NOW, HostApp, exercise, settle, until


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


def view(app) -> str:
    return str(app.screen.query_one("#prog-view", Static).render())


def errors(app) -> str:
    return str(app.screen.query_one("#prog-errors", Static).render())


def history(ws):
    for name, weight in (("Squat (Barbell)", 120), ("Bench Press (Barbell)", 90),
                         ("Deadlift (Barbell)", 150), ("Overhead Press (Barbell)", 55)):
        sess = ws.start_session(FIXED_NOW - timedelta(days=3))
        entry = ws.add_entry(exercise(ws, name).id, session_id=sess.id)
        ws.add_set(entry.id, weight, 5)


class FakeEditor:
    """Stands in for $EDITOR: each call applies the next edit to the file's text."""

    def __init__(self, *edits):
        self.edits = list(edits)
        self.lines: list[int] = []

    def __call__(self, path, line):
        self.lines.append(line)
        path.write_text(self.edits.pop(0)(path.read_text()))


async def test_next_weeks_are_explained(services, alice, ws, fixed_clock):
    history(ws)
    app = HostApp(services, alice, ProgramsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "== Week 8" in view(app), "the 5/3/1 dry run")
        text = view(app)
        assert "85% × TM 125 kg = 106.25 → 105 kg" in text and "starting today" in text


async def test_edit_with_errors_then_fix_and_save(services, alice, ws, fixed_clock):
    history(ws)
    editor = FakeEditor(
        lambda t: t.replace("program: StrongLifts 5x5", "program: My 5x5").replace("  Row: 5x5", "  Row: 5x"),
        lambda t: t.replace("  Row: 5x", "  Row: 5x5"),
    )
    app = HostApp(services, alice, lambda: ProgramsScreen(editor=editor))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # StrongLifts 5x5
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await until(pilot, lambda: app.screen.has_class("-errors"), "the errors at their lines")
        bad_line = next(i for i, l in enumerate(editor_text(services, alice).splitlines(), 1) if l == "  Row: 5x5")
        assert f"line {bad_line}, column 8: Cannot read '5x'" in errors(app)
        assert "My 5x5" not in [p.name for p in ProgramService(services.db, alice.id).list_programs()]
        await pilot.press("e")  # again, at the line in error, with the text as it was left
        await settle(pilot)
        assert editor.lines == [1, bad_line]
        await until(pilot, lambda: not app.screen.has_class("-errors"), "the errors gone once saved")
        programs = ProgramService(services.db, alice.id).list_programs()
        assert "My 5x5" in [p.name for p in programs]


def editor_text(services, alice):
    return ProgramService(services.db, alice.id).source("StrongLifts 5x5")


async def test_start_without_history_asks_for_weights_then_opens_the_day(services, alice, ws, fixed_clock):
    app = HostApp(services, alice, ProgramsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # StrongLifts 5x5: no history at all
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the starting weights form")
        for weight in ("60", "50", "50", "35", "80"):
            await pilot.press(*weight, "enter")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, ProgramsScreen), "back on the programs")
        service = ProgramService(services.db, alice.id)
        assert service.active().name == "StrongLifts 5x5"
        await pilot.press("d")
        await settle(pilot)
        assert len(app.opened) == 1
        planned = service.planned(app.opened[0])
        assert planned[0].sets[0].weight == 60 and planned[0].sets[0].explanation == "working weight 60 kg"


async def test_o_on_the_dashboard_opens_the_programs(services, alice, fixed_clock):
    from overload_tui.screens.dashboard import DashboardScreen

    app = HostApp(services, alice, DashboardScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ProgramsScreen), "the programs screen")
