"""A JSON backup is restored as a stream: a lifter's large backup was read whole (about 1.2 KB
of memory per set: 200 MB at 100,000 sets, and a 1.2M-set backup was over the size limit). Now
its ``sessions`` are read one object at a time: counted by the plan, counted again and written in
chunks by the commit (one transaction), so memory does not grow with the number of sessions (the
figures: ``benchmarks/bench_import.py --backup``).

What the stream plans and writes is what the whole read (``parse_bytes`` + ``plan_parsed``) plans
and writes, whatever the order of the file's keys and wherever its text is cut into chunks; a
file cut short is refused with the line ``json.loads`` gives, and a file changed between the
plan and the commit writes nothing."""

from __future__ import annotations

import json
import os

import pytest

from overload_tui.services.transfer import ImportFormatError, TransferService, backupstream, parse_bytes
from overload_tui.services.transfer.backupstream import BackupPlan
from overload_tui.services.transfer.errors import InvalidRowsError
from overload_tui.services.transfer.stream import FileChangedError
from tests.transfer.helpers import db_counts, fixture_file, import_peaks, write
from tests.transfer.test_backup_programs import _alice_with_a_program, _programs
from tests.transfer.test_transfer_roundtrip import _build_app_data, _comparable

LIFTS = ("Squat (Barbell)", "Bench Press (Barbell)", "Deadlift (Barbell)", "My Odd Lift")


def _session(i: int, sets: int) -> dict:
    """A workout of ``sets`` sets over the lifts, on day ``i`` (a custom lift among them)."""
    entries = []
    for n, lift in enumerate(LIFTS, start=1):
        count = sets // len(LIFTS) + (n <= sets % len(LIFTS))
        entries.append({
            "order": n, "exercise": lift, "custom": lift == "My Odd Lift", "notes": None,
            "sets": [
                {"order": j, "weight": 60 + j * 2.5, "reps": 5, "unit": "kg", "set_type": None,
                 "rpe": 8 if j == count else None, "logged_at": None}
                for j in range(1, count + 1)
            ],
        })  # fmt: skip
    return {
        "date": f"{2000 + i // 300:04d}-{1 + i // 25 % 12:02d}-{1 + i % 25:02d}T18:00:00",
        "name": "Workout", "notes": f"session {i}", "finished_at": None, "source_key": None,
        "template": "t1", "entries": entries,
    }  # fmt: skip


def _backup(sessions: int, sets: int = 25) -> dict:
    return {
        "format": "overload-backup", "version": 4, "exported_at": "2026-12-01T10:00:00", "user": "x",
        "settings": {"weight_unit": "kg", "exercise_units": []},
        "exercises": [{"name": "My Odd Lift", "category": "Chest", "subcategory": None, "equipment": None,
                       "kind": "weight_reps"}],
        "templates": [{"ref": "t1", "name": "Big Three", "description": None, "entries": []}],
        "programs": [],
        "sessions": [_session(i, sets) for i in range(sessions)],
        "body_weights": [{"date": "2026-01-05", "weight": 82.5}],
    }  # fmt: skip


