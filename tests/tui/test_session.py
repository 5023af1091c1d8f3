"""Logging a workout through the keyboard, checked against what the database holds afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input, Static

from overload_tui.domain.enums import Unit
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.session import SessionScreen
from overload_tui.services.workouts import WorkoutService
from overload_tui.widgets.exercise_picker import ExercisePickerScreen
from overload_tui.widgets.set_table import EntryList
from tests.tui.helpers import settle, sqlite_only, type_text


def find(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


@pytest.fixture
def history(ws, fixed_clock, logged_in):
    """Three days ago Alice benched 100x5, 100x5, 95x6 and did leg presses on 8 stacks."""
    s = ws.start_session(fixed_clock - timedelta(days=3))
    e = ws.add_entry(find(ws, "Bench Press (Barbell)").id, session_id=s.id)
    for w, r in ((100, 5), (100, 5), (95, 6)):
        ws.add_set(e.id, w, r)
    e = ws.add_entry(find(ws, "Leg Press (Machine)").id, session_id=s.id)
    ws.add_set(e.id, 8, 12)
    ws.finish_session(s.id)
    return s


@pytest.fixture
def workout(ws, history):
    """Today's open workout with bench press and leg press in it, no sets yet."""
    s = ws.start_session()
    for name in ("Bench Press (Barbell)", "Leg Press (Machine)"):
        ws.add_entry(find(ws, name).id, session_id=s.id)
    return s.id


async def resume(pilot) -> SessionScreen:
    """From the dashboard, resume today's workout (its first exercise is chosen)."""
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SessionScreen)
    return pilot.app.screen


def box(app) -> Input:
    return app.screen.query_one("#set-input", Input)


def box_message(app) -> str:
    return str(app.screen.query_one("#set-message", Static).render())


def sets_of(ws, session_id, index=0):
    entry = ws.get_session(session_id).entries[index]
    return [(s.weight, s.reps, s.unit.value) for s in entry.sets]


async def add_exercise(pilot, query: str) -> None:
    """ctrl+f (unless the picker is already open), type to filter, Enter takes the first match."""
    if not isinstance(pilot.app.screen, ExercisePickerScreen):
        await pilot.press("ctrl+f")
        await settle(pilot)
    await type_text(pilot, query)
    await pilot.pause(0.3)  # the picker searches a moment after the last key
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def new_workout(pilot):
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ExercisePickerScreen)  # an empty workout asks first


async def test_log_sets_prefilled_from_the_suggestion_and_repeat_with_one_enter(ws, history, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_workout(pilot)
        await add_exercise(pilot, "bench press")
        assert isinstance(app.screen, SessionScreen)
        sid = app.screen.session_id
        shown = str(app.screen.query_one("#last-time", Static).render())
        assert "100×5, 100×5, 95×6" in shown  # last time
        # Last time missed the 8-12 range at 100 kg: the same weight, one rep more, with why.
        assert "Next: 100×6" in shown and "100" in shown.split("Next:")[1]
        assert box(app).value == "100x6"  # the suggestion pre-fills the first set

        await pilot.press("enter")  # as suggested
        await settle(pilot)
        await pilot.press("enter")  # the same again: one key
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 6, "kg"), (100, 6, "kg")]

        await type_text(pilot, "x3")  # new reps, same weight
        await pilot.press("enter")
        await type_text(pilot, "102.5")  # new weight, same reps
        await pilot.press("enter")
        await type_text(pilot, "80 kg x 8")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 6, "kg"), (100, 6, "kg"), (100, 3, "kg"), (102.5, 3, "kg"), (80, 8, "kg")]
        assert box(app).value == "80x8"
        assert app.screen.query_one("#sets").row_count == 5


@sqlite_only
async def test_quick_enters_save_every_set_in_order(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("enter", "enter", "enter", "enter")  # no waiting between them
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 6, "kg")] * 4
        assert app.screen.query_one("#sets").row_count == 4
        assert str(app.screen.query_one("#set-prompt").render()) == "Set 5"


