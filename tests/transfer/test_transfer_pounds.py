"""Imports and exports keep pounds (issue 16), on both databases.

A set read in pounds is stored as its exact kilograms with display_unit 'lbs' and reads back as
the file's number; a file that does not say its unit is read in the lifter's own; the Strong CSV
export of a lbs lifter writes pounds and says so; round trips (Strong CSV, JSON backup) into a
new lbs lifter give the same numbers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from overload_tui.domain.units import LB, LoadUnit, to_kg
from overload_tui.services import format as fmt
from overload_tui.services.transfer import TransferService
from tests.transfer.helpers import db_counts, fixture_file, write
from tests.transfer.test_transfer_cli import overload

STRONG = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
LEGACY = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes\n"
HEVY = "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe\n"
MIXED = (
    LEGACY
    + "2019-05-01 18:00:00;Evening;Deadlift (Barbell);1;225;lbs;5;;;;;;\n"
    + "2019-05-01 18:00:00;Evening;Deadlift (Barbell);2;102.5;kg;5;;;;;;\n"
    + "2019-05-01 18:00:00;Evening;Bicep Curl (Dumbbell);1;20;kg;10;;;;;;\n"
    + "2019-05-01 18:00:00;Evening;Bicep Curl (Dumbbell);2;45;lbs;8;;;;;;\n"
)


def pounds_lifter(services, user) -> TransferService:
    services.settings(user.id).update(weight_unit="lbs")
    return TransferService(services.db, user.id)


def _text(v: float) -> str:
    return str(v).removesuffix(".0")


def _session_sets(ws, name: str) -> list:
    [summary] = [s for s in ws.list_sessions(limit=10_000) if s.name == name]
    return [st for e in ws.get_session(summary.id).entries for st in e.sets]


def _history(ws) -> list[tuple]:
    """Every workout's sets as a lifter reads them (amount and unit), with what else they hold."""
    out = []
    for summary in reversed(ws.list_sessions(limit=10_000)):
        s = ws.get_session(summary.id)
        out.append((s.date, s.finished_at, s.name, [
            (e.exercise.name, [(st.amount, st.load_unit, st.reps, st.set_type, st.rpe, st.duration_s, st.distance_m)
                               for st in e.sets])
            for e in s.entries
        ]))  # fmt: skip
    return out


# -- values read back exactly -----------------------------------------------------------------------
_examples = itertools.count()
POUNDS = st.integers(0, 220_462).map(lambda c: c / 100)  # 0 to 2204.62 lb, up to two decimals
KILOS = st.integers(0, 1_000_000).map(lambda g: g / 1000)  # 0 to 1000 kg, to the gram


def _file(layout: str, unit: str, values: list[float], name: str) -> str:
    if layout == "strong":  # no unit in the file: the lifter's own (lbs)
        return STRONG + "".join(f"2020-01-01 10:00:00,{name},1h,Squat (Barbell),{i},{_text(v)},5,0,0,,,\n"
                                for i, v in enumerate(values, 1))  # fmt: skip
    if layout == "legacy":
        return LEGACY + "".join(f"2020-01-01 10:00:00;{name};Squat (Barbell);{i};{_text(v)};{unit};5;;;;;;\n"
                                for i, v in enumerate(values, 1))  # fmt: skip
    return HEVY + "".join(f"{name},\"1 Jan 2020, 10:00\",,,Squat (Barbell),,,{i},normal,{_text(v)},5,,,\n"
                          for i, v in enumerate(values, 1))  # fmt: skip


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data(), layout=st.sampled_from(["strong", "legacy", "hevy"]))
def test_typed_values_read_back_exactly_through_an_import(services, alice, data, layout):
    """Any pound value with up to two decimals (and any kg value to the gram, where the file says
    kg) is stored as its exact kg and reads back as the file has it."""
    transfer = pounds_lifter(services, alice)
    unit = "lbs" if layout != "legacy" else data.draw(st.sampled_from(["lbs", "kg"]))
    values = data.draw(st.lists(POUNDS if unit == "lbs" else KILOS, min_size=1, max_size=12))
    name = f"W{next(_examples)}"
    report = transfer.import_file(_file(layout, unit, values, name).encode(), name="values.csv")
    assert report.sets == len(values) and not report.invalid
    sets = _session_sets(services.workouts(alice.id), name)
    assert [(s.amount, s.load_unit) for s in sets] == [(v, unit) for v in values]
    assert [s.weight for s in sets] == [to_kg(v, unit) for v in values]  # exact kg: not rounded to grams
    assert {s.display_unit for s in sets} == ({"lbs"} if unit == "lbs" else {None})


