"""Driving the real ``overload`` command in a private tmux server (``tmux -L <unique> -f
/dev/null``: no configuration file, so a user's own tmux is neither needed nor touched).

``Tmux`` starts the app in a detached session of a given size, types into it (one key, a literal
text, or a whole *burst* in one ``send-keys`` call, as a laggy link or a paste delivers it), reads
the screen (``capture-pane``) and waits on what it shows. Every screen it reads is kept in
``frames`` (when it changed), so a test can say what was shown on the way and a failure can show
the last screens, not only the one that timed out.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

PASSWORD = "correct horse battery"
TIMEOUT = 30.0
REPO = Path(__file__).resolve().parents[2]

__all__ = ["BTAB", "CTRL_F", "CTRL_G", "DOWN", "ENTER", "Key", "PASSWORD", "TAB", "TIMEOUT", "UP",
           "Tmux", "add_user", "app_env", "burst_argv", "process_gone", "wait_process_gone"]


def app_env(tmp_path: Path, url: str | None = None) -> dict[str, str]:
    """The environment the app runs in: a private data directory in ``tmp_path`` and the
    database ``url`` (default: an SQLite file there)."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700, exist_ok=True)
    return {
        "OVERLOAD_DATA_DIR": str(data),
        "DATABASE_URL": url or f"sqlite:///{tmp_path / 'overload.db'}",
        "PYTHONPATH": str(REPO),
        "TERM": "tmux-256color",
    }


def add_user(env: dict[str, str], name: str = "alice") -> None:
    """``overload user add NAME`` (the password, PASSWORD, on standard input) in ``env``."""
    subprocess.run(
        [sys.executable, "-m", "overload_tui", "user", "add", name, "--email", f"{name}@example.com"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        env={**os.environ, **env},
    )


class Key(str):
    """A tmux key name (``Enter``, ``BTab``, ``C-f``) in a burst, as opposed to literal text."""

    __slots__ = ()


ENTER, TAB, BTAB, CTRL_F, CTRL_G, UP, DOWN = map(Key, ("Enter", "Tab", "BTab", "C-f", "C-g", "Up", "Down"))

# Literal text that ``send-keys`` (without -l) would take for a key name and send as that key:
# the names tmux knows, a modifier prefix (C-x, M-x, S-x, ^x) or a hexadecimal key code (0x41).
_TMUX_KEY_NAMES = {
    name.lower() for name in (
        "Enter", "Escape", "Tab", "BTab", "Space", "BSpace", "Up", "Down", "Left", "Right", "Home",
        "End", "IC", "DC", "Insert", "Delete", "NPage", "PPage", "PageUp", "PageDown", "PgUp", "PgDn",
        "Any", "None", *(f"F{i}" for i in range(1, 13)),
    )
}
_LOOKS_LIKE_KEY = re.compile(r"^(?:[CMS]-.|\^.|0x|KP)", re.IGNORECASE)


def burst_argv(items: tuple[str, ...]) -> list[str]:
    """The ``send-keys`` arguments of a burst: ``Key`` items as key names, other items as literal
    text (checked: tmux would send a literal that looks like a key name as that key)."""
    argv = []
    for item in items:
        if not item:
            continue
        if not isinstance(item, Key) and len(item) > 1:
            if item.lower() in _TMUX_KEY_NAMES or _LOOKS_LIKE_KEY.match(item):
                raise ValueError(f"{item!r} would be sent as a key, not as text: split it")
        argv.append(str(item))
    return argv


def _tmux_env() -> dict[str, str]:
    """The environment the tmux server (and so the app) gets: ours, passed explicitly, without
    COLUMNS and LINES. Under pytest the process's C environment holds COLUMNS=80 LINES=24 (set by
    a library behind os.environ's back): a child that inherits it passes them on to the app, which
    takes them (shutil.get_terminal_size reads them first) over its window's real size."""
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def _zombie_status(pid: int) -> int | None:
    """The exit status (minus the signal) of process ``pid`` once it is a zombie, else None:
    the last field of /proc/<pid>/stat (Linux 3.5+) holds it as waitpid would give it."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    if not fields or fields[0] != "Z":
        return None
    return os.waitstatus_to_exitcode(int(fields[-1]))


def process_gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie nobody has reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[:1] == ["Z"]
    except OSError:
        return True


def wait_process_gone(pid: int, timeout: float = TIMEOUT) -> None:
    """Wait until process ``pid`` has ended; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not process_gone(pid):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} did not end within {timeout:.0f} s")
        time.sleep(0.02)


