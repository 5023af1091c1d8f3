"""Bring a database to the latest schema and seed the exercise catalogue, safely from many processes.

Start-up only asks whether an upgrade is needed (``needs_upgrade``): one ``SELECT`` from
``alembic_version`` compared with ``HEAD``. Alembic itself (a large import that also parses
every migration script) is loaded only when an upgrade actually runs. ``HEAD`` must name the
newest migration in ``migrations/versions``; ``tests/test_migrations.py`` checks it against
Alembic's own idea of the head, so adding a migration without bumping it fails the tests.
"""

from __future__ import annotations

import fcntl
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, event, func, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from overload_tui.db import roles
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise
from overload_tui.domain.enums import ExerciseKind
from overload_tui.domain.errors import OverloadError

if TYPE_CHECKING:
    from alembic.config import Config

# Every revision in migrations/versions, oldest first (add each new migration here): a database
# at a revision not listed was upgraded by a newer overload, and is refused with one line
# (``NewerDatabaseError``) instead of Alembic's "Can't locate revision".
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
# The newest revision in migrations/versions.
HEAD = REVISIONS[-1]
VERSION_TABLE = "alembic_version"

# Tables whose planner statistics matter: a bulk import re-analyses these.
HISTORY_TABLES = ("sessions", "exercise_sessions", "sets")
# An import of at least this many sets refreshes the statistics (ANALYZE) when it commits.
ANALYZE_AFTER_IMPORT_SETS = 1_000

log = logging.getLogger(__name__)

# Any constant: the key of the PostgreSQL advisory lock that serialises migrations.
_PG_LOCK_KEY = 0x0F0AD_71


class NewerDatabaseError(OverloadError):
    """The database is at a revision this version of overload does not know: a newer overload
    upgraded it. Nothing is changed; ``revision`` is the one found, ``known`` this version's head."""

    def __init__(self, revision: str, known: str = HEAD) -> None:
        self.revision = revision
        self.known = known
        super().__init__(
            f"This database was upgraded by a newer overload (revision {revision}); "
            f"this one knows up to {known}: upgrade overload."
        )


class UpgradeByAdminError(OverloadError):
    """The database is behind this overload (``revision``: the one found, None for an empty
    database; ``known``: this version's head) and this connection may not migrate it: a lifter's
    own PostgreSQL role (overload_tui.db.roles). Nothing is changed."""

    def __init__(self, revision: str | None, known: str = HEAD) -> None:
        self.revision = revision
        self.known = known
        found = f"at revision {revision}" if revision else "empty"
        super().__init__(
            f"This database is {found} and this overload needs {known}; your database role may "
            "not upgrade it: ask the admin to run 'overload db upgrade'."
        )


