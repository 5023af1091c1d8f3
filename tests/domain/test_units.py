"""Weight units: values typed in pounds or kilograms read back exactly, also through a float column."""

import sqlite3
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import (
    LB, WeightUnit, convert, format_weight, from_kg, label, max_weight, to_kg, weight_unit,
)

KG, LBS = WeightUnit.KG, WeightUnit.LBS

# What a lifter types: a decimal string with up to two decimals (three for kg), read as Python does.
pounds = st.decimals(min_value=0, max_value=2000, places=2).map(lambda d: float(str(d)))
kilos2 = st.decimals(min_value=0, max_value=1000, places=2).map(lambda d: float(str(d)))
kilos3 = st.decimals(min_value=0, max_value=1000, places=3).map(lambda d: float(str(d)))


def _through_double(value: float) -> float:
    """A float column (SQLite REAL, PostgreSQL double precision) is an IEEE double."""
    return struct.unpack("<d", struct.pack("<d", value))[0]


def test_enum_is_not_the_storage_unit():
    assert [u.value for u in WeightUnit] == ["kg", "lbs"]
    assert [u.value for u in Unit] == ["kg", "stacks"]  # the schema's, untouched
    assert LB == 0.45359237


def test_parse_unit():
    assert weight_unit(None) is KG
    for text in ("lbs", "LB", " pounds ", WeightUnit.LBS):
        assert weight_unit(text) is LBS
    for text in ("kg", "Kgs", "kilos"):
        assert weight_unit(text) is KG
    with pytest.raises(ValidationError):
        weight_unit("stacks")


def test_known_values():
    assert to_kg(225, LBS) == 225 * 0.45359237  # not rounded to grams
    assert to_kg(225, LBS) != round(to_kg(225, LBS), 3)
    assert from_kg(to_kg(225, LBS), LBS) == 225
    assert from_kg(to_kg(45, LBS), LBS) == 45
    assert from_kg(to_kg(2.5, LBS), LBS) == 2.5
    assert from_kg(to_kg(1.25, LBS), LBS) == 1.25
    assert to_kg(102.5, KG) == 102.5 and from_kg(102.5, KG) == 102.5
    assert convert(100, KG, LBS) == 220.46
    assert convert(225, LBS, KG) == 102.058
    assert convert(225, "lbs", "lbs") == 225
    assert from_kg(-0.0, LBS) == 0 and str(from_kg(-0.0, LBS)) == "0.0"


def test_labels_and_text():
    assert (label(KG), label(LBS), label("lbs")) == ("kg", "lb", "lb")
    assert format_weight(225.0, LBS) == "225 lb"
    assert format_weight(2.5, "lbs") == "2.5 lb"
    assert format_weight(from_kg(to_kg(137.75, LBS), LBS), LBS) == "137.75 lb"
    assert format_weight(102.058, KG) == "102.058 kg"


def test_limits():
    assert max_weight(KG) == 1000
    assert max_weight(LBS) == 2204.62
    assert to_kg(2204.62, LBS) <= 1000 < to_kg(2204.63, LBS)


@settings(max_examples=2000)
@given(pounds)
def test_pounds_round_trip_exactly(typed):
    stored = to_kg(typed, LBS)
    assert from_kg(stored, LBS) == typed
    assert from_kg(_through_double(stored), LBS) == typed
    assert stored == typed * LB  # one multiplication, nothing rounded


@settings(max_examples=1000)
@given(kilos2)
def test_kilograms_two_decimals_round_trip_exactly(typed):
    assert from_kg(_through_double(to_kg(typed, KG)), KG) == typed


@settings(max_examples=1000)
@given(kilos3)
def test_kilograms_three_decimals_round_trip_exactly(typed):
    assert from_kg(_through_double(to_kg(typed, KG)), KG) == typed


def test_every_pound_value_in_steps_of_a_cent():
    """Not a sample: all 200,001 values 0.00 .. 2000.00 lb."""
    for n in range(200_001):
        typed = n / 100
        assert round((typed * LB) / LB, 2) == typed, typed


@settings(max_examples=300)
@given(st.lists(pounds, min_size=1, max_size=20))
def test_through_sqlite_real(values):
    db = sqlite3.connect(":memory:")
    db.execute("create table sets (weight real not null)")
    db.executemany("insert into sets values (?)", [(to_kg(v, LBS),) for v in values])
    back = [from_kg(w, LBS) for (w,) in db.execute("select weight from sets order by rowid")]
    assert back == values
    db.close()


@given(pounds)
def test_convert_to_kg_and_back_is_close(typed):
    # shown in kg (3 decimals) and typed back: within a gram, i.e. the same to 2 decimals of a pound
    assert abs(convert(convert(typed, LBS, KG), KG, LBS) - typed) <= 0.01
