"""The workout being logged, without a screen: every change returns a frozen ``LogbookView``.

A ``Logbook`` holds one open workout as the lifter sees it: its exercises and sets, the chosen
exercise, last time, the suggestion and the recent workouts of each exercise shown, record marks,
the unit of each exercise, the set box's prefill, the row cursor, and the sets typed but not yet
confirmed by the database. Its methods take what the lifter did (a line typed into the set box,
a key, a click) and return what to draw. The screen draws the view and nothing else.

Threads: a logbook talks to the database synchronously. The app calls it only from its one
database thread, first in first out, so the lifter's lines are applied in the order typed, each
against the state the previous one left (``x3`` after ``60x5`` is 60x3, whatever the screen had
drawn by then). It is never touched from the UI thread.

When the database cannot be reached
-----------------------------------
A set whose save fails with ``DatabaseUnavailableError`` joins the queue of pending sets (shown
with …) and the logbook goes offline: later sets join the queue at once, without waiting for a
connection each. ``resend()`` (the app's health check says the database is back, or ctrl+y)
sends the queue in order. Each set gets a client id (a uuid4) when it is typed and is sent with
it: the database keeps one set per client id (``WorkoutService.add_set``), so a set whose failure
said it may have been saved (``maybe_saved``) is sent again as it is and is never saved twice.

Nothing typed is lost to a kill: each set is written to the lifter's local journal
(``services/journal.py``, fsync'd) before it is sent or shown pending, and marked done once the
database has it. ``open()`` first sends what an earlier run left in the journal (killed, or quit
with sets pending), in order, exactly once.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType

from overload_tui import clock
from overload_tui.domain.commands import (
    KEEP,
    AddExercise,
    Command,
    DeleteSet,
    EditSet,
    GoToExercise,
    Help,
    LogSet,
    MoveExercise,
    RemoveExercise,
    Rest,
    SetNote,
    SwitchUnit,
    marks_text,
    parse_command,
)
from overload_tui.domain.plan import PlannedExercise, PlannedSet
from overload_tui.domain.enums import DistanceUnit, Equipment, ExerciseKind, Unit, default_unit
from overload_tui.domain.errors import DatabaseUnavailableError, NotFoundError, OverloadError, ValidationError
from overload_tui.domain.parsing import ParsedSet, in_unit, parse_set_entry
from overload_tui.domain.progression import Suggestion
from overload_tui.domain.records import RecordKind
from overload_tui.domain.rest import format_countdown
from overload_tui.domain.units import LoadUnit, display_column, set_unit, stored_unit, to_stored
from overload_tui.services import format as fmt
from overload_tui.services.dto import EntryInfo, ExerciseInfo, HistorySession, SessionInfo, SetInfo
from overload_tui.services.journal import Journal, JournalSet, resend_waiting
from overload_tui.services.plan import PlanRow, PlanService, merge, next_row, planned_info_unit
from overload_tui.services.progress import ProgressService, describe_new_records
from overload_tui.services.settings import DEFAULTS, SettingsService, UserSettings
from overload_tui.services.workouts import WorkoutService

STACK_EQUIPMENT = frozenset({Equipment.MACHINE})  # where ctrl+t offers stacks (a pin-loaded stack)
HISTORY_SPAN = timedelta(days=365)
HISTORY_ROWS = 8
SET_TYPES = (None, "warmup", "drop", "failure")  # what t cycles through, in order
TYPE_NAMES = {None: "a normal set", "warmup": "a warm-up", "drop": "a drop set", "failure": "to failure"}


# -- what the screen draws ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    """A set as the table shows it: saved, or pending (typed, not confirmed by the database)."""

    key: str
    number: int
    info: SetInfo
    pending: bool = False
    records: tuple[RecordKind, ...] = ()


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    entry_id: int
    name: str
    saved: int
    pending: int
    planned: int = 0     # the sets its plan prescribes (0: no plan)


@dataclass(frozen=True, slots=True)
class Status:
    """The one status line under the set box: what the last command did, or why it did not."""

    text: str = ""
    error: bool = False
    typed: str = ""      # the line that failed, so the screen can offer it back when the box is empty


@dataclass(frozen=True, slots=True)
class RestOrder:
    """Start (``seconds``), adjust (``relative``) or stop the rest timer; ``seq`` tells a new
    order from the one already carried out."""

    seq: int
    seconds: int = 0
    relative: bool = False
    stop: bool = False


@dataclass(frozen=True, slots=True)
class LogbookView:
    session_id: int
    title: str
    date: datetime
    finished: bool
    notes: str
    exercises: tuple[ExerciseLine, ...]
    selected: int | None                 # index into exercises
    exercise: ExerciseInfo | None
    entry_notes: str
    unit: LoadUnit                       # what the chosen exercise's sets are typed in
    rows: tuple[Row, ...]
    cursor: int | None                   # the highlighted row in rows mode; None while typing
    last: HistorySession | None
    suggestion: Suggestion | None
    recent: tuple[HistorySession, ...]
    context_known: bool                  # last time and the suggestion have been read
    prompt: str                          # 'Set 4'
    prefill: str                         # what Enter in an empty box logs: '100x5'
    status: Status
    pending: int
    offline: bool
    rest: RestOrder | None
    help_seq: int                        # changes when the lifter asked for help
    edit_text: str | None                # what to put in an empty box (rows mode: edit a set)
    records_due: bool                    # sets whose records are not checked yet (check_records)
    kept_on_disk: bool                   # the pending sets are in the journal (quitting loses none)
    version: int
    # The chosen exercise's plan (a template's or program day's sets, the warm-up ramp): every
    # planned row, done (filled by a set logged), next (what an empty Enter logs), to do, or
    # skipped (services/plan.py). Empty: no plan.
    plan: tuple[PlanRow, ...] = ()
    plan_rule: str | None = None         # the progression rule the plan follows
    plan_note: str | None = None         # 'Week 3, day 1: 5/3/1'


# -- inside ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExerciseContext:
    last: HistorySession | None = None
    recent: tuple[HistorySession, ...] = ()
    suggestion: Suggestion | None = None


@dataclass(slots=True)
class Pending:
    """A set typed but not confirmed by the database."""

    key: int
    entry_id: int
    values: SetInfo
    maybe_saved: bool = False
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))  # made when typed; one set per id


_AUTO = object()
SKIP_WORDS = {"skip": True, "unskip": False}
WARMUP_WORDS = {"warmups off": False, "warmup off": False, "warmups on": True, "warmup on": True}


class Logbook:
    """One open workout being logged (see the module's docstring). Database thread only."""

    def __init__(self, workouts: WorkoutService, progress: ProgressService | None,
                 settings: SettingsService | None, session_id: int, *, started_here: bool = False,
                 journal: Journal | None | object = _AUTO, plans: PlanService | None | object = _AUTO) -> None:
        """``started_here``: the workout was just started to be logged here (an empty one is
        then not kept when the lifter leaves it; see ``discard_if_empty``). ``journal``: where
        typed sets are kept until saved (default: the lifter's journal for this database in the
        data directory; None: none, sets waiting are in memory only). ``plans``: where the
        workout's plan is read (default: the lifter's; None: no plan)."""
        self.ws = workouts
        self.plan_service: PlanService | None = (
            PlanService(workouts.db, workouts.user_id) if plans is _AUTO else plans)  # type: ignore[assignment]
        self.plans: Mapping[int, PlannedExercise] = {}    # entry id -> its plan
        self.skips: dict[int, frozenset[int]] = {}        # entry id -> planned rows skipped
        self._journal_arg = journal
        self._journal: Journal | None = None
        self.journal_error: str | None = None   # why typed sets could not be journaled, if so
        self.started_here = started_here
        self.progress = progress
        self._settings_service = settings
        self.session_id = session_id
        self.settings: UserSettings = DEFAULTS
        self.session: SessionInfo | None = None
        self.selected_id: int | None = None
        self.units: dict[int, LoadUnit] = {}    # entry id -> unit chosen in this workout
        self.context: dict[int, ExerciseContext] = {}
        self.records: dict[int, tuple[RecordKind, ...]] = {}
        self.marked: set[int] = set()           # entries whose sets' records were read
        self.unchecked: list[int] = []          # set ids logged here, records not checked yet
        self.pending: list[Pending] = []
        self.offline = False
        self.cursor: int | None = None
        self.delete_armed: int | None = None    # the row a first x asked to delete
        self.status = Status()
        self.rest: RestOrder | None = None
        self.help_seq = 0
        self.edit_text: str | None = None
        self._keys = itertools.count(1)
        self._seq = itertools.count(1)
        self._version = itertools.count(1)

    # -- opening ----------------------------------------------------------------------------
    def open(self) -> LogbookView:
        """Read the workout, the settings and the first exercise's context."""
        if self._settings_service is not None:
            try:
                self.settings = self._settings_service.get()
            except DatabaseUnavailableError:
                raise
            except OverloadError:
                self.settings = DEFAULTS
        recovered = self._recover()
        self._take(self.ws.get_session(self.session_id))
        self._read_plan()
        if recovered is not None and (recovered.saved or recovered.dropped):
            dropped = f"; {fmt.plural(recovered.dropped, 'set')} could not be (its workout or exercise is gone)" \
                if recovered.dropped else ""
            self._say(f"Saved {fmt.plural(recovered.saved, 'set')} typed in an earlier run that had waited{dropped}.",
                      error=bool(recovered.dropped))
        return self.view()

    # -- the journal -------------------------------------------------------------------------------
    @property
    def journal(self) -> Journal | None:
        """The lifter's journal (made on first use); None when there is none or it cannot be used."""
        if self._journal is None and self._journal_arg is not None and self.journal_error is None:
            if isinstance(self._journal_arg, Journal):
                self._journal = self._journal_arg
            else:
                try:
                    self._journal = Journal.for_user(self.ws.db, self.ws.user_id)
                except (OSError, AttributeError) as error:
                    self.journal_error = str(error) or type(error).__name__
        return self._journal

    def _journaled(self, write) -> None:
        """Write to the journal; a failure is remembered (said with the pending sets), never raised."""
        journal = self.journal
        if journal is None:
            return
        try:
            write(journal)
        except OSError as error:
            self.journal_error = str(error) or type(error).__name__
        else:
            self.journal_error = None

    def _recover(self):
        """Send what an earlier run left in the journal, in order, exactly once; this workout's
        sets the database does not take now wait here as pending."""
        journal = self.journal
        if journal is None:
            return None
        try:
            result = resend_waiting(self.ws, journal, skip=frozenset(p.client_id for p in self.pending))
            left: list[JournalSet] = journal.waiting() if result.waiting else []
        except OSError as error:
            self.journal_error = str(error) or type(error).__name__
            return None
        known = {p.client_id for p in self.pending}
        for item in left:
            if item.session_id == self.session_id and item.client_id not in known:
                self.pending.append(Pending(next(self._keys), item.entry_id, item.values, True, item.client_id))
                self.offline = True
        return result

    def reload(self) -> LogbookView:
        self._take(self.ws.get_session(self.session_id))
        self._read_plan()
        return self.view()

    # -- the plan ------------------------------------------------------------------------------------
    def _read_plan(self) -> None:
        """The workout's plan and the rows skipped (nothing planned if they cannot be read)."""
        if self.plan_service is None:
            return
        try:
            self.plans = self.plan_service.planned(self.session_id)
            self.skips = dict(self.plan_service.skipped(self.session_id))
        except DatabaseUnavailableError:
            raise
        except OverloadError:
            self.plans, self.skips = {}, {}

    def plan_rows(self, entry: EntryInfo) -> tuple[PlanRow, ...]:
        """The exercise's planned rows, filled by its sets logged (saved or waiting)."""
        plan = self.plans.get(entry.id)
        if plan is None:
            return ()
        logged = len(entry.sets) + len(self._waiting(entry.id))
        return merge(plan, logged, self.skips.get(entry.id, frozenset()), self._session.finished_at is not None)

    def _next_planned(self, entry: EntryInfo) -> PlanRow | None:
        return next_row(self.plan_rows(entry))

    def _planned_info(self, entry: EntryInfo, planned: PlannedSet) -> SetInfo:
        """A planned set as it will be stored when ticked: exactly its values."""
        unit, display = planned_info_unit(planned, self.unit_for(entry))
        return SetInfo(0, 0, planned.weight or 0.0, planned.reps or 1, unit, set_type=planned.set_type,
                       duration_s=planned.duration_s, distance_m=planned.distance_m, display_unit=display)

    def _skip(self, skip: bool) -> None:
        """``skip``: the next planned row is skipped; ``unskip``: the last row skipped is back."""
        entry = self._need_entry()
        rows = self.plan_rows(entry)
        if not rows:
            raise ValidationError(f"{entry.exercise.name} has no planned sets to skip.")
        skipped = set(self.skips.get(entry.id, frozenset()))
        if skip:
            row = next_row(rows)
            if row is None:
                raise ValidationError(f"Every planned set of {entry.exercise.name} is done or skipped.")
            skipped.add(row.index)
        else:
            if not skipped:
                raise ValidationError(f"No planned set of {entry.exercise.name} is skipped.")
            row = next(r for r in rows if r.index == max(skipped))
            skipped.discard(row.index)
        if self.plan_service is not None:
            self.plan_service.set_skipped(self.session_id, entry.id, frozenset(skipped))
        self.skips[entry.id] = frozenset(skipped)
        words = _planned_words(row.planned, entry.exercise.kind, self.unit_for(entry))
        self._say(f"Skipped {words}." if skip else f"{words[0].upper()}{words[1:]} is planned again.")

    def _warmups(self, on: bool) -> None:
        """The warm-up ramp for this exercise on or off (from now on, remembered for it)."""
        entry = self._need_entry()
        ex = entry.exercise
        if self._settings_service is not None:
            self._settings_service.set_warmups(ex.id, on)
            off = set(self.settings.warmups_off)
            off.discard(ex.id) if on else off.add(ex.id)
            self.settings = replace(self.settings, warmups_off=frozenset(off))
        self._read_plan()
        self._say(f"Warm-ups for {ex.name} {'proposed' if on else 'off'}"
                  f"{'' if entry.id in self.plans or not on else ' (when a plan has a working weight)'}.")

    def _take(self, session: SessionInfo) -> None:
        """The workout as read from the database: pending sets that appeared in it were saved."""
        first = self.session is None
        self.session = session
        self._settle_pending()
        ids = [e.id for e in session.entries]
        if self.selected_id not in ids:
            self.selected_id = (ids[0] if first else ids[-1]) if ids else None
        self._prepare(self.entry)

    def _prepare(self, entry: EntryInfo | None) -> None:
        """Read what is shown about an exercise beyond this workout, once."""
        if entry is None:
            return
        if entry.exercise.id not in self.context:
            self.context[entry.exercise.id] = self._context(entry.exercise.id)
        if entry.id not in self.marked and self.progress is not None:
            self.marked.add(entry.id)
            if entry.sets:
                try:
                    found = self.progress.session_records(self.session_id, entry.exercise.id)
                except DatabaseUnavailableError:
                    self.marked.discard(entry.id)
                    raise
                except OverloadError:
                    found = {}
                self.records.update(found)

    def _context(self, exercise_id: int) -> ExerciseContext:
        session = self._session
        sid, date = session.id, session.date
        last = self.ws.last_performance(exercise_id, exclude_session_id=sid, before=date)
        history = self.ws.exercise_history(exercise_id, since=date - HISTORY_SPAN)
        recent = tuple([h for h in history if h.session_id != sid and h.date <= date][-HISTORY_ROWS:][::-1])
        suggestion = None
        if self.progress is not None:
            try:
                suggestion = self.progress.suggestion(exercise_id, sid)
            except DatabaseUnavailableError:
                raise
            except OverloadError:  # no suggestion is not worth an error: the rest still shows
                suggestion = None
        return ExerciseContext(last, recent, suggestion)

    # -- the state ------------------------------------------------------------------------------
    @property
    def _session(self) -> SessionInfo:
        if self.session is None:
            raise RuntimeError("the logbook is not open")
        return self.session

    @property
    def entry(self) -> EntryInfo | None:
        return self._entry(self.selected_id)

    def _entry(self, entry_id: int | None) -> EntryInfo | None:
        return next((e for e in self._session.entries if e.id == entry_id), None)

    def _waiting(self, entry_id: int) -> list[Pending]:
        return [p for p in self.pending if p.entry_id == entry_id]

    def unit_for(self, entry: EntryInfo) -> LoadUnit:
        """What this exercise's sets are typed and read in: the unit chosen here or for the
        exercise (ctrl+t), else stacks for a machine logged by the pin, else the lifter's unit."""
        if entry.id in self.units:
            return self.units[entry.id]
        if (chosen := self.settings.unit_for(entry.exercise.id)) is not None:
            return chosen
        if (last := self._last_set(entry)) is not None:
            stacks = last.unit == Unit.STACKS
        else:
            stacks = (entry.exercise.kind in (ExerciseKind.WEIGHT_REPS, ExerciseKind.ASSISTED)
                      and default_unit(entry.exercise.equipment) is Unit.STACKS)
        # a load added to a body, a hold or a distance: a weight (a rowing machine has no pin)
        return LoadUnit.STACKS if stacks else LoadUnit(self.settings.weight_unit.value)

    def _last_set(self, entry: EntryInfo) -> SetInfo | Suggestion | None:
        if waiting := self._waiting(entry.id):
            return waiting[-1].values
        if entry.sets:
            return entry.sets[-1]
        context = self.context.get(entry.exercise.id)
        if context is not None and context.suggestion is not None:
            return context.suggestion
        if context is not None and context.last is not None and context.last.sets:
            return context.last.sets[0]
        return None

    def prefill(self, entry: EntryInfo) -> ParsedSet | None:
        """The next planned set, else the previous set of this exercise in this workout, else
        the suggestion (in the exercise's kind), else the first set of last time: what an
        empty Enter logs, and what 'x6', '105' or a time alone start from. In the exercise's
        unit: after ctrl+t from kg to lbs, 100 kg x 5 prefills 220.46x5."""
        row = self._next_planned(entry)
        if row is not None:
            info = self._planned_info(entry, row.planned)
            return in_unit(ParsedSet(info.amount, info.reps, info.load_unit, info.duration_s, info.distance_m),
                           self.unit_for(entry))
        previous = self._previous(entry)
        return in_unit(previous, self.unit_for(entry)) if previous is not None else None

    def _previous(self, entry: EntryInfo) -> ParsedSet | None:
        if waiting := self._waiting(entry.id):
            return _parsed(waiting[-1].values)
        if entry.sets:
            return _parsed(entry.sets[-1])
        context = self.context.get(entry.exercise.id)
        if context is None:
            return None
        s = context.suggestion
        unit = self.unit_for(entry)
        if s is not None and set_unit(s.unit, s.weight_unit) is unit and s.kind is entry.exercise.kind:
            return ParsedSet(
                0.0 if s.kind is ExerciseKind.REPS_ONLY else s.shown_weight, s.reps, unit, s.duration_s,
                s.distance_m, DistanceUnit(s.distance_unit) if s.distance_unit else None,
            )
        if context.last is not None and context.last.sets:
            return _parsed(context.last.sets[0])
        return None

    def rows(self, entry: EntryInfo) -> list[Row]:
        rows = [Row(f"s{s.id}", n, s, records=self.records.get(s.id, ())) for n, s in enumerate(entry.sets, 1)]
        rows += [Row(f"p{p.key}", len(rows) + n, p.values, pending=True)
                 for n, p in enumerate(self._waiting(entry.id), 1)]
        return rows

    def view(self) -> LogbookView:
        session, entry = self._session, self.entry
        lines = tuple(ExerciseLine(e.id, e.exercise.name, len(e.sets), len(self._waiting(e.id)),
                                   len(self.plans[e.id].sets) if e.id in self.plans else 0)
                      for e in session.entries)
        rows = tuple(self.rows(entry)) if entry is not None else ()
        context = self.context.get(entry.exercise.id) if entry is not None else None
        prefill = self.prefill(entry) if entry is not None else None
        view = LogbookView(
            session_id=session.id,
            title=session.name or "Workout",
            date=session.date,
            finished=session.finished_at is not None,
            notes=" ".join((session.notes or "").split()),
            exercises=lines,
            selected=[e.id for e in session.entries].index(entry.id) if entry is not None else None,
            exercise=entry.exercise if entry is not None else None,
            entry_notes=" ".join((entry.notes or "").split()) if entry is not None else "",
            unit=self.unit_for(entry) if entry is not None else LoadUnit(self.settings.weight_unit.value),
            rows=rows,
            cursor=self.cursor if self.cursor is not None and rows else None,
            last=context.last if context else None,
            suggestion=context.suggestion if context else None,
            recent=context.recent if context else (),
            context_known=context is not None,
            prompt=f"Set {len(rows) + 1}" if entry is not None else "Exercise",
            prefill=fmt.set_entry_text(prefill, entry.exercise.kind) if prefill and entry else "",
            status=self.status,
            pending=len(self.pending),
            offline=self.offline,
            rest=self.rest,
            help_seq=self.help_seq,
            edit_text=self.edit_text,
            records_due=bool(self.unchecked),
            kept_on_disk=self.journal_error is None and self._journal_arg is not None,
            version=next(self._version),
            plan=self.plan_rows(entry) if entry is not None else (),
            plan_rule=self.plans[entry.id].rule if entry is not None and entry.id in self.plans else None,
            plan_note=self.plans[entry.id].note if entry is not None and entry.id in self.plans else None,
        )
        self.edit_text = None  # offered once
        self.status = replace(self.status, typed="")
        return view

    def _say(self, text: str, error: bool = False, typed: str = "") -> None:
        self.status = Status(text, error, typed)

    def _rest(self, seconds: int = 0, *, relative: bool = False, stop: bool = False) -> None:
        self.rest = RestOrder(next(self._seq), seconds, relative, stop)

    # -- a line typed into the set box ------------------------------------------------------------
    def submit(self, line: str) -> LogbookView:
        """Apply one line typed into the set box (see ``domain.commands``): a set, a mark, an
        edit, an exercise, a note, a rest. A line that cannot be applied leaves everything as it
        was and says why (``status.error``, with the line in ``status.typed``)."""
        self.delete_armed = None
        words = " ".join(line.split()).lower() if isinstance(line, str) else ""
        try:
            if words in SKIP_WORDS:
                self._skip(SKIP_WORDS[words])
            elif words in WARMUP_WORDS:
                self._warmups(WARMUP_WORDS[words])
            else:
                self._apply(parse_command(line))
        except DatabaseUnavailableError as error:
            self._say(str(error), error=True, typed=line)
        except OverloadError as error:
            self._say(str(error), error=True, typed=line)
        return self.view()

    def _apply(self, command: Command) -> None:
        if isinstance(command, LogSet):
            self._log(command)
        elif isinstance(command, EditSet):
            self._edit(command)
        elif isinstance(command, DeleteSet):
            self._delete(self._position(command.position))
        elif isinstance(command, GoToExercise):
            self._go_to(command)
        elif isinstance(command, AddExercise):
            self._add_exercise(self._find(command.query))
        elif isinstance(command, SetNote):
            self._note(command)
        elif isinstance(command, Rest):
            self._rest_command(command)
        elif isinstance(command, SwitchUnit):
            self._switch_unit(command.unit)
        elif isinstance(command, MoveExercise):
            self._move_exercise(command.position)
        elif isinstance(command, RemoveExercise):
            self._remove_exercise(command.with_sets)
        elif isinstance(command, Help):
            self.help_seq += 1
            self._say("Every command is listed here; F1 or ? again closes it.")

    @property
    def _kind(self) -> ExerciseKind | None:
        entry = self.entry
        return entry.exercise.kind if entry is not None else None

    def _need_entry(self) -> EntryInfo:
        entry = self.entry
        if entry is None:
            raise ValidationError("Add an exercise first: type its name (or >name) and Enter.")
        return entry

    def _log(self, command: LogSet) -> None:
        """Log a set: typed, or (an empty line, marks alone) the set shown. With a plan, the
        set fills the next planned row: an empty line logs that row exactly as prescribed (its
        stored values, not a reading of them), a typed one what was really done, in the row's
        type unless a mark says otherwise."""
        entry = self._need_entry()
        ex = entry.exercise
        planned = self._next_planned(entry)
        if planned is not None and not command.body.strip():
            new = replace(self._planned_info(entry, planned.planned), set_type=command.set_type or planned.planned.set_type,
                          rpe=command.rpe)
        else:
            parsed = parse_set_entry(command.body, self.unit_for(entry), self.prefill(entry), kind=ex.kind, name=ex.name)
            self.units[entry.id] = parsed.unit
            set_type = command.set_type if command.set_type is not None or planned is None else planned.planned.set_type
            new = replace(_stored(parsed), set_type=set_type, rpe=command.rpe)
        item = Pending(next(self._keys), entry.id, new)
        number = len(entry.sets) + len(self._waiting(entry.id)) + 1
        self._rest(self.settings.rest_seconds(ex.category, ex.equipment, ex.name))
        self.cursor = None
        # on disk before it is sent or shown: a kill from here on loses nothing
        self._journaled(lambda j: j.add(item.client_id, self.session_id, entry.id, new))
        if self.offline or self.pending:  # keep the order: the waiting sets go first
            self.pending.append(item)
            self._say_pending()
            return
        try:
            saved = self._send(entry.id, new, item.client_id)
        except DatabaseUnavailableError as error:
            item.maybe_saved = error.maybe_saved
            self.pending.append(item)
            self.offline = True
            self._say_pending(str(error))
            return
        except OverloadError:
            self._journaled(lambda j: j.done(item.client_id, saved=False))
            raise
        self._journaled(lambda j: j.done(item.client_id, saved=True))
        self._add_saved(entry.id, saved)
        self._say(f"Set {number} logged: {_set_words(saved, ex.kind)}.")

    def _send(self, entry_id: int, s: SetInfo, client_id: str) -> SetInfo:
        """Save a set with its client id: sent again, it returns the set saved the first time."""
        return self.ws.add_set(entry_id, s.amount, s.reps, s.load_unit, set_type=s.set_type, rpe=s.rpe,
                               duration_s=s.duration_s, distance_m=s.distance_m, distance_unit=s.distance_unit,
                               client_id=client_id)

    def _add_saved(self, entry_id: int, saved: SetInfo) -> None:
        entries = list(self._session.entries)
        for i, e in enumerate(entries):
            if e.id == entry_id:
                if all(s.id != saved.id for s in e.sets):
                    entries[i] = replace(e, sets=(*e.sets, saved))
                break
        self.session = replace(self._session, entries=tuple(entries))
        self.unchecked.append(saved.id)

    def _say_pending(self, reason: str = "") -> None:
        n = len(self.pending)
        waiting = f"{fmt.plural(n, 'set')} {'waits' if n == 1 else 'wait'} for the database (…)"
        because = f"{reason} " if reason else ""
        kept = f" Not kept on disk ({self.journal_error}): lost if the app is closed." if self.journal_error else ""
        self._say(f"{because}{waiting}: sent when it answers, or ctrl+y.{kept}", error=True)

    def _position(self, position: int | None) -> int:
        """A set's number (from 1) in the chosen exercise, checked; None is the last set."""
        rows = self.rows(self._need_entry())
        if not rows:
            raise ValidationError("This exercise has no sets yet.")
        number = len(rows) if position is None else position
        if not 1 <= number <= len(rows):
            raise ValidationError(f"There is no set {number}: this exercise has {fmt.plural(len(rows), 'set')}.")
        return number

    def _row(self, number: int) -> SetInfo | Pending:
        entry = self._need_entry()
        if number <= len(entry.sets):
            return entry.sets[number - 1]
        return self._waiting(entry.id)[number - len(entry.sets) - 1]

    def _edit(self, command: EditSet) -> None:
        number = self._position(command.position)
        target = self._row(number)
        current = target.values if isinstance(target, Pending) else target
        values: dict[str, object] = {}
        if command.body is not None:
            ex = self._need_entry().exercise
            parsed = parse_set_entry(command.body, current.load_unit, _parsed(current), kind=ex.kind, name=ex.name)
            values = {"weight": parsed.weight, "reps": parsed.reps, "unit": parsed.unit, "duration_s": parsed.duration_s,
                      "distance_m": parsed.distance_m, "distance_unit": parsed.distance_unit}
        set_type = current.set_type if command.set_type is KEEP else command.set_type
        rpe = current.rpe if command.rpe is KEEP else command.rpe
        self._change(number, target, **values, set_type=set_type, rpe=rpe)

    def _change(self, number: int, target: SetInfo | Pending, **values: object) -> None:
        if isinstance(target, Pending):
            if "weight" in values:  # kept as it will be stored (kg, or stacks)
                p = _stored(ParsedSet(values.pop("weight"), values["reps"], values.pop("unit")))  # type: ignore[arg-type]
                values.update(weight=p.weight, unit=p.unit, display_unit=p.display_unit)
            target.values = replace(target.values, **values)  # type: ignore[arg-type]
            self._journaled(lambda j: j.edit(target.client_id, target.values))
            self._say(f"Set {number} (not saved yet) is now {_set_words(target.values, self._kind)}.")
            return
        updated = self.ws.update_set(target.id, **values)
        entries = tuple(replace(e, sets=tuple(updated if s.id == updated.id else s for s in e.sets))
                        for e in self._session.entries)
        self.session = replace(self._session, entries=entries)
        self.unchecked.append(updated.id)
        self._say(f"Set {number} is now {_set_words(updated, self._kind)}.")

    def _delete(self, number: int) -> None:
        target = self._row(number)
        if isinstance(target, Pending):
            self.pending.remove(target)
            self._journaled(lambda j: j.done(target.client_id, saved=False))
            self._say(f"Set {number} ({_set_words(target.values, self._kind)}) dropped; it had not been saved.")
        else:
            self.ws.delete_set(target.id)
            self._take(self.ws.get_session(self.session_id))
            self._say(f"Set {number} ({_set_words(target, self._kind)}) deleted.")
        if self.cursor is not None:
            self.cursor = min(self.cursor, max(len(self.rows(self._need_entry())) - 1, 0))

    def _go_to(self, command: GoToExercise) -> None:
        entries = self._session.entries
        if command.number is not None:
            if not 1 <= command.number <= len(entries):
                raise ValidationError(f"There is no exercise {command.number} in this workout.")
            self._choose(entries[command.number - 1].id)
            return
        query = " ".join(command.query.lower().split())
        for match in (lambda n: n == query, lambda n: n.startswith(query), lambda n: query in n):
            found = next((e for e in entries if match(e.exercise.name.lower())), None)
            if found is not None:
                self._choose(found.id)
                return
        self._add_exercise(self._find(command.query))

    def _find(self, query: str) -> ExerciseInfo:
        found = self.ws.search_exercises(query, limit=3)
        if not found:
            raise ValidationError(f"No exercise matches {query!r}. Sets look like 100x5; F1 lists every command.")
        return found[0]

    def _choose(self, entry_id: int) -> None:
        if entry_id != self.selected_id:
            self.selected_id = entry_id
            self.cursor = None
        self._prepare(self.entry)
        entry = self._need_entry()
        self._say(f"{entry.exercise.name}: set {len(self.rows(entry)) + 1} next.")

    def _add_exercise(self, exercise: ExerciseInfo) -> None:
        added = self.ws.add_entry(exercise.id, session_id=self.session_id)
        self.session = replace(self._session, entries=(*self._session.entries, added))
        self.selected_id = added.id
        self.cursor = None
        self._prepare(added)
        self._say(f"Added {exercise.name}.")

    def _move_exercise(self, position: int) -> None:
        entry, count = self._need_entry(), len(self._session.entries)
        if position > count:
            raise ValidationError(f"There is no place {position}: this workout has {fmt.plural(count, 'exercise')}.")
        self.ws.move_entry(entry.id, position - 1)
        self._take(self.ws.get_session(self.session_id))
        self._say(f"{entry.exercise.name} is exercise {position} now.")

    def _remove_exercise(self, with_sets: bool) -> None:
        entry = self._need_entry()
        if self._waiting(entry.id):
            raise ValidationError(f"{entry.exercise.name} has sets not saved yet: ctrl+y sends them first.")
        if entry.sets and not with_sets:
            raise ValidationError(f"{entry.exercise.name} has {fmt.plural(len(entry.sets), 'set')}: "
                                  "remove! removes it with them.")
        self.ws.remove_entry(entry.id)
        self.selected_id = None
        self.cursor = None
        self._take(self.ws.get_session(self.session_id))
        self._say(f"{entry.exercise.name} removed from this workout.")

    def _note(self, command: SetNote) -> None:
        if command.workout:
            self._take(self.ws.update_session(self.session_id, notes=command.text))
            self._say("Workout note saved." if command.text else "Workout note cleared.")
            return
        entry = self._need_entry()
        self.ws.set_entry_notes(entry.id, command.text)
        self._take(self.ws.get_session(self.session_id))
        self._say(f"Note on {entry.exercise.name} saved." if command.text else "Note cleared.")

    def _rest_command(self, command: Rest) -> None:
        if command.stop:
            self._rest(stop=True)
            self._say("Rest timer stopped.")
        elif command.seconds is None:
            ex = self._need_entry().exercise
            seconds = self.settings.rest_seconds(ex.category, ex.equipment, ex.name)
            self._rest(seconds)
            self._say(f"Rest {format_countdown(seconds)}.")
        else:
            self._rest(command.seconds, relative=command.relative)
            sign = "+" if command.relative and command.seconds >= 0 else ("-" if command.relative else "")
            self._say(f"Rest {sign}{format_countdown(abs(command.seconds))}.")

    def _switch_unit(self, unit: LoadUnit) -> None:
        """This exercise in ``unit`` from now on, remembered for it (the lifter's own unit
        forgets the choice). Sets already logged keep reading as they were logged."""
        entry = self._need_entry()
        ex = entry.exercise
        self.units[entry.id] = unit
        chosen = None if unit.value == self.settings.weight_unit.value else unit
        if self._settings_service is not None:
            self._settings_service.set_exercise_unit(ex.id, chosen)
            units = {k: v for k, v in self.settings.exercise_units.items() if k != ex.id}
            self.settings = replace(self.settings, exercise_units=MappingProxyType(
                units | ({ex.id: chosen} if chosen is not None else {})))
        self.context.pop(ex.id, None)  # the suggestion is read in the new unit
        self._say(f"{ex.name} in {fmt.unit_label(unit)}.")

    def exercise_names(self) -> list[str]:
        """Every exercise the lifter can add, for the set box's completion."""
        return [e.name for e in self.ws.search_exercises("", limit=None)]

    # -- keys and clicks ----------------------------------------------------------------------------
    def step_exercise(self, step: int) -> LogbookView:
        """The previous (-1) or next (1) exercise of the workout."""
        entries = self._session.entries
        if entries:
            index = [e.id for e in entries].index(self.selected_id) if self.selected_id in [e.id for e in entries] else 0
            return self.choose(entries[max(0, min(len(entries) - 1, index + step))].id)
        return self.view()

    def choose(self, entry_id: int) -> LogbookView:
        """Show an exercise of the workout (a click on the list, the arrows)."""
        self.delete_armed = None
        return self._guard(lambda: self._choose(entry_id))

    def cycle_unit(self) -> LogbookView:
        entry = self.entry
        if entry is None:
            return self.view()
        order = [LoadUnit.KG, LoadUnit.LBS]
        if self.unit_for(entry) is LoadUnit.STACKS or (
                entry.exercise.kind in (ExerciseKind.WEIGHT_REPS, ExerciseKind.ASSISTED)
                and entry.exercise.equipment in STACK_EQUIPMENT):
            order.append(LoadUnit.STACKS)
        unit = order[(order.index(self.unit_for(entry)) + 1) % len(order)]
        return self._guard(lambda: self._switch_unit(unit))

    def rest_more(self) -> LogbookView:
        self._rest(self.settings.rest_step, relative=True)
        self._say(f"Rest +{format_countdown(self.settings.rest_step)}.")
        return self.view()

    def rows_mode(self, on: bool, row: int | None = None) -> LogbookView:
        """Rows mode: the table's cursor on a set (the last, or ``row`` from 0), for the keys
        t, w, d, f, n, e, x; off: back to typing."""
        self.delete_armed = None
        entry = self.entry
        count = len(self.rows(entry)) if entry is not None else 0
        if not on or not count:
            self.cursor = None
            if on:
                self._say("No sets to choose from yet.")
            return self.view()
        self.cursor = count - 1 if row is None else max(0, min(count - 1, row))
        self._say("Rows: ↑↓ choose · t type · w d f n mark · e edit · x delete · Tab back")
        return self.view()

    def move_cursor(self, step: int) -> LogbookView:
        self.delete_armed = None
        entry = self.entry
        if self.cursor is not None and entry is not None:
            self.cursor = max(0, min(len(self.rows(entry)) - 1, self.cursor + step))
        return self.view()

    def mark_cursor(self, set_type: str | None | object) -> LogbookView:
        """Give the highlighted set a type (``"cycle"``: the next one of SET_TYPES)."""
        self.delete_armed = None
        if self.cursor is None:
            return self.view()

        def mark() -> None:
            number = self.cursor + 1  # type: ignore[operator]
            target = self._row(number)
            current = target.values if isinstance(target, Pending) else target
            chosen = set_type
            if chosen == "cycle":
                chosen = SET_TYPES[(SET_TYPES.index(current.set_type) + 1) % len(SET_TYPES)] \
                    if current.set_type in SET_TYPES else None
            self._change(number, target, set_type=chosen)
            self._say(f"Set {number} is {TYPE_NAMES[chosen]}.")  # type: ignore[index]

        return self._guard(mark)

    def move_set(self, step: int) -> LogbookView:
        """Move the highlighted saved set up (-1) or down (1) among the exercise's sets."""
        self.delete_armed = None
        entry = self.entry
        if self.cursor is None or entry is None:
            return self.view()
        number, target = self.cursor + 1, self.cursor + step
        if not 0 <= target < len(entry.sets) or number > len(entry.sets):
            return self.view()

        def move() -> None:
            self.ws.move_set(entry.sets[number - 1].id, target)
            self._take(self.ws.get_session(self.session_id))
            self.cursor = target
            self._say(f"Set {number} is set {target + 1} now.")

        return self._guard(move)

    def edit_cursor(self) -> LogbookView:
        """Put the highlighted set in the box as an edit command ('#3 100x5 w'), back to typing."""
        if self.cursor is None:
            return self.view()
        number = self.cursor + 1
        target = self._row(number)
        s = target.values if isinstance(target, Pending) else target
        self.edit_text = f"#{number} {fmt.set_entry_text(s, self._kind)}{marks_text(s.set_type, s.rpe)}"
        self.cursor = None
        self._say(f"Edit set {number} and Enter; ctrl+u clears the line.")
        return self.view()

    def delete_cursor(self) -> LogbookView:
        """x on a highlighted set asks; x again deletes it."""
        if self.cursor is None:
            return self.view()
        number = self.cursor + 1
        if self.delete_armed != number:
            self.delete_armed = number
            target = self._row(number)
            s = target.values if isinstance(target, Pending) else target
            self._say(f"x again deletes set {number} ({_set_words(s, self._kind)}); any other key keeps it.", error=True)
            return self.view()
        self.delete_armed = None
        return self._guard(lambda: self._delete(number))

    def add_exercise(self, exercise_id: int) -> LogbookView:
        """An exercise chosen in the exercise browser."""
        return self._guard(lambda: self._add_exercise(self.ws.get_exercise(exercise_id)))

    def set_notes(self, text: str | None, workout: bool) -> LogbookView:
        return self._guard(lambda: self._note(SetNote(text, workout)))

    def set_date(self, date: datetime) -> LogbookView:
        def change() -> None:
            self._take(self.ws.update_session(self.session_id, date=date))
            self.context.clear()  # last time and the suggestion are relative to the date
            self._prepare(self.entry)
            self._say(f"Workout dated {fmt.day_time(date, clock.now())}.")

        return self._guard(change)

    def _guard(self, change) -> LogbookView:
        try:
            change()
        except OverloadError as error:
            self._say(str(error), error=True)
        return self.view()

    # -- records -------------------------------------------------------------------------------------
    def check_records(self) -> LogbookView:
        """Which records the sets logged or changed since the last call beat: marked in the
        table and said on the status line (no toast over the set box)."""
        checked, self.unchecked = self.unchecked, []
        beaten: list[tuple[int, tuple[RecordKind, ...]]] = []
        for set_id in checked if self.progress is not None else ():
            try:
                kinds = tuple(self.progress.check_new_records(self.session_id, set_id))  # type: ignore[union-attr]
            except DatabaseUnavailableError:
                self.unchecked.append(set_id)  # checked again after the next set
                continue
            except OverloadError:  # deleted meanwhile
                continue
            if kinds:
                self.records[set_id] = kinds
                beaten.append((set_id, kinds))
            else:
                self.records.pop(set_id, None)
        if beaten and not self.status.error:
            set_id, kinds = beaten[-1]
            self._say(f"{self.status.text} {describe_new_records(list(kinds))}!".strip())
        return self.view()

    # -- the queue -----------------------------------------------------------------------------------
    def resend(self) -> LogbookView:
        """Send the pending sets again, in order; stop at the first that fails again."""
        saved = dropped = 0
        while self.pending:
            item = self.pending[0]
            try:
                result = self._send(item.entry_id, item.values, item.client_id)
            except DatabaseUnavailableError as error:
                item.maybe_saved = item.maybe_saved or error.maybe_saved
                self.offline = True
                self._say_pending(str(error))
                return self.view()
            except OverloadError as error:  # the exercise was removed meanwhile, or the set refused
                self.pending.pop(0)
                self._journaled(lambda j: j.done(item.client_id, saved=False))
                dropped += 1
                self._say(f"A pending set was dropped: {error}", error=True)
                continue
            self.pending.pop(0)
            self._journaled(lambda j: j.done(item.client_id, saved=True))
            self._add_saved(item.entry_id, result)
            saved += 1
        self.offline = False
        if (journal := self.journal) is not None:
            try:
                journal.compact()
            except OSError as error:
                self.journal_error = str(error) or type(error).__name__
        if saved and not dropped:
            self._say(f"Saved {fmt.plural(saved, 'set')} that had waited.")
        return self.view()

    def _settle_pending(self) -> None:
        """The workout was read again, so the database answers: the first waiting set, if its
        save may have happened, is sent again now (its client id makes that exactly once), so
        the table never shows it both saved and waiting."""
        if not self.pending or not self.pending[0].maybe_saved:
            return
        item = self.pending[0]
        try:
            result = self._send(item.entry_id, item.values, item.client_id)
        except OverloadError:  # still down, or refused: resend() says so
            return
        self.pending.pop(0)
        self._journaled(lambda j: j.done(item.client_id, saved=True))
        self._add_saved(item.entry_id, result)

    def drop_pending(self) -> LogbookView:
        """Forget the pending sets (the lifter chose to leave without them)."""
        for item in self.pending:
            self._journaled(lambda j, cid=item.client_id: j.done(cid, saved=False))
        self.pending.clear()
        return self.view()

    # -- the end -----------------------------------------------------------------------------------
    def finish(self) -> LogbookView:
        self._take(self.ws.finish_session(self.session_id))
        self._say(f"Workout saved: {fmt.plural(self._session.set_count, 'set')}.")
        return self.view()

    def discard_if_empty(self) -> bool:
        """Leaving: a workout started here and left empty (no exercise, no name, no notes,
        never finished) was started by mistake and is not kept. One opened from the history or
        the dashboard is always kept, empty or not. Whether it was deleted.

        Empty is judged on the workout as the database has it as it is dropped (locked, in the
        same transaction), not as this screen last read it: another terminal may have named it
        or added an exercise meanwhile."""
        session = self._session
        if not self.started_here or self.pending or session.entries or session.notes or session.name \
                or session.finished_at is not None:
            return False
        try:
            return self.ws.delete_session_if_empty(self.session_id)
        except (NotFoundError, DatabaseUnavailableError):  # gone already, or cannot tell: keep it
            return False

    def discard(self) -> None:
        """Delete a workout with no sets (finishing it would keep an empty workout)."""
        if self._session.set_count or self.pending:
            raise ValidationError("This workout has sets: finish it instead.")
        self.ws.delete_session(self.session_id)


def _parsed(s: SetInfo) -> ParsedSet:
    return ParsedSet(s.amount, s.reps, s.load_unit, s.duration_s, s.distance_m, s.distance_unit)  # type: ignore[arg-type]


def _stored(p: ParsedSet) -> SetInfo:
    """A set typed, as it will be stored (kg or stacks, pounds kept as display_unit)."""
    return SetInfo(0, 0, to_stored(p.weight, p.unit), p.reps, stored_unit(p.unit), duration_s=p.duration_s,
                   distance_m=p.distance_m, distance_unit=p.distance_unit, display_unit=display_column(p.unit))


def _planned_words(p: PlannedSet, kind: ExerciseKind, unit: LoadUnit) -> str:
    """'the warm-up 40 kg × 5', 'the set 85 kg × 5+'."""
    stored, display = planned_info_unit(p, unit)
    s = SetInfo(0, 0, p.weight or 0.0, p.reps or 1, stored, duration_s=p.duration_s, distance_m=p.distance_m,
                display_unit=display)
    what = "the warm-up" if p.set_type == "warmup" else "the set"
    return f"{what} {fmt.set_long(s, kind)}{'+' if p.amrap else ''}"


def _set_words(s: SetInfo, kind: ExerciseKind | None = None) -> str:
    """'100 kg × 5, warm-up, RPE 8', '2000 m in 7:30 (3:45/km)'."""
    words = [fmt.set_long(s, kind)]
    if s.set_type:
        words.append(TYPE_NAMES[s.set_type].removeprefix("a ").removeprefix("to "))
    if s.rpe is not None:
        words.append(f"RPE {fmt.number(s.rpe)}")
    return ", ".join(words)
