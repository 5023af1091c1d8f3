"""Which plates to put on each side of the bar for a total weight (kg, or lb for a pounds lifter).

Greedy (heaviest plate first) fails for some plate sets, so this is an exact dynamic
programme over per-side amounts in units of the greatest common divisor of the plates
(plates must be multiples of 0.01 kg). Among exact loadings it picks the fewest plates,
then the heaviest plates (100 kg on a 20 kg bar is 25 + 15, not 20 + 20).

Pounds (``unit=WeightUnit.LBS``): the total, bar and plates are all in pounds, the numbers
the lifter reads (convert a stored kg weight with ``units.from_kg`` first). The defaults
are a 45 lb bar (35 and 15 lb bars: ``BARS_LB``) and 45, 35, 25, 10, 5, 2.5 lb plates
(add ``FRACTIONAL_PLATE_LB``, 1.25, when owned); the limit is ``units.max_weight`` (1000 kg
is 2204.62 lb). Plates are multiples of 0.01 of the unit either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import WeightUnit, label, max_weight, weight_unit

DEFAULT_BAR = 20.0
DEFAULT_PLATES: tuple[float, ...] = (25, 20, 15, 10, 5, 2.5, 1.25)
DEFAULT_BAR_LB = 45.0
BARS_LB: tuple[float, ...] = (45.0, 35.0, 15.0)  # Olympic, women's / 35 lb, technique bar
DEFAULT_PLATES_LB: tuple[float, ...] = (45, 35, 25, 10, 5, 2.5)
FRACTIONAL_PLATE_LB = 1.25  # "change plates": add to the set when owned
_CENTS = 100  # work in hundredths of the unit (of a kilogram, of a pound)
_INF = math.inf


@dataclass(frozen=True, slots=True)
class PlateLoad:
    per_side: tuple[float, ...]  # plates on ONE side, heaviest first
    exact: bool                  # the loaded total equals the requested one
    total: float                 # what per_side actually loads: bar + 2 * sum(per_side)
    lower: float | None          # nearest loadable total <= the request (None: below the bar)
    upper: float | None          # nearest loadable total >= the request (None: not enough plates)
    unit: WeightUnit = WeightUnit.KG  # what all of the above are in


def default_bar(unit: WeightUnit | str = WeightUnit.KG) -> float:
    """20 kg, or 45 lb."""
    return DEFAULT_BAR_LB if weight_unit(unit) is WeightUnit.LBS else DEFAULT_BAR


def default_plates(unit: WeightUnit | str = WeightUnit.KG) -> tuple[float, ...]:
    """The kg plate set (down to 1.25), or 45, 35, 25, 10, 5, 2.5 lb."""
    return DEFAULT_PLATES_LB if weight_unit(unit) is WeightUnit.LBS else DEFAULT_PLATES


def loading_step(plates: Sequence[float] | None = None, unit: WeightUnit | str = WeightUnit.KG) -> float:
    """The smallest change of a total the plates allow: twice the lightest plate (one each side).

    5 lb with the default pound plates, 2.5 lb with 1.25s; 2.5 kg with the kg set."""
    unit = weight_unit(unit)
    sizes = [_cents(p, unit) for p in (default_plates(unit) if plates is None else plates)]
    if not sizes:
        raise ValidationError("There must be at least one plate.")
    return 2 * min(sizes) / _CENTS


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(f"{what} must be a number.")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"{what} must be a finite number, 0 or more.")
    return value


def _cents(plate: object, unit: WeightUnit = WeightUnit.KG) -> int:
    value = _number(plate, "A plate")
    cents = round(value * _CENTS)
    limit, name = max_weight(unit), label(unit)
    if cents <= 0 or abs(value * _CENTS - cents) > 1e-6 or value > limit:
        raise ValidationError(f"Plates must be multiples of 0.01 {name}, up to {limit:g} {name} (got {value:g}).")
    return cents


def _chunks(limit: int) -> list[int]:
    """1, 2, 4, ... and a remainder: every count 0..limit is a sum of a subset."""
    chunks, k = [], 1
    while limit > 0:
        take = min(k, limit)
        chunks.append(take)
        limit -= take
        k *= 2
    return chunks


def _tables(sizes: list[int], limits: list[int | None], top: int) -> list[list[float]]:
    """tables[i][a]: fewest plates summing to a using the first i plate sizes (lightest first)."""
    table: list[float] = [0.0] + [_INF] * top
    tables = [table]
    for size, limit in zip(sizes, limits):
        new = table[:]
        if limit is None:
            for a in range(size, top + 1):
                if new[a - size] + 1 < new[a]:
                    new[a] = new[a - size] + 1
        else:
            for chunk in _chunks(min(limit, top // size)):  # bounded: binary splitting
                step = chunk * size
                for a in range(top, step - 1, -1):
                    if new[a - step] + chunk < new[a]:
                        new[a] = new[a - step] + chunk
        tables.append(new)
        table = new
    return tables


def _reconstruct(tables: list[list[float]], sizes: list[int], limits: list[int | None], amount: int) -> list[int]:
    """Counts per size: as many of the heaviest as an optimal loading allows, then the next."""
    counts = [0] * len(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        size, prev, want = sizes[i], tables[i], tables[i + 1][amount]
        most = amount // size if limits[i] is None else min(limits[i], amount // size)
        for k in range(most, -1, -1):
            if prev[amount - k * size] + k == want:
                counts[i] = k
                amount -= k * size
                break
    return counts


def plates_per_side(
    total: float,
    bar: float | None = None,
    plates: Sequence[float] | None = None,
    pairs_available: Mapping[float, int] | None = None,
    unit: WeightUnit | str = WeightUnit.KG,
) -> PlateLoad:
    """The loading for `total` kg (or lb: `unit`); when it cannot be loaded exactly, the nearest one.

    `bar` and `plates` default to the unit's (20 kg and DEFAULT_PLATES; 45 lb and
    DEFAULT_PLATES_LB); all weights, given and returned, are in `unit`.

    `pairs_available` maps a plate weight to how many pairs there are; plates it does not
    mention are unlimited. A total below the bar gives exact=False, lower=None, just the
    bar. When not exact, per_side is the nearer of lower/upper (the lighter on a tie).
    Raises ValidationError for a total over 1000 kg (2204.62 lb) or bad bar/plates.
    """
    unit = weight_unit(unit)
    total = _number(total, "The total")
    bar = _number(default_bar(unit) if bar is None else bar, "The bar")
    plates = default_plates(unit) if plates is None else plates
    if total > max_weight(unit):
        raise ValidationError(f"The total must be at most {max_weight(unit):g} {label(unit)}.")
    available: dict[int, int] = {}
    for plate, pairs in (pairs_available or {}).items():
        if isinstance(pairs, bool) or not isinstance(pairs, int) or pairs < 0:
            raise ValidationError("Pairs available must be whole numbers, 0 or more.")
        available[_cents(plate, unit)] = pairs
    by_cents = {_cents(p, unit): float(p) for p in plates}
    sizes_c = sorted(c for c in by_cents if available.get(c, 1) > 0)
    step = reduce(math.gcd, sizes_c, 0) or 1
    sizes = [c // step for c in sizes_c]
    limits = [available.get(c) for c in sizes_c]
    side = (total - bar) * _CENTS / 2 / step  # wanted per-side amount, in steps
    floor_, ceil_ = math.floor(side + 1e-9), math.ceil(side - 1e-9)

    def made(per_side: tuple[float, ...]) -> float:
        return round(bar + 2 * sum(per_side), 6)

    if floor_ < 0:
        return PlateLoad((), False, made(()), None, made(()), unit)

    top = ceil_ + (max(sizes) if sizes else 0)
    tables = _tables(sizes, limits, top)
    best = tables[-1]

    def load(amount: int) -> tuple[float, ...]:
        counts = _reconstruct(tables, sizes, limits, amount)
        return tuple(by_cents[sizes_c[i]] for i in reversed(range(len(sizes))) for _ in range(counts[i]))

    lower_u = next(a for a in range(floor_, -1, -1) if best[a] < _INF)
    upper_u = next((a for a in range(ceil_, top + 1) if best[a] < _INF), None)
    exact = floor_ == ceil_ == lower_u
    if exact or upper_u is None or side - lower_u <= upper_u - side:
        chosen = lower_u
    else:
        chosen = upper_u
    per_side = load(chosen)
    lower = made(load(lower_u))
    upper = None if upper_u is None else made(load(upper_u))
    return PlateLoad(per_side, exact, made(per_side), lower, upper, unit)


def format_load(load: PlateLoad) -> str:
    """'20 + 2.5 + 1.25 per side', or 'Just the bar'; in pounds '45 + 25 + 10 lb per side'.

    Kilograms stay unlabelled (as the app has always shown them); pounds say "lb" so that a
    pounds lifter never wonders."""
    if not load.per_side:
        return "Just the bar"
    plates = " + ".join(f"{p:g}" for p in load.per_side)
    if load.unit is WeightUnit.LBS:
        return f"{plates} {label(load.unit)} per side"
    return plates + " per side"