class DamagedDatabaseError(OverloadError):
    """The database file is damaged (SQLite: not a database, or a malformed page; PostgreSQL:
    data or an index reported corrupted). Retrying will not help and nothing is written into it."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(
            f"{where} is damaged ({reason}); nothing was changed. "
            "Restore it from a copy, or move it aside to start a new one."
        )


# SQLite's primary result codes for a damaged file, PostgreSQL's SQLSTATEs for corrupted data.
_SQLITE_DAMAGED = {11: "database disk image is malformed", 26: "file is not a database"}  # CORRUPT, NOTADB
_PG_DAMAGED = {"XX001": "data corrupted", "XX002": "index corrupted"}


def damage_reason(error: BaseException) -> str | None:
    """Why ``error`` (a DBAPIError or a driver's error) says the database is damaged, or None."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_DAMAGED:
        return _SQLITE_DAMAGED[code & 0xFF]
    return _PG_DAMAGED.get(getattr(orig, "pgcode", None) or "")


def damaged_error(db: Database, error: BaseException) -> DamagedDatabaseError | None:
    """A DamagedDatabaseError standing for ``error``, or None when it is about something else."""
    reason = damage_reason(error)
    return None if reason is None else DamagedDatabaseError(_where(db), reason)


def _where(db: Database) -> str:
    if db.is_sqlite:
        return f"The database file {db.url.database}"
    return f"The PostgreSQL database {db.url.database}"


@contextmanager
def refusing_damage(db: Database):
    """Turn a driver's "the file is damaged" into DamagedDatabaseError (one line)."""
    try:
        yield
    except DBAPIError as error:
        damaged = damaged_error(db, error)
        if damaged is None:
            raise
        raise damaged from None


def check_integrity(db: Database) -> None:
    """SQLite: ``PRAGMA quick_check`` (reads every page: for an import, not every start-up);
    DamagedDatabaseError when it finds a problem. PostgreSQL: nothing to do here."""
    if not db.is_sqlite:
        return
    with refusing_damage(db), db.engine.connect() as conn:
        found = conn.exec_driver_sql("PRAGMA quick_check(1)").scalar()
    if found != "ok":
        lines = [line for line in str(found or "").splitlines() if line.strip() and not line.startswith("***")]
        raise DamagedDatabaseError(_where(db), (lines[0] if lines else "the integrity check failed")[:120])


def check_known(found: frozenset[str]) -> None:
    """Raise NewerDatabaseError when ``found`` (the stored revisions) holds one not in REVISIONS."""
    unknown = sorted(found - set(REVISIONS))
    if unknown:
        raise NewerDatabaseError(", ".join(unknown))


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["configure_logger"] = False
    return cfg


def head_revision() -> str:
    """Alembic's head, read from the migration scripts (slow: ``HEAD`` is the fast answer)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def stored_revisions(conn: Connection) -> frozenset[str]:
    """The revisions in alembic_version; empty when the table does not exist (an empty database).

    Safe inside a transaction (the table's existence is checked first, so no failed statement
    aborts a PostgreSQL transaction)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return frozenset()
    return frozenset(conn.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def _is_missing_table(error: DBAPIError) -> bool:
    orig = getattr(error, "orig", None)
    if getattr(orig, "pgcode", None) == "42P01":  # PostgreSQL: undefined_table
        return True
    return "no such table" in str(orig).lower()  # SQLite


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
    """True unless the database is exactly at ``HEAD``: one statement, no Alembic import.
    NewerDatabaseError when a newer overload has upgraded it."""
    with refusing_damage(db), db.engine.connect() as conn:
        try:
            found = frozenset(conn.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))
        except DBAPIError as error:
            if not _is_missing_table(error):
                raise
            return True  # an empty database (or one that never ran a migration)
    check_known(found)
    return found != {HEAD}


def upgrade(db: Database) -> int:
    """Migrate to head and seed the catalogue. Returns how many exercises were added.
    NewerDatabaseError (nothing changed) when a newer overload has upgraded the database."""
    with refusing_damage(db), _file_lock(db) if db.is_sqlite else _noop():
        with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            found = stored_revisions(conn)
            check_known(found)  # before Alembic, which would fail with "Can't locate revision"
            if conn.dialect.name == "postgresql" and not roles.can_administer(conn):
                if found != {HEAD}:  # a lifter's own role: it may not migrate, nor seed
                    raise UpgradeByAdminError(max(found, default=None))
                return 0
            if found != {HEAD}:
                from alembic import command

                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            added = seed_catalogue(conn)
            roles.reapply(conn)  # lifters' grants and policies cover new tables (if set up here)
            return added


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
            "kind": ex.kind.value,
        }
        for ex in CATALOGUE
        if ex.name.lower() not in existing
    ]
    if rows:
        conn.execute(insert(Exercise), rows)
    # Catalogue rows seeded before kinds existed (0003) take their kind: one UPDATE per kind.
    by_kind: dict[str, list[str]] = {}
    for ex in CATALOGUE:
        if ex.kind != ExerciseKind.WEIGHT_REPS and ex.name.lower() in existing:
            by_kind.setdefault(ex.kind.value, []).append(ex.name.lower())
    for kind, names in by_kind.items():
        conn.execute(
            update(Exercise)
            .where(Exercise.owner_id.is_(None), func.lower(Exercise.name).in_(names), Exercise.kind != kind)
            .values(kind=kind)
        )
    return len(rows)


