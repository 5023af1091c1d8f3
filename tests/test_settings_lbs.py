"""The pounds gym in the settings, on both databases: its own bar, plates and increments (kept
apart from the kg ones, so switching the unit back and forth loses nothing), their limits and
messages in lb, and the suggestions they give through ProgressService."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from overload_tui.domain.enums import Equipment
from overload_tui.domain.progression import ProgressionScheme
from overload_tui.domain.units import LoadUnit, WeightUnit
from overload_tui.services.settings import DEFAULTS, SettingsValidationError, apply_changes

LBS = WeightUnit.LBS


def stored(services, user_id) -> dict[str, str]:
    with services.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT key, value FROM user_settings WHERE user_id = :u"), {"u": user_id}).all()
    return dict(rows)


def test_pounds_gym_defaults():
    d = DEFAULTS
    assert d.weight_unit is WeightUnit.KG
    assert (d.bar_weight_lb, d.plates_lb) == (45, (45, 35, 25, 10, 5, 2.5))
    assert d.increments_lb[Equipment.BARBELL] == 5 and d.increments_lb[Equipment.DUMBBELL] == 5
    assert d.lower_increments_lb[Equipment.BARBELL] == 10
    for unit in (LBS, LoadUnit.LBS, "lbs", "lb"):
        assert (d.bar_for(unit), d.plates_for(unit)) == (45, (45, 35, 25, 10, 5, 2.5))
    for unit in (WeightUnit.KG, LoadUnit.KG, "kg", LoadUnit.STACKS):  # stacks: no bar of their own
        assert (d.bar_for(unit), d.plates_for(unit)) == (20, (25, 20, 15, 10, 5, 2.5, 1.25))


def test_pounds_fields_round_trip_and_switching_unit_keeps_both(services, alice):
    svc = services.settings(alice.id)
    svc.update(bar_weight="15", plates="20, 10, 5")  # the kg gym first
    saved = svc.update(
        weight_unit="lbs",
        bar_weight_lb="35",
        plates_lb="45, 25, 10, 5, 2.5, 1.25",  # the change plates owned
        increments_lb={"barbell": "2.5"},
        lower_increments_lb={Equipment.BARBELL: 5, "dumbbell": "10"},  # dumbbell unchanged
    )
    assert saved == svc.get()
    assert saved.weight_unit is LBS and saved.bar_for(LBS) == 35
    assert saved.plates_for(LBS) == (45, 25, 10, 5, 2.5, 1.25)
    assert saved.increments_lb[Equipment.BARBELL] == 2.5 and saved.lower_increments_lb[Equipment.BARBELL] == 5
    assert stored(services, alice.id) == {
        "bar_weight": "15", "plates": "20,10,5", "weight_unit": "lbs", "bar_weight_lb": "35",
        "plates_lb": "45,25,10,5,2.5,1.25", "increment_lb.barbell": "2.5", "lower_increment_lb.barbell": "5",
    }
    # Back to kg and to lbs again: neither gym is lost.
    kg = svc.update(weight_unit="kg")
    assert (kg.bar_for(kg.weight_unit), kg.plates_for(kg.weight_unit)) == (15, (20, 10, 5))
    assert kg.bar_weight_lb == 35 and "weight_unit" not in stored(services, alice.id)
    lbs = svc.update(weight_unit="pounds")
    assert lbs == saved
    p = lbs.progression_settings()
    assert p.increments_lb[Equipment.BARBELL] == 2.5 and p.lower_increments_lb[Equipment.BARBELL] == 5
    assert p.plates_lb == (45, 25, 10, 5, 2.5, 1.25) and p.increments[Equipment.BARBELL] == 2.5
    # A pound value back to its default: its row goes; reset forgets both gyms.
    svc.update(bar_weight_lb=45, increments_lb={"barbell": 5})
    rows = stored(services, alice.id)
    assert "bar_weight_lb" not in rows and "increment_lb.barbell" not in rows and rows["plates_lb"]
    assert svc.reset() == DEFAULTS == svc.get() and stored(services, alice.id) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bar_weight_lb": "221"}, "bar_weight_lb", "Bar weight must be from 0 to 220 lb."),
        ({"bar_weight_lb": "45.005"}, "bar_weight_lb", "Bar weight must be a multiple of 0.01."),
        ({"plates_lb": "45, 0"}, "plates_lb", "Each plate must be more than 0 and at most 220 lb."),
        ({"plates_lb": "45, 1.255"}, "plates_lb", "Each plate must be a multiple of 0.01 lb."),
        ({"plates_lb": "45, 25, 45"}, "plates_lb", "Plates: 45 lb is listed twice."),
        ({"plates_lb": ""}, "plates_lb", "Plates: list at least one plate weight, like 45, 35, 25, 10, 5."),
        ({"increments_lb": {"barbell": "111"}}, "increments_lb.barbell", "Barbell increment must be from 0 to 110 lb."),
        ({"lower_increments_lb": {"barbell": "-5"}}, "lower_increments_lb.barbell",
         "Lower-body barbell increment must be from 0 to 110 lb."),
        ({"lower_increments_lb": {"sled": "5"}}, "lower_increments_lb.sled", "There is no equipment called 'sled'."),
        ({"increments_lb": "5"}, "increments_lb", "Increments must be given per equipment."),
        ({"weight_unit": "stone"}, "weight_unit", "Weight unit must be kg or lbs."),
        # the kg gym keeps its limits and words
        ({"bar_weight": "101"}, "bar_weight", "Bar weight must be from 0 to 100 kg."),
        ({"increments": {"barbell": "51"}}, "increments.barbell", "Barbell increment must be from 0 to 50."),
    ],
)
def test_pound_validation_messages(changes, field, message):
    with pytest.raises(SettingsValidationError) as caught:
        apply_changes(DEFAULTS, changes)
    assert caught.value.errors == {field: message}


def test_bad_stored_pound_values_fall_back(services, alice):
    with services.db.engine.begin() as conn:
        for key, value in [("bar_weight_lb", "500"), ("plates_lb", "45,x"), ("increment_lb.barbell", "2.5"),
                           ("lower_increment_lb.rowing", "5"), ("weight_unit", "stone")]:
            conn.execute(text("INSERT INTO user_settings (user_id, key, value) VALUES (:u, :k, :v)"),
                         {"u": alice.id, "k": key, "v": value})
    got = services.settings(alice.id).get()
    assert (got.bar_weight_lb, got.plates_lb, got.weight_unit) == (45, DEFAULTS.plates_lb, WeightUnit.KG)
    assert got.increments_lb[Equipment.BARBELL] == 2.5


# -- suggestions in pounds through ProgressService (both databases) ----------------------------------
def _exercise(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


def _log_pounds(ws, exercise_id, day, pounds, *reps):
    sess = ws.start_session(datetime(2024, 6, day, 18))
    entry = ws.add_entry(exercise_id, session_id=sess.id)
    for r in reps:
        ws.add_set(entry.id, pounds, r, "lbs")


def test_suggestions_in_pounds_use_the_lifters_increments(services, alice, ws):
    settings = services.settings(alice.id)
    settings.update(weight_unit="lbs", progression="linear")
    progress = services.progress(alice.id)
    bench, squat = _exercise(ws, "Bench Press (Barbell)"), _exercise(ws, "Squat (Barbell)")
    _log_pounds(ws, bench.id, 3, 225, 5, 5, 5)
    _log_pounds(ws, squat.id, 4, 225, 5, 5, 5)

    s = progress.suggestion(bench.id)
    assert (s.shown_weight, s.reps, s.weight_unit) == (230, 5, LBS) and s.reason == "All sets hit 5: +5 lb"
    s = progress.suggestion(squat.id)  # lower body: +10 lb
    assert (s.shown_weight, s.reason) == (235, "All sets hit 5: +10 lb")

    # The lifter's own increments, rounded to what their plates load (2.5 lb with 1.25s).
    settings.update(increments_lb={"barbell": "2.5"}, lower_increments_lb={"barbell": "5"},
                    plates_lb="45, 35, 25, 10, 5, 2.5, 1.25")
    assert progress.suggestion(bench.id).shown_weight == 227.5
    assert progress.suggestion(squat.id).shown_weight == 230
    # Without the 1.25s a 2.5 lb step cannot be loaded: the next loadable weight, 230.
    settings.update(plates_lb="45, 35, 25, 10, 5, 2.5")
    assert progress.suggestion(bench.id).shown_weight == 230
    # A kg lifter's suggestion of the same history stays in kg steps.
    settings.update(weight_unit="kg", progression=ProgressionScheme.LINEAR.value)
    s = progress.suggestion(bench.id)
    assert s.weight_unit is WeightUnit.KG and s.reason.endswith("kg")
