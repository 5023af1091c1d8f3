"""Shared fixtures: a throwaway database per test, on SQLite and (where reachable) PostgreSQL.

PostgreSQL tests skip with a reason when the server is unreachable, except when
OVERLOAD_REQUIRE_POSTGRES=1 (CI), where an unreachable server fails them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_ADMIN_DSN = os.environ.get("OVERLOAD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_admin():
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN_DSN, connect_timeout=3)
    conn.autocommit = True
    return conn


_pg_reason: str | None = None
_pg_checked = False


def pg_available() -> str | None:
    """None when PostgreSQL is reachable, else why not."""
    global _pg_checked, _pg_reason
    if not _pg_checked:
        _pg_checked = True
        try:
            _pg_admin().close()
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            _pg_reason = f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {str(error).strip()[:200]}"
    return _pg_reason


def _require_pg() -> None:
    reason = pg_available()
    if reason:
        if os.environ.get("OVERLOAD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (OVERLOAD_REQUIRE_POSTGRES=1: PostgreSQL tests are mandatory)")
        pytest.skip(reason)


def make_pg_database() -> tuple[str, callable]:
    """Create an empty database; return its URL and a function that drops it."""
    _require_pg()
    name = f"overload_test_{uuid.uuid4().hex[:12]}"
    conn = _pg_admin()
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]

    def drop() -> None:
        conn = _pg_admin()
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()

    return f"{base}/{name}", drop


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, drop = make_pg_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    monkeypatch.setenv("OVERLOAD_DATA_DIR", str(d))
    monkeypatch.delenv("OVERLOAD_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return d


@pytest.fixture
def services(database_url, data_dir):
    from overload_tui.services import Services

    svc = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def alice(services):
    return services.auth.register("alice", "Alice@Example.com", "correct horse", "Alice")


@pytest.fixture
def bob(services):
    return services.auth.register("bob", "bob@example.com", "battery staple", "Bob")


@pytest.fixture
def ws(services, alice):
    """Alice's workout service."""
    return services.workouts(alice.id)