# -- a real pounds export ---------------------------------------------------------------------------
def _fitnotes_weights() -> list[float]:
    with fixture_file("fitnotes_sample.csv").open(newline="", encoding="utf-8-sig") as fh:
        return sorted(float(r["Weight"] or 0) for r in csv.DictReader(fh)
                      if float(r["Reps"] or 0) > 0 or r["Distance"].strip() or any(c in "123456789" for c in r["Time"]))


def _amounts(ws) -> list:
    return [st for s in ws.list_sessions(limit=10_000) for e in ws.get_session(s.id).entries for st in e.sets]


def test_a_pounds_export_imported_by_a_pounds_lifter_shows_the_files_numbers(services, alice):
    transfer = pounds_lifter(services, alice)
    report = transfer.import_file(fixture_file("fitnotes_sample.csv"))
    text = report.render()
    assert "Unit: weights in lbs, as the file says" in text
    assert " kg" not in text and "converted" not in text
    sets = _amounts(services.workouts(alice.id))
    assert sorted(s.amount for s in sets) == _fitnotes_weights()  # 45, 65, 95...: never 20.412
    assert {s.load_unit for s in sets} == {LoadUnit.LBS}
    oldest = services.workouts(alice.id).list_sessions(limit=1000)[-1]
    bench = services.workouts(alice.id).get_session(oldest.id).entries[0]
    assert [fmt.load_text(s, bench.exercise.kind) for s in bench.sets[:3]] == ["45 lb", "65 lb", "95 lb"]

    # The same file again adds nothing.
    counts = db_counts(services, alice.id)
    again = transfer.import_file(fixture_file("fitnotes_sample.csv"))
    assert (again.workouts, again.sets, again.duplicate_sets) == (0, 0, report.sets)
    assert db_counts(services, alice.id) == counts


def test_a_kg_lifter_sees_each_set_as_logged_and_totals_in_kg(services, alice, transfer):
    from overload_tui.domain.enums import Category

    report = transfer.import_file(fixture_file("fitnotes_sample.csv"))  # alice reads kg
    assert report.unit_note == "weights in lbs, as the file says"
    ws = services.workouts(alice.id)
    first = ws.list_sessions(limit=1000)[-1]
    sets = [st for e in ws.get_session(first.id).entries for st in e.sets]
    assert (sets[0].amount, sets[0].load_unit) == (45, "lbs")  # as logged, not 20.412 kg
    chest = services.progress(alice.id).weekly_volume(first.date.date())[Category.CHEST]
    bench = ws.get_session(first.id).entries[0].sets
    assert chest.tonnage_kg == pytest.approx(sum(to_kg(s.amount, "lbs") * s.reps for s in bench))


def test_a_file_that_does_not_say_is_read_in_the_lifters_unit(services, alice, bob, transfer):
    data = (STRONG + "2024-01-01 08:00:00,Legs,1h,Squat (Barbell),1,225,5,0,0,,,\n").encode()
    lbs = pounds_lifter(services, bob).plan_import(data).report
    assert lbs.unit_note == ("Strong does not say its unit: weights read as lbs, your unit "
                             "(use --unit kg if the app showed kilograms)")  # fmt: skip
    kg = transfer.plan_import(data).report
    assert kg.unit_note.startswith("Strong does not say its unit: weights read as kg, your unit (use --unit lbs")
    assert transfer.plan_import(data, unit="lbs").report.unit_note.startswith("weights read as lbs, as --unit says")
    pounds_lifter(services, bob).import_file(data, name="legs.csv")
    assert [(s.amount, s.load_unit) for s in _session_sets(services.workouts(bob.id), "Legs")] == [(225, "lbs")]


