"""Training volume: sum of weight x reps, with kilograms and machine stacks kept apart.

Sets of every kind count as sets. Tonnage counts only where a load is known: weight x reps
of weight x reps sets in kg, and (body weight plus the load, or minus the assistance) x reps
of weighted and assisted sets whose body weight is known. Reps-only, timed and distance sets
add none (a plank's plate or a sled's load is not lifted rep by rep).

Sets typed in pounds are stored as their exact kg, so they are in the kg tonnage: totals are
summed in kg and converted once, for a pounds lifter, where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from overload_tui.domain.enums import Category, ExerciseKind, Unit
from overload_tui.domain.measures import effective_load
from overload_tui.domain.validation import parse_category, validate_set


@dataclass(frozen=True, slots=True)
class VolumeSummary:
    sets: int           # every set, in any unit, of every kind
    tonnage_kg: float   # weight x reps of the kg sets only (stacks have no kg meaning)
    without_body_weight: int = 0  # weighted/assisted sets left out of the tonnage: no body weight


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


def set_tonnage(kind: ExerciseKind | str, weight: float, reps: int, unit: Unit | str,
                body_weight: float | None = None) -> float | None:
    """What one set adds to the kg tonnage (see the module's docstring); None for a weighted or
    assisted set whose body weight is not known."""
    kind = ExerciseKind(kind)
    if unit != Unit.KG or kind in (ExerciseKind.REPS_ONLY, ExerciseKind.TIME, ExerciseKind.DISTANCE):
        return 0.0
    load = effective_load(kind, weight, body_weight)
    return None if load is None else load * reps


def weekly_volume_by_category(
    rows: Iterable[tuple[Any, ...]],
) -> dict[Category, VolumeSummary]:
    """Sets and kg tonnage per category for the rows given (the caller picks the week).

    A row is (category, weight, reps, unit) for a weight x reps set, or (category, weight,
    reps, unit, kind, body weight or None) for any kind. Every category is in the result, in
    Category order, with zeros when it has no sets.
    """
    sets = {c: 0 for c in Category}
    tonnage = {c: 0.0 for c in Category}
    unknown = {c: 0 for c in Category}
    for category, weight, reps, unit, *more in rows:
        kind, body_weight = (more[0], more[1]) if more else (ExerciseKind.WEIGHT_REPS, None)
        cat = parse_category(category)
        w, r, u = validate_set(weight, reps, unit)
        sets[cat] += 1
        added = set_tonnage(kind, w, r, u, body_weight)
        if added is None:
            unknown[cat] += 1
        else:
            tonnage[cat] += added
    return {
        c: VolumeSummary(sets=sets[c], tonnage_kg=round(tonnage[c], 3), without_body_weight=unknown[c])
        for c in Category
    }
