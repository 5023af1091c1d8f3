"""Start-up of the real ``overload`` command in a pseudo-terminal, as a lifter sees it.

    python -m tests.lifecycle.measure_startup [--runs 7] [--database URL]

Creates a throwaway SQLite database (or uses ``--database``) with one user, then starts
``python -m overload_tui`` in an 80x24 pseudo-terminal ``--runs`` times without and with a saved
log-in, and prints the median time from spawning the process to:

* the first frame: the first screen's text on the terminal (the splash, or the login screen);
* the login screen / the dashboard with its data ("workouts this week").

It prints figures; it asserts nothing (tests never assert on wall-clock time).
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
FIRST_FRAME = (b"overload", b"Username")  # the splash (header or text) or the login form


def _env(data: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERLOAD_")}
    env.update(OVERLOAD_DATA_DIR=str(data), DATABASE_URL=url, TERM="xterm-256color",
               PYTHONPATH=str(REPO), COLUMNS="80", LINES="24")
    return env


def run_once(env: dict[str, str], final: bytes, timeout: float = 30.0) -> tuple[float, float]:
    """(seconds to the first frame, seconds to ``final`` on screen)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-m", "overload_tui"], env)
    t0 = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    first = None
    try:
        while time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            now = time.perf_counter() - t0
            if first is None and any(m in seen for m in FIRST_FRAME):
                first = now
            if final in seen:
                return first or now, now
        raise RuntimeError(f"{final!r} did not appear; got {seen[-400:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir(mode=0o700)
        url = args.database or f"sqlite:///{Path(tmp) / 'overload.db'}"
        env = _env(data, url)
        subprocess.run([sys.executable, "-m", "overload_tui", "user", "add", "lifter", "--email",
                        "lifter@example.com"], input=PASSWORD + "\n", text=True, check=True,
                       capture_output=True, env=env)
        # A saved log-in, as the app keeps it after a log-in.
        code = ("from overload_tui.services import Services; s = Services.open(); "
                f"s.tokens.save(s.auth.login('lifter', {PASSWORD!r}).token); s.close()")
        tokens_dir = Path(tmp) / "with-token"
        tokens_dir.mkdir(mode=0o700)
        (tokens_dir / "secret.key").write_bytes((data / "secret.key").read_bytes())
        (tokens_dir / "secret.key").chmod(0o600)
        env_token = {**env, "OVERLOAD_DATA_DIR": str(tokens_dir)}
        subprocess.run([sys.executable, "-c", code], check=True, env=env_token)
        login, dash = [], []
        for _ in range(args.runs):  # interleaved: machine noise hits both alike
            login.append(run_once(env, b"Username"))
            dash.append(run_once(env_token, b"this week"))
    med = statistics.median
    print(f"real `overload` in an 80x24 pty, median of {args.runs} runs (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  no saved log-in : first frame {med(a for a, _ in login) * 1000:4.0f} ms, "
          f"login screen {med(b for _, b in login) * 1000:4.0f} ms")
    print(f"  saved log-in    : first frame {med(a for a, _ in dash) * 1000:4.0f} ms, "
          f"dashboard with data {med(b for _, b in dash) * 1000:4.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
