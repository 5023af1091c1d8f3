"""Version 4 of the JSON backup: programs, workouts from program days, template exercises' own
progression rules, per-exercise rules and warm-ups, planned rows skipped; all restored exactly
(ids aside) into another account, on SQLite and PostgreSQL. Version 3 files still restore;
malformed new fields are refused at their place."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from overload_tui.db.models import Exercise, ExerciseSession, Program, Session, UserSetting
from overload_tui.services.plan import PlanService
from overload_tui.services.programs import ProgramService
from overload_tui.services.progress import ProgressService
from overload_tui.services.transfer import ImportFormatError
from overload_tui.services.transfer.errors import InvalidRowsError
from tests.transfer.test_transfer_roundtrip import _comparable

MAXES = {"Squat": 100, "Bench": 70, "Row": 60, "Press": 45, "Deadlift": 120}


def _exercise_id(ws, name: str) -> int:
    return next(e.id for e in ws.search_exercises(name) if e.name == name)


def _alice_with_a_program(services, alice, ws) -> dict:
    """A started StrongLifts, one day logged and recorded (its state moved on), a second day
    started with a row skipped; a template exercise with its own rule, an exercise rule, and
    warm-ups off for two exercises (one of them custom, one never logged)."""
    ps = ProgramService(services.db, alice.id)
    ps.save(ps.source("StrongLifts 5x5").replace("program: StrongLifts 5x5", "program: My Old 5x5"))
    ps.start("StrongLifts 5x5", MAXES, on=date(2026, 11, 2))
    day1 = ps.start_day(datetime(2026, 11, 2, 18, 0))
    for entry, plan in zip(day1.entries, ps.planned(day1.id), strict=True):
        for st in plan.sets:
            ws.add_set(entry.id, st.weight, st.reps)
    ws.finish_session(day1.id)
    ps.record(day1.id)
    day2 = ps.start_day(datetime(2026, 11, 4, 18, 0))
    PlanService(services.db, alice.id).set_skipped(day2.id, day2.entries[1].id, frozenset({0, 3}))

    sled = ws.create_exercise("Prowler Shove", "legs", "machine")
    tpl = ws.create_template("Arms")
    curl = _exercise_id(ws, "Bicep Curl (Dumbbell)")
    ws.add_set(ws.add_entry(curl, template_id=tpl.id).id, 12, 10)
    ws.add_entry(sled.id, template_id=tpl.id)
    progress = ProgressService(services.db, alice.id)
    progress.set_rule(curl, "double 8-12", template_id=tpl.id)
    progress.set_rule(_exercise_id(ws, "Squat (Barbell)"), "linear 5")
    settings = services.settings(alice.id)
    settings.set_warmups(sled.id, False)
    settings.set_warmups(_exercise_id(ws, "Deadlift (Barbell)"), False)  # in no workout yet
    settings.set_exercise_progression(_exercise_id(ws, "Lateral Raise (Dumbbell)"), "double 12-15")
    return {"day1": day1.id, "day2": day2.id}


def _programs(services, user_id: int) -> list[tuple]:
    with services.db.read() as s:
        return [
            (p.name, p.source, p.active, p.started_on, p.state, p.created_at, p.updated_at)
            for p in s.scalars(select(Program).where(Program.user_id == user_id).order_by(Program.name))
        ]


def _program_days(services, user_id: int) -> list[tuple]:
    """Each workout's date and the name, week and day of the program it came from."""
    with services.db.read() as s:
        names = dict(s.execute(select(Program.id, Program.name).where(Program.user_id == user_id)).all())
        return [
            (d, names.get(pid) if pid is not None else None, week, day)
            for d, pid, week, day in s.execute(
                select(Session.date, Session.program_id, Session.program_week, Session.program_day)
                .where(Session.user_id == user_id).order_by(Session.date)
            )
        ]


def _exercise_settings(services, user_id: int) -> dict[str, str]:
    """Per-exercise settings by exercise name ('progression.Squat (Barbell)': 'linear 5')."""
    with services.db.read() as s:
        names = dict(s.execute(select(Exercise.id, Exercise.name)).all())
        out = {}
        for key, value in s.execute(select(UserSetting.key, UserSetting.value).where(UserSetting.user_id == user_id)):
            prefix, _, rest = key.partition(".")
            if prefix in ("progression", "warmup", "unit") and rest.isdigit():
                out[f"{prefix}.{names[int(rest)]}"] = value
        return out


def _skips(services, user_id: int) -> dict[datetime, dict[str, list[int]]]:
    """Workout date -> exercise name -> its planned rows skipped."""
    plans = PlanService(services.db, user_id)
    out = {}
    with services.db.read() as s:
        sessions = s.execute(select(Session.id, Session.date).where(Session.user_id == user_id)).all()
        names = dict(s.execute(
            select(ExerciseSession.id, Exercise.name).join(Exercise, Exercise.id == ExerciseSession.exercise_id)
        ).all())
    for sid, when in sessions:
        skipped = plans.skipped(sid)
        if skipped:
            out[when] = {names[e]: sorted(rows) for e, rows in skipped.items()}
    return out


