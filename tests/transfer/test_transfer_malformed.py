"""Files that cannot be read: each reports the line and the reason, and nothing is written."""

from __future__ import annotations

import pytest

from overload_tui.services.transfer import ImportFormatError
from tests.transfer.helpers import db_counts, fixture_file, write

STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
GOOD = "2024-01-01 08:00:00,Morning,1h,Squat (Barbell),1,100,5,0,0,,,\n"
FIT_HEAD = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"
FIT_GOOD = "2022-09-14,Dumbbell Curl,Biceps,20.0,lbs,10,,,,\n"

CASES = {
    # name: (file content, expected line, words the reason must contain)
    "truncated row": (STRONG_HEAD + GOOD * 3 + "2024-01-01 08:00:00,Morning,1h", 5, "expected 12 fields, found 3"),
    "truncated inside a quote": (
        STRONG_HEAD + GOOD * 2 + '2024-01-01 08:00:00,Morning,1h,"Squat (Barb',
        4,
        "never closed",
    ),
    "broken quote": (STRONG_HEAD + GOOD + '2024-01-01 08:00:00,"Morning"x,1h,Squat,1,100,5,0,0,,,\n', 3, "broken quote"),
    "rows with another delimiter": (
        STRONG_HEAD + GOOD.replace(",", ";") * 2,
        2,
        "delimited with ';' but the header with ','",
    ),
    "bad date": (STRONG_HEAD + GOOD + GOOD.replace("2024-01-01", "2024-13-45"), 3, "cannot read the date '2024-13-45"),
    "text in the weight column": (STRONG_HEAD + GOOD + GOOD.replace(",100,", ",heavy,"), 3, "Weight must be a number"),
    "text in the reps column": (STRONG_HEAD + GOOD.replace(",5,0", ",five,0"), 2, "Reps must be a number"),
    "unknown set order": (STRONG_HEAD + GOOD.replace(",1,100", ",X,100"), 2, "unknown Set Order 'X'"),
    "unquoted comma in a FitNotes name": (
        FIT_HEAD + FIT_GOOD + "2022-09-14,Curl, Hammer Grip,Biceps,20.0,lbs,10,,,,\n" + FIT_GOOD,
        3,
        "expected 10 fields, found 11 (an unquoted ',' inside a name or note?)",
    ),
    "unknown weight unit": (FIT_HEAD + FIT_GOOD.replace(",lbs,", ",stone,"), 2, "unknown weight unit 'stone'"),
    "hevy unknown set type": (
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n"
        'Push,"7 Apr 2026, 10:14",,,Bench Press (Barbell),,,0,superset,60,5,,,\n',
        2,
        "unknown set_type 'superset'",
    ),
    "unknown header": ("when,what,how much\n2024-01-01,squat,100\n", 1, "not a Strong, Hevy or FitNotes export"),
    "tab-delimited unknown header": ("a\tb\tc\n1\t2\t3\n", 1, "not a Strong, Hevy or FitNotes export"),
    "empty file": ("", 1, "the file is empty"),
    "blank first line": ("\n" + STRONG_HEAD + GOOD, 1, "the first line is empty"),
    "not UTF-8": (
        (STRONG_HEAD + GOOD).encode() + "2024-01-01 08:00:00,Morning,1h,Bankdrücken,1,100,5,0,0,,,\n".encode("latin-1"),
        3,
        "not UTF-8",
    ),
    "broken JSON": ('{"format": "overload-backup",\n "version": 1,\n "sessions": [}\n', 3, "not valid JSON"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_file_reports_its_line_and_writes_nothing(services, alice, transfer, tmp_path, case):
    content, line, reason = CASES[case]
    path = write(tmp_path, "export.csv", content)
    for call in (
        lambda: transfer.plan_import(path),
        lambda: transfer.import_file(path),
        lambda: transfer.import_file(path, skip_invalid=True),
    ):
        with pytest.raises(ImportFormatError) as info:
            call()
        error = info.value
        assert error.line == line, str(error)
        assert reason in error.reason, str(error)
        message = str(error)
        assert message.startswith(f"export.csv: line {line}: ")
        assert message.endswith("Nothing was imported.") and "\n" not in message
    assert db_counts(services, alice.id) == {"sessions": 0, "entries": 0, "sets": 0, "custom": 0, "templates": 0}


def test_every_bad_line_is_listed(transfer, tmp_path):
    bad = "2022-09-14,Curl, Hammer Grip,Biceps,20.0,lbs,10,,,,\n"
    path = write(tmp_path, "fitnotes.csv", FIT_HEAD + FIT_GOOD + bad + FIT_GOOD + bad + bad)
    with pytest.raises(ImportFormatError) as info:
        transfer.plan_import(path)
    assert [line for line, _ in info.value.problems] == [3, 5, 6]
    assert "(also lines 5, 6)" in str(info.value)


def test_a_real_export_with_one_broken_row_is_refused_whole(services, alice, transfer, tmp_path):
    lines = fixture_file("fitnotes_sample.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i in range(400, len(lines)) if "Flat Dumbbell Bench Press" in lines[i])
    lines[i] = lines[i].replace("Flat Dumbbell Bench Press", "Bench Press, Flat (Dumbbell)")
    assert lines[i].count(",") == 10
    path = write(tmp_path, "fitnotes.csv", "".join(lines))
    with pytest.raises(ImportFormatError) as info:
        transfer.import_file(path, skip_invalid=True)
    assert info.value.line == i + 1
    assert db_counts(services, alice.id)["sessions"] == 0


def test_a_file_that_is_not_there(transfer, tmp_path):
    with pytest.raises(ImportFormatError, match="no such file"):
        transfer.plan_import(tmp_path / "missing.csv")
    with pytest.raises(ImportFormatError, match="is a folder"):
        transfer.plan_import(tmp_path)


def test_backup_with_a_wrong_structure(services, alice, transfer, tmp_path):
    bad = '{"format": "overload-backup", "version": 1, "sessions": [{"date": "2024-01-01T08:00:00", "entries": [{"exercise": "Squat (Barbell)", "sets": [{"weight": "heavy", "reps": 5}]}]}]}'
    with pytest.raises(ImportFormatError) as info:
        transfer.import_file(write(tmp_path, "b.json", bad))
    assert "sessions[0].entries[0].sets[0].weight: expected a number" in str(info.value)
    other = '{"format": "something-else"}'
    with pytest.raises(ImportFormatError, match="not an overload backup"):
        transfer.import_file(write(tmp_path, "c.json", other))
    assert db_counts(services, alice.id)["sessions"] == 0
