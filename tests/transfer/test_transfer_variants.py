"""The export variants seen in the wild, as small synthetic files, on both databases."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from overload_tui.domain.units import to_kg
from tests.transfer.helpers import db_counts, write

WORKOUT_NO = (
    '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";'
    '"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
    '"1";"2021-03-14 10:12:00";"Push";"3900";"Bench Press (Barbell)";"WARM_UP";"40";"10";"";"";"";"";"Felt good"\n'
    '"1";"2021-03-14 10:12:00";"Push";"3900";"Bench Press (Barbell)";"1";"65.181223569";"8";"8.5";"";"";"Paused";"Felt good"\n'
    '"1";"2021-03-14 10:12:00";"Push";"3900";"Bench Press (Barbell)";"FAILURE";"65";"6";"";"";"";"";"Felt good"\n'
    '"1";"2021-03-14 10:12:00";"Push";"3900";"Plank";"1";"";"";"";"";"60";"";"Felt good"\n'
    '"2";"2021-03-16 09:00:00";"Legs";"1800";"Squat (Barbell)";"1";"100";"5";"";"";"";"";""\n'
)

LEGACY_LBS = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes\n"
    "2019-05-01 18:00:00;Evening;Deadlift (Barbell);1;225;lbs;5;;;;;;\n"
    "2019-05-01 18:00:00;Evening;Deadlift (Barbell);2;225,5;lbs;5;;;;;;\n"
    "2019-05-01 18:00:00;Evening;Running;1;;;;;5;km;1800;;\n"
    "2019-05-01 18:00:00;Evening;Bicep Curl (Dumbbell);1;20;kg;10;;;;;;\n"
)

HEVY_LBS = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
    '"set_index","set_type","weight_lbs","reps","distance_miles","duration_seconds","rpe"\n'
    '"Upper \U0001f525","7 Apr 2026, 10:14","7 Apr 2026, 11:02","Line one\nline two \U0001f4aa",'
    '"Bench Press (Barbell)",,"Note with ""quotes"", commas\nand a newline",0,"warmup",95,10,,,\n'
    '"Upper \U0001f525","7 Apr 2026, 10:14","7 Apr 2026, 11:02","Line one\nline two \U0001f4aa",'
    '"Bench Press (Barbell)",,"Note with ""quotes"", commas\nand a newline",1,"dropset",135,8,,,8\n'
    '"Upper \U0001f525","7 Apr 2026, 10:14","7 Apr 2026, 11:02","Line one\nline two \U0001f4aa",'
    '"Treadmill",,"",0,"normal",,,1.5,900,\n'
    '"Lower","5 Apr 2026, 09:00","5 Apr 2026, 10:00","","Squat (Barbell)",,"",0,"normal",225,5,,,\n'
)

FITNOTES_OLD = (
    "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time\n"
    "2015-01-02,Flat Barbell Bench Press,Chest,135.0,5,,,\n"
    "2015-01-02,Treadmill,Cardio,,,2.0,mi,0:20:00\n"
    "2015-01-02,Mystery Overhead Move,Shoulders,20.0,12,,,\n"
    "2015-01-02,Rope Thing,Triceps,30,12,,,\n"
    "2015-01-02,Zork Frobnication,Other,10,10,,,\n"
    "2015-01-03,Plank,Abs,,,,,0:01:00\n"
    "2015-01-03,Seal Row Deluxe,,50,10,,,\n"
)

STRONG_CURRENT = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Squat (Barbell),W,60,5,0,0,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Squat (Barbell),1,100,5,0,0,Deep,Leg day,8\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Squat (Barbell),Rest Timer,0,0,0,90,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Squat (Barbell),D,80,8,0,0,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Plank,1,0,0,0,60,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Leg Press,1,0,0,0,0,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Pull Up,1,,8,0,0,,Leg day,\n"
    "2024-01-01 08:00:00,Morning,1h 5m,Squat (Barbell),F,100,3,0,0,,Leg day,\n"
)


def _only_session(ws):
    sessions = ws.list_sessions()
    return [ws.get_session(s.id) for s in reversed(sessions)]


def test_strong_workout_number_semicolon_variant(services, alice, transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "strong.csv", WORKOUT_NO))
    assert report.variant == 'Strong, "Workout #" export, semicolon-delimited'
    assert (report.workouts, report.sets, report.skipped_rows) == (2, 5, 0)  # the plank: 1 rep of 60 s
    push, legs = _only_session(ws)
    assert [e.exercise.name for e in push.entries] == ["Bench Press (Barbell)", "Plank"]
    assert (push.name, push.notes, push.date) == ("Push", "Felt good", datetime(2021, 3, 14, 10, 12))
    assert push.finished_at == datetime(2021, 3, 14, 11, 17)  # 3900 s
    bench = push.entries[0]
    assert bench.notes == "Paused"
    assert [(s.weight, s.reps, s.set_type, s.rpe) for s in bench.sets] == [
        (40.0, 10, "warmup", None),
        (65.181, 8, None, 8.5),  # float artefact kept to the gram
        (65.0, 6, "failure", None),
    ]
    assert legs.name == "Legs" and legs.entries[0].sets[0].weight == 100.0


def test_strong_legacy_semicolon_with_pounds(transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "legacy.csv", LEGACY_LBS))
    assert report.variant == "Strong, legacy export with Weight Unit, semicolon-delimited"
    assert "2 rows in kg and 2 in lbs: each set kept in its own unit" in report.unit_note
    assert (report.workouts, report.sets, report.skipped_rows) == (1, 4, 0)  # the run: 1 rep of 5 km
    (session,) = _only_session(ws)
    deadlift, run, curl = session.entries
    assert run.exercise.name == "Running" and run.sets[0].weight == 0.0
    assert [(s.amount, s.load_unit) for s in deadlift.sets] == [(225, "lbs"), (225.5, "lbs")]  # as the file has them
    assert [s.weight for s in deadlift.sets] == [to_kg(225, "lbs"), to_kg(225.5, "lbs")]  # exact kg, not grams
    assert (curl.sets[0].amount, curl.sets[0].load_unit, curl.sets[0].display_unit) == (20.0, "kg", None)


def test_hevy_pounds_multiline_fields_and_emoji(transfer, ws, tmp_path):
    path = write(tmp_path, "hevy.csv", HEVY_LBS + '"Lower","5 Apr 2026, 09:00","","","Squat (Barbell)",,"",1,"normal",225,877777,,,\n')
    report = transfer.plan_import(path).report
    assert report.variant == "Hevy, lbs account, comma-delimited"
    # Quoted fields hold newlines (rows 1-3 take 3, 3 and 2 lines): the refused row is on line 11.
    assert [(r.line, r.exercise) for r in report.invalid] == [(11, "Squat (Barbell)")]
    assert "877777" in report.invalid[0].reason
    report = transfer.import_file(path, skip_invalid=True)
    assert (report.workouts, report.sets, report.skipped_rows) == (2, 4, 0)  # the treadmill: 1 rep of 1.5 mi
    lower, upper = _only_session(ws)
    assert upper.name == "Upper \U0001f525"
    assert upper.notes == "Line one\nline two \U0001f4aa"
    assert upper.finished_at == datetime(2026, 4, 7, 11, 2)
    bench, treadmill = upper.entries
    assert treadmill.exercise.name == "Running (Treadmill)" and treadmill.sets[0].reps == 1
    assert bench.notes == 'Note with "quotes", commas\nand a newline'
    assert [(s.amount, s.load_unit, s.reps, s.set_type, s.rpe) for s in bench.sets] == [
        (95, "lbs", 10, "warmup", None),
        (135, "lbs", 8, "drop", 8.0),
    ]
    assert lower.entries[0].sets[0].amount == 225 and lower.entries[0].sets[0].weight == to_kg(225, "lbs")


def test_fitnotes_older_header_categories_and_custom_exercises(services, alice, transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "fitnotes.csv", FITNOTES_OLD))
    assert report.variant == "FitNotes, older export (unit in the header), comma-delimited"
    assert not report.skipped  # the treadmill (Cardio) and the plank (a time) are sets now
    assert (report.workouts, report.sets) == (2, 7)
    new = {m.file_name: m for m in report.new_exercises}
    assert new["Mystery Overhead Move"].category == "shoulders"
    assert new["Mystery Overhead Move"].note == "from the file's category Shoulders"
    assert new["Rope Thing"].category == "arms"
    assert new["Zork Frobnication"].category == "core"  # "Other" says nothing, no guess: the default
    assert new["Zork Frobnication"].note == "by default, the file's category Other says nothing: change it in the app"
    assert new["Seal Row Deluxe"].note == "guessed from the name"
    assert new["Seal Row Deluxe"].category == "back"  # guessed from the name
    assert {m.file_name: m.target for m in report.mappings}["Flat Barbell Bench Press"] == "Bench Press (Barbell)"
    custom = [e for e in ws.search_exercises(limit=None) if e.custom]
    assert sorted(e.name for e in custom) == sorted(new)
    assert db_counts(services, alice.id)["custom"] == 4
    first, _ = _only_session(ws)
    assert (first.entries[0].sets[0].amount, first.entries[0].sets[0].load_unit) == (135, "lbs")

    # Again: nothing new, and the custom exercises are reused rather than duplicated.
    again = transfer.import_file(write(tmp_path, "fitnotes.csv", FITNOTES_OLD))
    assert again.workouts == 0 and not again.new_exercises
    assert db_counts(services, alice.id)["custom"] == 4


def test_fitnotes_custom_exercise_reused_by_a_later_file(services, alice, transfer, ws, tmp_path):
    transfer.import_file(write(tmp_path, "a.csv", FITNOTES_OLD))
    later = FITNOTES_OLD.replace("2015-01-0", "2016-01-0").replace("Rope Thing", "rope-thing")
    report = transfer.import_file(write(tmp_path, "b.csv", later))
    mapping = {m.file_name: m for m in report.mappings}
    assert mapping["rope-thing"].how == "your exercise" and mapping["rope-thing"].target == "Rope Thing"
    assert db_counts(services, alice.id)["custom"] == 4


def test_strong_current_markers_rest_timer_and_skips(transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "strong.csv", STRONG_CURRENT))
    assert report.variant == "Strong, current export, comma-delimited"
    assert {s.reason: s.count for s in report.skipped} == {"rest_timer": 1, "zero_reps": 1}
    (session,) = _only_session(ws)
    assert session.finished_at == datetime(2024, 1, 1, 9, 5)
    assert session.notes == "Leg day"
    squat, plank, pullup, squat_again = session.entries
    assert (plank.exercise.name, [(s.weight, s.reps) for s in plank.sets]) == ("Plank", [(0.0, 1)])
    assert [(s.weight, s.reps, s.set_type) for s in squat.sets] == [
        (60.0, 5, "warmup"),
        (100.0, 5, None),
        (80.0, 8, "drop"),
    ]
    assert squat.notes == "Deep"
    assert (pullup.exercise.name, pullup.sets[0].weight, pullup.sets[0].reps) == ("Pull Up", 0.0, 8)
    assert squat_again.sets[0].set_type == "failure"


def test_unit_option_for_strong_current(transfer, ws, tmp_path):
    report = transfer.import_file(write(tmp_path, "strong.csv", STRONG_CURRENT), unit="lbs")
    assert report.unit_note.startswith("weights read as lbs, as --unit says")
    (session,) = _only_session(ws)
    assert (session.entries[0].sets[1].amount, session.entries[0].sets[1].load_unit) == (100, "lbs")


def test_unit_option_does_not_override_a_file_that_says(transfer, tmp_path):
    report = transfer.plan_import(write(tmp_path, "legacy.csv", LEGACY_LBS), unit="kg").report
    assert any("--unit kg was not used" in w for w in report.warnings)


def test_format_option_forces_the_reader(transfer, tmp_path):
    from overload_tui.services.transfer import ImportFormatError

    path = write(tmp_path, "strong.csv", STRONG_CURRENT)
    assert transfer.plan_import(path, fmt="strong").report.format == "strong"
    with pytest.raises(ImportFormatError) as info:
        transfer.plan_import(path, fmt="hevy")
    assert info.value.line == 1 and "not a Hevy export" in str(info.value)


BAD_VALUES = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),1,100,5,0,0,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),2,100,877777,0,0,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),3,2000,5,0,0,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),4,100,5,0,0,,,11\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),5,-2000,5,0,0,,,\n"
    "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),6,100,4.5,0,0,,,\n"
    "2024-01-02 08:00:00,Other,1h,Squat (Barbell),1,100,5,0,0,,,\n"
)


def test_values_the_app_refuses_stop_the_import_unless_skipped(services, alice, transfer, tmp_path):
    from overload_tui.services.transfer import InvalidRowsError

    path = write(tmp_path, "bad.csv", BAD_VALUES)
    with pytest.raises(InvalidRowsError) as info:
        transfer.import_file(path)
    message = str(info.value)
    assert "--skip-invalid" in message and "nothing was imported" in message
    assert "line 3, line 4, line 5, line 6, line 7" in message
    assert [r.line for r in info.value.report.invalid] == [3, 4, 5, 6, 7]
    assert "Reps must be at most 1000" in info.value.report.invalid[0].reason
    assert "Weight must be at most 1000 kg" in info.value.report.invalid[1].reason
    assert db_counts(services, alice.id)["sessions"] == 0

    report = transfer.import_file(path, skip_invalid=True)
    assert (report.workouts, report.sets, len(report.invalid)) == (2, 2, 5)
    assert "left out (--skip-invalid)" in report.render()
    assert db_counts(services, alice.id)["sets"] == 2


def test_dry_run_writes_nothing(services, alice, transfer, tmp_path):
    report = transfer.import_file(write(tmp_path, "strong.csv", STRONG_CURRENT), dry_run=True)
    assert report.dry_run and not report.written and report.sets == 6
    assert "Dry run: nothing was written." in report.render()
    assert db_counts(services, alice.id) == {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


def test_plan_then_commit_with_progress(services, alice, transfer, tmp_path):
    plan = transfer.plan_import(write(tmp_path, "hevy.csv", HEVY_LBS))
    assert plan.can_commit and not plan.report.written
    calls = []
    report = transfer.commit_import(plan, on_progress=lambda done, total: calls.append((done, total)))
    assert report.written and calls[0] == (0, 4) and calls[-1] == (4, 4)
    # The plan is stale now; committing it again adds nothing (re-checked in the transaction).
    assert transfer.commit_import(plan).workouts == 0
    assert db_counts(services, alice.id)["sets"] == 4


def test_imports_are_per_user(services, alice, bob, transfer, bob_transfer, tmp_path):
    path = write(tmp_path, "fitnotes.csv", FITNOTES_OLD)
    transfer.import_file(path)
    report = bob_transfer.import_file(path)
    assert report.workouts == 2 and len(report.new_exercises) == 4  # bob gets his own
    assert db_counts(services, bob.id)["custom"] == 4
    from overload_tui.db.models import Session

    with services.db.read() as s:
        keys = s.execute(select(Session.user_id, Session.source_key)).all()
    assert len(keys) == 4 and all(k.startswith("fitnotes:") for _, k in keys)
