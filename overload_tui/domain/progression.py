"""What to lift next time: a suggestion for the next session of one exercise.

Rules (all documented choices):

* Working sets of a session are its non-warm-up sets at the session's top weight, in the
  unit of its last non-warm-up set (sets in another unit are ignored). Sessions with no
  working set are skipped. Only the trailing sessions in the last session's unit count.
* The rule in force (``ProgressionRule``, stored as text: "double 8-12", "linear 5"; see
  ``parse_rule``) comes from, strongest first: the template exercise's own rule, the
  exercise's own, the rep range of the template's working target sets under the lifter's
  scheme, the lifter's default (``resolve_rule``). Every suggestion names it
  (``Suggestion.rule``, ``rule_source``), and the reps it asks for come from it.
* Double progression (rep range rep_min..rep_max): when every working set reached
  rep_max, add one increment and go back to rep_min; otherwise keep the weight and aim
  for (best reps of the last session) + 1, capped at rep_max ("Build to 8: aim for 6+" while
  under the range).
* Linear (target reps T): when every working set reached T, add one increment; otherwise
  repeat the weight for T reps.
* A session "misses" when ANY working set is below the bottom of the range of the rule it
  was logged under (``session_rules``), it fell short of the goal that rule had set for it
  (the suggestion computed from the sessions before it: its weight, and its reps on the best
  set, on every set for linear), and it set no record over the earlier sessions (heaviest,
  e1RM, reps at a weight, session volume, as ``records.new_records`` flags them). The oldest
  session given has no known goal: the range alone judges it. After `deload_after`
  consecutive missed sessions at the same top weight, deload: `deload_fraction` off, rounded
  to the nearest multiple of the increment (always strictly lighter, never below 0). So a
  session that met or beat its goal, or set a record, is never followed by a deload.
  Equipment whose increment is 0 (bodyweight, bands) and a weight of 0 are never deloaded:
  they progress by reps.
* New weights are rounded to the nearest multiple of the increment; a repeated weight is
  kept exactly as lifted. Stacks stay stacks. When adding an increment would pass the
  weight limit, reps progress instead. Every suggestion passes validate_set.
* Pounds (``weight_unit=WeightUnit.LBS``, the lifter's unit or the exercise's override):
  the history stays in stored kilograms (``LoggedSet.weight``, as ``sets.weight``) and is read
  in pounds (``units.from_kg``: the numbers typed); the maths is done in pounds and the
  suggestion's weight is stored kilograms again (``units.to_kg``, exact) with
  ``weight_unit`` lbs, so ``Suggestion.shown_weight`` is the pound value (230, never 229.99).
  Increments come from ``increments_lb`` (5 lb for barbell and dumbbell by default) or, for a
  lower-body lift (``is_lower_body``: the legs category, or a squat, deadlift, lunge, leg press,
  hip thrust ... by name), ``lower_increments_lb`` (10 lb). New weights and deloads are
  rounded to what can be loaded: a multiple of twice the lightest plate (5 lb with the
  default pound plates, 2.5 lb with 1.25s) for barbells and plate-loaded machines, of the
  increment for dumbbells and kettlebells; halves round up (a 10% deload of 225 lb is
  202.5, loaded as 205) and a deload is always strictly lighter. A repeated weight is kept
  exactly as lifted. Reasons say "lb". Stacks are stacks in either unit.
* Template targets, when given, set the number of sets, and the rep range when no rule of the
  template exercise or the exercise says otherwise (min..max of their reps; linear uses their
  max). With no history the first target with a weight is suggested, its reps kept inside the
  rule's range (bodyweight equipment may have none: 0); otherwise there is no suggestion.

Other kinds of exercise (``kind``), from the last session's working sets:

* weighted (the weight is the added load): as above; where the equipment has no increment
  (bodyweight) the barbell's is added once the reps are done, so dips and pull-ups get heavier;
* assisted (the weight is the assistance): as above with the help taken away instead: all
  sets at the top of the range take one increment less assistance (never below 0), else aim
  for one more rep at the same help; no deload;
* reps only: one rep more than the best set (the weight stays 0: there is none to suggest);
* time: hold the longest hold of the last session plus 5 s (to the next multiple of 5 s;
  15 s from two minutes on), with the same reps and load;
* distance: the longest distance of the last session again, and when it was timed, its time
  beaten by one second per kilometre (at least one) if it was the best pace ever at that
  distance, else the best time at that distance repeated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit, default_unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.measures import clock, distance_text, pace_per_km, seconds_text
from overload_tui.domain.plates import DEFAULT_PLATES_LB, loading_step
from overload_tui.domain.units import WeightUnit, from_kg, label, max_weight, to_kg, weight_unit
from overload_tui.domain.validation import MAX_REPS, MAX_WEIGHT, validate_reps, validate_set

REASON_MAX = 60

DEFAULT_INCREMENTS: Mapping[Equipment, float] = MappingProxyType({
    Equipment.BARBELL: 2.5,
    Equipment.DUMBBELL: 2.0,
    Equipment.MACHINE: 1.0,          # one plate of the stack
    Equipment.KETTLEBELL: 4.0,
    Equipment.RESISTANCE_BAND: 0.0,  # no weight to add: progress reps
    Equipment.BODYWEIGHT: 0.0,
})

# Pounds: upper-body (and any lift not known to be lower-body) and lower-body increments.
DEFAULT_INCREMENTS_LB: Mapping[Equipment, float] = MappingProxyType({
    Equipment.BARBELL: 5.0,
    Equipment.DUMBBELL: 5.0,
    Equipment.MACHINE: 1.0,          # stacks: one plate of the stack, as in kg
    Equipment.KETTLEBELL: 10.0,
    Equipment.RESISTANCE_BAND: 0.0,
    Equipment.BODYWEIGHT: 0.0,
})
DEFAULT_LOWER_INCREMENTS_LB: Mapping[Equipment, float] = MappingProxyType({
    Equipment.BARBELL: 10.0,
    Equipment.DUMBBELL: 10.0,
    Equipment.MACHINE: 1.0,
    Equipment.KETTLEBELL: 10.0,
    Equipment.RESISTANCE_BAND: 0.0,
    Equipment.BODYWEIGHT: 0.0,
})

_LOWER_BODY = re.compile(
    r"\b(squats?|deadlifts?|rdls?|lunges?|leg press(es)?|hip thrusts?|glute bridges?|good mornings?"
    r"|step ups?|hack squats?|leg curls?|leg extensions?|calf raises?)\b"
)


def is_lower_body(category: Category | str | None, name: str | None = None) -> bool:
    """The legs category, or a lower-body lift by name (deadlifts are "back" in the catalogue)."""
    if category == Category.LEGS:
        return True
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", str(name or "").lower()).split())
    return _LOWER_BODY.search(text) is not None


class ProgressionScheme(StrEnum):
    DOUBLE = "double"
    LINEAR = "linear"


@dataclass(frozen=True, slots=True)
class ProgressionSettings:
    scheme: ProgressionScheme = ProgressionScheme.DOUBLE
    rep_min: int = 8
    rep_max: int = 12
    increments: Mapping[Equipment, float] = field(default_factory=lambda: DEFAULT_INCREMENTS)
    deload_after: int = 2
    deload_fraction: float = 0.10
    linear_reps: int = 5
    increments_lb: Mapping[Equipment, float] = field(default_factory=lambda: DEFAULT_INCREMENTS_LB)
    lower_increments_lb: Mapping[Equipment, float] = field(default_factory=lambda: DEFAULT_LOWER_INCREMENTS_LB)
    plates_lb: Sequence[float] = DEFAULT_PLATES_LB  # what a pounds gym loads: suggest_next's grid

    def __post_init__(self) -> None:
        object.__setattr__(self, "scheme", ProgressionScheme(self.scheme))
        if not 1 <= self.rep_min <= self.rep_max <= MAX_REPS:
            raise ValidationError(f"Rep range must satisfy 1 <= min <= max <= {MAX_REPS}.")
        if not 1 <= self.linear_reps <= MAX_REPS:
            raise ValidationError(f"Linear reps must be 1 to {MAX_REPS}.")
        if self.deload_after < 1:
            raise ValidationError("Deload after must be at least 1 session.")
        if not 0 < self.deload_fraction < 1:
            raise ValidationError("Deload fraction must be between 0 and 1.")
        for name in ("increments", "increments_lb", "lower_increments_lb"):
            table = getattr(self, name)
            for value in table.values():
                if not math.isfinite(value) or value < 0:
                    raise ValidationError("Increments must be finite and 0 or more.")
            object.__setattr__(self, name, MappingProxyType(dict(table)))
        object.__setattr__(self, "plates_lb", tuple(self.plates_lb))
        loading_step(self.plates_lb, WeightUnit.LBS)  # raises ValidationError for bad plates

    def increment_for(
        self,
        equipment: Equipment | None,
        unit: Unit,
        weight_unit: WeightUnit | str = WeightUnit.KG,
        lower_body: bool = False,
    ) -> float:
        """Stacks use the machine increment; kg on a machine (or unknown) the barbell one.

        In pounds (``weight_unit``) the same keys in ``increments_lb``, or in
        ``lower_increments_lb`` for a lower-body lift; stacks keep the kg table's machine step."""
        if unit is Unit.STACKS:
            key = Equipment.MACHINE
        elif equipment is None or equipment == Equipment.MACHINE:
            key = Equipment.BARBELL
        else:
            key = Equipment(equipment)
        if unit is Unit.STACKS or _weight_unit(weight_unit) is WeightUnit.KG:
            return self.increments.get(key, 0.0)
        table = self.lower_increments_lb if lower_body else self.increments_lb
        return table.get(key, 0.0)


