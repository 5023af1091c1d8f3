"""Progress for one user: records, best sets, new-record checks, suggestions, volume, series.

The rules are the pure ones in ``overload_tui.domain`` (records, progression, volume, e1RM);
this service only fetches the rows they need, in as few queries as it can (each method says
how many), and applies the user's settings (e1RM formula, progression, increments).

Every kind of exercise (``ExerciseKind``) is served: weight x reps as ever, the others from
their own measures (see ``domain/records.py``, ``domain/progression.py``). Weighted and assisted
sets get their load from the body-weight log (``services/body.py``): body weight plus the load,
or minus the assistance. The statements that read an exercise's sets also read its kind, so
weight x reps costs what it did; another kind's history is read set by set (one more statement,
and one for the body weights of weighted and assisted exercises).

Weights are read and compared as stored: kilograms (a set typed in pounds holds its exact kg)
or stacks, so a history of kg and lb sets is one series and one set of records. They are shown
in the exercise's unit (``shown_unit``: stacks, the unit chosen for the exercise, else the
lifter's), converted once in Python after the aggregation (``units.from_stored``); a set itself
reads as it was logged (``SetRecord.amount``, ``load_unit``).

Warm-up sets (set_type 'warmup') never count towards records, volume or the series; drop and
failure sets do. Template target sets are never history. Everything is the user's own: another
user's sessions are never read, and an exercise nobody logged simply has no history.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Float, Select, and_, bindparam, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session as OrmSession

from overload_tui import clock
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, ExerciseSession, Session, Set, Template
from overload_tui.domain.e1rm import BRZYCKI_MAX_REPS, CAVEAT, Formula, estimate_1rm, is_trusted
from overload_tui.domain.enums import Category, Equipment, ExerciseKind, Unit
from overload_tui.domain.errors import NotFoundError
from overload_tui.domain.measures import BODYWEIGHT_KINDS, pace_per_km
from overload_tui.domain.progression import (
    SOURCE_NAMES,
    LoggedSet,
    ProgressionRule,
    RuleSource,
    Suggestion,
    TargetSet,
    parse_rule,
    read_rule,
    resolve_rule,
    suggest_next,
)
from overload_tui.domain.records import (
    BestSet,
    Record,
    Records,
    RecordKind,
    SetRecord,
    compute_records,
    effective_sets,
    kind_best_sets,
    kind_records,
    new_kind_records,
    new_records,
)
from overload_tui.domain.units import LoadUnit, WeightUnit
from overload_tui.domain.volume import VolumeSummary, set_tonnage
from overload_tui.services.body import read_body_weights
from overload_tui.services.base import UNITS, ServiceBase, driver_rows, timestamp_parser
from overload_tui.services.dto import unfrozen
from overload_tui.services.settings import UserSettings, read_settings

__all__ = [
    "CAVEAT",
    "ProgressPoint",
    "ProgressService",
    "RECORD_LABELS",
    "RuleInForce",
    "describe_new_records",
    "shown_unit",
]

WARMUP = "warmup"
WEIGHT_EPSILON = 0.0005  # weights are stored to 0.001: equal weights are within this
# How many earlier sessions a suggestion looks at, beyond the deload window: the sessions before
# the ones that could make a deload, so that each of those is judged against the goal it was
# shown and the records before it.
SUGGESTION_EXTRA_SESSIONS = 6
# Template target sets that set a goal: working sets (not warm-ups, not lighter drop sets).
_TARGET_TYPES = (None, "failure")


@dataclass(frozen=True, slots=True)
class RuleInForce:
    """The progression rule of an exercise (in a template, or on its own) and every level of it.

    ``rule`` is the one that applies; its ``source`` says which level it comes from: the template
    exercise's own (``template``), the exercise's (``exercise``), the rep range of the template's
    target sets under the default scheme (``targets``), or the lifter's ``default`` (Settings)."""

    exercise_id: int
    template_id: int | None
    rule: ProgressionRule
    template: ProgressionRule | None   # the template exercise's own rule, if it has one
    exercise: ProgressionRule | None   # the exercise's own rule, if it has one
    default: ProgressionRule           # the lifter's default

    @property
    def label(self) -> str:
        """'Double progression 8-12 (this template)'."""
        return f"{self.rule.label} ({SOURCE_NAMES[self.rule.source]})"

    @property
    def short(self) -> str:
        """'double 8-12 (this template)': the rule as typed, for narrow places."""
        return f"{self.rule.text} ({SOURCE_NAMES[self.rule.source]})"


