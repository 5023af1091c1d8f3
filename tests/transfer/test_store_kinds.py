"""Imports store every kind of set exactly: times, distances (per rep, with the unit they came in),
bodyweight loads; new custom exercises get their kind; sets that do not fit are kept and counted."""

from __future__ import annotations

import pytest
from overload_tui.domain.errors import ConflictError

from overload_tui.domain.enums import ExerciseKind
from tests.transfer.helpers import db_counts
from tests.transfer.kinds import (
    EVERY_KIND,
    NEW_KINDS,
    custom_def,
    custom_kinds,
    entry,
    every_kind_file,
    pset,
    stored_sets,
)


def test_every_kind_is_stored_exactly(services, alice, transfer):
    plan = transfer.plan_parsed(every_kind_file(), "everything.csv")
    r = plan.report
    assert (r.workouts, r.sets) == (1, 14)
    # timed: 2 planks, dead bug, dragon hold; distance: running, 2 rows, sled, carry; reps only:
    # push-ups and the pull-up with no added load
    assert (r.timed_sets, r.distance_sets, r.reps_only_sets, r.off_kind_sets) == (4, 5, 2, 0)
    kinds = {m.file_name: m.kind for m in r.mappings}
    assert kinds["Plank"] is ExerciseKind.TIME and kinds["Running"] is ExerciseKind.DISTANCE
    assert kinds["Pull Up (Assisted)"] is ExerciseKind.ASSISTED and kinds["Push Up"] is ExerciseKind.REPS_ONLY
    assert {m.file_name: m.kind.value for m in r.new_exercises} == NEW_KINDS

    report = transfer.commit_import(plan)
    assert report.written and report.timed_sets == 4
    assert stored_sets(services, alice.id) == EVERY_KIND
    assert custom_kinds(services, alice.id) == NEW_KINDS

    again = transfer.commit_import(transfer.plan_parsed(every_kind_file(), "everything.csv"))
    assert (again.workouts, again.duplicate_workouts, len(again.new_exercises)) == (0, 1, 0)
    assert stored_sets(services, alice.id) == EVERY_KIND


def test_a_set_that_does_not_fit_its_exercise_is_kept_and_counted(services, alice, transfer):
    parsed = every_kind_file()
    parsed.workouts[0].entries = [
        entry("Bench Press (Barbell)", pset(60, 1, duration_s=30.0), pset(100, 5)),  # a timed row on a lift
        entry("Plank", pset(0, 10)),  # a plank with reps and no time
        entry("Push Up", pset(20, 10)),  # a loaded reps-only move
        entry("Running", pset(0, 1, duration_s=600.0)),  # a run with a time and no distance
        entry("Pull Up (Weighted)", pset(0, 1, distance_m=5.0, distance_unit="m")),
    ]
    plan = transfer.plan_parsed(parsed, "odd.csv")
    assert plan.report.off_kind_sets == 5
    assert {m.file_name: m.off_kind for m in plan.report.mappings} == {
        "Bench Press (Barbell)": 1, "Plank": 1, "Push Up": 1, "Running": 1, "Pull Up (Weighted)": 1,
    }  # fmt: skip
    assert "5 sets do not measure what their exercise does" in plan.report.render()
    report = transfer.commit_import(plan)
    assert report.off_kind_sets == 5
    assert stored_sets(services, alice.id) == {
        "Bench Press (Barbell)": [(60.0, 1, 30.0, None, None), (100.0, 5, None, None, None)],
        "Plank": [(0.0, 10, None, None, None)],
        "Push Up": [(20.0, 10, None, None, None)],
        "Running": [(0.0, 1, 600.0, None, None)],
        "Pull Up (Weighted)": [(0.0, 1, None, 5.0, "m")],
    }


def test_a_backup_custom_exercise_keeps_its_kind_used_or_not(services, alice, transfer):
    parsed = every_kind_file("json")
    parsed.workouts[0].entries = [entry("L-Sit Hold", pset(0, 1, duration_s=20.0), custom=True)]
    parsed.custom_exercises = [
        custom_def("L-Sit Hold", ExerciseKind.TIME),
        custom_def("Ring Dip Negative", ExerciseKind.WEIGHTED),  # never logged
        custom_def("Band Pull Up", ExerciseKind.ASSISTED),
    ]
    report = transfer.commit_import(transfer.plan_parsed(parsed, "backup.json"))
    assert report.off_kind_sets == 0
    assert custom_kinds(services, alice.id) == {
        "L-Sit Hold": "time", "Ring Dip Negative": "weighted", "Band Pull Up": "assisted",
    }  # fmt: skip


def test_two_spellings_of_one_new_exercise_make_one_exercise_of_one_kind(services, alice, transfer):
    parsed = every_kind_file()
    parsed.workouts[0].entries = [
        entry("Yoke Walk", pset(150, 1, distance_m=20.0, distance_unit="m"), kind_hint=ExerciseKind.DISTANCE),
        entry("yoke  walk", pset(160, 1, distance_m=20.0, distance_unit="m")),
    ]
    transfer.commit_import(transfer.plan_parsed(parsed, "yoke.csv"))
    assert custom_kinds(services, alice.id) == {"Yoke Walk": "distance"}


def test_an_import_that_fails_while_writing_writes_nothing(services, alice, transfer):
    """All or nothing with the new columns too: a set the database refuses (a distance of 0 that
    got past a reader) undoes the custom exercises, workouts and sets written before it."""
    parsed = every_kind_file()
    parsed.workouts[0].entries.append(entry("Broken Carry", pset(0, 1, distance_m=0.0, distance_unit="m")))
    before = db_counts(services, alice.id)
    with pytest.raises(ConflictError):
        transfer.commit_import(transfer.plan_parsed(parsed, "broken.csv"))
    assert db_counts(services, alice.id) == before
    assert custom_kinds(services, alice.id) == {}
