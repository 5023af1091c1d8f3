"""Logging a workout: the exercises on the left (on top when narrow), the chosen one's sets, and
the set box. Type '100x5' and Enter: the set is saved at once. The box is pre-filled from the
previous set of this workout, else the progression suggestion (its reason is shown above the
table), else last time's first set, so repeating a set is a single Enter. Marks after the set:
'w', 'd', 'f' (warm-up, drop, failure) and '@8' (RPE); see ``widgets/set_entry.py``.

How the screen keeps up with the database
-----------------------------------------
Opening reads, in one call on the database thread (``opening_job``), the workout, the user's
settings and the first exercise's last time, recent workouts, suggestion and record marks, and the
screen is drawn once, with them. The app keeps one logging screen, made ahead: a workout is read
first, then shown on it as it is pushed (``reopen``; answers still on their way for the workout
shown before are dropped). A screen made for one workout waits for that read (a moment) before it
is first laid out. Another exercise's context and marks
are asked for when it is first shown. A logged set is drawn from what ``add_set`` answers: one
row appended and one line of the exercise list rewritten (the whole workout is not read again).
Changes that move things (reordering, deleting, notes, date) read the workout again and redraw
only what differs. After a set is saved, ``check_new_records`` says whether it beat a personal
record: then it gets a * in the table and a short notification.

When the database cannot be reached
-----------------------------------
A set whose save fails with ``DatabaseUnavailableError`` is kept in a queue (shown in the table
with …) and sent again, in order, with the next set logged, after the next change that saves, or
with ctrl+y; nothing is lost by carrying on logging. When the error says the save may or may not
have happened, the exercise's sets are read first and a matching set that appeared is taken as
that one: a set is never saved twice. When the app reports the database back (``db_online``),
the queue is sent by itself. Other errors (a weight out of range...) put the typed text back in
the box, with the reason, to be fixed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from itertools import count
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from overload_tui import clock
from overload_tui.domain.e1rm import estimate_1rm, is_trusted
from overload_tui.domain.enums import Unit, default_unit
from overload_tui.domain.errors import DatabaseUnavailableError, OverloadError
from overload_tui.domain.progression import Suggestion
from overload_tui.domain.records import RecordKind
from overload_tui.services.base import MAYBE_SAVED
from overload_tui.services.dto import EntryInfo, ExerciseInfo, HistorySession, SessionInfo, SetInfo
from overload_tui.services.progress import describe_new_records
from overload_tui.services.settings import DEFAULTS, UserSettings
from overload_tui.services.workouts import WorkoutService
from overload_tui.services import format as fmt
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.dialogs import parse_when
from overload_tui.widgets.exercise_picker import ExercisePickerScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.header import TitleHeader
from overload_tui.widgets.plate_calc import PlateCalculator
from overload_tui.widgets.rest_timer import RestTimer
from overload_tui.widgets.service_screen import ServiceCalls
from overload_tui.widgets.set_entry import SetEntry, marks_text
from overload_tui.widgets.screen_style import StyledOnce
from overload_tui.widgets.set_table import EntryList, SetRow, SetTable

if TYPE_CHECKING:
    from overload_tui.app import OverloadApp
    from overload_tui.services.progress import ProgressService

HISTORY_SPAN = timedelta(days=365)
HISTORY_ROWS = 8
SET_TYPE_CYCLE = (None, "warmup", "drop", "failure")  # the t key, in this order
RESEND_HINT = "ctrl+y sends it again"
OPEN_WAIT = 0.3  # seconds the screen waits for its workout before it is first drawn


@dataclass(frozen=True, slots=True)
class ExerciseContext:
    """What the screen shows about an exercise beyond this workout (asked once per exercise)."""

    last: HistorySession | None = None
    recent: tuple[HistorySession, ...] = ()
    suggestion: Suggestion | None = None


@dataclass(slots=True)
class Unsent:
    """A set whose save failed because the database could not be reached: sent again later."""

    token: int
    entry_id: int
    values: SetInfo                    # the set as it is to be saved (no id yet)
    maybe_saved: bool = False          # the error said it may have been saved after all
    known: set[int] = field(default_factory=set)  # the entry's set ids that are not this one

    def matches(self, s: SetInfo) -> bool:
        mine = self.values
        return (abs(s.weight - mine.weight) < 0.0005 and s.reps == mine.reps and s.unit is mine.unit
                and s.set_type == mine.set_type and s.rpe == mine.rpe)


def _may_be_saved(error: OverloadError) -> bool:
    return bool(getattr(error, "maybe_saved", False)) or MAYBE_SAVED in str(error)


def exercise_context(
    ws: WorkoutService, progress: ProgressService | None, exercise_id: int, session: SessionInfo
) -> ExerciseContext:
    """Database thread: last time, the recent workouts (before this workout's date) and the
    progression suggestion of one exercise."""
    sid, date = session.id, session.date
    last = ws.last_performance(exercise_id, exclude_session_id=sid, before=date)
    history = ws.exercise_history(exercise_id, since=date - HISTORY_SPAN)
    recent = tuple([h for h in history if h.session_id != sid and h.date <= date][-HISTORY_ROWS:][::-1])
    suggestion = None
    if progress is not None:
        try:
            suggestion = progress.suggestion(exercise_id, sid)
        except OverloadError:  # no suggestion is not worth an error: the rest still shows
            suggestion = None
    return ExerciseContext(last, recent, suggestion)


def records_of(
    progress: ProgressService | None, session_id: int, set_ids: list[int]
) -> list[tuple[int, tuple[RecordKind, ...]]]:
    """Database thread: the records each set beat when it was logged (a set deleted meanwhile
    is left out)."""
    found = []
    for set_id in set_ids if progress is not None else ():
        try:
            found.append((set_id, tuple(progress.check_new_records(session_id, set_id))))
        except OverloadError:
            continue
    return found


def marks_of(progress: ProgressService | None, session_id: int, entry: EntryInfo) -> list[tuple[int, tuple[RecordKind, ...]]]:
    """Database thread: ``records_of`` for every set of an exercise of the workout, in a few
    queries (not four a set)."""
    if progress is None or not entry.sets:
        return []
    marks = progress.session_records(session_id, entry.exercise.id)
    return [(s.id, marks.get(s.id, ())) for s in entry.sets]


def resend(ws: WorkoutService, items: list[tuple]) -> tuple[list[tuple[int, SetInfo | None, str]], tuple | None]:
    """Database thread: send queued sets in order. Returns ([(token, set or None, why dropped)],
    (token, maybe_saved, message) of the first that failed again, or None)."""
    done: list[tuple[int, SetInfo | None, str]] = []
    claimed: set[int] = set()
    for token, entry_id, item in items:
        try:
            if item.maybe_saved:  # saved after all? then it is the new set that matches
                entry = ws.get_entry(entry_id)
                found = next((s for s in entry.sets
                              if s.id not in item.known and s.id not in claimed and item.matches(s)), None)
                if found is not None:
                    claimed.add(found.id)
                    done.append((token, found, ""))
                    continue
            new = item.values
            saved = ws.add_set(entry_id, new.weight, new.reps, new.unit, set_type=new.set_type, rpe=new.rpe)
            claimed.add(saved.id)
            done.append((token, saved, ""))
        except DatabaseUnavailableError as error:
            return done, (token, item.maybe_saved or _may_be_saved(error), str(error))
        except OverloadError as error:  # the exercise was removed meanwhile, or the set is refused
            done.append((token, None, str(error)))
    return done, None


Opening = tuple[SessionInfo, UserSettings, ExerciseContext | None, list]


def opening_job(app: OverloadApp, session_id: int) -> Callable[[], Opening]:
    """What the logging screen shows first, read in one call on the database thread: the
    workout, the settings, and the first exercise's context and record marks."""
    ws, user, progress = app.workouts, app.user, progress_of(app)
    settings = app.services.settings(user.id) if user is not None and app.services is not None else None

    def job() -> Opening:
        session = ws.get_session(session_id)
        try:
            chosen = settings.get() if settings is not None else DEFAULTS
        except OverloadError:
            chosen = DEFAULTS
        if not session.entries:
            return session, chosen, None, []
        first = session.entries[0]
        context = exercise_context(ws, progress, first.exercise.id, session)
        try:
            marks = marks_of(progress, session_id, first)
        except OverloadError:  # no marks is not worth an error: the workout still shows
            marks = []
        return session, chosen, context, marks

    return job


def progress_of(app: OverloadApp) -> ProgressService | None:
    """The lifter's progress service (None before log-in, or in tests without one)."""
    user, make = app.user, getattr(app.services, "progress", None)
    return make(user.id) if user is not None and make is not None else None


class SessionScreen(StyledOnce, ServiceCalls, Screen[None]):
    app: OverloadApp

    BINDINGS = [
        # Shown first, and only while sets wait for the database (check_action).
        Binding("ctrl+y", "resend", "Resend", tooltip="Send the sets that could not be saved again"),
        Binding("ctrl+f", "add_exercise", "Add", tooltip="Find an exercise and add it"),
        Binding("ctrl+t", "toggle_unit", "Unit", tooltip="Switch this exercise's unit"),
        Binding("ctrl+n", "notes", "Notes", tooltip="The workout's notes"),
        # Not in the footer (full at 80 columns): in the palette, f1, and as n in the lists.
        Binding("ctrl+l", "entry_notes", "Exercise notes", tooltip="This exercise's notes (seat, grip...)",
                show=False),
        Binding("ctrl+o", "date", "Date", tooltip="Change the workout's date (back-filling)"),
        Binding("ctrl+r", "rest", "Rest+", tooltip="Rest a little longer (settings: rest step)"),
        Binding("ctrl+s", "finish", "Finish", tooltip="Finish the workout and go back"),
        Binding("ctrl+g,escape", "back", "Back", tooltip="Stop editing a set, else back (the workout stays open)"),
        Binding("up", "exercise(-1)", "Previous exercise", show=False),
        Binding("down", "exercise(1)", "Next exercise", show=False),
    ]

    def __init__(self, session_id: int | None = None) -> None:
        """``session_id`` None: a screen made ahead, before any workout (see ``reopen``)."""
        super().__init__()
        self._pending: Opening | None = None  # given to reopen before the screen had mounted
        self._shown: dict[str, Any] = {}  # what each line shows, to skip redrawing the same
        self._table_entry: int | None = None  # whose sets the table shows
        self._generation = 0  # counts the workouts shown: answers for an earlier one are dropped
        self._start(session_id)

    def _start(self, session_id: int | None) -> None:
        """Everything about one workout, as before it is read (a new screen, or this one shown
        again for a workout: see ``reopen``)."""
        self.session_id = session_id
        self.session: SessionInfo | None = None
        self.selected_id: int | None = None  # the chosen entry
        self.editing: SetInfo | None = None
        self.editing_position = 0
        self.units: dict[int, Unit] = {}  # entry id -> unit switched by the lifter
        self.context: dict[int, ExerciseContext] = {}  # exercise id -> last time, recent, suggestion
        self.records: dict[int, tuple[RecordKind, ...]] = {}  # set id -> records it beat
        self.unsent: list[Unsent] = []
        self._tokens = count(1)
        self._in_flight: dict[int, int] = {}  # entry id -> sets sent, not answered yet
        self._flushing = False
        self._asked: set[int] = set()
        self._marked: set[int] = set()  # entries whose sets' record marks were asked for
        self._opened = False
        self._pick_when_shown = False  # an empty workout asks for its first exercise once shown
        self._first_answer: asyncio.Future[None] | None = None
        self._load_error = False  # the workout could not be read: ctrl+y tries again
        self.settings: UserSettings = DEFAULTS

    def reopen(self, session_id: int, opening: Opening) -> None:
        """Show a workout on this screen, kept by the app (and just pushed): ``opening`` is what
        ``opening_job`` read. What is still on its way for the workout shown before is dropped;
        the widgets are rewritten where they change, and drawn once, with the screen."""
        self._generation += 1
        self._start(session_id)
        if not self.is_mounted:  # made ahead, still mounting: on_mount shows it
            self._pending = opening
            return
        self.box.show_hint()
        self._loaded(opening)
        if (entry := self.entry) is not None:
            self.sync_box(entry, reset=True)  # not what was typed for the last workout

    def run_service(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], Any] | None = None,
                    on_error: Callable[[OverloadError], Any] | None = None, **kwargs: Any):
        """``ServiceCalls.run_service``, its answers dropped if another workout is shown by then."""
        generation = self._generation

        def same_workout(callback: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
            if callback is None:
                return None
            return lambda value: callback(value) if self._generation == generation else None

        return super().run_service(fn, *args, on_done=same_workout(on_done), on_error=same_workout(on_error),
                                   **kwargs)

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(id="session-notes", markup=False)
        with Horizontal(id="session-body"):
            yield EntryList(id="entries")
            with Vertical(id="entry-pane"):
                yield Static(id="entry-title", markup=False)
                yield Static(id="entry-notes", markup=False)
                yield Static(id="last-time", markup=False)
                yield SetTable(id="sets")
                with Horizontal(id="aids"):
                    yield RestTimer(id="rest")
                    yield PlateCalculator(id="plates")
                yield SetEntry(id="set-entry")
            yield Static(id="history", markup=False)
        yield KeysFooter()

    async def on_mount(self) -> None:
        self.query_one("#entries").border_title = "Exercises"
        self.query_one("#history").border_title = "Recent"
        self._show_line("#session-notes", False)
        self._show_line("#entry-notes", False)
        self.box.input.focus()
        if hasattr(type(self.app), "db_online"):  # the app tells when the database is back
            self.watch(self.app, "db_online", self._database_status, init=False)
        if self._pending is not None:
            opening, self._pending = self._pending, None
            self._loaded(opening)
            return
        if self.session_id is None:
            return  # made ahead: reopen shows a workout
        # The screen is laid out and drawn once it has mounted: waiting a moment for the workout
        # (a few milliseconds, usually) draws it once, with its data, instead of an empty screen
        # first and the workout a frame later. A slow database only delays that by OPEN_WAIT.
        self._first_answer = asyncio.get_running_loop().create_future()
        self.load()
        try:
            await asyncio.wait_for(asyncio.shield(self._first_answer), OPEN_WAIT)
        except asyncio.TimeoutError:
            self.sub_title = "opening…"

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def box(self) -> SetEntry:
        return self.query_one("#set-entry", SetEntry)

    @property
    def entry(self) -> EntryInfo | None:
        return self._entry_by_id(self.selected_id)

    def _entry_by_id(self, entry_id: int | None) -> EntryInfo | None:
        if self.session is None:
            return None
        return next((e for e in self.session.entries if e.id == entry_id), None)

    def _progress(self) -> ProgressService | None:
        return progress_of(self.app)

    def load(self) -> None:
        """Read the workout (see ``opening_job``) and show it."""
        self.run_service(opening_job(self.app, self.session_id), on_done=self._loaded, on_error=self._load_failed)

    def _answered_first(self) -> None:
        if self._first_answer is not None and not self._first_answer.done():
            self._first_answer.set_result(None)

    def _load_failed(self, error: OverloadError) -> None:
        self._answered_first()
        self._load_error = True
        self.failed(error)
        self.refresh_bindings()  # ctrl+y (try again) is shown

    def _loaded(self, answer: Opening) -> None:
        self._answered_first()
        self._load_error = False
        session, settings, first, marks = answer
        self.settings = settings
        self.query_one("#plates", PlateCalculator).configure(settings.bar_weight, settings.plates)
        if first is not None and session.entries:
            exercise_id = session.entries[0].exercise.id
            self.context[exercise_id] = first
            self._asked.add(exercise_id)
            self._marked.add(session.entries[0].id)
            self.records.update((set_id, kinds) for set_id, kinds in marks if kinds)
        self.show(session)
        self.refresh_bindings()

    def fetch_marks(self, entry: EntryInfo) -> None:
        """The record marks of an exercise's sets logged before this screen opened: asked once,
        when the exercise is first shown (only what is looked at is worked out)."""
        progress = self._progress()
        if entry.id in self._marked or progress is None:
            return
        self._marked.add(entry.id)
        if not entry.sets:
            return
        sid = self.session_id

        def got(found: list[tuple[int, tuple[RecordKind, ...]]]) -> None:
            self.records.update((set_id, kinds) for set_id, kinds in found if kinds)
            if any(kinds for _, kinds in found):
                self.show_table()

        self.run_service(lambda: marks_of(progress, sid, entry), on_done=got,
                         on_error=lambda error: self._marked.discard(entry.id))

    def change(
        self,
        work: Callable[[WorkoutService], Any],
        then: Callable[[Any], None] | None = None,
        on_error: Callable[[OverloadError], None] | None = None,
    ) -> None:
        """Run ``work(workouts)`` on the database thread, then re-read the workout and show it."""
        ws, sid = self.app.workouts, self.session_id

        def job() -> tuple[Any, SessionInfo]:
            result = work(ws)
            return result, ws.get_session(sid)

        def done(answer: tuple[Any, SessionInfo]) -> None:
            result, session = answer
            self.show(session)
            if then is not None:
                then(result)
            self.flush()  # a save went through: the database is back for the queued sets too

        self.run_service(job, on_done=done, on_error=on_error or self.failed)

    def failed(self, error: OverloadError) -> None:
        """Say what went wrong where the lifter is looking: beside the set box."""
        self.box.show_error(str(error))
        self.notify(str(error), severity="error", markup=False)

    def _show_line(self, selector: str, shown: bool) -> None:
        """Show or hide a line (a change of ``display`` lays the screen out again: only on a change)."""
        key = selector + ":display"
        if self._shown.get(key) is not shown:
            self._shown[key] = shown
            self.query_one(selector).display = shown

    def _put(self, selector: str, content: Text | str, *, layout: bool = True) -> None:
        """Update a Static unless it already shows that (no redraw, no layout)."""
        if self._shown.get(selector) == content:
            return
        self._shown[selector] = content
        self.query_one(selector, Static).update(content, layout=layout)

    # -- showing ------------------------------------------------------------------------------
    def show(self, session: SessionInfo) -> None:
        """Show the workout as read from the database, redrawing what changed."""
        first = self.session is None
        self.session = session
        self._settle_unsent(session)
        ids = [e.id for e in session.entries]
        if self.selected_id not in ids:
            self.selected_id = ids[-1] if ids and not first else (ids[0] if ids else None)
        self.title = session.name or "Workout"
        self.sub_title = fmt.day_time(session.date, clock.now()) + (" · done" if session.finished_at else "")
        notes = " ".join((session.notes or "").split())
        self._put("#session-notes", Text("Notes: " + notes, overflow="ellipsis", no_wrap=True) if notes else "",
                  layout=False)
        self._show_line("#session-notes", bool(notes))
        self.show_entries()
        self.show_entry()
        if first and not session.entries and not self._opened:
            self._opened = True
            if self.is_current:
                self.action_add_exercise()
            else:  # filled before it is pushed (the kept screen): the picker goes on top of it
                self._pick_when_shown = True

    def on_screen_resume(self) -> None:
        if self._pick_when_shown:
            self._pick_when_shown = False
            self.action_add_exercise()

    def _entry_line(self, number: int, entry: EntryInfo) -> Text:
        line = Text(f"{number}. ", style="dim")
        line.append(entry.exercise.name)
        sets = len(entry.sets)
        waiting = sum(1 for u in self.unsent if u.entry_id == entry.id)
        if sets:
            line.append(f" {sets}", style="bold")
        if waiting:
            line.append(f" +{waiting}", style="bold italic")
        return line

    def show_entries(self) -> None:
        session = self.session
        if session is None:
            return
        entries = self.query_one("#entries", EntryList)
        with entries.prevent(EntryList.Highlighted):  # a redraw, not the lifter's choice
            entries.show_options([(str(e.id), self._entry_line(i, e)) for i, e in enumerate(session.entries, 1)])
            ids = [e.id for e in session.entries]
            if self.selected_id in ids and entries.highlighted != ids.index(self.selected_id):
                entries.highlighted = ids.index(self.selected_id)

    def show_entry_line(self, entry_id: int) -> None:
        """Rewrite one exercise's line of the list (its set count), nothing else."""
        session = self.session
        if session is None:
            return
        for i, e in enumerate(session.entries):
            if e.id == entry_id:
                self.query_one("#entries", EntryList).set_prompt(i, self._entry_line(i + 1, e))
                return

    def rows(self, entry: EntryInfo) -> list[SetRow]:
        rows = [SetRow(f"s{s.id}", n, s, record=bool(self.records.get(s.id))) for n, s in enumerate(entry.sets, 1)]
        waiting = [u for u in self.unsent if u.entry_id == entry.id]
        rows += [SetRow(f"u{u.token}", len(rows) + n, u.values, unsent=True) for n, u in enumerate(waiting, 1)]
        return rows

    def show_table(self) -> None:
        entry = self.entry
        table = self.query_one("#sets", SetTable)
        rows = self.rows(entry) if entry is not None else []
        before = len(table.shown)
        changed_entry = self._table_entry != (entry.id if entry else None)
        self._table_entry = entry.id if entry else None
        if changed_entry:
            table.show_rows([])
        table.show_rows(rows)
        if rows and (changed_entry or len(rows) > before):
            table.move_cursor(row=len(rows) - 1, animate=False)

    def show_entry(self, reset_box: bool = False) -> None:
        """Show the chosen exercise: its sets, notes, last time, the suggestion and the box."""
        entry = self.entry
        self._show_line("#set-entry", entry is not None)
        if entry is None:
            self._put("#entry-title", Text("No exercises yet: press ctrl+f to add one.", style="bold"), layout=False)
            self._put("#last-time", "")
            self._show_line("#entry-notes", False)
            self.show_table()
            return
        unit = self.unit_for(entry)
        self.show_title(entry, unit)
        notes = " ".join((entry.notes or "").split())
        self._put("#entry-notes", Text(notes, style="italic", overflow="ellipsis", no_wrap=True), layout=False)
        self._show_line("#entry-notes", bool(notes))
        self.show_context(entry)
        self.fetch_marks(entry)
        self.show_table()
        self.show_plates()
        self.sync_box(entry, reset=reset_box)

    def show_title(self, entry: EntryInfo, unit: Unit) -> None:
        heading = Text(entry.exercise.name, style="bold")
        heading.append(f"  {fmt.unit_label(unit)}", style="dim")
        self._put("#entry-title", heading, layout=False)

    def show_context(self, entry: EntryInfo) -> None:
        """Last time and the suggestion above the table; recent workouts in the side panel."""
        context = self.context.get(entry.exercise.id)
        if context is None:
            self._put("#last-time", Text("Last time: …", style="dim", no_wrap=True))
            self.fetch_context(entry.exercise)
            self.show_history(None)
            return
        last = context.last
        # One line each, cut with … when narrow: a wrapped line would push the table down.
        line = Text(no_wrap=True, overflow="ellipsis")
        if last is None or not last.sets:
            line.append("Last time: first time", style="dim")
        else:
            line.append(f"Last {fmt.day(last.date)}: ", style="dim")
            line.append(fmt.sets_line(last.sets))
        if (s := context.suggestion) is not None:
            line.append("\nNext: ", style="dim")
            line.append(f"{fmt.weight(s.weight)}{'st' if s.unit is Unit.STACKS else ''}×{s.reps}")
            if s.sets:
                line.append(f" ({fmt.plural(s.sets, 'set')})")
            if s.reason:
                line.append(f" · {s.reason}", style="dim")
        self._put("#last-time", line)
        self.show_history(context)

    def sync_box(self, entry: EntryInfo, reset: bool = False) -> None:
        """The set box: 'Set N' and the pre-fill, unless a set is being edited; what the lifter
        is typing is kept (only the rest is brought up to date)."""
        if self.editing is not None:
            return
        prompt = f"Set {self.count(entry) + 1}"
        values, unit = self.prefill(entry), self.unit_for(entry)
        if reset or (self.box.untouched and (values != self.box.previous or unit is not self.box.unit)):
            self.box.load(prompt, values, unit)
        else:
            self.box.previous = values
            self.box.set_unit(unit)
            self.box.set_prompt(prompt)

    def count(self, entry: EntryInfo) -> int:
        """Sets of the exercise: saved, waiting to be sent again, and on their way."""
        waiting = sum(1 for u in self.unsent if u.entry_id == entry.id)
        return len(entry.sets) + waiting + self._in_flight.get(entry.id, 0)

    @on(Input.Changed, "#set-input")
    def _typed(self, event: Input.Changed) -> None:
        # The text as changed, not the box's now: a set taken at once (Enter right behind the
        # keys) has emptied the box since, and the plates would go and come back (two layouts).
        self.show_plates(event.value)

    def show_plates(self, text: str | None = None) -> None:
        """The plates per side for the weight in the set box (barbell exercises in kg)."""
        entry = self.entry
        plates = self.query_one("#plates", PlateCalculator)
        plates.set_exercise(entry.exercise.equipment if entry else None, self.box.unit)
        plates.show_text(self.box.text if text is None else text)

    def prefill(self, entry: EntryInfo) -> tuple[float, int] | None:
        """The previous set of this exercise in this workout, else the suggestion, else the first
        set of last time."""
        waiting = [u for u in self.unsent if u.entry_id == entry.id]
        if waiting:
            return waiting[-1].values.weight, waiting[-1].values.reps
        if entry.sets:
            return entry.sets[-1].weight, entry.sets[-1].reps
        context = self.context.get(entry.exercise.id)
        if context is None:
            return None
        unit = self.unit_for(entry)
        if context.suggestion is not None and context.suggestion.unit is unit:
            return context.suggestion.weight, context.suggestion.reps
        if context.last is not None and context.last.sets:
            return context.last.sets[0].weight, context.last.sets[0].reps
        return None

    def unit_for(self, entry: EntryInfo) -> Unit:
        if entry.id in self.units:
            return self.units[entry.id]
        if entry.sets:
            return entry.sets[-1].unit
        context = self.context.get(entry.exercise.id)
        if context is not None and context.suggestion is not None:
            return context.suggestion.unit
        if context is not None and context.last is not None and context.last.sets:
            return context.last.sets[0].unit
        return default_unit(entry.exercise.equipment)

    def fetch_context(self, exercise: ExerciseInfo) -> None:
        """Ask (once) for last time, the recent history and the suggestion of an exercise,
        relative to this workout's date."""
        session = self.session
        if exercise.id in self._asked or session is None:
            return
        self._asked.add(exercise.id)
        ws, progress = self.app.workouts, self._progress()

        def got(context: ExerciseContext) -> None:
            self.context[exercise.id] = context
            entry = self.entry
            if entry is not None and entry.exercise.id == exercise.id:
                self.show_entry()

        def lost(error: OverloadError) -> None:
            self._asked.discard(exercise.id)  # ask again next time the exercise is chosen

        self.run_service(lambda: exercise_context(ws, progress, exercise.id, session), on_done=got, on_error=lost)

    def show_history(self, context: ExerciseContext | None) -> None:
        """The wide-terminal side panel: this exercise's recent workouts, newest first."""
        text = Text()
        for h in context.recent if context else ():
            unit = h.sets[-1].unit if h.sets else Unit.KG
            best = max((estimate_1rm(s.weight, s.reps) for s in h.sets
                        if s.unit is unit and s.weight and is_trusted(s.reps)), default=0)
            text.append(f"{fmt.day(h.date)}", style="bold")
            text.append(f"  e1RM {best:.0f} {fmt.unit_label(unit)}\n" if best else "\n", style="dim")
            text.append(fmt.sets_line(h.sets) + "\n")
        if not text and context is not None:
            text.append("No earlier workouts with this exercise.", style="dim")
        self._put("#history", text, layout=False)

    # -- choosing an exercise -----------------------------------------------------------------
    @on(EntryList.Highlighted, "#entries")
    def _highlighted(self, event: EntryList.Highlighted) -> None:
        self._choose(int(event.row.id))

    def _choose(self, entry_id: int | None) -> None:
        if entry_id != self.selected_id:
            self.selected_id = entry_id
            self.cancel_edit()
            self.show_entry(reset_box=True)

    @on(EntryList.Selected, "#entries")
    def _chosen(self) -> None:
        self.box.input.focus()

    def action_exercise(self, step: int) -> None:
        if self.session is None or not self.session.entries:
            return
        ids = [e.id for e in self.session.entries]
        index = ids.index(self.selected_id) if self.selected_id in ids else 0
        index = max(0, min(len(ids) - 1, index + step))
        entries = self.query_one("#entries", EntryList)
        with entries.prevent(EntryList.Highlighted):
            entries.highlighted = index
        self._choose(ids[index])  # now, not when the list says so: a set typed next is for it

    # -- logging sets -------------------------------------------------------------------------
    @on(SetEntry.Submitted)
    def _set_typed(self, event: SetEntry.Submitted) -> None:
        entry = self.entry
        if entry is None:
            return
        parsed = event.parsed
        self.units[entry.id] = parsed.unit
        if self.editing is not None:
            self._save_edit(self.editing, event)
            return
        new = SetInfo(0, 0, parsed.weight, parsed.reps, parsed.unit, event.set_type, event.rpe)
        item = Unsent(next(self._tokens), entry.id, new)
        # Ready for the next set straight away: the same again is one more Enter.
        self.box.load(f"Set {self.count(entry) + 2}", (parsed.weight, parsed.reps), parsed.unit)
        ex = entry.exercise
        self.query_one("#rest", RestTimer).start(self.settings.rest_seconds(ex.category, ex.equipment, ex.name))
        if self.unsent:  # keep the order: the waiting sets go first
            self.unsent.append(item)
            self.show_entry_line(entry.id)
            self.show_table()
            self.flush()
            return
        self._in_flight[entry.id] = self._in_flight.get(entry.id, 0) + 1
        ws = self.app.workouts
        self.run_service(
            lambda: ws.add_set(entry.id, new.weight, new.reps, new.unit, set_type=new.set_type, rpe=new.rpe),
            on_done=lambda saved: self._set_saved(item, saved),
            on_error=lambda error: self._set_failed(item, error, event.text),
        )

    def _answered(self, item: Unsent) -> None:
        left = self._in_flight.get(item.entry_id, 0) - 1
        if left > 0:
            self._in_flight[item.entry_id] = left
        else:
            self._in_flight.pop(item.entry_id, None)

    def _set_saved(self, item: Unsent, saved: SetInfo) -> None:
        self._answered(item)
        self._add_saved(item.entry_id, saved)
        self.check_records([saved.id])
        self.flush()

    def _add_saved(self, entry_id: int, saved: SetInfo) -> None:
        """A set the database confirmed: into the workout as shown, one row and one line drawn."""
        session = self.session
        if session is None:
            return
        for u in self.unsent:  # a set saved by this screen is never a queued one's "maybe"
            if u.entry_id == entry_id:
                u.known.add(saved.id)
        entries = list(session.entries)
        for i, e in enumerate(entries):
            if e.id == entry_id:
                if any(s.id == saved.id for s in e.sets):
                    return
                entries[i] = replace(e, sets=(*e.sets, saved))
                break
        else:
            return  # the exercise was removed meanwhile
        self.session = replace(session, entries=tuple(entries))
        self.show_entry_line(entry_id)
        if entry_id == self.selected_id:
            self.show_table()
            if self.editing is None:
                self.sync_box(self.entry)  # type: ignore[arg-type]

    def _set_failed(self, item: Unsent, error: OverloadError, typed: str) -> None:
        self._answered(item)
        entry = self._entry_by_id(item.entry_id)
        if isinstance(error, DatabaseUnavailableError) and entry is not None:
            item.maybe_saved = _may_be_saved(error)
            item.known = {s.id for s in entry.sets}
            self.unsent.append(item)
            self.show_entry_line(item.entry_id)
            if item.entry_id == self.selected_id:
                self.show_table()
            self._say_unsent(str(error))
            return
        # Put back what was typed, with the reason, so it can be fixed and sent again.
        if entry is not None and item.entry_id == self.selected_id and self.editing is None:
            self.box.load(f"Set {self.count(entry) + 1}", self.prefill(entry), item.values.unit, text=typed)
        self.failed(error)

    def _say_unsent(self, reason: str) -> None:
        """The reason in a notification; beside the box, short, what happens to the sets."""
        n = len(self.unsent)
        waiting = f"{fmt.plural(n, 'set')} {'waits' if n == 1 else 'wait'} (…)"
        self.box.show_error(f"Database unreachable: {waiting}, sent again with the next set or ctrl+y.")
        self.notify(f"{reason}\n{waiting}: sent again with the next set, or {RESEND_HINT}.",
                    title="Not saved", severity="error", markup=False)
        self.refresh_bindings()

    def flush(self) -> None:
        """Send the queued sets again, in order, in one call (the database thread is FIFO, so
        nothing logged meanwhile overtakes them)."""
        if self._flushing or not self.unsent:
            return
        self._flushing = True
        items = [(u.token, u.entry_id, replace(u, known=set(u.known))) for u in self.unsent]
        ws = self.app.workouts
        self.run_service(lambda: resend(ws, items), on_done=self._flushed, on_error=self._flush_failed)

    def _flush_failed(self, error: OverloadError) -> None:
        self._flushing = False
        self.failed(error)

    def _flushed(self, answer: tuple[list[tuple[int, SetInfo | None, str]], tuple | None]) -> None:
        self._flushing = False
        done, failure = answer
        by_token = {u.token: u for u in self.unsent}
        saved_ids = []
        for token, saved, why in done:
            item = by_token.get(token)
            if item is None:
                continue
            self.unsent.remove(item)
            if saved is not None:
                self._add_saved(item.entry_id, saved)
                saved_ids.append(saved.id)
            else:
                self.notify(f"A set that could not be saved was dropped: {why}", severity="warning", markup=False)
            self.show_entry_line(item.entry_id)
        if failure is not None:
            token, maybe, message = failure
            if token in by_token:
                by_token[token].maybe_saved = maybe
            self.show_table()
            self._say_unsent(message)
            return
        if saved_ids:
            self.notify(f"Saved {fmt.plural(len(saved_ids), 'set')} that had waited.", markup=False)
            self.check_records(saved_ids)
        if self.unsent:  # logged while these were on their way
            self.flush()
            return
        self.show_table()
        if self.entry is not None:
            self.sync_box(self.entry)
        self.box.show_hint()
        self.refresh_bindings()

    def _settle_unsent(self, session: SessionInfo) -> None:
        """The workout was read again: a queued "may have been saved" set that is there now was
        saved; it leaves the queue (and is never sent again)."""
        for item in list(self.unsent):
            if not item.maybe_saved:
                continue
            entry = next((e for e in session.entries if e.id == item.entry_id), None)
            if entry is None:
                continue
            found = next((s for s in entry.sets if s.id not in item.known and item.matches(s)), None)
            if found is not None:
                self.unsent.remove(item)
                for other in self.unsent:
                    if other.entry_id == item.entry_id:
                        other.known.add(found.id)

    def _database_status(self, online: bool) -> None:
        if online and self.unsent:
            self.flush()

    def action_resend(self) -> None:
        if self.session is None:
            self.load()  # it could not be read when the screen opened
        elif self.unsent:
            self.flush()
        else:
            self.notify("Every set is saved.", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resend":  # the key shows only when it helps: sets wait, or opening failed
            return bool(self.unsent) or self._load_error
        return True

    # -- personal records ---------------------------------------------------------------------
    def check_records(self, set_ids: list[int], quiet: bool = False) -> None:
        """After the row is drawn, ask which records these sets beat: a * in the table and a
        short notification for each that beat one (a set that no longer does loses its *)."""
        progress, sid = self._progress(), self.session_id
        if progress is None or not set_ids:
            return

        def got(found: list[tuple[int, tuple[RecordKind, ...]]]) -> None:
            for set_id, kinds in found:
                if kinds:
                    self.records[set_id] = kinds
                    if not quiet:
                        self.notify(self._describe(set_id, kinds), title="Personal record", markup=False)
                else:
                    self.records.pop(set_id, None)
            self.show_table()

        generation = self._generation

        def ask() -> None:
            if generation == self._generation:  # the same workout on the screen (see reopen)
                self.run_service(lambda: records_of(progress, sid, set_ids), on_done=got, on_error=lambda e: None)

        self.call_after_refresh(ask)

    def _describe(self, set_id: int, kinds: tuple[RecordKind, ...]) -> str:
        line = describe_new_records(list(kinds))
        for e in self.session.entries if self.session else ():
            for s in e.sets:
                if s.id == set_id:
                    return f"{line} ({e.exercise.name}: {fmt.set_short(s)})"
        return line

    # -- changing sets ------------------------------------------------------------------------
    def _cursor_row(self) -> tuple[int, SetInfo | Unsent] | None:
        """(position from 1, the set or the queued set) under the table's cursor."""
        entry = self.entry
        table = self.query_one("#sets", SetTable)
        if entry is None or table.cursor_row is None or not table.row_count:
            return None
        row = table.cursor_row
        if 0 <= row < len(entry.sets):
            return row + 1, entry.sets[row]
        waiting = [u for u in self.unsent if u.entry_id == entry.id]
        index = row - len(entry.sets)
        return (row + 1, waiting[index]) if 0 <= index < len(waiting) else None

    def _cursor_set(self) -> tuple[int, SetInfo] | None:
        """(position from 1, saved set) under the cursor; a queued set cannot be changed."""
        found = self._cursor_row()
        if found is not None and isinstance(found[1], Unsent):
            self.box.show_error(f"That set is not saved yet: {RESEND_HINT}, or x drops it.")
            return None
        return found  # type: ignore[return-value]

    @on(SetTable.RowSelected, "#sets")
    def action_edit_set(self) -> None:
        found = self._cursor_set()
        if found is None:
            return
        n, s = found
        self.editing = s
        self.editing_position = n
        self.box.load(f"Edit {n}", (s.weight, s.reps), s.unit, marks=marks_text(s.set_type, s.rpe))
        self.box.show_hint("Enter saves the change · ctrl+g cancels")
        self.box.input.focus()

    def _save_edit(self, editing: SetInfo, event: SetEntry.Submitted) -> None:
        parsed, typed, position = event.parsed, event.text, self.editing_position
        self.editing = None
        ws = self.app.workouts

        def undo(error: OverloadError) -> None:
            self.editing = editing
            self.editing_position = position
            self.box.load(f"Edit {position}", (editing.weight, editing.reps), parsed.unit, text=typed)
            self.failed(error)

        self.run_service(
            lambda: ws.update_set(editing.id, weight=parsed.weight, reps=parsed.reps, unit=parsed.unit,
                                  set_type=event.set_type, rpe=event.rpe),
            on_done=lambda s: self._set_updated(s, reset_box=True), on_error=undo,
        )

    def _set_updated(self, updated: SetInfo, reset_box: bool = False) -> None:
        session = self.session
        if session is not None:
            entries = tuple(replace(e, sets=tuple(updated if s.id == updated.id else s for s in e.sets))
                            for e in session.entries)
            self.session = replace(session, entries=entries)
        self.show_entry(reset_box=reset_box)
        self.check_records([updated.id], quiet=True)
        self.flush()

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.box.show_hint()
            self.show_entry(reset_box=True)

    def action_cycle_set_type(self) -> None:
        found = self._cursor_set()
        if found is None:
            return
        _, s = found
        following = SET_TYPE_CYCLE[(SET_TYPE_CYCLE.index(s.set_type) + 1) % len(SET_TYPE_CYCLE)] \
            if s.set_type in SET_TYPE_CYCLE else None
        ws = self.app.workouts
        self.run_service(lambda: ws.update_set(s.id, set_type=following), on_done=self._set_updated,
                         on_error=self.failed)

    def action_move_set(self, step: int) -> None:
        found, entry = self._cursor_set(), self.entry
        if found is None or entry is None:
            return
        n, s = found
        target = n - 1 + step
        if not 0 <= target < len(entry.sets):
            return
        table = self.query_one("#sets", SetTable)
        self.change(lambda ws: ws.move_set(s.id, target), then=lambda _: table.move_cursor(row=target))

    def action_delete_set(self) -> None:
        found, entry = self._cursor_row(), self.entry
        if found is None or entry is None:
            return
        n, s = found
        if isinstance(s, Unsent):
            if self._flushing:
                self.box.show_error("That set is being sent right now: try again in a moment.")
                return

            def drop(yes: bool | None) -> None:
                if yes and s in self.unsent:
                    self.unsent.remove(s)
                    self.show_entry_line(s.entry_id)
                    self.show_entry()
                    self.refresh_bindings()

            question = f"Drop the unsaved set {n} ({fmt.set_long(s.values)})?"
            self.app.push_screen(ConfirmScreen(question, yes="Drop"), drop)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                if self.editing is not None and self.editing.id == s.id:
                    self.cancel_edit()
                self.change(lambda ws: ws.delete_set(s.id), then=lambda _: self.show_entry(reset_box=True))

        question = f"Delete set {n} ({fmt.set_long(s)}) of {entry.exercise.name}?"
        self.app.push_screen(ConfirmScreen(question), answer)

    def action_toggle_unit(self) -> None:
        entry = self.entry
        if entry is None:
            return
        unit = Unit.KG if self.unit_for(entry) is Unit.STACKS else Unit.STACKS
        self.units[entry.id] = unit
        self.box.set_unit(unit)
        self.show_title(entry, unit)
        self.show_plates()

    def action_rest(self) -> None:
        self.query_one("#rest", RestTimer).adjust(self.settings.rest_step)

    # -- exercises ----------------------------------------------------------------------------
    def action_add_exercise(self) -> None:
        def picked(exercise: ExerciseInfo | None) -> None:
            if exercise is None:
                return

            def added(entry: EntryInfo) -> None:
                self.selected_id = entry.id
                self.show(self.session)  # type: ignore[arg-type]
                self.box.input.focus()

            self.change(lambda ws: ws.add_entry(exercise.id, session_id=self.session_id), then=added)

        self.app.push_screen(ExercisePickerScreen(), picked)

    def action_move_entry(self, step: int) -> None:
        entry, session = self.entry, self.session
        if entry is None or session is None:
            return
        index = [e.id for e in session.entries].index(entry.id)
        target = index + step
        if 0 <= target < len(session.entries):
            self.change(lambda ws: ws.move_entry(entry.id, target))

    def action_remove_entry(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if any(u.entry_id == entry.id for u in self.unsent):
            self.box.show_error(f"{entry.exercise.name} has sets not saved yet: {RESEND_HINT} first.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.selected_id = None
                self.change(lambda ws: ws.remove_entry(entry.id), then=lambda _: self.show_entry(reset_box=True))

        sets = f" and its {fmt.plural(len(entry.sets), 'set')}" if entry.sets else ""
        self.app.push_screen(ConfirmScreen(f"Remove {entry.exercise.name}{sets} from this workout?", yes="Remove"), answer)

    def action_entry_notes(self) -> None:
        """This exercise's notes (seat height, grip...): shown under its name."""
        entry = self.entry
        if entry is None:
            return
        ws, sid = self.app.workouts, self.session_id

        def save(text: str) -> SessionInfo:
            ws.set_entry_notes(entry.id, text)
            return ws.get_session(sid)

        self.edit_notes(f"Notes: {entry.exercise.name}", entry.notes, save)

    def edit_notes(self, title: str, notes: str | None, save: Callable[[str], SessionInfo]) -> None:
        """The notes dialog: it saves (and says why not, keeping the text); then the workout as read."""

        def saved(session: SessionInfo | None) -> None:
            if session is not None:
                self.show(session)
                self.flush()

        field_ = FormField("notes", "", notes or "", type="notes")
        self.app.push_screen(FormDialog(title, [field_], lambda values: save(values["notes"])), saved)

    # -- the workout --------------------------------------------------------------------------
    def action_notes(self) -> None:
        if self.session is None:
            return
        ws, sid = self.app.workouts, self.session_id
        self.edit_notes("Workout notes", self.session.notes, lambda text: ws.update_session(sid, notes=text))

    def action_date(self) -> None:
        session = self.session
        if session is None:
            return
        ws = self.app.workouts
        field_ = FormField("date", "Date and time (or: today, yesterday)", f"{session.date:%Y-%m-%d %H:%M}",
                           "2025-03-04 18:30")

        def save(values: dict[str, str]) -> SessionInfo:
            return ws.update_session(session.id, date=parse_when(values["date"], session.date, clock.now()))

        def saved(updated: SessionInfo | None) -> None:
            if updated is not None and self.is_attached:
                # "last time" and the suggestion are relative to the workout's date: ask again.
                self.context.clear()
                self._asked.clear()
                self.show(updated)
                self.show_entry(reset_box=True)

        self.app.push_screen(FormDialog("When was this workout?", [field_], save), saved)

    def action_finish(self) -> None:
        if self.session is None:
            return
        if self.unsent:
            self.box.show_error(f"{fmt.plural(len(self.unsent), 'set')} not saved yet: {RESEND_HINT} first.")
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return

            def finished(session: SessionInfo) -> None:
                self.notify(f"Workout saved: {fmt.plural(session.set_count, 'set')}.")
                if self.is_current:
                    self.dismiss()

            self.run_service(self.app.workouts.finish_session, self.session_id, on_done=finished)

        count_ = self.session.set_count
        self.app.push_screen(
            ConfirmScreen(f"Finish this workout ({fmt.plural(count_, 'set')})?", yes="Finish", no="Keep going"),
            answer,
        )

    def action_back(self) -> None:
        """Stop editing a set; else go back, the workout left open to resume (an empty one,
        started by mistake, is not kept)."""
        if self.editing is not None:
            self.cancel_edit()
            return
        if self.unsent:
            def answer(yes: bool | None) -> None:
                if yes:
                    self.unsent.clear()
                    self.dismiss()

            question = (f"{fmt.plural(len(self.unsent), 'set')} could not be saved yet. "
                        f"Leave and lose {'it' if len(self.unsent) == 1 else 'them'}?")
            self.app.push_screen(ConfirmScreen(question, yes="Leave", no="Stay"), answer)
            return
        session = self.session
        if session is not None and not session.entries and not session.notes and session.finished_at is None:
            self.app.call_service(self.app.workouts.delete_session, session.id)
        self.dismiss()
