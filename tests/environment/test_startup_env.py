"""Issue 17: broken environments at start-up, for the app and the command. Each gives one line
naming the path and what to do: never a traceback, never a hang.

* an unwritable data directory;
* ``secret.key`` being a directory;
* an unreadable token file (the saved log-in). The app waited on "opening…" forever: the saved
  log-in is read on the UI thread in a callback of the database thread (``resume_login``); the
  OSError it raised there (IsADirectoryError, PermissionError) was logged and swallowed by
  ``OverloadApp._deliver``, so no screen ever followed the splash. A FIFO blocked the read itself.
  Now ``paths.read_private_file`` refuses anything but a regular file, opens without blocking and
  turns every read failure into ``UnreadableFileError`` (an OverloadError: the login screen shows
  its line).

The real command and the real app run in a subprocess or pseudo-terminal, each with a timeout.
Tests run as root in CI, and root can read and write anything whatever its mode: the permission
cases then run the command as the unprivileged user ``nobody`` (uid 65534), and are skipped with a
reason when that is impossible.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

import pytest

from tests.environment.helpers import REPO, TIMEOUT, one_line_error
from tests.lifecycle.helpers import Pty

NOBODY = 65534


SETPRIV = shutil.which("setpriv")


def _command(*args: str, uid: int | None = None) -> list[str]:
    """``overload ARGS``, run as ``nobody`` (through util-linux's setpriv) when ``uid`` is given."""
    command = [sys.executable, "-m", "overload_tui", *args]
    if uid is None:
        return command
    return [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command]


def _can_drop_to_nobody() -> bool:
    if os.geteuid() != 0 or SETPRIV is None:
        return False
    probe = subprocess.run(
        [*_command(uid=NOBODY)[:-2], "-c", "import overload_tui.paths, sqlalchemy, textual"],
        cwd=REPO, capture_output=True, timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return probe.returncode == 0


class UserPty(Pty):
    """``Pty``, 160 columns wide (a path stays on one line), run as ``uid`` if given."""

    def __init__(self, env: dict[str, str], *args: str, uid: int | None = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERLOAD_", "DATABASE_URL"))}
        full_env.update(env)
        full_env.setdefault("TERM", "xterm-256color")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            try:
                os.chdir(REPO)
                command = _command(*args, uid=uid)
                os.execve(command[0], command, full_env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        self.raw = b""
        self.status = None


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERLOAD_", "DATABASE_URL"))}
    env.update({"OVERLOAD_DATA_DIR": str(data), "PYTHONPATH": str(REPO)})
    return env


def _cli(env: dict[str, str], *args: str, uid: int | None = None):
    return subprocess.run(
        _command(*args, uid=uid), text=True, capture_output=True, env=env, timeout=TIMEOUT, cwd=REPO,
        stdin=subprocess.DEVNULL,
    )


def _app_line(term: UserPty) -> str:
    try:
        assert term.wait() == 1
    finally:
        term.kill()
    lines = [line for line in term.after_app().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{term.after_app()}"
    assert lines[0].startswith("overload: error: ") and "Traceback" not in term.text
    return lines[0]


# -- secret.key is a directory ------------------------------------------------------------------
@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    return d


def _secret_dir(data: Path) -> Path:
    key = data / "secret.key"
    key.mkdir(mode=0o700)
    return key


def test_secret_key_a_directory_cli(data):
    key = _secret_dir(data)
    line = one_line_error(_cli(_env(data), "user", "list"))
    assert f"{key} is a directory, not a file" in line
    assert f"mv {key} {key}.broken" in line and "OVERLOAD_SECRET_KEY" in line
    assert key.is_dir()  # nothing removed for the lifter


def test_secret_key_a_directory_app(data):
    key = _secret_dir(data)
    line = _app_line(UserPty({"OVERLOAD_DATA_DIR": str(data)}))
    assert f"{key} is a directory, not a file" in line and f"mv {key}" in line


# -- the saved log-in cannot be read ------------------------------------------------------------
def _token_path(data: Path) -> Path:
    """Where the app keeps the saved log-in of the default database (made by opening it once)."""
    from overload_tui.services import Services

    services = Services.open(None, data_dir=data, bcrypt_rounds=4)
    try:
        return services.tokens.path
    finally:
        services.close()


def _login_says(data: Path, *needles: str, uid: int | None = None) -> None:
    """The app leaves the splash screen for the login screen, which says ``needles`` (pieces of one
    line, which the login box wraps); ctrl+q quits."""
    term = UserPty({"OVERLOAD_DATA_DIR": str(data)}, uid=uid)
    try:
        term.wait_for("Password")
        for needle in needles:
            term.wait_for(needle)
        term.send("\x11")  # ctrl+q
        assert term.wait() == 0
    finally:
        term.kill()
    assert "Traceback" not in term.text


@pytest.mark.parametrize("make", ["directory", "fifo"])
def test_token_file_that_is_not_a_file_app(data, make, monkeypatch):
    monkeypatch.setenv("OVERLOAD_DATA_DIR", str(data))
    token = _token_path(data)
    if make == "directory":
        token.mkdir(mode=0o700)
        kind = "is a directory, not a file"
    else:
        os.mkfifo(token, 0o600)
        kind = "is a named pipe (FIFO), not a file"
    _login_says(data, token.name, "directory" if make == "directory" else "FIFO", "again")
    from overload_tui.paths import UnreadableFileError
    from overload_tui.services.auth import TokenStore

    with pytest.raises(UnreadableFileError) as caught:  # the whole line the login screen shows
        TokenStore(token).load()
    assert str(caught.value) == f"{token} {kind}; remove it (rm -r {token}) and log in again"
    assert caught.value.problem == "not_a_file"
    assert token.exists()  # left for the lifter to look at


@pytest.fixture
def nobody_data():
    """A data directory owned by ``nobody`` (0700), in a directory ``nobody`` can reach."""
    if not _can_drop_to_nobody():
        pytest.skip("needs root and setpriv to run the command as the unprivileged user nobody "
                    "(root itself can read and write whatever the permissions say)")
    base = Path(tempfile.mkdtemp(prefix="overload-env-"))
    base.chmod(0o755)
    data = base / "data"
    data.mkdir(mode=0o700)
    os.chown(data, NOBODY, NOBODY)
    try:
        yield data
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_token_file_without_read_permission_app(nobody_data):
    done = _cli(_env(nobody_data), "db", "upgrade", uid=NOBODY)  # the database and key, as nobody
    assert done.returncode == 0, done.stderr
    from types import SimpleNamespace

    from sqlalchemy.engine import make_url

    from overload_tui.services.auth import TokenStore

    # Where nobody's app looks for its saved log-in (root may not open nobody's database).
    db = SimpleNamespace(url=make_url(f"sqlite:///{nobody_data / 'overload.db'}"))
    path = TokenStore.for_database(db, nobody_data).path
    path.write_text("not-a-real-token")
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o000)
    _login_says(nobody_data, path.name, "Permission", "again", uid=NOBODY)


# -- an unwritable data directory ---------------------------------------------------------------
def test_unwritable_data_directory_cli_and_app(nobody_data):
    nobody_data.chmod(0o500)
    done = _cli(_env(nobody_data), "user", "list", uid=NOBODY)
    line = one_line_error(done)
    assert f"cannot create or write in {nobody_data}: Permission denied" in line
    assert f"chmod u+w {nobody_data}" in line and "OVERLOAD_DATA_DIR" in line
    line = _app_line(UserPty({"OVERLOAD_DATA_DIR": str(nobody_data)}, uid=NOBODY))
    assert f"cannot create or write in {nobody_data}: Permission denied" in line
    assert f"chmod u+w {nobody_data}" in line


def test_data_directory_made_read_only_after_the_database_cli_and_app(nobody_data):
    """The database and key exist, then the directory becomes read-only: SQLite cannot make its
    -wal and -shm files (SQLITE_READONLY). Was "busy or cannot be opened" and, in the app, the
    retrying screen, which retrying never leaves."""
    env = _env(nobody_data)
    done = _cli(env, "user", "list", uid=NOBODY)
    assert done.returncode == 0, done.stderr
    nobody_data.chmod(0o500)
    database = nobody_data / "overload.db"
    line = one_line_error(_cli(env, "user", "list", uid=NOBODY))
    assert f"cannot write the database file {database} or its directory {nobody_data}" in line
    assert f"chmod u+w {nobody_data} {database}" in line
    line = _app_line(UserPty({"OVERLOAD_DATA_DIR": str(nobody_data)}, uid=NOBODY))
    assert f"cannot write the database file {database}" in line
