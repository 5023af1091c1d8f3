"""Progression in pounds: +5 lb upper body, +10 lb lower body, loadable weights, reasons in lb."""

from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit
from overload_tui.domain.plates import DEFAULT_PLATES_LB, FRACTIONAL_PLATE_LB
from overload_tui.domain.progression import (
    LoggedSet, ProgressionScheme, ProgressionSettings, TargetSet, is_lower_body, suggest_next,
)
from overload_tui.domain.units import WeightUnit, from_kg, to_kg

LBS = WeightUnit.LBS
LINEAR = ProgressionSettings(scheme=ProgressionScheme.LINEAR)
BB = Equipment.BARBELL


def lb_session(pounds, *reps):
    """A session typed in pounds, as stored: exact kg."""
    return [LoggedSet(to_kg(pounds, LBS), r, Unit.KG) for r in reps]


def test_lower_body():
    assert is_lower_body(Category.LEGS)
    assert is_lower_body("back", "Deadlift (Barbell)") and is_lower_body(None, "Romanian Deadlift")
    assert is_lower_body("legs", "Leg Extension")
    assert not is_lower_body(Category.CHEST, "Bench Press (Barbell)")
    assert not is_lower_body("shoulders", "Overhead Press")


def test_increments():
    s = ProgressionSettings()
    assert s.increment_for(BB, Unit.KG) == 2.5  # kg unchanged
    assert s.increment_for(BB, Unit.KG, LBS) == 5
    assert s.increment_for(BB, Unit.KG, "lbs", lower_body=True) == 10
    assert s.increment_for(Equipment.DUMBBELL, Unit.KG, LBS) == 5
    assert s.increment_for(Equipment.MACHINE, Unit.STACKS, LBS) == 1  # stacks are stacks
    assert s.increment_for(Equipment.MACHINE, Unit.KG, LBS, True) == 10  # a plate-loaded leg press
    custom = ProgressionSettings(increments_lb={BB: 2.5}, lower_increments_lb={BB: 5})
    assert custom.increment_for(BB, Unit.KG, LBS) == 2.5 and custom.increment_for(BB, Unit.KG, LBS, True) == 5


def test_linear_upper_body_adds_5_lb():
    s = suggest_next([lb_session(225, 5, 5, 5)], BB, LINEAR, weight_unit=LBS, category="chest", name="Bench Press")
    assert s.shown_weight == 230 and s.weight == to_kg(230, LBS) and s.weight_unit is LBS
    assert (s.reps, s.sets, s.unit) == (5, 3, Unit.KG)
    assert s.reason == "All sets hit 5: +5 lb"


def test_linear_lower_body_adds_10_lb():
    squat = suggest_next([lb_session(225, 5, 5, 5)], BB, LINEAR, weight_unit=LBS, category=Category.LEGS)
    assert squat.shown_weight == 235 and squat.reason == "All sets hit 5: +10 lb"
    dead = suggest_next([lb_session(315, 5)], BB, LINEAR, weight_unit=LBS, category="back", name="Deadlift (Barbell)")
    assert dead.shown_weight == 325


def test_double_progression_in_pounds():
    up = suggest_next([lb_session(185, 12, 12, 12)], BB, weight_unit=LBS, category="chest")
    assert (up.shown_weight, up.reps) == (190, 8)
    assert up.reason == "All sets hit 12: +5 lb, back to 8 reps"
    same = suggest_next([lb_session(185, 10, 9, 9)], BB, weight_unit=LBS, category="chest")
    assert (same.shown_weight, same.reps) == (185, 11)
    assert same.weight == to_kg(185, LBS)  # repeated exactly as stored
    assert same.reason == "Aim for 11+ reps at 185 lb"
    db = suggest_next([lb_session(50, 12, 12)], Equipment.DUMBBELL, weight_unit=LBS, category="shoulders")
    assert db.shown_weight == 55