def test_programs_and_progression_settings_restore_exactly(services, alice, bob, ws, transfer, bob_transfer, tmp_path):
    _alice_with_a_program(services, alice, ws)
    original = transfer.export_backup()
    assert original["version"] == 4
    assert [(p["ref"], p["name"], p["active"], p["started_on"]) for p in original["programs"]] == [
        ("p1", "My Old 5x5", False, None), ("p2", "StrongLifts 5x5", True, "2026-11-02"),
    ]  # fmt: skip
    assert original["programs"][1]["state"]["state"]["done"] == 1
    assert [(s.get("program"), s.get("program_week"), s.get("program_day")) for s in original["sessions"]] == [
        ("p2", 1, 1), ("p2", 1, 2),
    ]  # fmt: skip
    assert original["sessions"][1]["entries"][1]["skipped"] == [0, 3]
    assert original["templates"][0]["entries"][0]["progression"] == "double 8-12"
    assert "progression" not in original["templates"][0]["entries"][1]
    assert original["settings"]["exercise_progressions"] == [
        {"exercise": "Lateral Raise (Dumbbell)", "custom": False, "rule": "double 12-15"},
        {"exercise": "Squat (Barbell)", "custom": False, "rule": "linear 5"},
    ]
    assert original["settings"]["warmups_off"] == [
        {"exercise": "Deadlift (Barbell)", "custom": False}, {"exercise": "Prowler Shove", "custom": True},
    ]  # fmt: skip

    path = tmp_path / "backup.json"
    path.write_text(transfer.export_json(), encoding="utf-8")
    report = bob_transfer.import_file(path)
    assert (report.programs, report.duplicate_programs, report.program_kept_stopped) == (2, 0, None)
    assert report.exercise_settings == 4
    assert _comparable(bob_transfer.export_backup()) == _comparable(original)
    assert _programs(services, bob.id) == _programs(services, alice.id)
    assert _program_days(services, bob.id) == _program_days(services, alice.id)
    assert _exercise_settings(services, bob.id) == _exercise_settings(services, alice.id)
    assert _skips(services, bob.id) == _skips(services, alice.id) != {}

    # Bob's program goes on where Alice's is: the same running program, plan and next day.
    alices, bobs = ProgramService(services.db, alice.id), ProgramService(services.db, bob.id)
    assert bobs.active().name == "StrongLifts 5x5"
    assert bobs.next_day() == alices.next_day()
    bob_day2 = bob_transfer.export_backup()["sessions"][1]
    with services.db.read() as s:
        bob_day2_id = s.scalar(select(Session.id).where(Session.user_id == bob.id, Session.program_day == 2))
        alice_day2_id = s.scalar(select(Session.id).where(Session.user_id == alice.id, Session.program_day == 2))
    assert bob_day2["program"] == "p2"
    assert [(p.sets, p.rule) for p in bobs.planned(bob_day2_id)] == [
        (p.sets, p.rule) for p in alices.planned(alice_day2_id)
    ]

    again = bob_transfer.import_file(path)  # restored before: nothing new, nothing changed
    assert (again.workouts, again.programs, again.duplicate_programs, again.exercise_settings) == (0, 0, 2, 0)
    assert _programs(services, bob.id) == _programs(services, alice.id)


def test_a_restore_never_changes_the_running_program(services, alice, bob, ws, transfer, bob_transfer):
    """Bob runs GZCLP and has his own StrongLifts (stopped): the backup's StrongLifts, running,
    is his own one's name, so his stays (and Alice's workouts are tied to it); her old 5x5 is
    restored stopped, and GZCLP still runs with its state."""
    _alice_with_a_program(services, alice, ws)
    backup = transfer.export_json().encode()
    bobs = ProgramService(services.db, bob.id)
    bobs.start("StrongLifts 5x5", MAXES, on=date(2026, 10, 1))
    bobs.start("GZCLP", {"Squat T1": 100, "Bench T1": 70, "Deadlift T1": 120, "Press T1": 45,
                         "Squat T2": 80, "Bench T2": 55, "Deadlift T2": 100, "Press T2": 35,
                         "Lat Pulldown T3": 40, "Row T3": 40}, on=date(2026, 10, 5))  # fmt: skip
    before = {p[0]: p for p in _programs(services, bob.id)}
    report = bob_transfer.import_file(backup)
    assert (report.programs, report.duplicate_programs, report.unlinked_program_workouts) == (1, 1, 0)
    after = {p[0]: p for p in _programs(services, bob.id)}
    assert after["GZCLP"] == before["GZCLP"] and after["GZCLP"][2] is True
    assert after["StrongLifts 5x5"] == before["StrongLifts 5x5"]
    assert after["My Old 5x5"][2] is False
    assert bobs.active().name == "GZCLP"
    assert [(name, week, day) for _, name, week, day in _program_days(services, bob.id)] == [
        ("StrongLifts 5x5", 1, 1), ("StrongLifts 5x5", 1, 2),
    ]  # fmt: skip


