"""What one address and one lifter may do: failed log-ins per source address (a sliding window),
sessions per lifter and in all. Pure bookkeeping on the server's event loop (no locks needed);
the clock is passed in so tests need no sleeping."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# Failed connections (ended without logging in) an address may have in FAILURE_WINDOW seconds
# before its new connections are turned away, until the oldest failure leaves the window.
MAX_FAILURES = 10
FAILURE_WINDOW = 300.0
MAX_AUTH_ATTEMPTS = 12          # key or keyboard-interactive tries on one connection
MAX_UNAUTHENTICATED = 32        # connections not yet logged in, in all
MAX_SESSIONS = 16               # connected sessions in all (each is an app process: ~70 MB)
MAX_SESSIONS_PER_USER = 3
IDLE_TIMEOUT = 60 * 60.0        # seconds without a key from the client
LOGIN_TIMEOUT = 30.0            # seconds to finish logging in


class FailureLimiter:
    """Failed log-ins per source address in a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window, self._clock = max_failures, window, clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float] | None:
        times = self._failures.get(address)
        if times is None:
            return None
        cutoff = self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[address]
            return None
        return times

    def blocked_for(self, address: str) -> float:
        """Seconds until ``address`` may try again; 0 if it may now."""
        times = self._recent(address)
        if times is None or len(times) < self.max_failures:
            return 0.0
        return max(times[-self.max_failures] + self.window - self._clock(), 0.001)

    def failed(self, address: str) -> None:
        self._recent(address)
        self._failures.setdefault(address, deque()).append(self._clock())
        if len(self._failures) > 10_000:  # many addresses: forget those with nothing recent
            for other in list(self._failures):
                self._recent(other)

    def succeeded(self, address: str) -> None:
        """A log-in from ``address`` worked: its earlier failures (a wrong key tried first) no
        longer count."""
        self._failures.pop(address, None)


class SessionsFull(Exception):
    """A session refused by a cap. ``scope``: "user" or "total"; ``limit``: the cap."""

    def __init__(self, scope: str, limit: int) -> None:
        self.scope, self.limit = scope, limit
        super().__init__(scope, limit)


@dataclass
class SessionCounter:
    """Open sessions, in all and per lifter (anonymous sessions, on the login screen, count in
    all only)."""

    max_total: int = MAX_SESSIONS
    max_per_user: int = MAX_SESSIONS_PER_USER
    total: int = 0
    per_user: dict[int, int] = field(default_factory=dict)

    def acquire(self, user_id: int | None) -> None:
        """Count one more session; SessionsFull if a cap is reached."""
        if self.total >= self.max_total:
            raise SessionsFull("total", self.max_total)
        if user_id is not None and self.per_user.get(user_id, 0) >= self.max_per_user:
            raise SessionsFull("user", self.max_per_user)
        self.total += 1
        if user_id is not None:
            self.per_user[user_id] = self.per_user.get(user_id, 0) + 1

    def release(self, user_id: int | None) -> None:
        self.total = max(self.total - 1, 0)
        if user_id is not None:
            left = self.per_user.get(user_id, 0) - 1
            if left > 0:
                self.per_user[user_id] = left
            else:
                self.per_user.pop(user_id, None)
