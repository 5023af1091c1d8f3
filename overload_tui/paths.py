"""Where the app keeps its files: $OVERLOAD_DATA_DIR, else the platform's user data directory."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from platformdirs import user_data_path

from overload_tui.domain.errors import OverloadError


class InsecureFileError(OverloadError):
    """A secret or token file that others can read."""


class UnsafePathError(InsecureFileError, PermissionError):
    """A data directory or database file this user must not trust: owned by another user, or
    writable by group or others (they could swap the database, or plant a secret key).

    ``path``: what was refused; ``problem``: "owner", "writable", or "folder" (a database in a
    folder group or others can write, such as /tmp: ``mode`` is the folder's); ``owner_uid`` and
    ``mode`` (the permission bits) as found. Also a PermissionError, so code that already turns OSErrors
    about the data directory into one line (or ignores them) keeps doing so.
    """

    def __init__(self, path: Path, problem: str, *, owner_uid: int, mode: int) -> None:
        self.path, self.problem, self.owner_uid, self.mode = Path(path), problem, owner_uid, mode
        if problem == "owner":
            message = f"{path} belongs to another user (uid {owner_uid}); refusing to use it."
        elif problem == "folder":
            message = (f"{path} is in a folder other users can write (mode {mode:04o}): they could"
                       f" replace it. Put the database in a folder only you can write, such as"
                       f" your data directory.")
        else:
            message = (f"{path} can be written by other users (mode {mode:04o}); refusing to use it."
                       f" Run: chmod go-w {path}")
        super().__init__(" ".join(message.split()))


class UnreadableFileError(OverloadError):
    """A secret or token file that cannot be read: ``problem`` is "not_a_file" (a directory, a
    FIFO, a device: reading one could hang or fail) or "unreadable" (no permission, an I/O
    error, not text). ``path``: the file. The message is one line: the path, what is wrong, and
    what to do (``fix``, from the caller who knows what the file is for)."""

    def __init__(self, path: Path, problem: str, what: str, fix: str) -> None:
        self.path, self.problem = Path(path), problem
        super().__init__(" ".join(f"{path} {what}; {fix}".split()))


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
PRIVATE_FILE_MAX = 64 * 1024  # a key or a token is a few hundred bytes


def _not_a_file(path: Path, mode: int, fix: str) -> UnreadableFileError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return UnreadableFileError(path, "not_a_file", f"is {kind}, not a file", fix)


def check_trusted(path: Path) -> os.stat_result:
    """``path``'s stat, or UnsafePathError if another user owns it or group or others can write
    it. (Root is no exception: it refuses a lifter's files too.)"""
    st = path.stat()
    if st.st_uid != os.geteuid():
        raise UnsafePathError(path, "owner", owner_uid=st.st_uid, mode=stat.S_IMODE(st.st_mode))
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafePathError(path, "writable", owner_uid=st.st_uid, mode=stat.S_IMODE(st.st_mode))
    return st


def private_dir(path: Path) -> Path:
    """``path`` made if missing (0700; its missing parents get the usual modes), then checked
    with ``check_trusted``."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    check_trusted(path)
    return path


def data_dir() -> Path:
    """The data directory: created 0700; refused (UnsafePathError) if another user owns it or
    group or others can write it."""
    override = os.environ.get("OVERLOAD_DATA_DIR")
    path = Path(override).expanduser() if override else user_data_path("overload-tui", appauthor=False)
    return private_dir(path)


def private_database_file(path: Path) -> None:
    """Get an SQLite file ready to open: its directory made 0700 if missing, the file itself made
    empty and 0600 if missing (SQLite gives its -wal and -shm files the same mode), and an
    existing one refused if another user owns it or others can write it. A database in a folder
    group or others can write (/tmp) is refused too. A file of ours that
    group or others can read (older versions made it 0644) is narrowed to 0600, with its -wal
    and -shm files."""
    path = path.expanduser()
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = path.parent.stat()
    if folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH):  # even sticky: others could plant its -wal
        raise UnsafePathError(path, "folder", owner_uid=folder.st_uid, mode=stat.S_IMODE(folder.st_mode))
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except FileExistsError:
        pass
    st = check_trusted(path)
    if stat.S_ISREG(st.st_mode) and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                if name.stat().st_uid == os.geteuid():
                    os.chmod(name, 0o600)
            except FileNotFoundError:
                pass


def write_private_file(path: Path, data: str) -> None:
    """Write a file only its owner can read (0600), replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_private_file(path: Path, fix: str | None = None) -> str | None:
    """The file's text, or None if absent. Refuses a file that group or others can read
    (InsecureFileError), and one that is not a regular file or cannot be read
    (UnreadableFileError, whose message ends with ``fix``): never blocks on a FIFO, never reads
    more than PRIVATE_FILE_MAX bytes."""
    fix = fix or f"move it out of the way (mv {path} {path}.broken) or fix it"
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:  # a parent directory we may not search, a loop of links...
        raise UnreadableFileError(path, "unreadable", f"cannot be read ({error.strerror or error})", fix) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_a_file(path, st.st_mode, fix)
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureFileError(
            f"{path} can be read by other users; refusing to use it. Run: chmod 600 {path}"
        )
    try:
        # O_NONBLOCK: swapped for a FIFO since the stat, the open still returns at once.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnreadableFileError(path, "unreadable", f"cannot be read ({error.strerror or error})", fix) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_file(path, mode, fix)
        data = os.read(fd, PRIVATE_FILE_MAX + 1)
    except OSError as error:
        raise UnreadableFileError(path, "unreadable", f"cannot be read ({error.strerror or error})", fix) from None
    finally:
        os.close(fd)
    if len(data) > PRIVATE_FILE_MAX:
        raise UnreadableFileError(path, "unreadable", f"is larger than {PRIVATE_FILE_MAX} bytes", fix)
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise UnreadableFileError(path, "unreadable", "is not text", fix) from None
