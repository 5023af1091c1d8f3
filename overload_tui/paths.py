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


def data_dir() -> Path:
    override = os.environ.get("OVERLOAD_DATA_DIR")
    path = Path(override).expanduser() if override else user_data_path("overload-tui", appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


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


def read_private_file(path: Path) -> str | None:
    """The file's text, or None if absent. Refuses a file that group or others can read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureFileError(
            f"{path} can be read by other users; refusing to use it. Run: chmod 600 {path}"
        )
    return path.read_text().strip()
