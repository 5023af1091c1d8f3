"""The warm-up ramp: the warm-up sets proposed before a barbell's working weight (issue 18).

The ramp is the empty bar, then 40%, 60% and 80% of the working weight, the reps going down
(bar x 10, 40% x 5, 60% x 3, 80% x 2: the common "bar, then a few steps" ramp of Starting
Strength and StrongLifts, enough to groove the lift without tiring it). Each step is rounded
to the nearest total the lifter's own bar and plates load (``plates.plates_per_side``, the
lighter on a tie), in the lifter's unit: kilograms with the kg plates, pounds with the pound
plates. A step is left out when it is not above the bar, not clearly above the step before it,
or too close to the working weight: "clearly" is one loading step (two of the lightest plate)
or 5% of the working weight, whichever is more. A working weight no heavier than the bar plus
that gap gets no ramp.

Weights are returned as stored (``PlannedSet.weight``: exact kilograms); a pounds ramp says
``display_unit='lbs'``, and its kilograms are those a pounds lifter typing the same number
stores (``units.to_stored``), so ticking a warm-up stores what typing it would.
"""

from __future__ import annotations

from collections.abc import Sequence

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plan import PlannedSet
from overload_tui.domain.plates import loading_step, plates_per_side
from overload_tui.domain.units import LoadUnit, WeightUnit, format_weight, from_kg, to_stored, weight_unit

# (fraction of the working weight, reps); 0.0 is the empty bar.
RAMP: tuple[tuple[float, int], ...] = ((0.0, 10), (0.40, 5), (0.60, 3), (0.80, 2))
MIN_GAP_FRACTION = 0.05


def warmup_ramp(
    working_kg: float,
    *,
    unit: WeightUnit | str = WeightUnit.KG,
    bar: float,
    plates: Sequence[float],
    steps: Sequence[tuple[float, int]] = RAMP,
) -> tuple[PlannedSet, ...]:
    """The warm-up sets before a working weight of ``working_kg`` (stored kilograms), loaded
    with ``bar`` and ``plates`` (both in ``unit``). Empty when there is nothing to warm up
    with (see the module's docstring); plates that cannot be read give no ramp either."""
    unit = weight_unit(unit)
    working = from_kg(working_kg, unit)
    try:
        gap = max(loading_step(plates, unit), MIN_GAP_FRACTION * working)
    except ValidationError:
        return ()
    if working <= 0 or working < bar + gap:
        return ()
    ramp: list[PlannedSet] = []
    previous: float | None = None
    for fraction, reps in steps:
        if fraction <= 0:
            total, why = float(bar), "the empty bar"
        else:
            wanted = fraction * working
            try:
                total = plates_per_side(wanted, bar, plates, unit=unit).total
            except ValidationError:
                continue
            why = (f"{round(fraction * 100)}% of {format_weight(working, unit)} = "
                   f"{format_weight(wanted, unit)} -> {format_weight(total, unit)} on your plates")
        if total < bar or (fraction > 0 and total <= bar):
            continue
        if previous is not None and total < previous + gap:
            continue
        if total > working - gap:
            continue
        ramp.append(_planned(total, reps, unit, why))
        previous = total
    return tuple(ramp)


def _planned(total: float, reps: int, unit: WeightUnit, why: str) -> PlannedSet:
    if unit is WeightUnit.LBS:
        return PlannedSet("warmup", to_stored(total, LoadUnit.LBS), reps, display_unit="lbs", explanation=why)
    return PlannedSet("warmup", round(total, 3), reps, explanation=why)
