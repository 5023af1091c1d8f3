"""Progress for one user: records, best sets, new-record checks, suggestions, volume, series.

The rules are the pure ones in ``overload_tui.domain`` (records, progression, volume, e1RM);
this service only fetches the rows they need, in as few queries as it can (each method says
how many), and applies the user's settings (e1RM formula, progression, increments).

Warm-up sets (set_type 'warmup') never count towards records, volume or the series; drop and
failure sets do. Template target sets are never history. Everything is the user's own: another
user's sessions are never read, and an exercise nobody logged simply has no history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session as OrmSession

from overload_tui import clock
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, ExerciseSession, Session, Set, Template
from overload_tui.domain.e1rm import CAVEAT, Formula, estimate_1rm, is_trusted
from overload_tui.domain.enums import Category, Equipment, Unit
from overload_tui.domain.errors import NotFoundError
from overload_tui.domain.progression import LoggedSet, Suggestion, TargetSet, suggest_next
from overload_tui.domain.records import (
    BestSet,
    Records,
    RecordKind,
    SetRecord,
    best_sets,
    compute_records,
    new_records,
)
from overload_tui.domain.volume import VolumeSummary, session_volume
from overload_tui.services.base import ServiceBase
from overload_tui.services.settings import UserSettings, read_settings

__all__ = [
    "CAVEAT",
    "ProgressPoint",
    "ProgressService",
    "RECORD_LABELS",
    "describe_new_records",
]

WARMUP = "warmup"
WEIGHT_EPSILON = 0.0005  # weights are stored to 0.001: equal weights are within this
# How many earlier sessions a suggestion looks at, beyond the deload window.
SUGGESTION_EXTRA_SESSIONS = 1

RECORD_LABELS = {
    RecordKind.HEAVIEST: "heaviest weight",
    RecordKind.E1RM: "best estimated 1RM",
    RecordKind.REPS_AT_WEIGHT: "most reps at this weight",
    RecordKind.SESSION_VOLUME: "best session volume",
}


def describe_new_records(kinds: Sequence[RecordKind]) -> str:
    """'New record: heaviest weight, best estimated 1RM' ('' for none): the notification line."""
    if not kinds:
        return ""
    word = "record" if len(kinds) == 1 else "records"
    return f"New {word}: " + ", ".join(RECORD_LABELS[k] for k in kinds)


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One session of one exercise, in one unit, for plotting (x: date)."""

    session_id: int
    date: datetime
    unit: Unit
    best_e1rm: float      # best estimated 1RM of the session's working sets
    best_e1rm_reps: int   # the reps of that set: see `trusted`
    heaviest: float       # heaviest working set
    volume: float         # sum of weight x reps of the working sets
    sets: int             # working sets

    @property
    def trusted(self) -> bool:
        """False when the best e1RM comes from a set of more than about 12 reps (see CAVEAT)."""
        return is_trusted(self.best_e1rm_reps)


_WORKING = or_(Set.set_type.is_(None), Set.set_type != WARMUP)


def _before(session_date: datetime, session_id: int):
    """Sessions strictly before (date, id): the order sessions are shown in everywhere."""
    return or_(Session.date < session_date, and_(Session.date == session_date, Session.id < session_id))


def _record(row: Any) -> SetRecord:
    return SetRecord(row.session_id, row.date, float(row.weight), int(row.reps), Unit(row.unit), row.set_id)