def template_entries(
    s: OrmSession, user_id: int, template_ids: Sequence[int], exercise_id: int
) -> dict[int, tuple[str | None, list[TargetSet]]]:
    """Per template (the lifter's own): the progression text and working target sets of its
    first entry for the exercise. One query."""
    if not template_ids:
        return {}
    rows = s.execute(
        select(ExerciseSession.template_id, ExerciseSession.id, ExerciseSession.progression,
               Set.weight, Set.reps, Set.unit, Set.set_type)
        .join(Template, Template.id == ExerciseSession.template_id)
        .outerjoin(Set, Set.exercise_session_id == ExerciseSession.id)
        .where(
            Template.user_id == user_id,
            ExerciseSession.template_id.in_(sorted(set(template_ids))),
            ExerciseSession.exercise_id == exercise_id,
        )
        .order_by(ExerciseSession.template_id, ExerciseSession.order, ExerciseSession.id, Set.order)
    ).all()
    found: dict[int, tuple[str | None, list[TargetSet]]] = {}
    first: dict[int, int] = {}
    for r in rows:
        if first.setdefault(r.template_id, r.id) != r.id:
            continue
        _, targets = found.setdefault(r.template_id, (r.progression, []))
        if r.reps is not None and r.set_type in _TARGET_TYPES:
            targets.append(TargetSet(int(r.reps), float(r.weight), Unit(r.unit)))
    return found


def rule_in_force(
    settings: UserSettings, exercise_id: int, template_id: int | None,
    entry: tuple[str | None, Sequence[TargetSet]] | None,
) -> RuleInForce:
    """The rule for ``exercise_id`` in ``template_id`` (``entry``: the stored text and working
    targets of its entry there, as ``template_entries`` reads them), or on its own."""
    text, targets = entry if entry is not None else (None, ())
    own = read_rule(text, RuleSource.TEMPLATE)
    exercise = settings.rule_for(exercise_id)
    rule = resolve_rule(settings.progression_settings(), own, exercise, targets)
    return RuleInForce(exercise_id, template_id, rule, own, exercise, settings.default_rule())

RECORD_LABELS = {
    RecordKind.HEAVIEST: "heaviest weight",
    RecordKind.E1RM: "best estimated 1RM",
    RecordKind.REPS_AT_WEIGHT: "most reps at this weight",
    RecordKind.SESSION_VOLUME: "best session volume",
    RecordKind.LONGEST_HOLD: "longest hold",
    RecordKind.MOST_REPS: "most reps",
    RecordKind.LONGEST_DISTANCE: "longest distance",
    RecordKind.BEST_PACE: "best pace at this distance",
    RecordKind.HEAVIEST_ADDED: "heaviest added load",
    RecordKind.LEAST_ASSISTANCE: "least assistance",
}


def _rule_text(rule: str | ProgressionRule | None) -> str | None:
    """The stored text of a rule given as text or a rule; None for none (blank clears)."""
    if isinstance(rule, ProgressionRule):
        return rule.text
    if rule is None or not str(rule).strip():
        return None
    return parse_rule(rule).text


def describe_new_records(kinds: Sequence[RecordKind]) -> str:
    """'New record: heaviest weight, best estimated 1RM' ('' for none): the notification line."""
    if not kinds:
        return ""
    word = "record" if len(kinds) == 1 else "records"
    return f"New {word}: " + ", ".join(RECORD_LABELS[k] for k in kinds)


def shown_unit(settings: UserSettings, exercise_id: int, stored: Unit | str | None = None) -> LoadUnit:
    """What an exercise's figures (records, e1RM, plots) read in: stacks when they are in stacks
    (``stored``: the unit of the history shown), else the unit chosen for the exercise when it
    is kg or lbs, else the lifter's unit."""
    if stored == Unit.STACKS:
        return LoadUnit.STACKS
    chosen = settings.unit_for(exercise_id)
    return chosen if chosen in (LoadUnit.KG, LoadUnit.LBS) else LoadUnit(settings.weight_unit.value)


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
    # Other kinds (None where the kind has no such measure). Weighted and assisted: best_e1rm,
    # heaviest and volume are of the effective load (0 without a body weight: see body_weight).
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS
    most_reps: int | None = None       # reps only, weighted, assisted: the most reps in a set
    total_reps: int | None = None      # reps only, weighted, assisted: reps in all
    longest_s: float | None = None     # time: the longest hold (per rep)
    total_s: float | None = None       # time: seconds held in all
    longest_m: float | None = None     # distance: the longest distance in one go (per rep)
    total_m: float | None = None       # distance: metres in all
    best_pace: float | None = None     # distance: seconds per km of the fastest timed set
    added: float | None = None         # weighted: the heaviest added load; assisted: the least help
    body_weight: float | None = None   # weighted, assisted: the body weight of the day (None: unknown)

    @property
    def trusted(self) -> bool:
        """False when the best e1RM comes from a set of more than about 12 reps (see CAVEAT)."""
        return is_trusted(self.best_e1rm_reps)


_UnfrozenPoint = unfrozen(ProgressPoint)


def _point(
    session_id: int,
    date: datetime,
    unit: Unit,
    best_e1rm: float,
    best_e1rm_reps: int,
    heaviest: float,
    volume: float,
    sets: int,
) -> ProgressPoint:
    """``ProgressPoint(...)`` at half the cost (see ``unfrozen``): a series has a point per
    session, hundreds over a few years."""
    point: Any = _UnfrozenPoint()
    point.session_id = session_id
    point.date = date
    point.unit = unit
    point.best_e1rm = best_e1rm
    point.best_e1rm_reps = best_e1rm_reps
    point.heaviest = heaviest
    point.volume = volume
    point.sets = sets
    point.kind = ExerciseKind.WEIGHT_REPS
    point.most_reps = point.total_reps = point.longest_s = point.total_s = point.longest_m = point.total_m = None
    point.best_pace = point.added = point.body_weight = None
    point.__class__ = ProgressPoint
    return point


