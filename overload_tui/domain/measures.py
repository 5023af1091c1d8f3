"""The measures of a set that is not weight x reps: time, distance, pace, and the load of a
bodyweight set. Pure functions shared by the logbook, records, progress, import and export.

How each kind is stored is :class:`~overload_tui.domain.enums.ExerciseKind`'s docstring.
"""

from __future__ import annotations

from overload_tui.domain.enums import METRES_PER, DistanceUnit, ExerciseKind

BODYWEIGHT_KINDS = frozenset({ExerciseKind.WEIGHTED, ExerciseKind.ASSISTED})


def clock(seconds: float) -> str:
    """65 -> '1:05', 3725 -> '1:02:05', 42.5 -> '0:42.5': how a time reads in a set."""
    whole = int(seconds)
    fraction = round(seconds - whole, 1)
    if fraction >= 1:
        whole, fraction = whole + 1, 0.0
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    tail = f"{s:02d}" + (f"{fraction:.1f}"[1:] if fraction else "")
    return f"{h}:{m:02d}:{tail}" if h else f"{m}:{tail}"


def seconds_text(seconds: float) -> str:
    """60 -> '60 s', 90 -> '1:30': short holds in seconds, longer ones as a clock."""
    if seconds <= 60 and float(seconds).is_integer():
        return f"{int(seconds)} s"
    return clock(seconds)


def metres(value: float, unit: DistanceUnit | str) -> float:
    """A distance typed in ``unit``, in metres (to the millimetre)."""
    return round(value * METRES_PER[DistanceUnit(unit)], 3)


def in_unit(distance_m: float, unit: DistanceUnit | str | None) -> float:
    """Metres back in the unit it was typed in (5 mi stays 5), to three decimals."""
    return round(distance_m / METRES_PER[DistanceUnit(unit or DistanceUnit.M)], 3)


def distance_text(distance_m: float, unit: DistanceUnit | str | None) -> str:
    """'2000 m', '5 km', '3.1 mi': in the unit it was typed in (metres when unknown)."""
    value = in_unit(distance_m, unit)
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text} {DistanceUnit(unit or DistanceUnit.M).value}"


def pace_per_km(distance_m: float | None, duration_s: float | None) -> float | None:
    """Seconds per kilometre (lower is faster); None without both measures."""
    if not distance_m or not duration_s:
        return None
    return duration_s * 1000.0 / distance_m


def effective_load(kind: ExerciseKind | str, weight: float, body_weight: float | None) -> float | None:
    """What was lifted: body weight plus the added load (weighted) or minus the assistance
    (assisted, never below 0); the weight itself for every other kind. None when a
    bodyweight set's body weight is not known."""
    kind = ExerciseKind(kind)
    if kind not in BODYWEIGHT_KINDS:
        return weight
    if body_weight is None:
        return None
    if kind is ExerciseKind.WEIGHTED:
        return body_weight + weight
    return max(body_weight - weight, 0.0)