# ---------------------------------------------------------------- the rule in force

RULE_TEXT_MAX = 60      # exercise_sessions.progression is String(60)
RULE_REPS_MAX = 100     # as the settings' rep range


class RuleSource(StrEnum):
    """Where the rule in force comes from, strongest first."""

    TEMPLATE = "template"   # the template exercise's own rule (exercise_sessions.progression)
    EXERCISE = "exercise"   # the lifter's rule for this exercise (user_settings progression.<id>)
    TARGETS = "targets"     # the lifter's scheme over the rep range of the template's target sets
    DEFAULT = "default"     # the lifter's default (Settings)


SOURCE_NAMES: Mapping[RuleSource, str] = MappingProxyType({
    RuleSource.TEMPLATE: "this template",
    RuleSource.EXERCISE: "this exercise",
    RuleSource.TARGETS: "target sets",
    RuleSource.DEFAULT: "default",
})


class RuleProblem(StrEnum):
    """Why a rule's text was refused (``ProgressionRuleError.problem``)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN_SCHEME = "unknown_scheme"
    MISSING_REPS = "missing_reps"
    BAD_RANGE = "bad_range"          # minimum above maximum
    REPS_LIMIT = "reps_limit"        # reps outside 1..RULE_REPS_MAX
    LINEAR_RANGE = "linear_range"    # linear takes one rep target
    UNREADABLE = "unreadable"


class ProgressionRuleError(ValidationError):
    """A progression rule's text that does not parse or validate. ``field`` is "progression",
    ``problem`` a RuleProblem, ``text`` what was given; ``errors`` maps the field to the message
    (as SettingsValidationError does, so a form shows it beside the field)."""

    def __init__(self, problem: RuleProblem, text: str, message: str) -> None:
        super().__init__(message, field="progression")
        self.problem = problem
        self.text = text
        self.errors = {"progression": message}


@dataclass(frozen=True, slots=True)
class ProgressionRule:
    """A progression rule: double progression over a rep range, or linear at fixed reps
    (``rep_min == rep_max``). ``text`` is its stored form ("double 8-12", "linear 5"),
    ``label`` the words shown ("Double progression 8-12", "Linear 5 reps")."""

    scheme: ProgressionScheme
    rep_min: int
    rep_max: int
    source: RuleSource = RuleSource.DEFAULT

    def __post_init__(self) -> None:
        object.__setattr__(self, "scheme", ProgressionScheme(self.scheme))
        object.__setattr__(self, "source", RuleSource(self.source))
        if not 1 <= self.rep_min <= self.rep_max <= MAX_REPS:
            raise ValidationError(f"Rep range must satisfy 1 <= min <= max <= {MAX_REPS}.")
        if self.scheme is ProgressionScheme.LINEAR and self.rep_min != self.rep_max:
            raise ValidationError("Linear progression has one rep target.")

    @property
    def linear(self) -> bool:
        return self.scheme is ProgressionScheme.LINEAR

    @property
    def text(self) -> str:
        if self.linear:
            return f"linear {self.rep_max}"
        return f"double {self.rep_min}-{self.rep_max}"

    @property
    def label(self) -> str:
        if self.linear:
            return f"Linear {self.rep_max} reps"
        return f"Double progression {self.rep_min}-{self.rep_max}"

    def described(self, step: float = 0.0, unit_name: str = "") -> str:
        """The label with the increment where it is the rule's own: "Linear +2.5 kg, 5 reps"."""
        if self.linear and step > 0:
            return f"Linear +{_fmt(step)} {unit_name}, {self.rep_max} reps"
        return self.label

    def from_source(self, source: RuleSource) -> ProgressionRule:
        return replace(self, source=source)


