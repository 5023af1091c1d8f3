import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Category, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.progression import LoggedSet
from overload_tui.domain.volume import VolumeSummary, session_volume, weekly_volume_by_category


def test_session_volume_keeps_units_apart_and_skips_warmups():
    sets = [
        (100, 5, Unit.KG),
        (100, 5, "kg"),
        (40, 10, Unit.KG, True),  # warm-up
        (8, 12, Unit.STACKS),
        LoggedSet(62.5, 8, Unit.KG),
    ]
    assert session_volume(sets) == {Unit.KG: 1500.0, Unit.STACKS: 96.0}


def test_empty_session():
    assert session_volume([]) == {}


def test_invalid_set_is_rejected():
    with pytest.raises(ValidationError):
        session_volume([(-5, 5, Unit.KG)])


def test_weekly_volume_by_category():
    rows = [
        (Category.CHEST, 100, 5, Unit.KG),
        ("chest", 100, 5, "kg"),
        (Category.BACK, 10, 10, Unit.STACKS),
        (Category.LEGS, 0, 20, Unit.KG),
    ]
    result = weekly_volume_by_category(rows)
    assert list(result) == list(Category)
    assert result[Category.CHEST] == VolumeSummary(sets=2, tonnage_kg=1000.0)
    assert result[Category.BACK] == VolumeSummary(sets=1, tonnage_kg=0.0)
    assert result[Category.LEGS] == VolumeSummary(sets=1, tonnage_kg=0.0)
    assert result[Category.CORE] == VolumeSummary(sets=0, tonnage_kg=0.0)


def test_weekly_bad_category():
    with pytest.raises(ValidationError):
        weekly_volume_by_category([("neck", 10, 10, "kg")])


set_tuples = st.tuples(
    st.integers(0, 100_000).map(lambda c: c / 100), st.integers(1, 50), st.sampled_from(list(Unit))
).filter(lambda s: s[0] <= (1000 if s[2] is Unit.KG else 100))


@settings(max_examples=200, deadline=None)
@given(st.lists(set_tuples, max_size=20))
def test_volume_is_the_sum_per_unit(sets):
    result = session_volume(sets)
    for unit in Unit:
        expected = sum(w * r for w, r, u in sets if u is unit)
        if any(u is unit for _, _, u in sets):
            assert result[unit] == pytest.approx(expected, abs=1e-3)
        else:
            assert unit not in result
