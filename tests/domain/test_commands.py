import copy
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.commands import (
    GRAMMAR_HELP, KEEP, AddExercise, DeleteSet, EditSet, GoToExercise, Help, LogSet, Rest,
    SetNote, SwitchUnit, marks_text, parse_command, split_marks,
)
from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import parse_set_entry

COMMANDS = (LogSet, EditSet, DeleteSet, GoToExercise, AddExercise, SetNote, Rest, SwitchUnit, Help)


@pytest.mark.parametrize("line, expected", [
    # Sets, with and without marks
    ("", LogSet("", None, None)),
    ("   ", LogSet("", None, None)),
    ("100x5", LogSet("100x5", None, None)),
    ("  100   x  5 ", LogSet("100 x 5", None, None)),
    ("x6", LogSet("x6", None, None)),
    ("105", LogSet("105", None, None)),
    ("bw", LogSet("bw", None, None)),
    ("bw x 10", LogSet("bw x 10", None, None)),
    ("BW 10 W", LogSet("BW 10", "warmup", None)),
    ("8 stacks x 12", LogSet("8 stacks x 12", None, None)),
    ("225lb x 5", LogSet("225lb x 5", None, None)),
    ("62,5x8", LogSet("62,5x8", None, None)),
    ("100x5 w", LogSet("100x5", "warmup", None)),
    ("100x5w", LogSet("100x5", "warmup", None)),
    ("80x8 d @9", LogSet("80x8", "drop", 9.0)),
    ("80x8 @9 d", LogSet("80x8", "drop", 9.0)),
    ("100x5 f rpe 8,5", LogSet("100x5", "failure", 8.5)),
    ("100x5 warm-up", LogSet("100x5", "warmup", None)),
    ("w", LogSet("", "warmup", None)),
    ("D", LogSet("", "drop", None)),
    ("@8", LogSet("", None, 8.0)),
    ("f @ 10", LogSet("", "failure", 10.0)),
    # A set with a bad value is still a set: applying it reports the value
    ("-5x5", LogSet("-5x5", None, None)),
    ("x -6", LogSet("x -6", None, None)),
    ("100x5000", LogSet("100x5000", None, None)),
    ("2000", LogSet("2000", None, None)),
    # Edits
    ("#3 100x6", EditSet(3, "100x6", KEEP, KEEP)),
    ("#3 w", EditSet(3, None, "warmup", KEEP)),
    ("#3 @9", EditSet(3, None, KEEP, 9.0)),
    ("#w", EditSet(None, None, "warmup", KEEP)),
    ("#x6", EditSet(None, "x6", KEEP, KEEP)),
    ("#2 x6 f @8", EditSet(2, "x6", "failure", 8.0)),
    ("#3x6", EditSet(3, "x6", KEEP, KEEP)),
    ("# 12  n", EditSet(12, None, None, KEEP)),
    ("#3 normal", EditSet(3, None, None, KEEP)),
    ("#3 @-", EditSet(3, None, KEEP, None)),
    ("#3 n @-", EditSet(3, None, None, None)),
    ("#3 -5x5", EditSet(3, "-5x5", KEEP, KEEP)),
    ("#999 d", EditSet(999, None, "drop", KEEP)),
    # Deletes
    ("#3 del", DeleteSet(3)),
    ("#3 DELETE", DeleteSet(3)),
    ("#3 -", DeleteSet(3)),
    ("#del", DeleteSet(None)),
    ("#-", DeleteSet(None)),
    # Exercises
    (">squat", GoToExercise("squat", None)),
    ("> Bench  Press ", GoToExercise("Bench Press", None)),
    (">2", GoToExercise("2", 2)),
    ("squat barbell", GoToExercise("squat barbell", None)),
    ("Squat w", GoToExercise("Squat w", None)),
    ("squat @home", GoToExercise("squat @home", None)),
    ("bench 2-1-2", GoToExercise("bench 2-1-2", None)),
    ("rows", GoToExercise("rows", None)),
    ("x", GoToExercise("x", None)),
    ("+bench press", AddExercise("bench press")),
    ("+ Leg  Curl", AddExercise("Leg Curl")),
    # Notes
    ("note seat 4,  narrow Grip", SetNote("seat 4, narrow Grip", False)),
    ("NOTE x", SetNote("x", False)),
    ("wnote slept badly", SetNote("slept badly", True)),
    ("note -", SetNote(None, False)),
    ("wnote -", SetNote(None, True)),
    ("note - left knee", SetNote("- left knee", False)),
    # Rest
    ("rest", Rest(None, False)),
    ("REST 90", Rest(90, False)),
    ("rest 2m", Rest(120, False)),
    ("rest 1:30", Rest(90, False)),
    ("rest +30", Rest(30, True)),
    ("rest -15s", Rest(-15, True)),
    ("rest off", Rest(None, False, stop=True)),
    ("rest stop", Rest(None, False, stop=True)),
    ("rest 0", Rest(None, False, stop=True)),
    ("r", Rest(None, False)),
    ("r+30", Rest(30, True)),
    ("r 90", Rest(90, False)),
    ("r90", Rest(90, False)),
    # Unit, help
    ("kg", SwitchUnit(Unit.KG)),
    ("Stacks", SwitchUnit(Unit.STACKS)),
    ("st", SwitchUnit(Unit.STACKS)),
    ("?", Help()),
    ("Help", Help()),
])
def test_forms(line, expected):
    assert parse_command(line) == expected


