"""Records, best sets, suggestions and volume for every kind of set (issue 15): pure rules."""

from datetime import datetime, timedelta

import pytest

from overload_tui.domain.enums import Category, ExerciseKind as X, Unit
from overload_tui.domain.progression import LoggedSet, TargetSet, suggest_next
from overload_tui.domain.records import RecordKind as K, SetRecord, kind_best_sets, kind_records, new_kind_records
from overload_tui.domain.volume import VolumeSummary, set_tonnage, weekly_volume_by_category

D0 = datetime(2026, 1, 5, 18, 0)


def s(session, weight=0.0, reps=1, *, hold=None, metres=None, unit="m", bw=None, set_id=None, kg=Unit.KG):
    return SetRecord(session, D0 + timedelta(days=session), weight, reps, kg, set_id, hold, metres,
                     unit if metres else None, bw)


def test_time_records_and_new_ones():
    history = [s(1, hold=45), s(1, hold=60), s(2, hold=60)]
    rec = kind_records(X.TIME, history)
    assert rec.units == () and rec.measure(K.LONGEST_HOLD).value == 60
    assert rec.measure(K.LONGEST_HOLD).session_id == 1  # a tie stays with the first
    assert new_kind_records(X.TIME, history, s(3, hold=61)) == [K.LONGEST_HOLD]
    assert new_kind_records(X.TIME, history, s(3, hold=60)) == []
    assert new_kind_records(X.TIME, history, s(3, hold=70), [s(3, hold=75)]) == []  # beaten earlier today
    assert new_kind_records(X.TIME, [], s(3, hold=70)) == []  # the first session announces nothing


def test_distance_records_pace_at_the_same_distance_only():
    history = [s(1, metres=5000, hold=1500), s(2, metres=400, hold=80, reps=8)]
    rec = kind_records(X.DISTANCE, history)
    assert rec.measure(K.LONGEST_DISTANCE).value == 5000
    assert [(r.distance_m, r.value) for r in rec.pace_at] == [(5000, 300), (400, 200)]
    # A 5 km faster than before: its pace; a faster 1 km run has no earlier 1 km to beat.
    assert new_kind_records(X.DISTANCE, history, s(3, metres=5000, hold=1490)) == [K.BEST_PACE]
    assert new_kind_records(X.DISTANCE, history, s(3, metres=1000, hold=200)) == []
    assert new_kind_records(X.DISTANCE, history, s(3, metres=10000)) == [K.LONGEST_DISTANCE]
    best = kind_best_sets(X.DISTANCE, history + [s(3, metres=5000, hold=1400)], n=2)
    assert [(b.record.session_id, b.e1rm) for b in best] == [(3, 5000), (1, 5000)]  # ties: the faster


def test_reps_only_records():
    history = [s(1, reps=20), s(2, reps=22)]
    assert kind_records(X.REPS_ONLY, history).measure(K.MOST_REPS).value == 22
    assert new_kind_records(X.REPS_ONLY, history, s(3, reps=23)) == [K.MOST_REPS]
    assert [b.e1rm for b in kind_best_sets(X.REPS_ONLY, history)] == [22, 20]


def test_weighted_records_use_body_weight_plus_the_load():
    history = [s(1, 20, 8, bw=80), s(2, 25, 5, bw=None)]
    rec = kind_records(X.WEIGHTED, history)
    assert rec.without_body_weight == 1
    kg = rec.for_unit(Unit.KG)
    assert (kg.heaviest.value, kg.heaviest.body_weight) == (100, 80)
    assert rec.measure(K.HEAVIEST_ADDED).value == 25  # counted whatever the body weight
    # 85 + 20 is heavier than 80 + 20 although the added load is the same.
    assert new_kind_records(X.WEIGHTED, history, s(3, 20, 8, bw=85)) == [K.HEAVIEST, K.E1RM, K.SESSION_VOLUME]
    assert new_kind_records(X.WEIGHTED, history, s(3, 30, 1, bw=None)) == [K.HEAVIEST_ADDED]
    assert [b.e1rm for b in kind_best_sets(X.WEIGHTED, history)] == [pytest.approx(100 * (1 + 8 / 30))]


