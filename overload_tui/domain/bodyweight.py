"""Body weight: what a weight typed for the body-weight log may be, and the body weight that
applies to a set's day (the latest entry on or before it, else the earliest after it; none
without any entry: a load is never invented)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from datetime import date, datetime

from overload_tui.domain.errors import ValidationError

MAX_BODY_WEIGHT = 500.0  # kg


def validate_body_weight(value: object) -> float:
    """A body weight in kg, more than 0 and at most 500, to the gram. ValidationError (field
    "weight") otherwise; "82,5" reads as 82.5."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if not value:
            raise ValidationError("Enter your body weight in kg.", field="weight")
    if isinstance(value, bool):
        raise ValidationError("Body weight must be a number of kg.", field="weight")
    try:
        kg = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"Body weight must be a number of kg, not {str(value)[:20]!r}.", field="weight") from None
    if not math.isfinite(kg) or kg <= 0:
        raise ValidationError("Body weight must be more than 0 kg.", field="weight")
    if kg > MAX_BODY_WEIGHT:
        raise ValidationError(f"Body weight must be at most {MAX_BODY_WEIGHT:g} kg.", field="weight")
    return round(kg, 3)


class BodyWeightLog:
    """A user's dated body weights, for looking up the one that applies to a day."""

    __slots__ = ("_days", "_weights")

    def __init__(self, entries: Iterable[tuple[date, float]] = ()) -> None:
        pairs = sorted((_day(d), float(w)) for d, w in entries)
        self._days = [d for d, _ in pairs]
        self._weights = [w for _, w in pairs]

    def __bool__(self) -> bool:
        return bool(self._days)

    def on(self, day: date | datetime) -> float | None:
        """The latest weight on or before ``day``, else the earliest after it; None when empty."""
        if not self._days:
            return None
        i = bisect.bisect_right(self._days, _day(day))
        return self._weights[i - 1] if i else self._weights[0]


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
