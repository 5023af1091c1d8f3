"""Per-user settings (weight unit, e1RM formula, progression, increments, bar and plates, rest times).

They belong to the user, not the terminal, so they live in the ``user_settings`` table as
key/value text rows. Only values that differ from the defaults are stored: saving the form
unchanged writes nothing, and a later change of a default reaches everyone who never chose.

Reading is tolerant: a missing key gives the default, and a stored value that no longer
parses or validates (hand-edited, or from an older version) is ignored in favour of the
default rather than breaking the app. Writing is strict: ``update`` validates every change
and raises ``SettingsValidationError`` whose ``errors`` maps each bad field to a message
written for the user (the settings screen shows them beside the fields).

Pounds: a lifter's kilogram gym and pounds gym are kept apart (``bar_weight`` / ``plates`` /
``increments`` in kg, ``bar_weight_lb`` / ``plates_lb`` / ``increments_lb`` and
``lower_increments_lb`` in lb), so switching ``weight_unit`` back and forth loses neither.
``bar_for(unit)`` and ``plates_for(unit)`` give the ones of a unit. Machine stacks progress by
``increments[machine]`` whatever the unit.

Stored keys: ``weight_unit``, ``e1rm_formula``, ``progression``, ``rep_min``, ``rep_max``,
``linear_reps``, ``increment.<equipment>``, ``increment_lb.<equipment>``,
``lower_increment_lb.<equipment>``, ``deload_after``, ``deload_percent``, ``bar_weight``,
``plates`` (comma-separated), ``bar_weight_lb``, ``plates_lb``, ``rest_heavy``, ``rest_default``,
``rest_isolation``, ``rest_step``; ``unit.<exercise id>`` (see ``set_exercise_unit``),
``warmup.<exercise id>`` (see ``set_warmups``); ``progression.<exercise id>``: that exercise's
own progression rule as text ("double 8-12", "linear 5": ``domain.progression.parse_rule``; see
``set_exercise_progression``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session as OrmSession

from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, UserSetting
from overload_tui.domain.e1rm import Formula
from overload_tui.domain.enums import Category, Equipment
from overload_tui.domain.errors import NotFoundError, ValidationError
from overload_tui.domain.plates import DEFAULT_BAR, DEFAULT_BAR_LB, DEFAULT_PLATES, DEFAULT_PLATES_LB
from overload_tui.domain.progression import (
    DEFAULT_INCREMENTS,
    DEFAULT_INCREMENTS_LB,
    DEFAULT_LOWER_INCREMENTS_LB,
    ProgressionRule,
    ProgressionScheme,
    ProgressionSettings,
    RuleSource,
    default_rule,
    parse_rule,
    read_rule,
)
from overload_tui.domain.rest import DEFAULT_REST, HEAVY_REST, ISOLATION_REST, default_rest_seconds
from overload_tui.domain.units import LoadUnit, WeightUnit, label, load_unit, weight_unit
from overload_tui.services.base import ServiceBase

REP_LIMIT = 100
# The heaviest increment, bar and plate, per weight unit (about the same mass in either).
INCREMENT_LIMIT: Mapping[WeightUnit, float] = MappingProxyType({WeightUnit.KG: 50.0, WeightUnit.LBS: 110.0})
BAR_LIMIT: Mapping[WeightUnit, float] = MappingProxyType({WeightUnit.KG: 100.0, WeightUnit.LBS: 220.0})
PLATE_LIMIT: Mapping[WeightUnit, float] = MappingProxyType({WeightUnit.KG: 100.0, WeightUnit.LBS: 220.0})
PLATES_MAX_COUNT = 20
REST_LIMIT = 3600
REST_STEP_LIMIT = 600
DELOAD_AFTER_LIMIT = 10
DELOAD_PERCENT_MIN, DELOAD_PERCENT_MAX = 1.0, 50.0


def _frozen_increments(defaults: Mapping[Equipment, float] = DEFAULT_INCREMENTS) -> Mapping[Equipment, float]:
    return MappingProxyType({e: float(defaults.get(e, 0.0)) for e in Equipment})


def _pounds(unit: LoadUnit | WeightUnit | str) -> bool:
    return load_unit(unit) is LoadUnit.LBS


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's settings, every field filled (defaults where the user chose nothing)."""

    e1rm_formula: Formula = Formula.EPLEY
    progression: ProgressionScheme = ProgressionScheme.DOUBLE
    rep_min: int = 8                      # double progression's rep range...
    rep_max: int = 12                     # ...when the template gives no targets
    linear_reps: int = 5                  # linear progression's target reps
    increments: Mapping[Equipment, float] = field(default_factory=_frozen_increments)
    deload_after: int = 2                 # sessions in a row below the range before a deload
    deload_percent: float = 10.0          # how much a deload takes off
    bar_weight: float = DEFAULT_BAR       # kg
    plates: tuple[float, ...] = DEFAULT_PLATES  # kg, heaviest first
    # The pounds gym: bar, plates (lb, heaviest first) and increments (lb) of upper-body lifts
    # (and any not known to be lower-body) and of lower-body ones (progression.is_lower_body).
    bar_weight_lb: float = DEFAULT_BAR_LB
    plates_lb: tuple[float, ...] = DEFAULT_PLATES_LB
    increments_lb: Mapping[Equipment, float] = field(default_factory=lambda: _frozen_increments(DEFAULT_INCREMENTS_LB))
    lower_increments_lb: Mapping[Equipment, float] = field(
        default_factory=lambda: _frozen_increments(DEFAULT_LOWER_INCREMENTS_LB))
    rest_heavy: int = HEAVY_REST          # seconds: heavy compound lifts
    rest_default: int = DEFAULT_REST      # seconds: everything else
    rest_isolation: int = ISOLATION_REST  # seconds: isolation and core work
    rest_step: int = 15                   # seconds the rest timer's +/- keys add or take off
    weight_unit: WeightUnit = WeightUnit.KG  # how the lifter types and reads weights
    # Exercises read in another unit than ``weight_unit`` (kg dumbbells in a pounds gym, a
    # machine's stacks): exercise id -> unit, chosen with ctrl+t in the workout.
    exercise_units: Mapping[int, LoadUnit] = field(default_factory=lambda: MappingProxyType({}))
    # Exercises whose warm-up ramp is turned off (``warmup.<id>`` = off; see set_warmups).
    warmups_off: frozenset[int] = frozenset()
    # Exercises with their own progression rule (``progression.<id>``): exercise id -> rule.
    exercise_rules: Mapping[int, ProgressionRule] = field(default_factory=lambda: MappingProxyType({}))

    def rule_for(self, exercise_id: int) -> ProgressionRule | None:
        """The exercise's own progression rule, or None: the lifter's default (or a template's)."""
        return self.exercise_rules.get(exercise_id)

    def default_rule(self) -> ProgressionRule:
        """The lifter's default rule: "double 8-12" unless they chose otherwise in Settings."""
        return default_rule(self.progression_settings())

    def unit_for(self, exercise_id: int) -> LoadUnit | None:
        """The unit chosen for this exercise (ctrl+t), or None: the lifter's own."""
        return self.exercise_units.get(exercise_id)

    def bar_for(self, unit: LoadUnit | WeightUnit | str) -> float:
        """The bar in ``unit``: ``bar_weight_lb`` for pounds, else (kg; stacks have none) ``bar_weight``."""
        return self.bar_weight_lb if _pounds(unit) else self.bar_weight

    def plates_for(self, unit: LoadUnit | WeightUnit | str) -> tuple[float, ...]:
        """The plates in ``unit``: ``plates_lb`` for pounds, else (kg; stacks have none) ``plates``."""
        return self.plates_lb if _pounds(unit) else self.plates

    @property
    def deload_fraction(self) -> float:
        return self.deload_percent / 100.0

    def progression_settings(self) -> ProgressionSettings:
        """The domain's ProgressionSettings for suggest_next."""
        return ProgressionSettings(
            scheme=self.progression,
            rep_min=self.rep_min,
            rep_max=self.rep_max,
            increments=self.increments,
            deload_after=self.deload_after,
            deload_fraction=self.deload_fraction,
            linear_reps=self.linear_reps,
            increments_lb=self.increments_lb,
            lower_increments_lb=self.lower_increments_lb,
            plates_lb=self.plates_lb,
        )

    def rest_seconds(self, category: Category | str, equipment: Equipment | str | None, name: str) -> int:
        """The user's rest for an exercise: the domain's kind of exercise, the user's duration."""
        kind = default_rest_seconds(category, equipment, name)
        if kind == HEAVY_REST:
            return self.rest_heavy
        if kind == ISOLATION_REST:
            return self.rest_isolation
        return self.rest_default