_RULE = re.compile(
    r"^(?P<scheme>[a-z]+)(?:\s+progression)?"
    r"(?:\s+(?P<low>\d+)(?:\s*(?:-|–|to)\s*(?P<high>\d+))?(?:\s*reps?)?)?$"
)
_SCHEMES = {"double": ProgressionScheme.DOUBLE, "linear": ProgressionScheme.LINEAR}
_EXAMPLE = "double 8-12 or linear 5"


def parse_rule(text: str, source: RuleSource = RuleSource.TEMPLATE) -> ProgressionRule:
    """A rule from its text: "double 8-12" (a rep range; "double 10" is 10-10), "linear 5".

    Case and spaces do not matter; "double progression 8 to 12 reps" reads too. Raises
    ProgressionRuleError (with a RuleProblem) for anything else."""
    raw = "" if text is None else str(text)
    clean = " ".join(raw.lower().split())
    if not clean:
        raise ProgressionRuleError(RuleProblem.EMPTY, raw, f"Type a rule, like {_EXAMPLE}.")
    if len(clean) > RULE_TEXT_MAX:
        raise ProgressionRuleError(RuleProblem.TOO_LONG, raw, f"A rule is at most {RULE_TEXT_MAX} characters.")
    m = _RULE.match(clean)
    if m is None:
        word = clean.split()[0]
        if word not in _SCHEMES:
            raise ProgressionRuleError(
                RuleProblem.UNKNOWN_SCHEME, raw, f"A rule starts with double or linear, like {_EXAMPLE}.")
        raise ProgressionRuleError(RuleProblem.UNREADABLE, raw, f"Type the rule like {_EXAMPLE}.")
    scheme = _SCHEMES.get(m["scheme"])
    if scheme is None:
        raise ProgressionRuleError(
            RuleProblem.UNKNOWN_SCHEME, raw, f"A rule starts with double or linear, like {_EXAMPLE}.")
    if m["low"] is None:
        example = "double 8-12" if scheme is ProgressionScheme.DOUBLE else "linear 5"
        raise ProgressionRuleError(RuleProblem.MISSING_REPS, raw, f"Give the reps, like {example}.")
    low = int(m["low"])
    high = int(m["high"]) if m["high"] is not None else low
    if not (1 <= low <= RULE_REPS_MAX and 1 <= high <= RULE_REPS_MAX):
        raise ProgressionRuleError(RuleProblem.REPS_LIMIT, raw, f"Reps go from 1 to {RULE_REPS_MAX}.")
    if scheme is ProgressionScheme.LINEAR and low != high:
        raise ProgressionRuleError(
            RuleProblem.LINEAR_RANGE, raw, "Linear progression has one rep target, like linear 5.")
    if low > high:
        raise ProgressionRuleError(RuleProblem.BAD_RANGE, raw, f"A rep range goes up, like double {high}-{low}.")
    return ProgressionRule(scheme, low, high, source)


