"""How numbers, sets and dates read on screen. Plain functions, shared by every screen (one
implementation each: the templates, history and progress screens used to carry their own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from overload_tui.domain.enums import DistanceUnit, ExerciseKind, Unit
from overload_tui.domain.measures import BODYWEIGHT_KINDS, clock, distance_text, pace_per_km, seconds_text
from overload_tui.domain.units import LoadUnit, WeightUnit, from_stored, load_label, load_unit
from overload_tui.services.dto import SetInfo


MEASURED_KINDS = frozenset({ExerciseKind.TIME, ExerciseKind.DISTANCE})
SET_TYPE_MARKS = {"warmup": "W", "drop": "D", "failure": "F"}  # the set table's mark


def number(value: float, grouping: bool = False) -> str:
    """100 -> '100', 102.5 -> '102.5', 1234.5 -> '1,234.5' with ``grouping`` (to 0.001, never
    '100.0')."""
    text = f"{value:,.3f}" if grouping else f"{value:.3f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def weight(value: float) -> str:
    """100 -> '100', 102.5 -> '102.5', 102.125 -> '102.125' (never '100.0')."""
    return number(value)


def unit_label(unit: LoadUnit | Unit | str) -> str:
    """'kg', 'lb' or 'stacks'."""
    return load_label(unit)


def load(s: Any) -> tuple[float, LoadUnit]:
    """A set's load as the lifter reads it: (225, lbs) for a set typed in pounds. ``s`` is a
    SetInfo or a ParsedSet (``amount``, ``load_unit``), or anything with ``weight`` and ``unit``."""
    if hasattr(s, "load_unit"):
        return s.amount, s.load_unit
    return s.weight, load_unit(s.unit)


def weight_in(kg: float, unit: LoadUnit | WeightUnit | str, *, grouping: bool = False) -> str:
    """A stored weight (kg, or stacks) read in ``unit``: '225 lb', '102.5 kg', '8 stacks'."""
    unit = load_unit(unit)
    return f"{number(from_stored(kg, unit), grouping=grouping)} {load_label(unit)}"


def kind_of(s: Any, kind: ExerciseKind | str | None = None) -> ExerciseKind:
    """The set's kind: the exercise's when given, else what the set measures (a bodyweight
    load cannot be told from the set alone)."""
    if kind is not None:
        return ExerciseKind(kind)
    if s.distance_m:
        return ExerciseKind.DISTANCE
    return ExerciseKind.TIME if s.duration_s else ExerciseKind.WEIGHT_REPS


def load_text(s: Any, kind: ExerciseKind | str | None = None, *, short: bool = False, compact: bool = False) -> str:
    """What was moved: '100 kg', 'bw+20 kg', 'bw−30 kg', 'bw' (reps only, or no load added),
    '+20 kg' on a timed or distance set ('' without a load). ``short``: '100', 'bw+20', '8st';
    ``compact``: '8 st' for stacks (a table's column)."""
    kind = kind_of(s, kind)
    value, unit = load(s)
    stacks = unit is LoadUnit.STACKS
    label = ("st" if stacks else "") if short else " st" if compact and stacks else f" {unit_label(unit)}"
    amount = number(value, grouping=not short) + label
    if kind is ExerciseKind.REPS_ONLY or (kind in BODYWEIGHT_KINDS and not s.weight):
        return "bw"
    if kind is ExerciseKind.WEIGHTED:
        return f"bw+{amount}"
    if kind is ExerciseKind.ASSISTED:
        return f"bw\u2212{amount}"
    if kind in MEASURED_KINDS:
        return f"+{amount}" if s.weight else ""
    return amount


def measure_text(s: Any, *, pace: bool = False) -> str:
    """A timed or distance set's measures, per rep: '60 s', '1:30', '2000 m in 7:30', '20 m';
    ``pace``: '5 km in 25:00 (5:00/km)' (per mile for miles)."""
    if not s.distance_m:
        return seconds_text(s.duration_s) if s.duration_s else ""
    text = distance_text(s.distance_m, s.distance_unit)
    if not s.duration_s:
        return text
    text += f" in {clock(s.duration_s)}"
    per_km = pace_per_km(s.distance_m, s.duration_s)
    if pace and per_km:
        mile = s.distance_unit == DistanceUnit.MI
        text += f" ({clock(round(per_km * (1.609344 if mile else 1)))}/{'mi' if mile else 'km'})"
    return text


def set_long(s: SetInfo, kind: ExerciseKind | str | None = None) -> str:
    """A set on its own line (history, templates, the status line): '1,000 kg × 5', '8 stacks ×
    12', '15 reps', 'bw+20 kg × 8', 'bw−30 kg × 8', '60 s', '1:30 +20 kg', '3 × 60 s',
    '5 km in 25:00 (5:00/km)', '8 × 400 m in 1:30'."""
    kind = kind_of(s, kind)
    if kind is ExerciseKind.REPS_ONLY:
        return plural(s.reps, "rep")
    if kind not in MEASURED_KINDS:
        return f"{load_text(s, kind)} × {s.reps}"
    text = (f"{s.reps} × " if s.reps != 1 else "") + (measure_text(s, pace=True) or "?")
    load = load_text(s, kind)
    return f"{text} {load}" if load else text


def set_short(s: SetInfo, kind: ExerciseKind | str | None = None) -> str:
    """For one-line summaries: '100×5', '8st×12', '15', 'bw+20×8', 'bw−30×8', '60 s', '1:30',
    '2000 m in 7:30', '3×60 s', '20 m +100'."""
    kind = kind_of(s, kind)
    if kind is ExerciseKind.REPS_ONLY:
        return str(s.reps)
    if kind not in MEASURED_KINDS:
        return f"{load_text(s, kind, short=True)}×{s.reps}"
    text = (f"{s.reps}×" if s.reps != 1 else "") + (measure_text(s) or "?")
    load = load_text(s, kind, short=True)
    return f"{text} {load}" if load else text


def set_entry_text(s: Any, kind: ExerciseKind | str | None = None) -> str:
    """What the set box holds for a set, read back as the same set by the exercise's kind:
    '100x5', '15 reps', 'bw+20x8', 'bw-30x8', 'bwx8', '60s', '1:30 +20', '3x60s', '2000m 7:30',
    '8x400m', '20m +100'."""
    kind = kind_of(s, kind)
    value, unit = load(s)
    if kind is ExerciseKind.REPS_ONLY:
        return f"{s.reps} reps"
    if kind not in MEASURED_KINDS:
        amount = "bw" if kind in BODYWEIGHT_KINDS and not s.weight else weight(value)
        sign = {ExerciseKind.WEIGHTED: "bw+", ExerciseKind.ASSISTED: "bw-"}.get(kind, "") if s.weight else ""
        return f"{sign}{amount}x{s.reps}"
    words = []
    if s.distance_m:
        words.append(distance_text(s.distance_m, s.distance_unit).replace(" ", ""))
    if s.duration_s:
        words.append(clock(s.duration_s) if s.duration_s > 60 or not float(s.duration_s).is_integer()
                     else f"{number(s.duration_s)}s")
    if s.weight:
        words.append(f"+{number(value)}" + ("stacks" if unit is LoadUnit.STACKS else ""))
    text = " ".join(words) or "?"
    return f"{s.reps}x{text}" if s.reps != 1 else text


def sets_line(sets: Iterable[SetInfo], kind: ExerciseKind | str | None = None) -> str:
    """'100×5, 100×5', '15, 12, 10 reps', '60 s, 45 s'."""
    sets = list(sets)
    line = ", ".join(set_short(s, kind) for s in sets)
    if sets and kind is not None and ExerciseKind(kind) is ExerciseKind.REPS_ONLY:
        return f"{line} rep{'s' if sets[-1].reps != 1 or len(sets) > 1 else ''}"
    return line


def day(d: datetime) -> str:
    """'Tue 4 Mar'."""
    return f"{d:%a} {d.day} {d:%b}"


def day_time(d: datetime, now: datetime | None = None) -> str:
    """'Tue 4 Mar 2025 18:30', without the year when it is ``now``'s."""
    if now is not None and d.year == now.year:
        return f"{d:%a} {d.day} {d:%b %H:%M}"
    return f"{d:%a} {d.day} {d:%b %Y %H:%M}"


def relative_day(d: datetime, now: datetime) -> str:
    """'today', 'yesterday', else 'Tue 4 Mar' (with the year when it is not this year)."""
    delta = (now.date() - d.date()).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return dated(d, now)


def dated(d: datetime, now: datetime) -> str:
    """'Tue 4 Mar', with the year when it is not ``now``'s: 'Tue 14 Jan 2025'."""
    return day(d) if d.year == now.year else f"{day(d)} {d.year}"


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the week ``now`` is in."""
    monday = now.date() - timedelta(days=now.weekday())
    return datetime(monday.year, monday.month, monday.day)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 set', '1,200 sets' (``many``: the plural when it is not ``word`` + s)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
