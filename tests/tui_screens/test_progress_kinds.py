"""Issue 15 on screen, on SQLite and PostgreSQL: the progress screen plots what fits a timed and
a distance exercise and the body-weight log; the dashboard's w logs a body weight."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import DataTable, Static, Tab

from overload_tui.domain.errors import ValidationError
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.progress import ProgressScreen
from overload_tui.widgets.form_dialog import FormDialog
from overload_tui.widgets.progress_plot import ProgressPlot
from tests.tui_screens.helpers import FIXED_NOW, HostApp, exercise, settle, until


def log_sets(ws, exercise_id, days_ago, *sets):
    sess = ws.start_session(FIXED_NOW - timedelta(days=days_ago))
    entry = ws.add_entry(exercise_id, session_id=sess.id)
    for s in sets:
        ws.add_set(entry.id, **s)


def plotted(screen, view):
    plot = screen.query_one(f"#panel-{view}", ProgressPlot)
    return plot, [v for _, v in plot.points]


async def test_timed_and_distance_exercises_and_body_weight(services, alice, ws, fixed_clock):
    plank, running = exercise(ws, "Plank"), exercise(ws, "Running")
    for days, seconds in ((20, 45), (13, 60), (6, 75)):
        log_sets(ws, plank.id, days, {"weight": 0, "reps": 1, "duration_s": seconds})
    for days, metres, seconds in ((21, 5000, 1500), (14, 5000, 1440), (7, 8000, 2400)):
        log_sets(ws, running.id, days, {"weight": 0, "reps": 1, "distance_m": metres, "duration_s": seconds,
                                        "distance_unit": "km"})
    body = services.body(alice.id)
    body.log(81.5, on=date(2024, 5, 20))
    body.log(80.5, on=date(2024, 6, 1))

    app = HostApp(services, alice, lambda: ProgressScreen(plank))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.data is not None, "the plank's progress")
        hold, values = plotted(screen, "e1rm")
        assert values == [45, 60, 75]
        assert hold.title == "Longest hold" and not hold.result.is_message
        assert "1:00┤" in hold.result.text  # the y axis reads as a clock
        assert str(screen.query_one("#tab-e1rm", Tab).label) == "1 Hold"
        await pilot.press("4")
        table = screen.query_one("#best-table", DataTable)
        await until(pilot, lambda: table.row_count == 3, "the best holds")
        assert [str(c) for c in table.get_row_at(0)[2:]] == ["1:15", "1:15"]
        assert str(table.columns["e1rm"].label) == "Hold"

        await pilot.press("5")
        weights, values = plotted(screen, "body")
        assert values == [81.5, 80.5] and weights.unit == "kg"
        assert screen.query_one("#panel-body").has_class("-active")

        screen.load(running)
        await until(pilot, lambda: screen.data is not None and screen.data.kind == "distance", "the running")
        await pilot.press("1")
        pace, values = plotted(screen, "e1rm")
        assert values == [300, 288, 300] and pace.unit == "per km"
        await until(pilot, lambda: not pace.result.is_message, "the pace plot drawn")
        assert "5:00┤" in pace.result.text
        _, values = plotted(screen, "heaviest")
        assert values == [5, 5, 8]  # longest distance, km
        assert str(screen.query_one("#tab-e1rm", Tab).label) == "1 Pace"
        await until(pilot, lambda: table.row_count == 3, "the longest runs")
        assert str(table.get_row_at(0)[2]) == "8 km in 40:00 (5:00/km)"


async def test_weighted_without_body_weight_says_so(services, alice, ws, fixed_clock):
    dip = exercise(ws, "Triceps Dip")
    for days, load in ((9, 10), (2, 15)):
        log_sets(ws, dip.id, days, {"weight": load, "reps": 8})
    app = HostApp(services, alice, lambda: ProgressScreen(dip))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.data is not None, "the dips' progress")
        assert "no body weight logged" in str(screen.query_one("#prog-heading", Static).render())
        assert plotted(screen, "e1rm")[1] == []  # no load invented
        assert plotted(screen, "heaviest")[1] == [10, 15]  # the added load

        services.body(alice.id).log(80, on=date(2024, 5, 1))
        screen.load(dip)
        await until(pilot, lambda: screen.data is not None and not screen.data.no_body_weight, "the loads")
        assert plotted(screen, "e1rm")[1] == [90, 95]
        await pilot.press("4")
        table = screen.query_one("#best-table", DataTable)
        await until(pilot, lambda: table.row_count == 2, "the best sets")
        assert str(table.get_row_at(0)[2]) == "bw 80 + 15 = 95 kg × 8"


async def test_dashboard_logs_a_body_weight(services, alice, fixed_clock):
    app = HostApp(services, alice, DashboardScreen)
    body = services.body(alice.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the body-weight form")
        await pilot.press(*"600", "enter", "enter")  # too heavy: said in the form, nothing saved
        error = app.screen.query_one("#form-error", Static)
        await until(pilot, lambda: error.has_class("-shown"), "the refusal")
        assert "at most 500 kg" in str(error.render())
        assert isinstance(app.screen, FormDialog) and body.entries() == []

        await pilot.press("shift+tab", "backspace", "backspace", "backspace", *"82.5", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back on the dashboard")
        assert [(e.measured_on, e.weight) for e in body.entries()] == [(FIXED_NOW.date(), 82.5)]

        await pilot.press("w")  # another day, typed over the date shown
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the form again")
        await pilot.press(*"81", "enter", *["backspace"] * 10, *"2024-06-01", "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back again")
        assert [(e.measured_on, e.weight) for e in body.entries()] == [(date(2024, 6, 1), 81), (FIXED_NOW.date(), 82.5)]


def test_the_form_refuses_a_future_day(services, alice, fixed_clock):
    try:
        services.body(alice.id).log(80, on=(FIXED_NOW + timedelta(days=1)).date())
    except ValidationError as error:
        assert error.field == "date"
    else:
        raise AssertionError("a day to come was taken")
