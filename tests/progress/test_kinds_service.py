"""ProgressService for every kind of set (issue 15), on both databases: records, new-record
checks, session marks, best sets, series, suggestions and weekly volume of timed, distance,
reps-only, weighted and assisted exercises, with body weight from the log."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event

from overload_tui import clock
from overload_tui.domain.enums import Category, ExerciseKind
from overload_tui.domain.records import RecordKind as K
from overload_tui.services.progress import describe_new_records


def ex(ws, name):
    found = next(e for e in ws.search_exercises(name) if e.name == name)
    return found


def log(ws, exercise_id, when, *sets):
    """A workout at ``when`` with ``sets`` (dicts of add_set's arguments); (session id, set ids)."""
    sess = ws.start_session(when)
    entry = ws.add_entry(exercise_id, session_id=sess.id)
    return sess.id, [ws.add_set(entry.id, **s).id for s in sets]


def d(day):
    return datetime(2026, 11, day, 18, 0)


def hold(seconds, weight=0, reps=1):
    return {"weight": weight, "reps": reps, "duration_s": seconds}


def run(metres, seconds=None, reps=1, unit="m"):
    return {"weight": 0, "reps": reps, "distance_m": metres, "duration_s": seconds, "distance_unit": unit}


def lift(weight, reps, **more):
    return {"weight": weight, "reps": reps, **more}


def count(services, fn):
    statements = []

    def listener(conn, cursor, statement, *rest):
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    return result, len(statements)


@pytest.fixture
def ws(services, alice):
    return services.workouts(alice.id)


@pytest.fixture
def progress(services, alice):
    return services.progress(alice.id)


def test_timed_hold(services, ws, progress):
    plank = ex(ws, "Plank")
    assert plank.kind is ExerciseKind.TIME
    log(ws, plank.id, d(1), hold(45), hold(60))
    sid, (a, b, c) = log(ws, plank.id, d(3), hold(50), hold(65), hold(65))
    assert [progress.check_new_records(sid, i) for i in (a, b, c)] == [[], [K.LONGEST_HOLD], []]
    kinds, n = count(services, lambda: progress.check_new_records(sid, b))
    assert n <= 4
    assert describe_new_records(kinds) == "New record: longest hold"
    assert progress.session_records(sid) == {b: (K.LONGEST_HOLD,)}
    records = progress.records(plank.id)
    assert records.kind is ExerciseKind.TIME and records.units == ()
    assert records.measure(K.LONGEST_HOLD).value == 65 and records.measure(K.LONGEST_HOLD).set_id == b
    series = progress.progress_series(plank.id)
    assert [(p.longest_s, p.total_s, p.sets) for p in series] == [(60, 105, 2), (65, 180, 3)]
    assert [b.e1rm for b in progress.best_sets(plank.id, n=2)] == [65, 60]
    s = progress.suggestion(plank.id)
    assert (s.kind, s.duration_s, s.weight, s.reps, s.sets) == (ExerciseKind.TIME, 70, 0, 1, 3)
    assert s.reason == "Longest hold 1:05: aim for 1:10"


def test_distance_pace_and_length(ws, progress):
    running = ex(ws, "Running")
    assert running.kind is ExerciseKind.DISTANCE
    log(ws, running.id, d(1), run(5000, 1500, unit="km"))
    sid, (faster, longer, slower) = log(
        ws, running.id, d(4), run(5000, 1450, unit="km"), run(8000, 2800, unit="km"), run(400, 100, reps=8)
    )
    marks = progress.session_records(sid)
    assert marks == {faster: (K.BEST_PACE,), longer: (K.LONGEST_DISTANCE,)}
    records = progress.records(running.id)
    assert records.measure(K.LONGEST_DISTANCE).value == 8000
    assert [(r.distance_m, r.value) for r in records.pace_at] == [(8000, 350), (5000, 290), (400, 250)]
    assert records.pace_at[1].distance_unit == "km"
    series = progress.progress_series(running.id)
    assert [(p.longest_m, p.total_m, p.best_pace) for p in series] == [(5000, 5000, 300), (8000, 16200, 250)]
    s = progress.suggestion(running.id)
    assert (s.distance_m, s.duration_s, s.distance_unit) == (8000, 2792, "km")
    assert s.reason.startswith("Beat 46:40 for 8 km: 46:32")


def test_reps_only(ws, progress):
    push = ex(ws, "Push Up")
    assert push.kind is ExerciseKind.REPS_ONLY
    log(ws, push.id, d(1), lift(0, 20), lift(0, 15))
    sid, (a, b) = log(ws, push.id, d(2), lift(0, 21), lift(0, 25))
    assert [progress.check_new_records(sid, i) for i in (a, b)] == [[K.MOST_REPS], [K.MOST_REPS]]
    assert progress.records(push.id).measure(K.MOST_REPS).value == 25
    assert [p.most_reps for p in progress.progress_series(push.id)] == [20, 25]
    s = progress.suggestion(push.id)
    assert (s.weight, s.reps, s.sets, s.reason) == (0, 26, 2, "Best set 25 reps: aim for 26")


def test_weighted_uses_the_body_weight_of_the_day(services, alice, ws, progress):
    dip = ex(ws, "Triceps Dip")
    assert dip.kind is ExerciseKind.WEIGHTED
    log(ws, dip.id, d(1), lift(20, 8))
    sid, (a,) = log(ws, dip.id, d(5), lift(15, 8))
    # Without a body weight: no effective load is invented; the added load still counts.
    records = progress.records(dip.id)
    assert records.units == () and records.without_body_weight == 2
    assert records.measure(K.HEAVIEST_ADDED).value == 20
    assert progress.best_sets(dip.id) == []
    assert [p.body_weight for p in progress.progress_series(dip.id)] == [None, None]
    assert progress.check_new_records(sid, a) == []

    body = services.body(alice.id)
    body.log(80, on=date(2026, 11, 1))
    body.log(90, on=date(2026, 11, 4))  # 90 + 15 beats 80 + 20
    assert progress.check_new_records(sid, a) == [K.HEAVIEST, K.E1RM, K.SESSION_VOLUME]
    kg = progress.records(dip.id).for_unit("kg")
    assert (kg.heaviest.value, kg.heaviest.body_weight, kg.heaviest.set_id) == (105, 90, a)
    series = progress.progress_series(dip.id)
    assert [(p.heaviest, p.added, p.body_weight, p.volume) for p in series] == [
        (100, 20, 80, 800), (105, 15, 90, 840),
    ]
    assert [b.record.set_id for b in progress.best_sets(dip.id)] == [a, a - 1]
    s = progress.suggestion(dip.id)
    assert (s.weight, s.reps) == (15, 9)


def test_assisted_least_help(services, alice, ws, progress):
    pull = ex(ws, "Pull Up (Assisted)")
    assert pull.kind is ExerciseKind.ASSISTED
    services.body(alice.id).log(80, on=date(2026, 11, 1))
    log(ws, pull.id, d(1), lift(30, 12, unit="kg"), lift(30, 12, unit="kg"), lift(4, 12, unit="stacks"))
    sid, (a,) = log(ws, pull.id, d(3), lift(25, 8, unit="kg"))
    assert progress.check_new_records(sid, a) == [K.HEAVIEST, K.LEAST_ASSISTANCE]
    assert progress.records(pull.id).measure(K.LEAST_ASSISTANCE).value == 25
    assert [p.heaviest for p in progress.progress_series(pull.id)] == [50, 55]
    assert [p.heaviest for p in progress.progress_series(pull.id, unit="stacks")] == [0]  # no kg in a pin
    s = progress.suggestion(pull.id)
    assert (s.kind, s.weight, s.reps) == (ExerciseKind.ASSISTED, 25, 9)
    assert s.reason == "Aim for 9+ reps with 25 kg help"


def test_weight_reps_statements_are_unchanged(services, ws, progress):
    squat = ex(ws, "Squat (Barbell)")
    sid, (a,) = log(ws, squat.id, d(1), lift(100, 5))
    assert count(services, lambda: progress.records(squat.id))[1] == 2
    assert count(services, lambda: progress.progress_series(squat.id))[1] == 2
    assert count(services, lambda: progress.check_new_records(sid, a))[1] <= 4


def test_weekly_volume_counts_every_kind(services, alice, ws, progress, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 13, 20, 0))  # a Friday
    log(ws, ex(ws, "Plank").id, d(10), hold(60), hold(60))
    log(ws, ex(ws, "Push Up").id, d(10), lift(0, 20))
    log(ws, ex(ws, "Triceps Dip").id, d(11), lift(20, 10))
    log(ws, ex(ws, "Running").id, d(12), run(5000, 1500))
    week = progress.weekly_volume()
    assert (week[Category.CORE].sets, week[Category.CORE].tonnage_kg) == (2, 0)
    assert (week[Category.CHEST].sets, week[Category.CHEST].tonnage_kg) == (1, 0)
    arms = week[Category.ARMS]
    assert (arms.sets, arms.tonnage_kg, arms.without_body_weight) == (1, 0, 1)
    assert week[Category.LEGS].sets == 1

    services.body(alice.id).log(80, on=date(2026, 11, 12))  # the day after: the earliest after
    arms = progress.weekly_volume()[Category.ARMS]
    assert (arms.sets, arms.tonnage_kg, arms.without_body_weight) == (1, 1000, 0)