@pytest.mark.parametrize("unit", ["kg", "lbs"])
def test_a_mixed_file_keeps_each_rows_unit(services, alice, unit):
    transfer = pounds_lifter(services, alice) if unit == "lbs" else TransferService(services.db, alice.id)
    report = transfer.import_file(MIXED.encode(), name="mixed.csv")
    assert report.unit_note == "2 rows in kg and 2 in lbs: each set kept in its own unit"
    sets = _session_sets(services.workouts(alice.id), "Evening")
    assert [(s.amount, s.load_unit) for s in sets] == [(225, "lbs"), (102.5, "kg"), (20, "kg"), (45, "lbs")]
    assert [fmt.load_text(s) for s in sets] == ["225 lb", "102.5 kg", "20 kg", "45 lb"]
    assert transfer.import_file(MIXED.encode(), name="mixed.csv").sets == 0  # again: nothing new


def test_a_refused_pound_value_is_told_in_pounds(services, alice):
    data = (LEGACY + "2019-05-01 18:00:00;E;Deadlift (Barbell);1;2300;lbs;1;;;;;;\n").encode()
    [row] = pounds_lifter(services, alice).plan_import(data).report.invalid
    assert row.reason == "Weight must be at most 2204.62 lb (2300 lb)."


def test_a_chunk_of_kg_sets_leaves_display_unit_out_of_its_insert(services, alice, transfer):
    """The bulk write binds display_unit only for a chunk that holds pounds."""
    from sqlalchemy import event

    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO SETS"):
            statements.append(statement)

    engine = services.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        transfer.import_file(fixture_file("strong_sample.csv"))  # kg only
        kg = list(statements)
        statements.clear()
        transfer.import_file(MIXED.encode(), name="mixed.csv")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert kg and all("display_unit" not in s for s in kg)
    assert statements and all("display_unit" in s for s in statements)


# -- export ---------------------------------------------------------------------------------------
def _finish(ws, session_id: int, when: datetime, monkeypatch) -> None:
    monkeypatch.setattr("overload_tui.clock.now", lambda: when)
    ws.finish_session(session_id)


def _log_pounds(ws, monkeypatch) -> None:
    """A lbs lifter's own sets: 225 stays 225, 102.25 stays 102.25, a kg dumbbell set is kg."""
    squat = next(e for e in ws.search_exercises("squat barbell") if e.name == "Squat (Barbell)")
    curl = next(e for e in ws.search_exercises("bicep curl dumbbell") if e.name == "Bicep Curl (Dumbbell)")
    s = ws.start_session(datetime(2026, 1, 5, 18, 0), name="Legs")
    e = ws.add_entry(squat.id, session_id=s.id)
    ws.add_set(e.id, 135, 5, "lbs", set_type="warmup")
    ws.add_set(e.id, 225, 5, "lbs")
    ws.add_set(e.id, 102.25, 8, "lbs", rpe=8.5)
    c = ws.add_entry(curl.id, session_id=s.id)
    ws.add_set(c.id, 12.5, 10, "kg")  # logged in kg: the export converts it
    _finish(ws, s.id, datetime(2026, 1, 5, 19, 5), monkeypatch)


