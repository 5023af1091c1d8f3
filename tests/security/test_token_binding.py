"""Issue 17: a saved log-in cannot be made from what the database holds.

A token's password version is an HMAC of the password hash under the secret key (which lives in
the data directory or OVERLOAD_SECRET_KEY, never in the database), so a copy of the users table
is not enough to make its claims; and a secret too short to key it is refused by the service
itself, not only by load_secret."""

from __future__ import annotations

import hashlib
import time

import jwt
import pytest
from sqlalchemy import select

from overload_tui.db.models import User
from overload_tui.domain.errors import AuthError
from overload_tui.services.auth import AuthService, WeakSecretError


def _hash_of(services, user_id: int) -> str:
    with services.db.read() as s:
        return s.scalar(select(User.password_hash).where(User.id == user_id))


def test_a_password_version_made_from_the_stored_hash_is_refused(services, alice):
    password_hash = _hash_of(services, alice.id)
    now = int(time.time())
    for pwv in (hashlib.sha256(password_hash.encode()).hexdigest()[:16],  # the scheme before
                hashlib.sha256(password_hash.encode()).hexdigest(),
                password_hash):
        forged = jwt.encode({"sub": str(alice.id), "iat": now, "exp": now + 60, "pwv": pwv},
                            services.auth._secret, algorithm="HS256")
        with pytest.raises(AuthError):
            services.auth.verify_token(forged)
    assert services.auth.verify_token(services.auth.issue_token(alice.id)).id == alice.id


def test_the_same_hash_gives_another_version_under_another_secret(services, alice):
    other = AuthService(services.db, "another-secret-entirely-of-32-bytes!")
    mine = jwt.decode(services.auth.issue_token(alice.id), options={"verify_signature": False})
    theirs = jwt.decode(other.issue_token(alice.id), options={"verify_signature": False})
    assert mine["pwv"] != theirs["pwv"] and len(mine["pwv"]) == 32


@pytest.mark.parametrize("secret", ["", "a", "x" * 31])
def test_the_service_refuses_a_short_secret(services, secret):
    with pytest.raises(WeakSecretError) as info:
        AuthService(services.db, secret)
    assert info.value.length == len(secret) and info.value.minimum == 32
