"""The limits' bookkeeping, on a fake clock."""

from __future__ import annotations

import pytest

from overload_tui.serve.limits import FailureLimiter, SessionCounter, SessionsFull


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_block_an_address_until_they_leave_the_window():
    clock = Clock()
    limiter = FailureLimiter(max_failures=3, window=60, clock=clock)
    for _ in range(2):
        limiter.failed("10.0.0.1")
        clock.now += 1
    assert limiter.blocked_for("10.0.0.1") == 0
    limiter.failed("10.0.0.1")
    assert limiter.blocked_for("10.0.0.1") == pytest.approx(58)
    assert limiter.blocked_for("10.0.0.2") == 0  # per address
    clock.now += 58.5
    assert limiter.blocked_for("10.0.0.1") == 0  # the first failure left the window
    clock.now += 100
    assert limiter.blocked_for("10.0.0.1") == 0 and not limiter._failures


def test_sessions_are_counted_per_lifter_and_in_all():
    counter = SessionCounter(max_total=3, max_per_user=2)
    counter.acquire(1)
    counter.acquire(1)
    with pytest.raises(SessionsFull) as full:
        counter.acquire(1)
    assert (full.value.scope, full.value.limit) == ("user", 2)
    counter.acquire(None)  # the login screen: counted in all only
    with pytest.raises(SessionsFull) as full:
        counter.acquire(2)
    assert full.value.scope == "total"
    counter.release(1)
    counter.acquire(2)
    counter.release(1)
    counter.release(2)
    counter.release(None)
    assert counter.total == 0 and counter.per_user == {}