def test_strong_csv_of_a_pounds_lifter_writes_pounds_and_says_so(services, alice, monkeypatch):
    transfer = pounds_lifter(services, alice)
    _log_pounds(services.workouts(alice.id), monkeypatch)
    exported = transfer.export_strong_csv()
    rows = list(csv.reader(io.StringIO(exported.text), delimiter=";"))
    assert rows[0] == ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Weight Unit", "Reps", "RPE",
                       "Distance", "Distance Unit", "Seconds", "Notes", "Workout Notes", "Workout Duration"]  # fmt: skip
    assert [(r[2], r[3], r[4], r[5], r[6], r[7], r[13]) for r in rows[1:]] == [
        ("Squat (Barbell)", "W", "135.0", "lbs", "5", "", "1h 5m"),
        ("Squat (Barbell)", "1", "225.0", "lbs", "5", "", "1h 5m"),
        ("Squat (Barbell)", "2", "102.25", "lbs", "8", "8.5", "1h 5m"),
        ("Bicep Curl (Dumbbell)", "1", "27.56", "lbs", "10", "", "1h 5m"),  # 12.5 kg
    ]
    text, summary = transfer.export("strong-csv")
    assert summary == "1 workout, 4 sets (weights in lb)"

    # A kg lifter still gets Strong's current layout in kg: the pound sets converted to the gram.
    services.settings(alice.id).update(weight_unit="kg")
    rows = list(csv.reader(io.StringIO(transfer.export_strong_csv().text)))
    assert rows[0][5] == "Weight" and [r[5] for r in rows[1:]] == ["61.235", "102.058", "46.38", "12.5"]
    assert transfer.export("strong-csv")[1] == "1 workout, 4 sets (weights in kg)"


def test_strong_csv_round_trip_into_a_new_pounds_lifter(services, alice, bob, tmp_path, monkeypatch):
    transfer = pounds_lifter(services, alice)
    transfer.import_file(fixture_file("fitnotes_sample.csv"))  # a real lbs history, cardio too
    ws = services.workouts(alice.id)
    squat = next(e for e in ws.search_exercises("squat barbell") if e.name == "Squat (Barbell)")
    s = ws.start_session(datetime(2026, 1, 5, 18, 0), name="Legs")
    e = ws.add_entry(squat.id, session_id=s.id)
    for pounds, reps in ((135, 5), (225, 5), (102.25, 8), (2.5, 20)):
        ws.add_set(e.id, pounds, reps, "lbs")
    _finish(ws, s.id, datetime(2026, 1, 5, 19, 5), monkeypatch)

    path = write(tmp_path, "strong.csv", transfer.export_strong_csv().text)
    report = pounds_lifter(services, bob).import_file(path)
    assert report.variant == "Strong, legacy export with Weight Unit, semicolon-delimited"
    assert report.unit_note == "weights in lbs, as the file says"
    assert not report.invalid and not report.skipped
    assert _history(services.workouts(bob.id)) == _history(ws)  # every amount and unit as it was

    # Read by a kg lifter, the file still says pounds: each set as logged.
    carol = services.auth.register("carol", "carol@example.com", "correct horse", "Carol")
    TransferService(services.db, carol.id).import_file(path)
    assert _history(services.workouts(carol.id)) == _history(ws)


# -- JSON backup ----------------------------------------------------------------------------------
def test_json_backup_round_trip_of_a_pounds_lifter(services, alice, bob, monkeypatch):
    transfer = pounds_lifter(services, alice)
    ws = services.workouts(alice.id)
    _log_pounds(ws, monkeypatch)
    curl = next(e for e in ws.search_exercises("bicep curl dumbbell") if e.name == "Bicep Curl (Dumbbell)")
    services.settings(alice.id).set_exercise_unit(curl.id, "kg")  # kg dumbbells in a pounds gym
    backup = transfer.export_backup()
    assert backup["version"] == 4
    assert backup["settings"] == {
        "weight_unit": "lbs",
        "exercise_units": [{"exercise": "Bicep Curl (Dumbbell)", "custom": False, "unit": "kg"}],
    }
    squat_sets = backup["sessions"][0]["entries"][0]["sets"]
    assert [(s["weight"], s.get("display_unit")) for s in squat_sets] == [
        (135 * LB, "lbs"), (225 * LB, "lbs"), (102.25 * LB, "lbs")
    ]  # the stored kg to the last bit, and the unit they read in
    assert "display_unit" not in backup["sessions"][0]["entries"][1]["sets"][0]  # the kg set

    bob_transfer = pounds_lifter(services, bob)
    report = bob_transfer.import_file(transfer.export_json().encode(), name="backup.json")
    assert (report.weight_unit, report.exercise_units) == (None, 1)
    assert "Set the units of 1 exercise as the backup has them." in report.render()
    assert _history(services.workouts(bob.id)) == _history(ws)
    assert services.settings(bob.id).get().unit_for(curl.id) == "kg"
    restored = bob_transfer.export_backup()
    assert {k: v for k, v in restored.items() if k not in ("user", "exported_at")} == {
        k: v for k, v in backup.items() if k not in ("user", "exported_at")
    }

    # A kg lifter keeps their unit (the backup's is told) and their own choices; the sets read as logged.
    carol = services.auth.register("carol", "carol@example.com", "correct horse", "Carol")
    services.settings(carol.id).set_exercise_unit(squat_id(ws), "stacks")
    report = TransferService(services.db, carol.id).import_file(transfer.export_json().encode())
    assert (report.weight_unit, report.exercise_units) == ("lbs", 0)  # curl in kg: carol's unit already
    assert "The backup read weights in lb: each set keeps the unit it was logged in" in report.render()
    assert services.settings(carol.id).get().weight_unit == "kg"
    assert dict(services.settings(carol.id).get().exercise_units) == {squat_id(ws): "stacks"}
    assert _history(services.workouts(carol.id)) == _history(ws)


