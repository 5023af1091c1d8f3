"""What a workout plans to do: prescribed sets, shown as rows to tick while logging (issue 18).

A plan comes from a template (its target sets), a program day (percentages of a training max,
AMRAP sets) and the warm-up ramp. Pure data: the services compute it, the logging screen draws
it, Enter in the empty set box logs the next planned set exactly as prescribed.

Weights are stored units (exact kg, or stacks), like ``sets.weight``; ``display_unit`` 'lbs'
means the plan was written in pounds and reads back in pounds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlannedSet:
    set_type: str | None = None      # None: a working set; "warmup", "dropset", "failure" as sets.set_type
    weight: float | None = None      # stored units (kg or stacks); None: no load prescribed
    reps: int | None = None          # the target reps (the minimum for an AMRAP set)
    amrap: bool = False              # as many reps as possible ("5+")
    duration_s: float | None = None  # per rep: timed and distance kinds
    distance_m: float | None = None  # per rep
    display_unit: str | None = None  # 'lbs': prescribed in pounds
    explanation: str | None = None   # how the weight was reached: "85% x TM 100 kg = 85 -> 85 kg"


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise_id: int
    sets: tuple[PlannedSet, ...]
    rule: str | None = None          # the progression rule in force: "Double progression 8-12"
    note: str | None = None          # e.g. "Week 3, day 1: 5/3/1"
