"""What an open workout plans to do, set by set, merged with what is logged (issue 18).

A workout started from a template plans, for each of its exercises, the template's target sets
(weight x reps, or the kind's measure, warm-ups as warm-ups). A workout started from a program
day plans what ``ProgramService.planned`` says (when that service exists: ``_program_plan`` is
the one seam). A barbell exercise whose plan has no warm-up gets the warm-up ramp before its
first working set (``domain/warmup.py``, the lifter's own bar and plates in the set's unit),
unless the lifter turned it off for that exercise (``warmup.<exercise id>`` in the settings).
An exercise added to the workout later has no plan; it is logged as always.

Planned sets become rows (``merge``), positionally as in Strong or Hevy: the sets logged fill the
planned rows in order, rows skipped being passed over; the first row not filled is the next one
(what Enter in the empty set box logs, exactly as prescribed), the rest follow; a finished
workout's rows never filled read as skipped. Rows are skipped by the lifter (``skip`` in the set
box); which ones is kept in ``user_settings`` under ``plan.skipped.<session id>`` (JSON, entry id
-> row indexes), so a workout opened again shows them skipped still. Pure but for the service.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from sqlalchemy import select

from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, ExerciseSession, Session, Set, UserSetting
from overload_tui.domain.enums import Equipment, ExerciseKind, Unit
from overload_tui.domain.errors import NotFoundError
from overload_tui.domain.plan import PlannedExercise, PlannedSet
from overload_tui.domain.warmup import warmup_ramp
from overload_tui.domain.units import LoadUnit, WeightUnit
from overload_tui.services.base import ServiceBase
from overload_tui.services.settings import UserSettings, read_settings

SKIPPED_PREFIX = "plan.skipped."  # plan.skipped.<session id>: {"<entry id>": [row index, ...]}
WARMUP = "warmup"
SESSION_NOT_FOUND = "That workout was not found."  # as WorkoutService says it
ENTRY_NOT_FOUND = "That exercise is not in this workout any more."

# Row states (``PlanRow.state``).
DONE, NEXT, TODO, SKIPPED = "done", "next", "todo", "skipped"


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A planned set as the table shows it: ``index`` into the plan's sets; ``logged``: the
    position (from 0) among the exercise's sets of the set that filled it (done rows only)."""

    index: int
    planned: PlannedSet
    state: str
    logged: int | None = None


def merge(plan: PlannedExercise | None, logged: int, skipped: frozenset[int] = frozenset(),
          finished: bool = False) -> tuple[PlanRow, ...]:
    """The plan's rows given ``logged`` sets of the exercise (saved and waiting) and the rows
    ``skipped``: the sets fill the rows not skipped, in order; the first row left is NEXT (none
    once the workout is finished: they are SKIPPED), the others TODO."""
    if plan is None:
        return ()
    rows: list[PlanRow] = []
    filled, next_given = 0, False
    for index, planned in enumerate(plan.sets):
        if index in skipped:
            rows.append(PlanRow(index, planned, SKIPPED))
        elif filled < logged:
            rows.append(PlanRow(index, planned, DONE, filled))
            filled += 1
        elif finished:
            rows.append(PlanRow(index, planned, SKIPPED))
        elif not next_given:
            rows.append(PlanRow(index, planned, NEXT))
            next_given = True
        else:
            rows.append(PlanRow(index, planned, TODO))
    return tuple(rows)


def next_row(rows: Sequence[PlanRow]) -> PlanRow | None:
    return next((r for r in rows if r.state == NEXT), None)


def with_ramp(plan: PlannedExercise, settings: UserSettings, equipment: Equipment | None,
              kind: ExerciseKind, exercise_id: int) -> PlannedExercise:
    """``plan`` with the warm-up ramp before its first working set: a barbell lift by weight and
    reps, a plan with no warm-up of its own, the ramp not turned off for the exercise."""
    if (equipment is not Equipment.BARBELL or kind is not ExerciseKind.WEIGHT_REPS
            or exercise_id in settings.warmups_off or any(s.set_type == WARMUP for s in plan.sets)):
        return plan
    first = next((i for i, s in enumerate(plan.sets) if s.set_type is None and s.weight), None)
    if first is None:
        return plan
    working = plan.sets[first]
    unit = WeightUnit.LBS if working.display_unit == LoadUnit.LBS.value else WeightUnit.KG
    ramp = warmup_ramp(working.weight or 0.0, unit=unit, bar=settings.bar_for(unit), plates=settings.plates_for(unit))
    if not ramp:
        return plan
    return replace(plan, sets=(*plan.sets[:first], *ramp, *plan.sets[first:]))


def planned_set(st: Set) -> PlannedSet:
    """A template's target set as planned."""
    return PlannedSet(set_type=st.set_type, weight=float(st.weight), reps=int(st.reps),
                      duration_s=st.duration_s, distance_m=st.distance_m, display_unit=st.display_unit)


