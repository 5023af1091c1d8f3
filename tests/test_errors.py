"""Typed errors: what the app does after an error depends on the error's class and attributes,
never on the words of its message.

* ``DatabaseUnavailableError.maybe_saved``: True exactly when the failure came while COMMIT was in
  flight (on SQLite and PostgreSQL alike); ``retry_safe``: the services' retry runs a call again
  only when it is set, which is never on SQLite and never with ``maybe_saved``;
* the messages can be reworded (here: every message replaced by one meaningless text, and the
  service's message parts changed) without changing any behaviour: the retry, the notification's
  title, the login form's cursor, the import screen's "Nothing was imported".
"""

from __future__ import annotations

import pickle
import socket
import sqlite3
from types import SimpleNamespace

import psycopg2
import pytest
from textual.widgets import Input, Static

from overload_tui.app import OverloadApp
from overload_tui.db.engine import Database
from overload_tui.domain.errors import (
    AuthError,
    ConflictError,
    DatabaseUnavailableError,
    OverloadError,
    ValidationError,
)
from overload_tui.screens.import_screen import _nothing_imported
from overload_tui.screens.login import LoginScreen
from overload_tui.services import Services, base
from overload_tui.services.base import RETRY_PAUSE_SECONDS, ServiceBase
from overload_tui.services.transfer import ImportFormatError
from tests.reliability.conftest import pg_url  # noqa: F401 - fixture
from tests.reliability.test_outages import _kill_connection_when, _lost, _pg_error, _Probe
from tests.tui.helpers import settle, type_text, until

PW = "correct horse"
NEUTRAL = "Something happened."  # every OverloadError's text in the rewording tests


@pytest.fixture
def pauses(monkeypatch):
    """The retry's pauses (recorded, not slept)."""
    calls: list[float] = []
    monkeypatch.setattr(base.time, "sleep", calls.append)
    return calls


@pytest.fixture
def reworded(monkeypatch):
    """Every OverloadError reads NEUTRAL, and the texts the services build messages from are
    changed: nothing a message used to say is left for code to match on."""
    monkeypatch.setattr(OverloadError, "__str__", lambda self: NEUTRAL)
    monkeypatch.setattr(base, "NOT_SAVED", "Zut.")
    monkeypatch.setattr(base, "MAYBE_SAVED", "Peut-être.")
    monkeypatch.setattr(base, "CLASHED", "Collision.")
    monkeypatch.setattr(base, "_where", lambda db: "là-bas")
    monkeypatch.setattr(base, "_reason", lambda error, db: "")


def _workout(services: Services):
    alice = services.auth.register("alice", "alice@example.com", PW)
    ws = services.workouts(alice.id)
    entry = ws.add_entry(ws.search_exercises("bench press")[0].id, session_id=ws.start_session().id)
    return ws, entry


def _fail_next_commit(monkeypatch, db: Database) -> list[str]:
    """The next COMMIT fails in the driver as a dropped connection (or a disk error on SQLite)
    does; the COMMIT is not sent, so nothing is saved."""
    dialect = db.engine.dialect
    original = dialect.do_commit
    fired: list[str] = []

    def failing(dbapi_connection):
        if fired:
            return original(dbapi_connection)
        fired.append("commit")
        if db.is_sqlite:
            raise sqlite3.OperationalError("disk I/O error")
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(dialect, "do_commit", failing)
    return fired


# -- the error class ------------------------------------------------------------------------------
def test_database_unavailable_error_fields():
    plain = DatabaseUnavailableError("x")
    assert (plain.maybe_saved, plain.retry_safe) == (False, False)
    assert str(plain) == "x" and isinstance(plain, OverloadError)
    error = DatabaseUnavailableError("y", retry_safe=True)
    assert (error.maybe_saved, error.retry_safe) == (False, True)
    # A write that may have been applied is never safe to run again, whatever the caller says.
    both = DatabaseUnavailableError("z", maybe_saved=True, retry_safe=True)
    assert (both.maybe_saved, both.retry_safe) == (True, False)
    copy = pickle.loads(pickle.dumps(DatabaseUnavailableError("w", maybe_saved=True)))
    assert (str(copy), copy.maybe_saved, copy.retry_safe) == ("w", True, False)


