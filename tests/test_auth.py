"""Accounts, passwords and tokens, on both databases."""

from __future__ import annotations

import os
import stat
import time
from datetime import timedelta

import bcrypt
import jwt
import pytest

from overload_tui.domain.errors import AuthError, ConflictError, NotFoundError, ValidationError
from overload_tui.services.auth import (
    LOGIN_FAILED,
    AuthService,
    InsecureFileError,
    TokenStore,
    load_secret,
)


@pytest.mark.parametrize(
    ("username", "email", "password"),
    [
        ("ab", "a@b.co", "longenough"),
        ("x" * 51, "a@b.co", "longenough"),
        ("bad name", "a@b.co", "longenough"),
        ("good", "not-an-email", "longenough"),
        ("good", "a@b.co", "short"),
        ("good", "a@b.co", "é" * 37),  # 74 bytes
    ],
)
def test_register_validates(services, username, email, password):
    with pytest.raises(ValidationError):
        services.auth.register(username, email, password)


def test_register_rejects_duplicates(services, alice):
    with pytest.raises(ConflictError, match="taken"):
        services.auth.register("ALICE", "new@example.com", "whatever123")
    with pytest.raises(ConflictError, match="email"):
        services.auth.register("alice2", "alice@example.COM", "whatever123")


def test_default_cost_is_12(services):
    auth = AuthService(services.db, "k" * 32)
    hashed = auth._hash("password123")
    assert hashed.startswith("$2b$12$")
    assert bcrypt.checkpw(b"password123", hashed.encode())


def test_login_by_username_or_email(services, alice):
    assert services.auth.login("alice", "correct horse").user.id == alice.id
    assert services.auth.login("ALICE@example.com", "correct horse").user.id == alice.id
    assert services.auth.login("  Alice ", "correct horse").user.id == alice.id


@pytest.mark.parametrize(("who", "password"), [("alice", "wrong"), ("nobody", "correct horse"), ("", ""), ("x@y.z", "a" * 100)])
def test_login_failures_are_generic(services, alice, who, password):
    with pytest.raises(AuthError) as info:
        services.auth.login(who, password)
    assert str(info.value) == LOGIN_FAILED


def test_unknown_user_costs_a_bcrypt_check(services, monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda p, h: calls.append(h) or real(p, h))
    with pytest.raises(AuthError):
        services.auth.login("ghost", "password123")
    assert calls, "an unknown user must still run a bcrypt check (no timing difference)"
    assert calls[0].startswith(b"$2b$12$")


def test_tokens(services, alice):
    token = services.auth.login("alice", "correct horse").token
    assert services.auth.verify_token(token).id == alice.id
    claims = jwt.decode(token, options={"verify_signature": False})
    assert {"sub", "iat", "exp"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    assert jwt.get_unverified_header(token)["alg"] == "HS256"

    head, body, sig = token.split(".")
    tampered = f"{head}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"
    other_secret = AuthService(services.db, "another-secret-entirely-of-32-bytes").issue_token(alice.id)
    none_alg = jwt.encode({"sub": str(alice.id), "iat": 0, "exp": 2**40}, key=None, algorithm="none")
    for bad in (tampered, other_secret, none_alg, "garbage", ""):
        with pytest.raises(AuthError):
            services.auth.verify_token(bad)


def test_expired_token_refused(services, alice):
    short = AuthService(services.db, services.auth._secret, token_ttl=timedelta(seconds=-1))
    with pytest.raises(AuthError):
        services.auth.verify_token(short.issue_token(alice.id))


def test_password_change_invalidates_older_tokens(services, alice):
    old = services.auth.login("alice", "correct horse").token
    with pytest.raises(AuthError):
        services.auth.change_password(alice.id, "wrong", "new password 1")
    with pytest.raises(ValidationError):
        services.auth.change_password(alice.id, "correct horse", "short")
    new = services.auth.change_password(alice.id, "correct horse", "new password 1")
    with pytest.raises(AuthError):
        services.auth.verify_token(old)
    assert services.auth.verify_token(new).id == alice.id
    assert services.auth.login("alice", "new password 1").user.id == alice.id


def test_admin_set_password(services, alice):
    token = services.auth.login("alice", "correct horse").token
    services.auth.set_password("alice", "reset by admin")
    with pytest.raises(AuthError):
        services.auth.verify_token(token)
    with pytest.raises(NotFoundError):
        services.auth.set_password("nobody", "whatever123")


def test_delete_account_cascades(services, alice, bob):
    ws = services.workouts(alice.id)
    custom = ws.create_exercise("My Curl", "arms", "dumbbell")
    sess = ws.start_session()
    entry = ws.add_entry(custom.id, session_id=sess.id)
    ws.add_set(entry.id, 10, 10)
    tpl = ws.create_template("Arms")
    ws.add_entry(custom.id, template_id=tpl.id)
    token = services.auth.login("alice", "correct horse").token
    with pytest.raises(AuthError):
        services.auth.delete_account(alice.id, "wrong")
    services.auth.delete_account(alice.id, "correct horse")
    with pytest.raises(AuthError):
        services.auth.verify_token(token)
    assert [u.username for u in services.auth.list_users()] == ["bob"]
    with pytest.raises(NotFoundError):
        services.workouts(bob.id).get_exercise(custom.id)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_secret_file(data_dir, monkeypatch):
    key = load_secret(data_dir)
    assert _mode(data_dir / "secret.key") == 0o600
    assert load_secret(data_dir) == key
    os.chmod(data_dir / "secret.key", 0o644)
    with pytest.raises(InsecureFileError, match="chmod 600"):
        load_secret(data_dir)
    monkeypatch.setenv("OVERLOAD_SECRET_KEY", "from-env-" + "k" * 32)  # keys are at least 32 bytes
    assert load_secret(data_dir) == "from-env-" + "k" * 32


def test_token_store(tmp_path):
    store = TokenStore(tmp_path / "token")
    assert store.load() is None
    store.save("abc")
    assert _mode(tmp_path / "token") == 0o600
    assert store.load() == "abc"
    os.chmod(tmp_path / "token", 0o640)
    with pytest.raises(InsecureFileError):
        store.load()
    store.clear()
    assert store.load() is None
    store.clear()  # logging out twice is fine


def test_token_iat_is_now(services, alice):
    token = services.auth.issue_token(alice.id)
    iat = jwt.decode(token, options={"verify_signature": False})["iat"]
    assert abs(iat - time.time()) < 60
