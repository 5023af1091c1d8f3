"""Issue 6: repeated failed log-ins are slowed down across processes, without telling anyone
whether the account exists. Two Services on one database stand for two processes; a shared fake
clock stands for time passing."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from overload_tui.db.models import LoginAttempt
from overload_tui.domain.errors import AuthError
from overload_tui.services import Services
from overload_tui.services.auth import LOGIN_FAILED, AuthService, account_subject

PW = "correct horse"
WRONG = "Wrong-Guess-42"


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def two(services, database_url, data_dir, clock):
    """Two AuthServices on the same database, each with its own engine (connection pool)."""
    other = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    secret = services.auth._secret
    try:
        yield (
            AuthService(services.db, secret, bcrypt_rounds=4, now=clock),
            AuthService(other.db, secret, bcrypt_rounds=4, now=clock),
        )
    finally:
        other.close()


def _attempt(auth: AuthService, who: str, password: str) -> str:
    try:
        auth.login(who, password)
    except AuthError as error:
        return str(error)
    return "ok"


def _throttled(seconds: str) -> str:
    return f"Too many failed log-ins for this account; try again in {seconds}."


def test_failures_slow_down_across_processes(two, alice, clock):
    a, b = two
    for i in range(5):  # five free failures, spread over both processes
        assert _attempt((a, b)[i % 2], "alice", WRONG) == LOGIN_FAILED
    # Refused without looking at the password, from the other process too: no oracle.
    assert _attempt(b, "alice", PW) == _throttled("1 s")
    assert _attempt(a, "ALICE ", PW) == _throttled("1 s")  # same account, however it is typed
    for failures in range(5, 10):
        wait = 2 ** (failures - 5)
        clock.advance(wait - 0.5)
        assert _attempt(a, "alice", WRONG) == _throttled(f"{1} s"), "still waiting"
        clock.advance(0.5)
        assert _attempt(b, "alice", WRONG) == LOGIN_FAILED
    assert _attempt(a, "alice", PW) == _throttled("32 s")  # ten failures
    clock.advance(32)
    assert _attempt(a, "alice", PW) == "ok"  # the right password after the wait...
    for _ in range(5):  # ...clears the failures: five free ones again
        assert _attempt(b, "alice", WRONG) == LOGIN_FAILED
    assert _attempt(a, "alice", PW) == _throttled("1 s")


def _sequence(auth: AuthService, clock: Clock, who: str) -> list[str]:
    out = []
    for _ in range(9):
        out.append(_attempt(auth, who, WRONG))
        out.append(_attempt(auth, who, WRONG))
        clock.advance(3)
    return out


def test_unknown_names_are_throttled_the_same_way(two, alice, bob, clock):
    a, _ = two
    start = clock.t
    seen = {}
    # One account per real name: an account's username and email share one counter (issue 17).
    for who in ("alice", "ghost", "bob@example.com", "ghost@example.com"):
        clock.t = start
        seen[who] = _sequence(a, clock, who)
    assert seen["alice"] == seen["ghost"] == seen["bob@example.com"] == seen["ghost@example.com"]
    assert LOGIN_FAILED in seen["ghost"] and _throttled("1 s") in seen["ghost"]


def test_delay_is_capped_and_old_failures_expire(two, alice, clock, services):
    a, b = two
    messages = []
    for n in range(20):  # fail as soon as allowed each time
        while (m := _attempt(a, "alice", WRONG)) != LOGIN_FAILED:
            messages.append(m)
            clock.advance(min(2 ** max(n - 5, 0), 300))
    assert _throttled("4 min 16 s") in messages
    assert messages[-6:] == [_throttled("5 min")] * 6, "a patient guesser stays at the cap"
    assert not any("6 min" in m or "10 min" in m for m in messages)

    _attempt(a, "ghost", WRONG)  # another subject's run, which will end too
    clock.advance(15 * 60 + 1)  # quiet for longer than the window: the run is over
    for _ in range(5):
        assert _attempt(b, "alice", WRONG) == LOGIN_FAILED
    with services.db.read() as s:  # only the new run is left: both finished runs were pruned
        subjects = s.scalars(select(LoginAttempt.subject)).all()
    assert subjects == [account_subject(alice.id)] * 5


def test_attempts_store_only_a_hash(two, alice, services):
    a, _ = two
    for who in ("Alice", " alice", "nobody@example.com"):
        _attempt(a, who, WRONG)
    with services.db.read() as s:
        rows = s.execute(select(LoginAttempt.subject, LoginAttempt.attempted_at)).all()
    subjects = sorted(r.subject for r in rows)
    # An account's attempts under the hash of its id, an unknown name's under the hash of the name.
    expected = sorted([account_subject(alice.id)] * 2 + [hashlib.sha256(b"nobody@example.com").hexdigest()])
    assert subjects == expected
    dump = repr(rows).lower()
    assert WRONG.lower() not in dump and "alice" not in dump and "nobody" not in dump


def test_parallel_guesses_get_no_more_than_the_free_ones(services, database_url, data_dir, alice, clock):
    """Twelve processes guessing at the same moment: five are checked, the rest refused."""
    others = [Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4) for _ in range(12)]
    try:
        auths = [AuthService(o.db, services.auth._secret, bcrypt_rounds=4, now=clock) for o in others]
        for auth in auths:  # connect first, so they really start together
            auth.list_users()
        results: list[str] = []
        start = threading.Barrier(len(auths))

        def guess(auth: AuthService) -> None:
            start.wait(timeout=60)
            results.append(_attempt(auth, "alice", WRONG))

        threads = [threading.Thread(target=guess, args=(auth,)) for auth in auths]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sorted(results) == sorted([LOGIN_FAILED] * 5 + [_throttled("1 s")] * 7)
    finally:
        for o in others:
            o.close()


def test_password_checks_of_a_signed_in_user_are_throttled(two, alice, clock):
    a, b = two
    for _ in range(3):
        with pytest.raises(AuthError, match="current password is wrong"):
            a.change_password(alice.id, WRONG, "new password 1")
    for _ in range(2):
        with pytest.raises(AuthError, match="nothing was deleted"):
            b.delete_account(alice.id, WRONG)
    with pytest.raises(AuthError, match="Too many wrong passwords for this account; try again in 1 s"):
        a.change_password(alice.id, PW, "new password 1")
    assert _attempt(b, "alice", PW) == _throttled("1 s")  # the same account, the same count
    clock.advance(1)
    a.change_password(alice.id, PW, "new password 1")  # right: clears
    assert _attempt(b, "alice", "new password 1") == "ok"


def test_admin_reset_lifts_a_lock_out(two, alice, clock):
    a, b = two
    for _ in range(8):
        _attempt(a, "alice", WRONG)
        clock.advance(0.1)
    assert _attempt(a, "alice", PW).startswith("Too many failed log-ins")
    # The email is the same account: the same count (issue 17).
    assert _attempt(a, "alice@example.com", PW).startswith("Too many failed log-ins")
    b.set_password("alice", "reset by admin")
    assert _attempt(a, "alice", "reset by admin") == "ok"
    assert _attempt(a, "alice@example.com", "reset by admin") == "ok"
