"""The JSON backup carries every kind of set, the custom exercises' kinds and the body-weight log,
and restores them exactly; a version 1 backup (before kinds) still restores."""

from __future__ import annotations

import json
from datetime import date

import pytest

from overload_tui.domain.enums import ExerciseKind
from overload_tui.services.transfer import ImportFormatError
from tests.transfer.kinds import (
    EVERY_KIND,
    NEW_KINDS,
    body_weights,
    custom_def,
    custom_kinds,
    entry,
    every_kind_file,
    log_body_weights,
    pset,
    stored_sets,
)
from tests.transfer.test_transfer_roundtrip import _comparable

DAYS = {date(2025, 2, 27): 82.4, date(2025, 3, 1): 81.95, date(2025, 3, 8): 81.2}


def _alice_with_everything(services, alice, transfer) -> None:
    parsed = every_kind_file("json")
    parsed.custom_exercises = [custom_def("Ring Hold Unused", ExerciseKind.TIME)]
    transfer.commit_import(transfer.plan_parsed(parsed, "everything"))
    log_body_weights(services, alice.id, DAYS)


def test_backup_of_every_kind_and_body_weights_restores_exactly(services, alice, bob, transfer, bob_transfer, tmp_path):
    _alice_with_everything(services, alice, transfer)
    original = transfer.export_backup()
    assert original["version"] == 4
    assert original["body_weights"] == [{"date": d.isoformat(), "weight": w} for d, w in sorted(DAYS.items())]
    kinds = {e["name"]: e["kind"] for e in original["exercises"]}
    assert kinds == {**NEW_KINDS, "Ring Hold Unused": "time"}
    sets = {e["exercise"]: e["sets"] for e in original["sessions"][0]["entries"]}
    assert {k: v for k, v in sets["Running"][0].items() if k in ("duration_s", "distance_m", "distance_unit")} == {
        "duration_s": 1800.0, "distance_m": 8046.72, "distance_unit": "mi",
    }  # fmt: skip
    assert "distance_m" not in sets["Plank"][0] and sets["Plank"][0]["duration_s"] == 60.0
    assert not {"duration_s", "distance_m", "distance_unit"} & set(sets["Push Up"][0])  # weight x reps as before

    path = tmp_path / "backup.json"
    path.write_text(transfer.export_json(), encoding="utf-8")
    report = bob_transfer.import_file(path)
    assert (report.body_weights, report.timed_sets, report.distance_sets) == (3, 4, 5)
    assert "Body weight: imported 3 days." in report.render()
    assert _comparable(bob_transfer.export_backup()) == _comparable(original)
    assert stored_sets(services, bob.id) == EVERY_KIND
    assert custom_kinds(services, bob.id) == custom_kinds(services, alice.id)
    assert body_weights(services, bob.id) == DAYS

    again = bob_transfer.import_file(path)  # a second restore adds nothing
    assert (again.workouts, again.body_weights, again.duplicate_body_weights) == (0, 0, 3)
    assert body_weights(services, bob.id) == DAYS


def test_a_day_already_logged_keeps_its_body_weight(services, alice, bob, transfer, bob_transfer):
    _alice_with_everything(services, alice, transfer)
    log_body_weights(services, bob.id, {date(2025, 3, 1): 90.0})
    plan = bob_transfer.plan_import(transfer.export_json().encode(), name="backup.json")
    assert (plan.report.body_weights, plan.report.duplicate_body_weights) == (2, 1)
    assert "Body weight: would import 2 days; 1 day already logged, left alone." in plan.report.render()
    bob_transfer.commit_import(plan)
    assert body_weights(services, bob.id) == {**DAYS, date(2025, 3, 1): 90.0}


def test_body_weights_alone_are_worth_importing(services, alice, bob, transfer, bob_transfer):
    log_body_weights(services, alice.id, DAYS)
    plan = bob_transfer.plan_import(transfer.export_json().encode())
    assert plan.can_commit and plan.report.workouts == 0
    bob_transfer.commit_import(plan)
    assert body_weights(services, bob.id) == DAYS


VERSION_1 = {
    "format": "overload-backup",
    "version": 1,
    "exported_at": "2025-01-10T10:00:00",
    "user": "alice",
    "exercises": [{"name": "Hammer Strength Press", "category": "chest", "subcategory": None, "equipment": "machine"}],
    "templates": [],
    "sessions": [
        {
            "date": "2025-01-06T18:30:00", "name": "Push", "notes": None, "finished_at": None,
            "source_key": None, "template": None,
            "entries": [
                {"order": 1, "exercise": "Hammer Strength Press", "custom": True, "notes": None,
                 "sets": [{"order": 1, "weight": 7.5, "reps": 8, "unit": "stacks", "set_type": None,
                           "rpe": 8.5, "logged_at": "2025-01-06T18:35:00"}]},
                {"order": 2, "exercise": "Push Up", "custom": False, "notes": None,
                 "sets": [{"order": 1, "weight": 0.0, "reps": 20, "unit": "kg", "set_type": None,
                           "rpe": None, "logged_at": None}]},
            ],
        }
    ],
}  # fmt: skip


