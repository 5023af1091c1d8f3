"""Making the database unreachable for ONE app process, in a real-terminal test, without
stopping the shared server.

* PostgreSQL: ``TcpProxy``, a forwarder on 127.0.0.1 (run on its own thread by the test process)
  that the app is pointed at instead of the server. ``cut()`` closes its listening socket and
  aborts every connection through it (the app's pooled connections are reset; new ones are
  refused at once: ``Connection refused``); ``restore()`` listens again on the same port. The
  server and every other client carry on. ``hold(moment)`` stops one save of a set half-way, on
  the wire, so a test can kill the app at that exact moment with the database up: ``"insert"``
  holds back the ``INSERT INTO sets`` (sent by the app, never reaching the server: not saved),
  ``"commit-answer"`` lets the ``COMMIT`` after it through and holds back the server's answer
  (saved, and the app cannot know). ``held`` is set once it has happened.
* SQLite: ``SqliteLock``, another connection holding the database's write lock (``BEGIN
  IMMEDIATE``, as a backup or a ``sqlite3`` shell left in a transaction would): every write of
  the app waits its busy timeout and fails with "database is locked". ``restore()`` rolls back.

Both are context managers that restore the database and let go of everything on the way out.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from contextlib import suppress

__all__ = ["SqliteLock", "TcpProxy"]


class TcpProxy:
    """127.0.0.1:``port`` forwarded to ``host``:``target_port`` (see the module's docstring)."""

    def __init__(self, host: str, target_port: int) -> None:
        self.target = (host, target_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="overload-test-proxy", daemon=True)
        self._thread.start()
        self._server: asyncio.base_events.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self._gates: set[asyncio.Event] = set()
        self._hold: str | None = None
        self.held = threading.Event()
        self.connections = 0  # accepted since the start: how many the app opened through it
        self.port = 0
        self.port = self._call(self._listen())

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", self.port, reuse_address=True)
        return self._server.sockets[0].getsockname()[1]

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}
        requests, answers = asyncio.Event(), asyncio.Event()  # set: flowing
        requests.set()
        answers.set()
        self._gates |= {requests, answers}
        try:
            await asyncio.gather(self._pump(reader, up_writer, requests, answers),
                                 self._pump(up_reader, writer, answers))
        finally:
            self._links -= {writer, up_writer}
            self._gates -= {requests, answers}

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, gate: asyncio.Event,
                    answers: asyncio.Event | None = None) -> None:
        """Copy ``reader`` to ``writer`` while ``gate`` is open; ``answers``: this is the app's
        side of a link (its statements), whose server answers go through ``answers``."""
        saw_insert = False
        try:
            while data := await reader.read(65536):
                if answers is not None and self._hold is not None:
                    if b"INSERT INTO sets " in data:
                        saw_insert = True
                        if self._hold == "insert":
                            self._held(gate)
                    elif saw_insert and self._hold == "commit-answer" and data.find(b"COMMIT") >= 0:
                        self._held(answers)
                await gate.wait()
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()

    def _held(self, gate: asyncio.Event) -> None:
        self._hold = None
        gate.clear()
        self.held.set()

    async def _cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._links):
            writer.transport.abort()
        if server is not None:
            await server.wait_closed()

    @property
    def up(self) -> bool:
        return self._server is not None

    def hold(self, moment: str) -> None:
        """Hold the next save of a set at ``moment`` ("insert" or "commit-answer"; see above)."""
        if moment not in ("insert", "commit-answer"):
            raise ValueError(moment)
        self._call(self._arm(moment))

    async def _arm(self, moment: str) -> None:
        self.held.clear()
        self._hold = moment

    async def _release(self) -> None:
        self._hold = None
        for gate in self._gates:
            gate.set()

    def release(self) -> None:
        """What was held goes on (to a server or an app that may be gone by now)."""
        self._call(self._release())

    def cut(self) -> None:
        """Unreachable from now on: connections reset, new ones refused (returns once so)."""
        self._call(self._cut())

    def restore(self) -> None:
        """Reachable again, on the same port."""
        if self._server is None:
            self._call(self._listen())

    def url(self, database_url: str) -> str:
        """``database_url`` (a PostgreSQL URL) pointed at this proxy."""
        from sqlalchemy.engine import make_url

        url = make_url(database_url)
        return url.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def close(self) -> None:
        with suppress(Exception):
            self._call(self._cut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteLock:
    """The write lock of the SQLite file at ``path``, held by a connection of this process while
    cut (see the module's docstring)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def up(self) -> bool:
        return self._conn is None

    def cut(self) -> None:
        if self._conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            conn.execute("BEGIN IMMEDIATE")  # waits for a write of the app's in flight, then holds the lock
            self._conn = conn

    def restore(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.execute("ROLLBACK")
            conn.close()

    def close(self) -> None:
        self.restore()

    def __enter__(self) -> SqliteLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
