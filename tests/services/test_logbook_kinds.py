"""Every kind of set through the logbook, on both databases: a line is read by the exercise's
kind, saved with its time and distance, shown back as logged, edited, deleted, repeated by an
empty Enter, and remembered as last time; a line that does not fit says so and saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from overload_tui import clock
from overload_tui.domain.enums import ExerciseKind
from overload_tui.domain.errors import DatabaseUnavailableError
from overload_tui.services.logbook import Logbook
from overload_tui.services.workouts import WorkoutService

REAL_ADD_SET = WorkoutService.add_set


@pytest.fixture
def book(services, alice, ws):
    def make(session_id: int | None = None) -> Logbook:
        sid = session_id if session_id is not None else ws.start_session().id
        logbook = Logbook(ws, services.progress(alice.id), services.settings(alice.id), sid, started_here=True)
        logbook.open()
        return logbook

    return make


def saved(ws, book: Logbook) -> list[tuple]:
    """(weight, reps, duration_s, distance_m, distance_unit) of the chosen exercise's sets, as stored."""
    entry = next(e for e in ws.get_session(book.session_id).entries if e.id == book.selected_id)
    return [(s.weight, s.reps, s.duration_s, s.distance_m, s.distance_unit) for s in entry.sets]


def typed(book: Logbook, *lines: str):
    view = None
    for line in lines:
        view = book.submit(line)
        assert not view.status.error, (line, view.status)
    return view


@pytest.mark.parametrize("exercise, kind, lines, stored, prefill, said", [
    ("Push Up", ExerciseKind.REPS_ONLY, ["15", "x12", "10 reps", ""],
     [(0, 15, None, None, None), (0, 12, None, None, None), (0, 10, None, None, None), (0, 10, None, None, None)],
     "10 reps", "Set 4 logged: 10 reps."),
    ("Chest Dip", ExerciseKind.WEIGHTED, ["bw+20x8", "20x6", "x10", "bw+10"],
     [(20, 8, None, None, None), (20, 6, None, None, None), (0, 10, None, None, None), (10, 10, None, None, None)],
     "bw+10x10", "Set 4 logged: bw+10 kg × 10."),
    ("Pull Up (Assisted)", ExerciseKind.ASSISTED, ["bw-30x8", "25x8", "bwx5"],
     [(30, 8, None, None, None), (25, 8, None, None, None), (0, 5, None, None, None)],
     "bwx5", "Set 3 logged: bw × 5."),
    ("Plank", ExerciseKind.TIME, ["60s", "1:30", "45", "+20 30s", ""],
     [(0, 1, 60, None, None), (0, 1, 90, None, None), (0, 1, 45, None, None), (20, 1, 30, None, None),
      (20, 1, 30, None, None)],
     "30s +20", "Set 5 logged: 30 s +20 kg."),
    ("Rowing (Machine)", ExerciseKind.DISTANCE, ["2000m 7:30", "5km 25:00", "3mi 24:00", "7:20", "8x400m 1:30"],
     [(0, 1, 450, 2000, "m"), (0, 1, 1500, 5000, "km"), (0, 1, 1440, 4828.032, "mi"), (0, 1, 440, 4828.032, "mi"),
      (0, 8, 90, 400, "m")],
     "8x400m 1:30", "Set 5 logged: 8 × 400 m in 1:30 (3:45/km)."),
])
def test_each_kind_is_logged_as_typed(ws, book, exercise, kind, lines, stored, prefill, said):
    b = book()
    view = typed(b, exercise)
    assert view.exercise.name == exercise and view.exercise.kind is kind
    view = typed(b, *lines)
    assert saved(ws, b) == stored
    assert view.prefill == prefill and view.status.text == said
    assert [r.info.duration_s for r in view.rows] == [s[2] for s in stored]  # the view holds what was saved


@pytest.mark.parametrize("exercise, line, message", [
    ("Plank", "100x5", "Plank is timed: type a time like 60s or 1:30."),
    ("Push Up", "100x5", "Push Up counts reps: type them like 15 or x15."),
    ("Chest Dip", "bw-20x8", "Chest Dip is body weight plus a load: type bw+20x8, or x8 for body weight only."),
    ("Pull Up (Assisted)", "bw+20x8", "Pull Up (Assisted) is body weight minus the assistance: type bw-30x8, or x8 unassisted."),
    ("Rowing (Machine)", "100x5", "Rowing (Machine) is a distance: type it like 2000m 7:30 or 5km 25:00."),
    ("Rowing (Machine)", "2000", "Type the distance with its unit, like 2000m or 2000km."),
    ("Rowing (Machine)", "60s", "No previous set to take the distance from. Rowing (Machine) is a distance: "
                               "type it like 2000m 7:30 or 5km 25:00."),
    ("Rowing (Machine)", "1001km 60:00", "A distance must be at most 1,000 km."),
    ("Plank", "25h", "A duration must be at most 24 hours."),
    ("Bench Press (Barbell)", "2000m 7:30", "Bench Press (Barbell) is weight x reps: type a set like 100x5."),
])
def test_a_set_that_does_not_fit_says_so_and_saves_nothing(ws, book, exercise, line, message):
    b = book()
    typed(b, exercise)
    view = b.submit(line)
    assert view.status.error and view.status.text == message and view.status.typed == line
    assert saved(ws, b) == [] and view.rows == ()