def test_assisted_records_least_help():
    history = [s(1, 30, 10, bw=80), s(2, 6, 10, bw=80, kg=Unit.STACKS)]
    rec = kind_records(X.ASSISTED, [history[0]])
    assert rec.for_unit(Unit.KG).heaviest.value == 50
    assert rec.measure(K.LEAST_ASSISTANCE).value == 30
    # Less help in kg is a record; a pin's help has no kg and compares with pins only.
    assert new_kind_records(X.ASSISTED, history, s(3, 25, 5, bw=80)) == [K.HEAVIEST, K.LEAST_ASSISTANCE]
    assert new_kind_records(X.ASSISTED, history, s(3, 5, 5, bw=80, kg=Unit.STACKS)) == [K.LEAST_ASSISTANCE]


def logged(weight=0.0, reps=1, **more):
    return LoggedSet(weight, reps, Unit.KG, **more)


def test_suggestions_per_kind():
    hold = suggest_next([[logged(duration_s=40)], [logged(duration_s=58), logged(duration_s=62)]], None, kind=X.TIME)
    assert (hold.duration_s, hold.weight, hold.sets, hold.reason) == (65, 0, 2, "Longest hold 1:02: aim for 1:05")
    assert suggest_next([[logged(duration_s=150)]], None, kind=X.TIME).duration_s == 165  # 15 s steps from 2 min

    reps = suggest_next([[logged(0, 20), logged(0, 18)]], "bodyweight", kind=X.REPS_ONLY)
    assert (reps.weight, reps.reps, reps.sets, reps.duration_s) == (0, 21, 2, None)
    first = suggest_next([], "bodyweight", targets=[TargetSet(15)], kind=X.REPS_ONLY)
    assert (first.weight, first.reps, first.kind) == (0, 15, X.REPS_ONLY)
    assert suggest_next([], None, kind=X.TIME) is None

    run = [logged(distance_m=5000, duration_s=1500, distance_unit="km")]
    beat = suggest_next([run], None, kind=X.DISTANCE)
    assert (beat.distance_m, beat.duration_s, beat.distance_unit, beat.weight) == (5000, 1495, "km", 0)
    assert beat.reason == "Beat 25:00 for 5 km: 24:55 (4:59/km)"
    slower = suggest_next([run, [logged(distance_m=5000, duration_s=1560, distance_unit="km")]], None, kind=X.DISTANCE)
    assert (slower.duration_s, slower.reason) == (1500, "Repeat your best: 25:00 for 5 km")
    untimed = suggest_next([[logged(distance_m=3000)]], None, kind=X.DISTANCE)
    assert untimed.duration_s is None and untimed.reason.startswith("Repeat 3000 m")

    done = [logged(10, 12), logged(10, 12)]
    heavier = suggest_next([done], "bodyweight", kind=X.WEIGHTED)  # no increment for bodyweight: a plate
    assert (heavier.weight, heavier.reps) == (12.5, 8)
    help_ = suggest_next([[logged(30, 12), logged(30, 12)]], "machine", kind=X.ASSISTED)
    assert (help_.weight, help_.reps, help_.kind) == (27.5, 8, X.ASSISTED)
    assert help_.reason == "All sets hit 12: 2.5 kg less help, 8 reps"
    unassisted = suggest_next([[logged(0, 12)]], "machine", kind=X.ASSISTED)
    assert (unassisted.weight, unassisted.reps) == (0, 13)


def test_volume_counts_every_kind_and_loads_only_where_known():
    rows = [
        (Category.CHEST, 100, 5, Unit.KG),                          # weight x reps
        (Category.CHEST, 0, 20, Unit.KG, X.REPS_ONLY, 80),          # push-ups: no load
        (Category.ARMS, 20, 10, Unit.KG, X.WEIGHTED, 80),           # (80 + 20) x 10
        (Category.ARMS, 30, 10, Unit.KG, X.ASSISTED, 80),           # (80 - 30) x 10
        (Category.ARMS, 20, 10, Unit.KG, X.WEIGHTED, None),         # no body weight: a set, no tonnage
        (Category.CORE, 10, 1, Unit.KG, X.TIME, 80),                # a hold: no tonnage
        (Category.LEGS, 100, 1, Unit.KG, X.DISTANCE, 80),           # a sled: no tonnage
    ]
    result = weekly_volume_by_category(rows)
    assert result[Category.CHEST] == VolumeSummary(2, 500.0)
    assert result[Category.ARMS] == VolumeSummary(3, 1500.0, without_body_weight=1)
    assert result[Category.CORE] == VolumeSummary(1, 0.0) and result[Category.LEGS] == VolumeSummary(1, 0.0)
    assert set_tonnage(X.WEIGHTED, 20, 10, Unit.STACKS, 80) == 0.0
    assert set_tonnage(X.ASSISTED, 100, 5, Unit.KG, 80) == 0.0  # help past the body weight: nothing lifted
