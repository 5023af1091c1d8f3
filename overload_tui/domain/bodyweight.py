"""Body weight: what a weight typed for the body-weight log may be, and the body weight that
applies to a set's day (the latest entry on or before it, else the earliest after it; none
without any entry: a load is never invented)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from datetime import date, datetime

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import KG_DECIMALS, LB, LB_DECIMALS, WeightUnit, label, to_kg, weight_unit

MAX_BODY_WEIGHT = 500.0  # kg


def validate_body_weight(value: object, unit: WeightUnit | str = WeightUnit.KG) -> float:
    """The kilograms of a body weight typed in ``unit``: more than 0 and at most 500 kg (1102.31
    lb); kilograms to the gram, pounds to 2 decimals and stored as their exact kg (``to_kg``: read
    back with ``from_kg``, 180.4 lb stays 180.4). ValidationError (field "weight") otherwise;
    "82,5" reads as 82.5."""
    unit = weight_unit(unit)
    name = label(unit)
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if not value:
            raise ValidationError(f"Enter your body weight in {name}.", field="weight")
    if isinstance(value, bool):
        raise ValidationError(f"Body weight must be a number of {name}.", field="weight")
    try:
        amount = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            f"Body weight must be a number of {name}, not {str(value)[:20]!r}.", field="weight") from None
    if not math.isfinite(amount) or amount <= 0:
        raise ValidationError(f"Body weight must be more than 0 {name}.", field="weight")
    limit = MAX_BODY_WEIGHT if unit is WeightUnit.KG else math.floor(MAX_BODY_WEIGHT / LB * 100) / 100
    if amount > limit:
        raise ValidationError(f"Body weight must be at most {limit:g} {name}.", field="weight")
    if unit is WeightUnit.KG:
        return round(amount, KG_DECIMALS)
    return to_kg(round(amount, LB_DECIMALS), unit)


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
