"""Strong CSV export, one row per set, every weight in the lifter's unit.

A kg lifter gets Strong's current layout (comma-delimited, a bare Weight column, which Strong
writes in the account's unit and every reader takes as kg unless told). A lbs lifter gets the
layout in which Strong says its units on every row (semicolon-delimited, Weight Unit and
Distance Unit columns, the Workout Duration last): weights in pounds as typed (225, not
224.99), and any reader of Strong files, this importer among them, knows they are pounds
whoever imports them. A set logged in the other unit is converted (units.from_stored).

As Strong writes them: a timed or distance set's Seconds and Distance are the whole set's (the
database keeps them per rep), distances in km (Strong's header does not say; km goes with kg, and
every reader of Strong files reads it so), a set of one timed rep or one distance has 0 reps, a
bodyweight set weighs 0 and an assisted set's assistance is a negative weight.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from overload_tui.db.models import Exercise, ExerciseSession, Session, Set
from overload_tui.domain.enums import ExerciseKind, Unit
from overload_tui.domain.units import LoadUnit, WeightUnit, decimals, from_stored

STRONG_HEADER = (
    "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps",
    "Distance", "Seconds", "Notes", "Workout Notes", "RPE",
)  # fmt: skip
# Strong's layout with the units on every row (its exports of pounds accounts, Android's).
STRONG_UNITS_HEADER = (
    "Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Weight Unit", "Reps", "RPE",
    "Distance", "Distance Unit", "Seconds", "Notes", "Workout Notes", "Workout Duration",
)  # fmt: skip
_MARKS = {"warmup": "W", "drop": "D", "failure": "F"}


@dataclass(frozen=True, slots=True)
class CsvExport:
    text: str
    workouts: int
    sets: int
    stacks_sets_left_out: int  # Strong has no "stacks" unit: those sets are in the JSON backup only
    distance_sets: int = 0  # sets with a distance (written in km)
    unit: WeightUnit = WeightUnit.KG  # the unit of every weight written


def strong_duration(start: datetime, end: datetime | None) -> str:
    seconds = int((end - start).total_seconds()) if end is not None and end > start else 0
    h, rest = divmod(seconds, 3600)
    m, sec = divmod(rest, 60)
    if h:
        return f"{h}h {m}m"
    if m:
        return f"{m}m"
    return f"{sec}s"


def number(value: float, decimals: int = 3) -> str:
    """10.0 -> "10.0", 20.41165 -> "20.412": at most three decimals (or ``decimals``), always one."""
    text = f"{round(value, decimals):.{decimals}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def measures(
    kind: str, weight: float, reps: int, duration_s: float | None, distance_m: float | None, places: int = 3
) -> tuple:
    """Weight (to ``places`` decimals), Reps, Distance (km, to the millimetre) and Seconds as
    Strong writes a set."""
    weight_text = number(-weight if kind == ExerciseKind.ASSISTED and weight else weight, places)
    timed = duration_s is not None or distance_m is not None
    distance = number(distance_m * reps / 1000, 6) if distance_m is not None else 0
    seconds = number(duration_s * reps).removesuffix(".0") if duration_s is not None else 0
    return weight_text, 0 if timed and reps == 1 else reps, distance, seconds


def export_strong_csv(s: OrmSession, user_id: int, unit: WeightUnit = WeightUnit.KG) -> CsvExport:
    rows = s.execute(
        select(
            Session.id, Session.date, Session.name, Session.notes, Session.finished_at,
            ExerciseSession.id, Exercise.name, Exercise.kind, ExerciseSession.notes,
            Set.weight, Set.reps, Set.unit, Set.set_type, Set.rpe, Set.duration_s, Set.distance_m,
        )  # fmt: skip
        .join(ExerciseSession, ExerciseSession.session_id == Session.id)
        .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
        .join(Set, Set.exercise_session_id == ExerciseSession.id)
        .where(Session.user_id == user_id)
        .order_by(Session.date, Session.id, ExerciseSession.order, Set.order)
    )
    load, pounds = LoadUnit(unit.value), unit is WeightUnit.LBS
    places = decimals(load)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if pounds else ",", lineterminator="\n")
    writer.writerow(STRONG_UNITS_HEADER if pounds else STRONG_HEADER)
    workouts: set[int] = set()
    sets = stacks = distances = 0
    numbering: tuple[int, int] = (0, 0)  # (entry id, normal sets so far)
    for sid, date, name, notes, finished, eid, ex_name, kind, ex_notes, weight, reps, stored, set_type, rpe, secs, dist in rows:
        if Unit(stored) is not Unit.KG:
            stacks += 1
            continue
        if set_type in _MARKS:
            order = _MARKS[set_type]
        else:
            n = numbering[1] + 1 if numbering[0] == eid else 1
            numbering = (eid, n)
            order = str(n)
        workouts.add(sid)
        sets += 1
        distances += dist is not None
        when, duration = date.strftime("%Y-%m-%d %H:%M:%S"), strong_duration(date, finished)
        weight_text, reps_text, distance, seconds = measures(kind, from_stored(weight, load), reps, secs, dist, places)
        rpe_text = f"{rpe:g}" if rpe is not None else ""
        if pounds:
            writer.writerow((when, name or "", ex_name, order, weight_text, unit.value, reps_text, rpe_text,
                             distance, "km" if dist is not None else "", seconds, ex_notes or "", notes or "",
                             duration))  # fmt: skip
        else:
            writer.writerow((when, name or "", duration, ex_name, order, weight_text, reps_text, distance,
                             seconds, ex_notes or "", notes or "", rpe_text))  # fmt: skip
    return CsvExport(buffer.getvalue(), len(workouts), sets, stacks, distances, unit)
