"""Helpers for the life-cycle tests: the real ``overload`` command in a private tmux (the e2e
test's ``Tmux``, with the app as the pane's own process so that its pid is known), and in a bare
pseudo-terminal for start-up failures (to read exactly what is left on the terminal)."""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import signal
import struct
import sys
import time
from pathlib import Path

import fcntl
import termios

from tests.e2e.test_tmux import PASSWORD, TIMEOUT, Tmux
from tests.e2e.tmux import add_user, app_env

REPO = Path(__file__).resolve().parents[2]
SET_ROW = re.compile(r"(\d+)\s+(\d+(?:\.\d+)?) kg\s+(\d+)")

__all__ = ["AppTmux", "PASSWORD", "TIMEOUT", "Pty", "app_env", "set_rows", "process_gone", "wait_gone"]


class AppTmux(Tmux):
    """The e2e ``Tmux``, but the pane's process *is* the app (``exec``), so ``pid()`` is its pid
    and a hang-up reaches it exactly as when an SSH connection drops."""

    def start(self, name: str) -> None:
        variables = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        command = (f"cd {shlex.quote(self.cwd)} && exec env {variables} "
                   f"{shlex.quote(sys.executable)} -m overload_tui")
        self.new_session(name, command)

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def log_in(self) -> None:
        self.wait_for("Username")
        self.type("alice")
        self.wait_for("alice")  # in its field (the cursor with it) before Enter moves on
        self.enter_and_wait_for_next_field()
        self.type(PASSWORD)
        self.keys("Enter")


def set_rows(screen: str) -> list[tuple[str, str, str]]:
    """(position, weight, reps) of the set table's rows on a captured screen."""
    return [m.groups() for m in map(SET_ROW.search, screen.splitlines()) if m]


def process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return True


def wait_gone(pid: int, timeout: float = TIMEOUT) -> float:
    """Seconds until process ``pid`` has ended (it is tmux's child, not ours: poll /proc)."""
    start = time.monotonic()
    while not process_gone(pid):
        if time.monotonic() - start > timeout:
            raise AssertionError(f"process {pid} is still running {timeout:.0f} s later")
        time.sleep(0.05)
    return time.monotonic() - start


# -- a bare pseudo-terminal ------------------------------------------------------------------------
_ESCAPE = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b[@-Z\\-_]")


class Pty:
    """``overload`` (or ``args``) in an 80x24 pseudo-terminal: type keys, read the output, and
    the exit status."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERLOAD_", "DATABASE_URL"))}
        full_env.update(env)
        full_env.setdefault("TERM", "xterm-256color")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, "-m", "overload_tui", *args], full_env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.raw = b""
        self.status: int | None = None

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child has ended and the terminal closed
            return False
        self.raw += chunk
        return bool(chunk)

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while needle not in _ESCAPE.sub("", self.text):
            if time.monotonic() > deadline or not self._read(0.05):
                if needle in _ESCAPE.sub("", self.text):
                    return
                raise AssertionError(f"{needle!r} did not appear; the output was:\n{self.after_app()!r}")

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self, timeout: float = TIMEOUT) -> int:
        """Read until the program ends; its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):
                    pass
                self.status = os.waitstatus_to_exitcode(status)
                os.close(self.fd)
                return self.status
            self._read(0.05)
        self.kill()
        raise AssertionError(f"still running after {timeout:.0f} s; the output was:\n{self.text[-2000:]!r}")

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.status = -9

    def after_app(self) -> str:
        """What is left on the terminal after the app has left the alternate screen (or all of
        it, if the app never started), escape sequences removed."""
        text = self.text
        cut = text.rfind("\x1b[?1049l")
        if cut >= 0:
            text = text[cut:]
        return _ESCAPE.sub("", text).replace("\r", "")