def test_the_backups_running_program_is_restored_stopped_when_the_lifter_runs_another(
    services, alice, bob, ws, transfer, bob_transfer
):
    _alice_with_a_program(services, alice, ws)
    bobs = ProgramService(services.db, bob.id)
    bobs.save(bobs.source("StrongLifts 5x5").replace("program: StrongLifts 5x5", "program: Bobs 5x5"))
    bobs.start("Bobs 5x5", MAXES)
    report = bob_transfer.import_file(transfer.export_json().encode())
    assert (report.programs, report.program_kept_stopped) == (2, "StrongLifts 5x5")
    assert bobs.active().name == "Bobs 5x5"
    restored = {p[0]: p for p in _programs(services, bob.id)}
    alices = {p[0]: p for p in _programs(services, alice.id)}
    assert restored["StrongLifts 5x5"][2] is False  # stopped, with its state and start day as saved
    assert restored["StrongLifts 5x5"][3:5] == alices["StrongLifts 5x5"][3:5]


def test_workouts_of_the_lifters_running_program_of_that_name_are_restored_untied(
    services, alice, bob, ws, transfer, bob_transfer
):
    _alice_with_a_program(services, alice, ws)
    bobs = ProgramService(services.db, bob.id)
    bobs.start("StrongLifts 5x5", MAXES)
    state = _programs(services, bob.id)[0][4]
    report = bob_transfer.import_file(transfer.export_json().encode())
    assert (report.workouts, report.duplicate_programs, report.unlinked_program_workouts) == (2, 1, 2)
    assert [(name, week, day) for _, name, week, day in _program_days(services, bob.id)] == [(None, None, None)] * 2
    bobs.catch_up()
    assert {p[0]: p[4] for p in _programs(services, bob.id)}["StrongLifts 5x5"] == state  # not moved on


# -- version 3 ------------------------------------------------------------------------------------
VERSION_3 = {
    "format": "overload-backup", "version": 3, "exported_at": "2025-01-10T10:00:00", "user": "alice",
    "settings": {"weight_unit": "kg",
                 "exercise_units": [{"exercise": "Bicep Curl (Dumbbell)", "custom": False, "unit": "lbs"}]},
    "exercises": [],
    "templates": [{"ref": "t1", "name": "Arms", "description": None, "entries": [
        {"order": 1, "exercise": "Bicep Curl (Dumbbell)", "custom": False, "notes": None, "sets": []}]}],
    "sessions": [{"date": "2025-01-06T18:30:00", "name": "Arms", "notes": None, "finished_at": None,
                  "source_key": None, "template": "t1", "entries": [
                      {"order": 1, "exercise": "Bicep Curl (Dumbbell)", "custom": False, "notes": None,
                       "sets": [{"order": 1, "weight": 10.0, "reps": 10, "unit": "kg", "set_type": None,
                                 "rpe": None, "logged_at": None}]}]}],
    "body_weights": [{"date": "2025-01-06", "weight": 80.0}],
}  # fmt: skip


def test_a_version_3_backup_still_restores(services, bob, bob_transfer):
    report = bob_transfer.import_file(json.dumps(VERSION_3).encode())
    assert report.written and (report.workouts, report.templates, report.body_weights, report.exercise_units) == (
        1, 1, 1, 1)  # fmt: skip
    assert (report.programs, report.exercise_settings) == (0, 0)
    restored = bob_transfer.export_backup()
    assert restored["version"] == 4 and restored["programs"] == []
    expected = json.loads(json.dumps(VERSION_3))
    for key in ("version", "user", "exported_at"):
        expected.pop(key)
    assert {k: v for k, v in _comparable(restored).items() if k not in ("version", "programs")} == expected


# -- malformed ------------------------------------------------------------------------------------
def _v4(**changes) -> dict:
    data = json.loads(json.dumps(VERSION_3))
    data["version"] = 4
    data["programs"] = [{"ref": "p1", "name": "Mine", "source": "program: Mine\nlift S: Squat (Barbell)\n"
                         "week 1\n  day 1\n    S: 3x5\n", "active": True, "started_on": "2025-01-06",
                         "state": None, "created_at": "2025-01-06T18:00:00", "updated_at": None}]  # fmt: skip
    data["sessions"][0].update(program="p1", program_week=1, program_day=1)
    for where, value in changes.items():
        *path, last = where.split("/")
        target = data
        for part in path:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return data