DEFAULTS = UserSettings()


class SettingsValidationError(ValidationError):
    """Invalid settings. ``errors`` maps a field name (``increments.barbell`` for one
    increment) to its message; str(error) is all the messages, one per line."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


# -- parsing and validating one value ----------------------------------------------------------
def _number(value: Any, label: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{label} must be a number.")
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text:
            raise ValidationError(f"Enter {label[0].lower() + label[1:]}.")
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(f"{label} must be a number, not {value.strip()[:20]!r}.") from None
    if not isinstance(value, (int, float)):
        raise ValidationError(f"{label} must be a number.")
    value = float(value)
    if not math.isfinite(value):
        raise ValidationError(f"{label} must be a finite number.")
    return value


def _whole(value: Any, label: str) -> int:
    number = _number(value, label)
    if not number.is_integer():
        raise ValidationError(f"{label} must be a whole number.")
    return int(number)


def _ranged(low: float, high: float, unit: str = "") -> Callable[[float, str], None]:
    def check(value: float, label: str) -> None:
        if not low <= value <= high:
            suffix = f" {unit}" if unit else ""
            raise ValidationError(f"{label} must be from {low:g} to {high:g}{suffix}.")

    return check


def _int_field(low: int, high: int, unit: str = "") -> Callable[[Any, str], int]:
    def parse(value: Any, label: str) -> int:
        number = _whole(value, label)
        _ranged(low, high, unit)(number, label)
        return number

    return parse


def _float_field(low: float, high: float, unit: str = "") -> Callable[[Any, str], float]:
    def parse(value: Any, label: str) -> float:
        number = _number(value, label)
        _ranged(low, high, unit)(number, label)
        if abs(number * 100 - round(number * 100)) > 1e-6:
            raise ValidationError(f"{label} must be a multiple of 0.01.")
        return round(number, 2)

    return parse


def _weight_unit(value: Any, label: str) -> WeightUnit:
    try:
        return weight_unit(value)
    except ValidationError:
        raise ValidationError(f"{label} must be kg or lbs.") from None


def _formula(value: Any, label: str) -> Formula:
    try:
        return Formula(str(value).strip().lower())
    except ValueError:
        raise ValidationError(f"{label} must be Epley or Brzycki.") from None


def _scheme(value: Any, label: str) -> ProgressionScheme:
    try:
        return ProgressionScheme(str(value).strip().lower())
    except ValueError:
        raise ValidationError(f"{label} must be double or linear.") from None


_PLATE_SPLIT = re.compile(r"[\s,;/+]+")


def _plates_in(unit: WeightUnit) -> Callable[[Any, str], tuple[float, ...]]:
    """The parser of a list of plates in ``unit``: its messages say the unit."""
    name, limit = label(unit), PLATE_LIMIT[unit]
    example = "45, 35, 25, 10, 5" if unit is WeightUnit.LBS else "25, 20, 10, 5"

    def parse(value: Any, what: str) -> tuple[float, ...]:
        if isinstance(value, str):
            items: Iterable[Any] = [p for p in _PLATE_SPLIT.split(value.strip()) if p]
        elif isinstance(value, Iterable):
            items = list(value)
        else:
            raise ValidationError(f"{what}: list the plate weights, like {example}.")
        plates: list[float] = []
        for item in items:
            plate = _number(item, "Each plate")
            if not 0 < plate <= limit:
                raise ValidationError(f"Each plate must be more than 0 and at most {limit:g} {name}.")
            if abs(plate * 100 - round(plate * 100)) > 1e-6:
                raise ValidationError(f"Each plate must be a multiple of 0.01 {name}.")
            plate = round(plate, 2)
            if plate in plates:
                raise ValidationError(f"{what}: {plate:g} {name} is listed twice.")
            plates.append(plate)
        if not plates:
            raise ValidationError(f"{what}: list at least one plate weight, like {example}.")
        if len(plates) > PLATES_MAX_COUNT:
            raise ValidationError(f"{what}: at most {PLATES_MAX_COUNT} different plates.")
        return tuple(sorted(plates, reverse=True))

    return parse


@dataclass(frozen=True, slots=True)
class _Field:
    label: str
    parse: Callable[[Any, str], Any]
    dump: Callable[[Any], str] = str


def _num_text(value: float) -> str:
    return f"{value:g}"


def _plates_text(plates: tuple[float, ...]) -> str:
    return ",".join(f"{p:g}" for p in plates)


FIELDS: Mapping[str, _Field] = MappingProxyType({
    "e1rm_formula": _Field("e1RM formula", _formula),
    "progression": _Field("Progression", _scheme),
    "rep_min": _Field("Rep range minimum", _int_field(1, REP_LIMIT)),
    "rep_max": _Field("Rep range maximum", _int_field(1, REP_LIMIT)),
    "linear_reps": _Field("Linear target reps", _int_field(1, REP_LIMIT)),
    "deload_after": _Field("Deload after", _int_field(1, DELOAD_AFTER_LIMIT, "sessions")),
    "deload_percent": _Field("Deload", _float_field(DELOAD_PERCENT_MIN, DELOAD_PERCENT_MAX, "%"), _num_text),
    "bar_weight": _Field("Bar weight", _float_field(0, BAR_LIMIT[WeightUnit.KG], "kg"), _num_text),
    "plates": _Field("Plates", _plates_in(WeightUnit.KG), _plates_text),
    "bar_weight_lb": _Field("Bar weight", _float_field(0, BAR_LIMIT[WeightUnit.LBS], "lb"), _num_text),
    "plates_lb": _Field("Plates", _plates_in(WeightUnit.LBS), _plates_text),
    "rest_heavy": _Field("Rest for heavy lifts", _int_field(0, REST_LIMIT, "seconds")),
    "rest_default": _Field("Rest (default)", _int_field(0, REST_LIMIT, "seconds")),
    "rest_isolation": _Field("Rest for isolation work", _int_field(0, REST_LIMIT, "seconds")),
    "rest_step": _Field("Rest timer step", _int_field(1, REST_STEP_LIMIT, "seconds")),
    "weight_unit": _Field("Weight unit", _weight_unit),
})
EXERCISE_UNIT_PREFIX = "unit."  # unit.<exercise id>: that exercise's unit (see exercise_units)
EXERCISE_RULE_PREFIX = "progression."  # progression.<exercise id>: its rule (see exercise_rules)
WARMUP_PREFIX = "warmup."  # warmup.<exercise id> = off: no warm-up ramp for it (see warmups_off)
INCREMENT_PREFIX = "increment."
EQUIPMENT_LABELS: Mapping[Equipment, str] = MappingProxyType({
    Equipment.BARBELL: "Barbell increment",
    Equipment.DUMBBELL: "Dumbbell increment",
    Equipment.MACHINE: "Machine increment",
    Equipment.KETTLEBELL: "Kettlebell increment",
    Equipment.RESISTANCE_BAND: "Band increment",
    Equipment.BODYWEIGHT: "Bodyweight increment",
})


@dataclass(frozen=True, slots=True)
class IncrementTable:
    """One table of increments per equipment: a UserSettings field, its stored keys' prefix."""

    prefix: str
    defaults: Mapping[Equipment, float]
    unit: WeightUnit
    lower_body: bool = False

    def label(self, equipment: Equipment) -> str:
        """'Barbell increment', 'Lower-body barbell increment'."""
        text = EQUIPMENT_LABELS[equipment]
        return f"Lower-body {text[0].lower()}{text[1:]}" if self.lower_body else text

    def parse(self, value: Any, label_: str) -> float:
        # kg keeps its unitless message: its machine increment is in stacks
        suffix = label(self.unit) if self.unit is WeightUnit.LBS else ""
        return _float_field(0, INCREMENT_LIMIT[self.unit], suffix)(value, label_)