def test_field_says_which_input_an_error_is_about():
    assert ValidationError("x").field is None and ConflictError("x").field is None
    assert ValidationError("x", field="email").field == "email"
    assert ConflictError("x", field="username").field == "username"
    assert AuthError("x").field is None and DatabaseUnavailableError("x").field is None


def test_registration_errors_name_their_field(services):
    auth = services.auth
    auth.register("alice", "alice@example.com", PW)
    cases = [
        (("a", "new@example.com", PW, None), "username"),
        (("new one", "new@example.com", PW, None), "username"),
        (("newone", "not an address", PW, None), "email"),
        (("newone", "new@example.com", "short", None), "password"),
        (("newone", "new@example.com", PW, "x" * 500), "name"),
        (("newone", "new@example.com", PW, "bad\x07name"), "name"),
        (("ALICE", "new@example.com", PW, None), "username"),  # taken (ConflictError)
        (("newone", "Alice@Example.com", PW, None), "email"),  # taken (ConflictError)
    ]
    for args, field in cases:
        with pytest.raises((ValidationError, ConflictError)) as info:
            auth.register(*args)
        assert info.value.field == field, (args, str(info.value))


# -- maybe_saved and retry_safe from real failures -------------------------------------------------
def test_a_commit_phase_failure_may_be_saved_and_is_not_retried(services, monkeypatch, pauses):
    """Both databases: the driver fails during COMMIT."""
    ws, entry = _workout(services)
    fired = _fail_next_commit(monkeypatch, services.db)
    with pytest.raises(DatabaseUnavailableError) as info:
        ws.add_set(entry.id, 100, 5)
    assert fired == ["commit"]
    assert (info.value.maybe_saved, info.value.retry_safe) == (True, False)
    assert pauses == [], "a COMMIT in flight is never retried"
    assert ws.add_set(entry.id, 100, 5).order == 1  # the commit was not sent: nothing was saved


@pytest.mark.postgres
def test_a_connection_killed_during_commit_may_be_saved(pg_url, data_dir, pauses):  # noqa: F811
    """PostgreSQL, for real: the server process is terminated as COMMIT is sent."""
    services = Services.open(pg_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        ws, entry = _workout(services)
        fired = _kill_connection_when(services.db, "commit")
        with pytest.raises(DatabaseUnavailableError) as info:
            ws.add_set(entry.id, 100, 5)
        assert fired and pauses == []
        assert (info.value.maybe_saved, info.value.retry_safe) == (True, False)
    finally:
        services.close()


class _Ping(ServiceBase):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.runs = 0

    def ping(self) -> None:
        self.runs += 1
        with self._tx():
            pass


@pytest.mark.postgres
def test_a_refused_connection_is_not_saved_and_retry_safe_on_postgresql(pg_url, pauses):  # noqa: F811
    # pg_url: only to skip (or fail in CI) like every PostgreSQL test when there is no server.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    db = Database.connect(f"postgresql://someone@127.0.0.1:{port}/overload")
    try:
        service = _Ping(db)
        with pytest.raises(DatabaseUnavailableError) as info:
            service.ping()
        assert (info.value.maybe_saved, info.value.retry_safe) == (False, True)
        assert service.runs == 2 and pauses == [RETRY_PAUSE_SECONDS], "tried once more"
    finally:
        db.dispose()


def test_a_database_file_that_cannot_be_opened_is_not_saved_and_not_retried(tmp_path, pauses):
    folder = tmp_path / "a folder"
    folder.mkdir()
    db = Database.connect(f"sqlite:///{folder}")  # a folder is not a database file
    try:
        service = _Ping(db)
        with pytest.raises(DatabaseUnavailableError) as info:
            service.ping()
        assert (info.value.maybe_saved, info.value.retry_safe) == (False, False)
        assert service.runs == 1 and pauses == [], "SQLite is never retried"
    finally:
        db.dispose()


# -- rewording the messages changes nothing ---------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.parametrize(("failure", "retried"), [(_lost(), True), (_pg_error("40P01"), True),
                                                  (_pg_error("53300"), False)])