def read_rule(text: str | None, source: RuleSource) -> ProgressionRule | None:
    """A stored rule, or None when there is none or it no longer parses (reading is tolerant)."""
    if text is None or not str(text).strip():
        return None
    try:
        return parse_rule(text, source)
    except ValidationError:
        return None


def default_rule(settings: ProgressionSettings | None = None) -> ProgressionRule:
    """The lifter's default rule (Settings)."""
    settings = settings or ProgressionSettings()
    if settings.scheme is ProgressionScheme.LINEAR:
        return ProgressionRule(ProgressionScheme.LINEAR, settings.linear_reps, settings.linear_reps)
    return ProgressionRule(ProgressionScheme.DOUBLE, settings.rep_min, settings.rep_max)


def resolve_rule(
    settings: ProgressionSettings | None = None,
    template: str | ProgressionRule | None = None,
    exercise: str | ProgressionRule | None = None,
    targets: Sequence[TargetSet] = (),
) -> ProgressionRule:
    """The rule in force, strongest first: the template exercise's own rule, the exercise's,
    the rep range of the template's (working) target sets under the default scheme, the
    lifter's default. Stored texts that no longer parse are skipped."""
    for given, source in ((template, RuleSource.TEMPLATE), (exercise, RuleSource.EXERCISE)):
        rule = given.from_source(source) if isinstance(given, ProgressionRule) else read_rule(given, source)
        if rule is not None:
            return rule
    base = default_rule(settings)
    reps = [int(t.reps) for t in targets if 1 <= int(t.reps) <= MAX_REPS]
    if reps:
        if base.linear:
            return ProgressionRule(ProgressionScheme.LINEAR, max(reps), max(reps), RuleSource.TARGETS)
        return ProgressionRule(ProgressionScheme.DOUBLE, min(reps), max(reps), RuleSource.TARGETS)
    return base


@dataclass(frozen=True, slots=True)
class LoggedSet:
    weight: float
    reps: int
    unit: Unit
    is_warmup: bool = False
    duration_s: float | None = None  # per rep (time and distance kinds)
    distance_m: float | None = None
    distance_unit: str | None = None


@dataclass(frozen=True, slots=True)
class TargetSet:
    reps: int
    weight: float | None = None
    unit: Unit | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    weight: float  # time, distance: an optional load; reps only: always 0 (nothing to suggest)
    reps: int
    unit: Unit
    sets: int | None
    reason: str
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS
    duration_s: float | None = None  # per rep: the hold (time), the time to beat (distance)
    distance_m: float | None = None  # per rep (distance)
    distance_unit: str | None = None
    weight_unit: WeightUnit = WeightUnit.KG  # how to show ``weight`` (always stored kg or stacks)
    # The rule that produced it ("Double progression 8-12") and where that rule comes from.
    rule: str = ""
    rule_source: RuleSource | None = None

    @property
    def shown_weight(self) -> float:
        """The weight as the lifter reads it: pounds (2 decimals) for a lbs lifter, else as stored."""
        if self.unit is Unit.KG and self.weight_unit is WeightUnit.LBS:
            return from_kg(self.weight, WeightUnit.LBS)
        return self.weight


# ---------------------------------------------------------------- helpers

_weight_unit = weight_unit  # the parser, under a name suggest_next's parameter does not hide


@dataclass(frozen=True, slots=True)
class _Scale:
    """Where the maths happens: stored kg (as always), or pounds rounded to a loadable grid."""

    lbs: bool = False
    grid: float = 0.0  # pounds: totals are multiples of this

    def read(self, s: LoggedSet) -> float:
        return from_kg(s.weight, WeightUnit.LBS) if self.lbs and s.unit is Unit.KG else s.weight

    def on(self, unit: Unit) -> bool:
        return self.lbs and unit is Unit.KG

    def name(self, unit: Unit) -> str:
        return label(WeightUnit.LBS) if self.on(unit) else str(unit)

    def limit(self, unit: Unit) -> float:
        return max_weight(WeightUnit.LBS) if self.on(unit) else MAX_WEIGHT[unit]

    def near(self, value: float, step: float, unit: Unit) -> float:
        if not self.on(unit):
            return _round_to(value, step)
        grid = round((self.grid or step) * 100)
        if grid <= 0:
            return round(value, 2)
        return math.floor(round(value * 100, 6) / grid + 0.5) * grid / 100  # halves up

    def heavier(self, weight: float, step: float, unit: Unit) -> float:
        new = self.near(weight + step, step, unit)
        if self.on(unit) and new <= weight and self.grid > 0:  # an increment under the grid
            grid = round(self.grid * 100)
            new = (math.floor(round(weight * 100, 6) / grid + 1e-9) + 1) * grid / 100
        return new

    def lighter(self, weight: float, fraction: float, step: float, unit: Unit) -> float:
        if not self.on(unit):
            return _deloaded(weight, fraction, step)
        new = self.near(weight * (1 - fraction), step, unit)
        if new >= weight:  # the rounding ate the cut: the next loadable weight down
            grid = round((self.grid or step) * 100)
            new = (math.ceil(round(weight * 100, 6) / grid - 1e-9) - 1) * grid / 100
        return max(new, 0.0)

    def less(self, help_: float, step: float, unit: Unit) -> float:
        return max(self.near(help_ - step, step, unit), 0.0)


