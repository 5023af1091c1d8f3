"""Where the app keeps its files: $OVERLOAD_DATA_DIR, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def data_dir() -> Path:
    override = os.environ.get("OVERLOAD_DATA_DIR")
    path = Path(override).expanduser() if override else user_data_path("overload-tui", appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
