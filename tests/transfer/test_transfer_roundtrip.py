"""Round trips: export a user, import into a new user, compare (ids aside)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from tests.transfer.helpers import db_counts, fixture_file, write
from tests.transfer.test_transfer_variants import FITNOTES_OLD


def _comparable(backup: dict) -> dict:
    return {k: v for k, v in backup.items() if k not in ("user", "exported_at")}


def _build_app_data(ws) -> None:
    """What a lifter makes in the app: custom exercises, templates, stacks, markers, notes."""
    press = ws.create_exercise("Hammer Strength Press", "chest", "machine", "Mid Chest")
    ws.create_exercise("Unused Custom Move", "core")  # never logged: the backup still keeps it
    squat = next(e for e in ws.search_exercises("squat barbell") if e.name == "Squat (Barbell)")
    tpl = ws.create_template("Push Day", "Heavy first\nthen volume")
    entry = ws.add_entry(press.id, template_id=tpl.id)
    ws.add_set(entry.id, 5, 10, "stacks")
    ws.add_set(entry.id, 6, 8, "stacks", set_type="failure")
    ws.add_entry(squat.id, template_id=tpl.id)  # a template entry with no target sets
    ws.create_template("Empty template")

    s1 = ws.start_session(datetime(2025, 1, 6, 18, 30), template_id=tpl.id, notes="Gym was packed 😅")
    e1, e2 = ws.get_session(s1.id).entries
    ws.add_set(e1.id, 5, 10, "stacks", set_type="warmup")
    ws.add_set(e1.id, 7.5, 8, "stacks", rpe=8.5)
    ws.add_set(e2.id, 100, 5, "kg")
    ws.add_set(e2.id, 80, 10, "kg", set_type="drop")
    ws.set_entry_notes(e2.id, "Belt on [bold]heavy[/bold] sets")
    ws.finish_session(s1.id)
    ws.start_session(datetime(2025, 1, 8, 7, 0), name="Empty one")  # unfinished, no exercises
    s3 = ws.start_session(datetime(2025, 1, 9, 7, 0), name="Deletes leave gaps")
    e3 = ws.add_entry(squat.id, session_id=s3.id)
    a = ws.add_set(e3.id, 60, 5, "kg")
    ws.add_set(e3.id, 70, 5, "kg")
    ws.delete_set(a.id)  # orders are now 2 only: kept as they are


def test_json_backup_round_trip_is_exact(services, alice, bob, transfer, bob_transfer, ws, tmp_path):
    transfer.import_file(fixture_file("strong_sample.csv"))  # imported sessions keep their source keys
    transfer.import_file(write(tmp_path, "fitnotes.csv", FITNOTES_OLD))  # custom exercises with categories
    _build_app_data(ws)
    original = transfer.export_backup()
    assert len(original["templates"]) == 2 and len(original["exercises"]) == 6

    path = tmp_path / "backup.json"
    path.write_text(transfer.export_json(), encoding="utf-8")
    report = bob_transfer.import_file(path)
    assert report.format == "json" and report.written
    assert report.workouts == len(original["sessions"]) and report.templates == 2
    restored = bob_transfer.export_backup()
    assert _comparable(restored) == _comparable(original)
    assert restored["user"] == "bob"
    assert db_counts(services, bob.id) == db_counts(services, alice.id)

    # A second restore adds nothing; the Strong file the backup came from adds nothing either.
    again = bob_transfer.import_file(path)
    assert (again.workouts, again.templates, len(again.new_exercises)) == (0, 0, 0)
    assert again.duplicate_workouts == len(original["sessions"]) and again.duplicate_templates == 2
    assert bob_transfer.import_file(fixture_file("strong_sample.csv")).workouts == 0
    assert _comparable(bob_transfer.export_backup()) == _comparable(original)


def test_json_backup_contents(transfer, ws):
    _build_app_data(ws)
    backup = json.loads(transfer.export_json())
    assert backup["format"] == "overload-backup" and backup["version"] == 4
    first = backup["sessions"][0]
    assert first["template"] == "t1" and backup["templates"][0]["ref"] == "t1"
    assert first["finished_at"] is not None and first["notes"] == "Gym was packed 😅"
    sets = first["entries"][0]["sets"]
    assert [(s["weight"], s["unit"], s["set_type"], s["rpe"]) for s in sets] == [
        (5.0, "stacks", "warmup", None),
        (7.5, "stacks", None, 8.5),
    ]
    assert all(s["logged_at"] for s in sets)
    assert backup["sessions"][1]["finished_at"] is None and backup["sessions"][1]["entries"] == []
    assert [s["order"] for s in backup["sessions"][2]["entries"][0]["sets"]] == [2]
    assert {e["name"] for e in backup["exercises"]} == {"Hammer Strength Press", "Unused Custom Move"}


def _sessions(ws) -> list[tuple]:
    out = []
    for summary in reversed(ws.list_sessions(limit=10_000)):
        s = ws.get_session(summary.id)
        out.append(
            (
                s.date,
                s.name,
                s.notes,
                s.finished_at,
                [
                    (e.exercise.name, e.notes, [(st.weight, st.reps, st.unit, st.set_type, st.rpe) for st in e.sets])
                    for e in s.entries
                ],
            )
        )
    return out


def test_strong_csv_round_trip(services, alice, bob, transfer, bob_transfer, ws, tmp_path):
    transfer.import_file(fixture_file("hevy_sample.csv"))
    exported = transfer.export_strong_csv()
    assert exported.stacks_sets_left_out == 0
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == [
        "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps",
        "Distance", "Seconds", "Notes", "Workout Notes", "RPE",
    ]  # fmt: skip
    assert len(rows) - 1 == exported.sets == db_counts(services, alice.id)["sets"]
    assert {r[4] for r in rows[1:]} >= {"W", "F", "D", "1", "2"}

    path = write(tmp_path, "strong.csv", exported.text)
    report = bob_transfer.import_file(path)
    assert report.variant == "Strong, current export, comma-delimited"
    assert not report.skipped and not report.invalid
    # Hevy's "Warm Up" (timed sets) is alice's own exercise: bob gets his; the rest is the catalogue's.
    assert [m.file_name for m in report.mappings if m.is_new] == ["Warm Up"]
    bob_ws = services.workouts(bob.id)
    assert _sessions(bob_ws) == _sessions(ws)


def test_strong_csv_leaves_out_stacks_and_says_so(transfer, ws):
    _build_app_data(ws)
    exported = transfer.export_strong_csv()
    assert exported.stacks_sets_left_out == 2  # the two machine sets logged in stacks (templates aside)
    assert exported.workouts == 2 and exported.sets == 3
    assert "Hammer Strength Press" not in exported.text
