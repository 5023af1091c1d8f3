import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.e1rm import CAVEAT, TRUSTED_MAX_REPS, Formula, estimate_1rm, is_trusted
from overload_tui.domain.errors import ValidationError

weights = st.floats(min_value=0, max_value=1000, allow_nan=False)
reps = st.integers(min_value=1, max_value=1000)
formulas = st.sampled_from(list(Formula))


def test_known_values():
    assert estimate_1rm(100, 5) == pytest.approx(116.67, abs=0.01)
    assert estimate_1rm(100, 5, Formula.BRZYCKI) == pytest.approx(112.5)
    assert estimate_1rm(100, 10, "brzycki") == pytest.approx(estimate_1rm(100, 10, "epley"))


def test_one_rep_is_the_weight():
    assert estimate_1rm(142.5, 1) == 142.5
    assert estimate_1rm(142.5, 1, Formula.BRZYCKI) == 142.5


def test_brzycki_is_capped_past_36_reps():
    at_cap = estimate_1rm(10, 36, Formula.BRZYCKI)
    assert at_cap == pytest.approx(360)
    assert estimate_1rm(10, 37, Formula.BRZYCKI) == at_cap
    assert estimate_1rm(10, 1000, Formula.BRZYCKI) == at_cap


@pytest.mark.parametrize(
    "weight, n", [(-1, 5), (math.nan, 5), (math.inf, 5), ("100", 5), (100, 0), (100, 2.5), (100, True)]
)
def test_bad_input_is_a_validation_error(weight, n):
    with pytest.raises(ValidationError):
        estimate_1rm(weight, n)


def test_bad_formula():
    with pytest.raises(ValidationError):
        estimate_1rm(100, 5, "lombardi")


def test_trust():
    assert is_trusted(1) and is_trusted(TRUSTED_MAX_REPS)
    assert not is_trusted(13) and not is_trusted(0)
    assert "12" in CAVEAT


@settings(max_examples=200, deadline=None)
@given(weights, reps, formulas)
def test_at_least_the_weight(w, r, f):
    assert estimate_1rm(w, r, f) >= w


@settings(max_examples=200, deadline=None)
@given(weights, weights, reps, reps, formulas)
def test_monotone_in_weight_and_reps(w1, w2, r1, r2, f):
    lo_w, hi_w = sorted((w1, w2))
    lo_r, hi_r = sorted((r1, r2))
    assert estimate_1rm(lo_w, r1, f) <= estimate_1rm(hi_w, r1, f)
    assert estimate_1rm(w1, lo_r, f) <= estimate_1rm(w1, hi_r, f)


@settings(max_examples=200, deadline=None)
@given(weights, formulas)
def test_one_rep_property(w, f):
    assert estimate_1rm(w, 1, f) == w
