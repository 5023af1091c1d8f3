"""Pounds end to end on both databases: what a lifter types in lb or kg is what reads back,
through the set box, the service, the float column and the logbook (issue 16)."""

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Unit
from overload_tui.domain.units import LB, LoadUnit
from overload_tui.services import format as fmt
from overload_tui.services.logbook import Logbook

DB_SETTINGS = settings(max_examples=60, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# What a lifter types: a decimal with up to two decimals, read as Python reads the text.
pounds = st.decimals(min_value=0, max_value=2204, places=2).map(lambda d: float(str(d)))
kilos = st.decimals(min_value=0, max_value=1000, places=2).map(lambda d: float(str(d)))


@pytest.fixture
def entry(ws):
    """Bench press in a new workout (``session_id`` beside the entry's fields)."""
    sess = ws.start_session(name="Push")
    info = ws.add_entry(ws.search_exercises("bench press", limit=1)[0].id, session_id=sess.id)
    return SimpleNamespace(id=info.id, exercise=info.exercise, session_id=sess.id)


@pytest.fixture
def lbs_user(services, alice):
    services.settings(alice.id).update(weight_unit="lbs")
    return alice


@DB_SETTINGS
@given(value=pounds, unit=st.sampled_from(["lbs", "kg"]))
def test_typed_values_read_back_exactly(ws, entry, value, unit):
    """The service stores pounds as exact kg beside the unit, and reads them back as typed."""
    if unit == "kg":
        value = min(value, 1000.0)
    saved = ws.add_set(entry.id, value, 5, unit)
    (read,) = [s for s in ws.get_entry(entry.id).sets if s.id == saved.id]
    assert (read.amount, read.load_unit) == (value, LoadUnit(unit))
    assert read.unit is Unit.KG  # the schema's unit stays kg or stacks
    assert read.weight == pytest.approx(value * LB if unit == "lbs" else value, abs=1e-9)
    edited = ws.update_set(saved.id, reps=6)  # an edit of something else keeps the weight as typed
    assert (edited.amount, edited.load_unit) == (value, LoadUnit(unit))


@DB_SETTINGS
@given(value=pounds)
def test_the_set_box_logs_pounds_as_typed(services, lbs_user, entry, value):
    """A lbs lifter types a number: it is pounds, stored and shown as typed."""
    book = Logbook(services.workouts(lbs_user.id), services.progress(lbs_user.id),
                   services.settings(lbs_user.id), entry.session_id)
    book.open()
    view = book.submit(f"{fmt.number(value)}x5")
    assert not view.status.error, view.status.text
    s = view.rows[-1].info
    assert (s.amount, s.load_unit, fmt.load_text(s)) == (value, LoadUnit.LBS, f"{fmt.number(value, grouping=True)} lb")
    stored = services.workouts(lbs_user.id).get_entry(entry.id).sets[-1]
    assert (stored.amount, stored.display_unit) == (value, "lbs")


def test_other_unit_converted_into_the_exercises(services, lbs_user, entry):
    """'100kg x 5' for a lbs lifter reads 220.46 lb; '225lb x 5' for a kg lifter 102.058 kg."""
    book = Logbook(services.workouts(lbs_user.id), services.progress(lbs_user.id),
                   services.settings(lbs_user.id), entry.session_id)
    book.open()
    view = book.submit("100kg x 5")
    assert view.rows[-1].info.amount == 220.46 and view.unit is LoadUnit.LBS
    assert "Set 1 logged: 220.46 lb × 5." in view.status.text
    services.settings(lbs_user.id).update(weight_unit="kg")
    book = Logbook(services.workouts(lbs_user.id), services.progress(lbs_user.id),
                   services.settings(lbs_user.id), entry.session_id)
    book.open()
    view = book.submit("225lb x 5")
    assert [fmt.set_short(r.info) for r in view.rows] == ["220.46×5", "102.058×5"]  # each as logged
    assert [r.info.load_unit for r in view.rows] == [LoadUnit.LBS, LoadUnit.KG]


def test_ctrl_t_cycles_and_is_remembered_per_exercise(services, lbs_user, entry):
    """kg dumbbells in a pounds gym: the exercise's unit is chosen once and kept; a barbell
    cycles kg and lb, a machine also stacks."""
    ws = services.workouts(lbs_user.id)
    book = Logbook(ws, services.progress(lbs_user.id), services.settings(lbs_user.id), entry.session_id)
    book.open()
    assert book.view().unit is LoadUnit.LBS
    book.submit("225x5")
    assert book.cycle_unit().unit is LoadUnit.KG
    view = book.submit("x5")  # the previous set's load, read in kg
    assert [fmt.set_short(r.info) for r in view.rows] == ["225×5", "102.058×5"]
    assert services.settings(lbs_user.id).get().unit_for(entry.exercise.id) is LoadUnit.KG
    assert ws.exercise_unit(entry.exercise.id) is LoadUnit.KG  # the next workout, a template
    assert book.cycle_unit().unit is LoadUnit.LBS  # back to the lifter's own: the choice is forgotten
    assert services.settings(lbs_user.id).get().unit_for(entry.exercise.id) is None
    assert book.submit("+Leg Press (Machine)").exercise.equipment == "machine"
    assert book.view().unit is LoadUnit.STACKS  # a machine's pin, until the lifter says otherwise
    units = [book.cycle_unit().unit for _ in range(3)]
    assert sorted(units) == sorted([LoadUnit.KG, LoadUnit.LBS, LoadUnit.STACKS])


def test_pending_sets_keep_pounds(services, lbs_user, entry, monkeypatch):
    """A set typed while the database is away waits in pounds and is saved as typed."""
    from overload_tui.domain.errors import DatabaseUnavailableError

    ws = services.workouts(lbs_user.id)
    book = Logbook(ws, services.progress(lbs_user.id), services.settings(lbs_user.id), entry.session_id)
    book.open()
    real = ws.add_set

    def down(*args, **kwargs):
        raise DatabaseUnavailableError("The database is not answering.")

    monkeypatch.setattr(ws, "add_set", down)
    view = book.submit("227.5x5")
    assert view.rows[-1].pending and fmt.load_text(view.rows[-1].info) == "227.5 lb"
    view = book.submit("#1 232.5x5")  # edited while it waits
    assert fmt.load_text(view.rows[-1].info) == "232.5 lb"
    monkeypatch.setattr(ws, "add_set", real)
    book.resend()
    (saved,) = ws.get_entry(entry.id).sets
    assert (saved.amount, saved.load_unit) == (232.5, LoadUnit.LBS)


def test_last_time_says_its_year_when_it_is_not_this_workouts():
    """An imported history's last session a year back reads 'Tue 14 Jan 2025', not 'Tue 14 Jan'."""
    from datetime import datetime

    now = datetime(2026, 12, 6, 18, 0)
    assert fmt.dated(datetime(2025, 1, 14, 9, 0), now) == "Tue 14 Jan 2025"
    assert fmt.dated(datetime(2026, 1, 14, 9, 0), now) == "Wed 14 Jan"
    assert fmt.relative_day(datetime(2025, 1, 14), now) == "Tue 14 Jan 2025"