# -- planner statistics ---------------------------------------------------------------------------
# SQLite's planner guesses without statistics (sqlite_stat1), and on a large history it guesses
# badly (a progress series 10x slower than with them). ANALYZE is never run by SQLite itself:
# the app runs it once when a database with sets has none (a file from an older version, or
# filled by hand), after a large import, and asks for ``PRAGMA optimize`` when it closes, which
# re-analyses a table the closing connection used if its statistics are missing or the table
# has grown a lot since. PostgreSQL's autovacuum keeps statistics itself; a large import
# analyses the history tables at once so the next screens do not wait for it.


def _sqlite_needs_statistics(conn: Connection) -> bool:
    has_stat1 = conn.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    )
    if has_stat1:
        row = conn.execute(
            text("SELECT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE tbl = 'sets'), EXISTS (SELECT 1 FROM sets)")
        ).one()
        return not row[0] and bool(row[1])
    return bool(conn.scalar(text("SELECT EXISTS (SELECT 1 FROM sets)")))


def ensure_statistics(db: Database) -> bool:
    """SQLite: ANALYZE when the database holds sets but has no statistics about them (two cheap
    statements when it has). True when it ran. Never raises: the app works without statistics,
    only slower."""
    if not db.is_sqlite:
        return False
    try:
        with db.engine.connect() as conn:
            if not _sqlite_needs_statistics(conn):
                return False
        analyze(db)
        return True
    except SQLAlchemyError as error:  # locked by another terminal, read-only file...
        log.info("could not analyse %s: %s", db.url.database, error)
        return False


def analyze(db: Database, tables: tuple[str, ...] = ()) -> None:
    """ANALYZE ``tables`` (default: the whole database on SQLite, the history tables on
    PostgreSQL), in a transaction of its own."""
    with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
        if db.is_sqlite and not tables:
            conn.exec_driver_sql("ANALYZE")
            return
        for table in tables or HISTORY_TABLES:
            conn.exec_driver_sql(f"ANALYZE {table}")


def analyze_after_import(db: Database, sets_written: int) -> bool:
    """After a committed import of many sets: fresh statistics for the history tables (SQLite
    would otherwise keep planning for the old, smaller tables until the app closes; PostgreSQL
    until autovacuum gets to them). Never raises: the import is saved whatever happens here."""
    if sets_written < ANALYZE_AFTER_IMPORT_SETS:
        return False
    try:
        analyze(db, HISTORY_TABLES)
        return True
    except SQLAlchemyError as error:
        log.info("could not analyse after the import: %s", error)
        return False


def optimize_on_close(db: Database) -> None:
    """SQLite: run ``PRAGMA optimize`` on every pooled connection as the engine closes it
    (call before ``db.dispose()``). SQLite only re-analyses tables the connection itself used,
    so it has to be each connection, not a new one."""
    if db.is_sqlite and not event.contains(db.engine, "close", _optimize_connection):
        event.listen(db.engine, "close", _optimize_connection)


def _optimize_connection(dbapi_conn, _record) -> None:
    """A short busy timeout: another terminal writing means "not this time". No
    ``analysis_limit``: statistics sampled from 1,000 rows per index mislead the planner on
    this schema (last time 12 ms instead of 0.5 at 20x); a full ANALYZE of a million sets takes
    ~0.2 s and SQLite asks for it only when the statistics are missing or far off."""
    try:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=100")
        cur.execute("PRAGMA optimize")
        cur.close()
    except Exception as error:  # noqa: BLE001 - closing must not fail over statistics
        log.debug("PRAGMA optimize failed: %s", error)
