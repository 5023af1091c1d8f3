"""What real exports hold besides sets: workouts left running, set orders of other languages,
dates in other languages. A workout-level oddity is a warning with its lines, never a refusal;
what cannot be read at all still refuses the file with its line."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from overload_tui.services.transfer import ImportFormatError, InvalidRowsError
from overload_tui.services.transfer.service import parse_bytes
from tests.transfer.helpers import db_counts, write

HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
LEFT_RUNNING = HEAD + (
    "2025-01-06 07:00:00,Push,168h 14m,Bench Press (Barbell),1,80,5,0,0,,,\n"  # 2
    "2025-01-06 07:00:00,Push,168h 14m,Bench Press (Barbell),2,80,5,0,0,,,\n"  # 3
    "2025-01-06 07:00:00,Push,168h 14m,Plank,1,0,0,0,60,,,\n"  # 4
    "2025-01-08 07:00:00,Pull,445h 20m,Deadlift (Barbell),1,140,3,0,0,,,\n"  # 5
    "2025-01-10 07:00:00,Legs,,Squat (Barbell),1,100,5,0,0,,,\n"  # 6
    "2025-01-10 07:00:00,Legs,,Squat (Barbell),2,100,5,0,0,,,\n"  # 7
    "2025-01-12 07:00:00,Arms,-300,Bicep Curl (Barbell),1,30,10,0,0,,,\n"  # 8
    "2025-01-14 07:00:00,Push,1297540,Bench Press (Barbell),1,82.5,5,0,0,,,\n"  # 9
    "2025-01-16 07:00:00,Push,52m,Bench Press (Barbell),1,85,5,0,0,,,\n"  # 10
)
REFUSED_ROW = "2025-01-16 07:00:00,Push,52m,Bench Press (Barbell),2,85,877777,0,0,,,\n"  # 11

WARNINGS = [
    "a Duration over 24 h (a workout left running) in the workouts starting at lines 2, 5, 9: "
    "kept with their dates, without a length",
    "no Duration in the workouts starting at line 6: kept with their dates, without a length",
    "a negative Duration in the workouts starting at line 8: kept with their dates, without a length",
]


def test_workouts_left_running_are_kept_with_a_warning_per_oddity(services, alice, transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "strong.csv", LEFT_RUNNING))
    assert (report.workouts, report.sets) == (6, 9)
    assert sorted(report.warnings) == sorted(WARNINGS)
    rendered = report.render()
    assert all(w in rendered for w in WARNINGS)
    sessions = ws.list_sessions(limit=None)
    lengths = {s.date: s.finished_at - s.date for s in sessions}
    assert lengths[datetime(2025, 1, 16, 7)] == timedelta(minutes=52)  # the believable one is kept
    assert all(v == timedelta(0) for d, v in lengths.items() if d != datetime(2025, 1, 16, 7))
    assert db_counts(services, alice.id)["sets"] == 9


def test_a_refused_row_still_needs_skip_invalid_beside_the_warnings(services, alice, transfer, tmp_path):
    path = write(tmp_path, "strong.csv", LEFT_RUNNING + REFUSED_ROW)
    with pytest.raises(InvalidRowsError) as info:
        transfer.import_file(path)
    assert [r.line for r in info.value.report.invalid] == [11]
    assert db_counts(services, alice.id)["sessions"] == 0
    report = transfer.import_file(path, skip_invalid=True)
    assert (report.workouts, report.sets, len(report.invalid)) == (6, 9, 1)
    assert sorted(report.warnings) == sorted(WARNINGS)


def test_a_duration_that_cannot_be_read_is_a_warning_too():
    text = HEAD + (
        "2025-01-06 07:00:00,Push,an hour,Bench Press (Barbell),1,80,5,0,0,,,\n"
        "2025-01-07 07:00:00,Push,1 ч 5 мин,Bench Press (Barbell),1,80,5,0,0,,,\n"
        "2025-01-08 07:00:00,Push,99999999999999,Bench Press (Barbell),1,80,5,0,0,,,\n"
    )
    out = parse_bytes(text.encode())
    assert [w.set_count for w in out.workouts] == [1, 1, 1]
    assert out.warnings == [
        "a Duration that cannot be read in the workouts starting at lines 2-3: kept with their dates, without a length",
        "a Duration over 24 h (a workout left running) in the workouts starting at line 4: "
        "kept with their dates, without a length",
    ]


def test_workout_number_layout_with_a_duration_in_seconds_of_weeks():
    text = (
        '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";'
        '"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
        '"1";"2021-03-14 10:12:00";"Push";"1297540";"Bench Press (Barbell)";"1";"60";"8";"";"";"";"";""\n'
        '"2";"2021-03-16 10:12:00";"Push";"3600";"Bench Press (Barbell)";"1";"60";"8";"";"";"";"";""\n'
    )
    out = parse_bytes(text.encode())
    assert out.warnings == [
        "a Duration (sec) over 24 h (a workout left running) in the workouts starting at line 2: "
        "kept with their dates, without a length"
    ]
    assert [w.finished_at - w.date for w in out.workouts] == [timedelta(0), timedelta(hours=1)]


HEVY_HEAD = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
    "weight_kg,reps,distance_km,duration_seconds,rpe\n"
)


def test_hevy_end_times_that_cannot_be_believed():
    text = HEVY_HEAD + (
        'A,"7 Apr 2026, 10:14","7 Apr 2026, 09:02",,Squat (Barbell),,,0,normal,100,5,,,\n'  # 2: before
        'A,"7 Apr 2026, 10:14","7 Apr 2026, 09:02",,Squat (Barbell),,,1,normal,100,5,,,\n'  # 3
        'B,"8 Apr 2026, 10:14","",,Squat (Barbell),,,0,normal,100,5,,,\n'  # 4: none
        'C,"9 Apr 2026, 10:14","12 Apr 2026, 10:00",,Squat (Barbell),,,0,normal,100,5,,,\n'  # 5: days
        'D,"13 Apr 2026, 10:14","13 Apr 2026, 11:00",,Squat (Barbell),,,0,normal,100,5,,,\n'  # 6: fine
    )
    out = parse_bytes(text.encode())
    assert sum(w.set_count for w in out.workouts) == 5
    assert sorted(out.warnings) == sorted([
        "an end_time before start_time in the workouts starting at line 2: kept with their dates, without a length",
        "no end_time in the workouts starting at line 4: kept with their dates, without a length",
        "an end_time over 24 h after start_time (a workout left running) in the workouts starting at line 5: "
        "kept with their dates, without a length",
    ])  # fmt: skip
    assert [(w.finished_at - w.date).total_seconds() for w in out.workouts] == [0, 0, 0, 46 * 60]


def test_set_order_words_of_other_languages():
    german = (
        "Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,"
        "Notizen,Workout-Notizen,RPE\n"
    )
    rows = (
        "2025-03-01 10:00:00,A,42min,Kniebeuge,Aufwärmen,60,5,0,0,,,\n"
        "2025-03-01 10:00:00,A,42min,Kniebeuge,1,100,5,0,0,,,\n"
        "2025-03-01 10:00:00,A,42min,Kniebeuge,Pausenuhr,0,0,0,90,,,\n"  # unknown, but a rest timer
        "2025-03-01 10:00:00,A,42min,Kniebeuge,Hinweis,0,0,0,0,Knie raus,,\n"  # unknown, but a note
        "2025-03-01 10:00:00,A,42min,Kniebeuge,Versagen,100,3,0,0,,,\n"
        "2025-03-01 10:00:00,A,42min,Kniebeuge,Dropsatz,80,6,0,0,,,\n"
    )
    out = parse_bytes((german + rows).encode())
    (entry,) = out.workouts[0].entries
    assert [st.set_type for st in entry.sets] == ["warmup", None, "failure", "drop"]
    assert entry.notes == "Knie raus"
    assert out.skipped == {"rest_timer": 1, "note": 1}
    with pytest.raises(ImportFormatError) as info:  # an unknown word on a row that lifted something
        parse_bytes((german + rows + "2025-03-01 10:00:00,A,42min,Kniebeuge,Superlativ,90,5,0,0,,,\n").encode())
    assert info.value.line == 8 and "unknown Set Order 'Superlativ'" in info.value.reason


def test_hevy_dates_stay_strict():
    good = 'A,"{date}","",,Squat (Barbell),,,0,normal,100,5,,,\n'
    for date, expected in (
        ("5 Mai 2026, 07:34", datetime(2026, 5, 5, 7, 34)),
        ("5 maio 2026, 07:34", datetime(2026, 5, 5, 7, 34)),
        ("12 März 2026, 18:00", datetime(2026, 3, 12, 18)),
        ("3 août 2026, 09:05", datetime(2026, 8, 3, 9, 5)),
        ("17 diciembre 2025, 19:45", datetime(2025, 12, 17, 19, 45)),
        ("Jun 11, 2026, 1:01 PM", datetime(2026, 6, 11, 13, 1)),
        ("Jun 11, 2026, 12:01\u202fAM", datetime(2026, 6, 11, 0, 1)),
    ):
        out = parse_bytes((HEVY_HEAD + good.format(date=date)).encode())
        assert out.workouts[0].date == expected, date
    for bad in ("31 Fev 2026, 10:00", "5 Foo 2026, 07:34", "Jun 11, 2026, 13:01 PM", "5/13/2026 10:00"):
        with pytest.raises(ImportFormatError) as info:
            parse_bytes((HEVY_HEAD + good.format(date="7 Apr 2026, 10:14") + good.format(date=bad)).encode())
        assert info.value.line == 3 and "cannot read the start_time" in info.value.reason, bad


def test_times_and_distances_the_app_refuses_are_listed_rows():
    text = HEAD + (
        "2025-01-06 07:00:00,Core,1h,Plank,1,0,0,0,60,,,\n"
        "2025-01-06 07:00:00,Core,1h,Plank,2,0,0,0,877777,,,\n"  # 3: ten days of plank
        "2025-01-06 07:00:00,Core,1h,Running,1,0,0,-5,1500,,,\n"  # 4
        "2025-01-06 07:00:00,Core,1h,Running,2,0,0,1500,0,,,\n"  # 5: 1,500 km
        "2025-01-06 07:00:00,Core,1h,Jump Rope,1,0,1000,0,0.2,,,\n"  # 6: 0.2 ms a rep
    )
    out = parse_bytes(text.encode())
    assert [(r.line, r.exercise) for r in out.invalid] == [(3, "Plank"), (4, "Running"), (5, "Running"), (6, "Jump Rope")]
    reasons = [r.reason for r in out.invalid]
    assert reasons == [
        "A set's time must be at most 24 h per rep (the file says 877777 s).",
        "A set's distance cannot be negative (the file says -5 km).",  # km: the unit that goes with kg
        "A set's distance must be at most 1,000 km per rep (the file says 1500 km).",
        "A set's time is too small to share over 1000 reps (the file says 0.2 s).",
    ]
    assert sum(w.set_count for w in out.workouts) == 1
