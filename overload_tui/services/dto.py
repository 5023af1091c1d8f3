"""What the service hands out: frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit
from overload_tui.domain.units import ReadsInUnit

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    email: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: UserInfo
    token: str = field(repr=False)  # a bearer credential: never in a repr, a log or a traceback


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    id: int
    name: str
    category: Category
    subcategory: str | None
    equipment: Equipment | None
    custom: bool = False
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS


@dataclass(frozen=True, slots=True)
class SetInfo(ReadsInUnit):
    id: int
    order: int
    weight: float
    reps: int
    unit: Unit
    set_type: str | None = None
    rpe: float | None = None
    logged_at: datetime | None = None
    duration_s: float | None = None  # per rep: timed and distance sets (see ExerciseKind)
    distance_m: float | None = None  # per rep
    distance_unit: str | None = None  # how the distance was typed: "m", "km", "mi", ...
    display_unit: str | None = None  # 'lbs': typed or imported in pounds (``weight`` is still kg)

    @property
    def volume(self) -> float:
        """Stored units (kg, or stacks) times reps: sums stay in kg whatever the set reads in."""
        return self.weight * self.reps


def unfrozen(cls: type) -> type:
    """A class with the slots of the frozen slotted dataclass ``cls`` and no frozen __setattr__.

    Where thousands of ``cls`` objects are made, one of these is filled at plain attribute speed
    and then given ``cls`` as its class (the same layout, so Python allows it): a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, about 1 µs an object.
    """
    return type(f"Unfrozen{cls.__name__}", cls.__bases__, {"__slots__": cls.__slots__})


_UnfrozenSetInfo = unfrozen(SetInfo)


def new_set_info(
    id: int,
    order: int,
    weight: float,
    reps: int,
    unit: Unit,
    set_type: str | None = None,
    rpe: float | None = None,
    logged_at: datetime | None = None,
    duration_s: float | None = None,
    distance_m: float | None = None,
    distance_unit: str | None = None,
    display_unit: str | None = None,
) -> SetInfo:
    """``SetInfo(...)`` at a quarter of the cost, for the thousands of sets of a long history
    (see ``unfrozen``)."""
    info: Any = _UnfrozenSetInfo()
    info.id = id
    info.order = order
    info.weight = weight
    info.reps = reps
    info.unit = unit
    info.set_type = set_type
    info.rpe = rpe
    info.logged_at = logged_at
    info.duration_s = duration_s
    info.distance_m = distance_m
    info.distance_unit = distance_unit
    info.display_unit = display_unit
    info.__class__ = SetInfo
    return info


@dataclass(frozen=True, slots=True)
class EntryInfo:
    """One exercise in a session or template, with its sets (targets, in a template)."""

    id: int
    order: int
    exercise: ExerciseInfo
    sets: tuple[SetInfo, ...] = ()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    date: datetime
    notes: str | None
    name: str | None = None
    finished_at: datetime | None = None
    entries: tuple[EntryInfo, ...] = ()

    @property
    def set_count(self) -> int:
        return sum(len(e.sets) for e in self.entries)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A row of the history list."""

    id: int
    date: datetime
    name: str | None
    notes: str | None
    finished_at: datetime | None
    exercise_count: int
    set_count: int
    volume_kg: float
    volume_stacks: float
    exercise_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TemplateSummary:
    id: int
    name: str
    description: str | None
    exercise_count: int


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    id: int
    name: str
    description: str | None
    entries: tuple[EntryInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class HistorySession:
    """One session's sets of one exercise, for progress work."""

    session_id: int
    date: datetime
    sets: tuple[SetInfo, ...] = field(default=())


# -- as JSON (the dashboard's glance: overload_tui.glance) ----------------------------------------
def as_row(item: Any) -> list[Any]:
    """A DTO's fields as a JSON list (datetimes as ISO text): ``from_row`` reads it back."""
    return [v.isoformat() if isinstance(v, datetime) else v for v in (getattr(item, f.name) for f in fields(item))]


_KINDS: dict[str, type | tuple[type, ...]] = {"int": int, "str": str, "float": (int, float)}


def json_value(annotation: str, value: Any) -> Any:
    """``value`` as read from JSON, checked against a DTO field's annotation ("str | None",
    "datetime", "tuple[str, ...]"...); TypeError or ValueError when it does not fit."""
    kind, _, rest = annotation.partition(" | ")
    if value is None and rest == "None":
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "tuple[str, ...]" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    if kind in _KINDS and isinstance(value, _KINDS[kind]) and not isinstance(value, bool):
        return value
    raise TypeError(f"{value!r} is not {annotation}")


def from_row(cls: type[T], row: list[Any]) -> T:
    """``cls`` from ``as_row``'s list, every value checked against its field (what is read back
    may have been edited, or written by another version)."""
    return cls(*(json_value(f.type, v) for f, v in zip(fields(cls), row, strict=True)))
