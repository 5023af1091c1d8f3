"""What the readers produce (a format-neutral parse) and what an import reports.

The readers turn a file into a :class:`ParsedFile`: workouts with their exercise entries and
sets, stored as the database keeps them (kg, a set read in pounds as its exact kg with
``display_unit`` 'lbs') and checked against the app's limits, plus the rows skipped (by
reason) and the rows refused (with their line numbers). Nothing here touches the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit

# Why a row is not a set. Keys are stable (tests and screens use them); labels are for people.
SKIP_REASONS: dict[str, str] = {
    "rest_timer": "Strong rest timer rows (not sets)",
    "note": "Strong note rows (kept as the exercise's notes)",
    "zero_reps": "nothing measured (no reps, time or distance)",
}


@dataclass(slots=True)
class ParsedSet:
    where: str  # "line 17", or a JSON path for backups
    weight: float
    reps: int
    unit: Unit = Unit.KG
    set_type: str | None = None
    rpe: float | None = None
    order: int | None = None  # backups keep their orders; CSV sets are numbered 1..n
    logged_at: datetime | None = None
    duration_s: float | None = None  # per rep, seconds (timed and distance sets)
    distance_m: float | None = None  # per rep, metres
    distance_unit: str | None = None  # the unit the file gave the distance in ("km", "mi"...)
    display_unit: str | None = None  # 'lbs': read in pounds (``weight`` is its exact kg), else None


@dataclass(slots=True)
class ExerciseRef:
    """How a file names an exercise. ``custom`` is None for CSVs (resolve by name)."""

    name: str
    custom: bool | None = None
    category_hint: str | None = None  # FitNotes' Category column, as written
    kind_hint: ExerciseKind | None = None  # what the file's sets measure, for a new custom exercise


@dataclass(slots=True)
class ParsedEntry:
    exercise: ExerciseRef
    notes: str | None = None
    sets: list[ParsedSet] = field(default_factory=list)
    order: int | None = None
    progression: str | None = None  # a template exercise's own progression rule (backups, version 4)
    skipped: tuple[int, ...] = ()  # a workout's planned rows the lifter skipped, by index (backups, version 4)


@dataclass(slots=True)
class ParsedWorkout:
    where: str  # the first line of the workout in the file
    date: datetime
    name: str | None
    identity: str  # what makes the workout the same one next time (hashed into source_key)
    source_key: str | None
    notes: str | None = None
    finished_at: datetime | None = None
    entries: list[ParsedEntry] = field(default_factory=list)
    template_ref: str | None = None
    program_ref: str | None = None  # a backup's program ref (version 4), with the program's week and day
    program_week: int | None = None
    program_day: int | None = None

    @property
    def set_count(self) -> int:
        return sum(len(e.sets) for e in self.entries)


@dataclass(slots=True)
class ParsedTemplate:
    where: str
    ref: str
    name: str
    description: str | None
    entries: list[ParsedEntry] = field(default_factory=list)


@dataclass(slots=True)
class ParsedProgram:
    """A lifter's program from a backup (version 4): its text, running state (the JSON text
    ``programs.state`` keeps) and whether it is the one running."""

    where: str
    ref: str
    name: str
    source: str
    active: bool = False
    started_on: date | None = None
    state: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class CustomExerciseDef:
    name: str
    category: Category
    subcategory: str | None = None
    equipment: Equipment | None = None
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS


@dataclass(frozen=True, slots=True)
class ParsedBodyWeight:
    """A day's body weight from a backup (kg)."""

    where: str
    measured_on: date
    weight: float


@dataclass(frozen=True, slots=True)
class InvalidRow:
    """A row the file holds but the app's validation refuses (877,777 reps...)."""

    where: str
    line: int | None
    exercise: str
    reason: str


