"""Issue 17: a CSV export is imported as a stream. A 1.2M-set export took a 1.4 GB peak: the plan
held every row as an object, and the commit every row again. Now the plan keeps counts per
workout and the commit writes each workout as its last row is read, so memory does not grow
with the number of sets (the figures at 1.2M sets: ``benchmarks/bench_import.py``).

What the stream plans and writes is what the whole-file path (``parse_bytes`` + ``plan_parsed``)
plans and writes, row for row; a file changed between the plan and the commit writes nothing."""

from __future__ import annotations

import os

import pytest

from benchmarks.bench_import import write_strong_export
from overload_tui.services.transfer import ImportFormatError, parse_bytes
from overload_tui.services.transfer.stream import FileChangedError
from tests.transfer.helpers import DATA, db_counts, import_peaks, write


def test_memory_does_not_grow_with_the_number_of_sets(tmp_path, transfer, bob_transfer, services, alice, bob):
    """Structural, not timed: the plan and the commit of 4x the sets hold far less than 4x the
    memory (the whole-file import held about 4x: every row was an object, twice)."""
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_strong_export(small, 6_000)
    write_strong_export(large, 24_000)
    warm = tmp_path / "warm.csv"
    write_strong_export(warm, 500, seed=7)
    peaks = import_peaks(services, transfer, bob_transfer, small, large, warm)
    shown = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in peaks.items())
    assert peaks["large plan"] < 1.6 * peaks["small plan"], shown
    assert peaks["large commit"] < 1.6 * peaks["small commit"], shown
    assert db_counts(services, bob.id)["sets"] == 24_000


STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
FILES = {
    # the rows of one workout split by another's (a file sorted by exercise), one exercise in two
    # spellings, a refused row, a rest timer, a timed set, a new custom exercise, newest first
    "interleaved.csv": STRONG_HEAD
    + "2024-02-01 10:00:00,B,30m,Squat (Barbell),1,100,5,0,0,,,\n"
    + "2023-01-01 10:00:00,A,45m,Bench Press (Barbell),1,60,5,0,0,top set,Felt good,8\n"
    + "2024-02-01 10:00:00,B,30m,Plank,1,0,0,0,60,,,\n"
    + "2023-01-01 10:00:00,A,45m,Bench Press (Barbell),2,60,877777,0,0,,Felt good,\n"
    + "2023-01-01 10:00:00,A,45m,Rest Timer,Rest Timer,0,0,0,90,,,\n"
    + "2024-02-01 10:00:00,B,30m,my odd lift,1,20,10,0,0,,,\n"
    + "2023-01-01 10:00:00,A,45m,Bench Press (Barbell),3,62.5,3,0,0,,Felt good,9\n"
    + "2023-01-01 10:00:00,A,45m,My Odd Lift,1,20,10,0,0,,,\n"
    + "2024-02-01 10:00:00,B,30m,Squat (Barbell),2,100,5,0,0,,,\n",
    "hevy_lbs.csv": (
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,"
        "set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe\n"
        '"Push","7 Apr 2026, 10:14","7 Apr 2026, 11:00","",Bench Press (Barbell),,,0,warmup,135,5,,,\n'
        '"Push","7 Apr 2026, 10:14","7 Apr 2026, 11:00","",Bench Press (Barbell),,,1,normal,225.5,3,,,9\n'
        '"Run","6 Apr 2026, 07:00","6 Apr 2026, 07:30","",Running,,,0,normal,,,3.1,1800,\n'
    ),
}


def _cases():
    yield from FILES.items()
    for name in ("strong_sample.csv", "hevy_sample.csv", "fitnotes_sample.csv"):
        if (DATA / name).is_file():
            yield name, (DATA / name).read_bytes()