class Tmux:
    """A private tmux server (its own socket, no configuration file) running the app in a
    ``size`` (columns, rows) window. ``keep_dead_pane``: when the app ends, its pane stays (tmux's
    remain-on-exit), so ``exit_status`` can tell that it ended, and how."""

    def __init__(self, env: dict[str, str], cwd: str, size: tuple[int, int] = (80, 24),
                 keep_dead_pane: bool = False) -> None:
        self.socket = f"overload-e2e-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.cwd = cwd
        self.width, self.height = size
        self.keep_dead_pane = keep_dead_pane
        self.frames: list[str] = []  # every distinct screen read, in order

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=10, check=True, env=_tmux_env(),
        )
        return result.stdout

    def start(self, name: str) -> None:
        variables = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # exec: the pane's process is the app itself (``pid``), not a shell waiting for it
        self.new_session(name, f"cd {shlex.quote(self.cwd)} && exec env {variables} {shlex.quote(sys.executable)} -m overload_tui")

    def new_session(self, name: str, command: str) -> None:
        # remain-on-exit is set in the same command as the session is made: before the server can
        # see its process end, however soon that is.
        keep = [";", "set-option", "-t", name, "remain-on-exit", "on"] if self.keep_dead_pane else []
        for attempt in range(3):
            try:
                self.run("new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height), command, *keep)
                break
            except subprocess.CalledProcessError:  # the server of the last session may be exiting still
                if attempt == 2:
                    raise
                time.sleep(0.3)
        self.name = name

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def burst(self, *items: str) -> None:
        """Everything in ONE ``send-keys`` call, so tmux writes it to the app at once: ``Key``
        items (``ENTER``, ``BTAB``...) as keys, the other items as literal text."""
        self.keys(*burst_argv(items))

    def screen(self) -> str:
        text = self.run("capture-pane", "-p", "-t", self.name)
        if not self.frames or self.frames[-1] != text:
            self.frames.append(text)
        return text

    def last_frames(self, count: int = 3) -> str:
        """The last screens read, oldest first, for a failure's message."""
        shown = self.frames[-count:]
        return "\n".join(f"--- screen {len(self.frames) - len(shown) + i + 1} of {len(self.frames)} ---\n{frame}"
                         for i, frame in enumerate(shown))

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda screen: text in screen, f"{text!r} to appear")

    def wait_until(self, check: Callable[[str], object], what: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:  # the session is gone (the app ended)
                screen = ""
            if check(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"waited in vain for {what}; the screen was:\n{screen}")

    def cursor(self) -> tuple[int, int]:
        x, y = self.run("display-message", "-p", "-t", self.name, "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def enter_and_wait_for_next_field(self) -> None:
        """Enter in a form moves to the next field: wait until the cursor has gone there, as a
        person would before typing on (keys typed sooner would land in the field just left)."""
        _, row = self.cursor()
        self.keys("Enter")
        deadline = time.monotonic() + TIMEOUT
        while self.cursor()[1] == row:
            assert time.monotonic() < deadline, "Enter did not move to the next field"
            time.sleep(0.05)

    def log_in(self, username: str = "alice", password: str = PASSWORD) -> None:
        """Type a log-in into the login form, as a person would: the name shown (the form is
        drawn before the database layer has loaded, so keys typed sooner could be lost), Enter to
        the password field, the password, Enter. The caller waits for what follows."""
        self.wait_for("Username")
        self.type(username)
        self.wait_for(username)
        self.enter_and_wait_for_next_field()
        self.type(password)
        self.keys("Enter")

    def pid(self) -> int:
        """The pid of the pane's process (the app: ``start`` execs it)."""
        return int(self.run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def exit_status(self) -> int | None:
        """None while the app runs (or is ending); once it has ended, its exit status, or minus the
        signal that ended it (with ``keep_dead_pane``; without it the session is gone: -1)."""
        try:
            dead, status, sig, pid = (self.run(
                "display-message", "-p", "-t", self.name,
                "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}:#{pane_pid}").strip().split(":")
                + ["", "", "", ""])[:4]
        except subprocess.CalledProcessError:
            return -1
        if status.lstrip("-").isdigit():
            return int(status)
        if dead != "1":
            return None
        if sig.isdigit():
            return -int(sig)
        # tmux marks the pane dead when the terminal closes and learns how the process ended when
        # it reaps it, which tmux 3.3a at times never does (the app stays a zombie): then the
        # status is read where the kernel keeps it for the zombie.
        return _zombie_status(int(pid)) if pid.isdigit() else None

    def pane_dead(self) -> bool:
        """Whether the app's terminal has closed (with ``keep_dead_pane``)."""
        try:
            return self.run("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"
        except subprocess.CalledProcessError:
            return True

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.name],
                              capture_output=True).returncode == 0

    def wait_gone(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.1)
        raise AssertionError("the app did not quit")

    def kill(self) -> None:
        """End the server (its apps get SIGHUP) and remove its socket file, which tmux leaves."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        directory = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (directory / self.socket).unlink(missing_ok=True)
