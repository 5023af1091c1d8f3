"""Strong-style CSV export: Strong's current header, weights in kg, one row per set."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from overload_tui.db.models import Exercise, ExerciseSession, Session, Set
from overload_tui.domain.enums import Unit

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


def strong_duration(start: datetime, end: datetime | None) -> str:
    seconds = int((end - start).total_seconds()) if end is not None and end > start else 0
    h, rest = divmod(seconds, 3600)
    m, sec = divmod(rest, 60)
    if h:
        return f"{h}h {m}m"
    if m:
        return f"{m}m"
    return f"{sec}s"


def number(value: float) -> str:
    """10.0 -> "10.0", 20.41165 -> "20.412": at most three decimals, always one."""
    text = f"{round(value, 3):.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def export_strong_csv(s: OrmSession, user_id: int) -> CsvExport:
    rows = s.execute(
        select(
            Session.id, Session.date, Session.name, Session.notes, Session.finished_at,
            ExerciseSession.id, Exercise.name, ExerciseSession.notes,
            Set.weight, Set.reps, Set.unit, Set.set_type, Set.rpe,
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
    sets = stacks = 0
    numbering: tuple[int, int] = (0, 0)  # (entry id, normal sets so far)
    for sid, date, name, notes, finished, eid, ex_name, ex_notes, weight, reps, unit, set_type, rpe in rows:
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
        writer.writerow(
            (
                date.strftime("%Y-%m-%d %H:%M:%S"),
                name or "",
                strong_duration(date, finished),
                ex_name,
                order,
                number(weight),
                reps,
                0,
                0,
                ex_notes or "",
                notes or "",
                f"{rpe:g}" if rpe is not None else "",
            )
        )
    return CsvExport(buffer.getvalue(), len(workouts), sets, stacks)