def _working(st: Any) -> Any:
    """Working sets: anything but warm-ups (drop and failure sets count)."""
    return or_(st.set_type.is_(None), st.set_type != WARMUP)


_WORKING = _working(Set)


def _before(session_date: datetime, session_id: int):
    """Sessions strictly before (date, id): the order sessions are shown in everywhere."""
    return or_(Session.date < session_date, and_(Session.date == session_date, Session.id < session_id))


def _record(row: Any) -> SetRecord:
    return SetRecord(
        row.session_id, row.date, float(row.weight), int(row.reps), Unit(row.unit), row.set_id,
        display_unit=row.display_unit,
    )


def _kind_of(rows: Sequence[Any]) -> ExerciseKind:
    """The exercise's kind, read along with its rows (weight x reps when there are none)."""
    return ExerciseKind(rows[0].kind) if rows and rows[0].kind else ExerciseKind.WEIGHT_REPS


def _kind_column() -> Any:
    """The kind of exercise :exercise_id, as a column of the statements that read its sets."""
    return select(Exercise.kind).where(Exercise.id == bindparam("exercise_id")).scalar_subquery().label("kind")


def _e1rm_sql(formula: Formula) -> Any:
    """``estimate_1rm(weight, reps, formula)`` as an SQL expression over Set, with the same
    double-precision operations in the same order: the same values (and so the same ranking)
    as Python computes."""
    reps = cast(Set.reps, Float)
    if formula is Formula.BRZYCKI:
        capped = case((Set.reps > BRZYCKI_MAX_REPS, float(BRZYCKI_MAX_REPS)), else_=reps)
        factor = literal(36.0, Float) / (literal(37.0, Float) - capped)
    else:
        factor = literal(1.0, Float) + reps / literal(30.0, Float)
    return Set.weight * case((Set.reps == 1, literal(1.0, Float)), else_=factor)


# -- prebuilt statements ----------------------------------------------------------------------------
# The history queries below are built once (per formula and shape) with bound parameters
# :user_id, :exercise_id (and :unit, :since, :n): building a statement this size and computing
# its cache key costs more than running it on a few hundred sessions.

# The order sets are shown in everywhere: by session date, session, entry, set.
_SHOWN_ORDER = (Session.date, Session.id, ExerciseSession.order, Set.order)


def _working_sets(*columns: Any) -> Select:
    """SELECT ``columns`` over the working sets (no warm-ups, no template targets) of exercise
    :exercise_id logged by user :user_id; the caller adds grouping and order."""
    return (
        select(*columns)
        .select_from(Session)
        .join(ExerciseSession, ExerciseSession.session_id == Session.id)
        .join(Set, Set.exercise_session_id == ExerciseSession.id)
        .where(
            Session.user_id == bindparam("user_id"),
            ExerciseSession.exercise_id == bindparam("exercise_id"),
            _WORKING,
        )
    )


def _latest_unit() -> Any:
    """The unit of the most recent working set, as a scalar subquery: the last working set of
    the newest session that has one (found walking the user's sessions newest first on
    ix_sessions_user_id_date, which stops at once for an exercise trained lately)."""
    sess = Session.__table__.alias("newest")
    entry, any_entry = ExerciseSession.__table__.alias("last_entry"), ExerciseSession.__table__.alias("any_entry")
    st, any_set = Set.__table__.alias("last_set"), Set.__table__.alias("any_set")
    newest = (
        select(sess.c.id)
        .where(
            sess.c.user_id == bindparam("user_id"),
            select(any_entry.c.id)
            .join(any_set, any_set.c.exercise_session_id == any_entry.c.id)
            .where(
                any_entry.c.session_id == sess.c.id,
                any_entry.c.exercise_id == bindparam("exercise_id"),
                _working(any_set.c),
            )
            .correlate(sess)
            .exists(),
        )
        .order_by(sess.c.date.desc(), sess.c.id.desc())
        .limit(1)
        .correlate(None)
        .scalar_subquery()
    )
    return (
        select(st.c.unit)
        .select_from(entry)
        .join(st, st.c.exercise_session_id == entry.c.id)
        .where(entry.c.session_id == newest, entry.c.exercise_id == bindparam("exercise_id"), _working(st.c))
        .order_by(entry.c.order.desc(), st.c.order.desc())
        .limit(1)
        .correlate(None)
        .scalar_subquery()
    )


def _unit_filter(unit_given: bool) -> Any:
    """Sets in :unit, or (not given) in the unit of the most recent working set."""
    return Set.unit == (bindparam("unit") if unit_given else _latest_unit())


