"""Plate maths in pounds: a 45 lb bar, 45/35/25/10/5/2.5 lb plates (1.25 when owned)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plates import (
    BARS_LB, DEFAULT_BAR_LB, DEFAULT_PLATES_LB, FRACTIONAL_PLATE_LB, PlateLoad, default_bar,
    default_plates, format_load, loading_step, plates_per_side,
)
from overload_tui.domain.units import WeightUnit, from_kg, to_kg

LBS = WeightUnit.LBS


def test_defaults():
    assert DEFAULT_BAR_LB == 45.0 and BARS_LB == (45.0, 35.0, 15.0)
    assert DEFAULT_PLATES_LB == (45, 35, 25, 10, 5, 2.5) and FRACTIONAL_PLATE_LB == 1.25
    assert default_bar("lbs") == 45.0 and default_plates("lb") == DEFAULT_PLATES_LB
    assert default_bar() == 20.0  # kg unchanged
    assert loading_step(unit=LBS) == 5.0
    assert loading_step(DEFAULT_PLATES_LB + (FRACTIONAL_PLATE_LB,), LBS) == 2.5
    assert loading_step() == 2.5  # the kg set's 1.25s


@pytest.mark.parametrize("total, per_side", [
    (225, (45, 45)),
    (135, (45,)),
    (185, (45, 25)),          # 70 a side
    (205, (45, 35)),          # 80 a side
    (315, (45, 45, 45)),
    (405, (45, 45, 45, 45)),
    (230, (45, 45, 2.5)),     # 92.5 a side
    (95, (25,)),
    (155, (45, 10)),
    (175, (45, 10, 10)),      # 65 a side: 45 + 10 + 10 (3 plates; 35 + 25 + 5 is 3 too, heavier first wins)
])
def test_known_loads_on_a_45_lb_bar(total, per_side):
    load = plates_per_side(total, unit=LBS)
    assert load.per_side == per_side and load.exact
    assert load.total == total and load.unit is LBS


def test_format_says_lb():
    assert format_load(plates_per_side(225, unit=LBS)) == "45 + 45 lb per side"
    assert format_load(plates_per_side(185, unit=LBS)) == "45 + 25 lb per side"
    assert format_load(plates_per_side(45, unit=LBS)) == "Just the bar"
    assert format_load(plates_per_side(100)) == "25 + 15 per side"  # kg as before


def test_nearest_loadable_totals():
    load = plates_per_side(232, unit=LBS)
    assert not load.exact and (load.lower, load.upper) == (230, 235)
    assert load.total == 230 and load.per_side == (45, 45, 2.5)
    up = plates_per_side(233, unit=LBS)
    assert up.total == 235 and up.per_side == (45, 45, 5)
    tie = plates_per_side(227.5, unit=LBS)  # no 1.25s: the lighter on a tie
    assert (tie.exact, tie.lower, tie.upper, tie.total) == (False, 225, 230, 225)


def test_change_plates_when_owned():
    plates = DEFAULT_PLATES_LB + (FRACTIONAL_PLATE_LB,)
    load = plates_per_side(227.5, plates=plates, unit=LBS)
    assert load.exact and load.per_side == (45, 45, 1.25)
    assert format_load(load) == "45 + 45 + 1.25 lb per side"
    assert plates_per_side(137.5, plates=plates, unit=LBS).per_side == (45, 1.25)


def test_other_bars():
    assert plates_per_side(135, bar=35, unit=LBS).per_side == (45, 5)
    assert plates_per_side(95, bar=35, unit=LBS).per_side == (25, 5)
    assert plates_per_side(65, bar=15, unit=LBS).per_side == (25,)
    assert plates_per_side(35, bar=35, unit=LBS).per_side == ()


def test_below_the_bar():
    assert plates_per_side(40, unit=LBS) == PlateLoad((), False, 45, None, 45, LBS)


def test_limits_in_pounds():
    assert plates_per_side(2204.62, plates=(45, 2.5, 0.01), unit=LBS).exact  # 1000 kg is 2204.62 lb
    with pytest.raises(ValidationError, match="2204.62 lb"):
        plates_per_side(2205, unit=LBS)
    with pytest.raises(ValidationError, match="lb"):
        plates_per_side(225, plates=(1.234,), unit=LBS)
    with pytest.raises(ValidationError):
        plates_per_side(225, unit="stones")


def test_a_stored_kg_weight_read_in_pounds():
    kg = to_kg(225, LBS)  # what sets.weight holds for 225 lb
    assert plates_per_side(from_kg(kg, LBS), unit=LBS).per_side == (45, 45)


@given(st.integers(0, 80).map(lambda n: 45 + 5 * n))
def test_every_multiple_of_5_loads_exactly(total):
    load = plates_per_side(total, unit=LBS)
    assert load.exact and load.total == total
    assert all(p in DEFAULT_PLATES_LB for p in load.per_side)
