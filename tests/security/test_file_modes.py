"""Issue 17, the side door: the SQLite database is made 0600 in a 0700 directory, and a data
directory or database file that another user owns, or that group or others can write, is
refused with a one-line reason (``paths.UnsafePathError``: path, problem, owner, mode), by the
services, by the command and by the app's start-up.

Tests and CI run as root: ownership is faked with chown (skipped when not root); pytest's
temporary directories are 0700.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from overload_tui import launch, paths
from overload_tui.paths import UnsafePathError
from overload_tui.services import Services
from tests.lifecycle.helpers import Pty

OTHER_UID = 4242


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The loosest umask, so only the code's own modes keep files private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("OVERLOAD_SECRET_KEY", raising=False)
    return tmp_path


def _use(path: Path, monkeypatch) -> None:
    monkeypatch.setenv("OVERLOAD_DATA_DIR", str(path))


def _chown_or_skip(path: Path, uid: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("faking another user's file needs root")
    os.chown(path, uid, -1)


# -- made private --------------------------------------------------------------------------------
def test_the_default_database_is_0600_in_a_0700_directory(env, monkeypatch, open_umask):
    data = env / "home" / "share" / "overload"
    _use(data, monkeypatch)
    services = Services.open(None, bcrypt_rounds=4)
    try:
        services.auth.register("alice", "alice@example.com", "correct horse")
    finally:
        services.close()
    assert _mode(data) == 0o700
    db = data / "overload.db"
    assert _mode(db) == 0o600
    for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):  # SQLite gives them the file's mode
        if extra.exists():
            assert _mode(extra) == 0o600, extra
    assert _mode(data / "secret.key") == 0o600


def test_a_named_sqlite_file_and_its_new_directory_are_private(env, monkeypatch, open_umask):
    _use(env / "data", monkeypatch)
    db = env / "elsewhere" / "gym.db"
    services = Services.open(f"sqlite:///{db}", bcrypt_rounds=4)
    services.close()
    assert _mode(db.parent) == 0o700 and _mode(db) == 0o600


def test_an_old_readable_database_of_ours_is_narrowed_to_0600(env, monkeypatch):
    _use(env / "data", monkeypatch)
    db = env / "old.db"
    Services.open(f"sqlite:///{db}", bcrypt_rounds=4).close()
    os.chmod(db, 0o644)  # as versions before issue 17 left it
    Services.open(f"sqlite:///{db}", bcrypt_rounds=4).close()
    assert _mode(db) == 0o600


# -- refused -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702, 0o720, 0o1777], ids=oct)
def test_a_data_directory_others_can_write_is_refused(env, monkeypatch, mode, database_url):
    data = env / "data"
    data.mkdir()
    os.chmod(data, mode)
    _use(data, monkeypatch)
    with pytest.raises(UnsafePathError) as info:
        Services.open(database_url, bcrypt_rounds=4)
    error = info.value
    assert (error.path, error.problem, error.mode) == (data, "writable", mode)
    assert "\n" not in str(error) and str(data) in str(error)
    assert not (data / "secret.key").exists()  # nothing written into it
    with pytest.raises(launch.StartupError) as started:  # what the command and the app show
        launch.open_services(database_url)
    assert isinstance(started.value.cause, UnsafePathError) and started.value.cause.problem == "writable"
    assert "\n" not in str(started.value)


def test_a_data_directory_of_another_user_is_refused(env, monkeypatch, database_url):
    data = env / "data"
    data.mkdir(mode=0o700)
    _chown_or_skip(data, OTHER_UID)
    _use(data, monkeypatch)
    with pytest.raises(UnsafePathError) as info:
        Services.open(database_url, bcrypt_rounds=4)
    assert (info.value.problem, info.value.owner_uid) == ("owner", OTHER_UID)
    with pytest.raises(launch.StartupError) as started:
        launch.open_services(database_url)
    assert started.value.cause.problem == "owner" and "\n" not in str(started.value)


@pytest.mark.parametrize("mode", [0o660, 0o666, 0o602, 0o620], ids=oct)
def test_a_database_file_others_can_write_is_refused(env, monkeypatch, mode):
    _use(env / "data", monkeypatch)
    db = env / "gym.db"
    Services.open(f"sqlite:///{db}", bcrypt_rounds=4).close()
    os.chmod(db, mode)
    with pytest.raises(UnsafePathError) as info:
        Services.open(f"sqlite:///{db}", bcrypt_rounds=4)
    assert (info.value.path, info.value.problem, info.value.mode) == (db, "writable", mode)
    assert _mode(db) == mode  # refused, not silently changed


def test_a_database_file_of_another_user_is_refused(env, monkeypatch):
    _use(env / "data", monkeypatch)
    db = env / "gym.db"
    Services.open(f"sqlite:///{db}", bcrypt_rounds=4).close()
    _chown_or_skip(db, OTHER_UID)
    with pytest.raises(UnsafePathError) as info:
        Services.open(f"sqlite:///{db}", bcrypt_rounds=4)
    assert (info.value.problem, info.value.owner_uid) == ("owner", OTHER_UID)
    with pytest.raises(launch.StartupError) as started:
        launch.open_services(f"sqlite:///{db}")
    assert started.value.cause.path == db


@pytest.mark.parametrize("mode", [0o1777, 0o777, 0o770], ids=oct)
def test_a_database_in_a_folder_others_can_write_is_refused(env, monkeypatch, mode):
    _use(env / "data", monkeypatch)
    folder = env / "shared"
    folder.mkdir()
    os.chmod(folder, mode)  # /tmp is 1777: others cannot rename our file, but can plant its -wal
    db = folder / "gym.db"
    with pytest.raises(UnsafePathError) as info:
        Services.open(f"sqlite:///{db}", bcrypt_rounds=4)
    assert (info.value.path, info.value.problem, info.value.mode) == (db, "folder", mode)
    assert not db.exists() and "\n" not in str(info.value)
    with pytest.raises(launch.StartupError) as started:
        launch.open_services(f"sqlite:///{db}")
    assert "folder other users can write" in str(started.value)


def test_paths_data_dir_refuses_too(env, monkeypatch):
    data = env / "data"
    data.mkdir(mode=0o700)
    os.chmod(data, 0o757)
    _use(data, monkeypatch)
    with pytest.raises(UnsafePathError):
        paths.data_dir()
    assert isinstance(UnsafePathError(data, "writable", owner_uid=0, mode=0o757), OSError)


# -- the command and the app: one line ------------------------------------------------------------
def _one_line(term: Pty) -> str:
    lines = [line for line in term.after_app().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{term.after_app()}"
    assert lines[0].startswith("overload: error: ") and "Traceback" not in term.text
    return lines[0]


@pytest.mark.parametrize("args", [(), ("user", "list")], ids=["app", "command"])
def test_the_command_and_the_app_say_it_in_one_line(tmp_path, args):
    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, 0o777)
    term = Pty({"OVERLOAD_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, *args)
    try:
        assert term.wait() == 1
    finally:
        term.kill()
    line = _one_line(term)
    assert "can be written by other users" in line and str(data) in line
