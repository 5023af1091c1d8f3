"""The one place the app asks what time it is, so tests (and snapshots) can fix it."""

from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    """Local wall-clock time to the second: what a lifter reads on the gym clock."""
    return datetime.now().replace(microsecond=0)