@pytest.mark.parametrize("line, message", [
    ("#0", "numbered from 1"),
    ("#0 w", "numbered from 1"),
    ("#1000 w", "to 999"),
    ("#" + "9" * 40 + " w", "to 999"),
    ("#abc", "#3 100x6"),
    ("#3 squat", "#3 100x6"),
    ("#3 w w", "#3 100x6"),
    ("#3", "Say what to change: #3 100x6, #3 w, #3 del"),
    ("#", "Say what to change"),
    ("#3 @11", "RPE"),
    (">", "Type the exercise"),
    ("+", "Type the exercise"),
    ("> ", "Type the exercise"),
    (">0", "numbered from 1"),
    (">" + "a" * 101, "at most 100"),
    ("a" * 101, "at most 100"),
    ("squat\x00", "control characters"),
    ("note", "Type the note after 'note' (note - clears it)"),
    ("wnote  ", "Type the note after 'wnote'"),
    ("note " + "a" * 2001, "at most 2000"),
    ("100x5 @11", "RPE"),
    ("100x5 @", "RPE"),
    ("@0", "RPE"),
    ("rpe", "RPE"),
    ("rest pause", "Could not read"),
    ("rest 25h", "24 hours"),
    ("rest " + "9" * 30, "Could not read"),
    ("1OOx5x", "F1 lists every command"),
    ("???", "like 100x5"),
    ("100x5 w d", "like 100x5"),
    ("100x5-", "like 100x5"),
    ("1" * 300, "too long"),
])
def test_errors(line, message):
    with pytest.raises(ValidationError) as caught:
        parse_command(line)
    assert message in str(caught.value)


def test_keep_is_a_singleton_named_keep():
    assert repr(KEEP) == "KEEP"
    assert copy.deepcopy(KEEP) is KEEP and pickle.loads(pickle.dumps(KEEP)) is KEEP
    assert repr(EditSet(None, None, KEEP, 8.0)) == "EditSet(position=None, body=None, set_type=KEEP, rpe=8.0)"


def test_commands_are_frozen():
    with pytest.raises(AttributeError):
        LogSet("", None, None).body = "x"  # type: ignore[misc]


@pytest.mark.parametrize("text, expected", [
    ("80x8 d @9", ("80x8", "drop", 9.0)),
    ("  100x5  ", ("100x5", None, None)),
    ("100x5 rpe 8,5 wu", ("100x5", "warmup", 8.5)),
    ("bw", ("bw", None, None)),
    ("100x5 n", ("100x5 n", None, None)),  # 'n' is an edit mark only
    ("100x5 w d", ("100x5 w", "drop", None)),
    ("", ("", None, None)),
    (None, ("", None, None)),
])
def test_split_marks(text, expected):
    assert split_marks(text) == expected


