"""Training volume: sum of weight x reps, with kilograms and machine stacks kept apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from overload_tui.domain.enums import Category, Unit
from overload_tui.domain.validation import parse_category, validate_set


@dataclass(frozen=True, slots=True)
class VolumeSummary:
    sets: int           # every set, in any unit
    tonnage_kg: float   # weight x reps of the kg sets only (stacks have no kg meaning)


def _fields(item: Any) -> tuple[object, object, object, bool]:
    """(weight, reps, unit, is_warmup) from a tuple or an object with those attributes."""
    if isinstance(item, tuple):
        if len(item) == 3:
            return item[0], item[1], item[2], False
        if len(item) == 4:
            return item[0], item[1], item[2], bool(item[3])
        raise ValueError("A set is (weight, reps, unit) or (weight, reps, unit, is_warmup).")
    return item.weight, item.reps, item.unit, bool(getattr(item, "is_warmup", False))


def session_volume(sets: Iterable[Any]) -> dict[Unit, float]:
    """Sum of weight x reps per unit, for the units present (an empty session gives {}).

    A set is a (weight, reps, unit[, is_warmup]) tuple or any object with `weight`,
    `reps`, `unit` (and optionally `is_warmup`) attributes. Warm-up sets are left out.
    Raises ValidationError for a set that breaks validate_set.
    """
    totals: dict[Unit, float] = {}
    for item in sets:
        weight, reps, unit, is_warmup = _fields(item)
        w, r, u = validate_set(weight, reps, unit)
        if is_warmup:
            continue
        totals[u] = totals.get(u, 0.0) + w * r
    return {u: round(totals[u], 3) for u in Unit if u in totals}


def weekly_volume_by_category(
    rows: Iterable[tuple[Category | str, float, int, Unit | str]],
) -> dict[Category, VolumeSummary]:
    """Sets and kg tonnage per category for the rows given (the caller picks the week).

    Every category is in the result, in Category order, with zeros when it has no sets.
    """
    sets = {c: 0 for c in Category}
    tonnage = {c: 0.0 for c in Category}
    for category, weight, reps, unit in rows:
        cat = parse_category(category)
        w, r, u = validate_set(weight, reps, unit)
        sets[cat] += 1
        if u is Unit.KG:
            tonnage[cat] += w * r
    return {c: VolumeSummary(sets=sets[c], tonnage_kg=round(tonnage[c], 3)) for c in Category}
