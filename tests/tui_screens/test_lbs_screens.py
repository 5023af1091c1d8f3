"""Issue 16 on screen, on SQLite and PostgreSQL: a lifter in pounds reads pounds everywhere
history, progress and the dashboard show weights, with the numbers typed (225 stays 225), and
no kg figure on screen; a mixed history shows each set as logged and its totals in pounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static

from overload_tui.domain.units import to_kg
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.history import HistoryScreen, SessionDetailScreen
from overload_tui.screens.progress import VIEWS, ProgressScreen
from overload_tui.widgets.form_dialog import FormDialog
from overload_tui.widgets.progress_plot import ProgressPlot
from tests.tui_screens.helpers import FIXED_NOW, HostApp, exercise, screen_text, settle, until

SIZES = [(80, 24), (45, 20)]


def log(ws, ex, days_ago, *sets, unit="lbs"):
    sess = ws.start_session(FIXED_NOW - timedelta(days=days_ago))
    entry = ws.add_entry(ex.id, session_id=sess.id)
    for weight, reps, *given in sets:
        ws.add_set(entry.id, weight, reps, unit=given[0] if given else unit)
    ws.finish_session(sess.id)
    return sess


@pytest.fixture
def pounds(services, alice, ws, fixed_clock):
    """Alice lifts in pounds: three bench workouts and a weighted dip, all typed in lb, and a body
    weight of 180.4 lb."""
    services.settings(alice.id).update(weight_unit="lbs")
    bench, dip = exercise(ws, "Bench Press (Barbell)"), exercise(ws, "Triceps Dip")
    for days, top in ((16, 205), (9, 215), (2, 225)):
        log(ws, bench, days, (45, 10), (top, 5), (top - 20, 8))
    log(ws, dip, 2, (25, 8))
    services.body(alice.id).log(180.4, on=(FIXED_NOW - timedelta(days=30)).date(), unit="lbs")
    return {"bench": bench, "dip": dip}


def no_kg(app) -> str:
    text = screen_text(app)
    assert "kg" not in text, text
    return text


@pytest.mark.parametrize("size", SIZES)
async def test_history_and_a_workout_read_in_pounds(services, alice, ws, pounds, size):
    app = HostApp(services, alice, HistoryScreen)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.sessions) == 4, "the workouts")
        await settle(pilot)
        text = no_kg(app)
        assert "3,215 lb" in text and "2,955 lb" in text  # 45x10 + 225x5 + 205x8, summed in kg
        await pilot.press("down", "enter")  # the bench of the day (the dips came after)
        await until(pilot, lambda: isinstance(app.screen, SessionDetailScreen) and app.screen.session is not None,
                    "the workout")
        await settle(pilot)
        text = no_kg(app)
        assert "225 lb × 5" in text and "205 lb × 8" in text and "45 lb × 10" in text


async def test_a_mixed_workout_shows_each_set_as_logged_and_totals_in_pounds(services, alice, ws, pounds):
    sess = log(ws, pounds["bench"], 1, (225, 5), (100, 5, "kg"))
    app = HostApp(services, alice, lambda: SessionDetailScreen(sess.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.session is not None, "the workout")
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "225 lb × 5" in detail and "100 kg × 5" in detail
        assert "2,227 lb" in detail  # 1,125 lb + 500 kg, summed in kg


@pytest.mark.parametrize("size", SIZES)
async def test_progress_reads_in_pounds_every_view(services, alice, ws, pounds, size):
    app = HostApp(services, alice, lambda: ProgressScreen(pounds["bench"]))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.data is not None, "the bench's progress")
        heaviest = screen.query_one("#panel-heaviest", ProgressPlot)
        assert [v for _, v in heaviest.points] == [205, 215, 225]
        assert heaviest.unit == "lb" and screen.query_one("#panel-body", ProgressPlot).unit == "lb"
        assert "Heaviest set (lb)" in heaviest.result.text or heaviest.result.is_message
        for view, key in zip(VIEWS, "12345"):
            await pilot.press(key)
            await settle(pilot)
            assert screen.query_one(f"#panel-{view}").has_class("-active")
            no_kg(app)
        table = screen.query_one("#best-table", DataTable)
        assert [str(table.get_row_at(i)[2]) for i in range(table.row_count)] == ["225 lb × 5", "215 lb × 5", "205 lb × 5"]
        assert str(table.get_row_at(0)[3]) == "262.5"

        screen.load(pounds["dip"])
        await until(pilot, lambda: screen.data is not None and screen.data.kind == "weighted", "the dips")
        assert [v for _, v in screen.query_one("#panel-e1rm", ProgressPlot).points] == [205.4]  # 180.4 + 25
        await pilot.press("4")
        await settle(pilot)
        assert str(table.get_row_at(0)[2]) == "bw 180.4 + 25 = 205.4 lb × 8"
        no_kg(app)


async def test_dashboard_volume_and_body_weight_in_pounds(services, alice, ws, pounds):
    log(ws, pounds["bench"], 0, (225, 5), (205, 8))  # this week: 1,125 + 1,640 lb
    app = HostApp(services, alice, DashboardScreen)
    body = services.body(alice.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.data is not None, "the dashboard")
        await settle(pilot)
        no_kg(app)
        assert "Chest 2 sets · 2,765 lb" in app.screen.query_one("#summary").content.plain
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the body-weight form")
        assert "Body weight (lb)" in no_kg(app)
        said = []
        app.notify = lambda message, **_: said.append(message)  # what the toast says
        await pilot.press(*"181.2", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back on the dashboard")
        latest = body.latest()
        assert latest.weight == to_kg(181.2, "lbs") and latest.in_unit("lbs") == 181.2
        assert said == ["Body weight 181.2 lb logged for Mon 3 Jun."]
