"""Helpers for the reliability tests: an admin connection to PostgreSQL, a TCP proxy that can
cut the database off and bring it back, and a small worker run in separate processes."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_DSN, _pg_admin, make_pg_database  # noqa: F401

HERE = Path(__file__).parent
WORKER = HERE / "set_worker.py"
REPO = HERE.parent.parent


def python_env() -> dict[str, str]:
    """The environment for a child python that imports overload_tui from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("DATABASE_URL", None)
    return env


PYTHON = sys.executable


def terminate_backends(database: str, *, except_pid: int | None = None) -> int:
    """Kill every server process connected to ``database`` (but ``except_pid``) and wait for them
    to be gone. Returns how many were killed."""
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid() AND pid IS DISTINCT FROM %s",
                (database, except_pid),
            )
            return len(cur.fetchall())
    finally:
        conn.close()


def terminate_pid(pid: int) -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))
    finally:
        conn.close()


class TcpProxy:
    """Forwards a local port to PostgreSQL. ``stop()`` drops every connection and refuses new
    ones (the database "goes down"); ``start()`` brings it back on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._socks: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._running = threading.Event()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self._running.set()
        t = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self, listener: socket.socket) -> None:
        while self._running.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self._socks |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                t = threading.Thread(target=self._pump, args=(a, b), daemon=True)
                t.start()
                self._threads.append(t)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        self._running.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            socks, self._socks = self._socks, set()
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        for t in self._threads:
            t.join(timeout=10)
        self._threads = [t for t in self._threads if t.is_alive()]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (skips or fails like the ``database_url`` fixture)."""
    url, drop = make_pg_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def pg_proxy() -> Iterator[TcpProxy]:
    from sqlalchemy.engine import make_url

    admin = make_url(PG_ADMIN_DSN)
    proxy = TcpProxy((admin.host or "127.0.0.1", admin.port or 5432))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