_KG_SCALE = _Scale()


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _clip(reason: str) -> str:
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def _to_set(item: Any) -> LoggedSet:
    if isinstance(item, LoggedSet):
        w, r, u = validate_set(item.weight, item.reps, item.unit)
        if (w, r, u) == (item.weight, item.reps, item.unit):
            return item
        return LoggedSet(w, r, u, item.is_warmup, item.duration_s, item.distance_m, item.distance_unit)
    if isinstance(item, tuple) and len(item) in (3, 4):
        weight, reps, unit = item[:3]
        warm = bool(item[3]) if len(item) == 4 else False
    else:
        raise ValidationError("A logged set is (weight, reps, unit[, is_warmup]).")
    w, r, u = validate_set(weight, reps, unit)
    return LoggedSet(w, r, u, bool(warm))


def _raw(item: Any) -> float:
    """The weight of a logged set as given (validated already by _to_set)."""
    return float(item.weight if isinstance(item, LoggedSet) else item[0])


@dataclass(frozen=True, slots=True)
class _Session:
    unit: Unit
    top: float                 # in the scale's unit (pounds for a lbs lifter)
    reps: tuple[int, ...]      # reps of the working sets
    stored: float | None = None  # the top as stored (kg), to repeat it exactly
    sets: tuple[LoggedSet, ...] = ()  # every working set as stored (records)


def _working(session: Sequence[Any], pick: Any = max, scale: _Scale = _KG_SCALE) -> _Session | None:
    """The session's working sets at its top weight (``pick``: the least for assistance)."""
    sets = [s for s in map(_to_set, session) if not s.is_warmup]
    if not sets:
        return None
    if scale.lbs:  # validate_set keeps grams; a set typed in pounds is stored unrounded: keep it so
        sets = [replace(s, weight=_raw(raw)) for raw, s in zip(session, map(_to_set, session)) if not s.is_warmup]
    unit = sets[-1].unit
    mine = [(scale.read(s), s) for s in sets if s.unit is unit]
    top = pick(w for w, _ in mine)
    at = [s for w, s in mine if w == top]
    return _Session(unit, top, tuple(s.reps for s in at), at[0].weight, tuple(sets))


def _round_to(value: float, step: float) -> float:
    if step <= 0:
        return round(value, 3)
    return round(round(value / step) * step, 3)


def _deloaded(weight: float, fraction: float, step: float) -> float:
    new = _round_to(weight * (1 - fraction), step)
    if new >= weight:  # tiny weights: the rounding ate the cut; drop one step instead
        new = round((math.ceil(weight / step - 1e-9) - 1) * step, 3)
    return max(new, 0.0)


def _validated(
    weight: float, reps: int, unit: Unit, sets: int | None, reason: str,
    scale: _Scale = _KG_SCALE, stored: float | None = None, **measures: Any,
) -> Suggestion:
    """The suggestion; with a pounds scale ``weight`` is in pounds and is stored as exact kg
    (``stored``: the kg of a weight repeated as lifted)."""
    if not scale.on(Unit(unit)):
        w, r, u = validate_set(weight, reps, unit)
        return Suggestion(w, r, u, sets, _clip(reason), **measures)
    kg = to_kg(weight, WeightUnit.LBS) if stored is None else stored
    _, r, u = validate_set(kg, reps, unit)  # the limits; the exact kg is kept, not its grams
    return Suggestion(kg + 0.0, r, u, sets, _clip(reason), weight_unit=WeightUnit.LBS, **measures)


def _first_time(
    targets: Sequence[TargetSet], equipment: Equipment | None, sets: int | None,
    rule: ProgressionRule | None = None,
) -> Suggestion | None:
    """The first target with a weight; its reps kept inside the rule's range (the range that
    will judge the session), so the first "Next" and the rule never disagree."""
    def reps_of(target: TargetSet) -> int:
        if rule is None:
            return target.reps
        return min(max(int(target.reps), rule.rep_min), rule.rep_max)

    for t in targets:
        if t.weight is not None:
            unit = Unit(t.unit) if t.unit else default_unit(equipment)
            return _validated(t.weight, reps_of(t), unit, sets, "First time: no history yet")
    if equipment == Equipment.BODYWEIGHT and targets:
        return _validated(0.0, reps_of(targets[0]), Unit.KG, sets, "First time: no history yet")
    return None


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True, slots=True)
class _Goal:
    """What a suggestion asked for, to judge the session that followed it."""

    unit: Unit
    weight: float      # in the scale's unit
    reps: int
    every_set: bool    # linear: every working set; double ("aim for N+"): the best set


