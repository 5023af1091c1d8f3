"""pytest-alembic's built-in tests on SQLite and PostgreSQL, plus the shipped-package upgrade path."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_alembic.config import Config
from pytest_alembic.tests import (  # noqa: F401 - collected as tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from overload_tui.db import migrate
from overload_tui.db.engine import Database


@pytest.fixture
def alembic_config():
    return Config(config_options={"script_location": migrate.alembic_config().get_main_option("script_location")})


@pytest.fixture
def alembic_engine(database_url):
    db = Database.connect(database_url)
    try:
        yield db.engine
    finally:
        db.dispose()


def test_downgrade_to_base_removes_everything(database_url):
    from alembic import command

    db = Database.connect(database_url)
    try:
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(db)  # and back up again (PostgreSQL enum types were dropped too)
        assert "sets" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


# -- the start-up check: no Alembic, one statement --------------------------------------------
def test_head_constant_is_alembics_head():
    """migrate.HEAD (compared at every start-up) must be the newest migration script."""
    from alembic.script import ScriptDirectory

    assert migrate.HEAD == ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate.HEAD == migrate.head_revision()


def test_needs_upgrade_reads_alembic_version(database_url):
    from sqlalchemy import event, text

    db = Database.connect(database_url)
    try:
        assert migrate.needs_upgrade(db)  # empty database: no alembic_version table
        with db.engine.begin() as conn:  # also inside a transaction (PostgreSQL: no failed statement)
            assert migrate.stored_revisions(conn) == frozenset()
            assert conn.scalar(text("SELECT 1")) == 1
        migrate.upgrade(db)
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        assert not migrate.needs_upgrade(db)
        assert [s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))] == [
            "SELECT version_num FROM alembic_version"
        ]
        from alembic import command

        with db.engine.begin() as conn:  # an older database
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        assert migrate.needs_upgrade(db)
        assert migrate.upgrade(db) == 0  # migrates to head; the catalogue was there already
        assert not migrate.needs_upgrade(db)
    finally:
        db.dispose()


def test_start_up_does_not_import_alembic(tmp_path):
    """Opening the services on an up-to-date database never loads Alembic (~0.2 s of imports)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'x.db'}"
    db = Database.connect(url)
    try:
        migrate.upgrade(db)
    finally:
        db.dispose()
    code = (
        "import sys\n"
        "from overload_tui.services import Services\n"
        f"s = Services.open({url!r}, data_dir=__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "s.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako', 'migrations')))\n"
    )
    env = {"OVERLOAD_SECRET_KEY": "k" * 64, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[1], env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_upgrade_to_kinds_keeps_a_history(database_url):
    """0002 -> head on a database holding a workout: the history stays, catalogue kinds are set.

    (Recreating ``exercises`` to add its CHECK, as Alembic's batch mode does on SQLite, fails
    there once a workout references an exercise.)"""
    from alembic import command
    from sqlalchemy import text

    db = Database.connect(database_url)
    try:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
            conn.execute(text(
                "INSERT INTO exercises (name, category, equipment) VALUES ('Plank', 'core', 'bodyweight')"
            ))
            conn.execute(text("INSERT INTO users (username, email) VALUES ('a', 'a@x')"))
            conn.execute(text("INSERT INTO sessions (user_id, date) VALUES (1, '2026-01-02 10:00:00')"))
            conn.execute(text(
                'INSERT INTO exercise_sessions (exercise_id, session_id, "order") VALUES (1, 1, 1)'
            ))
            conn.execute(text(
                'INSERT INTO sets (weight, reps, unit, exercise_session_id, "order") VALUES (0, 1, \'kg\', 1, 1)'
            ))
        migrate.upgrade(db)
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM sets")) == 1
            assert conn.scalar(text("SELECT kind FROM exercises WHERE name = 'Plank'")) == "time"
            kinds = dict(conn.execute(text("SELECT name, kind FROM exercises")).all())
            assert conn.scalar(text("SELECT display_unit FROM sets")) is None  # 0004: reads in kg, as it did
        assert kinds["Bench Press (Barbell)"] == "weight_reps" and kinds["Running"] == "distance"
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # 0004's CHECK: kg or lbs only
            conn.execute(text("UPDATE sets SET display_unit = 'st'"))
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE sets SET display_unit = 'lbs'"))
    finally:
        db.dispose()
