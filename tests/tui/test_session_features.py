"""The logging screen's marks and tools: set types and RPE, reordering sets, exercise notes,
personal records and the progression suggestion; checked against the database."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from overload_tui.screens.session import SessionScreen
from overload_tui.widgets.set_table import EntryList, SetTable
from tests.tui.helpers import settle, sqlite_only, type_text
from tests.tui.test_session import add_exercise, box, box_message, find, history, new_workout, resume, workout  # noqa: F401


def sets_of(ws, session_id, index=0):
    entry = ws.get_session(session_id).entries[index]
    return [(s.weight, s.reps, s.set_type, s.rpe) for s in entry.sets]


def marks(app, records: bool = True) -> list[str]:
    """The # column of the set table: position, W/D/F, * (record), … (not saved)."""
    table = app.screen.query_one("#sets", SetTable)
    shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    return shown if records else [m.replace("*", "") for m in shown]


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def log(pilot, *texts: str) -> None:
    for text in texts:
        await pilot.press("ctrl+u")
        await type_text(pilot, text)
        await pilot.press("enter")
    await settle(pilot)


async def test_set_types_and_rpe_typed_after_the_set(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "60x10 w", "100x5 @8", "90x8 d @9,5", "x6 f", "w")
        assert sets_of(ws, sid) == [
            (60, 10, "warmup", None), (100, 5, None, 8.0), (90, 8, "drop", 9.5), (90, 6, "failure", None),
            (90, 6, "warmup", None),  # a lone mark: the pre-filled set, marked
        ]
        assert marks(app, records=False) == ["1W", "2", "3D", "4F", "5W"]
        table = app.screen.query_one("#sets", SetTable)
        assert str(table.get_row_at(2)[3]) == "9.5"  # the RPE column
        assert box(app).value == "90x6"  # marks are not repeated by the pre-fill

        await log(pilot, "100x5 @11")
        assert "RPE must be a number from 1 to 10" in box_message(app)
        assert box(app).value == "100x5 @11"  # kept, to be fixed
        assert len(sets_of(ws, sid)) == 5


async def test_t_cycles_a_sets_type_and_edit_shows_its_marks(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "100x5 d @8")
        await pilot.press("shift+tab", "up")  # the table, first set
        assert app.screen.focused.id == "sets"
        for expected in ("warmup", "drop", "failure", None):
            await pilot.press("t")
            await settle(pilot)
            assert sets_of(ws, sid)[0][2] == expected
        await pilot.press("t")
        await settle(pilot)
        assert marks(app, records=False) == ["1W", "2D"]

        await pilot.press("down", "e")  # edit set 2: its marks come with it
        assert box(app).value == "100x5 d @8"
        await pilot.press("ctrl+u")
        await type_text(pilot, "100x6 f")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "warmup", None), (100, 6, "failure", None)]
        assert marks(app, records=False) == ["1W", "2F"]


async def test_sets_move_up_and_down_in_the_table(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "100x4", "100x3")
        await pilot.press("shift+tab")  # cursor on set 3
        await pilot.press("u")
        await settle(pilot)
        assert [r for _, r, _, _ in sets_of(ws, sid)] == [5, 3, 4]
        await pilot.press("u")  # the cursor followed the set: it moves again
        await settle(pilot)
        assert [r for _, r, _, _ in sets_of(ws, sid)] == [3, 5, 4]
        await pilot.press("u")  # already first: nothing
        await pilot.press("d", "d")
        await settle(pilot)
        assert [r for _, r, _, _ in sets_of(ws, sid)] == [5, 4, 3]
        table = app.screen.query_one("#sets", SetTable)
        assert [str(table.get_row_at(i)[2]) for i in range(3)] == ["5", "4", "3"]


async def test_exercise_notes_from_the_set_box_and_the_lists(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await pilot.press("ctrl+l")
        await settle(pilot)
        await type_text(pilot, "Seat [b]4[/b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.get_session(sid).entries[0].notes == "Seat [b]4[/b]"
        assert str(app.screen.query_one("#entry-notes", Static).render()) == "Seat [b]4[/b]"
        assert app.screen.query_one("#entry-notes").display

        await pilot.press("down")  # leg press: no notes, no line
        await settle(pilot)
        assert not app.screen.query_one("#entry-notes").display
        await pilot.press("shift+tab", "shift+tab")  # the exercise list
        assert isinstance(app.screen.focused, EntryList)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "feet high")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [e.notes for e in ws.get_session(sid).entries] == ["Seat [b]4[/b]", "feet high"]


async def test_a_set_that_beats_a_record_is_marked_at_once(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await resume(pilot)).session_id
        await log(pilot, "100x5", "105x5", "60x12 w")  # last time: 100x5, 100x5, 95x6
        await settle(pilot)
        assert [(w, r) for w, r, _, _ in sets_of(ws, sid)] == [(100, 5), (105, 5), (60, 12)]
        assert marks(app) == ["1", "2*", "3W"]
        said = [m for m in notifications(app) if m.startswith("New record")]
        assert said == ["New records: heaviest weight, best estimated 1RM (Bench Press (Barbell): 105×5)"]
        await pilot.press("down")  # leg press, 8 stacks x 12 last time
        await settle(pilot)
        await log(pilot, "8x12", "8x13")
        assert marks(app) == ["1", "2*"]  # most reps at 8 stacks (and the best volume)
        await pilot.press("ctrl+g")
        await settle(pilot)

    app = make_app()  # reopened: the marks are still there, without a new notification
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await settle(pilot)
        assert marks(app) == ["1", "2*", "3W"]
        await pilot.press("down")  # the second exercise's marks are worked out when it is shown
        await settle(pilot)
        assert marks(app) == ["1", "2*"]
        assert not [m for m in notifications(app) if m.startswith("New record")]


@sqlite_only
async def test_no_suggestion_without_history_and_the_box_starts_empty(ws, fixed_clock, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_workout(pilot)
        await add_exercise(pilot, "squat")
        assert isinstance(app.screen, SessionScreen)
        assert str(app.screen.query_one("#last-time", Static).render()) == "Last time: first time"
        assert box(app).value == ""


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
        assert calls == []
        assert app.screen.query_one("#sets").row_count == 3
        entries = app.screen.query_one("#entries", EntryList)
        assert entries.rows[0].prompt.plain == "1. Bench Press (Barbell) 3"


@sqlite_only
async def test_the_suggestion_follows_the_workouts_date(ws, history, fixed_clock, make_app):
    """Back-filled before last time, the workout has no history: no suggestion."""
    s = ws.start_session(fixed_clock - timedelta(days=10))
    ws.add_entry(find(ws, "Bench Press (Barbell)").id, session_id=s.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_session(s.id)
        await settle(pilot)
        assert "Next:" not in str(app.screen.query_one("#last-time", Static).render())
        await pilot.press("ctrl+o")
        await settle(pilot)
        await type_text(pilot, "today")
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#last-time", Static).render())
        assert "Next: 100×6" in shown
        assert box(app).value == "100x6"
