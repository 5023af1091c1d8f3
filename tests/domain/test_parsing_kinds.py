"""The set box's grammar for every kind of exercise: each form, what does not fit, and property
tests (every set of every kind written as the box shows it reads back as the same set, and is
a set for the command parser; nothing raises but a ValidationError)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.commands import AddExercise, EditSet, GoToExercise, LogSet, parse_command
from overload_tui.domain.enums import DistanceUnit, ExerciseKind, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.measures import metres
from overload_tui.domain.parsing import VALUE_FIELDS, ParsedSet, parse_set_entry
from overload_tui.domain.validation import MAX_DISTANCE_M, MAX_DURATION
from overload_tui.services import format as fmt
from overload_tui.services.dto import SetInfo

K, KG = ExerciseKind, Unit.KG
PREV = ParsedSet(60.0, 8, KG, 45.0, 2000.0, DistanceUnit.M)


def read(text: str, kind: ExerciseKind, previous=PREV) -> tuple:
    p = parse_set_entry(text, KG, previous, kind=kind, name="It")
    return p.weight, p.reps, p.duration_s, p.distance_m, p.distance_unit


@pytest.mark.parametrize("kind, text, expected", [
    (K.REPS_ONLY, "15", (0, 15, None, None, None)),
    (K.REPS_ONLY, "x15", (0, 15, None, None, None)),
    (K.REPS_ONLY, "15 reps", (0, 15, None, None, None)),
    (K.REPS_ONLY, "bw x 15", (0, 15, None, None, None)),
    (K.WEIGHTED, "bw+20x8", (20, 8, None, None, None)),
    (K.WEIGHTED, "BW + 20 x 8", (20, 8, None, None, None)),
    (K.WEIGHTED, "20x8", (20, 8, None, None, None)),
    (K.WEIGHTED, "+20x8", (20, 8, None, None, None)),
    (K.WEIGHTED, "x8", (0, 8, None, None, None)),
    (K.WEIGHTED, "bwx8", (0, 8, None, None, None)),
    (K.WEIGHTED, "bw+20", (20, 8, None, None, None)),
    (K.WEIGHTED, "bw+45lb x 5", (20.412, 5, None, None, None)),
    (K.ASSISTED, "bw-30x8", (30, 8, None, None, None)),
    (K.ASSISTED, "bw−30 × 8", (30, 8, None, None, None)),  # as the app shows it
    (K.ASSISTED, "30x8", (30, 8, None, None, None)),
    (K.ASSISTED, "-30x8", (30, 8, None, None, None)),
    (K.ASSISTED, "x8", (0, 8, None, None, None)),
    (K.TIME, "60s", (0, 1, 60, None, None)),
    (K.TIME, "60", (0, 1, 60, None, None)),
    (K.TIME, "1:30", (0, 1, 90, None, None)),
    (K.TIME, "2m 30s", (0, 1, 150, None, None)),
    (K.TIME, "1:02:05", (0, 1, 3725, None, None)),
    (K.TIME, "3x60s", (0, 3, 60, None, None)),
    (K.TIME, "60s +20", (20, 1, 60, None, None)),
    (K.TIME, "20kg 1:00", (20, 1, 60, None, None)),
    (K.TIME, "+25kg", (25, 1, 45, None, None)),  # the previous hold, with a load
    (K.DISTANCE, "2000m 7:30", (0, 1, 450, 2000, DistanceUnit.M)),
    (K.DISTANCE, "2000 m in 7:30", (0, 1, 450, 2000, DistanceUnit.M)),
    (K.DISTANCE, "5km 25:00", (0, 1, 1500, 5000, DistanceUnit.KM)),
    (K.DISTANCE, "3mi 24:00", (0, 1, 1440, 4828.032, DistanceUnit.MI)),
    (K.DISTANCE, "8x400m", (0, 8, None, 400, DistanceUnit.M)),
    (K.DISTANCE, "8 x 400m 1:30", (0, 8, 90, 400, DistanceUnit.M)),
    (K.DISTANCE, "20m 100kg", (100, 1, None, 20, DistanceUnit.M)),
    (K.DISTANCE, "20m +100", (100, 1, None, 20, DistanceUnit.M)),
    (K.DISTANCE, "7:20", (0, 1, 440, 2000, DistanceUnit.M)),  # the previous distance, this time
    (K.DISTANCE, "1h 5min 10km", (0, 1, 3900, 10000, DistanceUnit.KM)),
    (K.DISTANCE, "100yd 20s", (0, 1, 20, 91.44, DistanceUnit.YD)),
])
def test_each_kinds_forms(kind, text, expected):
    assert read(text, kind) == expected


@pytest.mark.parametrize("kind, text, field", [
    (K.TIME, "100x5", "set"), (K.TIME, "3x60", "set"), (K.TIME, "0s", "duration"), (K.TIME, "25h", "duration"),
    (K.TIME, "24:00:01", "duration"),
    (K.DISTANCE, "100x5", "set"), (K.DISTANCE, "2000", "set"), (K.DISTANCE, "0m", "distance"),
    (K.DISTANCE, "1000.001km", "distance"), (K.DISTANCE, "2000m 7:30 8:00", "set"),
    (K.REPS_ONLY, "100x5", "set"), (K.REPS_ONLY, "x0", "reps"), (K.REPS_ONLY, "1001", "reps"),
    (K.WEIGHTED, "bw-20x8", "set"), (K.WEIGHTED, "bw 20x8", "set"), (K.ASSISTED, "bw+20x8", "set"),
    (K.WEIGHT_REPS, "bw+20x8", "set"), (K.WEIGHT_REPS, "60s", "set"), (K.WEIGHT_REPS, "-5x5", "weight"),
])
def test_refused_with_the_field(kind, text, field):
    with pytest.raises(ValidationError) as refused:
        read(text, kind)
    assert refused.value.field == field and str(refused.value)


def test_a_line_that_does_not_fit_names_the_exercise():
    with pytest.raises(ValidationError, match=r"^Plank is timed: type a time like 60s or 1:30\.$"):
        parse_set_entry("100x5", KG, None, kind=K.TIME, name="Plank")


SETS = {
    K.WEIGHT_REPS: st.builds(lambda w, r: SetInfo(0, 0, w / 4, r, KG), st.integers(0, 4000), st.integers(1, 1000)),
    K.REPS_ONLY: st.builds(lambda r: SetInfo(0, 0, 0.0, r, KG), st.integers(1, 1000)),
    K.WEIGHTED: st.builds(lambda w, r: SetInfo(0, 0, w / 4, r, KG), st.integers(0, 4000), st.integers(1, 1000)),
    K.ASSISTED: st.builds(lambda w, r: SetInfo(0, 0, w / 4, r, KG), st.integers(0, 4000), st.integers(1, 1000)),
    K.TIME: st.builds(lambda w, r, d: SetInfo(0, 0, w / 2, r, KG, duration_s=float(d)),
                      st.integers(0, 2000), st.integers(1, 100), st.integers(1, MAX_DURATION)),
    K.DISTANCE: st.builds(
        lambda w, r, d, n, u: SetInfo(0, 0, w / 2, r, KG, duration_s=d and float(d), distance_m=metres(n / 10, u),
                                      distance_unit=u.value),
        st.integers(0, 2000), st.integers(1, 100), st.none() | st.integers(1, MAX_DURATION),
        st.integers(1, 1000), st.sampled_from(list(DistanceUnit))),
}


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from(list(ExerciseKind)), st.sampled_from(["", " w", " d @8", " @9.5"]))
def test_every_set_reads_back_as_the_box_shows_it(data, kind, marks):
    s = data.draw(SETS[kind])
    text = fmt.set_entry_text(s, kind)
    command = parse_command(text + marks)
    assert isinstance(command, LogSet), (text, command)
    assert read(command.body, kind, None) == (s.weight, s.reps, s.duration_s, s.distance_m,
                                                s.distance_unit and DistanceUnit(s.distance_unit))
    assert isinstance(parse_command(f"#2 {text}"), EditSet)
    assert fmt.set_long(s, kind) and fmt.set_short(s, kind)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789xX*× ,.:kgblstmiydfhnrepw+-−@", max_size=24), st.sampled_from(list(ExerciseKind)))
def test_near_misses_raise_only_validation_errors_and_sets_stay_sets(text, kind):
    try:
        parsed = parse_set_entry(text, KG, PREV, kind=kind)
    except ValidationError as error:
        assert str(error)
    else:
        assert parsed.reps >= 1 and parsed.weight >= 0
        assert parsed.duration_s is None or 0 < parsed.duration_s <= MAX_DURATION
        assert parsed.distance_m is None or 0 < parsed.distance_m <= MAX_DISTANCE_M
        if kind in (K.TIME, K.DISTANCE):
            assert (parsed.duration_s if kind is K.TIME else parsed.distance_m)
        else:
            assert parsed.duration_s is parsed.distance_m is None
        if text.strip():
            assert isinstance(parse_command(text), LogSet)  # a set of some kind: never an exercise search


@pytest.mark.parametrize("line, expected", [
    ("+20 60s", LogSet("+20 60s", None, None)),
    ("bw+20x8 @8", LogSet("bw+20x8", None, 8.0)),
    ("bw-30x8 w", LogSet("bw-30x8", "warmup", None)),
    ("2000m 7:30 d", LogSet("2000m 7:30", "drop", None)),
    ("#3 60s", EditSet(3, "60s", ..., ...)),
    ("+bench press", AddExercise("bench press")),
    ("bench 2-1-2", GoToExercise("bench 2-1-2", None)),
    ("plank", GoToExercise("plank", None)),
])
def test_commands_tell_sets_of_every_kind_from_names(line, expected):
    command = parse_command(line)
    if isinstance(expected, EditSet):
        assert isinstance(command, EditSet) and (command.position, command.body) == (3, "60s")
    else:
        assert command == expected
