"""Issue 6: random input never gets past validation and never breaks anything else.

Whatever a user (or a corrupted file, or a bug upstream) hands to the set-logging service, the
validators or the parsers, the result is either a valid value (for the service: saved and read
back from the database, satisfying the schema's rules) or a ValidationError. Any other exception
fails the test. One database per test function: the function-scoped fixtures are shared by all
examples on purpose (the health check is suppressed for that reason), and each example checks
only the set it wrote.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import MAX_DURATION, ParsedSet, parse_duration, parse_set_entry
from overload_tui.domain.units import LoadUnit, load_limit
from overload_tui.domain.validation import (
    MAX_REPS,
    NAME_MAX,
    NOTES_MAX,
    SET_TYPES,
    clean_name,
    clean_notes,
    parse_category,
    parse_equipment,
    parse_unit,
    validate_email,
    validate_password,
    validate_reps,
    validate_set,
    validate_username,
    validate_weight,
)
from overload_tui.services.workouts import UNSET

DB_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PURE_SETTINGS = settings(max_examples=400, deadline=None)

any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)  # surrogates too
numeric_text = st.from_regex(
    r"\s*[+-]?(\d{0,12}([.,]\d{0,6})?|nan|inf|-?infinity|1e\d{1,4}|0x1f|1_000|\d+\.?\d*e[+-]?\d{1,3})\s*",
    fullmatch=True,
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-3, max_value=1_100),
    st.integers(),
    st.integers(min_value=-5, max_value=1_005),
    st.integers(min_value=10**300, max_value=10**400),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.just(Decimal("sNaN")),
    st.fractions(),
    st.just(Fraction(10**400, 3)),
    st.complex_numbers(max_magnitude=10),
)
anything = st.one_of(
    numbers, numeric_text, any_text, st.none(), st.booleans(), st.binary(max_size=8),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.builds(object),
)
units = st.one_of(st.none(), st.sampled_from(["kg", "KG", " stacks ", "stacks", "lb", "", "Kg "]), any_text, anything)
set_types = st.one_of(st.none(), st.sampled_from(["normal", "", *SET_TYPES, "WARMUP"]), anything)


def _check_set(s) -> None:
    assert isinstance(s.unit, (Unit, LoadUnit))  # stored (kg, stacks) or typed (a ParsedSet: also lbs)
    assert isinstance(s.weight, float) and math.isfinite(s.weight)
    assert 0 <= s.weight <= load_limit(s.unit)
    assert type(s.reps) is int and 1 <= s.reps <= MAX_REPS
    set_type, rpe = getattr(s, "set_type", None), getattr(s, "rpe", None)  # a ParsedSet has neither
    assert set_type is None or set_type in SET_TYPES
    assert rpe is None or (isinstance(rpe, float) and 1 <= rpe <= 10)


@pytest.fixture
def entry(ws):
    bench = ws.search_exercises("bench press")[0]
    sess = ws.start_session()
    return ws.add_entry(bench.id, session_id=sess.id).id


def _stored(ws, entry_id, set_id):
    return {s.id: s for s in ws.get_entry(entry_id).sets}[set_id]


HUGE = 10**400  # float(HUGE) raises OverflowError, not ValueError
rpes = st.one_of(st.none(), numbers, numeric_text, anything)


@DB_SETTINGS
@given(weight=anything, reps=anything, unit=units, set_type=set_types, rpe=rpes)
@example(weight=HUGE, reps=5, unit="kg", set_type=None, rpe=None)
@example(weight=100, reps=HUGE, unit="kg", set_type=None, rpe=None)
@example(weight=100, reps=5, unit="kg", set_type=None, rpe=HUGE)
@example(weight=100, reps=5, unit="kg", set_type=None, rpe=True)
@example(weight=float("nan"), reps=float("inf"), unit=None, set_type="", rpe=float("nan"))
@example(weight=Decimal("sNaN"), reps=Decimal("5"), unit="stacks", set_type="warmup", rpe=Decimal("sNaN"))
@example(weight="1e309", reps="1e3", unit="KG ", set_type="normal", rpe="inf")
@example(weight=True, reps=True, unit=True, set_type=True, rpe=False)
def test_add_set_saves_a_valid_set_or_says_why_not(ws, entry, weight, reps, unit, set_type, rpe):
    before = len(ws.get_entry(entry).sets)
    try:
        saved = ws.add_set(entry, weight, reps, unit, set_type=set_type, rpe=rpe)
    except ValidationError:
        assert len(ws.get_entry(entry).sets) == before, "a refused set was saved"
        return
    stored = _stored(ws, entry, saved.id)
    assert stored == saved
    _check_set(stored)


@pytest.fixture
def logged(ws, entry):
    return ws.add_set(entry, 100, 5, "kg").id


@DB_SETTINGS
@given(
    changes=st.fixed_dictionaries(
        {},
        optional={"weight": anything, "reps": anything, "unit": units, "set_type": set_types, "rpe": rpes},
    )
)
@example(changes={"rpe": HUGE})
@example(changes={"weight": HUGE, "reps": HUGE})
@example(changes={"unit": "stacks", "weight": 150})  # over the stack limit: refused, unchanged
@example(changes={"weight": float("-inf"), "unit": None})
def test_update_set_saves_a_valid_set_or_changes_nothing(ws, entry, logged, changes):
    before = _stored(ws, entry, logged)
    try:
        updated = ws.update_set(logged, **changes)
    except ValidationError:
        assert _stored(ws, entry, logged) == before, "a refused update changed the set"
        return
    stored = _stored(ws, entry, logged)
    assert stored == updated
    _check_set(stored)
    assert all(
        getattr(stored, k) == getattr(before, k)
        for k in ("weight", "reps", "unit", "set_type", "rpe")
        if k not in changes and not (k == "weight" and "unit" in changes)
    )
    if updated != before:  # put it back for the next example
        ws.update_set(logged, weight=before.weight, reps=before.reps, unit=before.unit,
                      set_type=before.set_type, rpe=before.rpe)


# -- validation (pure) ----------------------------------------------------------------------------
@PURE_SETTINGS
@given(value=anything, unit=st.sampled_from([*Unit, *LoadUnit]))
def test_validate_weight(value, unit):
    try:
        w = validate_weight(value, unit)
    except ValidationError:
        return
    assert isinstance(w, float) and math.isfinite(w) and 0 <= w <= load_limit(unit)
    assert validate_weight(w, unit) == w


@PURE_SETTINGS
@given(value=anything)
def test_validate_reps(value):
    try:
        r = validate_reps(value)
    except ValidationError:
        return
    assert type(r) is int and 1 <= r <= MAX_REPS and validate_reps(r) == r


@PURE_SETTINGS
@given(weight=anything, reps=anything, unit=units)
@example(weight="62,5", reps="8", unit=" KG")
def test_validate_set(weight, reps, unit):
    try:
        w, r, u = validate_set(weight, reps, unit)
    except ValidationError:
        return
    _check_set(ParsedSet(w, r, u))


@PURE_SETTINGS
@given(value=st.one_of(anything, any_text))
def test_enum_parsers(value):
    for parse in (parse_unit, parse_category, parse_equipment):
        try:
            result = parse(value)
        except ValidationError as error:
            assert len(str(error)) < 300
            continue
        assert result is None or parse(result.value) is result


@PURE_SETTINGS
@given(value=st.one_of(any_text, st.text(max_size=NAME_MAX + 5), anything), limit=st.integers(1, 120))
def test_clean_name(value, limit):
    try:
        name = clean_name(value, "Name", limit)
    except ValidationError:
        return
    assert 1 <= len(name) <= limit and name == name.strip() and "  " not in name
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)  # no controls, no surrogates
    assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in name)
    assert clean_name(name, "Name", limit) == name
    name.encode("utf-8")  # storable


@PURE_SETTINGS
@given(value=st.one_of(any_text, st.text(alphabet="ab \n\r\t", max_size=30), anything))
def test_clean_notes(value):
    try:
        notes = clean_notes(value, "Notes", 30)
    except ValidationError:
        return
    if notes is None:
        return
    assert 1 <= len(notes) <= 30 and notes.strip() and "\r" not in notes
    assert clean_notes(notes, "Notes", 30) == notes
    notes.encode("utf-8")
    assert len(clean_notes("x" * NOTES_MAX)) == NOTES_MAX


@PURE_SETTINGS
@given(value=st.one_of(any_text, anything, st.text(max_size=80)))
def test_account_validators(value):
    for validate in (validate_username, validate_email, validate_password):
        try:
            text = validate(value)
        except ValidationError as error:
            message = str(error)
            assert not (isinstance(value, str) and len(value) >= 3 and value in message)
            continue
        assert isinstance(text, str)
        text.encode("utf-8")
        assert validate(text) == text


# -- parsing (pure) -------------------------------------------------------------------------------
set_like = st.from_regex(
    r"\s*(bw|bodyweight|[+-]?\d{0,9}([.,]\d{0,7})?)?\s*(kgs?|lbs?|stacks?|KG)?\s*[x×*X]?\s*[+-]?\d{0,9}\s*(reps?)?\s*",
    fullmatch=True,
)
previous = st.one_of(
    st.none(), st.tuples(anything, anything), st.tuples(st.floats(0, 1000), st.integers(1, 1000)),
    anything, st.tuples(st.integers(), st.integers(), st.integers()),
)


@PURE_SETTINGS
@given(text=st.one_of(set_like, any_text, anything), unit=units, prev=previous)
def test_parse_set_entry(text, unit, prev):
    try:
        parsed = parse_set_entry(text, unit, prev)
    except ValidationError:
        return
    assert isinstance(parsed, ParsedSet)
    _check_set(parsed)
    assert validate_set(parsed.weight, parsed.reps, parsed.unit) == (parsed.weight, parsed.reps, parsed.unit)


# Built from parts rather than st.from_regex: generating from a nested-quantifier regex took
# minutes on a loaded machine.
_sign = st.sampled_from(["", "+", "-", " + ", "- "])
_number = st.one_of(st.integers(0, 10**8).map(str), st.floats(0, 10**6, allow_nan=False).map(lambda f: f"{f:.3f}"))
_duration_unit = st.sampled_from(["", "h", "hour", "hours", "hr", "hrs", "m", "min", "mins", "minute", "minutes", "s", "sec", "secs", "second", "seconds"])
_duration_parts = st.lists(st.tuples(_number, st.sampled_from(["", " "]), _duration_unit), max_size=4)
duration_like = st.one_of(
    st.tuples(_sign, _duration_parts).map(lambda t: t[0] + " ".join(f"{n}{sp}{u}" for n, sp, u in t[1])),
    st.tuples(_sign, st.integers(0, 999), st.integers(0, 99999), st.none() | st.integers(0, 999)).map(
        lambda t: f"{t[0]}{t[1]}:{t[2]}" + ("" if t[3] is None else f":{t[3]}")
    ),
)


@PURE_SETTINGS
@given(text=st.one_of(duration_like, any_text, anything))
def test_parse_duration(text):
    try:
        seconds = parse_duration(text)
    except ValidationError:
        return
    assert type(seconds) is int and abs(seconds) <= MAX_DURATION


def test_unset_is_not_a_value():
    """update_set's 'leave unchanged' marker cannot be confused with a weight by validation."""
    with pytest.raises(ValidationError):
        validate_weight(UNSET, Unit.KG)
