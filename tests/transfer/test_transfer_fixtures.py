"""The real export files: counts checked against an independent count made here with csv."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from sqlalchemy import select

from overload_tui.domain.units import LB
from tests.transfer.helpers import db_counts, fixture_file


def _rows(name: str) -> list[dict[str, str]]:
    with fixture_file(name).open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return float(text) if text.strip() else 0.0


def count_strong() -> tuple[int, int, Counter]:
    sessions, sets, skipped = set(), 0, Counter()
    for r in _rows("strong_sample.csv"):
        if r["Set Order"] == "Rest Timer":
            skipped["rest_timer"] += 1
        elif _num(r["Reps"]) <= 0 and not (_num(r["Distance"]) or _num(r["Seconds"])):
            skipped["zero_reps"] += 1
        else:  # weight x reps, or a time or a distance (1 rep)
            sets += 1
            sessions.add((r["Date"], r["Workout Name"]))
    return len(sessions), sets, skipped


def count_hevy() -> tuple[int, int, Counter]:
    sessions, sets, skipped = set(), 0, Counter()
    for r in _rows("hevy_sample.csv"):
        if _num(r["reps"]) <= 0 and not (_num(r["duration_seconds"]) or _num(r["distance_km"])):
            skipped["zero_reps"] += 1
        else:
            sets += 1
            sessions.add((r["start_time"], r["title"]))
    return len(sessions), sets, skipped


def count_fitnotes() -> tuple[int, int, Counter]:
    sessions, sets, skipped = set(), 0, Counter()
    for r in _rows("fitnotes_sample.csv"):
        timed = _num(r["Distance"]) or any(c in "123456789" for c in r["Time"])
        if _num(r["Reps"]) <= 0 and not timed:
            skipped["zero_reps"] += 1
        else:
            sets += 1
            sessions.add(r["Date"])
    return len(sessions), sets, skipped


COUNTERS = {
    "strong_sample.csv": count_strong,
    "hevy_sample.csv": count_hevy,
    "fitnotes_sample.csv": count_fitnotes,
}


@pytest.mark.parametrize("name", list(COUNTERS))
def test_fixture_counts_match_an_independent_count(services, alice, transfer, name):
    sessions, sets, skipped = COUNTERS[name]()
    assert sets > 0
    report = transfer.import_file(fixture_file(name))
    assert report.written
    assert (report.workouts, report.sets) == (sessions, sets)
    assert {s.reason: s.count for s in report.skipped} == {k: v for k, v in skipped.items() if v}
    assert report.rows == len(_rows(name))
    assert not report.invalid
    counts = db_counts(services, alice.id)
    assert (counts["sessions"], counts["sets"]) == (sessions, sets)
    assert counts["entries"] == report.entries

    # The same file again adds nothing.
    again = transfer.import_file(fixture_file(name))
    assert (again.workouts, again.sets) == (0, 0)
    assert (again.duplicate_workouts, again.duplicate_sets) == (sessions, sets)
    assert db_counts(services, alice.id) == counts


def test_expected_totals_of_the_shipped_fixtures():
    # The figures the importer's report gives, pinned so a change in the samples is noticed.
    assert count_strong() == (15, 250, Counter())
    assert count_hevy() == (335, 7210, Counter({"zero_reps": 1}))  # 275 of the sets: Warm Up, 300 s
    assert count_fitnotes() == (141, 744, Counter({"zero_reps": 6}))


def test_hevy_set_types_notes_and_order(services, alice, transfer, ws):
    from overload_tui.db.models import ExerciseSession, Session, Set

    transfer.import_file(fixture_file("hevy_sample.csv"))
    kinds = Counter()
    for r in _rows("hevy_sample.csv"):
        if _num(r["reps"]) > 0 or _num(r["duration_seconds"]):
            kinds[{"normal": None, "warmup": "warmup", "dropset": "drop", "failure": "failure"}[r["set_type"]]] += 1
    with services.db.read() as s:
        stored = Counter(
            s.scalars(
                select(Set.set_type)
                .join(ExerciseSession, ExerciseSession.id == Set.exercise_session_id)
                .join(Session, Session.id == ExerciseSession.session_id)
                .where(Session.user_id == alice.id)
            )
        )
        notes = set(s.scalars(select(ExerciseSession.notes).where(ExerciseSession.notes.is_not(None))))
        first = s.scalar(select(Session).where(Session.user_id == alice.id).order_by(Session.date).limit(1))
        assert first.finished_at is not None and first.finished_at > first.date
    assert stored == kinds
    assert "All sets, lower big hole pressed against forehead" in notes
    assert any("Münster" in n for n in notes)

    # The first workout of the file (its newest): title as the session name, exercises in file order.
    rows = _rows("hevy_sample.csv")
    newest = ws.list_sessions(limit=1)[0]
    assert newest.name == rows[0]["title"]
    info = ws.get_session(newest.id)
    expected_names = list(dict.fromkeys(r["exercise_title"] for r in rows if r["start_time"] == rows[0]["start_time"]))
    assert [e.exercise.name for e in info.entries][:2] == ["Seated Leg Curl (Machine)", "Squat (Barbell)"]
    assert len(info.entries) == len([n for n in expected_names if n != "Warm Up"])
    first_sets = info.entries[0].sets
    assert [(st.weight, st.reps, st.set_type, st.rpe) for st in first_sets] == [
        (39.0, 10, "warmup", 6.0),
        (51.0, 6, "warmup", 6.0),
        (78.0, 12, None, 9.0),
        (78.0, 10, "failure", 9.5),
    ]
    assert all(st.unit == "kg" for st in first_sets)


def test_fitnotes_pounds_stay_pounds_and_dates_group_workouts(services, alice, transfer, ws):
    report = transfer.import_file(fixture_file("fitnotes_sample.csv"))
    assert report.unit_note == "weights in lbs, as the file says"
    oldest = ws.list_sessions(limit=1000)[-1]
    info = ws.get_session(oldest.id)
    assert oldest.date.isoformat() == "2022-09-14T00:00:00"
    assert info.name is None
    assert [e.exercise.name for e in info.entries] == ["Bench Press (Barbell)", "Bicep Curl (Dumbbell)"]
    sets = info.entries[0].sets[:3]
    assert [(st.amount, st.load_unit) for st in sets] == [(45, "lbs"), (65, "lbs"), (95, "lbs")]  # as the file has them
    assert [st.weight for st in sets] == [45 * LB, 65 * LB, 95 * LB]  # exact kg, for sums and comparisons
    assert len(info.entries[0].sets) == 8 and len(info.entries[1].sets) == 7


def test_strong_sample_names_durations_and_mapping(transfer, ws):
    report = transfer.import_file(fixture_file("strong_sample.csv"))
    mapping = {m.file_name: m for m in report.mappings}
    assert mapping["Leg Press"].target == "Leg Press (Machine)"
    assert mapping["Leg Press"].how == "catalogue (alias)"
    assert mapping["Bench Press (Barbell)"].how == "catalogue" if "Bench Press (Barbell)" in mapping else True
    assert sum(m.sets for m in report.mappings) == report.sets
    assert "does not say its unit" in report.unit_note
    oldest = ws.list_sessions(limit=100)[-1]
    assert (oldest.name, oldest.date.isoformat(), oldest.finished_at.isoformat()) == (
        "B",
        "2024-11-28T17:36:08",
        "2024-11-28T18:11:08",  # Duration 35m
    )
    assert oldest.exercise_names == ("Bent Over Row (Barbell)", "Bicep Curl (Barbell)", "Lat Pulldown (Machine)")
    assert ws.latest_unfinished() is None  # imported workouts are finished, not "in progress"
