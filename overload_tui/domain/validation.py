"""Validation of user input, shared by the service, the importers and the screens."""

from __future__ import annotations

import math
import re

from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import MAX_STACKS, MAX_WEIGHT_KG, LoadUnit, decimals, load_label, load_limit, load_unit

MAX_WEIGHT = {Unit.KG: MAX_WEIGHT_KG, Unit.STACKS: MAX_STACKS}
MAX_REPS = 1000
MAX_DURATION = 24 * 3600        # seconds: a hold, or one rep of a distance, up to a day
MAX_DISTANCE_M = 1_000_000.0    # one rep of a distance set: up to 1,000 km
NAME_MAX = 100          # exercises.name, templates.name
SUBCATEGORY_MAX = 100
NOTES_MAX = 10_000      # Text columns: a generous cap so a paste cannot fill the disk
USERNAME_MIN, USERNAME_MAX = 3, 50
EMAIL_MAX = 255
DISPLAY_NAME_MAX = 100
PASSWORD_MIN, PASSWORD_MAX_BYTES = 8, 72
SET_TYPES = ("warmup", "drop", "failure")
KIND_WORDS = {
    **{k.value.replace("_", " "): k for k in ExerciseKind},
    "weight": ExerciseKind.WEIGHT_REPS, "weight x reps": ExerciseKind.WEIGHT_REPS,
    "reps": ExerciseKind.REPS_ONLY, "bodyweight": ExerciseKind.REPS_ONLY, "bw": ExerciseKind.REPS_ONLY,
    "added": ExerciseKind.WEIGHTED, "bw plus": ExerciseKind.WEIGHTED, "bw minus": ExerciseKind.ASSISTED,
    "timed": ExerciseKind.TIME, "hold": ExerciseKind.TIME, "cardio": ExerciseKind.DISTANCE,
}
KIND_CHOICES = "weight, reps, weighted, assisted, time, distance"  # NULL in the database is a normal working set

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
# C0 and C1 control characters (except tab and newline, allowed in notes only).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates: what a badly decoded paste turns into; no database can store them.
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Bidirectional embeddings, overrides and isolates: in a one-line name they can make the text
# (and the columns after it) display in an order other than the one stored. Allowed in notes.
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def parse_unit(value: object) -> Unit:
    try:
        return Unit(str(value).strip().lower())
    except ValueError:
        raise ValidationError(f"Unit must be kg or stacks, not {str(value)[:20]!r}.") from None


def parse_category(value: object) -> Category:
    try:
        return Category(str(value).strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in Category)
        raise ValidationError(f"Category must be one of {names}.") from None


def parse_equipment(value: object) -> Equipment | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return Equipment(str(value).strip().lower().replace(" ", "_"))
    except ValueError:
        names = ", ".join(e.value for e in Equipment)
        raise ValidationError(f"Equipment must be one of {names}.") from None


def validate_weight(weight: object, unit: Unit | LoadUnit | str) -> float:
    """The load in ``unit`` (kg, lbs or stacks), rounded to what the unit keeps (see units.decimals)."""
    unit = load_unit(unit)
    if isinstance(weight, bool):
        raise ValidationError("Weight must be a number.", field="weight")
    if isinstance(weight, str):
        text = weight.strip().replace(",", ".")
        if not text:
            raise ValidationError("Enter a weight (0 for bodyweight).", field="weight")
        try:
            weight = float(text)
        except ValueError:
            raise ValidationError(f"Weight must be a number, not {weight.strip()[:20]!r}.", field="weight") from None
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError("Weight must be a number.", field="weight") from None
    if not math.isfinite(value):
        raise ValidationError("Weight must be a finite number.", field="weight")
    if value < 0:
        raise ValidationError("Weight cannot be negative (use 0 for bodyweight).", field="weight")
    limit = load_limit(unit)
    if value > limit:
        raise ValidationError(f"Weight must be at most {limit:g} {load_label(unit)}.", field="weight")
    return round(value, decimals(unit))


def validate_reps(reps: object) -> int:
    if isinstance(reps, bool):
        raise ValidationError("Reps must be a whole number.", field="reps")
    if isinstance(reps, str):
        text = reps.strip()
        if not text:
            raise ValidationError("Enter the reps.", field="reps")
        if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            raise ValidationError(f"Reps must be a whole number, not {text[:20]!r}.", field="reps")
        reps = int(float(text)) if len(text) < 12 else MAX_REPS + 1
    if isinstance(reps, float):
        if not math.isfinite(reps) or not reps.is_integer():
            raise ValidationError("Reps must be a whole number.", field="reps")
        reps = int(reps)
    if not isinstance(reps, int):
        raise ValidationError("Reps must be a whole number.", field="reps")
    if reps < 1:
        raise ValidationError("Reps must be at least 1.", field="reps")
    if reps > MAX_REPS:
        raise ValidationError(f"Reps must be at most {MAX_REPS}.", field="reps")
    return reps


