"""The programs service: built-in and own programs, their running state, dry runs and program days.

A ``ProgramService`` acts for one lifter. Their programs live in ``programs`` (migration 0007)
as the text they are written in; a built-in program is copied there when it is started or saved.
The one ``active`` program has a ``state`` (JSON): the engine's state (``domain.programs``) and
the states before the last days done, so that a day's plan can still be shown after it was
recorded.

* ``start(name)``: the starting maxes come from the lifter's own history (each lift's ``start``
  rule: e.g. 90% of the best e1RM of the last 180 days; all time when those have none), or are
  given; weights are in the lifter's unit and rounded to what their plates allow.
* ``start_day()``: a workout for the program's next day (``sessions.program_id/week/day`` set,
  one exercise per program exercise, in order); ``planned(session_id)`` the prescription the
  logging screen shows; ``record(session_id)`` moves the program on from what was logged
  (idempotent: a day already recorded, or not the next one, changes nothing).
* ``dry_run(weeks)``: what the next weeks would prescribe if every set were done as written.

Exercise names in a program resolve to the lifter's own exercise of that name, else the
catalogue's (names and aliases, ``db.catalogue.resolve``); an unknown one is an error at its line.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as OrmSession

from overload_tui import clock
from overload_tui.db import catalogue
from overload_tui.db.engine import Database
from overload_tui.db.models import Exercise, ExerciseSession, Program, Session, Set
from overload_tui.domain.e1rm import estimate_1rm
from overload_tui.domain.enums import Equipment, Unit
from overload_tui.domain.errors import NotFoundError, ValidationError
from overload_tui.domain.plan import PlannedExercise
from overload_tui.domain.plates import plates_per_side
from overload_tui.domain.programs import (
    DayPlan,
    ProgramIssue,
    ProgramState,
    ProgramSyntaxError,
    Rounder,
    advance,
    builtins,
    initial_state,
    parse,
    prescribe,
    simulate,
)
from overload_tui.domain.programs import Program as ParsedProgram
from overload_tui.domain.programs.engine import LiftState, round_to, shown_weight
from overload_tui.domain.units import from_kg, label
from overload_tui.services.base import ServiceBase
from overload_tui.services.dto import SessionInfo
from overload_tui.services.format import plural
from overload_tui.services.settings import UserSettings, read_settings

NOT_FOUND = "That program was not found."
NO_ACTIVE = "No program is running: start one first (overload program start NAME)."
HISTORY_DAYS = 180
KEEP_BEFORE = 60  # states kept from before recorded days (planned() for their sessions)


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    id: int | None           # None: a built-in program the lifter has not started or saved
    name: str
    builtin: bool            # its name is a built-in program's
    active: bool = False
    started_on: date | None = None
    description: str = ""
    weeks: int = 0
    days_per_cycle: int = 0

    @property
    def cycle(self) -> str:
        """'1 day a cycle', '3 days a cycle'."""
        return f"{plural(self.days_per_cycle, 'day')} a cycle"


@dataclass(frozen=True, slots=True)
class StartingMax:
    lift: str
    exercise: str
    weight: float            # in ``unit``
    unit: str                # 'kg' or 'lbs'
    how: str                 # "90% of e1RM 111.7 kg (100 kg x 10, 2026-11-02) → 100 kg"


@dataclass(frozen=True, slots=True)
class ProgramDay:
    """One day of a dry run (or the next day): its exercises, named, and what it changes."""

    note: str
    week_number: int
    day: int
    title: str | None
    deload: bool
    exercises: tuple[PlannedExercise, ...]
    names: tuple[str, ...]   # the exercises' names, in the same order
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DryRun:
    program: str
    unit: str
    maxes: tuple[StartingMax, ...]
    days: tuple[ProgramDay, ...]
    from_state: bool         # True: from the running program's state; False: a fresh start


class ProgramService(ServiceBase):
    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    # -- reading programs -------------------------------------------------------------------------
    def _row(self, s: OrmSession, program_id: int, *, lock: bool = False) -> Program:
        q = select(Program).where(Program.id == program_id, Program.user_id == self.user_id)
        row = s.scalar(q.with_for_update() if lock else q)
        if row is None:
            raise NotFoundError(NOT_FOUND)
        return row

    def _row_by_name(self, s: OrmSession, name: str) -> Program | None:
        return s.scalar(select(Program).where(
            Program.user_id == self.user_id, func.lower(Program.name) == name.strip().lower()))

    def _active_row(self, s: OrmSession, *, lock: bool = False) -> Program | None:
        q = select(Program).where(Program.user_id == self.user_id, Program.active.is_(True)).order_by(Program.id)
        return s.scalars(q.with_for_update() if lock else q).first()

    def list_programs(self) -> list[ProgramSummary]:
        """The built-in programs (with the lifter's copy where there is one), then their own."""
        with self._tx() as s:
            rows = list(s.scalars(select(Program).where(Program.user_id == self.user_id).order_by(Program.name)))
        by_name = {r.name.lower(): r for r in rows}
        out = []
        for program in builtins():
            row = by_name.pop(program.name.lower(), None)
            out.append(_summary(program, row, builtin=True))
        for row in rows:
            if row.name.lower() in by_name:
                out.append(_summary(_parse_quiet(row.source), row, builtin=False))
        return out

    def source(self, name: str) -> str:
        """The text of the lifter's program called ``name``, else of the built-in one."""
        with self._tx() as s:
            row = self._row_by_name(s, name)
            if row is not None:
                return row.source
        text = _builtin_text(name)
        if text is None:
            raise NotFoundError(NOT_FOUND)
        return text

    def check(self, text: str) -> ParsedProgram:
        """The program in ``text``, its exercises found; ProgramSyntaxError (every issue at its
        line) when it does not parse or names an exercise the lifter cannot see."""
        program = parse(text)
        with self._tx() as s:
            self._exercises(s, program)
        return program

    # -- saving -------------------------------------------------------------------------------------
    def save(self, text: str) -> ProgramSummary:
        """Save a program under the name its text gives (replacing the lifter's program of that
        name). A running program keeps its state; a lift it did not have starts from history."""
        program = parse(text)
        with self._tx(write=True) as s:
            self._exercises(s, program)
            row = self._row_by_name(s, program.name)
            if row is None:
                row = Program(user_id=self.user_id, name=program.name, source=text, active=False)
                s.add(row)
            else:
                row.source = text
                row.name = program.name
                row.updated_at = clock.now()
                if row.active and row.state:
                    stored = _Stored.read(row.state)
                    settings = read_settings(s, self.user_id)
                    missing = {n: lift for n, lift in program.lifts.items() if n not in stored.state.lifts}
                    lifts = {n: v for n, v in stored.state.lifts.items() if n in program.lifts}
                    if missing:
                        fresh = self._starting_maxes(s, program, settings, {}, only=set(missing))
                        for m in fresh:
                            lifts[m.lift] = LiftState(m.weight, first_stage_weight=m.weight)
                    state = ProgramState(stored.state.unit, stored.state.done, lifts)
                    row.state = _Stored(state, {}).write()
            s.flush()
            return _summary(program, row, builtin=_builtin_text(program.name) is not None)

    def delete(self, program_id: int) -> None:
        """Delete one of the lifter's programs; its workouts stay (no longer tied to it)."""
        with self._tx(write=True) as s:
            row = self._row(s, program_id, lock=True)
            s.execute(update(Session).where(Session.user_id == self.user_id, Session.program_id == row.id)
                      .values(program_id=None, program_week=None, program_day=None))
            s.delete(row)

    # -- starting -----------------------------------------------------------------------------------
    def starting_maxes(self, name: str, maxes: Mapping[str, float] | None = None) -> list[StartingMax]:
        """Each lift's starting max for ``name``: given in ``maxes`` (the lifter's unit), else
        from their history by the lift's ``start`` rule. ValidationError names the lifts with
        neither."""
        program = parse(self.source(name))
        with self._tx() as s:
            self._exercises(s, program)
            return self._starting_maxes(s, program, read_settings(s, self.user_id), maxes or {})

    def start(self, name: str, maxes: Mapping[str, float] | None = None, on: date | None = None) -> ProgramSummary:
        """Make ``name`` (the lifter's program, or a built-in one, copied) the running program from
        its first day, the others stopped."""
        text = self.source(name)
        program = parse(text)
        with self._tx(write=True) as s:
            self._exercises(s, program)
            settings = read_settings(s, self.user_id)
            starts = self._starting_maxes(s, program, settings, maxes or {})
            state = initial_state(program, {m.lift: m.weight for m in starts}, settings.weight_unit.value)
            row = self._row_by_name(s, program.name)
            if row is None:
                row = Program(user_id=self.user_id, name=program.name, source=text)
                s.add(row)
            s.execute(update(Program).where(Program.user_id == self.user_id, Program.active.is_(True))
                      .values(active=False))
            row.active = True
            row.started_on = on or clock.now().date()
            row.state = _Stored(state, {}).write()
            row.updated_at = clock.now()
            s.flush()
            return _summary(program, row, builtin=_builtin_text(program.name) is not None)

    def stop(self) -> None:
        """Stop the running program (its state is kept; starting it again starts over)."""
        with self._tx(write=True) as s:
            s.execute(update(Program).where(Program.user_id == self.user_id, Program.active.is_(True))
                      .values(active=False))

    def active(self) -> ProgramSummary | None:
        with self._tx() as s:
            row = self._active_row(s)
            if row is None:
                return None
            return _summary(_parse_quiet(row.source), row, builtin=_builtin_text(row.name) is not None)

    # -- what it prescribes -------------------------------------------------------------------------
    def dry_run(self, name: str | None = None, weeks: int = 8,
                maxes: Mapping[str, float] | None = None) -> DryRun:
        """The next ``weeks`` weeks of ``name`` (default: the running program), every set done as
        written. The running program goes on from its state; any other starts from the lifter's
        history (or ``maxes``)."""
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
            raise ValidationError("Weeks go from 1 to 52.", field="weeks")
        self.catch_up()
        with self._tx() as s:
            settings = read_settings(s, self.user_id)
            row = self._active_row(s)
            if name is None and row is None:
                raise NotFoundError(NO_ACTIVE)
            if row is not None and (name is None or row.name.lower() == name.strip().lower()) and not maxes:
                program = parse(row.source)
                ids = self._exercises(s, program)
                state = _Stored.read(row.state).state
                starts = tuple(StartingMax(n, program.lifts[n].exercise, v.weight, state.unit,
                                           f"{program.lifts[n].max_label} now") for n, v in state.lifts.items()
                               if n in program.lifts)
                from_state = True
            else:
                own = self._row_by_name(s, name or "")
                text = own.source if own is not None else _builtin_text(name or "")
                if text is None:
                    raise NotFoundError(NOT_FOUND)
                program = parse(text)
                ids = self._exercises(s, program)
                starts = tuple(self._starting_maxes(s, program, settings, maxes or {}))
                state = initial_state(program, {m.lift: m.weight for m in starts}, settings.weight_unit.value)
                from_state = False
            rounder = self._rounder(s, program, ids, settings, state.unit)
        days = simulate(program, state, weeks=weeks, round_weight=rounder)
        return DryRun(program.name, state.unit, starts,
                      tuple(_day(d.plan, ids, d.events) for d in days), from_state)

    def next_day(self) -> ProgramDay:
        """The running program's next day."""
        self.catch_up()
        with self._tx() as s:
            row = self._active_row(s)
            if row is None:
                raise NotFoundError(NO_ACTIVE)
            program, ids, state, plan = self._plan_of(s, row, None)
        return _day(plan, ids, ())

    def start_day(self, date_: Any = None) -> SessionInfo:
        """A workout for the running program's next day: its exercises in order, the session tied
        to the program's week and day (``planned`` gives its sets)."""
        from overload_tui.services.workouts import WorkoutService

        with self._tx(write=True) as s:
            row = self._active_row(s, lock=True)
            if row is None:
                raise NotFoundError(NO_ACTIVE)
            self._catch_up(s, row)
            program, ids, state, plan = self._plan_of(s, row, None)
            when = (date_ or clock.now()).replace(microsecond=0)
            title = plan.title or f"Day {plan.day}"
            sess = Session(user_id=self.user_id, date=when, name=f"{program.name[:60]}: {title}"[:100],
                           program_id=row.id, program_week=plan.week_number, program_day=plan.day)
            for order, item in enumerate(plan.items, start=1):
                sess.exercise_sessions.append(ExerciseSession(exercise_id=ids[item.exercise], order=order))
            s.add(sess)
            s.flush()
            session_id = sess.id
        return WorkoutService(self.db, self.user_id).get_session(session_id)

    def planned(self, session_id: int) -> list[PlannedExercise]:
        """What the program prescribes for a workout started from it (empty: not from a program,
        or its program is gone)."""
        with self._tx() as s:
            sess = self._session(s, session_id)
            if sess.program_id is None or sess.program_week is None or sess.program_day is None:
                return []
            row = s.scalar(select(Program).where(Program.id == sess.program_id, Program.user_id == self.user_id))
            if row is None or not row.state:
                return []
            program = _parse_quiet(row.source)
            if program is None:
                return []
            index = _day_index(program, sess.program_week, sess.program_day)
            if index is None:
                return []
            try:
                _, ids, _, plan = self._plan_of(s, row, index)
            except (NotFoundError, ProgramSyntaxError):
                return []
        return list(_day(plan, ids, ()).exercises)

    def record(self, session_id: int) -> list[str]:
        """Move the program on from what was logged in this workout of its next day; what changed
        ("Squat: TM 100 → 105 kg"). A workout not of the program's next day changes nothing."""
        with self._tx(write=True) as s:
            return self._record(s, self._session(s, session_id))

    def catch_up(self) -> list[str]:
        """Record the running program's finished workouts not recorded yet, in order (a workout
        finished in the app moves the program on by the time its next day is asked for)."""
        with self._tx(write=True) as s:
            row = self._active_row(s, lock=True)
            if row is None or not row.state:
                return []
            return self._catch_up(s, row)

    def _catch_up(self, s: OrmSession, row: Program) -> list[str]:
        program = _parse_quiet(row.source)
        if program is None:
            return []
        events: list[str] = []
        finished = list(s.scalars(
            select(Session).where(Session.user_id == self.user_id, Session.program_id == row.id,
                                  Session.finished_at.is_not(None)).order_by(Session.date, Session.id)))
        for sess in finished:
            done = _Stored.read(row.state or "").state.done
            if _day_index(program, sess.program_week or 0, sess.program_day or 0) == done:
                events += self._record(s, sess)
        return events

    def _record(self, s: OrmSession, sess: Session) -> list[str]:
        if sess.program_id is None or sess.program_week is None or sess.program_day is None:
            return []
        row = s.scalar(select(Program).where(Program.id == sess.program_id, Program.user_id == self.user_id)
                       .with_for_update())
        if row is None or not row.state:
            return []
        program = _parse_quiet(row.source)
        if program is None:
            return []
        stored = _Stored.read(row.state)
        index = _day_index(program, sess.program_week, sess.program_day)
        if index is None or index != stored.state.done:
            return []
        _, ids, state, plan = self._plan_of(s, row, index)
        logged = self._logged(s, sess.id)
        results = {i: _match(item.sets, logged.get(ids[item.exercise], [])) for i, item in enumerate(plan.items)}
        new_state, events = advance(program, state, plan, results)
        before = dict(stored.before)
        before[str(index)] = state
        for key in sorted(before, key=int)[:-KEEP_BEFORE]:
            del before[key]
        row.state = _Stored(new_state, before).write()
        row.updated_at = clock.now()
        s.flush()
        return events

    # -- helpers ------------------------------------------------------------------------------------
    def _session(self, s: OrmSession, session_id: int) -> Session:
        sess = s.scalar(select(Session).where(Session.id == session_id, Session.user_id == self.user_id))
        if sess is None:
            raise NotFoundError("That workout was not found.")
        return sess

    def _plan_of(self, s: OrmSession, row: Program, index: int | None):
        program = parse(row.source)
        ids = self._exercises(s, program)
        stored = _Stored.read(row.state or "")
        state = stored.state
        if index is not None and index != state.done:
            state = stored.before.get(str(index))
            if state is None:
                raise NotFoundError("That program day is too old to show its plan.")
        settings = read_settings(s, self.user_id)
        plan = prescribe(program, state, self._rounder(s, program, ids, settings, state.unit))
        return program, ids, state, plan

    def _exercises(self, s: OrmSession, program: ParsedProgram) -> dict[str, int]:
        """Exercise name -> id for every exercise the program names; errors at their lines."""
        names = program.exercises()
        own = {e.name.lower(): e.id for e in s.scalars(select(Exercise).where(Exercise.owner_id == self.user_id))}
        wanted = {}
        issues = []
        for name, line in names:
            if name.lower() in own:
                wanted[name] = own[name.lower()]
                continue
            entry = catalogue.resolve(name)
            if entry is None:
                issues.append(ProgramIssue(line, None, f"No exercise called {name!r}: use a catalogue name "
                                                       "(as in the exercise picker) or one of your own."))
                continue
            wanted[name] = entry.name  # type: ignore[assignment]
        canonical = {v for v in wanted.values() if isinstance(v, str)}
        if canonical:
            found = dict(s.execute(select(Exercise.name, Exercise.id).where(
                Exercise.owner_id.is_(None), Exercise.name.in_(canonical))).all())
            for name, value in list(wanted.items()):
                if isinstance(value, str):
                    if value in found:
                        wanted[name] = found[value]
                    else:
                        line = next(l for n, l in names if n == name)
                        issues.append(ProgramIssue(line, None, f"The exercise {value!r} is not in this database."))
                        del wanted[name]
        if issues:
            raise ProgramSyntaxError(issues)
        return wanted

    def _equipment(self, s: OrmSession, ids: Mapping[str, int]) -> dict[int, Equipment | None]:
        return dict(s.execute(select(Exercise.id, Exercise.equipment).where(Exercise.id.in_(set(ids.values())))).all())

    def _rounder(self, s: OrmSession, program: ParsedProgram, ids: Mapping[str, int],
                 settings: UserSettings, unit: str) -> Rounder:
        equipment = self._equipment(s, ids)
        bar, plates = settings.bar_for(unit), settings.plates_for(unit)
        by_lift = {n: equipment.get(ids.get(l.exercise, -1)) for n, l in program.lifts.items()}
        step_default = 2.5 if unit == "kg" else 5.0

        memo: dict[tuple[Any, float], float] = {}

        def rounder(lift: str, value: float) -> float:
            kind = by_lift.get(lift)
            key = (kind, round(value, 6))
            if key not in memo:
                memo[key] = loadable(kind, lift, value)
            return memo[key]

        def loadable(kind: Any, lift: str, value: float) -> float:
            if kind == Equipment.BARBELL:
                if value <= bar:
                    return bar
                try:
                    return plates_per_side(value, bar, plates, unit=unit).total
                except ValidationError:
                    return round_to(step_default)(lift, value)
            if kind == Equipment.DUMBBELL:
                table = settings.increments if unit == "kg" else settings.increments_lb
                step = table.get(Equipment.DUMBBELL, 0.0) or step_default
                return round_to(step)(lift, value)
            return round_to(step_default)(lift, value)

        return rounder

    def _starting_maxes(self, s: OrmSession, program: ParsedProgram, settings: UserSettings,
                        given: Mapping[str, float], only: set[str] | None = None) -> list[StartingMax]:
        unit = settings.weight_unit.value
        ids = self._exercises(s, program)
        rounder = self._rounder(s, program, ids, settings, unit)
        lookup = {k.lower(): v for k, v in given.items()}
        unknown = [k for k in given if k.lower() not in {n.lower() for n in program.lifts}]
        if unknown:
            raise ValidationError(f"{', '.join(unknown)}: not a lift of {program.name} "
                                  f"({', '.join(program.lifts)}).", field="maxes")
        best = self._best_sets(s, {ids[l.exercise] for l in program.lifts.values()}, settings)
        out, missing = [], []
        for name, lift in program.lifts.items():
            if only is not None and name not in only:
                continue
            if name.lower() in lookup:
                value = lookup[name.lower()]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 2500:
                    raise ValidationError(f"{name}'s starting weight must be more than 0.", field="maxes")
                out.append(StartingMax(name, lift.exercise, float(value), unit, "given"))
                continue
            found = best.get(ids[lift.exercise])
            if found is None:
                missing.append(name)
                continue
            e1rm, weight, reps, when = found
            factor = estimate_1rm(1.0, lift.start_reps, settings.e1rm_formula)
            base = e1rm / factor
            raw = base * lift.start_percent / 100.0
            value = rounder(name, raw)
            of = "e1RM" if lift.start_reps == 1 else f"{lift.start_reps}RM"
            u = label(unit)
            how = (f"{lift.start_percent:g}% of {of} {base:.1f} {u} = {raw:.1f} → {value:g} {u}"
                   f" (from {weight:g} {u} × {reps}, {when:%Y-%m-%d})")
            out.append(StartingMax(name, lift.exercise, value, unit, how))
        if missing:
            raise ValidationError(
                f"No history to start {', '.join(missing)} from: give a starting weight for each "
                f"(in {label(unit)}; e.g. --max \"{missing[0]}=60\").", field="maxes")
        return out

    def _best_sets(self, s: OrmSession, exercise_ids: set[int], settings: UserSettings
                   ) -> dict[int, tuple[float, float, int, Any]]:
        """Exercise id -> (best e1RM, its weight, reps, date) in the lifter's unit: the last
        HISTORY_DAYS days' best, else all time's; working sets of 1-12 reps in kg only."""
        if not exercise_ids:
            return {}
        rows = s.execute(
            select(ExerciseSession.exercise_id, Set.weight, Set.reps, Set.set_type, Session.date)
            .join(ExerciseSession, ExerciseSession.session_id == Session.id)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(Session.user_id == self.user_id, ExerciseSession.exercise_id.in_(exercise_ids),
                   Set.unit == Unit.KG, Set.reps >= 1, Set.reps <= 12, Set.weight > 0)
        ).all()
        unit = settings.weight_unit.value
        since = clock.now() - timedelta(days=HISTORY_DAYS)
        recent: dict[int, tuple[float, float, int, Any]] = {}
        ever: dict[int, tuple[float, float, int, Any]] = {}
        factors = {r: estimate_1rm(1.0, r, settings.e1rm_formula) for r in range(1, 13)}
        for ex_id, weight, reps, set_type, when in rows:
            if set_type == "warmup":
                continue
            e1rm = weight * factors[int(reps)]  # kg: converted once the best is known
            entry = (e1rm, weight, int(reps), when)
            if ex_id not in ever or e1rm > ever[ex_id][0]:
                ever[ex_id] = entry
            if when >= since and (ex_id not in recent or e1rm > recent[ex_id][0]):
                recent[ex_id] = entry
        best = {k: recent.get(k, v) for k, v in ever.items()}
        return {k: (from_kg(e, unit), from_kg(w, unit), r, when) for k, (e, w, r, when) in best.items()}

    def _logged(self, s: OrmSession, session_id: int) -> dict[int, list[tuple[str | None, int]]]:
        rows = s.execute(
            select(ExerciseSession.exercise_id, Set.set_type, Set.reps)
            .join(Set, Set.exercise_session_id == ExerciseSession.id)
            .where(ExerciseSession.session_id == session_id)
            .order_by(ExerciseSession.order, Set.order)
        ).all()
        out: dict[int, list[tuple[str | None, int]]] = {}
        for ex_id, set_type, reps in rows:
            out.setdefault(ex_id, []).append((set_type, int(reps)))
        return out


# -- helpers ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Stored:
    state: ProgramState
    before: Mapping[str, ProgramState]

    def write(self) -> str:
        return json.dumps({"state": json.loads(self.state.to_json()),
                           "before": {k: json.loads(v.to_json()) for k, v in self.before.items()}})

    @classmethod
    def read(cls, text: str) -> _Stored:
        try:
            data = json.loads(text)
            before = {str(k): ProgramState.from_json(json.dumps(v)) for k, v in data.get("before", {}).items()}
            return cls(ProgramState.from_json(json.dumps(data["state"])), before)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError("The program's saved state cannot be read; start the program again.") from error


def _builtin_text(name: str) -> str | None:
    wanted = name.strip().lower()
    return next((p.source for p in builtins() if p.name.lower() == wanted), None)


def _parse_quiet(text: str) -> ParsedProgram | None:
    try:
        return parse(text)
    except ProgramSyntaxError:
        return None


def _summary(program: ParsedProgram | None, row: Program | None, *, builtin: bool) -> ProgramSummary:
    return ProgramSummary(
        id=row.id if row is not None else None,
        name=row.name if row is not None else (program.name if program else ""),
        builtin=builtin,
        active=bool(row.active) if row is not None else False,
        started_on=row.started_on if row is not None else None,
        description=program.description if program else "",
        weeks=len(program.weeks) if program else 0,
        days_per_cycle=program.days_per_cycle if program else 0,
    )


def _day_index(program: ParsedProgram, week_number: int, day: int) -> int | None:
    weeks = len(program.weeks)
    if week_number < 1 or day < 1:
        return None
    cycle, w = divmod(week_number - 1, weeks)
    if day > len(program.weeks[w].days):
        return None
    return cycle * program.days_per_cycle + sum(len(x.days) for x in program.weeks[:w]) + day - 1


def _day(plan: DayPlan, ids: Mapping[str, int], events: Sequence[str]) -> ProgramDay:
    exercises = tuple(PlannedExercise(ids[item.exercise], item.sets, item.rule, plan.note) for item in plan.items)
    return ProgramDay(plan.note, plan.week_number, plan.day, plan.title, plan.deload, exercises,
                      tuple(i.exercise for i in plan.items), tuple(events))


def _match(planned: Sequence[Any], logged: Sequence[tuple[str | None, int]]) -> list[int | None]:
    """Reps done per planned set: logged warm-ups against planned warm-ups, the other sets
    against the planned working sets, each in order; a planned set with none is None."""
    warm = [r for t, r in logged if t == "warmup"]
    work = [r for t, r in logged if t != "warmup"]
    out: list[int | None] = []
    wi = ki = 0
    for p in planned:
        if p.set_type == "warmup":
            out.append(warm[wi] if wi < len(warm) else None)
            wi += 1
        else:
            out.append(work[ki] if ki < len(work) else None)
            ki += 1
    return out


# -- as text (the command line's 'program show', the programs screen) -----------------------------
def render_dry_run(run: DryRun, width: int = 80) -> str:
    """The dry run as text, at most 80 columns: each day, each exercise, each set with its
    weight and how it was reached."""
    unit = label(run.unit)
    lines = [f"{run.program}: the next {_weeks(run)} "
             f"({'from where you are' if run.from_state else 'starting today'}, every set done as written)"]
    lines += textwrap.wrap(lines.pop(), width)
    if run.maxes:
        lines.append("")
        lines.append("Starting maxes:" if not run.from_state else "Maxes now:")
        for m in run.maxes:
            lines += textwrap.wrap(f"{m.lift} ({m.exercise}): {m.weight:g} {unit} — {m.how}", width,
                                   initial_indent="  ", subsequent_indent="      ")
    week = None
    for day in run.days:
        if day.week_number != week:
            week = day.week_number
            lines += ["", f"== Week {week} " + "=" * (width - 9 - len(str(week)))]
        lines.append("")
        lines.append(day.note)
        for name, ex in zip(day.names, day.exercises):
            lines.append(f"  {name}")
            if ex.rule:
                lines += textwrap.wrap(f"({ex.rule.split(': ', 1)[-1]})", width, initial_indent="    ",
                                       subsequent_indent="     ")
            rows: list[list] = []  # [count, reps, weight, warm-up, explanation]
            for st in ex.sets:
                weight = shown_weight(st)
                row = [1, f"{st.reps}{'+' if st.amrap else ''}",
                       f" @ {weight:g} {unit}" if weight is not None else "",
                       " warm-up" if st.set_type == "warmup" else "", st.explanation or ""]
                if rows and rows[-1][1:] == row[1:]:
                    rows[-1][0] += 1
                else:
                    rows.append(row)
            rows = [(f"{n}×{reps}{weight}{warm}", why) for n, reps, weight, warm, why in rows]
            for what, why in rows:
                text = f"    {what:<24} {why}".rstrip()
                lines += textwrap.wrap(text, width, subsequent_indent=" " * 29) or [text]
        for event in day.events:
            lines += textwrap.wrap(f"→ {event}", width, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines)


def _weeks(run) -> str:
    n = len({d.week_number for d in run.days})
    return f"{n} week{'s' if n != 1 else ''}"