def test_deload_rounds_to_a_loadable_weight():
    # 10% off 225 is 202.5: not loadable with 2.5 lb plates (totals go by 5), halves go up: 205.
    missed = [lb_session(225, 5, 5, 3), lb_session(225, 5, 4, 3)]
    s = suggest_next(missed, BB, LINEAR, weight_unit=LBS, category="chest")
    assert s.shown_weight == 205 and s.reason == "Missed 5 reps twice: deload 10% to 205 lb"
    squat = suggest_next([lb_session(315, 5, 3), lb_session(315, 4, 3)], BB, LINEAR, weight_unit=LBS, category="legs")
    assert squat.shown_weight == 285  # 283.5 -> 285
    fine = suggest_next(missed, BB, LINEAR, weight_unit=LBS, plates=DEFAULT_PLATES_LB + (FRACTIONAL_PLATE_LB,))
    assert fine.shown_weight == 202.5  # with 1.25s it loads
    light = suggest_next([lb_session(45, 5, 3), lb_session(45, 4, 3)], BB, LINEAR, weight_unit=LBS)
    assert light.shown_weight == 40  # 40.5 rounds back up to 45: one loadable step down instead


def test_kg_history_read_in_pounds():
    kg_typed = [[LoggedSet(100.0, 5, Unit.KG)] * 3]  # 100 kg is 220.46 lb
    s = suggest_next(kg_typed, BB, LINEAR, weight_unit=LBS)
    assert s.shown_weight == 225 and s.reason == "All sets hit 5: +4.54 lb"  # 225.46 loads as 225: the real step
    repeat = suggest_next([[LoggedSet(100.0, 3, Unit.KG)]], BB, LINEAR, weight_unit=LBS)
    assert repeat.weight == 100.0 and repeat.shown_weight == 220.46  # kept as lifted
    assert repeat.reason == "Missed 5 reps: repeat 220.46 lb"


def test_defaults_are_kg():
    s = suggest_next([lb_session(225, 5, 5, 5)], BB, LINEAR)
    assert s.weight_unit is WeightUnit.KG and s.weight == 105.0 and s.shown_weight == 105.0


def test_stacks_first_time_and_other_kinds():
    stacks = suggest_next([[LoggedSet(7, 12, Unit.STACKS)]], Equipment.MACHINE, weight_unit=LBS)
    assert (stacks.weight, stacks.unit, stacks.weight_unit) == (8, Unit.STACKS, WeightUnit.KG)
    first = suggest_next([], BB, targets=[TargetSet(5, to_kg(135, LBS), Unit.KG)], weight_unit=LBS)
    assert first.shown_weight == 135 and first.weight_unit is LBS
    dips = suggest_next([lb_session(25, 12, 12)], Equipment.BODYWEIGHT, kind=ExerciseKind.WEIGHTED, weight_unit=LBS)
    assert dips.shown_weight == 30 and "lb" in dips.reason
    help_ = suggest_next([lb_session(50, 12, 12)], Equipment.MACHINE, kind=ExerciseKind.ASSISTED, weight_unit=LBS)
    assert help_.shown_weight == 45 and help_.reason == "All sets hit 12: 5 lb less help, 8 reps"
    plank = [[LoggedSet(to_kg(25, LBS), 1, Unit.KG, duration_s=60)]]
    hold = suggest_next(plank, None, kind=ExerciseKind.TIME, weight_unit=LBS)
    assert hold.shown_weight == 25 and hold.duration_s == 65


pounds = st.integers(9, 800).map(lambda n: n * 2.5)  # what a pounds lifter loads (22.5 .. 2000)


@settings(max_examples=300, deadline=None)  # timing under -n 8 load is no part of the rule
@given(pounds, st.lists(st.integers(1, 15), min_size=1, max_size=5), st.booleans(), st.booleans(), st.booleans())
def test_never_an_odd_number(weight, reps, linear, legs, missed_twice):
    sessions = [lb_session(weight, *reps)] * (2 if missed_twice else 1)
    cfg = LINEAR if linear else ProgressionSettings()
    s = suggest_next(sessions, BB, cfg, weight_unit=LBS, category="legs" if legs else "chest")
    shown = s.shown_weight
    assert shown == from_kg(s.weight, LBS) and round(shown, 2) == shown
    if shown != weight:  # a new weight: loadable with 2.5 lb plates on a 45 lb bar
        assert shown % 5 == 0, (weight, reps, shown)