@pytest.mark.parametrize("name", [name for name, _ in _cases()])
def test_the_stream_plans_and_writes_what_the_whole_file_path_does(tmp_path, name, transfer, bob_transfer):
    data = dict(_cases())[name]
    path = write(tmp_path, name, data)
    raw = path.read_bytes()
    streamed = transfer.plan_import(path)
    assert streamed.stream is not None
    whole = bob_transfer.plan_parsed(parse_bytes(raw, default_unit="kg"), name)
    assert streamed.report == whole.report
    done = transfer.commit_import(streamed, skip_invalid=True)
    done_whole = bob_transfer.commit_import(whole, skip_invalid=True)
    assert done == done_whole
    assert transfer.export("strong-csv") == bob_transfer.export("strong-csv")
    assert transfer.export_backup()["sessions"] == bob_transfer.export_backup()["sessions"]
    # Again: every workout is a duplicate, in the stream's plan as in its commit.
    again = transfer.plan_import(path)
    assert again.report == bob_transfer.plan_parsed(parse_bytes(raw, default_unit="kg"), name).report
    assert again.report.workouts == 0 and again.report.duplicate_workouts == done.workouts


def test_a_file_changed_after_its_plan_writes_nothing(tmp_path, transfer, services, alice):
    path = tmp_path / "export.csv"
    write_strong_export(path, 2_000)
    plan = transfer.plan_import(path)
    with path.open("ab") as fh:  # a row more: its size says so before anything is written
        fh.write(b"2030-01-01 10:00:00,Late,30m,Squat (Barbell),1,100,5,0,0,,,\n")
    with pytest.raises(FileChangedError) as info:
        transfer.commit_import(plan)
    assert isinstance(info.value, ImportFormatError) and info.value.source == "export.csv"
    assert db_counts(services, alice.id)["sets"] == 0


def test_a_file_rewritten_with_its_size_and_time_kept_writes_nothing(tmp_path, transfer, services, alice):
    """The bytes read by the commit are checked against the plan's inside the transaction: the
    workouts written before the difference was found are rolled back with the rest."""
    path = tmp_path / "export.csv"
    write_strong_export(path, 12_000)
    info = path.stat()
    plan = transfer.plan_import(path)
    data = bytearray(path.read_bytes())
    last = data.rindex(b",100.0,")  # a weight near the end, after several chunks were written
    data[last + 1 : last + 6] = b"101.0"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    with pytest.raises(FileChangedError):
        transfer.commit_import(plan)
    assert db_counts(services, alice.id) == {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


def test_progress_goes_from_zero_to_the_sets_written_in_chunks(tmp_path, transfer):
    path = tmp_path / "export.csv"
    write_strong_export(path, 12_000)
    seen: list[tuple[int, int]] = []
    plan = transfer.plan_import(path)
    report = transfer.commit_import(plan, on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 12_000) and seen[-1] == (12_000, 12_000)
    assert len(seen) >= 4 and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert report.sets == 12_000


def test_a_byte_that_is_not_utf8_is_refused_with_its_line_far_into_a_file(tmp_path, transfer):
    path = tmp_path / "export.csv"
    write_strong_export(path, 30_000)  # over 2 MB: the byte is in a later chunk than the first
    data = path.read_bytes()
    at = data.index(b"\n", 2_000_000) + 1
    line = data[:at].count(b"\n") + 1
    path.write_bytes(data[:at] + b"2030-01-01 10:00:00,Caf\xe9,30m,Squat (Barbell),1,100,5,0,0,,,\n" + data[at:])
    with pytest.raises(ImportFormatError) as info:
        transfer.plan_import(path)
    assert info.value.line == line and "not UTF-8" in info.value.reason


def test_the_stream_refuses_a_fifo_and_a_file_over_the_cap(tmp_path, transfer, monkeypatch):
    """The refusals of read_source hold for the streaming path (opened non-blocking, checked on
    the descriptor; the cap counted on the bytes read, whatever the size said)."""
    from overload_tui.services.transfer import service as transfer_service

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFormatError, match="FIFO"):
        transfer.plan_import(fifo)  # would block in open() without O_NONBLOCK
    monkeypatch.setattr(transfer_service, "MAX_FILE_BYTES", 4096)
    path = tmp_path / "growing.csv"
    path.write_bytes(STRONG_HEAD.encode())
    real_fstat = os.fstat

    def fstat_before_it_grew(fd):
        info = real_fstat(fd)
        if os.path.samestat(info, os.stat(path)):
            with open(path, "ab") as fh:
                fh.write(b"2030-01-01 10:00:00,A,30m,Squat (Barbell),1,100,5,0,0,,,\n" * 200)
        return info

    monkeypatch.setattr(transfer_service.os, "fstat", fstat_before_it_grew)
    with pytest.raises(ImportFormatError, match="size limit"):
        transfer.plan_import(path)
