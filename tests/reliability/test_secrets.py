"""Issue 6: tokens, secret files, and secrets kept out of the repository, logs, messages and reprs.

tests/test_auth.py already covers tampered, wrong-secret, 'none'-algorithm and expired tokens,
tokens from before a password change, and the 0600 modes of the two files; this adds the
cases it does not.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from overload_tui.domain.errors import AuthError, OverloadError
from overload_tui.services import Services
from overload_tui.services.auth import (
    AuthService,
    InsecureFileError,
    TokenStore,
    load_secret,
    write_private_file,
)

REPO = Path(__file__).resolve().parents[2]
PW, NEW_PW, WRONG_PW = "Tr0ub4dor&3-first", "Tr0ub4dor&3-second", "Tr0ub4dor&3-wrong"


# -- tokens ---------------------------------------------------------------------------------------
def _sign(services, **claims) -> str:
    return jwt.encode(claims, services.auth._secret, algorithm="HS256")


def test_more_refused_tokens(services, alice):
    good = jwt.decode(services.auth.issue_token(alice.id), options={"verify_signature": False})
    now = int(time.time())
    refused = {
        "other HMAC algorithm, same key": jwt.encode(good, services.auth._secret, algorithm="HS512"),
        "no password fingerprint": _sign(services, sub=str(alice.id), iat=now, exp=now + 60),
        "stale fingerprint": _sign(services, **{**good, "pwv": "0" * 16}),
        "subject not a number": _sign(services, **{**good, "sub": "alice"}),
        "subject a float": _sign(services, **{**good, "sub": f"{alice.id}.0"}),
        "no subject": _sign(services, iat=now, exp=now + 60, pwv=good["pwv"]),
        "no expiry": _sign(services, sub=str(alice.id), iat=now, pwv=good["pwv"]),
        "issued in the future": _sign(services, **{**good, "iat": now + 3600}),
        "someone else's id": _sign(services, **{**good, "sub": str(alice.id + 1000)}),
        "signature stripped": services.auth.issue_token(alice.id).rsplit(".", 1)[0] + ".",
        "huge": "a" * 1_000_000,
    }
    for why, token in refused.items():
        with pytest.raises(AuthError) as info:
            services.auth.verify_token(token)
        assert token not in str(info.value), why
    for junk in (None, 42, b"bytes", ["list"]):  # whatever a corrupted token file holds
        with pytest.raises(AuthError):
            services.auth.verify_token(junk)  # type: ignore[arg-type]


def test_token_of_a_deleted_account_never_opens_a_new_one(services, alice):
    """SQLite may give a new account the id of a deleted one; the old token must not open it."""
    token = services.auth.login("alice", "correct horse").token
    services.auth.delete_account(alice.id, "correct horse")
    carol = services.auth.register("carol", "carol@example.com", "carols password")
    with pytest.raises(AuthError):
        services.auth.verify_token(token)
    assert services.auth.verify_token(services.auth.issue_token(carol.id)).username == "carol"


def test_token_lifetime_is_the_configured_one(services, alice):
    short = AuthService(services.db, services.auth._secret, token_ttl=timedelta(seconds=2))
    claims = jwt.decode(short.issue_token(alice.id), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 2


# -- files ----------------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0)  # the most permissive a user could have set
    try:
        yield
    finally:
        os.umask(old)



@pytest.fixture(autouse=True)
def _no_secret_from_the_environment(monkeypatch):
    """These tests are about the key file: a key in the environment would bypass it."""
    monkeypatch.delenv("OVERLOAD_SECRET_KEY", raising=False)


def test_files_are_created_private_whatever_the_umask(tmp_path, open_umask):
    d = tmp_path / "data"
    d.mkdir()
    load_secret(d)
    assert _mode(d / "secret.key") == 0o600
    store = TokenStore(d / "token")
    store.save("t1")
    assert _mode(d / "token") == 0o600
    os.chmod(d / "token", 0o644)  # left readable by something else: saving makes it private again
    store.save("t2")
    assert _mode(d / "token") == 0o600 and store.load() == "t2"
    assert [p.name for p in d.iterdir() if p.name.startswith(".")] == []  # no temporary left


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o620, 0o602, 0o660, 0o644, 0o666])
def test_files_others_can_touch_are_refused(tmp_path, mode):
    secret = tmp_path / "secret.key"
    write_private_file(secret, "k" * 64)
    os.chmod(secret, mode)
    with pytest.raises(InsecureFileError, match="chmod 600") as info:
        load_secret(tmp_path)
    assert "k" * 64 not in str(info.value)
    token = tmp_path / "token"
    write_private_file(token, "header.payload.signature")
    os.chmod(token, mode)
    with pytest.raises(InsecureFileError) as info:
        TokenStore(token).load()
    assert "payload" not in str(info.value)


def test_token_file_name_does_not_carry_the_database_password(tmp_path):
    from overload_tui.db.engine import Database

    db = Database.connect("postgresql://user:Hunter2Secret@db.example:5432/overload")
    try:
        path = TokenStore.for_database(db, tmp_path).path
        assert "Hunter2Secret" not in str(path)
        assert "Hunter2Secret" not in repr(db) and "Hunter2Secret" not in repr(db.engine)
    finally:
        db.dispose()


# -- the repository -------------------------------------------------------------------------------
_SECRET_PATTERNS = {
    "private key": re.compile("-----BEGIN " + r"[A-Z0-9 ]*PRIVATE KEY-----"),
    "JWT": re.compile("eyJ" + r"[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    "secret key with a value": re.compile(
        "OVERLOAD_SECRET" + r"_KEY\s*=\s*(?!\s|$|\.\.\.|<|\$|\"\"|''|\{)['\"]?[^\s'\"]{8,}", re.M
    ),
}
_SECRET_FILE_NAMES = re.compile(r"(^|/)(secret\.key|token-[0-9a-f]{12}|id_rsa|id_ed25519|\.env)$|\.pem$")


def find_secrets(name: str, text: str) -> list[str]:
    found = [f"{name}: a file that holds a secret"] if _SECRET_FILE_NAMES.search(name) else []
    for kind, pattern in _SECRET_PATTERNS.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name}:{line}: looks like a {kind}")
    return found


def test_the_secret_finder_finds_them():
    key = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
    token = jwt.encode({"sub": "1"}, "x" * 32, algorithm="HS256")
    env = "OVERLOAD_SECRET" + "_KEY=5f2b0c7d9e1a4b3c8d6e"
    assert len(find_secrets("notes.md", f"{key}\n{token}\n{env}\n")) == 3
    assert find_secrets("data/secret.key", "") and find_secrets("x/token-0123456789ab", "")
    harmless = "OVERLOAD_SECRET" + "_KEY=...\nexport OVERLOAD_SECRET" + "_KEY=$(openssl rand -hex 32)\n"
    assert find_secrets("README.md", harmless) == []


def test_no_secrets_in_the_repository():
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    problems: list[str] = []
    for name in filter(None, listed):
        path = REPO / name
        if not path.is_file():
            continue  # deleted in the working tree
        data = path.read_bytes()[:2_000_000]
        if b"\0" in data[:8192]:
            continue  # binary
        problems += find_secrets(name, data.decode("utf-8", "replace"))
    assert not problems, "\n".join(problems)


# -- logs, messages, reprs ------------------------------------------------------------------------
DB_PASSWORD = "Db-Pa55-in-the-url"


@pytest.fixture
def services_with_password(database_url, data_dir):
    """Services on a URL that carries a password (PostgreSQL's trust auth ignores it)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        url = url.set(password=DB_PASSWORD)
    services = Services.open(url.render_as_string(hide_password=False), data_dir=data_dir, bcrypt_rounds=4)
    try:
        yield services
    finally:
        services.close()


def test_passwords_and_tokens_stay_out_of_logs_messages_and_reprs(services_with_password, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy sets its own to WARNING
    services = services_with_password
    auth = services.auth
    errors: list[BaseException] = []

    def expect_error(call):
        try:
            call()
        except OverloadError as error:
            errors.append(error)
        else:
            raise AssertionError("expected a refusal")

    user = auth.register("dora", "dora@example.com", PW, "Dora")
    result = auth.login("dora", PW)
    token = result.token
    expect_error(lambda: auth.login("dora", WRONG_PW))
    expect_error(lambda: auth.login("nobody", WRONG_PW))
    expect_error(lambda: auth.register("dora", "d2@example.com", PW))  # taken
    expect_error(lambda: auth.register("dora2", "d2@example.com", WRONG_PW + "x" * 80))  # too long
    auth.verify_token(token)
    expect_error(lambda: auth.verify_token(token[:-3] + "abc"))
    expect_error(lambda: auth.change_password(user.id, WRONG_PW, NEW_PW))
    new_token = auth.change_password(user.id, PW, NEW_PW)
    expect_error(lambda: auth.verify_token(token))
    expect_error(lambda: auth.delete_account(user.id, WRONG_PW))
    services.tokens.save(new_token)
    with services.db.read() as s:
        from overload_tui.db.models import User

        password_hash = s.get(User, user.id).password_hash

    assert any("INSERT INTO users" in r.getMessage() for r in caplog.records), "SQL was logged"
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    shown = "\n".join([str(e) for e in errors] + [repr(e) for e in errors])
    reprs = "\n".join(
        repr(x) for x in (result, user, services, auth, services.tokens, services.db, auth.verify_token(new_token))
    )
    assert any("<password hash>" in r.getMessage() for r in caplog.records), "rows were logged"
    for secret in (PW, NEW_PW, WRONG_PW, token, new_token, password_hash, auth._secret, DB_PASSWORD):
        assert secret not in logged
        assert secret not in shown
        assert secret not in reprs
    assert len(errors) == 8


def test_a_secret_from_the_environment_is_not_written_anywhere(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("OVERLOAD_SECRET_KEY", "env-secret-0123456789abcdef-0123456789")
    services = Services.open(f"sqlite:///{tmp_path / 'x.db'}", data_dir=data_dir, bcrypt_rounds=4)
    try:
        assert services.auth._secret == "env-secret-0123456789abcdef-0123456789"
        assert not (data_dir / "secret.key").exists()
    finally:
        services.close()