@functools.cache
def _series_query(formula: Formula, unit_given: bool, since_given: bool) -> Select:
    """One row per session: id, date, unit, best e1RM, that set's reps, heaviest, volume, sets."""
    e1rm = _e1rm_sql(formula)
    ranked = _working_sets(
        Session.id.label("session_id"),
        Session.date.label("date"),
        Set.weight.label("weight"),
        Set.reps.label("reps"),
        Set.unit.label("unit"),
        e1rm.label("e1rm"),
        func.row_number()
        .over(partition_by=Session.id, order_by=(e1rm.desc(), ExerciseSession.order, Set.order))
        .label("rank"),
    ).where(_unit_filter(unit_given))
    if since_given:
        ranked = ranked.where(Session.date >= bindparam("since"))
    c = ranked.subquery("ranked").c
    return (
        select(
            c.session_id,
            c.date,
            c.unit,
            func.max(c.e1rm),
            func.max(case((c.rank == 1, c.reps))),
            func.max(c.weight),
            func.sum(c.weight * c.reps),
            func.count(),
            _kind_column(),
        )
        .group_by(c.session_id, c.date, c.unit)
        .order_by(c.date, c.session_id)
    )


_SET_FIELDS = (
    Session.id.label("session_id"),
    Session.date.label("date"),
    Set.id.label("set_id"),
    Set.weight.label("weight"),
    Set.reps.label("reps"),
    Set.unit.label("unit"),
    Set.display_unit.label("display_unit"),
)


@functools.cache
def _best_sets_query(formula: Formula, unit_given: bool, one_per_session: bool) -> Select:
    """The :n best sets by e1RM (ties: the earlier set), at most one per session if asked."""
    e1rm = _e1rm_sql(formula)
    working = _working_sets(*_SET_FIELDS).where(_unit_filter(unit_given))
    if not one_per_session:
        return working.add_columns(_kind_column()).order_by(e1rm.desc(), *_SHOWN_ORDER).limit(bindparam("n"))
    ranked = working.add_columns(
        e1rm.label("e1rm"),
        func.row_number()
        .over(partition_by=Session.id, order_by=(e1rm.desc(), ExerciseSession.order, Set.order))
        .label("rank"),
    ).subquery("ranked")
    c = ranked.c
    return (
        select(c.session_id, c.date, c.set_id, c.weight, c.reps, c.unit, c.display_unit, _kind_column())
        .where(c.rank == 1)
        .order_by(c.e1rm.desc(), c.date, c.session_id)
        .limit(bindparam("n"))
    )


@functools.cache
def _record_candidates() -> Any:
    """The sets that can hold a record, and every session's volume, in one query.

    Per unit and rep count the first heaviest set (it holds the heaviest weight and the best
    e1RM if any set of that rep count does: the e1RM grows with the weight), per unit and
    weight the first set with the most reps; per unit and session the volume (kind 'volume',
    in the weight column). "First" is in the order sets are shown, the order
    ``compute_records`` breaks ties in, so it picks the same sets from these as from the whole
    history.
    """
    ranked = _working_sets(
        *_SET_FIELDS,
        ExerciseSession.order.label("entry_order"),
        Set.order.label("set_order"),
        func.row_number()
        .over(partition_by=(Set.unit, Set.reps), order_by=(Set.weight.desc(), *_SHOWN_ORDER))
        .label("by_reps"),
        func.row_number()
        .over(partition_by=(Set.unit, Set.weight), order_by=(Set.reps.desc(), *_SHOWN_ORDER))
        .label("by_weight"),
    ).subquery("ranked")
    c = ranked.c
    candidates = select(
        literal("set").label("row"), c.session_id, c.date, c.set_id, c.weight, c.reps, c.unit, c.display_unit,
        c.entry_order, c.set_order, _kind_column(),
    ).where(or_(c.by_reps == 1, c.by_weight == 1))
    volumes = _working_sets(
        literal("volume"), Session.id, Session.date, null(), func.sum(Set.weight * Set.reps), null(), Set.unit,
        null(), null(), null(), _kind_column(),
    ).group_by(Session.id, Session.date, Set.unit)
    return union_all(candidates, volumes)


@functools.cache
def _kind_sets_query() -> Select:
    """Every working set of the exercise with its time and distance, in the order shown."""
    return _working_sets(
        *_SET_FIELDS, Set.duration_s, Set.distance_m, Set.distance_unit,
        ExerciseSession.order.label("entry_order"), Set.order.label("set_order"),
    ).order_by(*_SHOWN_ORDER)


def _kind_point(kind: ExerciseKind, sets: Sequence[SetRecord], formula: Formula) -> ProgressPoint:
    """One session of an exercise of another kind than weight x reps (see ProgressPoint)."""
    first = sets[0]
    loaded = effective_sets(kind, sets)
    best = max(loaded, key=lambda s: estimate_1rm(s.weight, s.reps, formula), default=None)
    timed = [s.duration_s for s in sets if s.duration_s]
    far = [s.distance_m for s in sets if s.distance_m]
    paces = [p for s in sets if (p := pace_per_km(s.distance_m, s.duration_s)) is not None]
    point = ProgressPoint(
        first.session_id, first.date, first.unit,
        round(estimate_1rm(best.weight, best.reps, formula), 3) if best else 0.0,
        best.reps if best else 0,
        max((s.weight for s in loaded), default=0.0),
        round(sum(s.weight * s.reps for s in loaded), 3),
        len(sets),
        kind,
    )
    changes: dict[str, Any] = {}
    if kind in (ExerciseKind.REPS_ONLY, *BODYWEIGHT_KINDS):
        changes["most_reps"] = max(s.reps for s in sets)
        changes["total_reps"] = sum(s.reps for s in sets)
    if kind is ExerciseKind.TIME and timed:
        changes["longest_s"] = max(timed)
        changes["total_s"] = round(sum((s.duration_s or 0.0) * s.reps for s in sets), 3)
    if kind is ExerciseKind.DISTANCE and far:
        changes["longest_m"] = max(far)
        changes["total_m"] = round(sum((s.distance_m or 0.0) * s.reps for s in sets), 3)
        changes["best_pace"] = round(min(paces), 3) if paces else None
    if kind in BODYWEIGHT_KINDS:
        pick = max if kind is ExerciseKind.WEIGHTED else min
        changes["added"] = pick(s.weight for s in sets)
        changes["body_weight"] = first.body_weight
    return replace(point, **changes)


