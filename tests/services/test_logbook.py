"""The logbook without a screen, on both databases: every line typed is applied in order against
the state the previous one left, the view says what happened, and nothing is lost or saved twice
while the database is away."""

from __future__ import annotations

import pytest

from overload_tui.domain.enums import Unit
from overload_tui.domain.units import LoadUnit
from overload_tui.domain.errors import DatabaseUnavailableError
from overload_tui.services.logbook import Logbook
from overload_tui.services.workouts import WorkoutService

REAL_ADD_SET = WorkoutService.add_set


@pytest.fixture
def squat(ws):
    return ws.search_exercises("squat barbell", limit=1)[0]


@pytest.fixture
def book(services, alice, ws):
    def make(session_id: int | None = None, started_here: bool = True) -> Logbook:
        sid = session_id if session_id is not None else ws.start_session().id
        logbook = Logbook(ws, services.progress(alice.id), services.settings(alice.id), sid,
                          started_here=started_here)
        logbook.open()
        return logbook

    return make


def sets(ws, book: Logbook) -> list[tuple[str, float, int, str | None, float | None]]:
    """What the database holds: (exercise, weight, reps, type, rpe) in order."""
    return [(e.exercise.name, s.weight, s.reps, s.set_type, s.rpe)
            for e in ws.get_session(book.session_id).entries for s in e.sets]


def type_lines(book: Logbook, *lines: str):
    view = None
    for line in lines:
        view = book.submit(line)
    return view


def test_a_burst_of_lines_is_applied_in_order(ws, book):
    b = book()
    view = type_lines(b, "squat barbell", "20x10 w", "60x5", "x3", "62.5", "@8", "", "#1 @7")
    assert view.status.error is False, view.status
    assert sets(ws, b) == [
        ("Squat (Barbell)", 20, 10, "warmup", 7.0), ("Squat (Barbell)", 60, 5, None, None),
        ("Squat (Barbell)", 60, 3, None, None), ("Squat (Barbell)", 62.5, 3, None, None),
        ("Squat (Barbell)", 62.5, 3, None, 8.0), ("Squat (Barbell)", 62.5, 3, None, None),
    ]
    assert [r.number for r in view.rows] == [1, 2, 3, 4, 5, 6]
    assert view.prompt == "Set 7" and view.prefill == "62.5x3"


def test_rows_mode_marks_edits_and_deletes_the_highlighted_set(ws, book):
    b = book()
    type_lines(b, "bench press", "40x10", "60x5", "70x3")
    view = b.rows_mode(True)
    assert view.cursor == 2
    b.move_cursor(-1)
    b.mark_cursor("cycle")
    assert sets(ws, b)[1][3] == "warmup"
    b.mark_cursor("cycle")
    assert sets(ws, b)[1][3] == "drop"
    b.mark_cursor(None)
    assert sets(ws, b)[1][3] is None
    view = b.edit_cursor()
    assert view.edit_text == "#2 60x5" and view.cursor is None
    b.rows_mode(True, 0)
    view = b.delete_cursor()
    assert view.status.error and len(sets(ws, b)) == 3  # x once asks
    view = b.delete_cursor()
    assert [s[1:3] for s in sets(ws, b)] == [(60, 5), (70, 3)]
    assert view.cursor == 0


def test_edits_and_deletes_by_number(ws, book):
    b = book()
    type_lines(b, "bench press", "40x10", "60x5", "70x3")
    type_lines(b, "#2 x6 f", "#w", "#1 del")
    assert [s[1:4] for s in sets(ws, b)] == [(60, 6, "failure"), (70, 3, "warmup")]
    view = b.submit("#9 w")
    assert view.status.error and view.status.typed == "#9 w"
    assert "There is no set 9" in view.status.text


def test_exercises_by_name_number_and_arrows(ws, book):
    b = book()
    view = type_lines(b, ">squat barbell", "100x5", "+bench press", "60x8", ">1")
    assert view.exercise.name == "Squat (Barbell)" and view.prefill == "100x5"
    view = b.step_exercise(1)
    assert view.exercise.name == "Bench Press (Barbell)"
    view = b.submit("squat")  # already in the workout: go there, do not add it again
    assert [e.name for e in view.exercises] == ["Squat (Barbell)", "Bench Press (Barbell)"]
    assert view.selected == 0
    view = b.submit("no such lift at all")
    assert view.status.error and view.exercises == view.exercises


