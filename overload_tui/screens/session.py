"""Logging a workout: the exercises on the left (on top when narrow), the chosen one's sets, and
the set box. Type '100x5' and Enter: the set is saved at once. The box is pre-filled from the
previous set (or from last time's first set), so repeating a set is a single Enter.

Every change goes through ``app.call_service`` and answers with the whole workout re-read, which
is then shown: the screen never guesses what the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from overload_tui import clock
from overload_tui.domain.e1rm import estimate_1rm, is_trusted
from overload_tui.domain.enums import Unit, default_unit
from overload_tui.domain.errors import OverloadError
from overload_tui.services.dto import EntryInfo, ExerciseInfo, HistorySession, SessionInfo, SetInfo
from overload_tui.services.settings import DEFAULTS, UserSettings
from overload_tui.widgets import format as fmt
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.dialogs import NotesScreen, parse_when
from overload_tui.widgets.exercise_picker import ExercisePickerScreen
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.plate_calc import PlateCalculator
from overload_tui.widgets.rest_timer import RestTimer
from overload_tui.widgets.set_entry import SetEntry

if TYPE_CHECKING:
    from overload_tui.app import OverloadApp

_NO_LAST = object()  # "last time" not fetched yet
HISTORY_SPAN = timedelta(days=365)
HISTORY_ROWS = 8


class EntryList(OptionList):
    """The workout's exercises. Keys here act on the highlighted one."""

    BINDINGS = [
        Binding("u", "screen.move_entry(-1)", "Move up"),
        Binding("d", "screen.move_entry(1)", "Move down"),
        Binding("x,delete", "screen.remove_entry", "Remove"),
    ]


class SetTable(DataTable):
    """The chosen exercise's sets. Enter or e edits the set under the cursor."""

    BINDINGS = [
        Binding("e", "screen.edit_set", "Edit set"),
        Binding("x,delete", "screen.delete_set", "Delete set"),
    ]