def _kind_marks(
    kind: ExerciseKind, history: Sequence[SetRecord], session_id: int, formula: Formula, only: int | None = None
) -> dict[int, list[RecordKind]]:
    """Set id -> the records it beat when it was logged, for the sets of ``session_id`` in an
    exercise's whole ``history`` (of another kind than weight x reps), or only set ``only``."""
    session = next((s for s in history if s.session_id == session_id), None)
    if session is None:
        return {}
    earlier_sessions = [s for s in history if (s.date, s.session_id) < (session.date, session_id)]
    here = [s for s in history if s.session_id == session_id]
    marks: dict[int, list[RecordKind]] = {}
    for i, st in enumerate(here):
        if st.set_id is not None and (only is None or st.set_id == only):
            marks[st.set_id] = new_kind_records(kind, earlier_sessions, st, here[:i], formula)
    return marks


def _weekly(groups: Sequence[Any], weights: Any) -> dict[Category, VolumeSummary]:
    """``weekly_volume``'s groups counted as ``domain.volume`` counts sets (a group stands for
    several sets: weighted and assisted ones of one day and one load)."""
    found = {c: [0, 0.0, 0] for c in Category}
    for g in groups:
        totals = found[Category(g.category)]
        totals[0] += int(g.sets)
        if g.day is None:  # weight x reps summed in SQL: as one set of that weight
            added = set_tonnage(g.kind, float(g.kg), 1, g.unit)
        else:
            day = g.day if isinstance(g.day, date) else date.fromisoformat(str(g.day))
            added = set_tonnage(g.kind, float(g.load), int(g.reps), g.unit, weights.on(day) if weights else None)
        if added is None:
            totals[2] += int(g.sets)
        else:
            totals[1] += added
    return {c: VolumeSummary(n, round(kg, 3), unknown) for c, (n, kg, unknown) in found.items()}


def _first_beating(values: Sequence[tuple[float, Any]]) -> Any:
    """The item of the first value not strictly beaten by a later one (records' tie rule)."""
    best_value, best = values[0]
    for value, item in values[1:]:
        if value > best_value and not math.isclose(value, best_value, rel_tol=1e-9, abs_tol=1e-9):
            best_value, best = value, item
    return best


