"""An SSH client for the serve tests (asyncssh, a real SSH client library): a terminal session whose
output is followed by a small terminal emulator (``benchmarks.pty_bytes.Screen``), so tests wait
on what the lifter would see, never on time."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from benchmarks.pty_bytes import Screen
from overload_tui.services.ssh_keys import asyncssh_module

asyncssh = asyncssh_module()
TIMEOUT = 45.0
PASSWORD = "correct horse battery"
CURSOR_TO = re.compile(rb"\x1b\[(\d+);(\d+)H")


def new_key():
    return asyncssh.generate_private_key("ssh-ed25519")


def public_text(key) -> str:
    return key.export_public_key("openssh").decode().strip()


class Term(asyncssh.SSHClientSession):
    def __init__(self, cols: int, rows: int) -> None:
        self.screen = Screen(cols, rows)
        self.raw = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.raw += data
        self.screen.feed(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()


class Client:
    """One SSH connection with one terminal session."""

    def __init__(self, conn: Any, chan: Any, term: Term) -> None:
        self.conn, self.chan, self.term = conn, chan, term

    @classmethod
    async def connect(cls, port: int, key=None, *, username: str = "lifter", cols: int = 100, rows: int = 30,
                      env: dict[str, str] | None = None, **options: Any) -> Client:
        conn = await asyncssh.connect(
            "127.0.0.1", port, username=username, client_keys=[key] if key is not None else [],
            known_hosts=None, agent_path=None, password=options.pop("password", None),
            preferred_auth=options.pop("preferred_auth", ("publickey", "keyboard-interactive")), **options,
        )
        chan, term = await conn.create_session(lambda: Term(cols, rows), term_type="xterm-256color",
                                               term_size=(cols, rows), encoding=None, env=env or {})
        return cls(conn, chan, term)

    def text(self) -> str:
        return self.term.screen.text()

    async def wait_until(self, check, what: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if check(screen):
                return screen
            left = deadline - time.monotonic()
            if left <= 0 or (self.term.closed.is_set() and not check(self.text())):
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}"
                                     f"{' (connection closed)' if self.term.closed.is_set() else ''}")
            self.term.changed.clear()
            try:
                await asyncio.wait_for(self.term.changed.wait(), min(left, 1.0))
            except asyncio.TimeoutError:
                pass

    async def wait_for(self, needle: str, timeout: float = TIMEOUT) -> str:
        return await self.wait_until(lambda s: needle in s, repr(needle), timeout)

    def send(self, data: str | bytes) -> None:
        self.chan.write(data.encode() if isinstance(data, str) else data)

    async def wait_closed(self, timeout: float = TIMEOUT) -> int | None:
        await asyncio.wait_for(self.chan.wait_closed(), timeout)
        return self.chan.get_exit_status()

    def abort(self) -> None:
        """Drop the connection as a dead phone link would: no goodbye, the socket just closes."""
        self.conn.abort()

    async def close(self) -> None:
        self.conn.close()
        try:
            await asyncio.wait_for(self.conn.wait_closed(), 10)
        except (asyncio.TimeoutError, OSError):
            pass

    async def log_set(self, weight: str = "100", reps: str = "5") -> None:
        """From the dashboard: a new workout, Squat (Barbell) added, one set logged."""
        await self.wait_for("this week")
        self.send("n")
        # The exercise picker, or (the rebuilt logging screen) the set box taking a name.
        await self.wait_until(lambda s: "Add an exercise" in s or "No exercises yet" in s, "a new workout")
        self.send("squat")
        await self.wait_until(lambda s: "found" in s or "squat" in s, "squat typed")
        self.send("\r")
        await self.wait_until(lambda s: "Squat (Barbell)" in s and "Add an exercise" not in s, "Squat added")
        await self.wait_for("Set 1")
        self.send(f"{weight}x{reps}\r")
        await self.wait_for("Set 1 logged")


async def wait_no_sessions(gym, timeout: float = TIMEOUT) -> None:
    """Until every app process of the server has ended (their saves done)."""
    deadline = time.monotonic() + timeout
    while gym.running:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(gym.running)} app process(es) still running")
        await asyncio.wait([s.exited for s in list(gym.running)], timeout=1.0)
