"""Issue 17: passwords with a NUL are refused where a password is set (register, passwd, change)
and are simply wrong at log-in; failed log-ins are counted per account, so an account's
username and email share one counter (five free guesses, not ten). Both databases."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import bcrypt
import pytest
from sqlalchemy import update

from overload_tui.db.models import User
from overload_tui.domain.errors import AuthError, ValidationError
from overload_tui.services.auth import LOGIN_FAILED, THROTTLE_FREE_FAILURES, AuthService

PW = "correct horse"  # alice's, from tests/conftest.py
WRONG = "Wrong-Guess-42"
NUL_PASSWORDS = ["pass\x00word-1", "\x00" * 9, "correct horse\x00", "\x00correct horse"]


# -- NUL -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("password", NUL_PASSWORDS)
def test_register_refuses_a_password_with_nul(services, password):
    with pytest.raises(ValidationError) as info:
        services.auth.register("carol", "carol@example.com", password)
    assert info.value.field == "password"
    assert services.auth.list_users() == []


@pytest.mark.parametrize("password", NUL_PASSWORDS)
def test_passwd_and_change_refuse_a_password_with_nul(services, alice, password):
    with pytest.raises(ValidationError) as info:
        services.auth.set_password("alice", password)
    assert info.value.field == "password"
    with pytest.raises(ValidationError) as info:
        services.auth.change_password(alice.id, PW, password)
    assert info.value.field == "password"
    assert services.auth.login("alice", PW).user.id == alice.id  # unchanged


@pytest.mark.parametrize("password", NUL_PASSWORDS)
def test_login_with_nul_is_just_wrong(services, alice, password):
    with pytest.raises(AuthError) as info:
        services.auth.login("alice", password)
    assert str(info.value) == LOGIN_FAILED


def test_an_old_hash_of_a_nul_password_no_longer_lets_anyone_in(services, alice):
    """An account whose password was set with a NUL before this check (bcrypt libraries
    disagree on what follows a NUL): that password is wrong now, never a crash."""
    nul_password = "pass\x00word-1"
    stored = bcrypt.hashpw(nul_password.encode(), bcrypt.gensalt(4)).decode()
    with services.db.write() as s, s.begin():
        s.execute(update(User).where(User.id == alice.id).values(password_hash=stored))
    for password in (nul_password, "pass"):
        with pytest.raises(AuthError):
            services.auth.login("alice", password)
    with pytest.raises(AuthError):
        services.auth.change_password(alice.id, nul_password, "a new password")
    with pytest.raises(AuthError):
        services.auth.delete_account(alice.id, nul_password)


def test_the_command_refuses_a_nul_password_in_one_line(services, data_dir, database_url):
    env = {"OVERLOAD_DATA_DIR": str(data_dir), "DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "overload_tui", "user", "add", "carol", "--email", "carol@example.com"],
        input="pass\x00word-1\n", text=True, capture_output=True, env=env, timeout=60,
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "NUL" in lines[0] and "Traceback" not in done.stderr, done.stderr
    assert [u.username for u in services.auth.list_users()] == []


# -- one counter per account -----------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def auth(services):
    return AuthService(services.db, services.auth._secret, bcrypt_rounds=4, now=Clock())


def _attempt(auth: AuthService, who: str, password: str) -> str:
    try:
        auth.login(who, password)
    except AuthError as error:
        return "throttled" if str(error) != LOGIN_FAILED else "wrong"
    return "ok"


@pytest.mark.parametrize("split", [1, 2, 3, 4])
def test_username_and_email_share_one_counter(auth, alice, split):
    names = ["alice"] * split + ["ALICE@example.com"] * (THROTTLE_FREE_FAILURES - split)
    assert [_attempt(auth, who, WRONG) for who in names] == ["wrong"] * THROTTLE_FREE_FAILURES
    # Five failures between the two names: both are refused now, the right password too.
    assert _attempt(auth, "alice", PW) == "throttled"
    assert _attempt(auth, "alice@example.com", PW) == "throttled"
    auth._now.t += timedelta(seconds=1)
    assert _attempt(auth, "alice@example.com", PW) == "ok"  # which clears the account's counter
    assert [_attempt(auth, "alice", WRONG) for _ in range(4)] == ["wrong"] * 4


def test_another_account_and_unknown_names_keep_their_own_counters(auth, alice, bob):
    for who in ["alice", "alice@example.com"] * 3:
        _attempt(auth, who, WRONG)
    assert _attempt(auth, "alice", PW) == "throttled"
    assert _attempt(auth, "bob", "battery staple") == "ok"
    assert [_attempt(auth, "ghost", WRONG) for _ in range(5)] == ["wrong"] * 5
    assert _attempt(auth, "ghost@example.com", WRONG) == "wrong"  # another name, another counter
    assert _attempt(auth, "ghost", WRONG) == "throttled"


def test_wrong_current_passwords_count_on_the_same_account(auth, alice):
    for _ in range(3):
        _attempt(auth, "alice", WRONG)
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.change_password(alice.id, WRONG, "a brand new password")
    assert _attempt(auth, "alice@example.com", PW) == "throttled"