class SessionScreen(Screen[None]):
    app: OverloadApp

    BINDINGS = [
        Binding("ctrl+f", "add_exercise", "Add", tooltip="Find an exercise and add it"),
        Binding("ctrl+t", "toggle_unit", "Unit", tooltip="Switch this exercise's unit"),
        Binding("ctrl+n", "notes", "Notes", tooltip="The workout's notes"),
        Binding("ctrl+o", "date", "Date", tooltip="Change the workout's date (back-filling)"),
        Binding("ctrl+r", "rest", "Rest+", tooltip="Rest a little longer (settings: rest step)"),
        Binding("ctrl+s", "finish", "Finish", tooltip="Finish the workout and go back"),
        Binding("ctrl+g,escape", "back", "Back", tooltip="Stop editing a set, else back (the workout stays open)"),
        Binding("up", "exercise(-1)", "Previous exercise", show=False),
        Binding("down", "exercise(1)", "Next exercise", show=False),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: SessionInfo | None = None
        self.selected_id: int | None = None  # the chosen entry
        self.editing: SetInfo | None = None
        self.editing_position = 0
        self.units: dict[int, Unit] = {}  # entry id -> unit switched by the lifter
        self.last: dict[int, HistorySession | None] = {}  # exercise id -> last time
        self.recent: dict[int, list[HistorySession]] = {}  # exercise id -> recent workouts
        self._asked: set[int] = set()
        self._opened = False
        self.settings: UserSettings = DEFAULTS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="session-notes", markup=False)
        with Horizontal(id="session-body"):
            yield EntryList(id="entries")
            with Vertical(id="entry-pane"):
                yield Static(id="entry-title", markup=False)
                yield Static(id="last-time", markup=False)
                yield SetTable(id="sets", cursor_type="row", zebra_stripes=True)
                with Horizontal(id="aids"):
                    yield RestTimer(id="rest")
                    yield PlateCalculator(id="plates")
                yield SetEntry(id="set-entry")
            yield Static(id="history", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "workout"
        table = self.query_one("#sets", SetTable)
        table.add_column("#", key="n", width=2)
        table.add_column("Weight", key="weight", width=11)
        table.add_column("Reps", key="reps", width=4)
        table.add_column("e1RM", key="e1rm", width=5)
        table.add_column("Time", key="time", width=5)
        self.query_one("#entries").border_title = "Exercises"
        self.box.input.focus()
        self.reload()
        user = self.app.user
        if user is not None:
            self.app.call_service(self.app.services.settings(user.id).get, on_done=self._got_settings)

    def _got_settings(self, settings: UserSettings) -> None:
        self.settings = settings
        if self.is_attached:
            self.query_one("#plates", PlateCalculator).configure(settings.bar_weight, settings.plates)

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def box(self) -> SetEntry:
        return self.query_one("#set-entry", SetEntry)

    @property
    def entry(self) -> EntryInfo | None:
        if self.session is None:
            return None
        for e in self.session.entries:
            if e.id == self.selected_id:
                return e
        return None

    def reload(self) -> None:
        self.change(lambda ws: None)

    def change(
        self,
        work: Callable[[Any], Any],
        then: Callable[[Any], None] | None = None,
        on_error: Callable[[OverloadError], None] | None = None,
    ) -> None:
        """Run ``work(workouts)`` on the database thread, then re-read the workout and show it."""
        ws, sid = self.app.workouts, self.session_id

        def job() -> tuple[Any, SessionInfo]:
            result = work(ws)
            return result, ws.get_session(sid)

        def done(answer: tuple[Any, SessionInfo]) -> None:
            if not self.is_attached:
                return
            result, session = answer
            self.show(session)
            if then is not None:
                then(result)

        self.app.call_service(job, on_done=done, on_error=on_error or self.failed)

    def failed(self, error: OverloadError) -> None:
        """Say what went wrong where the lifter is looking: beside the set box."""
        if self.is_attached:
            self.box.show_error(str(error))
            self.notify(str(error), severity="error", markup=False)

    # -- showing ------------------------------------------------------------------------------
    def show(self, session: SessionInfo) -> None:
        first = self.session is None
        self.session = session
        ids = [e.id for e in session.entries]
        if self.selected_id not in ids:
            self.selected_id = ids[-1] if ids and not first else (ids[0] if ids else None)
        title = session.name or "Workout"
        self.title = title
        self.sub_title = fmt.day_time(session.date, clock.now()) + (" · done" if session.finished_at else "")
        notes = self.query_one("#session-notes", Static)
        notes.update(Text("Notes: " + " ".join(session.notes.split()), overflow="ellipsis", no_wrap=True)
                     if session.notes else "")
        notes.display = bool(session.notes)

        entries = self.query_one("#entries", EntryList)
        options = []
        for i, e in enumerate(session.entries, 1):
            line = Text(f"{i}. ", style="dim")
            line.append(e.exercise.name)
            if e.sets:
                line.append(f" {len(e.sets)}", style="bold")
            options.append(Option(line, id=str(e.id)))
        with entries.prevent(OptionList.OptionHighlighted):  # a redraw, not the lifter's choice
            entries.set_options(options)
            if self.selected_id is not None:
                entries.highlighted = ids.index(self.selected_id)
        self.show_entry()
        if first and not session.entries and not self._opened:
            self._opened = True
            self.action_add_exercise()

    def show_entry(self, reset_box: bool = False) -> None:
        """Show the chosen exercise: its sets, last time, and the pre-filled set box."""
        entry = self.entry
        title = self.query_one("#entry-title", Static)
        last_line = self.query_one("#last-time", Static)
        table = self.query_one("#sets", SetTable)
        table.clear()
        self.box.display = entry is not None
        if entry is None:
            title.update(Text("No exercises yet: press ctrl+f to add one.", style="bold"))
            last_line.update("")
            return
        unit = self.unit_for(entry)
        heading = Text(entry.exercise.name, style="bold")
        heading.append(f"  {fmt.unit_label(unit)}", style="dim")
        title.update(heading)

        last = self.last.get(entry.exercise.id, _NO_LAST)
        if last is _NO_LAST:
            last_line.update(Text("Last time: …", style="dim"))
            self.fetch_last(entry.exercise)
        elif last is None or not last.sets:
            last_line.update(Text("Last time: first time", style="dim"))
        else:
            line = Text(f"Last {fmt.day(last.date)}: ", style="dim")
            line.append(fmt.sets_line(last.sets))
            last_line.update(line)
        self.show_history(entry)

        for n, s in enumerate(entry.sets, 1):
            e1rm = estimate_1rm(s.weight, s.reps) if s.weight and is_trusted(s.reps) else None
            table.add_row(
                Text(str(n)),
                Text(f"{fmt.weight(s.weight)} {fmt.unit_label(s.unit)}"),
                Text(str(s.reps), justify="right"),
                Text(f"{e1rm:.0f}" if e1rm else "", style="dim", justify="right"),
                Text(f"{s.logged_at:%H:%M}" if s.logged_at else "", style="dim"),
                key=str(s.id),
            )
        if entry.sets:
            table.move_cursor(row=len(entry.sets) - 1)

        self.show_plates()
        if self.editing is not None:
            return
        if reset_box or self.box.untouched:
            self.box.load(f"Set {len(entry.sets) + 1}", self.prefill(entry), unit)
        else:  # the lifter is typing: keep the text, only bring the rest up to date
            self.box.previous = self.prefill(entry)
            self.box.set_unit(unit)

    @on(Input.Changed, "#set-input")
    def show_plates(self) -> None:
        """The plates per side for the weight in the set box (barbell exercises in kg)."""
        entry = self.entry
        plates = self.query_one("#plates", PlateCalculator)
        plates.set_exercise(entry.exercise.equipment if entry else None, self.box.unit)
        plates.show_text(self.box.text)

    def prefill(self, entry: EntryInfo) -> tuple[float, int] | None:
        """The previous set of this exercise, else the first set of last time."""
        if entry.sets:
            return entry.sets[-1].weight, entry.sets[-1].reps
        last = self.last.get(entry.exercise.id)
        if isinstance(last, HistorySession) and last.sets:
            return last.sets[0].weight, last.sets[0].reps
        return None

    def unit_for(self, entry: EntryInfo) -> Unit:
        if entry.id in self.units:
            return self.units[entry.id]
        if entry.sets:
            return entry.sets[-1].unit
        last = self.last.get(entry.exercise.id)
        if isinstance(last, HistorySession) and last.sets:
            return last.sets[0].unit
        return default_unit(entry.exercise.equipment)

    def fetch_last(self, exercise: ExerciseInfo) -> None:
        """Ask (once) for last time and the recent history of an exercise, relative to this
        workout's date."""
        if exercise.id in self._asked or self.session is None:
            return
        self._asked.add(exercise.id)
        ws, sid, date = self.app.workouts, self.session_id, self.session.date

        def job() -> tuple[HistorySession | None, list[HistorySession]]:
            last = ws.last_performance(exercise.id, exclude_session_id=sid, before=date)
            history = ws.exercise_history(exercise.id, since=date - HISTORY_SPAN)
            return last, [h for h in history if h.session_id != sid and h.date <= date][-HISTORY_ROWS:][::-1]

        def got(answer: tuple[HistorySession | None, list[HistorySession]]) -> None:
            self.last[exercise.id], self.recent[exercise.id] = answer
            entry = self.entry
            if self.is_attached and entry is not None and entry.exercise.id == exercise.id:
                self.show_entry()

        self.app.call_service(job, on_done=got)

    def show_history(self, entry: EntryInfo) -> None:
        """The wide-terminal side panel: this exercise's recent workouts, newest first."""
        text = Text()
        for h in self.recent.get(entry.exercise.id, ()):
            unit = h.sets[-1].unit if h.sets else Unit.KG
            best = max((estimate_1rm(s.weight, s.reps) for s in h.sets
                        if s.unit is unit and s.weight and is_trusted(s.reps)), default=0)
            text.append(f"{fmt.day(h.date)}", style="bold")
            text.append(f"  e1RM {best:.0f} {fmt.unit_label(unit)}\n" if best else "\n", style="dim")
            text.append(fmt.sets_line(h.sets) + "\n")
        if not text:
            text.append("No earlier workouts with this exercise.", style="dim")
        panel = self.query_one("#history", Static)
        panel.update(text)
        panel.border_title = "Recent"

    # -- choosing an exercise -----------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#entries")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry_id = int(event.option.id) if event.option.id else None
        if entry_id != self.selected_id:
            self.selected_id = entry_id
            self.cancel_edit()
            self.show_entry(reset_box=True)

    @on(OptionList.OptionSelected, "#entries")
    def _chosen(self) -> None:
        self.box.input.focus()

    def action_exercise(self, step: int) -> None:
        if self.session is None or not self.session.entries:
            return
        ids = [e.id for e in self.session.entries]
        index = ids.index(self.selected_id) if self.selected_id in ids else 0
        index = max(0, min(len(ids) - 1, index + step))
        self.query_one("#entries", EntryList).highlighted = index

    # -- sets ---------------------------------------------------------------------------------
    @on(SetEntry.Submitted)
    def _set_typed(self, event: SetEntry.Submitted) -> None:
        entry = self.entry
        if entry is None:
            return
        parsed, typed = event.parsed, event.text
        self.units[entry.id] = parsed.unit
        editing, previous = self.editing, self.box.previous

        def undo(error: OverloadError) -> None:
            # Put back what was typed, with the reason, so it can be fixed and sent again.
            if not self.is_attached:
                return
            self.editing = editing
            prompt = f"Edit {self.editing_position}" if editing else f"Set {len(entry.sets) + 1}"
            self.box.load(prompt, previous, parsed.unit, text=typed)
            self.failed(error)

        if editing is not None:
            self.editing = None
            self.change(lambda ws: ws.update_set(editing.id, weight=parsed.weight, reps=parsed.reps,
                                                 unit=parsed.unit),
                        then=lambda _: self.show_entry(reset_box=True), on_error=undo)
            return
        # Ready for the next set straight away: the same again is one more Enter.
        self.box.load(f"Set {len(entry.sets) + 2}", (parsed.weight, parsed.reps), parsed.unit)
        ex = entry.exercise
        self.query_one("#rest", RestTimer).start(self.settings.rest_seconds(ex.category, ex.equipment, ex.name))
        self.change(lambda ws: ws.add_set(entry.id, parsed.weight, parsed.reps, parsed.unit), on_error=undo)

    def _cursor_set(self) -> tuple[int, SetInfo] | None:
        """(position from 1, set) under the table's cursor."""
        entry = self.entry
        table = self.query_one("#sets", SetTable)
        if entry is None or not entry.sets or table.cursor_row is None:
            return None
        row = table.cursor_row
        return (row + 1, entry.sets[row]) if 0 <= row < len(entry.sets) else None

    @on(DataTable.RowSelected, "#sets")
    def action_edit_set(self) -> None:
        found = self._cursor_set()
        if found is None:
            return
        n, s = found
        self.editing = s
        self.editing_position = n
        self.box.load(f"Edit {n}", (s.weight, s.reps), s.unit)
        self.box.show_hint("Enter saves the change · ctrl+g cancels")
        self.box.input.focus()

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.box.show_hint()
            self.show_entry(reset_box=True)

    def action_delete_set(self) -> None:
        found = self._cursor_set()
        entry = self.entry
        if found is None or entry is None:
            return
        n, s = found

        def answer(yes: bool | None) -> None:
            if yes:
                if self.editing is not None and self.editing.id == s.id:
                    self.cancel_edit()
                self.change(lambda ws: ws.delete_set(s.id), then=lambda _: self.show_entry(reset_box=True))

        question = f"Delete set {n} ({fmt.weight(s.weight)} {fmt.unit_label(s.unit)} × {s.reps}) of {entry.exercise.name}?"
        self.app.push_screen(ConfirmScreen(question), answer)

    def action_toggle_unit(self) -> None:
        entry = self.entry
        if entry is None:
            return
        unit = Unit.KG if self.unit_for(entry) is Unit.STACKS else Unit.STACKS
        self.units[entry.id] = unit
        self.box.set_unit(unit)
        heading = Text(entry.exercise.name, style="bold")
        heading.append(f"  {fmt.unit_label(unit)}", style="dim")
        self.query_one("#entry-title", Static).update(heading)
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

        def answer(yes: bool | None) -> None:
            if yes:
                self.selected_id = None
                self.change(lambda ws: ws.remove_entry(entry.id), then=lambda _: self.show_entry(reset_box=True))

        sets = f" and its {fmt.plural(len(entry.sets), 'set')}" if entry.sets else ""
        self.app.push_screen(ConfirmScreen(f"Remove {entry.exercise.name}{sets} from this workout?", yes="Remove"), answer)

    # -- the workout --------------------------------------------------------------------------
    def action_notes(self) -> None:
        if self.session is None:
            return

        def edited(text: str | None) -> None:
            if text is not None:
                self.change(lambda ws: ws.update_session(self.session_id, notes=text))

        self.app.push_screen(NotesScreen(self.session.notes), edited)

    def action_date(self) -> None:
        session = self.session
        if session is None:
            return
        ws = self.app.workouts
        field = FormField("date", "Date and time (or: today, yesterday)", f"{session.date:%Y-%m-%d %H:%M}",
                          "2025-03-04 18:30")

        def save(values: dict[str, str]) -> SessionInfo:
            return ws.update_session(session.id, date=parse_when(values["date"], session.date, clock.now()))

        def saved(updated: SessionInfo | None) -> None:
            if updated is not None and self.is_attached:
                # "last time" is relative to the workout's date: ask again.
                self.last.clear()
                self.recent.clear()
                self._asked.clear()
                self.show(updated)
                self.show_entry(reset_box=True)

        self.app.push_screen(FormDialog("When was this workout?", [field], save), saved)

    def action_finish(self) -> None:
        if self.session is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return

            def finished(session: SessionInfo) -> None:
                self.notify(f"Workout saved: {fmt.plural(session.set_count, 'set')}.")
                if self.is_current:
                    self.dismiss()

            self.app.call_service(self.app.workouts.finish_session, self.session_id, on_done=finished)

        count = self.session.set_count
        self.app.push_screen(
            ConfirmScreen(f"Finish this workout ({fmt.plural(count, 'set')})?", yes="Finish", no="Keep going"),
            answer,
        )

    def action_back(self) -> None:
        """Stop editing a set; else go back, the workout left open to resume (an empty one,
        started by mistake, is not kept)."""
        if self.editing is not None:
            self.cancel_edit()
            return
        session = self.session
        if session is not None and not session.entries and not session.notes and session.finished_at is None:
            self.app.call_service(self.app.workouts.delete_session, session.id)
        self.dismiss()
