"""The logging screen's marks and tools: set types and RPE, rows mode (shift+Tab or a click on a
set: t w d f n e x and [ ]), exercise notes, personal records (marked in the table and said on the
status line) and the progression suggestion; checked against the database."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from overload_tui.widgets.set_table import EntryList, SetTable
from tests.tui.helpers import sqlite_only, until
from tests.tui.test_session import (  # noqa: F401 - fixtures
    box,
    find,
    history,
    in_db,
    log,
    logging_screen,
    marks,
    new_workout,
    quiet,
    resume,
    status,
    view,
    wait_for,
    workout,
)


def sets_of(ws, session_id, index=0):
    entry = ws.get_session(session_id).entries[index]
    return [(s.weight, s.reps, s.set_type, s.rpe) for s in entry.sets]


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_set_types_and_rpe_typed_after_the_set(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "60x10 w", "100x5 @8", "90x8 d @9,5", "x6 f", "w")
        expected = [
            (60, 10, "warmup", None), (100, 5, None, 8.0), (90, 8, "drop", 9.5), (90, 6, "failure", None),
            (90, 6, "warmup", None),  # a lone mark: the pre-filled set, marked
        ]
        await in_db(pilot, lambda: sets_of(ws, sid), expected, "five marked sets")
        await wait_for(pilot, lambda: marks(app, records=False), ["1W", "2", "3D", "4F", "5W"], "the marks")
        table = app.screen.query_one("#sets", SetTable)
        assert str(table.get_row_at(2)[3]) == "9.5"  # the RPE column
        assert view(app).prefill == "90x6"  # marks are not repeated by the pre-fill

        await log(pilot, "100x5 @11")
        assert "RPE must be a number from 1 to 10" in status(app)
        assert box(app).value == "100x5 @11"  # given back, to be fixed
        assert len(sets_of(ws, sid)) == 5

        await log(pilot, "#2 @-", "#3 n", "#1 100x5 @7")  # marks changed by typing
        await in_db(pilot, lambda: sets_of(ws, sid)[:3],
                    [(100, 5, "warmup", 7.0), (100, 5, None, None), (90, 8, None, 9.5)], "the typed changes")


async def test_t_cycles_a_sets_type_and_edit_shows_its_marks(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "100x5 d @8")
        await in_db(pilot, lambda: len(sets_of(ws, sid)), 2, "two sets")
        await pilot.press("shift+tab", "up")  # rows mode, the first set; the set box keeps the focus
        await wait_for(pilot, lambda: view(app).cursor, 0, "the cursor on set 1")
        assert app.focused is box(app) and box(app).rows_mode
        for expected in ("warmup", "drop", "failure", None):
            await pilot.press("t")
            await in_db(pilot, lambda: sets_of(ws, sid)[0][2], expected, f"set 1 {expected}")
        await pilot.press("t")
        await wait_for(pilot, lambda: marks(app, records=False), ["1W", "2D"], "set 1 a warm-up")
        assert status(app) == "Set 1 is a warm-up."
        await pilot.press("f", "n", "d", "w")  # or straight to one
        await in_db(pilot, lambda: sets_of(ws, sid)[0][2], "warmup", "set 1 a warm-up again")

        await pilot.press("down", "e")  # edit set 2: its marks come with it
        await wait_for(pilot, lambda: box(app).value, "#2 100x5 d @8", "set 2 in the box")
        await pilot.press("ctrl+u", *"#2 100x6 f", "enter")  # the RPE not named: kept
        await in_db(pilot, lambda: sets_of(ws, sid), [(100, 5, "warmup", None), (100, 6, "failure", 8.0)], "set 2")
        await wait_for(pilot, lambda: marks(app, records=False), ["1W", "2F"], "the new marks")


async def test_a_click_on_a_set_chooses_it_in_rows_mode(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "100x4", "100x3")
        await wait_for(pilot, lambda: len(view(app).rows), 3, "three sets")
        table = app.screen.query_one("#sets", SetTable)
        await pilot.click(table, offset=(2, 2))  # the header is line 0: set 2
        await wait_for(pilot, lambda: view(app).cursor, 1, "the cursor on set 2")
        assert box(app).rows_mode and app.focused is box(app) and table.cursor_row == 1
        await pilot.press("w")
        await in_db(pilot, lambda: [t for _, _, t, _ in sets_of(ws, sid)], [None, "warmup", None], "set 2 marked")
        await pilot.click(table, offset=(2, 3))  # another row, still in rows mode
        await wait_for(pilot, lambda: view(app).cursor, 2, "the cursor on set 3")
        await pilot.press("x", "x")
        await in_db(pilot, lambda: [r for _, r, _, _ in sets_of(ws, sid)], [5, 4], "set 3 deleted")
        await pilot.press("tab", *"60x8", "enter")  # back to typing
        await in_db(pilot, lambda: [r for _, r, _, _ in sets_of(ws, sid)], [5, 4, 8], "a set typed after")


async def test_sets_move_up_and_down_in_rows_mode(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        reps = lambda: [r for _, r, _, _ in sets_of(ws, sid)]  # noqa: E731
        await log(pilot, "100x5", "100x4", "100x3")
        await in_db(pilot, reps, [5, 4, 3], "three sets")
        await pilot.press("shift+tab", "left_square_bracket")  # set 3 up
        await in_db(pilot, reps, [5, 3, 4], "set 3 moved up")
        assert status(app) == "Set 3 is set 2 now."
        await pilot.press("left_square_bracket")  # the cursor followed the set: it moves again
        await in_db(pilot, reps, [3, 5, 4], "moved up again")
        assert view(app).cursor == 0
        await pilot.press("left_square_bracket")  # already first: nothing
        await pilot.press("right_square_bracket", "right_square_bracket")
        await in_db(pilot, reps, [5, 4, 3], "moved down twice")
        table = app.screen.query_one("#sets", SetTable)
        await wait_for(pilot, lambda: [str(table.get_row_at(i)[2]) for i in range(3)], ["5", "4", "3"], "the table")
        assert view(app).cursor == 2


async def test_exercise_notes_typed_into_the_set_box(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        notes = app.screen.query_one("#entry-notes", Static)
        await log(pilot, "note Seat [b]4[/b]")
        await in_db(pilot, lambda: ws.get_session(sid).entries[0].notes, "Seat [b]4[/b]", "the note")
        assert str(notes.render()) == "Seat [b]4[/b]" and notes.display
        assert status(app) == "Note on Bench Press (Barbell) saved."

        await pilot.press("down")  # leg press: no notes, no line
        await until(pilot, lambda: not notes.display, "no notes line")
        await log(pilot, "note feet high")
        await in_db(pilot, lambda: [e.notes for e in ws.get_session(sid).entries],
                    ["Seat [b]4[/b]", "feet high"], "both notes")
        await log(pilot, "note -")
        await in_db(pilot, lambda: ws.get_session(sid).entries[1].notes, None, "the note cleared")
        assert not notes.display and status(app) == "Note cleared."
        await pilot.press("up")
        await until(pilot, lambda: notes.display, "bench's note again")


async def test_a_set_that_beats_a_record_is_marked_at_once_and_said(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "105x5", "60x12 w")  # last time: 100x5, 100x5, 95x6
        await in_db(pilot, lambda: [(w, r) for w, r, _, _ in sets_of(ws, sid)], [(100, 5), (105, 5), (60, 12)], "sets")
        await wait_for(pilot, lambda: marks(app), ["1", "2*", "3W"], "the record marked")
        assert not [m for m in notifications(app) if "record" in m.lower()]  # no toast
        await log(pilot, "110x3")
        await wait_for(pilot, status_of(app), "Set 4 logged: 110 kg × 3. New record: heaviest weight!",
                       "the record said on the status line")
        await pilot.press("down")  # leg press, 8 stacks x 12 last time
        await wait_for(pilot, lambda: view(app).exercise.name, "Leg Press (Machine)", "leg press")
        await log(pilot, "8x12", "8x13")
        await wait_for(pilot, lambda: marks(app), ["1", "2*"], "most reps at 8 stacks")
        assert "New record" in status(app)
        await pilot.press("ctrl+g")
        await quiet(pilot)

    app = make_app()  # reopened: the marks are still there, nothing said
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await wait_for(pilot, lambda: marks(app), ["1", "2*", "3W", "4*"], "the marks read again")
        await pilot.press("down")  # the second exercise's marks are worked out when it is shown
        await wait_for(pilot, lambda: marks(app), ["1", "2*"], "leg press's marks")
        assert "record" not in status(app).lower()
        assert not [m for m in notifications(app) if "record" in m.lower()]


def status_of(app):
    return lambda: status(app)


@sqlite_only
async def test_no_suggestion_without_history_and_the_box_starts_empty(ws, fixed_clock, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_workout(pilot)
        await log(pilot, "squat")
        await wait_for(pilot, lambda: view(app).exercise and view(app).exercise.name, "Squat (Barbell)", "squat")
        assert str(app.screen.query_one("#last-time", Static).render()) == "Last time: first time"
        assert view(app).prefill == "" and box(app).value == ""
        assert box(app).placeholder.startswith("weight x reps")
        await log(pilot, "")  # an empty Enter with nothing to repeat: says why
        assert status(app).startswith("No previous set to take the weight and reps from")
        assert view(app).rows == ()


@sqlite_only
async def test_logging_a_set_appends_its_row_and_rewrites_one_line(ws, workout, make_app, monkeypatch):
    """Drawing a logged set touches the new row and its exercise's line: nothing is rebuilt."""
    calls = []

    def spy(cls, name):
        real = getattr(cls, name)

        def call(self, *args, **kwargs):
            calls.append(f"{cls.__name__}.{name}")
            return real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, call)

    spy(SetTable, "clear")
    spy(EntryList, "clear")  # the exercise list rebuilt
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        calls.clear()
        await log(pilot, "100x5", "100x5", "102.5x3")
        await wait_for(pilot, lambda: len(view(app).rows), 3, "three sets")
        await quiet(pilot)
        assert calls == []
        assert app.screen.query_one("#sets", SetTable).row_count == 3
        entries = app.screen.query_one("#entries", EntryList)
        assert entries.rows[0].prompt.plain == "1. Bench Press (Barbell) 3"


@sqlite_only
async def test_the_suggestion_follows_the_workouts_date(ws, history, fixed_clock, make_app):
    """Back-filled before last time, the workout has no history: no suggestion; dated today, it has."""
    s = ws.start_session(fixed_clock - timedelta(days=10))
    ws.add_entry(find(ws, "Bench Press (Barbell)").id, session_id=s.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "DashboardScreen", "the dashboard")
        app.open_session(s.id)
        screen = await logging_screen(pilot)
        assert "Next:" not in str(screen.query_one("#next-line", Static).render())
        assert view(app).prefill == ""
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen is not screen, "the date dialog")
        await pilot.press("ctrl+u", *"today", "enter")
        await until(pilot, lambda: app.screen is screen, "back on the logging screen")
        await wait_for(pilot, lambda: view(app).prefill, "100x6", "the suggestion for today")
        assert "Next: 100×6" in str(screen.query_one("#next-line", Static).render())
