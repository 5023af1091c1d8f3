"""Transactions for the services: one SQLAlchemy Session per call, database errors made readable.

Outages
-------
A connection the server has dropped (restart, ``pg_terminate_backend``, a network blip while the
pool held it) is noticed when the pool hands it out (``pool_pre_ping``) and replaced, so the next
call after an outage simply works. What is left is a connection lost *during* a call. ``_tx``
records how far its transaction got:

``connect``  no statement has run yet (getting or (re)opening the connection failed);
``body``     statements ran, but COMMIT was not sent: the server rolls the transaction back when
             the connection dies (or we rolled it back), so nothing of it was saved;
``commit``   the connection failed while COMMIT was in flight: the change may or may not be saved.

Except on a full disk: SQLite answers SQLITE_FULL (result code 13, read from the driver's code,
never its wording) by rolling the transaction back, at COMMIT too, so that is "Not saved: the disk
is full" (``maybe_saved`` False, no retry) whatever the phase. And a row deleted by another
terminal between this call's read and its UPDATE (SQLAlchemy's ``StaleDataError``) is a
``NotFoundError`` saying it was deleted elsewhere, for every service method.

Every public method of a service (a subclass of ``ServiceBase``) is wrapped so that it is retried
once, after a short pause, exactly when all of these hold:

1. the database is PostgreSQL (SQLite has no connection to lose; its lock waits are already the
   busy timeout's retry, and a second 10-second wait would only double the delay);
2. the failure is a lost or refused connection (SQLAlchemy invalidated it, or it happened in the
   ``connect`` phase), a deadlock or a serialization failure (SQLSTATE 40P01, 40001);
3. the failing transaction had not reached COMMIT (phase ``connect`` or ``body``);
4. no write transaction (``_tx(write=True)``) committed earlier in the same call, so running the
   whole method again cannot apply a change twice;
5. the call is the outermost service call on this thread (a nested call leaves it to its caller).

Anything else surfaces as ``DatabaseUnavailableError``: ``maybe_saved`` is True for a failure in
the ``commit`` phase, ``retry_safe`` when rules 1 to 3 hold (the retry reads the attribute, never
the message); its message says the same in words, for the user only. Rules this relies on: a read transaction (``_tx()``
without ``write=True``) never writes, and a service method has no side effect outside the
database before its last transaction; a method that breaks the second rule is marked
``@no_retry``.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, DateTime, Dialect, exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from overload_tui.db import migrate
from overload_tui.db.engine import Database
from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import (
    ConflictError,
    DatabaseUnavailableError,
    NotFoundError,
    NotPermittedError,
    OverloadError,
    ValidationError,
)

RETRY_PAUSE_SECONDS = 0.3
_RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure

NOT_SAVED = "Nothing was saved; try again in a moment."
UNSTORABLE = "That text contains characters that cannot be stored."
CLASHED = (
    "That clashed with a change made at the same moment (another terminal?). "
    "Nothing was saved; try again."
)
MAYBE_SAVED = "The change may or may not have been saved; check before trying again."
NOT_PERMITTED = "Your database role may not do that (ask the admin). Nothing was saved."
GONE = "That was deleted elsewhere (another terminal?). Nothing was saved."
DISK_FULL = "Not saved: the disk is full ({where}). Free some space, then try again."
_SQLITE_FULL = 13  # sqlite3's SQLITE_FULL: the statement or COMMIT rolled the transaction back
# The texts above are for the user; code decides from DatabaseUnavailableError's attributes.

F = TypeVar("F", bound=Callable[..., Any])


class _CallState(threading.local):
    depth = 0
    wrote = False


_call = _CallState()


def _describe(error: exc.DBAPIError) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "check" in text:
        return "That value is not allowed by the database."
    if "foreign key" in text or "restrict" in text:
        return "That is still in use, or refers to something that no longer exists."
    if "unique" in text or "duplicate" in text:
        return "That already exists (someone may have saved it at the same moment). Try again."
    return "The database refused that change."


def _where(db: Database) -> str:
    """Where the database is, without user name or password: for messages."""
    url = db.url
    if db.is_sqlite:
        return f"the database file {url.database}"
    place = url.host or "localhost"
    if url.port:
        place += f":{url.port}"
    name = f" {url.database}" if url.database else ""
    return f"the PostgreSQL database{name} at {place}"


_PG_PREFIX = re.compile(r'^(connection to server (at|on) "[^"]*"( \([^)]*\))?, port \d+ failed:\s*)?((FATAL|ERROR):\s*)?')


def _reason(error: exc.DBAPIError, db: Database) -> str:
    """The driver's own first line ("Connection refused", "database is locked"), minus what the
    message says already; never the password."""
    lines = str(getattr(error, "orig", "") or "").strip().splitlines()
    reason = _PG_PREFIX.sub("", lines[0].strip()).strip().rstrip(".") if lines else ""
    if db.url.password:
        reason = reason.replace(str(db.url.password), "***")
    return reason[:120]


def _sqlite_code(error: exc.DBAPIError) -> int | None:
    """sqlite3's primary result code (SQLITE_FULL...), from the code, never the wording."""
    code = getattr(getattr(error, "orig", None), "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _sqlstate(error: exc.DBAPIError) -> str | None:
    orig = getattr(error, "orig", None)
    return getattr(orig, "pgcode", None) or getattr(orig, "sqlstate", None)


def no_retry(fn: F) -> F:
    """Mark a public service method that must never be run twice by the outage retry."""
    fn.__overload_no_retry__ = True  # type: ignore[attr-defined]
    return fn


def _retrying(fn: F) -> F:
    @functools.wraps(fn)
    def call(self: ServiceBase, *args: Any, **kwargs: Any) -> Any:
        if _call.depth:
            return fn(self, *args, **kwargs)
        _call.depth = 1
        try:
            for attempt in (1, 2):
                _call.wrote = False
                try:
                    return fn(self, *args, **kwargs)
                except DatabaseUnavailableError as error:
                    if attempt == 2 or _call.wrote or not error.retry_safe:
                        raise
                time.sleep(RETRY_PAUSE_SECONDS)
        finally:
            _call.depth = 0
            _call.wrote = False

    return call  # type: ignore[return-value]


class ServiceBase:
    def __init__(self, db: Database) -> None:
        self.db = db

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            if getattr(member, "__overload_no_retry__", False) or hasattr(member, "__overload_retrying__"):
                continue
            wrapped = _retrying(member)
            wrapped.__overload_retrying__ = True  # type: ignore[attr-defined]
            setattr(cls, name, wrapped)

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Session]:
        factory = self.db.write if write else self.db.read
        phase = "connect"
        try:
            with factory() as session, session.begin():
                session.connection()  # check out (pre-ping, reconnect) before any statement
                phase = "body"
                yield session
                session.flush()
                phase = "commit"
            if write:
                _call.wrote = True
        except StaleDataError as error:  # an UPDATE/DELETE of a row another terminal deleted meanwhile
            raise NotFoundError(GONE) from error
        except exc.IntegrityError as error:
            raise ConflictError(_describe(error)) from error
        except (exc.OperationalError, exc.InterfaceError) as error:
            if isinstance(error, exc.OperationalError) and _is_constraint(error):
                raise ValidationError(_describe(error)) from error
            raise self._unavailable(error, phase) from error
        except exc.DataError as error:
            raise ValidationError("That value does not fit in the database.") from error
        except exc.DatabaseError as error:  # a damaged file met mid-session: one line, not "Unexpected error"
            if _sqlstate(error) == "42501":  # insufficient_privilege: a lifter's own role (db.roles)
                raise NotPermittedError(NOT_PERMITTED) from error
            damaged = migrate.damaged_error(self.db, error)
            if damaged is None:
                raise
            raise damaged from error
        except UnicodeEncodeError as error:  # lone surrogates from a badly decoded paste
            raise ValidationError(UNSTORABLE) from error
        except ValueError as error:  # psycopg2 refuses NUL in text before sending it
            if isinstance(error, OverloadError) or "NUL (0x00)" not in str(error):
                raise
            raise ValidationError(UNSTORABLE) from error

    def _unavailable(self, error: exc.DBAPIError, phase: str) -> DatabaseUnavailableError:
        lost = bool(getattr(error, "connection_invalidated", False)) or phase == "connect"
        clash = _sqlstate(error) in _RETRY_SQLSTATES
        where, reason = _where(self.db), _reason(error, self.db)
        because = f" ({reason})" if reason else ""
        if self.db.is_sqlite and _sqlite_code(error) == _SQLITE_FULL:
            # SQLite rolls the whole transaction back on SQLITE_FULL, at COMMIT too: nothing saved
            return DatabaseUnavailableError(DISK_FULL.format(where=where), maybe_saved=False, retry_safe=False)
        if phase == "commit":
            message = f"Lost the connection to {where} while saving. {MAYBE_SAVED}"
        elif clash:
            message = CLASHED
        elif self.db.is_sqlite:
            message = f"{where[0].upper()}{where[1:]} is busy or cannot be opened{because}. {NOT_SAVED}"
        elif phase == "connect":
            message = f"Cannot reach {where}{because}. {NOT_SAVED}"
        elif lost:
            message = f"Lost the connection to {where}. {NOT_SAVED}"
        else:
            message = f"{where[0].upper()}{where[1:]} could not do that{because}. {NOT_SAVED}"
        return DatabaseUnavailableError(
            message,
            maybe_saved=phase == "commit",
            retry_safe=not self.db.is_sqlite and phase != "commit" and (lost or clash),
        )


def _is_constraint(error: exc.OperationalError) -> bool:
    return "constraint" in str(getattr(error, "orig", "")).lower()


# -- reading many rows fast ----------------------------------------------------------------------
def driver_rows(conn: Connection, statement: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """The statement's rows as the driver returns them: tuples, without SQLAlchemy's Row and type
    processing, which over the thousands of rows of a long history cost as much as making the
    SetInfo objects. Timestamps are then SQLite's text (see timestamp_parser), units their text
    (see UNITS)."""
    result = conn.execute(statement, params)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def timestamp_parser(dialect: Dialect) -> Callable[[Any], datetime | None] | None:
    """What SQLAlchemy's DateTime does to the driver's timestamps (parses SQLite's text); None when
    the driver makes datetimes itself (psycopg2). SQLite's text ('2025-03-04 18:30:00.000000', as
    SQLAlchemy writes it) goes through datetime.fromisoformat first: a third of the cost of
    SQLAlchemy's regular expression, which stays for anything else."""
    general = DateTime().dialect_impl(dialect).result_processor(dialect, None)
    if general is None:
        return None

    def parse(value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return general(value)

    return parse


UNITS = {u.value: u for u in Unit}  # a unit's text -> the Unit
