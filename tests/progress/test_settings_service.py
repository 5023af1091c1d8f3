"""SettingsService on both databases: defaults, round trip, validation, tolerance, isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from overload_tui.domain.e1rm import Formula
from overload_tui.domain.enums import Category, Equipment
from overload_tui.domain.progression import ProgressionScheme
from overload_tui.services.settings import DEFAULTS, SettingsValidationError, UserSettings, apply_changes


def stored(services, user_id) -> dict[str, str]:
    with services.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT key, value FROM user_settings WHERE user_id = :u"), {"u": user_id}
        ).all()
    return dict(rows)


def test_defaults_when_nothing_is_stored(services, alice):
    got = services.settings(alice.id).get()
    assert got == UserSettings() == DEFAULTS
    assert got.e1rm_formula is Formula.EPLEY and got.progression is ProgressionScheme.DOUBLE
    assert (got.rep_min, got.rep_max, got.bar_weight) == (8, 12, 20)
    assert got.plates == (25, 20, 15, 10, 5, 2.5, 1.25)
    assert got.increments[Equipment.BARBELL] == 2.5 and got.increments[Equipment.DUMBBELL] == 2
    assert got.increments[Equipment.MACHINE] == 1
    assert (got.rest_heavy, got.rest_default, got.rest_isolation) == (180, 120, 90)


def test_round_trip_stores_only_what_differs(services, alice):
    svc = services.settings(alice.id)
    saved = svc.update(
        e1rm_formula="brzycki",
        progression="linear",
        rep_min="6",
        rep_max=10,
        increments={"barbell": "5", Equipment.DUMBBELL: 2},  # dumbbell unchanged
        plates="20, 10 5,2.5, 25",
        bar_weight="15",
        deload_percent="12.5",
        rest_heavy="240",
    )
    assert saved == svc.get()
    assert saved.e1rm_formula is Formula.BRZYCKI and saved.progression is ProgressionScheme.LINEAR
    assert (saved.rep_min, saved.rep_max, saved.bar_weight, saved.deload_percent) == (6, 10, 15, 12.5)
    assert saved.plates == (25, 20, 10, 5, 2.5)
    assert saved.increments[Equipment.BARBELL] == 5 and saved.increments[Equipment.DUMBBELL] == 2
    assert stored(services, alice.id) == {
        "e1rm_formula": "brzycki", "progression": "linear", "rep_min": "6", "rep_max": "10",
        "increment.barbell": "5", "plates": "25,20,10,5,2.5", "bar_weight": "15",
        "deload_percent": "12.5", "rest_heavy": "240",
    }
    # Back to a default value: its row goes away. Partial updates keep the rest.
    svc.update(rep_min=8, rest_heavy=180)
    rows = stored(services, alice.id)
    assert "rep_min" not in rows and "rest_heavy" not in rows and rows["rep_max"] == "10"
    assert svc.reset() == DEFAULTS == svc.get()
    assert stored(services, alice.id) == {}


def test_domain_settings_and_rest_seconds(services, alice):
    s = services.settings(alice.id).update(progression="linear", linear_reps=3, deload_percent=20,
                                           rest_heavy=200, rest_isolation=60, rest_default=100)
    p = s.progression_settings()
    assert (p.scheme, p.linear_reps, p.deload_fraction, p.rep_min, p.rep_max) == ("linear", 3, 0.2, 8, 12)
    assert p.increments[Equipment.BARBELL] == 2.5
    assert s.rest_seconds(Category.LEGS, Equipment.BARBELL, "Squat (Barbell)") == 200
    assert s.rest_seconds(Category.ARMS, Equipment.DUMBBELL, "Bicep Curl (Dumbbell)") == 60
    assert s.rest_seconds(Category.BACK, Equipment.MACHINE, "Lat Pulldown (Cable)") == 100


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rep_min": "0"}, "rep_min", "Rep range minimum must be from 1 to 100."),
        ({"rep_min": "13"}, "rep_min", "Rep range minimum must be from 1 to the maximum (12)."),
        ({"rep_max": "101"}, "rep_max", "Rep range maximum must be from 1 to 100."),
        ({"rep_max": "ten"}, "rep_max", "Rep range maximum must be a number, not 'ten'."),
        ({"rep_max": "10.5"}, "rep_max", "Rep range maximum must be a whole number."),
        ({"increments": {"barbell": "-1"}}, "increments.barbell", "Barbell increment must be from 0 to 50."),
        ({"increments": {"machine": "51"}}, "increments.machine", "Machine increment must be from 0 to 50."),
        ({"increments": {"rowing": "1"}}, "increments.rowing", "There is no equipment called 'rowing'."),
        ({"bar_weight": "101"}, "bar_weight", "Bar weight must be from 0 to 100 kg."),
        ({"bar_weight": ""}, "bar_weight", "Enter bar weight."),
        ({"plates": "25, 0"}, "plates", "Each plate must be more than 0 and at most 100 kg."),
        ({"plates": "25, 20, 25"}, "plates", "Plates: 25 kg is listed twice."),
        ({"plates": " "}, "plates", "Plates: list at least one plate weight, like 25, 20, 10, 5."),
        ({"rest_default": "3601"}, "rest_default", "Rest (default) must be from 0 to 3600 seconds."),
        ({"rest_heavy": "-5"}, "rest_heavy", "Rest for heavy lifts must be from 0 to 3600 seconds."),
        ({"e1rm_formula": "lombardi"}, "e1rm_formula", "e1RM formula must be Epley or Brzycki."),
        ({"progression": "wave"}, "progression", "Progression must be double or linear."),
        ({"deload_percent": "80"}, "deload_percent", "Deload must be from 1 to 50 %."),
        ({"colour": "red"}, "colour", "There is no setting called 'colour'."),
    ],
)
def test_validation_messages(changes, field, message):
    with pytest.raises(SettingsValidationError) as caught:
        apply_changes(DEFAULTS, changes)
    assert caught.value.errors == {field: message}
    assert str(caught.value) == message


def test_invalid_update_saves_nothing_and_lists_every_field(services, alice):
    svc = services.settings(alice.id)
    svc.update(rep_max=10)
    with pytest.raises(SettingsValidationError) as caught:
        svc.update(rep_min=6, rep_max="x", bar_weight=500)
    assert set(caught.value.errors) == {"rep_max", "bar_weight"}  # rep_min alone is fine
    assert svc.get().rep_max == 10 and svc.get().rep_min == 8
    # Minimum above the new maximum, both typed at once.
    with pytest.raises(SettingsValidationError, match="maximum \\(5\\)"):
        svc.update(rep_min=6, rep_max=5)


def test_bad_stored_values_fall_back_to_defaults(services, alice):
    with services.db.engine.begin() as conn:
        for key, value in [
            ("rep_min", "11"), ("rep_max", "9"),          # valid alone, not together
            ("plates", "25,banana"), ("bar_weight", "-3"), ("e1rm_formula", "brzycki"),
            ("increment.barbell", "1.25"), ("increment.spaceship", "3"), ("future_thing", "x"),
        ]:
            conn.execute(
                text("INSERT INTO user_settings (user_id, key, value) VALUES (:u, :k, :v)"),
                {"u": alice.id, "k": key, "v": value},
            )
    svc = services.settings(alice.id)
    got = svc.get()
    assert (got.rep_min, got.rep_max) == (8, 12)
    assert got.plates == DEFAULTS.plates and got.bar_weight == 20
    assert got.e1rm_formula is Formula.BRZYCKI and got.increments[Equipment.BARBELL] == 1.25
    # Saving replaces the broken rows but leaves keys it does not own alone.
    svc.update(linear_reps=4)
    rows = stored(services, alice.id)
    assert rows["future_thing"] == "x" and "plates" not in rows and "rep_min" not in rows
    svc.reset()
    assert stored(services, alice.id) == {"future_thing": "x"}


def test_settings_belong_to_their_user(services, alice, bob):
    services.settings(alice.id).update(bar_weight=15, rep_min=5)
    assert services.settings(bob.id).get() == DEFAULTS
    services.settings(bob.id).update(bar_weight=10)
    assert services.settings(alice.id).get().bar_weight == 15