class ProgressService(ServiceBase):
    """Progress of one user (every id is checked against that user)."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    # -- shared queries -----------------------------------------------------------------------
    def _params(self, exercise_id: int, **more: Any) -> dict[str, Any]:
        """Parameters of the prebuilt statements."""
        return {"user_id": self.user_id, "exercise_id": exercise_id, **more}

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
                Set.display_unit,
                *columns,
            )
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id)
            .order_by(Session.date, Session.id, ExerciseSession.order, Set.order)
        )

    def _kind_history(self, s: OrmSession, exercise_id: int, kind: ExerciseKind) -> list[SetRecord]:
        """Every working set of the exercise, oldest first, with time, distance and (weighted,
        assisted) the body weight of its day. One query, two for weighted and assisted."""
        rows = s.connection().execute(_kind_sets_query(), self._params(exercise_id)).all()
        weights = read_body_weights(s, self.user_id) if kind in BODYWEIGHT_KINDS and rows else None
        return [
            SetRecord(
                r.session_id, r.date, float(r.weight), int(r.reps), Unit(r.unit), r.set_id,
                r.duration_s, r.distance_m, r.distance_unit, weights.on(r.date) if weights else None,
                r.display_unit,
            )
            for r in rows
        ]

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

        Other kinds: ``records.kind_records`` (their own records in ``measures`` and
        ``pace_at``; weighted and assisted units on the effective load); 1 or 2 queries more.

        The e1RM uses the user's formula unless ``formula`` is given. Show CAVEAT beside an
        e1RM whose set has more than 12 reps (``e1rm.is_trusted(record.reps)`` is False).

        The database narrows the history down to the sets that can hold a record and to one
        volume per session (see ``_record_candidates``); ``compute_records`` does the rest.
        """
        with self._tx() as s:
            formula = Formula(formula) if formula else read_settings(s, self.user_id).e1rm_formula
            rows = s.connection().execute(_record_candidates(), self._params(exercise_id)).all()
            kind = _kind_of(rows)
            if kind is not ExerciseKind.WEIGHT_REPS:
                return kind_records(kind, self._kind_history(s, exercise_id, kind), formula)
        sets = sorted(
            (r for r in rows if r.row == "set"), key=lambda r: (r.date, r.session_id, r.entry_order, r.set_order)
        )
        found = compute_records((_record(r) for r in sets), formula)
        volumes: dict[Unit, list[tuple[float, Record]]] = {}
        for r in sorted((r for r in rows if r.row == "volume"), key=lambda r: (r.date, r.session_id)):
            value = round(float(r.weight), 3)
            record = Record(RecordKind.SESSION_VOLUME, value, Unit(r.unit), r.date, r.session_id)
            volumes.setdefault(record.unit, []).append((value, record))
        return Records(
            formula, tuple(replace(u, best_volume=_first_beating(volumes[u.unit])) for u in found.units)
        )

    def best_sets(
        self, exercise_id: int, n: int = 10, unit: Unit | str | None = None, one_per_session: bool = True
    ) -> list[BestSet]:
        """The top ``n`` sets by e1RM, best first, one per session by default (2 queries).

        Other kinds: ranked as ``records.kind_best_sets`` ranks them (the e1RM of the effective
        load, the longest hold, the longest distance, the most reps); 3 or 4 queries.

        ``unit`` None: the unit of the most recent working set (kg and stacks never compare).
        Ranked in SQL (the e1RM computed as Python computes it; ties: the earlier set first),
        as ``records.best_sets`` would rank the whole history.
        """
        params = self._params(exercise_id, n=max(n, 0))
        if unit:
            params["unit"] = Unit(unit)
        with self._tx() as s:
            formula = read_settings(s, self.user_id).e1rm_formula
            q = _best_sets_query(formula, bool(unit), one_per_session)
            rows = s.connection().execute(q, params).all()
            kind = _kind_of(rows)
            if kind is not ExerciseKind.WEIGHT_REPS:
                history = self._kind_history(s, exercise_id, kind)
                chosen = Unit(unit) if unit else history[-1].unit
                in_unit = [r for r in history if r.unit is chosen]
                return kind_best_sets(kind, in_unit, n, formula, one_per_session)
        return [BestSet(rec, estimate_1rm(rec.weight, rec.reps, formula)) for rec in map(_record, rows)]

    def check_new_records(self, session_id: int, set_id: int) -> list[RecordKind]:
        """The records the just-logged set beats, in RecordKind order (4 queries).

        Other kinds: ``records.new_kind_records`` against the exercise's history read set by set
        (3 queries, 4 for weighted and assisted).

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
                    Session.date, Exercise.kind,
                )
                .join(ExerciseSession, ExerciseSession.id == Set.exercise_session_id)
                .join(Session, Session.id == ExerciseSession.session_id)
                .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
                .where(Set.id == set_id, Session.id == session_id, Session.user_id == self.user_id)
            ).first()
            if target is None:
                raise NotFoundError("That set was not found.")
            if target.set_type == WARMUP:
                return []
            formula = read_settings(s, self.user_id).e1rm_formula
            kind = ExerciseKind(target.kind)
            if kind is not ExerciseKind.WEIGHT_REPS:
                history = self._kind_history(s, target.exercise_id, kind)
                return _kind_marks(kind, history, session_id, formula, only=set_id).get(set_id, [])
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

    def session_records(
        self, session_id: int, exercise_id: int | None = None
    ) -> dict[int, tuple[RecordKind, ...]]:
        """For reopening a workout: set id -> the records that set beat when it was logged
        (only sets that beat one are in the dict), for every exercise of the session, or only
        ``exercise_id``'s sets.

        3 queries, plus one aggregate per distinct (exercise, unit, weight) of those sets: the
        cost follows the workout's size, not the length of the history (``check_new_records``
        takes 4 a set). An exercise of another kind takes one query (two: weighted, assisted).
        """
        marks: dict[int, tuple[RecordKind, ...]] = {}
        with self._tx() as s:
            sess = self._own_session(s, session_id)
            formula = read_settings(s, self.user_id).e1rm_formula
            query = (
                self._set_rows(ExerciseSession.exercise_id, Exercise.kind)
                .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
                .where(_WORKING, Session.id == session_id)
            )
            if exercise_id is not None:
                query = query.where(ExerciseSession.exercise_id == exercise_id)
            rows = s.execute(query).all()
            before = _before(sess.date, session_id)
            priors: dict[tuple[int, Unit, float], Records | None] = {}
            done: dict[int, list[SetRecord]] = {}
            others = {r.exercise_id: ExerciseKind(r.kind) for r in rows if r.kind != ExerciseKind.WEIGHT_REPS}
            for other, kind in others.items():
                found = _kind_marks(kind, self._kind_history(s, other, kind), session_id, formula)
                marks.update((sid, tuple(kinds)) for sid, kinds in found.items() if kinds)
            for r in rows:
                if r.exercise_id in others:
                    continue
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
        """What to lift next time (5 queries), or None with no history and no targets.

        Uses the last few sessions of the exercise (before ``session_id``'s session, which is
        itself left out), the exercise's equipment, the user's settings and the rule in force
        (``rule_in_force``: the template exercise's own, the exercise's, the rep range of the
        template's working target sets, the lifter's default). The session's template also gives
        the number of sets and the first weight. Each past session is judged by the rule of its
        own template (or the exercise's, or the default): by what its "Next" said. The rule is in
        ``Suggestion.rule``. Raises NotFoundError for an exercise the user cannot see or a
        session that is not theirs.
        """
        with self._tx() as s:
            exercise = s.execute(
                select(Exercise.id, Exercise.equipment, Exercise.kind, Exercise.category, Exercise.name).where(
                    Exercise.id == exercise_id,
                    or_(Exercise.owner_id.is_(None), Exercise.owner_id == self.user_id),
                )
            ).first()
            if exercise is None:
                raise NotFoundError("That exercise was not found.")
            settings = read_settings(s, self.user_id)
            sess = self._own_session(s, session_id) if session_id is not None else None
            recent = self._recent_sessions(s, exercise_id, settings, sess)
            template_id = sess.template_id if sess is not None else None
            wanted = {tid for tid, _ in recent} | {template_id}
            entries = template_entries(s, self.user_id, [t for t in wanted if t is not None], exercise_id)
        rules = {tid: rule_in_force(settings, exercise_id, tid, entries.get(tid) if tid else None).rule
                 for tid in wanted}
        targets = list(entries[template_id][1]) if template_id in entries else []
        unit = settings.unit_for(exercise_id) or settings.weight_unit  # stacks: the history's own
        return suggest_next(
            [sets for _, sets in recent],
            Equipment(exercise.equipment) if exercise.equipment else None,
            settings.progression_settings(),
            targets,
            ExerciseKind(exercise.kind),
            weight_unit=WeightUnit.LBS if unit == WeightUnit.LBS else WeightUnit.KG,
            category=exercise.category,
            name=exercise.name,
            rule=rules[template_id],
            session_rules=[rules[tid] for tid, _ in recent],
            formula=settings.e1rm_formula,
        )

    def _recent_sessions(
        self, s: OrmSession, exercise_id: int, settings: UserSettings, sess: Any
    ) -> list[tuple[int | None, list[LoggedSet]]]:
        """The last deload_after + SUGGESTION_EXTRA_SESSIONS sessions with a working set of the
        exercise, oldest first: each one's template id and sets."""
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
            self._set_rows(Set.set_type, Set.duration_s, Set.distance_m, Set.distance_unit, Session.template_id)
            .join(recent_ids, recent_ids.c.id == Session.id)
            .where(ExerciseSession.exercise_id == exercise_id)
        ).all()
        grouped: dict[int, tuple[int | None, list[LoggedSet]]] = {}
        for r in rows:
            grouped.setdefault(r.session_id, (r.template_id, []))[1].append(
                LoggedSet(
                    float(r.weight), int(r.reps), Unit(r.unit), r.set_type == WARMUP,
                    r.duration_s, r.distance_m, r.distance_unit,
                )
            )
        return list(grouped.values())

    # -- the rule in force ----------------------------------------------------------------------
    def _visible_exercise(self, s: OrmSession, exercise_id: int) -> None:
        found = s.scalar(select(Exercise.id).where(
            Exercise.id == exercise_id, or_(Exercise.owner_id.is_(None), Exercise.owner_id == self.user_id)))
        if found is None:
            raise NotFoundError("That exercise was not found.")

    def _own_template(self, s: OrmSession, template_id: int) -> None:
        found = s.scalar(select(Template.id).where(Template.id == template_id, Template.user_id == self.user_id))
        if found is None:
            raise NotFoundError("That template was not found.")

    def rule_in_force(self, exercise_id: int, template_id: int | None = None) -> RuleInForce:
        """The progression rule that judges ``exercise_id`` in ``template_id`` (its first entry
        there), or on its own (no template), with every level of it (3 or 4 queries). Raises
        NotFoundError for an exercise or template the lifter cannot see."""
        with self._tx() as s:
            self._visible_exercise(s, exercise_id)
            settings = read_settings(s, self.user_id)
            entry = None
            if template_id is not None:
                self._own_template(s, template_id)
                entry = template_entries(s, self.user_id, [template_id], exercise_id).get(template_id)
        return rule_in_force(settings, exercise_id, template_id, entry)

    def template_rules(self, template_id: int) -> dict[int, RuleInForce]:
        """Entry id -> the rule in force for each exercise of a template (for its editor): the
        entry's own rule, else the exercise's, its target sets' range, the default. 3 queries.
        Raises NotFoundError for a template that is not the lifter's."""
        with self._tx() as s:
            self._own_template(s, template_id)
            settings = read_settings(s, self.user_id)
            rows = s.execute(
                select(ExerciseSession.id, ExerciseSession.exercise_id, ExerciseSession.progression,
                       Set.weight, Set.reps, Set.unit, Set.set_type)
                .outerjoin(Set, Set.exercise_session_id == ExerciseSession.id)
                .where(ExerciseSession.template_id == template_id)
                .order_by(ExerciseSession.order, ExerciseSession.id, Set.order)
            ).all()
        entries: dict[int, tuple[int, str | None, list[TargetSet]]] = {}
        for r in rows:
            _, _, targets = entries.setdefault(r.id, (r.exercise_id, r.progression, []))
            if r.reps is not None and r.set_type in _TARGET_TYPES:
                targets.append(TargetSet(int(r.reps), float(r.weight), Unit(r.unit)))
        return {
            entry_id: rule_in_force(settings, exercise_id, template_id, (text, targets))
            for entry_id, (exercise_id, text, targets) in entries.items()
        }

    def set_rule(
        self, exercise_id: int, rule: str | ProgressionRule | None, template_id: int | None = None
    ) -> RuleInForce:
        """Set the progression rule of ``exercise_id`` in ``template_id`` (every entry of it
        there), or of the exercise wherever no template says otherwise (no template). ``rule``
        is text ("double 8-12", "linear 5") or a ProgressionRule; None or blank clears that
        level. Returns the rule in force afterwards. Raises ProgressionRuleError (``field``
        "progression", ``problem``) for text that does not parse; NotFoundError for an exercise
        or template the lifter cannot see, or an exercise not in the template."""
        if template_id is None:
            from overload_tui.services.settings import SettingsService

            SettingsService(self.db, self.user_id).set_exercise_progression(exercise_id, rule)
            return self.rule_in_force(exercise_id)
        text = _rule_text(rule)
        with self._tx(write=True) as s:
            self._own_template(s, template_id)
            entries = s.scalars(select(ExerciseSession).where(
                ExerciseSession.template_id == template_id, ExerciseSession.exercise_id == exercise_id)).all()
            if not entries:
                raise NotFoundError("That exercise is not in this template.")
            for es in entries:
                es.progression = text
        return self.rule_in_force(exercise_id, template_id)

    # -- volume -------------------------------------------------------------------------------
    def weekly_volume(self, week_start: date | None = None) -> dict[Category, VolumeSummary]:
        """Working sets and kg tonnage per muscle category for one week, in one query (two
        when the week has weighted or assisted sets: their body weights).

        The week runs Monday 00:00 to the next Monday; ``week_start`` may be any day of it
        (default: this week, by ``clock.now()``). Every category is in the result, in
        Category order, zeros included. Sets of every kind count as sets; tonnage counts as
        ``domain.volume`` says (stack, reps-only, timed and distance sets add none; weighted
        and assisted sets their effective load, or are counted in ``without_body_weight``).
        """
        day = week_start or clock.now().date()
        if isinstance(day, datetime):
            day = day.date()
        monday = day - timedelta(days=day.weekday())
        start = datetime(monday.year, monday.month, monday.day)
        end = start + timedelta(days=7)
        bodyweight = Exercise.kind.in_([k.value for k in BODYWEIGHT_KINDS])
        # Per category and kind, the sets and their weight x reps; weighted and assisted sets
        # per day and load, to be weighed with the body weight of their day.
        day, load = case((bodyweight, func.date(Session.date))), case((bodyweight, Set.weight))
        q = (
            select(
                Exercise.category, Exercise.kind, Set.unit, day.label("day"), load.label("load"),
                func.count(Set.id).label("sets"), func.sum(Set.reps).label("reps"),
                func.sum(Set.weight * Set.reps).label("kg"),
            )
            .select_from(Session)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Exercise, Exercise.id == ExerciseSession.exercise_id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id, Session.date >= start, Session.date < end, _WORKING)
            .group_by(Exercise.category, Exercise.kind, Set.unit, day, load)
        )
        with self._tx() as s:
            groups = s.execute(q).all()
            weights = read_body_weights(s, self.user_id) if any(g.day is not None for g in groups) else None
        return _weekly(groups, weights)

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

        Aggregated per session in SQL, the e1RM with the same double-precision arithmetic as
        ``estimate_1rm`` (so the same values; the best set's reps are the first best set's).

        Other kinds (3 or 4 queries): each point also has the kind's own measures (longest
        hold, longest distance, best pace, most reps, the added load or the help, the body
        weight); weighted and assisted e1RM, heaviest and volume are of the effective load.
        """
        params = self._params(exercise_id)
        if unit:
            params["unit"] = Unit(unit)
        if since is not None:
            params["since"] = since
        with self._tx() as s:
            formula = read_settings(s, self.user_id).e1rm_formula
            conn = s.connection()
            rows = driver_rows(conn, _series_query(formula, bool(unit), since is not None), params)
            kind = ExerciseKind(rows[0][-1]) if rows and rows[0][-1] else ExerciseKind.WEIGHT_REPS
            if kind is not ExerciseKind.WEIGHT_REPS:
                history = self._kind_history(s, exercise_id, kind)
                chosen = Unit(unit) if unit else history[-1].unit
                sessions: dict[int, list[SetRecord]] = {}
                for r in history:
                    if r.unit is chosen and (since is None or r.date >= since):
                        sessions.setdefault(r.session_id, []).append(r)
                return [_kind_point(kind, sets, formula) for sets in sessions.values()]
        to_datetime = timestamp_parser(conn.dialect)
        return [
            _point(
                sid, day if to_datetime is None else to_datetime(day), UNITS[u],
                round(best, 3), reps, heaviest, round(volume, 3), n,
            )
            for sid, day, u, best, reps, heaviest, volume, n, _ in rows
        ]
