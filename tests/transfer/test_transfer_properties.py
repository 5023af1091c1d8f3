"""Property tests: whatever bytes or rows come in, the readers either parse them or raise
ImportFormatError (one clear line) - never another exception."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overload_tui.services.transfer import ImportFormatError, parse_bytes
from overload_tui.services.transfer.model import ParsedFile

HEADERS = {
    "strong": "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE",
    "strong#": '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";'
    '"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"',
    "legacy": "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes",
    "hevy": "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe",
    "fitnotes": "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment",
    "fitnotes-old": "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time",
}

# Values that look like what the columns hold, and values that do not.
plausible = st.sampled_from(
    ["", "0", "1", "10", "10.0", "-5", "877777", "1e309", "nan", "2.5", "12,5", "W", "F", "D", "Rest Timer",
     "WARM_UP", "warmup", "dropset", "normal", "kg", "lbs", "kgs", "Cardio", "Chest", "Triceps",
     "2024-11-28 17:36:08", "7 Apr 2026, 10:14", "2022-09-14", "1h 5m", "55s", "0:01:30", "Bench Press (Barbell)",
     "Leg Press", "x" * 150, "\x00", "\u202e", "💪", '"', "a\nb"]
)  # fmt: skip
field = st.one_of(plausible, st.text(max_size=20))


def _check(result: object) -> None:
    assert isinstance(result, ParsedFile)
    for w in result.workouts:
        assert w.entries or result.format == "json"  # a backup keeps a workout with no exercises
        for e in w.entries:
            assert e.exercise.name and len(e.exercise.name) <= 100
            for s in e.sets:
                assert 0 <= s.weight <= 1000 and 1 <= s.reps <= 1000
                assert s.set_type in (None, "warmup", "drop", "failure")


def _parse(data: bytes, fmt: str = "auto", unit: str | None = None) -> None:
    try:
        result = parse_bytes(data, fmt, unit)
    except ImportFormatError as error:
        text = str(error)
        assert text and "\n" not in text.replace(str(error.reason), "")
        return
    _check(result)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["auto", "strong", "hevy", "fitnotes", "json"]))
def test_random_bytes(data, fmt):
    _parse(data, fmt)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(list(HEADERS)),
    st.lists(st.lists(field, min_size=0, max_size=16), max_size=8),
    st.sampled_from([None, "kg", "lbs"]),
    st.booleans(),
)
def test_random_rows_under_a_real_header(kind, rows, unit, quote_all):
    header = HEADERS[kind]
    delimiter = ";" if ";" in header else ","
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    _parse((header + "\n" + buffer.getvalue()).encode("utf-8"), "auto", unit)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_after_a_header(text):
    _parse((HEADERS["strong"] + "\n" + text).encode("utf-8"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
set_like = st.fixed_dictionaries(
    {"weight": json_values | st.floats(), "reps": json_values | st.integers(-5, 2000)},
    optional={"unit": st.sampled_from(["kg", "stacks", "lbs", 3]), "set_type": json_values, "rpe": json_values,
              "order": json_values, "logged_at": json_values},
)  # fmt: skip
entry_like = st.fixed_dictionaries(
    {"exercise": json_values | st.sampled_from(["Squat (Barbell)", "", "My Move"])},
    optional={"custom": json_values, "sets": st.lists(set_like, max_size=3), "notes": json_values, "order": json_values},
)
session_like = st.fixed_dictionaries(
    {"date": json_values | st.sampled_from(["2024-01-01T08:00:00", "yesterday"])},
    optional={"entries": st.lists(entry_like, max_size=3), "name": json_values, "notes": json_values,
              "finished_at": json_values, "source_key": json_values, "template": json_values},
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(session_like, max_size=3),
    st.lists(st.fixed_dictionaries({"name": json_values, "category": json_values}), max_size=2),
    st.lists(st.fixed_dictionaries({"name": json_values}, optional={"entries": st.lists(entry_like, max_size=2)}), max_size=2),
)
def test_random_backups(sessions, exercises, templates):
    data = {"format": "overload-backup", "version": 1, "sessions": sessions, "exercises": exercises, "templates": templates}
    _parse(json.dumps(data).encode("utf-8"))
