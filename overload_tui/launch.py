"""Opening the database for the app, and asking whether it is still there; no Textual here.

Every start-up failure becomes one line: ``DatabaseUnavailableError`` when the database cannot be
reached (the app shows a retrying screen), ``StartupError`` for anything retrying cannot fix
(a bad URL, a wrong password, a data directory that cannot be written, a secret file others can
read): the command prints it and exits non-zero.

Importing this module is cheap: SQLAlchemy and the services are imported inside the functions,
on the database thread, after the app has drawn its first frame.
"""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from overload_tui.domain.errors import DatabaseUnavailableError, OverloadError

if TYPE_CHECKING:
    from pathlib import Path

    from overload_tui.services import Services

# The garbage collector's thresholds while the app runs (default 700, 10, 10): with 100-200k
# objects alive, full collections at the default rate paused the UI for 100-400 ms (issue 7).
# Young garbage is collected as each screen closes (OverloadApp._collect_left_screen); a full
# collection comes after a thousand younger ones (still 150-250 ms), not every twenty.
GC_THRESHOLD = (10_000, 20, 1000)
SCHEMES = ("sqlite", "postgresql", "postgres")
URL_HELP = "use postgresql://user:password@host:5432/name or sqlite:///path/to/file.db"
# Driver messages that mean "connected, but refused": waiting will not fix them.
_FATAL_WORDS = (
    "password authentication failed", "no password supplied", "authentication failed",
    "does not exist", "pg_hba.conf", "permission denied", "unable to open database file",
    "file is not a database", "ssl", "invalid",
)


