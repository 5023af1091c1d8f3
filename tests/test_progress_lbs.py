"""Issue 16, reading back, on SQLite and PostgreSQL: a pounds lifter's records, best sets, series,
history totals, weekly volume and body weights read in pounds, with the numbers typed; sums and
comparisons stay in kg (a 225 lb set beats a 100 kg one), mixed histories are one series."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from overload_tui.domain.enums import Category, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.records import RecordKind
from overload_tui.domain.units import LB, LoadUnit, WeightUnit, from_kg, to_kg
from overload_tui.screens.dashboard import load_dashboard, volume_text as week_text
from overload_tui.screens.history import session_detail, session_prompt
from overload_tui.screens.progress import PLOTS, best_value, load_progress, progress_data, set_text
from overload_tui.services import format as fmt
from overload_tui.services.progress import shown_unit
from overload_tui.services.settings import DEFAULTS
from tests.tui_screens.helpers import exercise

D = datetime(2024, 5, 1, 18)


def log(ws, ex, days_ago, *sets, unit="lbs"):
    """A workout ``days_ago`` days before D with ``sets`` (weight, reps[, unit]) of ``ex``."""
    sess = ws.start_session(D - timedelta(days=days_ago))
    entry = ws.add_entry(ex.id, session_id=sess.id)
    for weight, reps, *given in sets:
        ws.add_set(entry.id, weight, reps, unit=given[0] if given else unit)
    return sess


@pytest.fixture
def lbs(services, alice):
    """Alice lifts in pounds."""
    services.settings(alice.id).update(weight_unit="lbs")
    return services.settings(alice.id)


def test_records_of_pounds_sets_read_as_typed(services, alice, ws, lbs):
    bench = exercise(ws, "Bench Press (Barbell)")
    log(ws, bench, 14, (205, 3), (185, 5))
    log(ws, bench, 7, (225, 5), (100, 5, "kg"))  # a kg set in a pounds history: one set of records
    progress = services.progress(alice.id)
    records = progress.records(bench.id).for_unit(Unit.KG)
    unit = shown_unit(lbs.get(), bench.id, Unit.KG)
    assert unit is LoadUnit.LBS
    heaviest = records.heaviest
    assert (heaviest.amount, heaviest.load_unit, heaviest.weight) == (225, LoadUnit.LBS, pytest.approx(225 * LB, abs=5e-4))
    assert fmt.weight_in(records.best_e1rm.value, unit) == "262.5 lb"  # 225 x (1 + 5/30), in kg then read
    assert fmt.weight_in(records.best_volume.value, unit, grouping=True) == "2,227.31 lb"  # 225 lb x 5 + 100 kg x 5
    at_100kg = records.most_reps_at(100)
    assert (at_100kg.amount, at_100kg.load_unit) == (100, LoadUnit.KG)  # the set as logged
    assert fmt.weight_in(heaviest.value, LoadUnit.KG) == "102.058 kg"  # the exercise set to kg
    best = progress.best_sets(bench.id)
    assert [(b.record.amount, b.record.load_unit) for b in best] == [(225, LoadUnit.LBS), (205, LoadUnit.LBS)]


def test_new_records_compare_pounds_and_kilograms_in_kg(services, alice, ws, lbs):
    bench = exercise(ws, "Bench Press (Barbell)")
    log(ws, bench, 14, (100, 5, "kg"))
    sess = log(ws, bench, 7, (220, 5), (225, 5))  # 220 lb = 99.8 kg: no record; 225 lb = 102.06 kg: one
    progress = services.progress(alice.id)
    marks = progress.session_records(sess.id)
    found = sorted(marks.values())
    assert found == [(RecordKind.HEAVIEST, RecordKind.E1RM, RecordKind.SESSION_VOLUME)]
    last = ws.get_session(sess.id).entries[0].sets[-1]
    assert progress.check_new_records(sess.id, last.id) == [RecordKind.HEAVIEST, RecordKind.E1RM, RecordKind.SESSION_VOLUME]


def test_shown_unit_follows_the_exercise_then_the_lifter(services, alice, ws, lbs):
    bench, dumbbell = exercise(ws, "Bench Press (Barbell)"), exercise(ws, "Bicep Curl (Dumbbell)")
    lbs.set_exercise_unit(dumbbell.id, "kg")  # kg dumbbells in a pounds gym
    settings = lbs.get()
    assert shown_unit(settings, bench.id, Unit.KG) is LoadUnit.LBS
    assert shown_unit(settings, dumbbell.id, Unit.KG) is LoadUnit.KG
    assert shown_unit(settings, bench.id, Unit.STACKS) is LoadUnit.STACKS
    lbs.set_exercise_unit(bench.id, "stacks")  # stacks chosen, but a kg history: the lifter's unit
    assert shown_unit(lbs.get(), bench.id, Unit.KG) is LoadUnit.LBS
    assert shown_unit(DEFAULTS, bench.id, Unit.KG) is LoadUnit.KG


def test_series_and_best_sets_in_pounds_one_series_for_mixed_units(services, alice, ws, lbs):
    squat = exercise(ws, "Squat (Barbell)")
    log(ws, squat, 21, (315, 5))
    log(ws, squat, 14, (140, 5, "kg"))  # 308.65 lb
    log(ws, squat, 7, (325, 3), (45, 10, "lbs"))
    loaded = load_progress(services.progress(alice.id), squat.id, settings=lbs, body=services.body(alice.id))
    assert (loaded.unit, loaded.weight_unit) == (LoadUnit.LBS, WeightUnit.LBS)
    data = progress_data(loaded)
    assert data.unit is Unit.KG and data.load_unit is LoadUnit.LBS
    assert [v for _, v in data.heaviest] == [315, 308.65, 325]
    assert [v for _, v in data.plots[1]] == [315, 308.65, 325]  # the Heaviest plot
    assert [v for _, v in data.volume] == [1575, 1543.24, 1425]  # 325 x 3 + 45 x 10
    assert data.e1rm[0][1] == 367.5  # 315 x (1 + 5/30)
    assert [data.label(plot) for plot in PLOTS[data.kind]] == ["lb", "lb", "lb"]  # the axes' titles
    assert [set_text(data.kind, b) for b in data.best] == ["315 lb × 5", "140 kg × 5", "325 lb × 3"]
    assert [best_value(data.kind, b, data.load_unit) for b in data.best] == ["367.5", "360.1", "357.5"]
    # A kg lifter reads the same history in kg, each set still as logged.
    kg = progress_data(load_progress(services.progress(alice.id), squat.id))
    assert [v for _, v in kg.heaviest] == [pytest.approx(315 * LB), 140, pytest.approx(325 * LB)]
    assert [set_text(kg.kind, b) for b in kg.best] == ["315 lb × 5", "140 kg × 5", "325 lb × 3"]
    assert [best_value(kg.kind, b, kg.load_unit) for b in kg.best] == ["166.7", "163.3", "162.2"]


def test_weighted_loads_and_body_weights_in_pounds(services, alice, ws, lbs):
    dip = exercise(ws, "Triceps Dip")
    body = services.body(alice.id)
    entry = body.log("180.4", on=date(2024, 4, 1), unit="lbs")
    assert entry.in_unit("lbs") == 180.4 and entry.weight == to_kg(180.4, "lbs")
    assert body.entries()[0].in_unit(WeightUnit.LBS) == 180.4  # through the float column, exactly
    log(ws, dip, 9, (45, 8))
    log(ws, dip, 2, (50, 6))
    data = progress_data(load_progress(services.progress(alice.id), dip.id, settings=lbs, body=body))
    assert [v for _, v in data.plots[0]] == [225.4, 230.4]  # body weight + added, in lb
    assert [v for _, v in data.plots[1]] == [45, 50]  # the added load, as typed
    assert [v for _, v in data.body] == [180.4] and data.body_unit is WeightUnit.LBS
    assert [set_text(data.kind, b, data.weight_unit) for b in data.best] == [
        "bw 180.4 + 45 = 225.4 lb × 8", "bw 180.4 + 50 = 230.4 lb × 6"]
    assert [best_value(data.kind, b, data.weight_unit) for b in data.best] == ["285.5", "276.5"]
    with pytest.raises(ValidationError) as error:
        body.log(1102.32, unit="lbs")  # over 500 kg
    assert error.value.field == "weight"
    assert body.log(1102.31, unit="lbs").in_unit("lbs") == 1102.31


def test_history_totals_sum_kg_and_read_in_pounds(services, alice, ws, lbs):
    bench = exercise(ws, "Bench Press (Barbell)")
    sess = log(ws, bench, 1, (225, 5), (100, 5, "kg"))
    summary = ws.list_sessions(limit=1)[0]
    assert summary.volume_kg == pytest.approx(225 * 5 * LB + 500)
    prompt = session_prompt(summary, WeightUnit.LBS).plain
    assert "2,227 lb" in prompt and "kg" not in prompt
    detail = session_detail(ws.get_session(sess.id), WeightUnit.LBS).plain
    assert "225 lb × 5" in detail and "100 kg × 5" in detail  # each set as logged
    assert "2,227 lb" in detail
    assert "2,227 lb" not in session_prompt(summary).plain and "1,010 kg" in session_prompt(summary).plain


def test_weekly_volume_in_pounds(services, alice, ws, lbs, monkeypatch):
    from overload_tui import clock

    monkeypatch.setattr(clock, "now", lambda: D)
    bench = exercise(ws, "Bench Press (Barbell)")
    log(ws, bench, 0, (225, 5), (100, 5, "kg"))
    data = load_dashboard(ws, services.progress(alice.id), lbs)
    assert data.unit is WeightUnit.LBS
    assert data.volume == ((Category.CHEST, 2, pytest.approx(225 * 5 * LB + 500, abs=1e-3)),)
    assert week_text(data.volume, unit=data.unit).plain == "Chest 2 sets · 2,227 lb"
    assert from_kg(data.volume[0][2], "lbs") == 2227.31
