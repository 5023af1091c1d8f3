"""Progress screen: series from history, exercise choice, periods; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import DataTable, Input, Static

from overload_tui.domain.enums import Unit
from overload_tui.screens.progress import ProgressScreen, load_progress, progress_data
from overload_tui.widgets.exercise_select import ExerciseSelectScreen
from overload_tui.widgets.progress_plot import ProgressPlot
from tests.tui_screens.helpers import FIXED_NOW, HostApp, exercise, searched, settle

D = datetime(2024, 5, 1, 18)


def test_progress_data_from_the_service(ws, services, alice):
    """Series come from the progress service: warm-ups out, one unit, periods cut locally."""
    bench = exercise(ws, "Bench Press (Barbell)")
    for days, sets in [(21, [(40, 10, "warmup"), (100, 5, None), (90, 8, None)]), (14, [(105, 3, None)]), (7, [(60, 20, None)])]:
        sess = ws.start_session(D - timedelta(days=days))
        entry = ws.add_entry(bench.id, session_id=sess.id)
        for weight, reps, kind in sets:
            ws.add_set(entry.id, weight, reps, set_type=kind)
    loaded = load_progress(services.progress(alice.id), bench.id)
    data = progress_data(loaded)
    assert data.unit is Unit.KG
    assert [v for _, v in data.heaviest] == [100, 105, 60]  # the warm-up never counts
    assert [v for _, v in data.volume] == [100 * 5 + 90 * 8, 315, 1200]
    assert round(data.e1rm[0][1], 1) == round(max(100 * (1 + 5 / 30), 90 * (1 + 8 / 30)), 1)
    assert data.rough_e1rm  # 20 reps: the estimate is rough
    assert [(b.record.weight, b.record.reps) for b in data.best] == [(100, 5), (105, 3), (60, 20)]
    later = progress_data(loaded, since=D - timedelta(days=10))
    assert [v for _, v in later.heaviest] == [60]
    assert progress_data(load_progress(services.progress(alice.id), exercise(ws, "Squat (Barbell)").id)).unit is None


async def test_opens_on_the_latest_exercise_and_switches(services, alice, ws, fixed_clock):
    bench = exercise(ws, "Bench Press (Barbell)")
    squat = exercise(ws, "Squat (Barbell)")
    for week in range(20):  # 20 weekly bench sessions, the last 2 days ago
        sess = ws.start_session(FIXED_NOW - timedelta(days=2 + 7 * week))
        entry = ws.add_entry(bench.id, session_id=sess.id)
        ws.add_set(entry.id, 100 - week, 5)
    app = HostApp(services, alice, ProgressScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.exercise.id == bench.id  # trained most recently
        assert "Bench Press (Barbell)" in str(screen.query_one("#prog-heading", Static).render())
        plot = screen.query_one("#panel-e1rm", ProgressPlot)
        assert len(plot.points) == 20  # one year: all 20 weeks
        assert not plot.result.is_message
        assert "Jun 23" in plot.result.text.splitlines()[-1]  # the axis spans the whole year

        await pilot.press("m")  # 3 months
        await settle(pilot)
        assert len(plot.points) == 13
        await pilot.press("a")
        await settle(pilot)
        assert len(plot.points) == 20

        await pilot.press("4")
        await settle(pilot)
        table = screen.query_one("#best-table", DataTable)
        assert table.row_count == 10  # all-time bests, one per session
        assert str(table.get_row_at(0)[2]) == "100 kg × 5"
        assert screen.query_one("#panel-best").has_class("-active")
        assert not plot.has_class("-active")

        # Another exercise, with no history: a message, not a broken plot.
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExerciseSelectScreen)
        app.screen.query_one(Input).value = "squat (barbell)"  # as if typed
        await searched(pilot, "Squat (Barbell)")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.exercise.id == squat.id
        message = str(screen.query_one("#prog-message", Static).render())
        assert "Squat (Barbell)" in message and "no sets" in message
        assert screen.has_class("-message")

        # One session: the plot explains instead of drawing.
        sess = ws.start_session(FIXED_NOW - timedelta(days=1))
        entry = ws.add_entry(squat.id, session_id=sess.id)
        ws.add_set(entry.id, 140, 3)
        screen.load(squat)
        await settle(pilot)
        assert not screen.has_class("-message")
        result = screen.query_one("#panel-heaviest", ProgressPlot).result
        assert result.is_message and "one workout" in result.text


async def test_no_history_at_all(services, alice, ws):
    app = HostApp(services, alice, ProgressScreen)
    async with app.run_test(size=(45, 20)) as pilot:
        await settle(pilot)
        assert "No workouts logged yet" in str(app.screen.query_one("#prog-message", Static).render())
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExerciseSelectScreen)
        await pilot.press("q")  # typed into the search, not "back"
        await settle(pilot)
        assert isinstance(app.screen, ExerciseSelectScreen)
        assert app.screen.query_one(Input).value == "q"
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        await pilot.press("backspace")
        await settle(pilot)
        assert not isinstance(app.screen, ProgressScreen)