INCREMENT_TABLES: Mapping[str, IncrementTable] = MappingProxyType({
    "increments": IncrementTable(INCREMENT_PREFIX, DEFAULT_INCREMENTS, WeightUnit.KG),
    "increments_lb": IncrementTable("increment_lb.", DEFAULT_INCREMENTS_LB, WeightUnit.LBS),
    "lower_increments_lb": IncrementTable("lower_increment_lb.", DEFAULT_LOWER_INCREMENTS_LB, WeightUnit.LBS, True),
})


def _check_together(values: dict[str, Any], errors: dict[str, str]) -> None:
    """Rules between fields (only for fields that are valid on their own)."""
    lo, hi = values.get("rep_min"), values.get("rep_max")
    if lo is not None and hi is not None and lo > hi and not {"rep_min", "rep_max"} & errors.keys():
        errors["rep_min"] = f"Rep range minimum must be from 1 to the maximum ({hi})."


def _as_dict(settings: UserSettings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in fields(settings)}


def _from_rows(rows: Iterable[tuple[str, str]]) -> UserSettings:
    """Stored rows -> settings; anything unknown or invalid falls back to the default."""
    values = _as_dict(DEFAULTS)
    tables = {name: dict(getattr(DEFAULTS, name)) for name in INCREMENT_TABLES}
    units: dict[int, LoadUnit] = {}
    warmups_off: set[int] = set()
    rules: dict[int, ProgressionRule] = {}
    for key, text in rows:
        try:
            if key.startswith(EXERCISE_RULE_PREFIX):
                rule = read_rule(text, RuleSource.EXERCISE)
                if rule is not None:
                    rules[int(key[len(EXERCISE_RULE_PREFIX):])] = rule
                continue
            if key.startswith(WARMUP_PREFIX):
                if text == "off":
                    warmups_off.add(int(key[len(WARMUP_PREFIX):]))
                continue
            if key.startswith(EXERCISE_UNIT_PREFIX):
                units[int(key[len(EXERCISE_UNIT_PREFIX):])] = load_unit(text)
                continue
            table = _table_of(key)
            if table is not None:
                equipment = Equipment(key[len(INCREMENT_TABLES[table].prefix):])
                tables[table][equipment] = INCREMENT_TABLES[table].parse(text, "Increment")
            elif key in FIELDS:
                values[key] = FIELDS[key].parse(text, FIELDS[key].label)
        except (ValidationError, ValueError):
            continue
    errors: dict[str, str] = {}
    _check_together(values, errors)
    if errors:  # e.g. a stored minimum above a stored maximum: the default range
        values["rep_min"], values["rep_max"] = DEFAULTS.rep_min, DEFAULTS.rep_max
    values.update({name: MappingProxyType(table) for name, table in tables.items()})
    values["exercise_units"] = MappingProxyType(units)
    values["warmups_off"] = frozenset(warmups_off)
    values["exercise_rules"] = MappingProxyType(rules)
    return UserSettings(**values)


