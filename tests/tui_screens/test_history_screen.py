"""History screens driven with the keyboard, checked against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Static

import overload_tui.screens.history as history
from overload_tui.screens.history import HistoryList, HistoryScreen, SessionDetailScreen
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.form_dialog import FormDialog
from tests.tui_screens.helpers import HostApp, exercise, settle

START = datetime(2024, 6, 1, 18, 0)


def make_sessions(ws, count: int, same_day: int = 0) -> list[int]:
    """``count`` workouts a day apart, newest first in the returned ids; the last ``same_day``
    share one date (so paging must break ties by id)."""
    bench = exercise(ws, "Bench Press (Barbell)")
    ids = []
    for i in range(count):
        when = START - timedelta(days=min(i, count - same_day))
        sess = ws.start_session(when, name=f"W{i}")
        entry = ws.add_entry(bench.id, session_id=sess.id)
        ws.add_set(entry.id, 50 + i, 5)
        ids.append(sess.id)
    return [s.id for s in sorted(ws.list_sessions(limit=count + 1), key=lambda s: (s.date, s.id), reverse=True)]


def listed_ids(app) -> list[int]:
    return [s.id for s in app.screen.query_one("#history-list", HistoryList).rows]


def shown(app) -> str:
    """The history list's lines as drawn."""
    rows = app.screen.query_one("#history-list", HistoryList)
    return "\n".join(rows.render_line(y).text for y in range(rows.size.height))


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(history, "PAGE", 25)  # 50 lines: more than two screens of the list
    monkeypatch.setattr(history, "NEAR_END", 5)


async def test_pages_load_as_the_cursor_nears_the_end(services, alice, ws, small_pages):
    expected = make_sessions(ws, 60, same_day=30)
    app = HostApp(services, alice, HistoryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert listed_ids(app) == expected[:25]  # one page, newest first
        assert "more below" in str(app.screen.query_one("#history-status", Static).render())
        await pilot.press(*["down"] * 5)
        await settle(pilot)
        assert len(listed_ids(app)) == 25  # far from the end: nothing more is read
        await pilot.press("end")  # at the end of the page: the next one loads
        await settle(pilot)
        assert listed_ids(app) == expected[:50]
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert listed_ids(app) == expected  # every workout once, in order, across equal dates
        assert app.screen.exhausted
        assert "60 workouts" in str(app.screen.query_one("#history-status", Static).render())


async def test_view_edit_delete_and_save_as_template(services, alice, ws, small_pages):
    ids = make_sessions(ws, 3)
    app = HostApp(services, alice, HistoryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Enter opens the read-only detail of the newest workout.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionDetailScreen)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "W0" in detail and "Bench Press (Barbell)" in detail and "50 kg × 5" in detail

        # Save it as a template, named in the dialog.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"From history", "ctrl+s")
        await settle(pilot)
        [tpl] = ws.list_templates()
        info = ws.get_template(tpl.id)
        assert info.name == "From history"
        assert [(s.weight, s.reps) for s in info.entries[0].sets] == [(50, 5)]

        # Edit opens the logging screen (the app's open_session).
        await pilot.press("e")
        await settle(pilot)
        assert app.opened == [ids[0]]

        # Delete: n keeps it, y deletes it and goes back to the list without it.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(ws.list_sessions()) == 3
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert [s.id for s in ws.list_sessions()] == ids[1:]
        assert listed_ids(app) == ids[1:]

        # Delete from the list itself.
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [s.id for s in ws.list_sessions()] == ids[2:]
        assert listed_ids(app) == ids[2:]
        await pilot.press("q")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)


async def test_returning_from_an_edit_reloads_the_list(services, alice, ws, small_pages):
    ids = make_sessions(ws, 2)
    app = HostApp(services, alice, HistoryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")  # the older workout, "edited" in the (stand-in) logging screen
        await settle(pilot)
        assert app.opened == [ids[1]]
        ws.update_session(ids[1], name="Renamed")
        # The real app pushes its logging screen; here a detail screen stands in for it.
        await app.push_screen(SessionDetailScreen(ids[1]))
        await settle(pilot)
        app.pop_screen()
        await settle(pilot)
        assert "Renamed" in shown(app)
        assert app.screen.query_one("#history-list", HistoryList).cursor_item.id == ids[1]  # the cursor stayed


async def test_edit_without_a_logging_screen_says_so(services, alice, ws):
    make_sessions(ws, 1)
    app = HostApp(services, alice, HistoryScreen, with_open_session=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert any("not available" in str(n.message) for n in app._notifications)


async def test_empty_history_and_literal_names(services, alice, ws):
    app = HostApp(services, alice, HistoryScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "No workouts yet" in str(app.screen.query_one("#history-status", Static).render())
        await pilot.press("x", "enter", "t")  # nothing to act on: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)

        ws.start_session(START, name="[bold]lit[/bold] [link=x]y[/link]")
        await pilot.press("r")
        await settle(pilot)
        assert "[bold]lit[/bold] [link=x]y[/link]" in shown(app)
