from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import Unit
from overload_tui.domain.records import (
    RecordKind,
    SetRecord,
    best_sets,
    compute_records,
    new_records,
)

D0 = datetime(2026, 1, 5, 18, 0)


def s(session, day, weight, reps, unit=Unit.KG, set_id=None):
    return SetRecord(session, D0 + timedelta(days=day), weight, reps, unit, set_id)


HISTORY = [
    s(1, 0, 100, 5), s(1, 0, 100, 5), s(1, 0, 100, 4),
    s(2, 3, 105, 3), s(2, 3, 100, 6),
    s(3, 7, 105, 3), s(3, 7, 90, 12),
    s(4, 8, 5, 12, Unit.STACKS),
]


def test_compute_records():
    rec = compute_records(HISTORY)
    kg = rec.for_unit(Unit.KG)
    assert kg.heaviest.value == 105 and kg.heaviest.session_id == 2  # the first to lift it
    assert kg.heaviest.date == D0 + timedelta(days=3)
    assert kg.best_e1rm.value == pytest.approx(estimate_1rm(90, 12))
    assert kg.best_e1rm.session_id == 3
    assert kg.best_volume.value == 1400 and kg.best_volume.session_id == 1
    assert kg.best_volume.weight is None
    assert kg.most_reps_at(100).reps == 6 and kg.most_reps_at(100).session_id == 2
    assert kg.most_reps_at(100.0004).reps == 6
    assert kg.most_reps_at(77.5) is None
    assert [r.weight for r in kg.reps_at_weight] == [105, 100, 90]
    stacks = rec.for_unit("stacks")
    assert stacks.heaviest.value == 5 and stacks.best_volume.value == 60


def test_empty_history():
    rec = compute_records([])
    assert rec.units == () and rec.for_unit(Unit.KG) is None


def test_formula_matters():
    rec = compute_records(HISTORY, Formula.BRZYCKI)
    assert rec.formula is Formula.BRZYCKI
    assert rec.for_unit(Unit.KG).best_e1rm.value == pytest.approx(estimate_1rm(90, 12, "brzycki"))


def test_first_ever_set_is_not_a_record():
    first = s(1, 0, 100, 5, set_id=1)
    assert new_records([], first, []) == []
    # ... nor anything else in the very first session
    assert new_records([], s(1, 0, 120, 5, set_id=2), [first]) == []


def test_heavier_set_is_announced():
    new = s(5, 10, 107.5, 1)
    assert new_records(HISTORY, new, []) == [RecordKind.HEAVIEST]


def test_ties_are_not_records():
    assert new_records(HISTORY, s(5, 10, 105, 3), []) == []


def test_reps_at_weight_and_e1rm():
    assert new_records(HISTORY, s(5, 10, 100, 7), []) == [RecordKind.REPS_AT_WEIGHT]
    assert new_records(HISTORY, s(5, 10, 100, 9), []) == [RecordKind.E1RM, RecordKind.REPS_AT_WEIGHT]


def test_reps_at_a_weight_never_lifted_is_not_announced():
    assert new_records(HISTORY, s(5, 10, 97.5, 6), []) == []


def test_earlier_sets_of_the_session_raise_the_bar():
    first = s(5, 10, 107.5, 1, set_id=10)
    second = s(5, 10, 107.5, 1, set_id=11)
    assert new_records(HISTORY, first, []) == [RecordKind.HEAVIEST]
    assert new_records(HISTORY, second, [first]) == []
    # new_set inside session_sets is skipped (matched by set_id)
    assert new_records(HISTORY, second, [first, second]) == []


def test_session_volume_announced_once_when_crossing():
    sets = [s(5, 10, 100, 5, set_id=i) for i in range(1, 5)]  # 500 each; old best 1400
    announced = [
        RecordKind.SESSION_VOLUME in new_records(HISTORY, sets[i], sets[:i]) for i in range(4)
    ]
    assert announced == [False, False, True, False]


def test_previous_as_records_or_history_agree():
    rec = compute_records(HISTORY)
    new = s(5, 10, 100, 9)
    assert new_records(rec, new, []) == new_records(HISTORY, new, [])


def test_previous_history_ignores_the_current_session():
    today = s(5, 10, 110, 2)
    assert new_records([*HISTORY, today], today, []) == [RecordKind.HEAVIEST]


def test_units_do_not_mix():
    assert new_records(HISTORY, s(5, 10, 50, 1, Unit.STACKS), []) == [RecordKind.HEAVIEST, RecordKind.E1RM]
    assert new_records(HISTORY, s(5, 10, 6, 12, Unit.STACKS), []) == [
        RecordKind.HEAVIEST, RecordKind.E1RM, RecordKind.SESSION_VOLUME
    ]


def test_formula_mismatch_is_a_programming_error():
    with pytest.raises(ValueError):
        new_records(compute_records(HISTORY), s(5, 10, 100, 9), [], Formula.BRZYCKI)


def test_best_sets():
    top = best_sets(HISTORY, n=2, unit=Unit.KG)
    assert [(b.record.session_id, b.record.weight, b.record.reps) for b in top] == [(3, 90, 12), (2, 100, 6)]
    all_kg = best_sets(HISTORY, unit=Unit.KG, one_per_session=False)
    assert len(all_kg) == 7
    assert [b.e1rm for b in all_kg] == sorted((b.e1rm for b in all_kg), reverse=True)
    assert best_sets(HISTORY, n=0) == []


sets_strategy = st.lists(
    st.builds(
        SetRecord,
        session_id=st.integers(1, 6),
        date=st.integers(0, 30).map(lambda d: D0 + timedelta(days=d)),
        weight=st.integers(0, 400).map(lambda q: q * 2.5),
        reps=st.integers(1, 20),
        unit=st.just(Unit.KG),
        set_id=st.none(),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(sets_strategy, sets_strategy.filter(bool))
def test_records_only_when_strictly_beaten(history, today):
    """A set announced as a record really beats every earlier set, and vice versa."""
    today = [SetRecord(99, D0 + timedelta(days=40), t.weight, t.reps, t.unit, i) for i, t in enumerate(today)]
    for i, new in enumerate(today):
        kinds = new_records(history, new, today[:i])
        earlier = history + today[:i]
        if not history:
            assert kinds == []
            continue
        assert (RecordKind.HEAVIEST in kinds) == (new.weight > max(e.weight for e in earlier))
        e1 = estimate_1rm(new.weight, new.reps)
        assert (RecordKind.E1RM in kinds) == (e1 > max(estimate_1rm(e.weight, e.reps) for e in earlier) + 1e-9)


@settings(max_examples=200, deadline=None)
@given(sets_strategy)
def test_compute_records_are_maxima(history):
    rec = compute_records(history).for_unit(Unit.KG)
    if not history:
        assert rec is None
        return
    assert rec.heaviest.value == max(h.weight for h in history)
    assert rec.best_e1rm.value == pytest.approx(max(estimate_1rm(h.weight, h.reps) for h in history))
    top = best_sets(history, n=1, one_per_session=False)[0]
    assert top.e1rm == pytest.approx(rec.best_e1rm.value)
