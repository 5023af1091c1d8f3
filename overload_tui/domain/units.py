"""Weight units as a lifter thinks and types them: kilograms or pounds.

Not the schema's storage enum (``enums.Unit``: kg / stacks): ``sets.weight`` is always
kilograms (or stacks), and a set typed in pounds is stored as its exact kilogram value
(``to_kg``, no rounding) with the unit it was typed in kept beside it. Reading it back
(``from_kg``) gives the number typed: every value with up to two decimals in pounds
(and up to three in kilograms) round-trips exactly, also through a float column
(SQLite REAL, PostgreSQL double precision: IEEE doubles).

Why it is exact: to_kg(v) = v * LB is one IEEE multiplication (relative error at most
2**-53), from_kg divides once more; the result is within a few units in the last place
of v, far less than the 0.005 that round(..., 2) needs to land back on v. Even a kg value
rounded to grams (0.0005 kg = 0.0011 lb) would still read back right, but the storage
keeps full precision so that sums and comparisons stay exact.
"""

from __future__ import annotations

import math
from enum import StrEnum

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError

MAX_WEIGHT_KG = 1000.0  # the heaviest set (validation.MAX_WEIGHT)
MAX_STACKS = 100.0
LB = 0.45359237  # kilograms per international avoirdupois pound (exact, by definition)
LB_DECIMALS = 2  # what a pounds lifter types: 225, 2.5, 1.25, 102.25
KG_DECIMALS = 3  # validate_set keeps grams


class WeightUnit(StrEnum):
    """How a lifter thinks, types and reads weights (a user setting, an exercise override)."""

    KG = "kg"
    LBS = "lbs"


_WORDS = {
    "kg": WeightUnit.KG, "kgs": WeightUnit.KG, "kilo": WeightUnit.KG, "kilos": WeightUnit.KG,
    "kilogram": WeightUnit.KG, "kilograms": WeightUnit.KG,
    "lb": WeightUnit.LBS, "lbs": WeightUnit.LBS, "pound": WeightUnit.LBS, "pounds": WeightUnit.LBS,
}


def weight_unit(value: WeightUnit | str | None) -> WeightUnit:
    """'kg', 'lbs', 'lb', 'pounds', ... (any case); None is kg. Raises ValidationError."""
    if value is None:
        return WeightUnit.KG
    if isinstance(value, WeightUnit):
        return value
    unit = _WORDS.get(" ".join(str(value).split()).lower())
    if unit is None:
        raise ValidationError(f"A weight unit is kg or lbs (got {str(value)[:20]!r}).")
    return unit


def to_kg(value: float, unit: WeightUnit | str) -> float:
    """The kilograms for ``value`` typed in ``unit``: exact (pounds are not rounded)."""
    value = float(value)
    return value * LB if weight_unit(unit) is WeightUnit.LBS else value


def from_kg(kg: float, unit: WeightUnit | str) -> float:
    """What a lifter in ``unit`` reads (and typed): pounds to 2 decimals, kilograms to 3."""
    if weight_unit(unit) is WeightUnit.LBS:
        value = round(float(kg) / LB, LB_DECIMALS)
    else:
        value = round(float(kg), KG_DECIMALS)
    return value + 0.0  # no -0.0


def convert(value: float, from_unit: WeightUnit | str, to_unit: WeightUnit | str) -> float:
    """``value`` in ``from_unit`` as read in ``to_unit`` (225 lb -> 102.058 kg; 100 kg -> 220.46 lb).

    The same unit gives the value back unrounded."""
    source, target = weight_unit(from_unit), weight_unit(to_unit)
    if source is target:
        return float(value)
    return from_kg(to_kg(value, source), target)


def label(unit: WeightUnit | str) -> str:
    """The unit as shown after a number: 'kg' or 'lb'."""
    return "lb" if weight_unit(unit) is WeightUnit.LBS else "kg"


def max_weight(unit: WeightUnit | str) -> float:
    """The heaviest weight that can be typed in ``unit``: MAX_WEIGHT's 1000 kg, or 2204.62 lb
    (the heaviest two-decimal pound value whose kilograms are within the limit)."""
    limit = MAX_WEIGHT_KG
    if weight_unit(unit) is WeightUnit.KG:
        return limit
    return math.floor(limit / LB * 10**LB_DECIMALS) / 10**LB_DECIMALS


