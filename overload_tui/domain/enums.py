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


class ExerciseKind(StrEnum):
    """What a set of an exercise measures (stored in ``exercises.kind``; see README "Kinds of set").

    Every set still has ``weight`` >= 0 and ``reps`` > 0 (the spec's contract); the other
    measures live in the nullable ``sets.duration_s`` / ``sets.distance_m`` columns:

    - WEIGHT_REPS: ``weight`` x ``reps`` (the default);
    - REPS_ONLY: ``reps``, ``weight`` 0 (push-ups, burpees);
    - WEIGHTED: body weight plus ``weight`` (the added load, 0 for none) x ``reps`` (dips, pull-ups);
    - ASSISTED: body weight minus ``weight`` (the assistance) x ``reps`` (assisted pull-ups);
    - TIME: ``duration_s`` per rep (a 60 s plank is 1 rep of 60 s), ``weight`` an optional load;
    - DISTANCE: ``distance_m`` per rep and optionally ``duration_s`` per rep (2,000 m in 7:30 is
      1 rep; intervals 8 x 400 m are 8 reps of 400 m), ``weight`` an optional load (a sled).
    """

    WEIGHT_REPS = "weight_reps"
    REPS_ONLY = "reps_only"
    WEIGHTED = "weighted"
    ASSISTED = "assisted"
    TIME = "time"
    DISTANCE = "distance"


class DistanceUnit(StrEnum):
    """How a distance was typed or imported (``sets.distance_unit``), so it reads back exactly."""

    M = "m"
    KM = "km"
    MI = "mi"
    YD = "yd"
    FT = "ft"


METRES_PER: dict[DistanceUnit, float] = {
    DistanceUnit.M: 1.0,
    DistanceUnit.KM: 1000.0,
    DistanceUnit.MI: 1609.344,
    DistanceUnit.YD: 0.9144,
    DistanceUnit.FT: 0.3048,
}