class ProgressService(ServiceBase):
    """Progress of one user (every id is checked against that user)."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    # -- shared queries -----------------------------------------------------------------------
    def _set_rows(self, *columns: Any):
        """The user's logged sets (never template targets), oldest first, in logged order."""
        return (
            select(
                Session.id.label("session_id"),
                Session.date.label("date"),
                Set.id.label("set_id"),
                Set.weight,
                Set.reps,
                Set.unit,
                *columns,
            )
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id)
            .order_by(Session.date, Session.id, ExerciseSession.order, Set.order)
        )

    def _history(self, s: OrmSession, exercise_id: int, since: datetime | None = None) -> list[SetRecord]:
        q = self._set_rows().where(ExerciseSession.exercise_id == exercise_id, _WORKING)
        if since is not None:
            q = q.where(Session.date >= since)
        return [_record(row) for row in s.execute(q)]

    def _own_session(self, s: OrmSession, session_id: int) -> Any:
        row = s.execute(
            select(Session.id, Session.date, Session.template_id).where(
                Session.id == session_id, Session.user_id == self.user_id
            )
        ).first()
        if row is None:
            raise NotFoundError("That workout was not found.")
        return row

    # -- records ------------------------------------------------------------------------------
    def records(self, exercise_id: int, formula: Formula | str | None = None) -> Records:
        """Every record of the exercise, per unit, each with its date (2 queries; 1 with formula).

        The e1RM uses the user's formula unless ``formula`` is given. Show CAVEAT beside an
        e1RM whose set has more than 12 reps (``e1rm.is_trusted(record.reps)`` is False).
        """
        with self._tx() as s:
            formula = Formula(formula) if formula else read_settings(s, self.user_id).e1rm_formula
            return compute_records(self._history(s, exercise_id), formula)

    def best_sets(
        self, exercise_id: int, n: int = 10, unit: Unit | str | None = None, one_per_session: bool = True
    ) -> list[BestSet]:
        """The top ``n`` sets by e1RM, best first, one per session by default (2 queries).

        ``unit`` None: the unit of the most recent working set (kg and stacks never compare).
        """
        with self._tx() as s:
            formula = read_settings(s, self.user_id).e1rm_formula
            history = self._history(s, exercise_id)
        if not history:
            return []
        unit = Unit(unit) if unit else history[-1].unit
        return best_sets(history, n, formula, unit=unit, one_per_session=one_per_session)

    def check_new_records(self, session_id: int, set_id: int) -> list[RecordKind]:
        """The records the just-logged set beats, in RecordKind order (4 queries).

        Compared with the user's earlier sessions (by date, then id) and with the sets logged
        before it in the same session. The first session of an exercise, a warm-up set and a
        set in a unit never logged before announce nothing. Raises NotFoundError when the set
        is not in that session of this user.

        Cheap whatever the history's length: the earlier sessions are read as aggregates (the
        heaviest set per rep count, the most reps at this weight, the best session volume), not
        set by set; see ``_prior_records``.
        """
        with self._tx() as s:
            target = s.execute(
                select(
                    Set.id, Set.weight, Set.reps, Set.unit, Set.set_type, Set.order,
                    ExerciseSession.exercise_id, ExerciseSession.order.label("entry_order"),
                    Session.date,
                )
                .join(ExerciseSession, ExerciseSession.id == Set.exercise_session_id)
                .join(Session, Session.id == ExerciseSession.session_id)
                .where(Set.id == set_id, Session.id == session_id, Session.user_id == self.user_id)
            ).first()
            if target is None:
                raise NotFoundError("That set was not found.")
            if target.set_type == WARMUP:
                return []
            formula = read_settings(s, self.user_id).e1rm_formula
            new = SetRecord(
                session_id, target.date, float(target.weight), int(target.reps), Unit(target.unit), set_id
            )
            prior = self._prior_records(s, target.exercise_id, _before(target.date, session_id), new, formula)
            if prior is None:
                return []
            rows = s.execute(
                self._set_rows(ExerciseSession.order.label("entry_order"), Set.order.label("set_order")).where(
                    ExerciseSession.exercise_id == target.exercise_id, _WORKING, Session.id == session_id
                )
            ).all()
        here = (target.entry_order, target.order)
        earlier = [_record(r) for r in rows if (r.entry_order, r.set_order) < here]
        return new_records(prior, new, earlier)

    def _prior_records(
        self, s: OrmSession, exercise_id: int, earlier_sessions: Any, new: SetRecord, formula: Formula
    ) -> Records | None:
        """Records of the earlier sessions in new's unit, good for ``new_records(.., new, ..)``;
        None when there is no earlier working set in that unit. One aggregate query.

        Stand-in sets instead of the whole history: per rep count the heaviest set (the
        heaviest weight, and the best e1RM since the e1RM grows with the weight at equal reps),
        plus the most reps at new's weight; the best session volume is summed in SQL. Dates
        and ids in the result are placeholders: only the values are meant to be compared.
        """
        base = (
            select()
            .select_from(Session)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(
                Session.user_id == self.user_id,
                ExerciseSession.exercise_id == exercise_id,
                Set.unit == new.unit,
                _WORKING,
                earlier_sessions,
            )
        )
        per_reps = base.add_columns(
            literal("reps").label("kind"), Set.reps.label("reps"), func.max(Set.weight).label("value")
        ).group_by(Set.reps)
        at_weight = base.add_columns(
            literal("at").label("kind"), func.max(Set.reps).label("reps"), literal(new.weight).label("value")
        ).where(Set.weight.between(new.weight - WEIGHT_EPSILON, new.weight + WEIGHT_EPSILON))
        session_volumes = (
            base.add_columns(func.sum(Set.weight * Set.reps).label("v")).group_by(Session.id).subquery()
        )
        best_volume = select(
            literal("vol").label("kind"), literal(0).label("reps"), func.max(session_volumes.c.v).label("value")
        )
        stand_ins: list[SetRecord] = []
        volume: float | None = None
        for kind, reps, value in s.execute(union_all(per_reps, at_weight, best_volume)):
            if value is None or reps is None:
                continue
            if kind == "vol":
                volume = round(float(value), 3)
            else:
                stand_ins.append(SetRecord(0, new.date, float(value), int(reps), new.unit))
        if not stand_ins or volume is None:
            return None
        found = compute_records(stand_ins, formula).for_unit(new.unit)
        assert found is not None
        found = replace(found, best_volume=replace(found.best_volume, value=volume))
        return Records(formula, (found,))

    def session_records(self, session_id: int) -> dict[int, tuple[RecordKind, ...]]:
        """For reopening a workout: set id -> the records that set beat when it was logged
        (only sets that beat one are in the dict), for every exercise of the session.

        3 queries, plus one aggregate per distinct (exercise, unit, weight) of the session:
        the cost follows the workout's size, not the length of the history.
        """
        marks: dict[int, tuple[RecordKind, ...]] = {}
        with self._tx() as s:
            sess = self._own_session(s, session_id)
            formula = read_settings(s, self.user_id).e1rm_formula
            rows = s.execute(
                self._set_rows(ExerciseSession.exercise_id).where(_WORKING, Session.id == session_id)
            ).all()
            before = _before(sess.date, session_id)
            priors: dict[tuple[int, Unit, float], Records | None] = {}
            done: dict[int, list[SetRecord]] = {}
            for r in rows:
                st = _record(r)
                key = (r.exercise_id, st.unit, round(st.weight, 3))
                if key not in priors:
                    priors[key] = self._prior_records(s, r.exercise_id, before, st, formula)
                earlier = done.setdefault(r.exercise_id, [])
                prior = priors[key]
                kinds = new_records(prior, st, earlier) if prior is not None else []
                if kinds:
                    marks[r.set_id] = tuple(kinds)
                earlier.append(st)
        return marks

    # -- the next session ---------------------------------------------------------------------
    def suggestion(self, exercise_id: int, session_id: int | None = None) -> Suggestion | None:
        """What to lift next time (at most 5 queries), or None with no history and no targets.

        Uses the last few sessions of the exercise (before ``session_id``'s session, which is
        itself left out), the exercise's equipment, the user's progression settings and, when
        the session was started from a template that has this exercise, that template's
        working target sets (rep range and number of sets). Raises NotFoundError for an
        exercise the user cannot see or a session that is not theirs.
        """
        with self._tx() as s:
            exercise = s.execute(
                select(Exercise.id, Exercise.equipment).where(
                    Exercise.id == exercise_id,
                    or_(Exercise.owner_id.is_(None), Exercise.owner_id == self.user_id),
                )
            ).first()
            if exercise is None:
                raise NotFoundError("That exercise was not found.")
            settings = read_settings(s, self.user_id)
            sess = self._own_session(s, session_id) if session_id is not None else None
            targets = self._targets(s, sess.template_id, exercise_id) if sess and sess.template_id else []
            sessions = self._recent_sessions(s, exercise_id, settings, sess)
        return suggest_next(
            sessions,
            Equipment(exercise.equipment) if exercise.equipment else None,
            settings.progression_settings(),
            targets,
        )

    def _targets(self, s: OrmSession, template_id: int, exercise_id: int) -> list[TargetSet]:
        """The working target sets of the template's first entry for the exercise."""
        rows = s.execute(
            select(ExerciseSession.id, Set.weight, Set.reps, Set.unit, Set.set_type)
            .join(Template, Template.id == ExerciseSession.template_id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(
                Template.id == template_id,
                Template.user_id == self.user_id,
                ExerciseSession.exercise_id == exercise_id,
            )
            .order_by(ExerciseSession.order, Set.order)
        ).all()
        if not rows:
            return []
        first = rows[0].id
        return [
            TargetSet(int(r.reps), float(r.weight), Unit(r.unit))
            for r in rows
            if r.id == first and r.set_type != WARMUP
        ]

    def _recent_sessions(
        self, s: OrmSession, exercise_id: int, settings: UserSettings, sess: Any
    ) -> list[list[LoggedSet]]:
        """The last deload_after + 1 sessions with a working set of the exercise, oldest first."""
        recent = (
            select(Session.id)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id, ExerciseSession.exercise_id == exercise_id, _WORKING)
            .group_by(Session.id, Session.date)
            .order_by(Session.date.desc(), Session.id.desc())
            .limit(settings.deload_after + SUGGESTION_EXTRA_SESSIONS)
        )
        if sess is not None:
            recent = recent.where(_before(sess.date, sess.id))
        recent_ids = recent.subquery()
        rows = s.execute(
            self._set_rows(Set.set_type)
            .join(recent_ids, recent_ids.c.id == Session.id)
            .where(ExerciseSession.exercise_id == exercise_id)
        ).all()
        grouped: dict[int, list[LoggedSet]] = {}
        for r in rows:
            grouped.setdefault(r.session_id, []).append(
                LoggedSet(float(r.weight), int(r.reps), Unit(r.unit), r.set_type == WARMUP)
            )
        return list(grouped.values())

    # -- volume -------------------------------------------------------------------------------
    def weekly_volume(self, week_start: date | None = None) -> dict[Category, VolumeSummary]:
        """Working sets and kg tonnage per muscle category for one week, in one query.

        The week runs Monday 00:00 to the next Monday; ``week_start`` may be any day of it
        (default: this week, by ``clock.now()``). Every category is in the result, in
        Category order, zeros included. Stack sets count as sets but add no tonnage.
        """
        day = week_start or clock.now().date()
        if isinstance(day, datetime):
            day = day.date()
        monday = day - timedelta(days=day.weekday())
        start = datetime(monday.year, monday.month, monday.day)
        end = start + timedelta(days=7)
        kg = case((Set.unit == Unit.KG, Set.weight * Set.reps), else_=0.0)
        q = (
            select(Exercise.category, func.count(Set.id), func.coalesce(func.sum(kg), 0.0))
            .select_from(Session)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id, Session.date >= start, Session.date < end, _WORKING)
            .group_by(Exercise.category)
        )
        with self._tx() as s:
            found = {Category(cat): (int(n), float(t)) for cat, n, t in s.execute(q)}
        return {
            c: VolumeSummary(sets=found.get(c, (0, 0.0))[0], tonnage_kg=round(found.get(c, (0, 0.0))[1], 3))
            for c in Category
        }

    # -- series -------------------------------------------------------------------------------
    def progress_series(
        self, exercise_id: int, since: datetime | None = None, unit: Unit | str | None = None
    ) -> list[ProgressPoint]:
        """One point per session of the exercise (oldest first), for plotting (2 queries).

        Each point has the session's best e1RM (user's formula; ``trusted`` is False when that
        set had more than ~12 reps: show CAVEAT), heaviest working set, volume and set count.
        Only one unit is returned, since kg and stacks never share an axis: ``unit``, or by
        default the unit of the most recent working set (of the whole history, so the choice
        does not change with ``since``). Sessions with no working set in that unit are skipped.
        """
        with self._tx() as s:
            formula = read_settings(s, self.user_id).e1rm_formula
            history = self._history(s, exercise_id)
        if not history:
            return []
        chosen = Unit(unit) if unit else history[-1].unit
        by_session: dict[int, list[SetRecord]] = {}
        for r in history:
            if r.unit is chosen and (since is None or r.date >= since):
                by_session.setdefault(r.session_id, []).append(r)
        return [_point(sets, formula) for sets in by_session.values()]


def _point(sets: Iterable[SetRecord], formula: Formula) -> ProgressPoint:
    sets = list(sets)
    best = max(sets, key=lambda r: estimate_1rm(r.weight, r.reps, formula))
    first = sets[0]
    return ProgressPoint(
        session_id=first.session_id,
        date=first.date,
        unit=first.unit,
        best_e1rm=round(estimate_1rm(best.weight, best.reps, formula), 3),
        best_e1rm_reps=best.reps,
        heaviest=max(r.weight for r in sets),
        volume=session_volume(sets).get(first.unit, 0.0),
        sets=len(sets),
    )
