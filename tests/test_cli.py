"""The ``overload`` command as scripts and home-server admins use it."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from overload_tui import __version__
from overload_tui.db import migrate
from overload_tui.db.engine import Database, resolve_url

ROOT = Path(__file__).resolve().parents[1]


def run(args, env_extra, stdin="", cwd=None):
    env = {**os.environ, **env_extra, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "overload_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


@pytest.fixture
def env(database_url, data_dir):
    return {"DATABASE_URL": database_url, "OVERLOAD_DATA_DIR": str(data_dir)}


def test_version():
    out = run(["--version"], {})
    assert out.returncode == 0 and out.stdout.strip() == f"overload {__version__}"


def test_users_from_the_command_line(env, database_url):
    out = run(["user", "add", "carol", "--email", "Carol@Example.com", "--name", "Carol"], env, "s3cret-pass\n")
    assert out.returncode == 0, out.stderr
    assert "Created user carol" in out.stdout
    listed = run(["user", "list"], env)
    assert "carol\tcarol@example.com\tCarol" in listed.stdout

    dup = run(["user", "add", "carol", "--email", "c2@example.com"], env, "s3cret-pass\n")
    assert dup.returncode == 1
    assert dup.stderr.count("\n") == 1 and "taken" in dup.stderr and "Traceback" not in dup.stderr

    short = run(["user", "add", "dave", "--email", "d@example.com"], env, "short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr

    changed = run(["user", "passwd", "carol"], env, "new-password\n")
    assert changed.returncode == 0, changed.stderr
    db = Database.connect(database_url)
    try:
        from overload_tui.services.auth import AuthService

        assert AuthService(db, "x" * 32).authenticate("carol", "new-password").username == "carol"
    finally:
        db.dispose()
    missing = run(["user", "passwd", "nobody"], env, "new-password\n")
    assert missing.returncode == 1 and "No user named" in missing.stderr


def test_db_upgrade_is_idempotent(env):
    first = run(["db", "upgrade"], env)
    assert first.returncode == 0, first.stderr
    assert "exercises added" in first.stdout
    second = run(["db", "upgrade"], env)
    assert second.returncode == 0 and "0 exercises added" in second.stdout


def test_two_processes_starting_on_an_empty_database(env, database_url):
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: run(["db", "upgrade"], env), range(4)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    db = Database.connect(database_url)
    try:
        with db.engine.connect() as conn:
            names = conn.execute(text("SELECT lower(name) FROM exercises")).scalars().all()
            version = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        assert len(names) == len(set(names)) >= 120
        assert version == 1
    finally:
        db.dispose()


def test_unreachable_database_is_one_line(data_dir):
    out = run(
        ["user", "list"],
        {"DATABASE_URL": "postgresql://nobody:secretpw@127.0.0.1:1/none", "OVERLOAD_DATA_DIR": str(data_dir)},
    )
    assert out.returncode == 1
    assert out.stderr.startswith("overload: error:") and "Traceback" not in out.stderr
    assert "secretpw" not in out.stderr


def test_spec_database_urls_work_as_written(tmp_path, data_dir):
    url = resolve_url("postgresql://user:password@localhost:5432/progressive_overload")
    assert url.drivername == "postgresql+psycopg2"
    engine = Database.connect("postgresql://user:password@localhost:5432/progressive_overload").engine
    assert engine.pool.size() == 10 and engine.pool._max_overflow == 20
    assert engine.pool._recycle == 3600 and engine.pool._pre_ping
    engine.dispose()
    # The relative SQLite form, from the directory the user runs it in.
    out = run(["db", "upgrade"], {"DATABASE_URL": "sqlite:///./progressive_overload.db", "OVERLOAD_DATA_DIR": str(data_dir)}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "progressive_overload.db").exists()


def test_default_database_is_in_the_data_dir(data_dir):
    out = run(["db", "upgrade"], {"OVERLOAD_DATA_DIR": str(data_dir)})
    assert out.returncode == 0, out.stderr
    assert (data_dir / "overload.db").exists()


def test_alembic_command_line(env, tmp_path):
    def alembic(*args):
        return subprocess.run(
            [sys.executable, "-m", "alembic", *args],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        )

    assert alembic("upgrade", "head").returncode == 0
    head = migrate.HEAD
    before = f"{int(head) - 1:04d}"
    assert f"{head} (head)" in alembic("current").stdout
    down = alembic("downgrade", "-1")
    assert down.returncode == 0, down.stderr
    assert before in alembic("current").stdout and head not in alembic("current").stdout
    assert alembic("upgrade", "head").returncode == 0
