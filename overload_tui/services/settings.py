"""Per-user settings (e1RM formula, progression, increments, bar and plates, rest times).

They belong to the user, not the terminal, so they live in the ``user_settings`` table as
key/value text rows. Only values that differ from the defaults are stored: saving the form
unchanged writes nothing, and a later change of a default reaches everyone who never chose.

Reading is tolerant: a missing key gives the default, and a stored value that no longer
parses or validates (hand-edited, or from an older version) is ignored in favour of the
default rather than breaking the app. Writing is strict: ``update`` validates every change
and raises ``SettingsValidationError`` whose ``errors`` maps each bad field to a message
written for the user (the settings screen shows them beside the fields).

Stored keys: ``e1rm_formula``, ``progression``, ``rep_min``, ``rep_max``, ``linear_reps``,
``increment.<equipment>``, ``deload_after``, ``deload_percent``, ``bar_weight``, ``plates``
(comma-separated), ``rest_heavy``, ``rest_default``, ``rest_isolation``, ``rest_step``.
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
from overload_tui.domain.plates import DEFAULT_BAR, DEFAULT_PLATES
from overload_tui.domain.progression import DEFAULT_INCREMENTS, ProgressionScheme, ProgressionSettings
from overload_tui.domain.units import LoadUnit, WeightUnit, load_unit, weight_unit
from overload_tui.domain.rest import DEFAULT_REST, HEAVY_REST, ISOLATION_REST, default_rest_seconds
from overload_tui.services.base import ServiceBase

REP_LIMIT = 100
INCREMENT_LIMIT = 50.0
BAR_LIMIT = 100.0
PLATE_LIMIT = 100.0
PLATES_MAX_COUNT = 20
REST_LIMIT = 3600
REST_STEP_LIMIT = 600
DELOAD_AFTER_LIMIT = 10
DELOAD_PERCENT_MIN, DELOAD_PERCENT_MAX = 1.0, 50.0


def _frozen_increments(values: Mapping[Equipment | str, float] | None = None) -> Mapping[Equipment, float]:
    merged = dict(DEFAULT_INCREMENTS)
    for key, value in (values or {}).items():
        merged[Equipment(key)] = float(value)
    return MappingProxyType({e: merged.get(e, 0.0) for e in Equipment})


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
    rest_heavy: int = HEAVY_REST          # seconds: heavy compound lifts
    rest_default: int = DEFAULT_REST      # seconds: everything else
    rest_isolation: int = ISOLATION_REST  # seconds: isolation and core work
    rest_step: int = 15                   # seconds the rest timer's +/- keys add or take off
    weight_unit: WeightUnit = WeightUnit.KG  # how the lifter types and reads weights
    # Exercises read in another unit than ``weight_unit`` (kg dumbbells in a pounds gym, a
    # machine's stacks): exercise id -> unit, chosen with ctrl+t in the workout.
    exercise_units: Mapping[int, LoadUnit] = field(default_factory=lambda: MappingProxyType({}))

    def unit_for(self, exercise_id: int) -> LoadUnit | None:
        """The unit chosen for this exercise (ctrl+t), or None: the lifter's own."""
        return self.exercise_units.get(exercise_id)

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


def _plates(value: Any, label: str) -> tuple[float, ...]:
    if isinstance(value, str):
        items: Iterable[Any] = [p for p in _PLATE_SPLIT.split(value.strip()) if p]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        raise ValidationError(f"{label}: list the plate weights, like 25, 20, 10, 5.")
    plates: list[float] = []
    for item in items:
        plate = _number(item, "Each plate")
        if not 0 < plate <= PLATE_LIMIT:
            raise ValidationError(f"Each plate must be more than 0 and at most {PLATE_LIMIT:g} kg.")
        if abs(plate * 100 - round(plate * 100)) > 1e-6:
            raise ValidationError("Each plate must be a multiple of 0.01 kg.")
        plate = round(plate, 2)
        if plate in plates:
            raise ValidationError(f"{label}: {plate:g} kg is listed twice.")
        plates.append(plate)
    if not plates:
        raise ValidationError(f"{label}: list at least one plate weight, like 25, 20, 10, 5.")
    if len(plates) > PLATES_MAX_COUNT:
        raise ValidationError(f"{label}: at most {PLATES_MAX_COUNT} different plates.")
    return tuple(sorted(plates, reverse=True))


@dataclass(frozen=True, slots=True)
class _Field:
    label: str
    parse: Callable[[Any, str], Any]
    dump: Callable[[Any], str] = str


def _num_text(value: float) -> str:
    return f"{value:g}"


