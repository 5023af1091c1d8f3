"""The workout service: exercises, sessions, templates, their exercises and sets, and history.

A ``WorkoutService`` acts for one user. Every id it is given is checked against that user: another
user's session, template, entry or set is "not found", never shown or changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from overload_tui import clock
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, ExerciseSession, Session, Set, Template
from overload_tui.domain.enums import Category, DistanceUnit, Equipment, ExerciseKind, Unit, default_unit
from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from overload_tui.domain.progression import RuleSource
from overload_tui.domain.units import LoadUnit, display_column, from_stored, load_unit, set_unit, stored_unit, to_stored
from overload_tui.domain.validation import (
    SET_TYPES,
    SUBCATEGORY_MAX,
    clean_name,
    clean_notes,
    parse_category,
    parse_equipment,
    parse_kind,
    validate_distance,
    validate_duration,
    validate_reps,
    validate_weight,
)
from overload_tui.services.base import UNITS, ServiceBase, driver_rows, timestamp_parser
from overload_tui.services.settings import read_settings
from overload_tui.services.progress import rule_in_force, template_entries
from overload_tui.services.dto import (
    EntryInfo,
    ExerciseInfo,
    HistorySession,
    SessionInfo,
    SessionSummary,
    SetInfo,
    TemplateInfo,
    TemplateSummary,
    new_set_info,
)

UNSET: Any = object()
_NOT_FOUND = {
    "session": "That workout was not found.",
    "template": "That template was not found.",
    "entry": "That exercise is not in this workout any more.",
    "set": "That set was not found.",
    "set_gone": "That set was deleted elsewhere (another terminal?).",
    "exercise": "That exercise was not found.",
}


# -- ORM -> dataclass ------------------------------------------------------------------------
def exercise_info(ex: Exercise) -> ExerciseInfo:
    return ExerciseInfo(
        id=ex.id,
        name=ex.name,
        category=Category(ex.category),
        subcategory=ex.subcategory,
        equipment=Equipment(ex.equipment) if ex.equipment else None,
        custom=ex.owner_id is not None,
        kind=ExerciseKind(ex.kind),
    )


def set_info(st: Set) -> SetInfo:
    return SetInfo(
        id=st.id,
        order=st.order,
        weight=st.weight,
        reps=st.reps,
        unit=Unit(st.unit),
        set_type=st.set_type,
        rpe=st.rpe,
        logged_at=st.logged_at,
        duration_s=st.duration_s,
        distance_m=st.distance_m,
        distance_unit=st.distance_unit,
        display_unit=st.display_unit,
    )


def entry_info(es: ExerciseSession) -> EntryInfo:
    return EntryInfo(
        id=es.id,
        order=es.order,
        exercise=exercise_info(es.exercise),
        sets=tuple(set_info(st) for st in es.sets),
        notes=es.notes,
    )


def session_info(sess: Session) -> SessionInfo:
    return SessionInfo(
        id=sess.id,
        date=sess.date,
        notes=sess.notes,
        name=sess.name,
        finished_at=sess.finished_at,
        entries=tuple(entry_info(es) for es in sess.exercise_sessions),
    )


def template_info(tpl: Template) -> TemplateInfo:
    return TemplateInfo(
        id=tpl.id,
        name=tpl.name,
        description=tpl.description,
        entries=tuple(entry_info(es) for es in tpl.exercise_sessions),
    )


_ENTRY_LOAD = (selectinload(ExerciseSession.exercise), selectinload(ExerciseSession.sets))


def _validate_set_type(value: str | None) -> str | None:
    if value in (None, "", "normal"):
        return None
    if value not in SET_TYPES:
        raise ValidationError("Set type must be normal, warmup, drop or failure.")
    return value


def _validate_client_id(value: str) -> str:
    """A set's client id: 1..36 printable ASCII characters (the app sends a uuid4)."""
    if not isinstance(value, str) or not 0 < len(value) <= 36 or not value.isascii() or not value.isprintable():
        raise ValidationError("A set's client id must be 1 to 36 printable ASCII characters.", field="client_id")
    return value


def _rank(ex: Exercise, words: list[str], phrase: str) -> int | None:
    """Lower is better; None when a query word matches nothing about the exercise. The name
    counts with or without its brackets: 'squat barbell' is 'Squat (Barbell)' before 'Box Squat
    (Barbell)', and a name starting with the first word comes before one with it further on."""
    name = ex.name.lower()
    haystack = " ".join(
        filter(None, [name, ex.category, (ex.subcategory or "").lower(), (ex.equipment or "").replace("_", " ")])
    )
    if not all(w in haystack for w in words):
        return None
    if not phrase:
        return 5
    parts = name.replace("(", " ").replace(")", " ").split()
    plain = " ".join(parts)
    if phrase in (name, plain):
        return 0
    if name.startswith(phrase) or plain.startswith(phrase):
        return 1
    if parts and parts[0].startswith(words[0]):
        return 2
    if any(part.startswith(words[0]) for part in parts):
        return 3
    return 4 if phrase in name else 5


