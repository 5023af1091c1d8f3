"""The enumerations fixed by the schema spec. Values are the strings stored in the database."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    CHEST = "chest"
    BACK = "back"
    LEGS = "legs"
    SHOULDERS = "shoulders"
    ARMS = "arms"
    CORE = "core"


class Equipment(StrEnum):
    MACHINE = "machine"
    DUMBBELL = "dumbbell"
    BARBELL = "barbell"
    BODYWEIGHT = "bodyweight"
    KETTLEBELL = "kettlebell"
    RESISTANCE_BAND = "resistance_band"


class Unit(StrEnum):
    KG = "kg"
    STACKS = "stacks"


def default_unit(equipment: Equipment | str | None) -> Unit:
    """Machines are loaded by the pin (stacks); everything else in kilograms."""
    return Unit.STACKS if equipment == Equipment.MACHINE else Unit.KG
