"""Issue 6: database outages at the service level.

* connections the server drops between calls are replaced on their own (pool pre-ping);
* a connection lost in the middle of a call is retried once, only when nothing can have been
  saved; lost during COMMIT it is not retried and the message says the change may be saved;
* a database that is down gives DatabaseUnavailableError with a one-line message without the
  URL's password, and the same call works again once the database is back.
"""

from __future__ import annotations

import traceback

import pytest
from sqlalchemy import event, exc, func, select, text

from overload_tui.db.engine import Database
from overload_tui.db.models import Set
from overload_tui.domain.errors import AuthError, DatabaseUnavailableError
from overload_tui.services import Services, base
from overload_tui.services.base import ServiceBase
from tests.reliability.conftest import terminate_backends, terminate_pid


PASSWORD_IN_URL = "Url-Pa55word-never-shown"
PW = "correct horse"  # a name, so that tracebacks show "PW" in source lines, not the secret


@pytest.fixture
def pauses(monkeypatch):
    """The retry's pauses (recorded, not slept)."""
    calls: list[float] = []
    monkeypatch.setattr(base.time, "sleep", calls.append)
    return calls


def _count_sets(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Set))


def _workout(services: Services):
    alice = services.auth.register("alice", "alice@example.com", PW)
    ws = services.workouts(alice.id)
    entry = ws.add_entry(ws.search_exercises("bench press")[0].id, session_id=ws.start_session().id)
    return alice, ws, entry


def _assert_clean_message(error: BaseException, *secrets: str) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    everything = "".join(traceback.format_exception(error)) + repr(error)
    for secret in secrets:
        assert secret not in message
        assert secret not in everything  # not even in the chained causes a log would print