class WorkoutService(ServiceBase):
    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    # -- ownership ----------------------------------------------------------------------------
    def _session(self, s: OrmSession, session_id: int, *, lock: bool = False) -> Session:
        q = select(Session).where(Session.id == session_id, Session.user_id == self.user_id)
        sess = s.scalar(q.with_for_update() if lock else q)
        if sess is None:
            raise NotFoundError(_NOT_FOUND["session"])
        return sess

    def _template(self, s: OrmSession, template_id: int, *, lock: bool = False) -> Template:
        q = select(Template).where(Template.id == template_id, Template.user_id == self.user_id)
        tpl = s.scalar(q.with_for_update() if lock else q)
        if tpl is None:
            raise NotFoundError(_NOT_FOUND["template"])
        return tpl

    def _owned_entries(self):
        """exercise_sessions whose session or template belongs to this user."""
        return (
            select(ExerciseSession)
            .outerjoin(Session, Session.id == ExerciseSession.session_id)
            .outerjoin(Template, Template.id == ExerciseSession.template_id)
            .where(or_(Session.user_id == self.user_id, Template.user_id == self.user_id))
        )

    def _entry(self, s: OrmSession, entry_id: int, *, lock: bool = False) -> ExerciseSession:
        q = self._owned_entries().where(ExerciseSession.id == entry_id)
        es = s.scalar(q.with_for_update(of=ExerciseSession) if lock else q)
        if es is None:
            raise NotFoundError(_NOT_FOUND["entry"])
        return es

    def _set(self, s: OrmSession, set_id: int) -> Set:
        entry_ids = self._owned_entries().with_only_columns(ExerciseSession.id)
        st = s.scalar(select(Set).where(Set.id == set_id, Set.exercise_session_id.in_(entry_ids)))
        if st is None:
            raise NotFoundError(_NOT_FOUND["set"])
        return st

    def _visible_exercises(self):
        return select(Exercise).where(
            or_(Exercise.owner_id.is_(None), Exercise.owner_id == self.user_id)
        )

    def _exercise(self, s: OrmSession, exercise_id: int) -> Exercise:
        ex = s.scalar(self._visible_exercises().where(Exercise.id == exercise_id))
        if ex is None:
            raise NotFoundError(_NOT_FOUND["exercise"])
        return ex

    def _own_custom_exercise(self, s: OrmSession, exercise_id: int) -> Exercise:
        ex = self._exercise(s, exercise_id)
        if ex.owner_id is None:
            raise ValidationError(
                f"{ex.name} is a built-in exercise shared by everyone; create a custom one instead."
            )
        return ex

    # -- exercises ----------------------------------------------------------------------------
    def search_exercises(
        self,
        query: str = "",
        category: Category | str | None = None,
        equipment: Equipment | str | None = None,
        limit: int | None = 50,
    ) -> list[ExerciseInfo]:
        """Case-insensitive search over name, category, muscle and equipment, best first."""
        phrase = " ".join((query or "").lower().split())
        words = phrase.split()
        q = self._visible_exercises()
        if category:
            q = q.where(Exercise.category == parse_category(category))
        if equipment:
            q = q.where(Exercise.equipment == parse_equipment(equipment))
        with self._tx() as s:
            ranked = [(r, ex.name.lower(), ex) for ex in s.scalars(q) if (r := _rank(ex, words, phrase)) is not None]
            ranked.sort(key=lambda t: (t[0], t[1]))
            return [exercise_info(ex) for _, _, ex in ranked[:limit]]

    def get_exercise(self, exercise_id: int) -> ExerciseInfo:
        with self._tx() as s:
            return exercise_info(self._exercise(s, exercise_id))

    def exercise_unit(self, exercise_id: int) -> LoadUnit:
        """What a new set of this exercise is typed in when nothing else says: the unit chosen
        for it (ctrl+t in a workout), else stacks on a machine, else the lifter's unit."""
        with self._tx() as s:
            return self._unit_for(s, self._exercise(s, exercise_id))

    def _unit_for(self, s: OrmSession, exercise: Exercise) -> LoadUnit:
        settings = read_settings(s, self.user_id)
        if (chosen := settings.unit_for(exercise.id)) is not None:
            return chosen
        if default_unit(exercise.equipment) is Unit.STACKS:
            return LoadUnit.STACKS
        return LoadUnit(settings.weight_unit.value)

    def _check_name_free(self, s: OrmSession, name: str, exclude_id: int | None = None) -> None:
        q = self._visible_exercises().where(func.lower(Exercise.name) == name.lower())
        if exclude_id is not None:
            q = q.where(Exercise.id != exclude_id)
        if s.scalar(q) is not None:
            raise ConflictError(f"There is already an exercise called {name!r}.")

    def create_exercise(
        self,
        name: str,
        category: Category | str,
        equipment: Equipment | str | None = None,
        subcategory: str | None = None,
        *,
        kind: ExerciseKind | str | None = None,
    ) -> ExerciseInfo:
        """A custom exercise. ``kind``: what its sets measure (words a lifter types are read:
        'reps', 'timed', 'cardio'...); none given, bodyweight equipment counts reps, anything
        else weight x reps."""
        name = clean_name(name, "Exercise name")
        cat = parse_category(category)
        equip = parse_equipment(equipment)
        sub = clean_name(subcategory, "Muscle", SUBCATEGORY_MAX) if subcategory and subcategory.strip() else None
        if kind is None or not str(kind).strip():
            chosen = ExerciseKind.REPS_ONLY if equip is Equipment.BODYWEIGHT else ExerciseKind.WEIGHT_REPS
        else:
            chosen = parse_kind(kind)
        with self._tx(write=True) as s:
            self._check_name_free(s, name)
            ex = Exercise(name=name, category=cat, equipment=equip, subcategory=sub, owner_id=self.user_id,
                          kind=chosen.value)
            s.add(ex)
            s.flush()
            return exercise_info(ex)

    def rename_exercise(self, exercise_id: int, name: str) -> ExerciseInfo:
        return self.update_exercise(exercise_id, name=name)

    def update_exercise(self, exercise_id: int, *, name: Any = UNSET, kind: Any = UNSET) -> ExerciseInfo:
        """Rename a custom exercise or change what its sets measure. Sets logged before keep
        their values (every set has a weight and reps), and read by the new kind."""
        name = clean_name(name, "Exercise name") if name is not UNSET else UNSET
        chosen = parse_kind(kind) if kind is not UNSET else UNSET
        with self._tx(write=True) as s:
            ex = self._own_custom_exercise(s, exercise_id)
            if name is not UNSET:
                self._check_name_free(s, name, exclude_id=ex.id)
                ex.name = name
            if chosen is not UNSET:
                ex.kind = chosen.value
            return exercise_info(ex)

    def delete_exercise(self, exercise_id: int) -> None:
        with self._tx(write=True) as s:
            ex = self._own_custom_exercise(s, exercise_id)
            uses = s.scalar(
                select(func.count()).select_from(ExerciseSession).where(ExerciseSession.exercise_id == ex.id)
            )
            if uses:
                raise ConflictError(
                    f"{ex.name} is used in {uses} workout or template "
                    f"entr{'y' if uses == 1 else 'ies'}; remove it from them first."
                )
            s.delete(ex)

    # -- sessions -----------------------------------------------------------------------------
    def _load_session(self, s: OrmSession, session_id: int) -> SessionInfo:
        sess = s.scalar(
            select(Session)
            .where(Session.id == session_id, Session.user_id == self.user_id)
            .options(selectinload(Session.exercise_sessions).options(*_ENTRY_LOAD))
        )
        if sess is None:
            raise NotFoundError(_NOT_FOUND["session"])
        return session_info(sess)

    def start_session(
        self,
        date: datetime | None = None,
        *,
        name: str | None = None,
        notes: str | None = None,
        template_id: int | None = None,
    ) -> SessionInfo:
        """A new workout, now or at ``date`` (back-filling); from a template copies its exercises."""
        when = (date or clock.now()).replace(microsecond=0)
        title = clean_name(name, "Workout name") if name and name.strip() else None
        notes = clean_notes(notes)
        with self._tx(write=True) as s:
            sess = Session(user_id=self.user_id, date=when, name=title, notes=notes)
            if template_id is not None:
                tpl = self._template(s, template_id)
                sess.name = sess.name or tpl.name
                sess.template_id = tpl.id
                for es in tpl.exercise_sessions:
                    sess.exercise_sessions.append(
                        ExerciseSession(exercise_id=es.exercise_id, order=es.order, notes=es.notes)
                    )
            s.add(sess)
            s.flush()
            return self._load_session(s, sess.id)

    def get_session(self, session_id: int) -> SessionInfo:
        """A workout with its exercises and sets in order, in three queries whatever its size."""
        with self._tx() as s:
            return self._load_session(s, session_id)

    def latest_unfinished(self) -> SessionInfo | None:
        with self._tx() as s:
            sid = s.scalar(
                select(Session.id)
                .where(Session.user_id == self.user_id, Session.finished_at.is_(None))
                .order_by(Session.date.desc(), Session.id.desc())
                .limit(1)
            )
            return self._load_session(s, sid) if sid is not None else None

    def update_session(
        self, session_id: int, *, notes: Any = UNSET, date: Any = UNSET, name: Any = UNSET
    ) -> SessionInfo:
        with self._tx(write=True) as s:
            sess = self._session(s, session_id)
            if notes is not UNSET:
                sess.notes = clean_notes(notes)
            if date is not UNSET:
                if not isinstance(date, datetime):
                    raise ValidationError("The date must be a date and time.")
                sess.date = date.replace(microsecond=0)
            if name is not UNSET:
                sess.name = clean_name(name, "Workout name") if name and str(name).strip() else None
            s.flush()
            return self._load_session(s, sess.id)

    def finish_session(self, session_id: int) -> SessionInfo:
        with self._tx(write=True) as s:
            sess = self._session(s, session_id)
            sess.finished_at = sess.finished_at or clock.now()
            s.flush()
            return self._load_session(s, sess.id)

    def reopen_session(self, session_id: int) -> None:
        with self._tx(write=True) as s:
            self._session(s, session_id).finished_at = None

    def delete_session(self, session_id: int) -> None:
        with self._tx(write=True) as s:
            s.delete(self._session(s, session_id))

    def delete_session_if_empty(self, session_id: int) -> bool:
        """Delete the workout only if it has no exercise, name or notes and was never finished,
        judged and deleted in one transaction with the workout locked (adding an exercise locks
        it too), so one another terminal fills meanwhile is never lost. Whether it was deleted."""
        with self._tx(write=True) as s:
            sess = self._session(s, session_id, lock=True)
            entry = s.scalar(select(ExerciseSession.id).where(ExerciseSession.session_id == sess.id).limit(1))
            if entry is not None or sess.name or sess.notes or sess.finished_at is not None:
                return False
            s.delete(sess)
            return True

    def list_sessions(
        self, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[SessionSummary]:
        """Newest first; pass the last row's (date, id) as ``before`` for the next page.

        Two queries per page whatever the history's size: the page's sessions are picked first
        (keyset paging on the (user_id, date) index, LIMIT) and only those are aggregated; then
        their exercises' names.
        """
        page = select(
            Session.id, Session.date, Session.name, Session.notes, Session.finished_at
        ).where(Session.user_id == self.user_id)
        if before is not None:
            d, i = before
            page = page.where(or_(Session.date < d, and_(Session.date == d, Session.id < i)))
        page = page.order_by(Session.date.desc(), Session.id.desc()).limit(limit).cte("page")
        vol = Set.weight * Set.reps
        totals = (
            select(
                ExerciseSession.session_id.label("session_id"),
                func.count(func.distinct(ExerciseSession.id)).label("exercises"),
                func.count(Set.id).label("sets"),
                func.sum(case((Set.unit == Unit.KG, vol), else_=0.0)).label("kg"),
                func.sum(case((Set.unit == Unit.STACKS, vol), else_=0.0)).label("stacks"),
            )
            .outerjoin(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(ExerciseSession.session_id.in_(select(page.c.id)))
            .group_by(ExerciseSession.session_id)
            .subquery("totals")
        )
        q = (
            select(
                page,
                func.coalesce(totals.c.exercises, 0),
                func.coalesce(totals.c.sets, 0),
                func.coalesce(totals.c.kg, 0.0),
                func.coalesce(totals.c.stacks, 0.0),
            )
            .outerjoin(totals, totals.c.session_id == page.c.id)
            .order_by(page.c.date.desc(), page.c.id.desc())
        )
        with self._tx() as s:
            rows = s.execute(q).all()
            names: dict[int, list[str]] = {row[0]: [] for row in rows}
            if names:
                for sid, ename in s.execute(
                    select(ExerciseSession.session_id, Exercise.name)
                    .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
                    .where(ExerciseSession.session_id.in_(list(names)))
                    .order_by(ExerciseSession.session_id, ExerciseSession.order)
                ):
                    names[sid].append(ename)
        return [
            SessionSummary(
                id=sid,
                date=date,
                name=name,
                notes=notes,
                finished_at=finished_at,
                exercise_count=n_ex,
                set_count=n_sets,
                volume_kg=float(kg),
                volume_stacks=float(stacks),
                exercise_names=tuple(names[sid]),
            )
            for sid, date, name, notes, finished_at, n_ex, n_sets, kg, stacks in rows
        ]

    def count_sessions(self, since: datetime | None = None) -> int:
        q = select(func.count()).select_from(Session).where(Session.user_id == self.user_id)
        if since is not None:
            q = q.where(Session.date >= since)
        with self._tx() as s:
            return s.scalar(q) or 0

    # -- templates ----------------------------------------------------------------------------
    def create_template(self, name: str, description: str | None = None) -> TemplateInfo:
        name = clean_name(name, "Template name")
        description = clean_notes(description, "Description")
        with self._tx(write=True) as s:
            tpl = Template(user_id=self.user_id, name=name, description=description)
            s.add(tpl)
            s.flush()
            return template_info(tpl)

    def update_template(
        self, template_id: int, *, name: Any = UNSET, description: Any = UNSET
    ) -> TemplateInfo:
        with self._tx(write=True) as s:
            tpl = self._template(s, template_id)
            if name is not UNSET:
                tpl.name = clean_name(name, "Template name")
            if description is not UNSET:
                tpl.description = clean_notes(description, "Description")
            s.flush()
            return self._load_template(s, tpl.id)

    def list_templates(self) -> list[TemplateSummary]:
        with self._tx() as s:
            rows = s.execute(
                select(Template, func.count(ExerciseSession.id))
                .outerjoin(ExerciseSession, ExerciseSession.template_id == Template.id)
                .where(Template.user_id == self.user_id)
                .group_by(Template.id)
                .order_by(func.lower(Template.name), Template.id)
            ).all()
            return [TemplateSummary(t.id, t.name, t.description, n) for t, n in rows]

    def _load_template(self, s: OrmSession, template_id: int) -> TemplateInfo:
        tpl = s.scalar(
            select(Template)
            .where(Template.id == template_id, Template.user_id == self.user_id)
            .options(selectinload(Template.exercise_sessions).options(*_ENTRY_LOAD))
        )
        if tpl is None:
            raise NotFoundError(_NOT_FOUND["template"])
        return template_info(tpl)

    def get_template(self, template_id: int) -> TemplateInfo:
        with self._tx() as s:
            return self._load_template(s, template_id)

    def delete_template(self, template_id: int) -> None:
        with self._tx(write=True) as s:
            s.delete(self._template(s, template_id))

    def save_session_as_template(
        self, session_id: int, name: str, description: str | None = None
    ) -> TemplateInfo:
        """A template with the workout's exercises, its sets becoming the target sets.

        Every set keeps its type: warm-ups stay warm-ups (never targets of progression, never
        counted as sets to do at the top weight), so the targets are the working sets. Each
        exercise keeps the progression rule the workout was judged by (its template exercise's
        own, the rep range of that template's targets, or the lifter's default) as the new
        template exercise's own rule, so the sets just done (85 x 6, 6) do not become a new rep
        range of their own; a rule that was the exercise's own stays the exercise's (NULL), so
        changing it later still reaches this template."""
        name = clean_name(name, "Template name")
        description = clean_notes(description, "Description")
        with self._tx(write=True) as s:
            sess = self._session(s, session_id)
            settings = read_settings(s, self.user_id)
            tpl = Template(user_id=self.user_id, name=name, description=description)
            for es in sess.exercise_sessions:
                entry = None
                if sess.template_id is not None:
                    found = template_entries(s, self.user_id, [sess.template_id], es.exercise_id)
                    entry = found.get(sess.template_id)
                rule = rule_in_force(settings, es.exercise_id, sess.template_id, entry).rule
                tpl.exercise_sessions.append(
                    ExerciseSession(
                        exercise_id=es.exercise_id,
                        order=es.order,
                        progression=None if rule.source is RuleSource.EXERCISE else rule.text,
                        sets=[
                            Set(weight=st.weight, reps=st.reps, unit=st.unit, order=st.order, set_type=st.set_type,
                                duration_s=st.duration_s, distance_m=st.distance_m, distance_unit=st.distance_unit,
                                display_unit=st.display_unit)
                            for st in es.sets
                        ],
                    )
                )
            s.add(tpl)
            s.flush()
            return self._load_template(s, tpl.id)

    # -- entries (an exercise in a session or a template) --------------------------------------
    def add_entry(
        self, exercise_id: int, *, session_id: int | None = None, template_id: int | None = None
    ) -> EntryInfo:
        if (session_id is None) == (template_id is None):
            raise ValueError("give exactly one of session_id and template_id")
        with self._tx(write=True) as s:
            # Lock the parent so two terminals adding at once get different places.
            if session_id is not None:
                parent_col, parent_id = ExerciseSession.session_id, self._session(s, session_id, lock=True).id
            else:
                parent_col, parent_id = ExerciseSession.template_id, self._template(s, template_id, lock=True).id
            ex = self._exercise(s, exercise_id)
            last = s.scalar(select(func.max(ExerciseSession.order)).where(parent_col == parent_id))
            es = ExerciseSession(
                exercise_id=ex.id,
                session_id=session_id,
                template_id=template_id,
                order=(last or 0) + 1,
            )
            s.add(es)
            s.flush()
            return EntryInfo(id=es.id, order=es.order, exercise=exercise_info(ex))

    def get_entry(self, entry_id: int) -> EntryInfo:
        with self._tx() as s:
            es = s.scalar(self._owned_entries().where(ExerciseSession.id == entry_id).options(*_ENTRY_LOAD))
            if es is None:
                raise NotFoundError(_NOT_FOUND["entry"])
            return entry_info(es)

    def set_entry_notes(self, entry_id: int, notes: str | None) -> None:
        with self._tx(write=True) as s:
            self._entry(s, entry_id).notes = clean_notes(notes)

    def _lock_entry_parent(self, s: OrmSession, entry_id: int) -> tuple[Any, int]:
        """Lock the workout or template of an exercise (SELECT ... FOR UPDATE) and return its
        column and id. Every change to a parent's exercises takes this lock first, so they run one
        at a time; an exercise removed elsewhere meanwhile is NotFoundError."""
        row = s.execute(
            self._owned_entries()
            .with_only_columns(ExerciseSession.session_id, ExerciseSession.template_id)
            .where(ExerciseSession.id == entry_id)
        ).first()
        if row is None:
            raise NotFoundError(_NOT_FOUND["entry"])
        if row.session_id is not None:
            return ExerciseSession.session_id, self._session(s, row.session_id, lock=True).id
        return ExerciseSession.template_id, self._template(s, row.template_id, lock=True).id

    def remove_entry(self, entry_id: int) -> None:
        """Remove an exercise and its sets (the others keep their places until the next move)."""
        with self._tx(write=True) as s:
            col, pid = self._lock_entry_parent(s, entry_id)
            table = ExerciseSession.__table__
            gone = s.execute(table.delete().where(table.c.id == entry_id, table.c[col.key] == pid))
            if gone.rowcount != 1:  # removed by another terminal while we waited for the lock
                raise NotFoundError(_NOT_FOUND["entry"])

    def move_entry(self, entry_id: int, position: int) -> None:
        """Move an exercise to ``position`` (0-based) among its siblings."""
        with self._tx(write=True) as s:
            col, pid = self._lock_entry_parent(s, entry_id)
            _renumber(s, ExerciseSession, col, pid, entry_id, position, _NOT_FOUND["entry"])

    # -- sets ---------------------------------------------------------------------------------
    def add_set(
        self,
        entry_id: int,
        weight: float | str,
        reps: int | str,
        unit: Unit | str | None = None,
        *,
        set_type: str | None = None,
        rpe: float | None = None,
        duration_s: float | None = None,
        distance_m: float | None = None,
        distance_unit: DistanceUnit | str | None = None,
        client_id: str | None = None,
    ) -> SetInfo:
        """Log a set (or, in a template, a target set) at the end of an exercise's sets.
        ``weight`` is in ``unit``: kg, stacks, or lbs (stored as its exact kg, read back in
        pounds); no ``unit``: the exercise's (``exercise_unit``). ``duration_s`` and ``distance_m`` are per rep (see ExerciseKind).

        ``client_id``: the id the app gave the set when it was typed (a uuid4). Idempotent: when
        one of the lifter's own sets already has it, that set is returned and nothing is added,
        so a resend after "may or may not have been saved" can never make a second copy (the
        unique index ``uq_sets_client_id`` stops a concurrent one; its loser returns the winner's)."""
        set_type = _validate_set_type(set_type)
        measures = _measures(duration_s, distance_m, distance_unit)
        if client_id is not None:
            client_id = _validate_client_id(client_id)
        try:
            return self._add_set(entry_id, weight, reps, unit, set_type, rpe, measures, client_id)
        except ConflictError:
            if client_id is None:
                raise
            with self._tx() as s:  # a concurrent save of the same set won the unique index
                existing = self._set_by_client_id(s, client_id)
                if existing is None:
                    raise
                return set_info(existing)

    def _set_by_client_id(self, s: OrmSession, client_id: str) -> Set | None:
        """The lifter's own set with this client id (another lifter's is never found)."""
        entry_ids = self._owned_entries().with_only_columns(ExerciseSession.id)
        return s.scalar(select(Set).where(Set.client_id == client_id, Set.exercise_session_id.in_(entry_ids)))

    def _add_set(self, entry_id: int, weight: float | str, reps: int | str, unit: Unit | str | None,
                 set_type: str | None, rpe: float | None, measures: dict[str, Any], client_id: str | None) -> SetInfo:
        with self._tx(write=True) as s:
            es = self._entry(s, entry_id, lock=True)
            if client_id is not None and (existing := self._set_by_client_id(s, client_id)) is not None:
                return set_info(existing)
            u = load_unit(unit) if unit else self._unit_for(s, es.exercise)
            w, r = validate_weight(weight, u), validate_reps(reps)
            last = s.scalar(select(func.max(Set.order)).where(Set.exercise_session_id == es.id))
            st = Set(
                weight=to_stored(w, u),
                reps=r,
                unit=stored_unit(u),
                display_unit=display_column(u),
                exercise_session_id=es.id,
                order=(last or 0) + 1,
                set_type=set_type,
                rpe=_validate_rpe(rpe),
                logged_at=clock.now() if es.session_id is not None else None,
                client_id=client_id,
                **measures,
            )
            s.add(st)
            s.flush()
            return set_info(st)

    def update_set(
        self,
        set_id: int,
        *,
        weight: Any = UNSET,
        reps: Any = UNSET,
        unit: Any = UNSET,
        set_type: Any = UNSET,
        rpe: Any = UNSET,
        duration_s: Any = UNSET,
        distance_m: Any = UNSET,
        distance_unit: Any = UNSET,
    ) -> SetInfo:
        """Change a set; the measures given replace the set's (None clears one). ``weight`` is in
        ``unit`` (kg, lbs, stacks), else in the unit the set reads in."""
        with self._tx(write=True) as s:
            st = self._set(s, set_id)
            given = {"duration_s": duration_s, "distance_m": distance_m, "distance_unit": distance_unit}
            if any(v is not UNSET for v in given.values()):
                current = {k: getattr(st, k) if v is UNSET else v for k, v in given.items()}
                for key, value in _measures(**current).items():
                    setattr(st, key, value)
            u = load_unit(unit) if unit is not UNSET else set_unit(st.unit, st.display_unit)
            if weight is UNSET:
                weight = from_stored(st.weight, set_unit(st.unit, st.display_unit))
            st.weight = to_stored(validate_weight(weight, u), u)
            st.unit, st.display_unit = stored_unit(u), display_column(u)
            if reps is not UNSET:
                st.reps = validate_reps(reps)
            if set_type is not UNSET:
                st.set_type = _validate_set_type(set_type)
            if rpe is not UNSET:
                st.rpe = _validate_rpe(rpe)
            s.flush()
            return set_info(st)

    def _lock_set_entry(self, s: OrmSession, set_id: int) -> int:
        """Lock the exercise a set belongs to (SELECT ... FOR UPDATE) and return its id. Adding,
        moving and deleting sets take this lock first, so on one exercise they run one at a time."""
        entry_ids = self._owned_entries().with_only_columns(ExerciseSession.id)
        entry_id = s.scalar(
            select(Set.exercise_session_id).where(Set.id == set_id, Set.exercise_session_id.in_(entry_ids))
        )
        if entry_id is None:
            raise NotFoundError(_NOT_FOUND["set"])
        try:
            return self._entry(s, entry_id, lock=True).id
        except NotFoundError:  # its exercise or workout was removed meanwhile
            raise NotFoundError(_NOT_FOUND["set_gone"]) from None

    def delete_set(self, set_id: int) -> None:
        """Delete a set; the others keep their places until the next move (as remove_entry)."""
        with self._tx(write=True) as s:
            entry_id = self._lock_set_entry(s, set_id)
            table = Set.__table__
            gone = s.execute(table.delete().where(table.c.id == set_id, table.c.exercise_session_id == entry_id))
            if gone.rowcount != 1:  # deleted by another terminal while we waited for the lock
                raise NotFoundError(_NOT_FOUND["set_gone"])

    def move_set(self, set_id: int, position: int) -> None:
        """Move a set to ``position`` (0-based) among its exercise's sets."""
        with self._tx(write=True) as s:
            entry_id = self._lock_set_entry(s, set_id)
            _renumber(s, Set, Set.exercise_session_id, entry_id, set_id, position, _NOT_FOUND["set_gone"])

    # -- history ------------------------------------------------------------------------------
    def exercise_history(
        self, exercise_id: int, since: datetime | None = None
    ) -> list[HistorySession]:
        """Every session's sets of one exercise, oldest first, in one query.

        Columns, not ORM objects: the driver's rows become SetInfo directly (a ten-year history is
        a few thousand sets; building Set entities, then SQLAlchemy Rows, then SetInfo through its
        frozen __init__ each cost about as much as the query itself).
        """
        params = {"user_id": self.user_id, "exercise_id": exercise_id}
        if since is not None:
            params["since"] = since
        with self._tx() as s:
            conn = s.connection()
            rows = driver_rows(conn, _history_query(since is not None), params)
        return _history_sessions(rows, timestamp_parser(conn.dialect))

    def last_performance(
        self, exercise_id: int, *, exclude_session_id: int | None = None, before: datetime | None = None
    ) -> HistorySession | None:
        """The most recent other workout's sets of this exercise: "last time" (one query)."""
        latest = (
            select(Session.id)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .where(
                Session.user_id == self.user_id,
                ExerciseSession.exercise_id == exercise_id,
                ExerciseSession.sets.any(),
            )
            .order_by(Session.date.desc(), Session.id.desc())
            .limit(1)
        )
        if exclude_session_id is not None:
            latest = latest.where(Session.id != exclude_session_id)
        if before is not None:
            latest = latest.where(Session.date <= before)
        q = (
            select(Session.id, Session.date, *_SET_COLUMNS)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.id == latest.scalar_subquery(), ExerciseSession.exercise_id == exercise_id)
            .order_by(ExerciseSession.order, Set.order)
        )
        with self._tx() as s:
            conn = s.connection()
            rows = driver_rows(conn, q)
        found = _history_sessions(rows, timestamp_parser(conn.dialect))
        return found[0] if found else None


# -- the history's rows as the driver returns them (also used by ProgressService.progress_series) ----
# The columns of a SetInfo, in its field order.
_SET_COLUMNS = (Set.id, Set.order, Set.weight, Set.reps, Set.unit, Set.set_type, Set.rpe, Set.logged_at,
                Set.duration_s, Set.distance_m, Set.distance_unit, Set.display_unit)


@functools.cache
def _history_query(since_given: bool) -> Any:
    """exercise_history's statement, built once (parameters :user_id, :exercise_id, :since):
    building it and computing its cache key on every call cost about a millisecond."""
    q = (
        select(Session.id, Session.date, *_SET_COLUMNS)
        .join(ExerciseSession, ExerciseSession.session_id == Session.id)
        .join(Set, Set.exercise_session_id == ExerciseSession.id)
        .where(Session.user_id == bindparam("user_id"), ExerciseSession.exercise_id == bindparam("exercise_id"))
        .order_by(Session.date, Session.id, ExerciseSession.order, Set.order)
    )
    return q.where(Session.date >= bindparam("since")) if since_given else q


def _history_sessions(
    rows: Sequence[Any], to_datetime: Callable[[Any], datetime | None] | None
) -> list[HistorySession]:
    """Driver rows of (session id, date, *_SET_COLUMNS), grouped by session in the order given;
    ``to_datetime`` makes the timestamps datetimes (None: the driver did)."""
    out: list[HistorySession] = []
    sets: list[SetInfo] = []
    current = None
    for sid, date, set_id, order, weight, reps, unit, set_type, rpe, logged_at, duration, distance, d_unit, shown in rows:
        if sid != current:
            if current is not None:
                out.append(HistorySession(current, current_date, tuple(sets)))
            current, current_date, sets = sid, date if to_datetime is None else to_datetime(date), []
        if to_datetime is not None:
            logged_at = to_datetime(logged_at)
        sets.append(new_set_info(set_id, order, weight, reps, UNITS[unit], set_type, rpe, logged_at,
                                 duration, distance, d_unit, shown))
    if current is not None:
        out.append(HistorySession(current, current_date, tuple(sets)))
    return out


def _measures(duration_s: Any, distance_m: Any, distance_unit: Any) -> dict[str, Any]:
    """A set's time and distance per rep, checked; a distance's unit is kept only with it."""
    distance = validate_distance(distance_m) if distance_m is not None else None
    try:
        unit = DistanceUnit(distance_unit or DistanceUnit.M).value if distance is not None else None
    except ValueError:
        raise ValidationError("A distance's unit must be m, km, mi, yd or ft.", field="distance") from None
    return {
        "duration_s": validate_duration(duration_s) if duration_s is not None else None,
        "distance_m": distance,
        "distance_unit": unit,
    }


def _validate_rpe(rpe: float | None) -> float | None:
    if rpe is None or rpe == "":
        return None
    if isinstance(rpe, bool):
        raise ValidationError("RPE must be a number from 1 to 10.")
    try:
        value = float(rpe)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int too big for a float
        raise ValidationError("RPE must be a number from 1 to 10.") from None
    if not 1 <= value <= 10:
        raise ValidationError("RPE must be a number from 1 to 10.")
    return value


def _renumber(
    s: OrmSession, model: Any, parent_col: Any, parent_id: int, item_id: int, position: int, gone: str
) -> None:
    """Give the children of one parent orders 1..n with ``item_id`` at ``position`` (0-based).

    The caller holds the parent's lock, so the children read here are all there are. Done in SQL,
    not through ORM objects: an UPDATE of a row deleted meanwhile would be SQLAlchemy's
    StaleDataError; here an item that is gone is NotFoundError(``gone``)."""
    table = model.__table__
    parent = table.c[parent_col.key]
    ids = list(s.scalars(select(table.c.id).where(parent == parent_id).order_by(table.c.order, table.c.id)))
    if item_id not in ids:
        raise NotFoundError(gone)
    ids.remove(item_id)
    ids.insert(max(0, min(position, len(ids))), item_id)
    places = case({i: n for n, i in enumerate(ids, start=1)}, value=table.c.id)
    # Step aside first (negative places), then into place: the unique (parent, order) index is
    # checked row by row, so one UPDATE straight to the new places could collide midway.
    s.execute(table.update().where(parent == parent_id, table.c.id.in_(ids)).values(order=-places))
    s.execute(table.update().where(parent == parent_id, table.c.order < 0).values(order=-table.c.order))