async def test_edit_and_delete_a_set(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        for text in ("100x5", "100x5", "100x4"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)

        await pilot.press("shift+tab")  # the set table, cursor on the last set
        await pilot.press("up", "e")  # edit set 2
        assert box(app).value == "100x5"
        await type_text(pilot, "97.5x6")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg"), (97.5, 6, "kg"), (100, 4, "kg")]
        assert box(app).value == "100x4"  # back to logging, from the last set

        # Editing can be abandoned with ctrl+g: nothing changes.
        await pilot.press("shift+tab", "enter")
        await type_text(pilot, "1x1")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg"), (97.5, 6, "kg"), (100, 4, "kg")]

        await pilot.press("shift+tab", "up", "up", "x")  # delete set 1...
        await settle(pilot)
        await pilot.press("n")  # ...no
        await settle(pilot)
        assert len(sets_of(ws, sid)) == 3
        await pilot.press("x", "y")
        await settle(pilot)
        assert sets_of(ws, sid) == [(97.5, 6, "kg"), (100, 4, "kg")]
        assert str(app.screen.query_one("#set-prompt").render()) == "Set 3"


async def test_exercises_added_chosen_reordered_and_removed(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await add_exercise(pilot, "squat")
        names = lambda: [e.exercise.name for e in ws.get_session(sid).entries]  # noqa: E731
        assert names() == ["Bench Press (Barbell)", "Leg Press (Machine)", "Squat (Barbell)"]
        # The new exercise is chosen; up/down from the set box choose another.
        assert "Squat" in str(app.screen.query_one("#entry-title", Static).render())
        await pilot.press("up", "up")
        await type_text(pilot, "60x5")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid, 0) == [(60, 5, "kg")]

        await pilot.press("shift+tab", "shift+tab")  # the exercise list
        assert app.screen.focused.id == "entries"
        await pilot.press("d")  # bench moves down
        await settle(pilot)
        assert names() == ["Leg Press (Machine)", "Bench Press (Barbell)", "Squat (Barbell)"]
        await pilot.press("d")
        await settle(pilot)
        assert names() == ["Leg Press (Machine)", "Squat (Barbell)", "Bench Press (Barbell)"]
        await pilot.press("u", "u")
        await settle(pilot)
        assert names() == ["Bench Press (Barbell)", "Leg Press (Machine)", "Squat (Barbell)"]

        await pilot.press("down", "x", "y")  # remove leg press
        await settle(pilot)
        assert names() == ["Bench Press (Barbell)", "Squat (Barbell)"]
        assert sets_of(ws, sid, 0) == [(60, 5, "kg")]


@sqlite_only
async def test_unit_follows_the_exercise_and_switches_with_a_key(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("down")  # leg press
        await settle(pilot)
        assert box(app).value == "9x8"  # 8 stacks x 12 last time: one stack more, back to 8 reps
        assert str(app.screen.query_one("#set-unit").render()) == "stacks"
        await pilot.press("enter")
        await pilot.press("ctrl+t")
        assert str(app.screen.query_one("#set-unit").render()) == "kg"
        await type_text(pilot, "120x10")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid, 1) == [(9, 8, "stacks"), (120, 10, "kg")]


async def test_notes_and_date_for_back_filling(ws, workout, fixed_clock, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("ctrl+n")
        await type_text(pilot, "Felt [b]strong[/b]")
        await pilot.press("enter")
        await type_text(pilot, "second line")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.get_session(sid).notes == "Felt [b]strong[/b]\nsecond line"
        assert "Felt [b]strong[/b] second line" in str(app.screen.query_one("#session-notes").render())

        await pilot.press("ctrl+o")
        await settle(pilot)
        await type_text(pilot, "2024-06-02")  # the old value is selected: typing replaces it
        await pilot.press("enter")
        await settle(pilot)
        assert ws.get_session(sid).date == datetime(2024, 6, 2, 18, 30)

        await pilot.press("ctrl+o")
        await type_text(pilot, "next week")
        await pilot.press("enter")
        await settle(pilot)
        assert "Not saved" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one(Input).value == "next week"  # kept to be fixed
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert ws.get_session(sid).date == datetime(2024, 6, 2, 18, 30)


BAD = [
    ("abc", "Could not read"),
    ("-5x5", "negative"),
    ("100x0", "at least 1"),
    ("5000x5", "at most 1000 kg"),
    ("100x5000", "at most 1000"),
    ("99999999999x5", "Could not read"),
    ("1e9x5", "Could not read"),
]


@sqlite_only
async def test_bad_entries_say_why_and_keep_the_text(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        for text, reason in BAD:
            await pilot.press("ctrl+u")  # clear the box
            await type_text(pilot, text)
            await pilot.press("enter")
            await settle(pilot)
            assert reason in box_message(app), text
            assert box(app).value == text
        assert sets_of(ws, sid) == []
        # Fixing the text and pressing Enter saves it; the message goes.
        await pilot.press("ctrl+u")
        await type_text(pilot, "100x5")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg")]
        assert "Enter saves" in box_message(app)


@sqlite_only
async def test_user_text_is_shown_literally(ws, history, make_app):
    """A custom exercise made in the picker, named like markup, shows as typed everywhere."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_workout(pilot)
        await type_text(pilot, "[bold]x[/]")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("ctrl+n")  # no match: create it
        await settle(pilot)
        await pilot.press("enter")  # the name, typed in the picker, is already there
        await type_text(pilot, "chest")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        sid = app.screen.session_id
        exercise = ws.get_session(sid).entries[0].exercise
        assert exercise.name == "[bold]x[/]" and exercise.custom
        await type_text(pilot, "20x10")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.export_screenshot()
        assert "[bold]x[/]" in screen  # in the exercise list and the heading, not interpreted
        entries = app.screen.query_one("#entries", EntryList)
        assert entries.rows[0].prompt.plain.endswith("[bold]x[/] 1")


async def test_finish_returns_to_the_dashboard(ws, workout, fixed_clock, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # not yet
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        finished = ws.get_session(sid)
        assert finished.finished_at == fixed_clock and finished.set_count == 1
        assert "1 workout this week" in app.screen.query_one("#summary").content.plain


@sqlite_only
async def test_back_keeps_the_workout_open_and_the_dashboard_resumes_it(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("enter")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert ws.get_session(sid).finished_at is None
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.session_id == sid
        assert box(app).value == "100x6"  # the set logged before leaving


@sqlite_only
async def test_every_key_is_in_the_command_palette(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("ctrl+p")
        await type_text(pilot, "notes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "from the palette")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.get_session(sid).notes == "from the palette"


@sqlite_only
async def test_narrow_terminal_has_no_horizontal_scrolling(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await resume(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        for widget in screen.query("#session-body, #session-body *"):
            assert not widget.show_horizontal_scrollbar, widget
            assert widget.region.right <= 45, widget
        assert box(app).region.width >= 20
        assert sets_of(ws, screen.session_id, 1) == [(9, 8, Unit.STACKS.value)]


@sqlite_only
async def test_ctrl_g_closes_the_command_palette(ws, workout, make_app):
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)


@sqlite_only
async def test_an_empty_workout_left_at_once_is_not_kept(ws, history, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_workout(pilot)
        await pilot.press("ctrl+g")  # no exercise after all
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert ws.latest_unfinished() is None
        assert ws.count_sessions() == 1  # the old one only


@sqlite_only
async def test_rest_timer_starts_after_a_set_and_plates_follow_the_box(ws, workout, make_app):
    from overload_tui.widgets.plate_calc import PlateCalculator
    from overload_tui.widgets.rest_timer import RestTimer

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        plates = app.screen.query_one("#plates", PlateCalculator)
        rest = app.screen.query_one("#rest", RestTimer)
        assert box(app).value == "100x6"
        assert plates.text == "Per side: 25 + 15 (100 kg)"
        assert not rest.running
        await pilot.press("enter")
        await settle(pilot)
        assert rest.running and rest.text.startswith("Rest ") and rest.seconds_left > 150  # heavy lift: 3 min
        left = rest.seconds_left
        await pilot.press("ctrl+r")  # a little longer
        assert rest.seconds_left > left + 10
        await type_text(pilot, "60")  # typing a weight shows its plates
        await settle(pilot)
        assert plates.text == "Per side: 20 (60 kg)"
        await pilot.press("down")  # leg press: a machine, no plates
        await settle(pilot)
        assert not plates.display


@sqlite_only
async def test_typing_on_before_the_save_answers_is_kept(ws, workout, make_app, monkeypatch):
    """A slow database: what is typed for the next set survives the previous set's answer."""
    import time

    real_add_set = WorkoutService.add_set

    def slow_add_set(self, *args, **kwargs):
        time.sleep(0.3)
        return real_add_set(self, *args, **kwargs)

    monkeypatch.setattr(WorkoutService, "add_set", slow_add_set)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("enter")
        await type_text(pilot, "x3")  # before the first set is saved
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 6, "kg")]
        assert box(app).value == "x3"
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 6, "kg"), (100, 3, "kg")]
