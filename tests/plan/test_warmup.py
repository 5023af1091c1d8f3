"""The warm-up ramp (domain/warmup.py): the bar, then 40/60/80% of the working weight with fewer
reps each, each rounded to what the lifter's bar and plates load, steps too close together or
not above the bar left out; in kilograms and in pounds."""

from __future__ import annotations

import pytest

from overload_tui.domain.plates import DEFAULT_PLATES, DEFAULT_PLATES_LB, plates_per_side
from overload_tui.domain.units import LB, LoadUnit, WeightUnit, from_kg, to_stored
from overload_tui.domain.warmup import warmup_ramp


def ramp(working_kg, **kw):
    return [(s.weight, s.reps) for s in warmup_ramp(working_kg, **kw)]


def test_the_standard_ramp_in_kg():
    sets = warmup_ramp(100, bar=20, plates=DEFAULT_PLATES)
    assert [(s.weight, s.reps) for s in sets] == [(20, 10), (40, 5), (60, 3), (80, 2)]
    assert all(s.set_type == "warmup" and s.display_unit is None for s in sets)
    assert sets[0].explanation == "the empty bar"
    assert sets[2].explanation == "60% of 100 kg = 60 kg -> 60 kg on your plates"


def test_each_step_is_rounded_to_the_plates_owned():
    # 60 kg: 24 -> 25, 36 -> 35, 48 -> 47.5 with 1.25s; without 1.25 and 2.5 the steps are 5 kg
    assert ramp(60, bar=20, plates=DEFAULT_PLATES) == [(20, 10), (25, 5), (35, 3), (47.5, 2)]
    # 10 kg steps: 24 -> 20 (the bar again), 36 -> 40, 48 -> 50
    assert ramp(60, bar=20, plates=(20, 10, 5)) == [(20, 10), (40, 3), (50, 2)]
    for weight, _ in ramp(137.5, bar=15, plates=(20, 10, 5, 2.5)):
        assert plates_per_side(weight, 15, (20, 10, 5, 2.5)).exact


def test_steps_below_the_bar_or_too_close_are_left_out():
    assert ramp(40, bar=20, plates=DEFAULT_PLATES) == [(20, 10), (25, 3), (32.5, 2)]  # 40% is below the bar
    assert ramp(25, bar=20, plates=DEFAULT_PLATES) == [(20, 10)]  # the bar, nothing between
    assert ramp(20, bar=20, plates=DEFAULT_PLATES) == []  # a working weight of the bar: nothing to ramp
    assert ramp(21, bar=20, plates=DEFAULT_PLATES) == []
    weights = [w for w, _ in ramp(300, bar=20, plates=DEFAULT_PLATES)]
    assert weights == sorted(set(weights)) and weights[-1] < 300


def test_the_ramp_in_pounds_with_the_pound_plates():
    working = to_stored(225, LoadUnit.LBS)
    sets = warmup_ramp(working, unit=WeightUnit.LBS, bar=45, plates=DEFAULT_PLATES_LB)
    assert [(from_kg(s.weight, "lbs"), s.reps) for s in sets] == [(45, 10), (90, 5), (135, 3), (180, 2)]
    assert all(s.display_unit == "lbs" for s in sets)
    # stored as a pounds lifter typing the number stores it: exact kilograms
    assert [s.weight for s in sets] == [to_stored(p, LoadUnit.LBS) for p in (45, 90, 135, 180)]
    assert sets[3].explanation == "80% of 225 lb = 180 lb -> 180 lb on your plates"
    # 135 lb: 54 -> 55, 81 -> 80, 108 -> 110 with 2.5 lb plates (5 lb steps)
    sets = warmup_ramp(135 * LB, unit="lbs", bar=45, plates=DEFAULT_PLATES_LB)
    assert [from_kg(s.weight, "lbs") for s in sets] == [45, 55, 80, 110]


@pytest.mark.parametrize("plates", [(), (0,), (-5,)])
def test_plates_that_do_not_read_give_no_ramp(plates):
    assert warmup_ramp(100, bar=20, plates=plates) == ()
