"""Strong-style CSV export: Strong's current header, weights in kg, one row per set.

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

STRONG_HEADER = (
    "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps",
    "Distance", "Seconds", "Notes", "Workout Notes", "RPE",
)  # fmt: skip
_MARKS = {"warmup": "W", "drop": "D", "failure": "F"}


@dataclass(frozen=True, slots=True)
class CsvExport:
    text: str
    workouts: int
    sets: int
    stacks_sets_left_out: int  # Strong has no "stacks" unit: those sets are in the JSON backup only
    distance_sets: int = 0  # sets with a distance (written in km)


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


def measures(kind: str, weight: float, reps: int, duration_s: float | None, distance_m: float | None) -> tuple:
    """Weight, Reps, Distance (km, to the millimetre) and Seconds as Strong writes a set."""
    weight_text = number(-weight if kind == ExerciseKind.ASSISTED and weight else weight)
    timed = duration_s is not None or distance_m is not None
    distance = number(distance_m * reps / 1000, 6) if distance_m is not None else 0
    seconds = number(duration_s * reps).removesuffix(".0") if duration_s is not None else 0
    return weight_text, 0 if timed and reps == 1 else reps, distance, seconds


def export_strong_csv(s: OrmSession, user_id: int) -> CsvExport:
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STRONG_HEADER)
    workouts: set[int] = set()
    sets = stacks = distances = 0
    numbering: tuple[int, int] = (0, 0)  # (entry id, normal sets so far)
    for sid, date, name, notes, finished, eid, ex_name, kind, ex_notes, weight, reps, unit, set_type, rpe, secs, dist in rows:
        if Unit(unit) is not Unit.KG:
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
        writer.writerow(
            (
                date.strftime("%Y-%m-%d %H:%M:%S"),
                name or "",
                strong_duration(date, finished),
                ex_name,
                order,
                *measures(kind, weight, reps, secs, dist),
                ex_notes or "",
                notes or "",
                f"{rpe:g}" if rpe is not None else "",
            )
        )
    return CsvExport(buffer.getvalue(), len(workouts), sets, stacks, distances)
