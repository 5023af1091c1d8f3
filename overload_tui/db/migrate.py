"""Bring a database to the latest schema and seed the exercise catalogue, safely from many processes."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert, select

import migrations
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise

# Any constant: the key of the PostgreSQL advisory lock that serialises migrations.
_PG_LOCK_KEY = 0x0F0AD_71


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["configure_logger"] = False
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _file_lock(db: Database):
    """SQLite: a lock file beside the database, so two first launches do not race."""
    path = db.url.database
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def needs_upgrade(db: Database) -> bool:
    with db.engine.connect() as conn:
        return current_revision(conn) != head_revision()


def upgrade(db: Database) -> int:
    """Migrate to head and seed the catalogue. Returns how many exercises were added."""
    with _file_lock(db) if db.is_sqlite else _noop():
        with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            if current_revision(conn) != head_revision():
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            return seed_catalogue(conn)


@contextmanager
def _noop():
    yield


def seed_catalogue(conn: Connection) -> int:
    """Insert the catalogue exercises that are missing (by name, case-insensitively)."""
    from overload_tui.db.catalogue import CATALOGUE

    existing = {
        name.lower()
        for name in conn.scalars(select(Exercise.name).where(Exercise.owner_id.is_(None)))
    }
    rows = [
        {
            "name": ex.name,
            "category": ex.category,
            "subcategory": ex.subcategory,
            "equipment": ex.equipment,
        }
        for ex in CATALOGUE
        if ex.name.lower() not in existing
    ]
    if rows:
        conn.execute(insert(Exercise), rows)
    return len(rows)
