"""How a typed workout date is read (for back-filling). The dialogs themselves are
``FormDialog`` (``widgets/form_dialog.py``): the notes too, as a field of type "notes".
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from overload_tui.domain.errors import ValidationError


def parse_when(text: str, keep: datetime, now: datetime) -> datetime:
    """'2025-03-04 18:30', '2025-03-04' (keeps the time of ``keep``), 'today', 'yesterday'.

    Back-filling only: a time after ``now`` is refused.
    """
    line = re.sub(r"(?<=\d)t(?=\d)", " ", " ".join((text or "").lower().split()))  # ISO 'T' too
    if line in ("today", "yesterday"):
        d = now.date() - timedelta(days=1 if line == "yesterday" else 0)
        when = datetime.combine(d, keep.time())
    else:
        when = None
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                when = datetime.strptime(line, pattern)
            except ValueError:
                continue
            if pattern == "%Y-%m-%d":
                when = datetime.combine(when.date(), keep.time())
            break
        if when is None:
            raise ValidationError("Type a date like 2025-03-04 or 2025-03-04 18:30 (or today, yesterday).")
    if when.year < 1900:
        raise ValidationError("That date is too long ago.")
    if when > now:
        if when.date() != now.date():
            raise ValidationError("That is in the future: log a workout once it has happened.")
        when = now  # later today: make it now
    return when.replace(microsecond=0)
