import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plates import PlateLoad, format_load, plates_per_side


def test_known_loads():
    assert plates_per_side(100).per_side == (25, 15)
    load = plates_per_side(102.5)
    assert load.per_side == (25, 15, 1.25) and load.exact and load.total == 102.5
    assert format_load(load) == "25 + 15 + 1.25 per side"


def test_not_exact():
    load = plates_per_side(101)
    assert not load.exact
    assert (load.lower, load.upper) == (100, 102.5)
    assert load.total == 100 and load.per_side == (25, 15)  # the nearer (lighter on a tie)
    assert plates_per_side(102).total == 102.5


def test_just_the_bar_and_below():
    assert format_load(plates_per_side(20)) == "Just the bar"
    below = plates_per_side(15)
    assert below == PlateLoad((), False, 20, None, 20)


def test_greedy_would_fail():
    # 16 per side with 10, 8, 1: greedy gives 10+1*6 (7 plates), best is 8+8.
    load = plates_per_side(52, plates=(10, 8, 1))
    assert load.per_side == (8, 8) and load.exact
    # greedy cannot even reach 12 per side with 10 and 6 (10 + ...): 6 + 6 it is.
    assert plates_per_side(44, plates=(10, 6)).per_side == (6, 6)


def test_limited_pairs():
    load = plates_per_side(140, pairs_available={25: 1})
    assert load.per_side == (25, 20, 15) and load.exact
    capped = plates_per_side(200, plates=(25,), pairs_available={25: 2})
    assert (capped.exact, capped.lower, capped.upper, capped.total) == (False, 120, None, 120)
    none = plates_per_side(60, plates=(20,), pairs_available={20: 0})
    assert (none.per_side, none.exact, none.upper) == ((), False, None)


def test_custom_bar():
    assert plates_per_side(15, bar=15).per_side == ()
    assert plates_per_side(35, bar=15).per_side == (10,)


@pytest.mark.parametrize("kwargs", [
    dict(total=-1), dict(total=float("nan")), dict(total=1001), dict(total="100"),
    dict(total=100, plates=(0,)), dict(total=100, plates=(1.234,)), dict(total=100, bar=-20),
    dict(total=100, pairs_available={25: -1}),
])
def test_bad_input(kwargs):
    with pytest.raises(ValidationError):
        plates_per_side(**kwargs)


plate_sets = st.lists(
    st.integers(1, 100).map(lambda q: q * 0.25), min_size=1, max_size=6, unique=True
)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4000).map(lambda q: q / 4), plate_sets, st.sampled_from([0, 15, 20]))
def test_load_sums_to_total_and_exact_equals_input(total, plates, bar):
    load = plates_per_side(total, bar=bar, plates=plates)
    assert load.total == pytest.approx(bar + 2 * sum(load.per_side))
    assert all(p in plates for p in load.per_side)
    assert list(load.per_side) == sorted(load.per_side, reverse=True)
    if load.exact:
        assert load.total == pytest.approx(total)
        assert load.lower == load.upper == load.total
    else:
        if load.lower is not None:
            assert load.lower < total
        if load.upper is not None:
            assert load.upper > total
        assert load.total in (load.lower, load.upper)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([25, 20, 15, 10, 5, 2.5, 1.25]), max_size=12))
def test_anything_loadable_is_found_with_no_more_plates(side):
    total = 20 + 2 * sum(side)
    if total > 1000:
        return
    load = plates_per_side(total)
    assert load.exact and load.total == pytest.approx(total)
    assert len(load.per_side) <= len(side)