def test_a_version_1_backup_still_restores(services, bob, bob_transfer):
    report = bob_transfer.import_file(json.dumps(VERSION_1).encode())
    assert report.written and (report.workouts, report.sets, report.reps_only_sets, report.body_weights) == (1, 2, 1, 0)
    assert custom_kinds(services, bob.id) == {"Hammer Strength Press": "weight_reps"}
    assert stored_sets(services, bob.id) == {
        "Hammer Strength Press": [(7.5, 8, None, None, None)],
        "Push Up": [(0.0, 20, None, None, None)],
    }
    restored = bob_transfer.export_backup()
    assert restored["version"] == 4 and restored["body_weights"] == []
    assert restored["sessions"][0]["entries"][0]["sets"][0]["rpe"] == 8.5


def _backup_with(set_fields: dict | None = None, **top) -> bytes:
    data = json.loads(json.dumps(VERSION_1))
    data["version"] = 2
    data["sessions"][0]["entries"][1]["sets"][0].update(set_fields or {})
    data.update(top)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"duration_s": -5}, "A time must be more than 0 seconds."),
        ({"duration_s": 86_401}, "A time must be at most 24 hours."),
        ({"distance_m": 0}, "A distance must be more than 0."),
        ({"distance_m": 400, "distance_unit": "furlong"}, "Distance unit must be m, km, mi, yd or ft."),
        ({"distance_unit": "km"}, "A distance unit needs a distance."),
    ],
)
def test_a_set_with_a_bad_time_or_distance_is_refused_with_its_place(bob_transfer, fields, reason):
    plan = bob_transfer.plan_import(_backup_with(fields))
    [row] = plan.report.invalid
    assert (row.where, row.exercise, row.reason) == ("sessions[0].entries[1].sets[0]", "Push Up", reason)


def test_a_bad_body_weight_is_refused_and_the_rest_kept(bob_transfer):
    data = _backup_with(body_weights=[{"date": "2025-01-01", "weight": 0}, {"date": "2025-01-02", "weight": 80}])
    plan = bob_transfer.plan_import(data)
    [row] = plan.report.invalid
    assert (row.where, row.exercise) == ("body_weights[0]", "(body weight)")
    assert plan.report.body_weights == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _backup_with(exercises=[{"name": "X", "category": "core", "kind": "juggling"}]),
            "exercises[0].kind: Kind must be one of weight, reps, weighted, assisted, time, distance, not 'juggling'.",
        ),
        (
            _backup_with(body_weights=[{"date": "2025-01-01", "weight": 80}, {"date": "2025-01-01", "weight": 81}]),
            "body_weights[1]: a second body weight for 2025-01-01",
        ),
        (_backup_with(body_weights=[{"date": "1 Jan", "weight": 80}]), "body_weights[0].date: cannot read the date"),
        (_backup_with(body_weights=[{"date": "9999-01-01", "weight": 80}]),
         "body_weights[0].date: the date '9999-01-01' is outside the years 1900..2100"),
        (_backup_with({"logged_at": "1850-01-01T10:00:00"}),
         "sessions[0].entries[1].sets[0].logged_at: the date '1850-01-01T10:00:00' is outside the years 1900..2100"),
        (_backup_with(version=5), "backup version '5' is not one this overload reads (1 or 2 or 3 or 4)"),
    ],
)
def test_a_backup_that_cannot_be_read_says_where(bob_transfer, data, message):
    with pytest.raises(ImportFormatError) as caught:
        bob_transfer.plan_import(data)
    assert message in str(caught.value)


def test_template_sets_keep_their_time_and_distance(services, alice, bob, transfer, bob_transfer):
    from overload_tui.services.transfer.model import ParsedTemplate

    parsed = every_kind_file("json")
    parsed.workouts = []
    parsed.templates = [
        ParsedTemplate("templates[0]", "t1", "Conditioning", None, [
            entry("Rowing (Machine)", pset(0, 8, duration_s=90.0, distance_m=400.0, distance_unit="m")),
            entry("Plank", pset(0, 1, duration_s=60.0)),
        ])
    ]  # fmt: skip
    transfer.commit_import(transfer.plan_parsed(parsed, "templates"))
    original = transfer.export_backup()
    rowing = original["templates"][0]["entries"][0]["sets"][0]
    assert (rowing["duration_s"], rowing["distance_m"], rowing["distance_unit"], rowing["reps"]) == (90.0, 400.0, "m", 8)
    bob_transfer.import_file(transfer.export_json().encode())
    assert _comparable(bob_transfer.export_backup()) == _comparable(original)


def test_times_and_distances_restore_to_the_last_decimal(services, bob, bob_transfer):
    """The app's checks round a typed time to the tenth; a restore keeps what was saved (8 x 400 m
    in 7:30 is 56.25 s a rep)."""
    data = _backup_with({"duration_s": 56.25, "distance_m": 400.125, "distance_unit": "yd", "reps": 8})
    bob_transfer.import_file(data)
    assert stored_sets(services, bob.id)["Push Up"] == [(0.0, 8, 56.25, 400.125, "yd")]