def format_weight(value: float, unit: WeightUnit | str) -> str:
    """'225 lb', '102.5 kg', '2.5 lb': the number as typed (no trailing zeros) and its label."""
    decimals = LB_DECIMALS if weight_unit(unit) is WeightUnit.LBS else KG_DECIMALS
    text = f"{round(float(value), decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return f"{text} {label(unit)}"


class LoadUnit(StrEnum):
    """The unit a set's load is typed and read in: a weight unit, or the stacks of a machine's pin.

    Stored as the schema's ``sets.unit`` (kg or stacks) and ``sets.display_unit`` ('lbs' for
    pounds): a pounds set keeps its exact kilograms in ``sets.weight``."""

    KG = "kg"
    LBS = "lbs"
    STACKS = "stacks"


_LOAD_WORDS = {"stack": LoadUnit.STACKS, "stacks": LoadUnit.STACKS, "st": LoadUnit.STACKS}


def load_unit(value: LoadUnit | WeightUnit | Unit | str | None) -> LoadUnit:
    """'kg', 'lbs', 'lb', 'pounds', 'stacks', ... (any case; None is kg). Raises ValidationError."""
    if isinstance(value, LoadUnit):
        return value
    word = " ".join(str(value or "kg").split()).lower()
    if word in _LOAD_WORDS:
        return _LOAD_WORDS[word]
    try:
        return LoadUnit(weight_unit(word).value)
    except ValidationError:
        raise ValidationError(f"A unit is kg, lbs or stacks (got {str(value)[:20]!r}).", field="unit") from None


def set_unit(unit: Unit | str, display_unit: str | None) -> LoadUnit:
    """The unit a stored set reads in (its ``unit`` and ``display_unit`` columns)."""
    if unit == Unit.STACKS:
        return LoadUnit.STACKS
    return LoadUnit.LBS if display_unit == LoadUnit.LBS else LoadUnit.KG


class ReadsInUnit:
    """A stored set's load as the lifter reads it, for classes holding ``weight`` (kg, or
    stacks), ``unit`` and ``display_unit`` (the columns of ``sets``)."""

    __slots__ = ()

    @property
    def load_unit(self) -> LoadUnit:
        """What the set reads in: kg, lbs or stacks."""
        return set_unit(self.unit, self.display_unit)  # type: ignore[attr-defined]

    @property
    def amount(self) -> float:
        """The load as typed and read, in ``load_unit``: 225 for a 225 lb set (``weight`` is its kg)."""
        weight = self.weight  # type: ignore[attr-defined]
        return from_stored(weight, self.load_unit) if self.display_unit else weight  # type: ignore[attr-defined]


def stored_unit(unit: LoadUnit | str) -> Unit:
    """``sets.unit`` for a load in ``unit``: stacks, else kilograms."""
    return Unit.STACKS if load_unit(unit) is LoadUnit.STACKS else Unit.KG


def display_column(unit: LoadUnit | str) -> str | None:
    """``sets.display_unit`` for a load in ``unit``: 'lbs', else NULL (kilograms, stacks)."""
    return LoadUnit.LBS.value if load_unit(unit) is LoadUnit.LBS else None


def to_stored(amount: float, unit: LoadUnit | str) -> float:
    """``sets.weight`` for ``amount`` in ``unit``: pounds to exact kilograms, else as it is."""
    return to_kg(amount, WeightUnit.LBS) if load_unit(unit) is LoadUnit.LBS else float(amount)


def from_stored(weight: float, unit: LoadUnit | str) -> float:
    """What a ``sets.weight`` reads in ``unit``: kilograms as pounds (2 decimals), else as it is."""
    return from_kg(weight, WeightUnit.LBS) if load_unit(unit) is LoadUnit.LBS else float(weight)


def load_label(unit: LoadUnit | str, *, short: bool = False) -> str:
    """'kg', 'lb', 'stacks' ('st' when ``short``)."""
    unit = load_unit(unit)
    if unit is LoadUnit.STACKS:
        return "st" if short else "stacks"
    return label(unit.value)


def decimals(unit: LoadUnit | str) -> int:
    """How many decimals a load in ``unit`` keeps: pounds 2, kilograms and stacks 3."""
    return LB_DECIMALS if load_unit(unit) is LoadUnit.LBS else KG_DECIMALS


def load_limit(unit: LoadUnit | str) -> float:
    """The heaviest load in ``unit``: 1000 kg, 2204.62 lb, 100 stacks."""
    unit = load_unit(unit)
    return MAX_STACKS if unit is LoadUnit.STACKS else max_weight(unit.value)