class PlanService(ServiceBase):
    """The plans of one lifter's workouts (see the module's docstring)."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    def planned(self, session_id: int) -> Mapping[int, PlannedExercise]:
        """The plan of each exercise of the workout that has one: entry id -> its plan
        (warm-up ramps included). Empty for a workout from no template or program."""
        with self._tx() as s:
            sess = self._own_session(s, session_id)
            template_id, program_id = sess.template_id, sess.program_id
            entries = s.execute(
                select(ExerciseSession.id, ExerciseSession.exercise_id, Exercise.equipment, Exercise.kind)
                .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
                .where(ExerciseSession.session_id == session_id)
                .order_by(ExerciseSession.order)
            ).all()
            settings = read_settings(s, self.user_id)
            plans: list[PlannedExercise] = []
            if template_id is not None and program_id is None:
                rows = s.execute(
                    select(ExerciseSession.id, ExerciseSession.exercise_id, Set)
                    .join(Set, Set.exercise_session_id == ExerciseSession.id)
                    .where(ExerciseSession.template_id == template_id)
                    .order_by(ExerciseSession.order, Set.order)
                ).all()
                by_entry: dict[int, tuple[int, list[PlannedSet]]] = {}
                for entry_id, exercise_id, st in rows:
                    by_entry.setdefault(entry_id, (exercise_id, []))[1].append(planned_set(st))
                plans = [PlannedExercise(exercise_id, tuple(sets)) for exercise_id, sets in by_entry.values()]
        if program_id is not None:
            plans = list(self._program_plan(session_id))
        # Each plan goes to the workout's next exercise of the same kind of lift, in order.
        result: dict[int, PlannedExercise] = {}
        waiting = list(plans)
        for entry_id, exercise_id, equipment, kind in entries:
            found = next((p for p in waiting if p.exercise_id == exercise_id), None)
            if found is None:
                continue
            waiting.remove(found)
            result[entry_id] = with_ramp(found, settings, Equipment(equipment) if equipment else None,
                                         ExerciseKind(kind), exercise_id)
        return MappingProxyType(result)

    def _own_session(self, s, session_id: int) -> Session:
        sess = s.scalar(select(Session).where(Session.id == session_id, Session.user_id == self.user_id))
        if sess is None:
            raise NotFoundError(SESSION_NOT_FOUND)
        return sess

    def _program_plan(self, session_id: int) -> Sequence[PlannedExercise]:
        """THE SEAM for program days: ``ProgramService.planned(session_id)`` when the programs
        service is there (issue 18, another part); nothing planned until then."""
        if importlib.util.find_spec("overload_tui.services.programs") is None:
            return ()
        from overload_tui.services import programs  # noqa: PLC0415 - optional until it lands

        service = getattr(programs, "ProgramService", None)
        if service is None:
            return ()
        return service(self.db, self.user_id).planned(session_id)

    # -- rows skipped -------------------------------------------------------------------------
    def skipped(self, session_id: int) -> Mapping[int, frozenset[int]]:
        """Entry id -> the indexes of its planned rows the lifter skipped."""
        with self._tx() as s:
            self._own_session(s, session_id)
            text = s.scalar(select(UserSetting.value).where(
                UserSetting.user_id == self.user_id, UserSetting.key == f"{SKIPPED_PREFIX}{int(session_id)}"))
        return MappingProxyType(_read_skipped(text))

    def set_skipped(self, session_id: int, entry_id: int, indexes: frozenset[int]) -> None:
        """Keep which planned rows of an exercise are skipped (none: forget)."""
        key = f"{SKIPPED_PREFIX}{int(session_id)}"
        with self._tx(write=True) as s:
            self._own_session(s, session_id)
            if s.scalar(select(ExerciseSession.id).where(ExerciseSession.id == entry_id,
                                                         ExerciseSession.session_id == session_id)) is None:
                raise NotFoundError(ENTRY_NOT_FOUND)
            row = s.get(UserSetting, (self.user_id, key))
            current = _read_skipped(row.value if row is not None else None)
            if indexes:
                current[int(entry_id)] = frozenset(indexes)
            else:
                current.pop(int(entry_id), None)
            text = json.dumps({str(k): sorted(v) for k, v in sorted(current.items())})
            if not current:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(UserSetting(user_id=self.user_id, key=key, value=text))
            else:
                row.value = text


def _read_skipped(text: str | None) -> dict[int, frozenset[int]]:
    """Tolerant, as settings are: what does not read is nothing skipped."""
    if not text:
        return {}
    try:
        data = json.loads(text)
        return {int(k): frozenset(int(i) for i in v) for k, v in data.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def planned_info_unit(planned: PlannedSet, unit: LoadUnit) -> tuple[Unit, str | None]:
    """The ``sets.unit`` and ``display_unit`` a planned set is stored with in an exercise
    read in ``unit``: stacks for a machine's pin, else kilograms (pounds as the plan says)."""
    if unit is LoadUnit.STACKS:
        return Unit.STACKS, None
    return Unit.KG, planned.display_unit