@dataclass(frozen=True, slots=True)
class _Context:
    equipment: Equipment | None
    kind: ExerciseKind
    settings: ProgressionSettings
    scale: _Scale
    lower: bool
    sets: int | None   # from the template's targets

    def step(self, unit: Unit) -> float:
        wu = WeightUnit.LBS if self.scale.lbs else WeightUnit.KG
        step = self.settings.increment_for(self.equipment, unit, wu, self.lower)
        if step == 0 and self.kind is not ExerciseKind.WEIGHT_REPS and unit is Unit.KG:
            step = self.settings.increment_for(Equipment.BARBELL, unit, wu, self.lower)  # a plate on a belt
        return step


def suggest_next(
    sessions: Sequence[Sequence[LoggedSet | tuple]],
    equipment: Equipment | str | None,
    settings: ProgressionSettings | None = None,
    targets: Sequence[TargetSet] | None = None,
    kind: ExerciseKind | str = ExerciseKind.WEIGHT_REPS,
    weight_unit: WeightUnit | str = WeightUnit.KG,
    category: Category | str | None = None,
    name: str | None = None,
    plates: Sequence[float] | None = None,
    rule: ProgressionRule | None = None,
    session_rules: Sequence[ProgressionRule | None] | None = None,
    formula: Formula | str = Formula.EPLEY,
) -> Suggestion | None:
    """The suggestion for the next session, from the previous sessions (newest last).

    ``rule`` is the rule in force for the next session (``resolve_rule``; default: the
    settings' scheme over the targets' rep range, else the settings' range). ``session_rules``
    (one per session, None for ``rule``) is the rule each past session was logged under: a
    session is judged by the rule (and so the suggestion) it was shown, never by another.
    ``formula``: the e1RM formula of the records that protect a session from counting as missed.

    ``weight_unit`` is how the lifter reads this exercise (their unit, or the exercise's
    override); for pounds, ``category`` and ``name`` pick the lower-body increment
    (``is_lower_body``) and ``plates`` (pounds, default ``settings.plates_lb``) the loadable
    grid. The defaults are the kilogram behaviour. Weights in and out are stored kg/stacks.
    None when there is no usable history and no template target to start from.
    Raises ValidationError when a logged set or target breaks validate_set.
    """
    settings = settings or ProgressionSettings()
    equipment = Equipment(equipment) if equipment else None
    kind = ExerciseKind(kind)
    lbs = _weight_unit(weight_unit) is WeightUnit.LBS
    targets = list(targets or ())
    if kind in _MEASURED:
        found = _shown_in(_MEASURED[kind](sessions, targets, kind), lbs)
        return None if found is None else replace(found, rule=_MEASURED_RULES[kind])
    for t in targets:
        validate_reps(t.reps)
    rule = rule or resolve_rule(settings, targets=targets)
    sets = len(targets) if targets else None
    if session_rules is not None and len(session_rules) != len(sessions):
        raise ValueError("session_rules needs one rule (or None) per session")
    rules = list(session_rules) if session_rules is not None else [None] * len(sessions)

    assisted = kind is ExerciseKind.ASSISTED
    lower = lbs and is_lower_body(category, name)
    if lbs and equipment in (Equipment.DUMBBELL, Equipment.KETTLEBELL):
        grid = 0.0  # fixed weights: the increment is the grid
    elif lbs:
        grid = loading_step(settings.plates_lb if plates is None else plates, WeightUnit.LBS)
    else:
        grid = 0.0
    ctx = _Context(equipment, kind, settings, _Scale(lbs, grid), lower, sets)
    worked = [(w, r) for s, r in zip(sessions, rules) if (w := _working(s, min if assisted else max, ctx.scale))]
    history = [w for w, _ in worked]
    if not history:
        first = _shown_in(_first_time(targets, equipment, sets, rule), lbs)
        if first is None:
            return None
        first = first if kind is ExerciseKind.WEIGHT_REPS else replace(first, kind=kind)
        return replace(first, rule=rule.label, rule_source=rule.source)

    missed = [] if assisted else _judged(history, [r or rule for _, r in worked], ctx, Formula(formula))
    suggestion, _ = _decide(history, missed, rule, ctx)
    step = ctx.step(history[-1].unit)
    return replace(suggestion, rule=rule.described(step, ctx.scale.name(history[-1].unit)), rule_source=rule.source)


def _judged(
    history: Sequence[_Session], rules: Sequence[ProgressionRule], ctx: _Context, formula: Formula
) -> list[bool]:
    """Per session: did it miss? Below the bottom of its own rule's range, short of the goal
    the rule set for it (what "Next" said before it), and no record. A session that met its
    goal or set a record is never a miss, so it can never lead to a deload. The oldest session
    has no goal known: the range alone judges it."""
    missed: list[bool] = []
    best: dict[Unit, _Best] = {}  # the records of the sessions judged so far
    for j, session in enumerate(history):
        rule = rules[j]
        below = min(session.reps) < rule.rep_min
        if j == 0 or not below:
            missed.append(below)
        else:
            _, goal = _decide(history[:j], missed, rule, ctx)
            met = goal is not None and _met(session, goal)
            missed.append(not met and not _set_a_record(session, best, formula))
        _add_to(best, session, formula)
    return missed


def _met(session: _Session, goal: _Goal) -> bool:
    if session.unit is not goal.unit or session.top < goal.weight - 1e-6:
        return False
    reps = min(session.reps) if goal.every_set else max(session.reps)
    return reps >= goal.reps


