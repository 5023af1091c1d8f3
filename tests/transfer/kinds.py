"""What the kinds-of-set transfer tests share: a file with a set of every kind, and the sets and
exercise kinds of a user read straight from SQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from overload_tui.domain.enums import Category, ExerciseKind
from overload_tui.services.transfer.model import (
    CustomExerciseDef,
    ExerciseRef,
    ParsedEntry,
    ParsedFile,
    ParsedSet,
    ParsedWorkout,
)


def pset(weight: float, reps: int, duration_s=None, distance_m=None, distance_unit=None, **kw) -> ParsedSet:
    return ParsedSet("line 2", weight, reps, duration_s=duration_s, distance_m=distance_m,
                     distance_unit=distance_unit, **kw)  # fmt: skip


def entry(name: str, *sets: ParsedSet, kind_hint: ExerciseKind | None = None, custom=None) -> ParsedEntry:
    return ParsedEntry(ExerciseRef(name, custom, kind_hint=kind_hint), sets=list(sets))


# exercise -> its sets as (weight, reps, duration_s, distance_m, distance_unit), stored exactly so
EVERY_KIND: dict[str, list[tuple]] = {
    "Plank": [(0.0, 1, 60.0, None, None), (0.0, 1, 42.5, None, None)],  # catalogue: time
    "Running": [(0.0, 1, 1800.0, 8046.72, "mi")],  # catalogue: distance, 5 mi in 30:00
    "Rowing (Machine)": [(0.0, 8, 90.0, 400.0, "m"), (0.0, 1, 450.0, 2000.0, "m")],  # 8 x 400 m; 2 km
    "Sled Push": [(80.0, 1, None, 20.0, "m")],  # a loaded distance with no time
    "Push Up": [(0.0, 20, None, None, None)],  # reps only
    "Pull Up (Weighted)": [(10.0, 8, None, None, None), (0.0, 10, None, None, None)],  # added load
    "Pull Up (Assisted)": [(20.0, 8, None, None, None)],  # the assistance
    "Bench Press (Barbell)": [(100.0, 5, None, None, None)],
    "Farmer Carry Long": [(40.0, 2, 25.0, 45.72, "yd")],  # new: 2 x 50 yd, the file says distance
    "Dead Bug Hold": [(0.0, 3, 20.0, None, None)],  # new: no hint, a time: timed
    "Dragon Hold": [(0.0, 1, 15.0, None, None)],  # new: the file's hint wins
}
HINTS = {"Farmer Carry Long": ExerciseKind.DISTANCE, "Dragon Hold": ExerciseKind.TIME}
NEW_KINDS = {"Farmer Carry Long": "distance", "Dead Bug Hold": "time", "Dragon Hold": "time"}


def every_kind_file(fmt: str = "strong") -> ParsedFile:
    """One workout with a set of every kind, as a reader would hand it over."""
    w = ParsedWorkout("line 2", datetime(2025, 3, 1, 9, 0), "Everything", "everything-1", "src-everything-1")
    for name, sets in EVERY_KIND.items():
        w.entries.append(entry(name, *(pset(*s) for s in sets), kind_hint=HINTS.get(name)))
    return ParsedFile(format=fmt, variant="test file", rows=sum(map(len, EVERY_KIND.values())), workouts=[w])


def stored_sets(services, user_id: int) -> dict[str, list[tuple]]:
    """exercise name -> its sets (weight, reps, duration_s, distance_m, distance_unit), in order."""
    from overload_tui.db.models import Exercise, ExerciseSession, Session, Set

    out: dict[str, list[tuple]] = {}
    with services.db.read() as s:
        rows = s.execute(
            select(Exercise.name, Set.weight, Set.reps, Set.duration_s, Set.distance_m, Set.distance_unit)
            .join(ExerciseSession, ExerciseSession.exercise_id == Exercise.id)
            .join(Session, Session.id == ExerciseSession.session_id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == user_id)
            .order_by(Session.date, ExerciseSession.order, Set.order)
        )
        for name, *values in rows:
            out.setdefault(name, []).append(tuple(values))
    return out


def custom_kinds(services, user_id: int) -> dict[str, str]:
    from overload_tui.db.models import Exercise

    with services.db.read() as s:
        return dict(s.execute(select(Exercise.name, Exercise.kind).where(Exercise.owner_id == user_id)).all())


def body_weights(services, user_id: int) -> dict[date, float]:
    from overload_tui.db.models import BodyWeight

    with services.db.read() as s:
        return dict(
            s.execute(select(BodyWeight.measured_on, BodyWeight.weight).where(BodyWeight.user_id == user_id)).all()
        )


def log_body_weights(services, user_id: int, days: dict[date, float]) -> None:
    from overload_tui.db.models import BodyWeight

    with services.db.write() as s, s.begin():
        s.add_all(BodyWeight(user_id=user_id, measured_on=d, weight=w) for d, w in days.items())


def custom_def(name: str, kind: ExerciseKind) -> CustomExerciseDef:
    return CustomExerciseDef(name, Category.CORE, kind=kind)