@pytest.mark.parametrize("text", ["100x5 @11", "@x", "100x5 @-", "rpe nan"])
def test_split_marks_bad_rpe(text):
    with pytest.raises(ValidationError, match="RPE must be a number from 1 to 10"):
        split_marks(text)


@pytest.mark.parametrize("set_type, rpe, text", [
    (None, None, ""), ("warmup", None, " w"), ("drop", 8.0, " d @8"), ("failure", 8.5, " f @8.5"),
    (None, 10.0, " @10"),
])
def test_marks_text(set_type, rpe, text):
    assert marks_text(set_type, rpe) == text


def test_grammar_help_fits_a_phone():
    lines = GRAMMAR_HELP.splitlines()
    assert len(lines) <= 20 and max(map(len, lines)) <= 44


@pytest.mark.parametrize("example, kind", [
    ("100x5", LogSet), ("bw x 10", LogSet), ("100x5 @8", LogSet), ("#3 100x6", EditSet),
    ("#3 @-", EditSet), ("#x6", EditSet), ("#del", DeleteSet), ("#3 del", DeleteSet),
    (">squat", GoToExercise), ("+bench press", AddExercise), ("note seat 4", SetNote),
    ("wnote slept badly", SetNote), ("rest 90", Rest), ("r+30", Rest), ("rest off", Rest),
    ("stacks", SwitchUnit), ("?", Help), ("15", LogSet), ("bw+20x8", LogSet), ("bw-30x8", LogSet),
    ("60s +20", LogSet), ("2000m 7:30", LogSet), ("8x400m", LogSet), ("20m +100", LogSet),
])
def test_grammar_help_examples_parse(example, kind):
    assert example in GRAMMAR_HELP
    assert isinstance(parse_command(example), kind)


_PIECES = st.sampled_from([
    "#", ">", "+", "@", "-", ",", ".", ":", " ", "  ", "x", "X", "*", "×", "w", "d", "f", "n",
    "del", "note", "wnote", "rest", "r", "rpe", "bw", "kg", "lb", "stacks", "st", "?", "help",
    "off", "0", "1", "5", "9", "10", "100", "999", "1000", "8.5", "2m", "1:30", "\x00", "\t",
    "\ud800", "é", "٣", "\u202e", "nan", "inf", "1e9", "\n",
])


@settings(max_examples=600)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=12).map("".join)))
def test_any_text_is_a_command_or_a_validation_error(line):
    try:
        result = parse_command(line)
    except ValidationError as error:
        assert str(error)
    else:
        assert isinstance(result, COMMANDS)


@given(
    cents=st.integers(0, 100_000),
    reps=st.integers(1, 100),
    sep=st.sampled_from(["x", " x ", "X", "*", " ", "×"]),
    set_type=st.sampled_from([None, "warmup", "drop", "failure"]),
    rpe=st.none() | st.integers(2, 20).map(lambda n: n / 2),
)
def test_a_formatted_set_round_trips(cents, reps, sep, set_type, rpe):
    weight = f"{cents // 100}.{cents % 100:02d}".rstrip("0").rstrip(".")
    command = parse_command(f"{weight}{sep}{reps}{marks_text(set_type, rpe)}")
    assert isinstance(command, LogSet)
    assert (command.set_type, command.rpe) == (set_type, rpe)
    parsed = parse_set_entry(command.body, Unit.KG, previous=(1.0, 1))
    assert (parsed.weight, parsed.reps) == (cents / 100, reps)


@given(
    set_type=st.sampled_from([None, "warmup", "drop", "failure"]),
    rpe=st.none() | st.floats(1, 10),
)
def test_marks_text_reads_back(set_type, rpe):
    assert split_marks(marks_text(set_type, rpe)) == ("", set_type, rpe)