@dataclass(slots=True)
class _Best:
    """The records of earlier sessions in one unit (as ``records.compute_records`` keeps them)."""

    heaviest: float = 0.0
    e1rm: float = 0.0
    volume: float = 0.0
    reps_at: dict[float, int] = field(default_factory=dict)  # weight (to the gram) -> most reps


def _beats(new: float, old: float) -> bool:
    return new > old and not math.isclose(new, old, rel_tol=1e-9, abs_tol=1e-9)


def _by_unit(session: _Session) -> dict[Unit, list[LoggedSet]]:
    units: dict[Unit, list[LoggedSet]] = {}
    for s in session.sets:
        units.setdefault(s.unit, []).append(s)
    return units


def _add_to(best: dict[Unit, _Best], session: _Session, formula: Formula) -> None:
    for unit, sets in _by_unit(session).items():
        b = best.setdefault(unit, _Best())
        b.heaviest = max(b.heaviest, max(s.weight for s in sets))
        b.e1rm = max(b.e1rm, max(estimate_1rm(s.weight, s.reps, formula) for s in sets))
        b.volume = max(b.volume, round(sum(s.weight * s.reps for s in sets), 3))
        for s in sets:
            key = round(s.weight, 3)
            b.reps_at[key] = max(b.reps_at.get(key, 0), s.reps)


def _set_a_record(session: _Session, best: Mapping[Unit, _Best], formula: Formula) -> bool:
    """Did ``session`` beat a record of the earlier sessions (``best``): the heaviest weight, the
    best e1RM, the most reps at a weight lifted before, the session volume? As the app flags
    them (``records.new_records``): only in a unit lifted before."""
    for unit, sets in _by_unit(session).items():
        b = best.get(unit)
        if b is None:
            continue
        if _beats(max(s.weight for s in sets), b.heaviest):
            return True
        if _beats(max(estimate_1rm(s.weight, s.reps, formula) for s in sets), b.e1rm):
            return True
        if _beats(round(sum(s.weight * s.reps for s in sets), 3), b.volume):
            return True
        if any(s.reps > b.reps_at.get(round(s.weight, 3), MAX_REPS + 1) for s in sets):
            return True
    return False


def _decide(
    history: Sequence[_Session], missed: Sequence[bool], rule: ProgressionRule, ctx: _Context
) -> tuple[Suggestion, _Goal | None]:
    """The suggestion after ``history`` under ``rule`` (``missed``: the verdicts of its
    sessions), and the goal it sets."""
    last = history[-1]
    unit, weight, scale = last.unit, last.top, ctx.scale
    sets = ctx.sets or len(last.reps)
    step = ctx.step(unit)
    bottom, top_reps = rule.rep_min, rule.rep_max
    best = max(last.reps)
    linear = rule.linear
    name_ = scale.name(unit)
    kept = {"scale": scale, "stored": last.stored}  # the weight repeated exactly as lifted
    if ctx.kind is ExerciseKind.ASSISTED:
        return _less_help(last, bottom, top_reps, step, sets, scale), None

    def goal(w: float, reps: int) -> _Goal:
        return _Goal(unit, w, reps, linear)

    if all(r >= top_reps for r in last.reps):
        heavier = scale.heavier(weight, step, unit)
        if step > 0 and heavier <= scale.limit(unit):
            delta = _fmt(heavier - weight)
            if linear:
                reason = f"All sets hit {top_reps}: +{delta} {name_}"
            else:
                reason = f"All sets hit {top_reps}: +{delta} {name_}, back to {bottom} reps"
            return _validated(heavier, bottom, unit, sets, reason, scale), goal(heavier, bottom)
        reps = min(best + 1, MAX_REPS)
        why = "At the weight limit" if step > 0 else f"All sets hit {top_reps}"
        return _validated(weight, reps, unit, sets, f"{why}: aim for {reps} reps", **kept), goal(weight, reps)

    streak = 0
    for session, miss in zip(reversed(history), reversed(list(missed))):
        if session.unit is not unit or session.top != weight or not miss:
            break
        streak += 1
    if streak >= ctx.settings.deload_after and step > 0 and weight > 0:
        lighter = scale.lighter(weight, ctx.settings.deload_fraction, step, unit)
        pct = _fmt(ctx.settings.deload_fraction * 100)
        reason = f"Missed {bottom} reps {_times(streak)}: deload {pct}% to {_fmt(lighter)} {name_}"
        return _validated(lighter, bottom, unit, sets, reason, scale), goal(lighter, bottom)

    if linear:
        reason = f"Missed {top_reps} reps: repeat {_fmt(weight)} {name_}"
        return _validated(weight, top_reps, unit, sets, reason, **kept), goal(weight, top_reps)
    reps = min(best + 1, top_reps)
    if reps < bottom:  # still under the range: build up to its bottom, one rep at a time
        reason = f"Build to {bottom}: aim for {reps}+ reps at {_fmt(weight)} {name_}"
    else:
        reason = f"Aim for {reps}+ reps at {_fmt(weight)} {name_}"
    return _validated(weight, reps, unit, sets, reason, kind=ctx.kind, **kept), goal(weight, reps)


def _shown_in(suggestion: Suggestion | None, lbs: bool) -> Suggestion | None:
    """A suggestion whose weight is a stored one (a target, a load kept as lifted), read in pounds."""
    if suggestion is None or not lbs or suggestion.unit is not Unit.KG:
        return suggestion
    return replace(suggestion, weight_unit=WeightUnit.LBS)


