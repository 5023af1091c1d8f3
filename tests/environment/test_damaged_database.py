"""Issue 17: a damaged database file is one line (at start-up, in every command) and an import
into it exits non-zero having written nothing. It was "Unexpected error: DatabaseError", and an
import into a file damaged where the import did not look exited 0.

SQLite: real damage (garbage bytes over the file, or over one table's page). PostgreSQL reports
damage with SQLSTATE XX001/XX002, which cannot be caused from a test: the mapping is tested."""

from __future__ import annotations

import os
import sqlite3

import pytest

from overload_tui.db import migrate
from tests.environment.helpers import DATA, add_alice, env_for, one_line_error, overload

PAGE = 4096


@pytest.fixture
def gym(tmp_path):
    """An SQLite database with alice and one imported export; (env, path)."""
    path = tmp_path / "gym.db"
    env = env_for(tmp_path, f"sqlite:///{path}")
    add_alice(env)
    done = overload(env, "import", str(DATA / "strong_sample.csv"), "--admin", "--user", "alice")
    assert done.returncode == 0, done.stderr
    return env, path


def _garble(path, offset: int, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(os.urandom(size))


def _root_page(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()


def _sets(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    finally:
        conn.close()


def test_garbage_over_the_whole_file_is_one_line_in_every_command(gym):
    env, path = gym
    _garble(path, 0, path.stat().st_size)
    for args in (("user", "list"), ("import", str(DATA / "fitnotes_sample.csv"), "--admin", "--user", "alice")):
        line = one_line_error(overload(env, *args))
        assert f"The database file {path} is damaged (file is not a database)" in line, line


def test_a_damaged_table_stops_an_import_before_it_writes(gym):
    """The body-weight table's page is garbage: the import does not read it, and it used to
    write the workouts into the damaged file and exit 0."""
    env, path = gym
    before = _sets(path)
    _garble(path, (_root_page(path, "body_weights") - 1) * PAGE, PAGE)
    done = overload(env, "import", str(DATA / "fitnotes_sample.csv"), "--admin", "--user", "alice")
    line = one_line_error(done)
    assert f"The database file {path} is damaged" in line and "nothing was changed" in line
    assert _sets(path) == before


def test_damage_at_start_up_is_one_line_not_the_retrying_screen(gym):
    from tests.lifecycle.helpers import Pty

    env, path = gym
    _garble(path, PAGE, path.stat().st_size - PAGE)  # the header page is left: it opens, then fails
    term = Pty({k: env[k] for k in ("OVERLOAD_DATA_DIR", "DATABASE_URL", "PYTHONPATH")})
    try:
        assert term.wait() == 1
    finally:
        term.kill()
    lines = [line for line in term.after_app().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"overload: error: The database file {path} is damaged"), lines
    assert "Traceback" not in term.text


class _PgError(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__("ERROR: invalid page in block 7")
        self.pgcode = pgcode


class _Wrapped(Exception):
    def __init__(self, orig: BaseException) -> None:
        super().__init__(str(orig))
        self.orig = orig


@pytest.mark.parametrize("code, reason", [("XX001", "data corrupted"), ("XX002", "index corrupted")])
def test_postgresql_damage_is_recognised(code, reason):
    assert migrate.damage_reason(_Wrapped(_PgError(code))) == reason
    assert migrate.damage_reason(_Wrapped(_PgError("40001"))) is None  # a serialization failure is not damage


def test_damage_met_mid_session_is_one_line_not_an_unexpected_error(gym):
    """The app's services meet a damaged table after start-up: DamagedDatabaseError (an
    OverloadError, shown as its one line), not a driver's DatabaseError."""
    from pathlib import Path

    from overload_tui.services import Services

    env, path = gym
    services = Services.open(f"sqlite:///{path}", data_dir=Path(env["OVERLOAD_DATA_DIR"]), bcrypt_rounds=4)
    try:
        page = _root_page(path, "sets")
        _garble(path, (page - 1) * PAGE, PAGE)
        user = services.auth.list_users()[0]
        with pytest.raises(migrate.DamagedDatabaseError) as caught:
            services.workouts(user.id).list_sessions()
        assert f"The database file {path} is damaged" in str(caught.value)
    finally:
        services.db.dispose()