def test_terminated_connections_are_replaced_on_the_next_call(pg_url, data_dir, pauses):
    services = Services.open(pg_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        alice, ws, entry = _workout(services)
        # Fill the pool with several idle connections, then kill them all from outside.
        conns = [services.db.engine.connect() for _ in range(3)]
        for c in conns:
            c.close()
        assert terminate_backends(services.db.url.database) >= 3

        assert ws.add_set(entry.id, 100, 5).order == 1
        assert len(ws.list_sessions()) == 1
        assert services.auth.login("alice", PW).user.id == alice.id
        assert pauses == [], "pre-ping replaced the connections; no call needed a retry"
    finally:
        services.close()


def _kill_connection_when(db: Database, event_name: str, match: str | None = None):
    """Arm a one-shot trap: the first time ``event_name`` fires (for a statement containing
    ``match``), the server process behind that connection is terminated first."""
    fired: list[str] = []

    def trap(conn, *args):
        if fired:
            return
        if match is not None and match not in args[1]:
            return
        fired.append(event_name)
        terminate_pid(conn.connection.dbapi_connection.get_backend_pid())

    event.listen(db.engine, event_name, trap)
    return fired


def test_connection_lost_before_commit_is_retried_once(pg_url, data_dir, pauses):
    services = Services.open(pg_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        _, ws, entry = _workout(services)
        inserts: list[str] = []
        event.listen(
            services.db.engine,
            "before_cursor_execute",
            lambda conn, cur, stmt, *a: inserts.append(stmt) if stmt.startswith("INSERT INTO sets") else None,
        )
        fired = _kill_connection_when(services.db, "before_cursor_execute", "INSERT INTO sets")

        saved = ws.add_set(entry.id, 100, 5)

        assert fired and len(pauses) == 1, "the lost connection was retried once"
        assert len(inserts) == 2
        sets = ws.get_entry(entry.id).sets
        assert [(s.id, s.order, s.weight, s.reps) for s in sets] == [(saved.id, 1, 100.0, 5)]
    finally:
        services.close()


def test_connection_lost_during_commit_is_not_retried(pg_url, data_dir, pauses):
    services = Services.open(pg_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        _, ws, entry = _workout(services)
        fired = _kill_connection_when(services.db, "commit")
        with pytest.raises(DatabaseUnavailableError, match="may or may not have been saved") as info:
            ws.add_set(entry.id, 100, 5)
        assert fired and pauses == [], "the outcome of a COMMIT in flight is unknown: no retry"
        _assert_clean_message(info.value)
        # Here the COMMIT never reached the server, so nothing was saved, and the next call works.
        assert _count_sets(services.db) == 0
        assert ws.add_set(entry.id, 100, 5).order == 1
    finally:
        services.close()


def test_database_down_then_back(pg_url, data_dir, pg_proxy, pauses):
    from sqlalchemy.engine import make_url

    direct = make_url(pg_url)
    via_proxy = direct.set(host="127.0.0.1", port=pg_proxy.port, password=PASSWORD_IN_URL)
    services = Services.open(
        via_proxy.render_as_string(hide_password=False), data_dir=data_dir, bcrypt_rounds=4
    )
    try:
        alice, ws, entry = _workout(services)
        token = services.auth.login("alice", PW).token

        pg_proxy.stop()  # the database goes away, taking every open connection with it
        calls = [
            lambda: ws.add_set(entry.id, 100, 5),
            lambda: ws.get_session(entry.id),
            lambda: services.auth.login("alice", PW),
            lambda: services.auth.verify_token(token),
        ]
        for call in calls:
            with pytest.raises(DatabaseUnavailableError) as info:
                call()
            message = str(info.value)
            assert "Cannot reach the PostgreSQL database" in message
            assert f"127.0.0.1:{pg_proxy.port}" in message and "Nothing was saved" in message
            _assert_clean_message(info.value, PASSWORD_IN_URL, PW, token)
        assert len(pauses) == len(calls), "each call tried once more before giving up"

        pg_proxy.start()  # back
        assert ws.add_set(entry.id, 100, 5).order == 1
        assert services.auth.login("alice", PW).user.id == alice.id
        assert _count_sets(services.db) == 1  # the calls made while it was down saved nothing
    finally:
        services.close()


def test_nothing_listening(data_dir, pauses):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    url = f"postgresql://someone:{PASSWORD_IN_URL}@127.0.0.1:{port}/overload"
    services = Services.open(url, data_dir=data_dir, upgrade=False, bcrypt_rounds=4)
    try:
        for call in (
            lambda: services.auth.login("alice", PW),
            lambda: services.workouts(1).list_sessions(),
        ):
            with pytest.raises(DatabaseUnavailableError) as info:
                call()
            assert not isinstance(info.value, AuthError)
            _assert_clean_message(info.value, PASSWORD_IN_URL, "someone", PW)
    finally:
        services.close()


# -- the retry rule, exactly ----------------------------------------------------------------------
class _Pgcode(Exception):
    def __init__(self, pgcode: str | None) -> None:
        super().__init__(f"fake server error {pgcode}")
        self.pgcode = pgcode


class _Probe(ServiceBase):
    """A service whose calls fail the first time in a chosen way."""

    def __init__(self, db: Database, failure: exc.DBAPIError, *, write_first: bool = False) -> None:
        super().__init__(db)
        self.failure, self.write_first, self.runs = failure, write_first, 0

    def op(self) -> str:
        self.runs += 1
        if self.write_first:
            with self._tx(write=True) as s:
                s.execute(text("SELECT 1"))
        with self._tx(write=True) as s:
            s.execute(text("SELECT 1"))
            if self.runs == 1:
                raise self.failure
        return "ok"

    def outer(self) -> str:
        return self.op()  # a nested service call: only the outermost call retries


def _lost() -> exc.OperationalError:
    return exc.OperationalError("INSERT ...", {}, _Pgcode(None), connection_invalidated=True)


def _pg_error(code: str) -> exc.OperationalError:
    return exc.OperationalError("UPDATE ...", {}, _Pgcode(code))


@pytest.mark.parametrize(
    ("failure", "write_first", "retried"),
    [
        (_lost(), False, True),  # connection lost before COMMIT: nothing saved
        (_pg_error("40P01"), False, True),  # deadlock: the server rolled it back
        (_pg_error("40001"), False, True),  # serialization failure: likewise
        (_pg_error("53300"), False, False),  # too many connections: not ours to hammer
        (_lost(), True, False),  # an earlier transaction of the call committed a write
    ],
)
def test_retry_rule_on_postgresql(pg_url, pauses, failure, write_first, retried):
    db = Database.connect(pg_url)
    try:
        for call in ("op", "outer"):
            probe = _Probe(db, failure, write_first=write_first)
            if retried:
                assert getattr(probe, call)() == "ok" and probe.runs == 2
            else:
                with pytest.raises(DatabaseUnavailableError):
                    getattr(probe, call)()
                assert probe.runs == 1
    finally:
        db.dispose()


@pytest.mark.parametrize("failure", [_lost(), _pg_error("40P01")])
def test_sqlite_is_never_retried(tmp_path, pauses, failure):
    db = Database.connect(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        probe = _Probe(db, failure)
        with pytest.raises(DatabaseUnavailableError, match="busy or cannot be opened|clashed"):
            probe.op()
        assert probe.runs == 1 and pauses == []
    finally:
        db.dispose()


def test_sqlite_busy_is_reported_not_retried_and_passes(tmp_path, data_dir, pauses, monkeypatch):
    """Another process holding SQLite's write lock past the busy timeout: a clear error, no
    second wait, and the same call works once the lock is gone."""
    import sqlite3

    from overload_tui.db import engine as engine_module

    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "busy.db"
    services = Services.open(f"sqlite:///{path}", data_dir=data_dir, bcrypt_rounds=4)
    try:
        _, ws, entry = _workout(services)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the other terminal, mid-write
        try:
            with pytest.raises(DatabaseUnavailableError, match="busy or cannot be opened") as info:
                ws.add_set(entry.id, 100, 5)
            assert str(path) in str(info.value) and "Nothing was saved" in str(info.value)
            _assert_clean_message(info.value)
            assert ws.get_entry(entry.id).sets == ()  # reads still work in WAL mode
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert pauses == []
        assert ws.add_set(entry.id, 100, 5).order == 1
    finally:
        services.close()