def squat_id(ws) -> int:
    return next(e.id for e in ws.search_exercises("squat barbell") if e.name == "Squat (Barbell)")


def test_a_version_2_backup_still_restores(services, bob):
    data = {
        "format": "overload-backup", "version": 2, "exported_at": "2025-01-10T10:00:00", "user": "alice",
        "exercises": [], "templates": [], "body_weights": [],
        "sessions": [{"date": "2025-01-06T18:30:00", "name": "Push", "notes": None, "finished_at": None,
                      "source_key": None, "template": None,
                      "entries": [{"order": 1, "exercise": "Bench Press (Barbell)", "custom": False, "notes": None,
                                   "sets": [{"order": 1, "weight": 102.058, "reps": 5, "unit": "kg",
                                             "set_type": None, "rpe": None, "logged_at": None}]}]}],
    }  # fmt: skip
    transfer = pounds_lifter(services, bob)
    report = transfer.import_file(json.dumps(data).encode())
    assert report.written and report.sets == 1 and report.weight_unit is None
    [s] = _session_sets(services.workouts(bob.id), "Push")
    assert (s.amount, s.load_unit) == (102.058, "kg")  # a kg set stays one, shown converted by the screens


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"display_unit": "stone"}, "A set's display unit must be kg or lbs."),
        ({"unit": "stacks", "display_unit": "lbs"}, "A set in stacks cannot read in pounds."),
        ({"weight": 1000.5, "display_unit": "lbs"}, "Weight must be at most 2204.62 lb."),
    ],
)
def test_a_backup_set_with_a_bad_display_unit_is_refused_with_its_place(services, bob, fields, reason):
    from tests.transfer.test_backup_kinds import _backup_with

    plan = TransferService(services.db, bob.id).plan_import(_backup_with(fields))
    [row] = plan.report.invalid
    assert (row.where, row.reason) == ("sessions[0].entries[1].sets[0]", reason)


# -- the command line -------------------------------------------------------------------------------
def test_cli_import_and_export_of_a_pounds_lifter(services, alice, database_url, data_dir, tmp_path):
    services.settings(alice.id).update(weight_unit="lbs")
    out = overload(database_url, data_dir, "import", str(fixture_file("fitnotes_sample.csv")), "--admin", "--user", "alice")
    assert out.returncode == 0, out.stderr
    assert "Unit: weights in lbs, as the file says" in out.stdout and " kg" not in out.stdout
    target = tmp_path / "out.csv"
    out = overload(database_url, data_dir, "export", "--admin", "--user", "alice", "--format", "strong-csv", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Exported 141 workouts, 744 sets (weights in lb")
    first = target.read_text(encoding="utf-8").splitlines()[1].split(";")
    assert first[4:6] == ["45.0", "lbs"]
    assert date.fromisoformat(first[0][:10]) == date(2022, 9, 14)