# ---------------------------------------------------------------- other kinds


def _less_help(
    last: _Session, bottom: int, top_reps: int, step: float, sets: int, scale: _Scale = _KG_SCALE
) -> Suggestion:
    """Assisted: the weight is the help. Every set at the top of the range: less help."""
    help_, unit, best = last.top, last.unit, max(last.reps)
    kind = ExerciseKind.ASSISTED
    name = scale.name(unit)
    kept = {"scale": scale, "stored": last.stored}
    if all(r >= top_reps for r in last.reps):
        if help_ > 0 and step > 0:
            less = scale.less(help_, step, unit)
            reason = f"All sets hit {top_reps}: {_fmt(help_ - less)} {name} less help, {bottom} reps"
            return _validated(less, bottom, unit, sets, reason, scale, kind=kind)
        reps = min(best + 1, MAX_REPS)
        return _validated(help_, reps, unit, sets, f"All sets hit {top_reps}: aim for {reps} reps", kind=kind, **kept)
    reps = min(best + 1, top_reps)
    return _validated(help_, reps, unit, sets, f"Aim for {reps}+ reps with {_fmt(help_)} {name} help", kind=kind, **kept)


def _last_working(sessions: Sequence[Sequence[Any]]) -> tuple[list[list[LoggedSet]], list[LoggedSet]]:
    """Every session's working sets (oldest first, empty sessions dropped) and the last one's."""
    worked = [w for w in ([s for s in map(_to_set, session) if not s.is_warmup] for session in sessions) if w]
    return worked, (worked[-1] if worked else [])


def _count(targets: Sequence[TargetSet], last: Sequence[LoggedSet]) -> int:
    return len(targets) or len(last)


def _more_reps(sessions: Sequence[Sequence[Any]], targets: Sequence[TargetSet], kind: ExerciseKind) -> Suggestion | None:
    _, last = _last_working(sessions)
    if not last:
        if targets:
            return _validated(0.0, targets[0].reps, Unit.KG, len(targets), "First time: no history yet", kind=kind)
        return None
    best = max(s.reps for s in last)
    reps = min(best + 1, MAX_REPS)
    reason = f"Best set {best} reps: aim for {reps}" if reps > best else f"At the limit of {MAX_REPS} reps"
    return _validated(0.0, reps, Unit.KG, _count(targets, last), reason, kind=kind)


def _next_hold(seconds: float) -> float:
    step = 5 if seconds < 120 else 15
    return float((math.floor(seconds / step + 1e-9) + 1) * step)


def _longer_hold(sessions: Sequence[Sequence[Any]], targets: Sequence[TargetSet], kind: ExerciseKind) -> Suggestion | None:
    _, last = _last_working(sessions)
    timed = [s for s in last if s.duration_s]
    if not timed:
        return None
    best = max(timed, key=lambda s: s.duration_s or 0.0)  # the first of the longest
    held = best.duration_s or 0.0
    goal = _next_hold(held)
    reason = f"Longest hold {seconds_text(held)}: aim for {seconds_text(goal)}"
    return _validated(best.weight, best.reps, best.unit, _count(targets, last), reason, kind=kind, duration_s=goal)


def _beat_pace(sessions: Sequence[Sequence[Any]], targets: Sequence[TargetSet], kind: ExerciseKind) -> Suggestion | None:
    worked, last = _last_working(sessions)
    far = [s for s in last if s.distance_m]
    if not far:
        return None
    longest = max(s.distance_m or 0.0 for s in far)
    at = [s for s in far if s.distance_m == longest]
    timed = [s for s in at if s.duration_s]
    pick = min(timed, key=lambda s: s.duration_s or 0.0) if timed else at[0]
    where = distance_text(longest, pick.distance_unit)
    common = {"kind": kind, "distance_m": longest, "distance_unit": pick.distance_unit}
    sets = _count(targets, last)
    if not timed:
        reason = f"Repeat {where}; log the time to follow your pace"
        return _validated(pick.weight, pick.reps, pick.unit, sets, reason, **common)
    ever = min(
        s.duration_s for session in worked for s in session
        if s.duration_s and s.distance_m is not None and math.isclose(s.distance_m, longest, abs_tol=0.05)
    )
    last_time = pick.duration_s or 0.0
    if last_time <= ever:
        goal = max(last_time - max(1.0, round(longest / 1000)), 1.0)
        goal = float(math.floor(goal)) if goal >= 1 else goal
        pace = pace_per_km(longest, goal) or 0.0
        reason = f"Beat {clock(last_time)} for {where}: {clock(goal)} ({clock(pace)}/km)"
    else:
        goal = ever
        reason = f"Repeat your best: {clock(goal)} for {where}"
    return _validated(pick.weight, pick.reps, pick.unit, sets, reason, duration_s=goal, **common)


_MEASURED = {
    ExerciseKind.REPS_ONLY: _more_reps,
    ExerciseKind.TIME: _longer_hold,
    ExerciseKind.DISTANCE: _beat_pace,
}
_MEASURED_RULES: Mapping[ExerciseKind, str] = MappingProxyType({
    ExerciseKind.REPS_ONLY: "One more rep each time",
    ExerciseKind.TIME: "Hold longer each time",
    ExerciseKind.DISTANCE: "Beat your pace",
})