def _to_rows(settings: UserSettings) -> dict[str, str]:
    """The rows that differ from the defaults."""
    rows: dict[str, str] = {}
    for name, spec in FIELDS.items():
        value = getattr(settings, name)
        if value != getattr(DEFAULTS, name):
            rows[name] = spec.dump(value)
    for name, table in INCREMENT_TABLES.items():
        for equipment, value in getattr(settings, name).items():
            if value != table.defaults.get(equipment, 0.0):
                rows[table.prefix + equipment.value] = _num_text(value)
    return rows


def _table_of(key: str) -> str | None:
    """The increment table a stored key belongs to ('increment_lb.barbell' -> 'increments_lb')."""
    return next((name for name, table in INCREMENT_TABLES.items() if key.startswith(table.prefix)), None)


def initial_rows(**changes: Any) -> dict[str, str]:
    """The rows a new account starts with (``weight_unit="lbs"``): validated as ``update`` does."""
    return _to_rows(apply_changes(DEFAULTS, changes))


def apply_changes(current: UserSettings, changes: Mapping[str, Any]) -> UserSettings:
    """``current`` with ``changes`` applied, every change validated (pure: no database).

    Values may be typed (``rep_min=6``) or text as typed in a form (``rep_min="6"``,
    ``plates="25, 20, 10"``). ``increments`` (and ``increments_lb``, ``lower_increments_lb``) is
    a mapping of equipment to increment, merged into the current ones: errors under
    ``increments.barbell``. Raises SettingsValidationError listing every bad field.
    """
    values = _as_dict(current)
    errors: dict[str, str] = {}
    tables = {name: dict(getattr(current, name)) for name in INCREMENT_TABLES}
    for name, raw in changes.items():
        if name in INCREMENT_TABLES:
            if not isinstance(raw, Mapping):
                errors[name] = "Increments must be given per equipment."
                continue
            for key, value in raw.items():
                try:
                    equipment = Equipment(key)
                except ValueError:
                    errors[f"{name}.{key}"] = f"There is no equipment called {str(key)[:20]!r}."
                    continue
                table = INCREMENT_TABLES[name]
                try:
                    tables[name][equipment] = table.parse(value, table.label(equipment))
                except ValidationError as error:
                    errors[f"{name}.{equipment.value}"] = str(error)
            continue
        spec = FIELDS.get(name)
        if spec is None:
            errors[name] = f"There is no setting called {str(name)[:30]!r}."
            continue
        try:
            values[name] = spec.parse(raw, spec.label)
        except ValidationError as error:
            errors[name] = str(error)
    _check_together(values, errors)
    if errors:
        raise SettingsValidationError(errors)
    values.update({name: MappingProxyType(table) for name, table in tables.items()})
    return UserSettings(**values)