@dataclass(slots=True)
class ParsedFile:
    format: str  # "strong", "hevy", "fitnotes", "json"
    variant: str  # human description, e.g. "Strong, current export, comma-delimited"
    rows: int = 0  # data rows read (not counting the header or blank lines)
    unit_note: str | None = None
    workouts: list[ParsedWorkout] = field(default_factory=list)
    templates: list[ParsedTemplate] = field(default_factory=list)
    custom_exercises: list[CustomExerciseDef] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    invalid: list[InvalidRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    empty_workouts: int = 0  # workouts none of whose rows is a set (all cardio, say): not imported
    body_weights: list[ParsedBodyWeight] = field(default_factory=list)  # backups only
    weight_unit: str | None = None  # a backup's lifter's weight unit (kg, lbs)
    exercise_units: list[tuple[ExerciseRef, str]] = field(default_factory=list)  # a backup's, by exercise
    programs: list[ParsedProgram] = field(default_factory=list)  # backups only (version 4)
    exercise_rules: list[tuple[ExerciseRef, str]] = field(default_factory=list)  # a backup's, by exercise
    warmups_off: list[ExerciseRef] = field(default_factory=list)  # a backup's, exercises with no warm-up ramp


# -- the report ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExerciseMapping:
    """Where one exercise name of the file went."""

    file_name: str
    target: str  # the exercise it is stored as
    how: str  # "catalogue", "catalogue (normalised)", "catalogue (alias)", "your exercise", "new custom exercise"
    category: Category
    note: str | None = None  # e.g. "category from the file: Triceps", "category guessed from the name"
    sets: int = 0
    kind: ExerciseKind | None = None  # what the exercise's sets measure (the new one's, or the existing one's)
    off_kind: int = 0  # sets that do not measure what the exercise does (a time on a weight x reps lift)

    @property
    def is_new(self) -> bool:
        return self.how == "new custom exercise"


@dataclass(frozen=True, slots=True)
class SkipCount:
    reason: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import found and did; ``written`` is False for a plan or a dry run."""

    source: str
    format: str
    variant: str
    unit_note: str | None
    rows: int
    workouts: int  # workouts to import (new ones)
    entries: int
    sets: int
    duplicate_workouts: int  # already imported before (same source key), left alone
    duplicate_sets: int
    empty_workouts: int  # workouts none of whose rows are sets (all cardio, say)
    templates: int
    duplicate_templates: int
    skipped: tuple[SkipCount, ...]
    invalid: tuple[InvalidRow, ...]
    mappings: tuple[ExerciseMapping, ...]
    warnings: tuple[str, ...] = ()
    timed_sets: int = 0  # sets with a time and no distance (holds)
    distance_sets: int = 0  # sets with a distance (cardio, carries, intervals)
    reps_only_sets: int = 0  # sets of reps with no weight, time or distance (bodyweight)
    off_kind_sets: int = 0  # sets stored as logged though their exercise measures something else
    body_weights: int = 0  # body-weight days to import (backups)
    duplicate_body_weights: int = 0  # days that already have a body weight, left alone
    weight_unit: str | None = None  # a backup's weight unit when it is not the lifter's (told, never set)
    exercise_units: int = 0  # units chosen for exercises in the backup, set where the lifter had none
    programs: int = 0  # a backup's programs to restore (new names)
    duplicate_programs: int = 0  # programs the lifter already has (same name), left alone
    program_kept_stopped: str | None = None  # the backup's running program, restored stopped: the lifter runs one
    unlinked_program_workouts: int = 0  # workouts of the lifter's running program of that name, restored untied
    exercise_settings: int = 0  # per-exercise progression rules and warm-ups off, set where the lifter had none
    written: bool = False
    dry_run: bool = False
    skip_invalid: bool = False

    @property
    def skipped_rows(self) -> int:
        return sum(s.count for s in self.skipped)

    @property
    def new_exercises(self) -> tuple[ExerciseMapping, ...]:
        return tuple(m for m in self.mappings if m.is_new)

    def skipped_count(self, reason: str) -> int:
        return next((s.count for s in self.skipped if s.reason == reason), 0)

    def render(self) -> str:
        from overload_tui.services.transfer.report import render_report

        return render_report(self)