def test_rewording_does_not_change_the_retry(pg_url, pauses, reworded, failure, retried):  # noqa: F811
    db = Database.connect(pg_url)
    try:
        probe = _Probe(db, failure)
        if retried:
            assert probe.op() == "ok" and probe.runs == 2 and len(pauses) == 1
        else:
            with pytest.raises(DatabaseUnavailableError) as info:
                probe.op()
            assert probe.runs == 1 and str(info.value) == NEUTRAL
            assert (info.value.maybe_saved, info.value.retry_safe) == (False, False)
    finally:
        db.dispose()


def test_rewording_does_not_change_maybe_saved(services, monkeypatch, pauses, reworded):
    ws, entry = _workout(services)
    _fail_next_commit(monkeypatch, services.db)
    with pytest.raises(DatabaseUnavailableError) as info:
        ws.add_set(entry.id, 100, 5)
    assert str(info.value) == NEUTRAL and base.MAYBE_SAVED == "Peut-être."
    assert (info.value.maybe_saved, info.value.retry_safe) == (True, False) and pauses == []


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (DatabaseUnavailableError("No words about where."), "Not saved"),
        (DatabaseUnavailableError("x", maybe_saved=True), "Not saved"),
        (ValidationError("The database says no."), "Error"),  # the word is not the type
        (OverloadError("Unexpected error: KeyError"), "Error"),
    ],
)
def test_the_notification_title_comes_from_the_type(error, title, monkeypatch):
    shown: list[tuple[str, str]] = []
    fake_app = SimpleNamespace(notify=lambda message, *, title, **_: shown.append((message, title)))
    OverloadApp._notify_error(fake_app, error)
    monkeypatch.setattr(OverloadError, "__str__", lambda self: NEUTRAL)
    OverloadApp._notify_error(fake_app, error)
    assert [t for _, t in shown] == [title, title]


def test_the_import_screen_says_nothing_was_imported_once(reworded):
    assert _nothing_imported(ImportFormatError("the file is empty", 1)) == NEUTRAL
    assert _nothing_imported(DatabaseUnavailableError("x")) == f"Nothing was imported: {NEUTRAL}"


def _focused(app) -> str | None:
    focused = app.focused
    return focused.id if isinstance(focused, Input) else None


async def test_the_login_form_puts_the_cursor_by_field_not_by_words(services, alice, reworded):
    app = OverloadApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+r")  # new account
        await settle(pilot)
        screen = app.screen
        for error, field in [
            (ValidationError("x", field="email"), "email"),
            (ConflictError("x", field="username"), "identifier"),
            (ValidationError("x", field="name"), "name"),
            (ValidationError("x", field="password"), "password"),
            (ValidationError("x", field="repeat"), "repeat"),
            (DatabaseUnavailableError("x"), "identifier"),  # about no one field
        ]:
            screen.show_error(error)
            await pilot.pause()
            assert _focused(app) == field, (error, field)
            assert str(screen.query_one("#login-message", Static).render()) == NEUTRAL

        # For real: a taken email (the message no longer says "email") puts the cursor there.
        screen.query_one("#identifier", Input).focus()
        for text in ("carol", "Alice@Example.com", "", PW, PW):
            await pilot.press("ctrl+u")
            await type_text(pilot, text)
            await pilot.press("enter")
        await until(pilot, lambda: _focused(app) == "email" and not screen.busy, "the cursor in the email")
        assert [u.username for u in services.auth.list_users()] == ["alice"]