FIELDS: Mapping[str, _Field] = MappingProxyType({
    "e1rm_formula": _Field("e1RM formula", _formula),
    "progression": _Field("Progression", _scheme),
    "rep_min": _Field("Rep range minimum", _int_field(1, REP_LIMIT)),
    "rep_max": _Field("Rep range maximum", _int_field(1, REP_LIMIT)),
    "linear_reps": _Field("Linear target reps", _int_field(1, REP_LIMIT)),
    "deload_after": _Field("Deload after", _int_field(1, DELOAD_AFTER_LIMIT, "sessions")),
    "deload_percent": _Field("Deload", _float_field(DELOAD_PERCENT_MIN, DELOAD_PERCENT_MAX, "%"), _num_text),
    "bar_weight": _Field("Bar weight", _float_field(0, BAR_LIMIT, "kg"), _num_text),
    "plates": _Field("Plates", _plates, lambda v: ",".join(f"{p:g}" for p in v)),
    "rest_heavy": _Field("Rest for heavy lifts", _int_field(0, REST_LIMIT, "seconds")),
    "rest_default": _Field("Rest (default)", _int_field(0, REST_LIMIT, "seconds")),
    "rest_isolation": _Field("Rest for isolation work", _int_field(0, REST_LIMIT, "seconds")),
    "rest_step": _Field("Rest timer step", _int_field(1, REST_STEP_LIMIT, "seconds")),
    "weight_unit": _Field("Weight unit", _weight_unit),
})
EXERCISE_UNIT_PREFIX = "unit."  # unit.<exercise id>: that exercise's unit (see exercise_units)
INCREMENT_PREFIX = "increment."
EQUIPMENT_LABELS: Mapping[Equipment, str] = MappingProxyType({
    Equipment.BARBELL: "Barbell increment",
    Equipment.DUMBBELL: "Dumbbell increment",
    Equipment.MACHINE: "Machine increment",
    Equipment.KETTLEBELL: "Kettlebell increment",
    Equipment.RESISTANCE_BAND: "Band increment",
    Equipment.BODYWEIGHT: "Bodyweight increment",
})
_parse_increment = _float_field(0, INCREMENT_LIMIT)


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
    increments = dict(DEFAULTS.increments)
    units: dict[int, LoadUnit] = {}
    for key, text in rows:
        try:
            if key.startswith(EXERCISE_UNIT_PREFIX):
                units[int(key[len(EXERCISE_UNIT_PREFIX):])] = load_unit(text)
            elif key.startswith(INCREMENT_PREFIX):
                equipment = Equipment(key[len(INCREMENT_PREFIX):])
                increments[equipment] = _parse_increment(text, "Increment")
            elif key in FIELDS:
                values[key] = FIELDS[key].parse(text, FIELDS[key].label)
        except (ValidationError, ValueError):
            continue
    errors: dict[str, str] = {}
    _check_together(values, errors)
    if errors:  # e.g. a stored minimum above a stored maximum: the default range
        values["rep_min"], values["rep_max"] = DEFAULTS.rep_min, DEFAULTS.rep_max
    values["increments"] = MappingProxyType(increments)
    values["exercise_units"] = MappingProxyType(units)
    return UserSettings(**values)


def _to_rows(settings: UserSettings) -> dict[str, str]:
    """The rows that differ from the defaults."""
    rows: dict[str, str] = {}
    for name, spec in FIELDS.items():
        value = getattr(settings, name)
        if value != getattr(DEFAULTS, name):
            rows[name] = spec.dump(value)
    for equipment, value in settings.increments.items():
        if value != DEFAULTS.increments.get(equipment, 0.0):
            rows[INCREMENT_PREFIX + equipment.value] = _num_text(value)
    return rows


def apply_changes(current: UserSettings, changes: Mapping[str, Any]) -> UserSettings:
    """``current`` with ``changes`` applied, every change validated (pure: no database).

    Values may be typed (``rep_min=6``) or text as typed in a form (``rep_min="6"``,
    ``plates="25, 20, 10"``). ``increments`` is a mapping of equipment to increment, merged
    into the current ones. Raises SettingsValidationError listing every bad field.
    """
    values = _as_dict(current)
    errors: dict[str, str] = {}
    increments = dict(current.increments)
    for name, raw in changes.items():
        if name == "increments":
            if not isinstance(raw, Mapping):
                errors["increments"] = "Increments must be given per equipment."
                continue
            for key, value in raw.items():
                try:
                    equipment = Equipment(key)
                except ValueError:
                    errors[f"increments.{key}"] = f"There is no equipment called {str(key)[:20]!r}."
                    continue
                label = EQUIPMENT_LABELS[equipment]
                try:
                    increments[equipment] = _parse_increment(value, label)
                except ValidationError as error:
                    errors[f"increments.{equipment.value}"] = str(error)
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
    values["increments"] = MappingProxyType(increments)
    return UserSettings(**values)


def _is_ours(key: str) -> bool:
    """Keys this module manages (other features may keep their own rows in the table)."""
    return key in FIELDS or key.startswith(INCREMENT_PREFIX)  # not exercise units: see set_exercise_unit


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
        key = f"{EXERCISE_UNIT_PREFIX}{int(exercise_id)}"
        value = load_unit(unit).value if unit is not None else None
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

    def reset(self) -> UserSettings:
        """Back to the defaults: every stored setting of the user removed."""
        with self._tx(write=True) as s:
            ours = [k for k, _ in _rows(s, self.user_id) if _is_ours(k)]
            if ours:
                s.execute(delete(UserSetting).where(UserSetting.user_id == self.user_id, UserSetting.key.in_(ours)))
        return replace(DEFAULTS)