def _is_ours(key: str) -> bool:
    """Keys this module manages (other features may keep their own rows in the table)."""
    return key in FIELDS or _table_of(key) is not None  # not exercise units: see set_exercise_unit


def _rows(s: OrmSession, user_id: int) -> list[tuple[str, str]]:
    query = select(UserSetting.key, UserSetting.value).where(UserSetting.user_id == user_id)
    return [(key, value) for key, value in s.execute(query)]


def read_settings(s: OrmSession, user_id: int) -> UserSettings:
    """A user's settings inside a caller's transaction (one query): for other services."""
    return _from_rows(_rows(s, user_id))


class SettingsService(ServiceBase):
    """The settings of one user."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    def get(self) -> UserSettings:
        """The user's settings, in one query; defaults for anything not (validly) stored."""
        with self._tx() as s:
            return read_settings(s, self.user_id)

    def update(self, **changes: Any) -> UserSettings:
        """Validate and save ``changes``; returns the settings as saved.

        Raises SettingsValidationError (nothing saved) when any change is invalid.
        """
        with self._tx(write=True) as s:
            stored = dict(_rows(s, self.user_id))
            new = apply_changes(_from_rows(stored.items()), changes)
            wanted = _to_rows(new)
            stale = [k for k in stored if _is_ours(k) and k not in wanted]
            if stale:
                s.execute(
                    delete(UserSetting).where(UserSetting.user_id == self.user_id, UserSetting.key.in_(stale))
                )
            for key, value in wanted.items():
                if key not in stored:
                    s.add(UserSetting(user_id=self.user_id, key=key, value=value))
                elif stored[key] != value:
                    row = s.get(UserSetting, (self.user_id, key))
                    row.value = value
            return new

    def set_exercise_unit(self, exercise_id: int, unit: LoadUnit | str | None) -> None:
        """Read and type this exercise in ``unit`` from now on (None: the lifter's own unit).
        Kept apart from the form's settings: ``reset`` does not forget them."""
        self._set_per_exercise(EXERCISE_UNIT_PREFIX, exercise_id, load_unit(unit).value if unit is not None else None)

    def _set_per_exercise(self, prefix: str, exercise_id: int, value: str | None) -> None:
        """Store one per-exercise setting (``prefix`` + the exercise's id), or remove it (None);
        NotFoundError for an exercise the lifter cannot see."""
        key = f"{prefix}{int(exercise_id)}"
        with self._tx(write=True) as s:
            visible = s.scalar(select(Exercise.id).where(
                Exercise.id == int(exercise_id), or_(Exercise.owner_id.is_(None), Exercise.owner_id == self.user_id)))
            if visible is None:
                raise NotFoundError("That exercise was not found.")
            row = s.get(UserSetting, (self.user_id, key))
            if value is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(UserSetting(user_id=self.user_id, key=key, value=value))
            else:
                row.value = value

    def set_warmups(self, exercise_id: int, on: bool) -> None:
        """Propose the warm-up ramp for this exercise (on, the default) or not. Kept apart from
        the form's settings, as exercise units are."""
        self._set_per_exercise(WARMUP_PREFIX, exercise_id, None if on else "off")

    def set_exercise_progression(self, exercise_id: int, rule: str | ProgressionRule | None) -> ProgressionRule | None:
        """Progress this exercise by ``rule`` ("double 8-12", "linear 5") wherever no template
        exercise has its own; None or blank text: back to the lifter's default. Returns the rule
        saved (None when cleared). Raises ProgressionRuleError (``field`` "progression", a
        ``problem``) for text that does not parse, NotFoundError for an exercise the lifter
        cannot see. Kept apart from the form's settings: ``reset`` does not forget them."""
        if isinstance(rule, ProgressionRule):
            parsed: ProgressionRule | None = rule.from_source(RuleSource.EXERCISE)
        elif rule is None or not str(rule).strip():
            parsed = None
        else:
            parsed = parse_rule(rule, RuleSource.EXERCISE)
        self._set_per_exercise(EXERCISE_RULE_PREFIX, exercise_id, parsed.text if parsed is not None else None)
        return parsed

    def reset(self) -> UserSettings:
        """Back to the defaults: every stored setting of the user removed."""
        with self._tx(write=True) as s:
            ours = [k for k, _ in _rows(s, self.user_id) if _is_ours(k)]
            if ours:
                s.execute(delete(UserSetting).where(UserSetting.user_id == self.user_id, UserSetting.key.in_(ours)))
        return replace(DEFAULTS)