def _write(path, backup: dict, indent: int | None = 1) -> None:
    path.write_text(json.dumps(backup, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def test_memory_does_not_grow_with_the_number_of_sessions(tmp_path, monkeypatch, services, transfer, bob_transfer, bob):
    """Structural, not timed: the plan and the commit of 4x the sessions hold far less than 4x the
    memory (the whole read held about 4x: the file's text, its objects and every parsed set).
    Chunks of 64K characters, so that the text read at once is small beside the sets written."""
    monkeypatch.setattr(backupstream, "CHUNK", 1 << 16)
    small, large, warm = tmp_path / "small.json", tmp_path / "large.json", tmp_path / "warm.json"
    _write(small, _backup(240))  # 6,000 sets
    _write(large, _backup(960))  # 24,000 sets
    _write(warm, _backup(20))
    def streamed(plan) -> None:
        assert isinstance(plan.stream, BackupPlan) and not plan.parsed.workouts

    peaks = import_peaks(services, transfer, bob_transfer, small, large, warm, check_plan=streamed)
    shown = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in peaks.items())
    assert peaks["large plan"] < 1.6 * peaks["small plan"], shown
    assert peaks["large commit"] < 1.6 * peaks["small commit"], shown
    assert db_counts(services, bob.id)["sets"] == 24_000


def _rich_backup(services, alice, ws, transfer, tmp_path) -> dict:
    """Alice's backup with everything a lifter keeps: imported and logged workouts, custom
    exercises, templates, a running program and its days, exercise settings, a body weight."""
    transfer.import_file(fixture_file("strong_sample.csv"))
    _build_app_data(ws)
    _alice_with_a_program(services, alice, ws)
    services.body(alice.id).log(82.5, "2026-01-05")
    return transfer.export_backup()


ORDERS = {
    "the app's": None,
    # sessions before everything they name (templates, programs, custom exercises), the format
    # and version last
    "sessions first": ["sessions", "body_weights", "programs", "templates", "exercises", "settings",
                       "user", "exported_at", "version", "format"],
    "sessions between": ["version", "programs", "sessions", "exercises", "format", "templates", "settings",
                         "body_weights", "user", "exported_at"],
}  # fmt: skip


@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize("chunk", [1 << 20, 7])
def test_a_backup_restores_as_read_whole_in_any_key_order(
    services, alice, bob, ws, transfer, bob_transfer, tmp_path, monkeypatch, order, chunk
):
    """The streamed plan and commit equal the whole read's (report for report, row for row),
    with keys in any order, and text cut into chunks anywhere (7 characters: inside keys,
    numbers, strings and escapes)."""
    original = _rich_backup(services, alice, ws, transfer, tmp_path)
    keys = ORDERS[order] or list(original)
    assert sorted(keys) == sorted(original)
    path = tmp_path / "backup.json"
    _write(path, {k: original[k] for k in keys})
    monkeypatch.setattr(backupstream, "CHUNK", chunk)
    carol = services.auth.register("carol", "carol@example.com", "correct horse")
    whole_svc = TransferService(services.db, carol.id)

    streamed = bob_transfer.plan_import(path)
    assert isinstance(streamed.stream, BackupPlan)
    whole = whole_svc.plan_parsed(parse_bytes(path.read_bytes()), "backup.json")
    assert streamed.report == whole.report
    assert streamed.report.workouts == len(original["sessions"]) and streamed.report.programs == 2
    done = bob_transfer.commit_import(streamed)
    assert done == whole_svc.commit_import(whole)
    restored = bob_transfer.export_backup()
    assert _comparable(restored) == _comparable(original)
    assert _programs(services, bob.id) == _programs(services, alice.id)
    # Again: everything is there already, in the stream's plan as in the whole read's.
    again = bob_transfer.plan_import(path)
    assert again.report == whole_svc.plan_parsed(parse_bytes(path.read_bytes()), "backup.json").report
    assert again.report.workouts == 0 and again.report.duplicate_workouts == len(original["sessions"])


ODD = {
    # the last "sessions" key is the one read (as json.loads keeps it)
    "two sessions keys": '{"format": "overload-backup", "version": 4, "sessions": [{"date": 1}], '
    '"sessions": [SESSION]}',
    "sessions null": '{"format": "overload-backup", "version": 4, "sessions": null}',
    "no sessions": '{"version": 1, "format": "overload-backup"}',
    "sessions not a list": '{"format": "overload-backup", "version": 4, "sessions": {"a": 1}}',
    # an item that is not an object is refused before any session is checked, as a whole read does
    "an item not an object": '{"format": "overload-backup", "version": 4, "sessions": [{"date": 1}, 5]}',
    "a bad set": '{"format": "overload-backup", "version": 4, "templates": [{"ref": "t1", "name": "T"}], '
    '"sessions": [SESSION, BADSET]}',
    "a bad date": '{"format": "overload-backup", "version": 4, "sessions": [SESSION, {"date": "soon"}]}',
    "a program ref after the sessions": '{"format": "overload-backup", "version": 4, "sessions": '
    '[PROGRAMMED], "programs": [{"ref": "p9", "name": "Mine", "source": "nonsense"}]}',
    "not an object": '[{"format": "overload-backup"}]',
    "extra data": '{"format": "overload-backup", "version": 4, "sessions": []} {}',
    "trailing comma": '{"format": "overload-backup", "version": 4, "sessions": [SESSION,]}',
    "trailing comma in the object": '{"format": "overload-backup", "version": 4, "sessions": [],\n}',
    "no colon": '{"format": "overload-backup", "version" 4}',
    "a key not text": '{"format": "overload-backup", 4: 4}',
}


def _odd(text: str) -> str:
    session = json.dumps(_session(1, 5))
    bad = _session(2, 5)
    bad["entries"][1]["sets"][0]["reps"] = -3
    programmed = dict(_session(3, 2), program="p9", program_week=1, program_day=1)
    return (text.replace("BADSET", json.dumps(bad)).replace("SESSION", session)
            .replace("PROGRAMMED", json.dumps(programmed)))  # fmt: skip


def _outcome(call):
    try:
        report = call()
    except ImportFormatError as error:
        return type(error).__name__, error.reason, error.line
    return report


@pytest.mark.parametrize("case", list(ODD))
def test_odd_backups_are_planned_and_refused_as_read_whole(case, tmp_path, transfer, bob_transfer, services, alice):
    path = write(tmp_path, "odd.json", _odd(ODD[case]))
    streamed = _outcome(lambda: transfer.plan_import(path).report)
    whole = _outcome(lambda: bob_transfer.plan_parsed(parse_bytes(path.read_bytes()), "odd.json").report)
    if isinstance(whole, tuple):
        assert streamed == whole
    else:
        assert streamed == whole
        assert _outcome(lambda: transfer.import_file(path, skip_invalid=True)) == _outcome(
            lambda: bob_transfer.commit_import(
                bob_transfer.plan_parsed(parse_bytes(path.read_bytes()), "odd.json"), skip_invalid=True
            )
        )
    if case == "a bad set":
        assert [r.where for r in streamed.invalid] == ["sessions[1].entries[1].sets[0]"]
        with pytest.raises(InvalidRowsError):
            transfer.import_file(path)
    if case == "a bad date":
        assert streamed[1] == "sessions[1].date: cannot read the date 'soon'"


@pytest.mark.parametrize("chunk", [1 << 20, 5])
def test_a_backup_cut_short_mid_session_says_where_and_writes_nothing(tmp_path, monkeypatch, services, transfer,
                                                                     alice, chunk):
    monkeypatch.setattr(backupstream, "CHUNK", chunk)
    text = json.dumps(_backup(120), indent=1) + "\n"
    inside = text.index('"session 80"') + 4  # inside sessions[80]'s notes
    between = text.index('"date"', inside) - 6  # after sessions[80], before its comma
    for cut in (inside, between, text.index('"sets"', inside)):
        path = write(tmp_path, "cut.json", text[:cut])
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(text[:cut])
        for call in (lambda: transfer.plan_import(path), lambda: transfer.import_file(path, skip_invalid=True)):
            with pytest.raises(ImportFormatError) as info:
                call()
            assert (info.value.reason, info.value.line) == (f"not valid JSON: {expected.value.msg}", expected.value.lineno)
            assert info.value.line == text[:cut].count("\n") + 1 > 1000
    assert db_counts(services, alice.id) == {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


def test_a_backup_changed_after_its_plan_writes_nothing(tmp_path, services, transfer, alice):
    path = tmp_path / "backup.json"
    _write(path, _backup(300))
    text = path.read_text(encoding="utf-8")
    plan = transfer.plan_import(path)
    assert plan.report.sets == 7_500
    # The same size and time, one set's weight changed (60.0 for 70.0, late in the file): only the
    # bytes say so, when the commit has read its sessions.
    stamp = os.stat(path)
    at = text.rindex('"weight": 70.0')
    path.write_text(text[:at] + '"weight": 60.0' + text[at + len('"weight": 60.0'):], encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    with pytest.raises(FileChangedError) as info:
        transfer.commit_import(plan)
    assert isinstance(info.value, ImportFormatError) and info.value.source == "backup.json"
    assert db_counts(services, alice.id)["sets"] == 0
    # A session more: its size says so before anything is read.
    plan = transfer.plan_import(path)
    _write(path, _backup(301))
    with pytest.raises(FileChangedError):
        transfer.commit_import(plan)
    assert db_counts(services, alice.id) == {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


def test_a_backup_may_be_bigger_than_a_csv_export(tmp_path, monkeypatch, services, transfer, alice):
    """The caps scaled down: a backup over the CSV cap restores (on one line too, as a minified
    file), one over the backup cap is refused before a byte is read, a CSV over its cap still is."""
    from overload_tui.services.transfer import service as transfer_service

    monkeypatch.setattr(transfer_service, "MAX_FILE_BYTES", 64 * 1024)
    monkeypatch.setattr(transfer_service, "MAX_BACKUP_BYTES", 2 * 1024 * 1024)
    one_line = tmp_path / "one_line.json"
    _write(one_line, _backup(100), indent=None)
    assert 64 * 1024 < one_line.stat().st_size < 2 * 1024 * 1024 and one_line.read_text().count("\n") == 1
    assert transfer.import_file(one_line).sets == 2_500
    too_big = tmp_path / "too_big.json"
    _write(too_big, _backup(1_000))
    assert too_big.stat().st_size > 2 * 1024 * 1024
    with pytest.raises(ImportFormatError, match="size limit of 2 MB"):
        transfer.plan_import(too_big)
    csv = write(tmp_path, "big.csv", "Date,Workout Name\n" + "2024-01-01 10:00:00,A\n" * 4000)
    with pytest.raises(ImportFormatError, match="size limit of 0 MB"):
        transfer.plan_import(csv)
    # a JSON file that is not an object is read whole, under the CSV cap
    listed = write(tmp_path, "list.json", json.dumps([_session(i, 25) for i in range(100)]))
    with pytest.raises(ImportFormatError, match="size limit of 0 MB"):
        transfer.plan_import(listed)
    assert db_counts(services, alice.id)["sets"] == 2_500


def test_an_exercise_first_met_in_a_workout_gets_the_kind_all_its_sets_measure(
    tmp_path, services, transfer, bob_transfer, alice, bob
):
    """The commit writes an exercise no template or definition names when its first workout is
    written, before its later sets are read: its kind is what all of them measure (a distance
    here, first met as weight x reps), as a whole read gives it; another spelling shares it."""
    from sqlalchemy import select

    from overload_tui.db.models import Exercise

    first = _session(1, 4)
    first["entries"] = [dict(first["entries"][0], exercise="Sled Haul", custom=True)]
    later = _session(2, 4)
    later["entries"] = [dict(later["entries"][0], exercise="Sled Haul", custom=True)]
    for st in later["entries"][0]["sets"]:
        st.update(distance_m=20.0, distance_unit="m")
    spelled = _session(4, 4)
    spelled["entries"] = [dict(spelled["entries"][0], exercise="sled  haul", custom=True)]
    whole_backup = dict(_backup(0), sessions=[_session(0, 8), first, _session(3, 8), later, spelled])
    path = tmp_path / "sled.json"
    _write(path, whole_backup)
    done = transfer.import_file(path)
    whole = bob_transfer.commit_import(bob_transfer.plan_parsed(parse_bytes(path.read_bytes()), "sled.json"))
    assert done == whole
    kinds = {}
    with services.db.read() as s:
        for user in (alice, bob):
            kinds[user.username] = sorted(
                (name, kind) for name, kind in s.execute(
                    select(Exercise.name, Exercise.kind).where(Exercise.owner_id == user.id)
                )
            )  # fmt: skip
    assert kinds["alice"] == kinds["bob"]
    assert ("Sled Haul", "distance") in kinds["alice"], kinds
    sled = [m for m in done.mappings if m.target == "Sled Haul"]
    assert [(m.file_name, m.kind.value, m.off_kind) for m in sled] == [
        ("Sled Haul", "distance", 1), ("sled haul", "distance", 1)  # their weight x reps sets (name cleaned)
    ]