class StartupError(OverloadError):
    """A start-up failure that retrying will not fix; the message is one line for the user.
    ``cause``: the typed error it stands for when there is one (e.g. ``paths.UnsafePathError``
    with its path and problem), for code that needs more than the line."""

    def __init__(self, message: str = "", *, cause: OverloadError | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def raw_url(database_url: str | None) -> tuple[str | None, str]:
    if database_url:
        return database_url, "--database"
    return os.environ.get("DATABASE_URL") or None, "DATABASE_URL"


def check_database_url(database_url: str | None) -> str | None:
    """What is wrong with the database URL, judged without SQLAlchemy (so before the app starts),
    or None. Never repeats the URL: it may hold a password."""
    raw, source = raw_url(database_url)
    if raw is None:
        return None  # the default: an SQLite file in the data directory
    scheme, sep, _ = raw.strip().partition("://")
    if not sep or not scheme:
        return f"{source} is not a database URL; {URL_HELP}"
    if scheme.split("+", 1)[0].lower() not in SCHEMES:
        return f"{source}: unsupported database type {scheme!r}; {URL_HELP}"
    return None


def _scrub(text: str, database_url: str | None) -> str:
    """``text`` without the URL's password, on one line."""
    raw, _ = raw_url(database_url)
    try:
        password = urlsplit(raw).password if raw else None
    except ValueError:
        password = None
    line = " ".join(str(text).split())
    return line.replace(password, "***") if password else line


class _Place:
    """What ``services.base`` needs to say where a database is (an engine is not needed)."""

    def __init__(self, url) -> None:
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"


def open_services(database_url: str | None = None, *, data_dir: Path | None = None,
                  upgrade: bool = True) -> Services:
    """``Services.open`` for the app and the commands: migrated, seeded, or one of the two
    errors above."""
    try:
        from overload_tui.services import Services

        return Services.open(database_url, data_dir=data_dir, upgrade=upgrade)
    except DatabaseUnavailableError as error:
        readonly = _readonly_sqlite(error.__cause__, database_url)
        if readonly is not None:  # retrying will not make the file writable
            raise readonly from None
        raise
    except OverloadError as error:  # e.g. a secret file others can read, a data dir others can write
        raise StartupError(_scrub(str(error), database_url), cause=error) from None
    except OSError as error:  # the data directory, the secret file, an SQLite file's directory
        raise StartupError(os_error_line(error, data_dir)) from None
    except ImportError as error:
        raise StartupError(f"the database driver is not installed ({error.name or error})") from None
    except Exception as error:  # noqa: BLE001 - every failure must become one line
        raise _classify(error, database_url) from None


_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def os_error_line(error: OSError, data_dir: Path | None = None) -> str:
    """One line for an OSError met while making or writing the data directory, its secret key or
    an SQLite file: the path, why, and what to do. A file we were creating (the key's temporary
    file, a new database) is named by its directory, which is what must change."""
    from pathlib import Path

    filename = Path(error.filename) if error.filename else None
    if error.errno in _DENIED and filename is not None:
        place = filename if filename.is_dir() else filename.parent
        if error.errno == errno.EROFS:
            fix = "it is on a read-only file system"
        else:
            fix = f"make it writable for you (chmod u+w {place})"
        return (f"cannot create or write in {place}: {error.strerror or error}; {fix},"
                " or set OVERLOAD_DATA_DIR to a directory you can write")
    what = f" {filename}" if filename else f" {data_dir}" if data_dir else " the data directory"
    line = f"cannot create or write{what}: {error.strerror or error}"
    if error.errno == errno.EISDIR and filename is not None:
        line += f"; move the directory {filename} out of the way (mv {filename} {filename}.broken)"
    elif error.errno == errno.ENOTDIR:
        line += "; set OVERLOAD_DATA_DIR (or the database URL) to a path whose parents are directories"
    elif error.errno == errno.ENOSPC:
        line += "; the disk is full: free some space"
    return line


_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14  # sqlite3's result codes


def _readonly_sqlite(error: BaseException | None, database_url: str | None) -> StartupError | None:
    """An SQLite file (or its directory, where SQLite makes its -wal and -shm files) this user
    cannot write: SQLITE_READONLY or SQLITE_CANTOPEN, from the driver's code. One line with the
    paths and what to do; None for anything else."""
    from pathlib import Path

    from sqlalchemy import exc

    orig = getattr(error, "orig", None) if isinstance(error, exc.DBAPIError) else None
    code = getattr(orig, "sqlite_errorcode", None)
    if not isinstance(code, int) or code & 0xFF not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
        return None
    from overload_tui.db.engine import resolve_url

    try:
        name = resolve_url(database_url).database
    except Exception:  # noqa: BLE001 - then say it without the path
        name = None
    if not name:
        return None
    file = Path(name)
    return StartupError(
        f"cannot write the database file {file} or its directory {file.parent} ({orig}); make them"
        f" writable for you (chmod u+w {file.parent} {file}), or set OVERLOAD_DATA_DIR to a"
        " directory you can write"
    )


def _classify(error: Exception, database_url: str | None) -> OverloadError:
    from sqlalchemy import exc

    from overload_tui.db.engine import resolve_url
    from overload_tui.services.base import _reason, _where

    if isinstance(error, exc.NoSuchModuleError):
        return StartupError(f"unsupported database URL ({_scrub(str(error), database_url)}); {URL_HELP}")
    if isinstance(error, exc.ArgumentError):
        _, source = raw_url(database_url)
        return StartupError(f"{source} could not be understood as a database URL; {URL_HELP}")
    if isinstance(error, exc.DBAPIError):
        readonly = _readonly_sqlite(error, database_url)
        if readonly is not None:
            return readonly
        place = _Place(resolve_url(database_url))
        where, reason = _where(place), _scrub(_reason(error, place), database_url)
        because = f" ({reason})" if reason else ""
        if any(word in reason.lower() for word in _FATAL_WORDS):
            return StartupError(f"cannot open {where}: {reason or type(error.orig).__name__}")
        if place.is_sqlite:
            return DatabaseUnavailableError(f"{where[0].upper()}{where[1:]} is busy or cannot be opened{because}.")
        return DatabaseUnavailableError(f"Cannot reach {where}{because}.")
    return StartupError(f"could not open the database: {type(error).__name__}: {_scrub(str(error), database_url)}"[:300])


# -- is it still there? ----------------------------------------------------------------------------
_health_class: type | None = None


def ping(services: Services) -> None:
    """Open a connection (PostgreSQL: and check it answers); DatabaseUnavailableError if not.
    Retried once like any service call; safe on any thread."""
    global _health_class
    if _health_class is None:
        from overload_tui.services.base import ServiceBase

        class Health(ServiceBase):
            def ping(self) -> None:
                with self._tx():
                    pass

        _health_class = Health
    _health_class(services.db).ping()


def offline_reason(error: BaseException) -> str:
    """One line for the status banner: the error without "Nothing was saved..."."""
    if isinstance(error, OverloadError):
        from overload_tui.services.base import NOT_SAVED

        text = str(error).replace(NOT_SAVED, "").strip()
        return text or "The database is not answering."
    return f"The database is not answering ({type(error).__name__})."