def test_the_version_4_sample_restores(services, bob, bob_transfer):
    report = bob_transfer.import_file(json.dumps(_v4()).encode())
    assert (report.workouts, report.programs) == (1, 1)
    assert [(n, w, d) for _, n, w, d in _program_days(services, bob.id)] == [("Mine", 1, 1)]
    assert ProgramService(services.db, bob.id).active().name == "Mine"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"programs/0/name": ""}, "programs[0].name"),
        ({"programs/0/name": "x" * 101}, "programs[0].name"),
        ({"programs/0/source": 5}, "programs[0].source"),
        ({"programs/0/active": "yes"}, "programs[0].active"),
        ({"programs/0/started_on": "soon"}, "programs[0].started_on"),
        ({"programs/0/started_on": "1850-01-01"}, "programs[0].started_on"),
        ({"programs/0/state": [1]}, "programs[0].state"),
        ({"programs/0/created_at": 2025}, "programs[0].created_at"),
        ({"programs/0/updated_at": "later"}, "programs[0].updated_at"),
        ({"sessions/0/program": "p9"}, "sessions[0].program"),
        ({"sessions/0/program_week": 0}, "sessions[0].program_week"),
        ({"sessions/0/program_day": "2"}, "sessions[0].program_day"),
        ({"sessions/0/program_day": None}, "sessions[0].program_day"),
        ({"templates/0/entries/0/progression": "triple 5"}, "templates[0].entries[0].progression"),
        ({"sessions/0/entries/0/progression": 8}, "sessions[0].entries[0].progression"),
        ({"sessions/0/entries/0/skipped": [1, -1]}, "sessions[0].entries[0].skipped[1]"),
        ({"sessions/0/entries/0/skipped": [True]}, "sessions[0].entries[0].skipped[0]"),
        ({"sessions/0/entries/0/skipped": [2, 2]}, "sessions[0].entries[0].skipped"),
        ({"sessions/0/entries/0/skipped": "0"}, "sessions[0].entries[0].skipped"),
        ({"settings/exercise_progressions": [{"exercise": "Squat (Barbell)", "rule": "double 12-8"}]},
         "settings.exercise_progressions[0].rule"),
        ({"settings/exercise_progressions": [{"exercise": "Squat (Barbell)"}]}, "settings.exercise_progressions[0]"),
        ({"settings/exercise_progressions": [{"rule": "linear 5"}]}, "settings.exercise_progressions[0]"),
        ({"settings/exercise_progressions": ["Squat"]}, "settings.exercise_progressions[0]"),
        ({"settings/warmups_off": [{"exercise": 3}]}, "settings.warmups_off[0].exercise"),
        ({"settings/warmups_off": [{"exercise": "Squat (Barbell)", "custom": "no"}]}, "settings.warmups_off[0].custom"),
    ],
)
def test_a_malformed_new_field_is_refused_at_its_place(bob_transfer, changes, path):
    with pytest.raises(ImportFormatError) as caught:
        bob_transfer.plan_import(json.dumps(_v4(**changes)).encode())
    assert caught.value.reason.startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("second", "path"),
    [({"ref": "p2", "name": "Other"}, "programs[1].active"),  # two running programs
     ({"ref": "p2", "name": "MINE", "active": False}, "programs[1].name"),  # two of one name
     ({"name": "Other", "active": False}, "programs[1].ref")],  # two of one ref
)
def test_two_running_programs_or_two_of_a_name_or_ref_are_refused(bob_transfer, second, path):
    data = _v4()
    data["programs"].append(dict(data["programs"][0], **second))
    with pytest.raises(ImportFormatError) as caught:
        bob_transfer.plan_import(json.dumps(data).encode())
    assert caught.value.reason.startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"programs/0/source": "program: Mine\nweek 1\n  day 1\n    Nope: 3x\n"}, "programs[0].source"),
        ({"programs/0/state": {"state": {"unit": "kg"}, "before": {}}}, "programs[0].state"),
    ],
)
def test_a_program_the_app_cannot_read_is_an_invalid_row(services, bob, bob_transfer, changes, where):
    plan = bob_transfer.plan_import(json.dumps(_v4(**changes)).encode())
    [row] = plan.report.invalid
    assert (row.where, row.exercise) == (where, "Mine")
    assert plan.report.programs == 0 and plan.report.workouts == 1
    with pytest.raises(InvalidRowsError):
        bob_transfer.commit_import(plan)
    bob_transfer.commit_import(plan, skip_invalid=True)  # the rest restores, the workout untied
    assert [(n, w, d) for _, n, w, d in _program_days(services, bob.id)] == [(None, None, None)]
    assert _programs(services, bob.id) == []