def test_an_empty_enter_on_a_new_timed_exercise_says_what_to_type(ws, book):
    b = book()
    typed(b, "plank")
    view = b.submit("")
    assert view.status.error and view.status.text == "No previous set to repeat. Plank is timed: type a time like 60s or 1:30."


def test_edits_and_deletes_keep_the_kind(ws, book):
    b = book()
    typed(b, "rowing", "2000m 7:30", "2000m 7:40", "500m 1:45")
    view = typed(b, "#2 7:35", "#3 2x500m 1:44 w")
    assert saved(ws, b) == [(0, 1, 450, 2000, "m"), (0, 1, 455, 2000, "m"), (0, 2, 104, 500, "m")]
    assert view.status.text == "Set 3 is now 2 × 500 m in 1:44 (3:28/km), warm-up."
    b.rows_mode(True, 1)
    assert b.edit_cursor().edit_text == "#2 2000m 7:35"
    view = typed(b, "#1 del")
    assert view.status.text == "Set 1 (2000 m in 7:30 (3:45/km)) deleted."
    typed(b, "chest dip", "bw+20x8", "#1 x6")
    assert saved(ws, b) == [(0, 6, None, None, None)]  # x6 on a weighted exercise: body weight only
    typed(b, "#1 bw+25x6")
    assert saved(ws, b) == [(25, 6, None, None, None)]


def test_last_time_and_the_prefill_are_per_kind(ws, book):
    first = book()
    typed(first, "plank", "1:30", "rowing", "5km 25:00", "pull up assisted", "bw-30x8")
    ws.update_session(first.session_id, date=clock.now() - timedelta(days=2))
    ws.finish_session(first.session_id)
    b = book()
    view = typed(b, "plank")
    # The prefill is the suggestion, in the exercise's kind: 5 s longer than last time's hold.
    assert [s.duration_s for s in view.last.sets] == [90] and view.prefill == "1:35"
    assert view.suggestion is not None and view.suggestion.duration_s == 95
    assert typed(b, "").rows[0].info.duration_s == 95  # Enter alone logs it
    view = typed(b, "rowing")  # the same distance, a second a kilometre faster
    assert view.last.sets[0].distance_unit == "km" and view.prefill == "5km 24:55"
    view = typed(b, "pull up assisted")
    assert view.prefill.startswith("bw-30x")  # last time's assistance (the reps may be the suggestion's)
    typed(b, "")
    assert [s[0] for s in saved(ws, b)] == [30]


def test_pending_timed_sets_are_sent_with_their_measures_and_never_twice(ws, book, monkeypatch):
    b = book()
    typed(b, "rowing")

    def saved_then_lost(self, *args, **kwargs):
        REAL_ADD_SET(self, *args, **kwargs)
        raise DatabaseUnavailableError("Lost the connection while saving.", maybe_saved=True)

    monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
    view = b.submit("2000m 7:30")
    assert view.pending == 1 and view.rows[0].info.distance_m == 2000
    view = b.submit("7:40")  # waits behind it, the distance from the set before
    assert view.pending == 2 and view.rows[1].info.duration_s == 460
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    view = b.resend()
    assert view.pending == 0
    assert saved(ws, b) == [(0, 1, 450, 2000, "m"), (0, 1, 460, 2000, "m")]


def test_a_custom_exercise_chooses_its_kind(ws, book):
    kinds = {name: ws.create_exercise(name, "core", equipment, kind=kind).kind for name, equipment, kind in [
        ("Hollow Hold", "bodyweight", "timed"), ("Bear Crawl", None, "distance"), ("Ring Dip", "bodyweight", "weighted"),
        ("Tuck Raise", "bodyweight", None), ("Cable Woodchop", "machine", ""),
    ]}
    assert kinds == {"Hollow Hold": ExerciseKind.TIME, "Bear Crawl": ExerciseKind.DISTANCE,
                     "Ring Dip": ExerciseKind.WEIGHTED, "Tuck Raise": ExerciseKind.REPS_ONLY,
                     "Cable Woodchop": ExerciseKind.WEIGHT_REPS}
    b = book()
    view = typed(b, "hollow hold", "45s")
    assert view.status.text == "Set 1 logged: 45 s."
    with pytest.raises(Exception) as refused:
        ws.create_exercise("Farmer Walk", "legs", kind="carry")
    assert refused.value.field == "kind"
    changed = ws.update_exercise(ws.search_exercises("bear crawl")[0].id, kind="time")
    assert changed.kind is ExerciseKind.TIME and ws.get_exercise(changed.id).kind is ExerciseKind.TIME
