"""Keys that reach the logging screen in one burst (a paste, a laggy SSH link, a quick thumb) act
in their order: each line is applied against the state the line before it left, keys of the
screen and of rows mode act where they were typed, and keys typed while a workout opens wait for
its screen. Bursts are one ``pilot.press(...)`` call (through the app's driver, as a terminal
sends them) or all queued at once (``burst``)."""

from __future__ import annotations

from textual import events

from overload_tui.screens.session import SessionScreen
from tests.tui.helpers import sqlite_only, until
from tests.tui.test_login import burst
from tests.tui.test_session import (  # noqa: F401 - fixtures
    box,
    chosen,
    dashboard,
    find,
    history,
    in_db,
    logging_screen,
    new_workout,
    quiet,
    resume,
    sets_of,
    view,
    wait_for,
    workout,
)


def typed_sets(ws, sid, index=0):
    return [(s.weight, s.reps, s.set_type) for s in ws.get_session(sid).entries[index].sets]


async def test_a_set_its_type_and_two_more_in_one_press(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press(*"20x10", "enter", "shift+tab", "t", "tab", *"60x5", "enter", *"x3", "enter")
        await in_db(pilot, lambda: typed_sets(ws, sid),
                    [(20, 10, "warmup"), (60, 5, None), (60, 3, None)], "a warm-up, then 60x5 and 60x3")
        assert box(app).value == "" and not box(app).rows_mode and view(app).prefill == "60x3"


async def test_a_new_workout_its_exercise_and_a_set_in_one_press_from_the_dashboard(ws, history, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard(pilot)
        await pilot.press("n", *"squat barbell", "enter", *"100x5", "enter")
        await logging_screen(pilot)
        await wait_for(pilot, lambda: len(view(app).rows), 1, "the set shown")
        sid = app.screen.session_id
        session = ws.get_session(sid)
        assert [e.exercise.name for e in session.entries] == ["Squat (Barbell)"]
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")], "the set saved")
        assert box(app).value == ""


async def test_ctrl_f_and_a_name_in_one_press_add_that_exercise(ws, history, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await new_workout(pilot)).session_id
        await pilot.press("ctrl+f", *"bench press", "enter")
        await wait_for(pilot, lambda: chosen(app), "Bench Press (Barbell)", "bench press added")
        await pilot.press("ctrl+f", *"squat barbell", "enter", "ctrl+f", *"bench", "enter")  # added; back
        await wait_for(pilot, lambda: [line.name for line in view(app).exercises],
                       ["Bench Press (Barbell)", "Squat (Barbell)"], "squat added")
        await wait_for(pilot, lambda: chosen(app), "Bench Press (Barbell)", "back on bench (in the workout)")
        await in_db(pilot, lambda: [e.exercise.name for e in ws.get_session(sid).entries],
                    ["Bench Press (Barbell)", "Squat (Barbell)"], "both in the workout")
        assert box(app).value == ""


@sqlite_only
async def test_ctrl_f_with_a_name_already_typed_makes_it_a_search(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await pilot.press(*"deadlift barbell", "ctrl+f")  # '>' goes in front of what is there
        assert box(app).value == ">deadlift barbell" and box(app).cursor_position == len(">deadlift barbell")
        await pilot.press("enter")
        await wait_for(pilot, lambda: chosen(app), "Deadlift (Barbell)", "deadlift added")


@sqlite_only
async def test_sets_typed_in_one_burst_are_each_saved_in_order(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        burst(app, "100x5\rx3\r105\r")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg"), (100, 3, "kg"), (105, 3, "kg")], "in order")
        assert box(app).value == "" and view(app).prefill == "105x3"  # the next set, pre-filled


@sqlite_only
async def test_a_key_of_the_screen_in_the_burst_acts_before_the_set_behind_it(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        app.post_message(events.Key("down", None))  # the next exercise (leg press, in stacks)...
        burst(app, "8x12\r")  # ...gets this set, though it arrived with the key
        await in_db(pilot, lambda: sets_of(ws, sid, 1), [(8, 12, "stacks")], "the set on leg press")
        assert sets_of(ws, sid, 0) == []


@sqlite_only
async def test_keys_behind_shift_tab_in_the_burst_act_on_the_set(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        burst(app, "100x5\r")
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")], "the set")
        burst(app, "\bt")  # shift+tab to rows mode, then its t: the set's type, not a letter
        await in_db(pilot, lambda: typed_sets(ws, sid), [(100, 5, "warmup")], "the set a warm-up")
        assert app.focused is box(app) and box(app).rows_mode
        assert box(app).value == ""  # nothing typed into the box


@sqlite_only
async def test_keys_typed_while_the_workout_opens_wait_for_its_screen(ws, workout, make_app, monkeypatch):
    """The workout is slow to open: the keys typed meanwhile (r, then a set) are held and run on
    its screen once it is up, not on the dashboard."""
    import threading

    from overload_tui.services.logbook import Logbook

    gate, opening = threading.Event(), threading.Event()
    real_open = Logbook.open

    def slow_open(self):
        opening.set()
        assert gate.wait(30)
        return real_open(self)

    monkeypatch.setattr(Logbook, "open", slow_open)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard(pilot)
        await pilot.press("r", *"100x5", "enter", "enter")
        await until(pilot, opening.is_set, "the workout opening")
        assert not isinstance(app.screen, SessionScreen)
        gate.set()
        sid = (await logging_screen(pilot)).session_id
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "kg")] * 2, "both sets, on the workout")