def _number(value: object, what: str, field: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{what} must be a number.", field=field)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"{what} must be a number.", field=field) from None
    if not math.isfinite(number):
        raise ValidationError(f"{what} must be a finite number.", field=field)
    return number


def validate_duration(seconds: object) -> float:
    """A time per rep, in seconds: more than 0, at most 24 hours (to the tenth of a second)."""
    value = round(_number(seconds, "A time", "duration"), 1)
    if value <= 0:
        raise ValidationError("A time must be more than 0 seconds.", field="duration")
    if value > MAX_DURATION:
        raise ValidationError("A time must be at most 24 hours.", field="duration")
    return value


def validate_distance(distance_m: object) -> float:
    """A distance per rep, in metres: more than 0, at most 1,000 km (to the millimetre)."""
    value = round(_number(distance_m, "A distance", "distance"), 3)
    if value <= 0:
        raise ValidationError("A distance must be more than 0.", field="distance")
    if value > MAX_DISTANCE_M:
        raise ValidationError("A distance must be at most 1,000 km.", field="distance")
    return value


def parse_kind(value: object) -> ExerciseKind:
    """An exercise kind from its value or a word a lifter would type ('reps', 'timed', 'cardio')."""
    text = " ".join(str(value or "").lower().replace("_", " ").replace("-", " ").split())
    kind = KIND_WORDS.get(text)
    if kind is None:
        raise ValidationError(f"Kind must be one of {KIND_CHOICES}, not {text[:20]!r}.", field="kind")
    return kind


def validate_set(weight: object, reps: object, unit: object) -> tuple[float, int, Unit]:
    u = parse_unit(unit)
    return validate_weight(weight, u), validate_reps(reps), u


def clean_name(value: object, what: str = "Name", limit: int = NAME_MAX, *, field: str | None = None) -> str:
    """A single-line name: trimmed, no control characters, 1..limit characters. ``field`` is the
    errors' ``field`` (which input the name came from)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if _CONTROL_RE.search(text):
        raise ValidationError(f"{what} cannot contain control characters.", field=field)
    if _SURROGATE_RE.search(text):
        raise ValidationError(f"{what} contains characters that are not valid text.", field=field)
    if _BIDI_RE.search(text):
        raise ValidationError(f"{what} cannot contain text-direction control characters.", field=field)
    if not text:
        raise ValidationError(f"{what} cannot be empty.", field=field)
    if len(text) > limit:
        raise ValidationError(f"{what} must be at most {limit} characters (it has {len(text)}).", field=field)
    return text


def scrub_name(value: object, limit: int = NAME_MAX) -> tuple[str, bool]:
    """For importers, which clean a file's names rather than refuse its rows: ``value`` with
    what ``clean_name`` refuses taken out (control characters become spaces; text-direction
    controls and lone surrogates are dropped), spaces collapsed, cut to ``limit`` with "…".
    Returns the text and whether it had to be changed beyond trimming. What it returns passes
    ``clean_name`` unless it is empty."""
    raw = "" if value is None else str(value)
    text = _SURROGATE_RE.sub("", _BIDI_RE.sub("", _CONTROL_RE.sub(" ", raw)))
    changed = bool(_CONTROL_RE.search(raw) or _BIDI_RE.search(raw) or _SURROGATE_RE.search(raw))
    text = " ".join(text.split())
    if len(text) > limit:
        text, changed = text[: limit - 1].rstrip() + "…", True
    return text, changed


def clean_notes(value: object, what: str = "Notes", limit: int = NOTES_MAX) -> str | None:
    """Free text: kept as typed (newlines and tabs allowed), None when blank."""
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        raise ValidationError(f"{what} cannot contain control characters.")
    if _SURROGATE_RE.search(text):
        raise ValidationError(f"{what} contains characters that are not valid text.")
    if not text.strip():
        return None
    if len(text) > limit:
        raise ValidationError(f"{what} must be at most {limit} characters (it has {len(text)}).")
    return text


def validate_username(value: object) -> str:
    text = str(value or "").strip()
    if not USERNAME_MIN <= len(text) <= USERNAME_MAX:
        raise ValidationError(f"Username must be {USERNAME_MIN} to {USERNAME_MAX} characters.", field="username")
    if not _USERNAME_RE.fullmatch(text):
        raise ValidationError("Username may only contain letters, digits, '.', '_' and '-'.", field="username")
    return text


def validate_email(value: object) -> str:
    text = str(value or "").strip()
    if (
        len(text) > EMAIL_MAX
        or not _EMAIL_RE.fullmatch(text)
        or _CONTROL_RE.search(text)
        or _SURROGATE_RE.search(text)
    ):
        raise ValidationError("Enter a valid email address, like name@example.com.", field="email")
    return text


def validate_password(value: object) -> str:
    text = "" if value is None else str(value)
    if len(text) < PASSWORD_MIN:
        raise ValidationError(f"Password must be at least {PASSWORD_MIN} characters.", field="password")
    if _SURROGATE_RE.search(text):
        raise ValidationError("Password contains characters that are not valid text.", field="password")
    if "\x00" in text:  # bcrypt implementations disagree on what comes after a NUL
        raise ValidationError("Password cannot contain NUL characters.", field="password")
    if len(text.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValidationError(f"Password must be at most {PASSWORD_MAX_BYTES} bytes.", field="password")
    return text
