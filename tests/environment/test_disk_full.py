"""Issue 17: a full disk on SQLite said "may or may not have been saved" though nothing was.

The message came from ``ServiceBase._unavailable``: any failure in the ``commit`` phase was taken
for a connection lost while COMMIT was in flight. On SQLite a full disk (SQLITE_FULL, result code
13) rolls the whole transaction back, at COMMIT too, so nothing was saved: the error now says so
("Not saved: the disk is full"), with ``maybe_saved`` False and no retry. It is decided from the
driver's error code, never from its wording. (No small real filesystem is available here, so the
driver's error is made with its code.)
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc

from overload_tui.domain.errors import DatabaseUnavailableError
from overload_tui.services.base import ServiceBase

SQLITE_FULL = 13
SQLITE_BUSY = 5


def _driver_error(code: int, text: str) -> exc.OperationalError:
    orig = sqlite3.OperationalError(text)
    orig.sqlite_errorcode = code
    return exc.OperationalError("COMMIT", {}, orig)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("phase", ["body", "commit"])
@pytest.mark.parametrize("text", ["database or disk is full", "something else entirely"])
def test_sqlite_full_is_not_saved_by_its_code(services, phase, text):
    error = ServiceBase(services.db)._unavailable(_driver_error(SQLITE_FULL, text), phase)
    assert isinstance(error, DatabaseUnavailableError)
    assert not error.maybe_saved and not error.retry_safe
    assert "Not saved: the disk is full" in str(error)
    assert "may or may not" not in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_other_codes_at_commit_keep_their_meaning(services):
    """The wording alone never makes a disk-full error; a code that is not SQLITE_FULL at COMMIT
    is still reported as before."""
    base = ServiceBase(services.db)
    busy = base._unavailable(_driver_error(SQLITE_BUSY, "database or disk is full"), "commit")
    assert busy.maybe_saved and "disk is full" not in str(busy)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_disk_full_at_commit_through_a_service_saves_nothing(services, alice, monkeypatch):
    """The whole path: the driver's COMMIT fails with SQLITE_FULL; the user is told nothing was
    saved, and indeed nothing was."""
    ws = services.workouts(alice.id)
    dialect = services.db.engine.dialect

    def full(dbapi_connection):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = SQLITE_FULL
        raise error

    monkeypatch.setattr(dialect, "do_commit", full)
    with pytest.raises(DatabaseUnavailableError) as caught:
        ws.start_session()
    monkeypatch.undo()
    assert not caught.value.maybe_saved
    assert "Not saved: the disk is full" in str(caught.value)
    assert "may or may not" not in str(caught.value)
    assert list(ws.list_sessions()) == []