def test_a_bad_line_changes_nothing_and_comes_back(ws, book):
    b = book()
    b.submit("squat barbell")
    view = b.submit("100x0")
    assert view.status.error and view.status.typed == "100x0" and sets(ws, b) == []
    view = b.submit("x5")  # nothing to take the weight from yet
    assert view.status.error and sets(ws, b) == []


def test_notes_rest_unit_and_help(ws, book):
    b = book()
    b.submit("squat barbell")
    view = type_lines(b, "note seat 4, narrow grip", "wnote slept badly")
    assert view.entry_notes == "seat 4, narrow grip" and view.notes == "slept badly"
    view = b.submit("rest +30")
    assert (view.rest.seconds, view.rest.relative) == (30, True)
    seq = view.rest.seq
    view = b.submit("100x5")
    assert view.rest.seq > seq and not view.rest.relative and view.rest.seconds > 0
    view = b.submit("stacks")
    assert view.unit is LoadUnit.STACKS
    view = b.submit("8x12")
    assert sets(ws, b)[-1][1:3] == (8, 12)
    assert ws.get_session(b.session_id).entries[0].sets[-1].unit is Unit.STACKS
    help_seq = view.help_seq
    assert b.submit("?").help_seq == help_seq + 1


def test_records_are_said_on_the_status_line(ws, book, squat):
    earlier = ws.start_session()
    entry = ws.add_entry(squat.id, session_id=earlier.id)
    ws.add_set(entry.id, 100, 5)
    ws.finish_session(earlier.id)
    b = book()
    b.submit("squat barbell")
    view = b.submit("110x5")
    assert view.records_due
    view = b.check_records()
    assert not view.records_due
    assert "New record" in view.status.text and view.rows[-1].records


def test_while_the_database_is_away_sets_wait_in_order_and_go_in_once(ws, book, monkeypatch):
    b = book()
    b.submit("squat barbell")
    b.submit("100x5")

    def refused(self, *args, **kwargs):
        raise DatabaseUnavailableError("Cannot reach the database.", retry_safe=True)

    monkeypatch.setattr(WorkoutService, "add_set", refused)
    view = type_lines(b, "x4", "x3", "#3 w")
    assert view.pending == 2 and view.offline and [r.pending for r in view.rows] == [False, True, True]
    assert view.rows[2].info.set_type == "warmup"
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    view = b.resend()
    assert view.pending == 0 and not view.offline
    assert [s[2:4] for s in sets(ws, b)] == [(5, None), (4, None), (3, "warmup")]


def test_a_set_that_may_have_been_saved_is_never_saved_twice(ws, book, monkeypatch):
    b = book()
    b.submit("squat barbell")

    def saved_then_lost(self, *args, **kwargs):
        REAL_ADD_SET(self, *args, **kwargs)
        raise DatabaseUnavailableError("Lost the connection while saving.", maybe_saved=True)

    monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
    view = b.submit("100x5")
    assert view.pending == 1
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    view = b.resend()
    assert view.pending == 0 and [s[1:3] for s in sets(ws, b)] == [(100, 5)]
    assert [r.pending for r in view.rows] == [False]


def test_leaving_keeps_every_workout_but_an_empty_one_started_here(ws, book):
    b = book()
    assert b.discard_if_empty() is True
    named = ws.start_session(name="Legs")
    assert book(named.id, started_here=False).discard_if_empty() is False
    empty_from_history = ws.start_session()
    assert book(empty_from_history.id, started_here=False).discard_if_empty() is False
    assert {s.id for s in ws.list_sessions()} == {named.id, empty_from_history.id}


def test_exercises_move_and_are_removed_and_sets_move(ws, book):
    b = book()
    type_lines(b, "squat barbell", "100x5", "+bench press", "60x8", "60x6")
    view = b.submit("move 1")
    assert [e.name for e in view.exercises] == ["Bench Press (Barbell)", "Squat (Barbell)"]
    b.rows_mode(True)
    view = b.move_set(-1)
    assert view.cursor == 0 and [r.info.reps for r in view.rows] == [6, 8]
    view = b.submit(">squat")
    view = b.submit("remove")
    assert view.status.error and "remove!" in view.status.text
    view = b.submit("remove!")
    assert [e.name for e in view.exercises] == ["Bench Press (Barbell)"]
    assert [s[2] for s in sets(ws, b)] == [6, 8]
