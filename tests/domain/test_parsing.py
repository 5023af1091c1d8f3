import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import ParsedSet, parse_duration, parse_set_entry

KG, ST = Unit.KG, Unit.STACKS
PREV = (60.0, 8)


@pytest.mark.parametrize("text, expected", [
    ("100x5", (100, 5, KG)),
    ("100 x 5", (100, 5, KG)),
    ("100X5", (100, 5, KG)),
    ("100*5", (100, 5, KG)),
    ("100 × 5", (100, 5, KG)),
    ("100 5", (100, 5, KG)),
    ("  100kg x 5 ", (100, 5, KG)),
    ("100 kg 5", (100, 5, KG)),
    ("8 stacks x 12", (8, 12, ST)),
    ("x8", (60, 8, KG)),
    ("x 10", (60, 10, KG)),
    ("100", (100, 8, KG)),
    ("", (60, 8, KG)),
    ("   ", (60, 8, KG)),
    ("62,5x8", (62.5, 8, KG)),
    ("62.5 x 8 reps", (62.5, 8, KG)),
    ("bw x 10", (0, 10, KG)),
    ("BW 10", (0, 10, KG)),
    ("225lb x 5", (102.058, 5, KG)),  # read in the exercise's unit, to the gram
    ("225 lbs x 5", (102.058, 5, KG)),
])
def test_accepted_forms(text, expected):
    assert parse_set_entry(text, KG, PREV) == ParsedSet(*expected)


def test_default_unit_applies():
    assert parse_set_entry("7x12", ST, None) == ParsedSet(7, 12, ST)
    assert parse_set_entry("x12", "stacks", (7, 10)) == ParsedSet(7, 12, ST)


@pytest.mark.parametrize("text, previous, message", [
    ("x8", None, "previous"),
    ("100", None, "previous"),
    ("", None, "previous"),
    ("100x0", None, "at least 1"),
    ("1001x5", None, "at most 1000"),
    ("101 x 5", None, "at most 100"),  # stacks
    ("-5x5", None, "negative"),
    ("abc", None, "Could not read"),
    ("100x5.5", None, "Could not read"),
    ("9" * 100, None, "too long"),
])
def test_rejected_with_a_clear_message(text, previous, message):
    unit = ST if "101" in text else KG
    with pytest.raises(ValidationError, match=message):
        parse_set_entry(text, unit, previous)


def test_bad_previous_or_unit():
    with pytest.raises(ValidationError):
        parse_set_entry("", KG, (float("nan"), 5))
    with pytest.raises(ValidationError):
        parse_set_entry("x5", KG, "oops")
    with pytest.raises(ValidationError):
        parse_set_entry("100x5", "furlongs", None)
    with pytest.raises(ValidationError):
        parse_set_entry(None, KG, None)


def test_pounds_in_the_exercise_unit():
    """A pounds exercise reads numbers in pounds; the other weight unit is converted into the
    exercise's; stacks take a weight typed with its unit as it is."""
    assert parse_set_entry("225x5", "lbs", None) == ParsedSet(225, 5, "lbs")
    assert parse_set_entry("2.5x5", "lbs", None) == ParsedSet(2.5, 5, "lbs")
    assert parse_set_entry("100kg x 5", "lbs", None) == ParsedSet(220.46, 5, "lbs")
    assert parse_set_entry("225lb x 5", "stacks", None) == ParsedSet(225, 5, "lbs")
    assert parse_set_entry("x8", "lbs", ParsedSet(100, 5, "kg")) == ParsedSet(220.46, 8, "lbs")
    assert parse_set_entry("x8", "lbs", ParsedSet(7, 5, "stacks")) == ParsedSet(7, 8, "lbs")
    assert parse_set_entry("225.125x5", "lbs", None) == ParsedSet(225.12, 5, "lbs")
    with pytest.raises(ValidationError, match="at most 2204.62 lb"):
        parse_set_entry("2300x5", "lbs", None)
    with pytest.raises(ValidationError, match="at most 2204.62 lb"):
        parse_set_entry("5000lb x 5", "kg", None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(list(Unit)), st.sampled_from([None, PREV, (0.0, 1)]))
def test_never_raises_anything_but_validation_error(text, unit, previous):
    try:
        result = parse_set_entry(text, unit, previous)
    except ValidationError as exc:
        assert str(exc)
    else:
        assert isinstance(result, ParsedSet)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789xX*× ,.kgblstacksbw-+", max_size=20))
def test_never_raises_on_near_misses(text):
    try:
        parse_set_entry(text, KG, PREV)
    except ValidationError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(Unit)), st.data(), st.integers(1, 1000))
def test_round_trip(unit, data, reps):
    limit = 1000 if unit is KG else 100
    weight = data.draw(st.integers(0, limit * 1000).map(lambda q: q / 1000))
    assert parse_set_entry(f"{weight}x{reps}", unit, None) == ParsedSet(weight, reps, unit)


@pytest.mark.parametrize("text, seconds", [
    ("90", 90), ("55s", 55), ("1h 5m", 3900), ("1:30", 90), ("1:02:05", 3725), ("2m30s", 150),
    ("2 min 30 sec", 150), ("1.5m", 90), ("3 minutes", 180), ("0", 0), ("-30", -30), ("+1m", 60),
    ("10:00", 600),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1:75", "1:60:00", "5m 5m", "25h", "1:5", "m", "9" * 80, "5s 1m x"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValidationError):
        parse_duration(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_parse_duration_never_raises_anything_else(text):
    try:
        assert isinstance(parse_duration(text), int)
    except ValidationError:
        pass
