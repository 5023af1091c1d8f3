"""Running the real ``overload`` command for the environment tests: a fresh data directory, a
database URL, and a timeout on every run (a command that hangs fails the test, never the run)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "transfer" / "data"
PASSWORD = "correct horse battery"
TIMEOUT = 60


def env_for(tmp_path: Path, url: str) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir(mode=0o700, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERLOAD_", "DATABASE_URL"))}
    env.update({"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": url, "PYTHONPATH": str(REPO)})
    return env


def overload(env: dict[str, str], *args: str, stdin: str = "", timeout: float = TIMEOUT,
             memory_limit: int | None = None):
    """``overload ARGS``: the CompletedProcess (subprocess.TimeoutExpired if it hangs).
    ``memory_limit``: the most address space the command may take, in bytes (a run-away read
    then fails in the command instead of filling this machine's memory)."""

    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run(
        [sys.executable, "-m", "overload_tui", *args],
        input=stdin, text=True, capture_output=True, env=env, timeout=timeout, cwd=REPO,
        preexec_fn=limit,
    )


def add_alice(env: dict[str, str]) -> None:
    done = overload(env, "user", "add", "alice", "--email", "alice@example.com", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr


def one_line_error(done) -> str:
    """The command failed with exactly one line on stderr, ``overload: error: ...``."""
    assert done.returncode != 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("overload: admin:")]
    assert len(lines) == 1 and lines[0].startswith("overload: error: "), done.stderr
    return lines[0]
