"""Issue 6: ``overload`` never shows a traceback when it cannot start. Each case runs the real
command in a pseudo-terminal and reads what is left on the terminal once it has ended: one line,
``overload: error: ...``, a non-zero exit status, no traceback and never the URL's password.
A database that is merely unreachable gets the app's retrying screen instead; quitting it (q)
leaves the same kind of line.
"""

from __future__ import annotations

import os
import socket

import pytest

from tests.lifecycle.helpers import Pty

SECRET = "Url-Secret-pw-9"


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    return d


def _one_line(term: Pty) -> str:
    lines = [line for line in term.after_app().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{term.after_app()}"
    line = lines[0]
    assert line.startswith("overload: error: "), line
    assert "Traceback" not in term.text and SECRET not in term.text
    return line


def _run(env: dict[str, str], *args: str) -> Pty:
    term = Pty(env, *args)
    try:
        assert term.wait() == 1
    finally:
        term.kill()
    return term


@pytest.mark.parametrize("url, says", [
    (f"mysql://root:{SECRET}@localhost/gym", "DATABASE_URL: unsupported database type 'mysql'"),
    ("progressive_overload.db", "DATABASE_URL is not a database URL"),
    (f"postgresql+nosuchdriver://lifter:{SECRET}@127.0.0.1/gym", "unsupported database URL"),
])
def test_bad_database_url(data, url, says):
    term = _run({"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": url})
    line = _one_line(term)
    assert says in line and "postgresql://" in line  # says what would work


def test_bad_database_url_is_refused_before_the_app_starts(data):
    term = _run({"OVERLOAD_DATA_DIR": str(data)}, "--database", f"mysql://root:{SECRET}@localhost/gym")
    assert "\x1b[?1049h" not in term.text, "no flash of the full-screen app"
    assert "--database: unsupported database type" in _one_line(term)


def test_data_directory_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    term = _run({"OVERLOAD_DATA_DIR": str(blocker / "data")})
    line = _one_line(term)
    assert f"cannot create or write {blocker / 'data'}: Not a directory" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only directory")
def test_data_directory_without_write_permission(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o500)
    term = _run({"OVERLOAD_DATA_DIR": str(data)})
    assert "Permission denied" in _one_line(term)


def test_database_file_that_cannot_be_opened(tmp_path, data):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    term = _run({"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{blocker}/gym.db"})
    assert f"cannot create or write {blocker}" in _one_line(term)


def test_secret_file_others_can_read(data):
    secret = data / "secret.key"
    secret.write_text("a-secret-that-others-can-read")
    secret.chmod(0o644)
    term = _run({"OVERLOAD_DATA_DIR": str(data)})
    line = _one_line(term)
    assert "can be read by other users" in line and f"chmod 600 {secret}" in line
    assert "a-secret-that-others-can-read" not in term.text


def test_unreachable_database_gets_the_retrying_screen_and_q_quits(data):
    port = _closed_port()
    term = Pty({"OVERLOAD_DATA_DIR": str(data),
                "DATABASE_URL": f"postgresql://lifter:{SECRET}@127.0.0.1:{port}/gym"})
    try:
        term.wait_for("r: retry now")
        term.wait_for(f"127.0.0.1:{port}")
        term.send("q")
        assert term.wait() == 1
    finally:
        term.kill()
    line = _one_line(term)
    assert f"Cannot reach the PostgreSQL database gym at 127.0.0.1:{port} (Connection refused)" in line


@pytest.mark.postgres
def test_database_that_does_not_exist_is_not_retried(data):
    """Reachable, but refused (no such database; a wrong password is the same): retrying will not
    help, so it is one line rather than the retrying screen."""
    from sqlalchemy.engine import make_url

    from tests.conftest import PG_ADMIN_DSN, _require_pg

    _require_pg()
    url = make_url(PG_ADMIN_DSN).set(database="overload_no_such_database", password=SECRET)
    term = _run({"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": url.render_as_string(hide_password=False)})
    line = _one_line(term)
    assert "cannot open the PostgreSQL database overload_no_such_database" in line
    assert "does not exist" in line
