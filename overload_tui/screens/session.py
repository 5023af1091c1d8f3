"""Logging a workout: the exercises on the left (on top when narrow), the chosen one's sets, and
the set box, which always has the focus. A line typed into it and Enter is applied by the
workout's ``Logbook`` (``services/logbook.py``: '100x5' logs a set, '#2 w' marks set 2 a
warm-up, '>squat' goes to an exercise...; F1 lists them) on the app's database thread, in the
order typed, and the screen draws the ``LogbookView`` it returns. Nothing here decides anything
about the workout: the screen turns keys into logbook calls and views into widgets.

A workout with a plan (from a template or a program day) shows each planned set as a row of the
set table after the sets logged, the next one bold: Enter in the empty box logs it exactly as
prescribed, a typed line logs what was really done, ``skip`` passes it. The "Next:" line under
last time says what comes (the next planned set, or the progression's suggestion) and wraps
rather than being cut, at any width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from overload_tui import clock
from overload_tui.domain.e1rm import estimate_1rm, is_trusted
from overload_tui.domain.enums import ExerciseKind, Unit
from overload_tui.domain.errors import OverloadError
from overload_tui.domain.units import LoadUnit, display_column, from_stored, set_unit
from overload_tui.services import format as fmt
from overload_tui.services.dto import ExerciseInfo, HistorySession, SetInfo
from overload_tui.screens.messages import DatabaseStatusChanged, DatabaseTrouble, Host, ReadyForKeys
from overload_tui.services.logbook import Logbook, LogbookView
from overload_tui.services.plan import DONE, NEXT, PlanRow, planned_info_unit
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.dialogs import parse_when
from overload_tui.widgets.exercise_picker import ExercisePickerScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.plate_calc import PlateCalculator
from overload_tui.widgets.rest_timer import RestTimer
from overload_tui.widgets.screen_style import StyledOnce
from overload_tui.widgets.set_box import SetBox
from overload_tui.widgets.set_table import EntryList, SetRow, SetTable

PLACEHOLDER = "weight x reps (60x8), or a name: F1"
PLACEHOLDERS = {  # what a set of the exercise looks like, when there is no set to show
    ExerciseKind.REPS_ONLY: "reps (15), or a name: F1",
    ExerciseKind.WEIGHTED: "bw+20x8 or x8, or a name: F1",
    ExerciseKind.ASSISTED: "bw-30x8 or x8, or a name: F1",
    ExerciseKind.TIME: "a time (60s, 1:30), or a name: F1",
    ExerciseKind.DISTANCE: "2000m 7:30 or 5km 25:00, or a name: F1",
}
KIND_LABELS = {ExerciseKind.REPS_ONLY: "reps", ExerciseKind.WEIGHTED: "bw + load", ExerciseKind.ASSISTED: "bw − assist",
               ExerciseKind.TIME: "timed", ExerciseKind.DISTANCE: "distance"}


class SessionScreen(StyledOnce, Screen[None]):
    app: Host

    BINDINGS = [
        # Shown first, and only while sets wait for the database (check_action).
        Binding("ctrl+y", "resend", "Resend", tooltip="Send the sets the database has not confirmed"),
        Binding("ctrl+s", "finish", "Finish", tooltip="Finish the workout and go back"),
        Binding("ctrl+g,escape", "back", "Back", tooltip="Back to the dashboard (the workout stays open)"),
        Binding("ctrl+n", "notes", "Notes", tooltip="The workout's notes"),
        Binding("ctrl+o", "date", "Date", tooltip="Change the workout's date (back-filling)"),
        Binding("ctrl+e", "browse", "Exercises", tooltip="Browse the exercises, or create one"),
    ]

    AUTO_FOCUS = "SetBox"
    DEFAULT_CSS = """
    #next-line { height: auto; max-height: 4; }
    """
    # repaint=False: each widget redraws what changed; a repaint of the whole screen on every view
    # sent ~13 kB down the link per logged set.
    view: reactive[LogbookView | None] = reactive(None, always_update=True, init=False, repaint=False)

    def __init__(self, logbook: Logbook, view: LogbookView) -> None:
        """``logbook``: the workout, opened on the database thread (``view``: what it showed then).
        The logbook is only ever called on the database thread (``self.call``)."""
        super().__init__()
        self.logbook = logbook
        self._first = view
        self._rest_seq = view.rest.seq if view.rest else 0
        self._help_seq = view.help_seq
        self._shown: dict[str, object] = {}  # what each line shows, to skip redrawing the same

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="session-notes", markup=False)
        entries, table = EntryList(id="entries"), SetTable(id="sets")
        entries.can_focus = table.can_focus = False  # the set box keeps the focus; a click still chooses
        with Horizontal(id="session-body"):
            yield entries
            with Vertical(id="entry-pane"):
                yield Static(id="entry-title", markup=False)
                yield Static(id="entry-notes", markup=False)
                yield Static(id="last-time", markup=False)
                yield Static(id="next-line", markup=False)
                yield table
                with Horizontal(id="aids"):
                    yield RestTimer(id="rest")
                    yield PlateCalculator(settings=self.logbook.settings, id="plates")  # opened: read, never changed
                with Horizontal(id="set-row"):
                    yield Label("Set 1", id="set-prompt")
                    yield SetBox(id="set-input")
                    yield Label("", id="set-unit")
                yield Static(id="set-message", markup=False)
            yield Static(id="history", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#entries").border_title = "Exercises"
        self.query_one("#history").border_title = "Recent"
        self.set_focus(self.box)
        self.watch(self.app, "db_online", self._database_answers, init=False)
        self.view = self._first
        self.call(self.logbook.exercise_names, then=self.box.set_names)

    def on_screen_resume(self) -> None:
        self.post_message(ReadyForKeys())  # the keys typed while the workout opened

    @on(Input.Changed, "SetBox")
    def _typed(self, event: Input.Changed) -> None:
        view = self.view
        self.query_one("#plates", PlateCalculator).show_text(event.value or (view.prefill if view else ""))

    @property
    def session_id(self) -> int:
        return self.logbook.session_id

    @property
    def box(self) -> SetBox:
        return self.query_one(SetBox)

    def call(self, job: Callable[[], Any], then: Callable[[Any], Any] | None = None) -> None:
        """Run ``job`` on the database thread (after every call queued before it); ``then`` gets
        the answer, or a view is drawn. An error the logbook did not catch is said on the status
        line."""
        self.app.call_service(job, on_done=self._answer(then), on_error=self._failed)

    def _answer(self, then: Callable[[Any], Any] | None) -> Callable[[Any], None]:
        def done(answer: Any) -> None:
            if not self.is_attached:
                return
            if then is not None:
                then(answer)
            elif isinstance(answer, LogbookView):
                self.view = answer

        return done

    def _failed(self, error: OverloadError) -> None:
        if self.is_attached:
            self._message(str(error), error=True)

    # -- what the lifter does -------------------------------------------------------------------
    @on(SetBox.Line)
    def _line(self, event: SetBox.Line) -> None:
        logbook, text = self.logbook, event.text
        self.call(lambda: logbook.submit(text))

    @on(SetBox.Act)
    def _act(self, event: SetBox.Act) -> None:
        logbook, arg = self.logbook, event.argument
        jobs: dict[str, Callable[[], LogbookView]] = {
            "exercise": lambda: logbook.step_exercise(arg),  # type: ignore[arg-type]
            "unit": logbook.cycle_unit,
            "rest_more": logbook.rest_more,
            "rows": lambda: logbook.rows_mode(bool(arg)),
            "cursor": lambda: logbook.move_cursor(arg),  # type: ignore[arg-type]
            "mark": lambda: logbook.mark_cursor(arg),
            "edit": logbook.edit_cursor,
            "delete": logbook.delete_cursor,
            "move": lambda: logbook.move_set(arg),  # type: ignore[arg-type]
        }
        self.call(jobs[event.name])

    @on(EntryList.Highlighted, "#entries")
    def _exercise_clicked(self, event: EntryList.Highlighted) -> None:
        logbook, entry_id = self.logbook, int(event.row.id)
        self.call(lambda: logbook.choose(entry_id))

    @on(SetTable.Highlighted, "#sets")
    @on(SetTable.RowSelected, "#sets")
    def _set_clicked(self, event: SetTable.Highlighted) -> None:
        logbook, row = self.logbook, event.index
        self.box.set_rows_mode(True)
        self.call(lambda: logbook.rows_mode(True, row))

    def on_database_status_changed(self, event: DatabaseStatusChanged) -> None:
        self._database_answers(event.online)

    def _database_answers(self, online: bool) -> None:
        """The database is back (or answered after a blip): send the sets that waited."""
        if online and self.view is not None and self.view.pending:
            self.call(self.logbook.resend)

    def action_resend(self) -> None:
        self.call(self.logbook.resend)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resend":  # the key shows only while sets wait for the database
            return bool(self.view and self.view.pending)
        return True

    def action_browse(self) -> None:
        logbook = self.logbook

        def picked(exercise: ExerciseInfo | None) -> None:
            if exercise is not None:
                self.call(lambda: logbook.add_exercise(exercise.id))

        self.app.push_screen(ExercisePickerScreen(), picked)

    def action_notes(self) -> None:
        view, logbook = self.view, self.logbook
        if view is None:
            return
        field = FormField("notes", "", view.notes, type="notes")

        def save(values: dict[str, str]) -> LogbookView:
            answer = logbook.set_notes(values["notes"], workout=True)
            if answer.status.error:
                raise OverloadError(answer.status.text)
            return answer

        self.app.push_screen(FormDialog("Workout notes", [field], save), self._maybe_view)

    def action_date(self) -> None:
        view, logbook = self.view, self.logbook
        if view is None:
            return
        field = FormField("date", "Date and time (or: today, yesterday)", f"{view.date:%Y-%m-%d %H:%M}",
                          "2025-03-04 18:30")

        def save(values: dict[str, str]) -> LogbookView:
            answer = logbook.set_date(parse_when(values["date"], view.date, clock.now()))
            if answer.status.error:
                raise OverloadError(answer.status.text)
            return answer

        self.app.push_screen(FormDialog("When was this workout?", [field], save), self._maybe_view)

    def _maybe_view(self, view: LogbookView | None) -> None:
        if view is not None:
            self.view = view

    def action_finish(self) -> None:
        view, logbook = self.view, self.logbook
        if view is None:
            return
        if view.pending:
            self._message(f"{fmt.plural(view.pending, 'set')} not saved yet: ctrl+y sends them first.", error=True)
            return
        sets = sum(line.saved for line in view.exercises)
        if not sets:
            def discard(yes: bool | None) -> None:
                if yes:
                    self.call(logbook.discard, then=lambda _: self.dismiss())

            self.app.push_screen(ConfirmScreen("No sets were logged. Discard this workout?", yes="Discard",
                                               no="Keep going"), discard)
            return

        def finish(yes: bool | None) -> None:
            if yes:
                self.call(logbook.finish, then=self._finished)

        self.app.push_screen(ConfirmScreen(f"Finish this workout ({fmt.plural(sets, 'set')})?", yes="Finish",
                                           no="Keep going"), finish)

    def _finished(self, view: LogbookView) -> None:
        self.app.notify(view.status.text, markup=False)
        self.dismiss()

    def action_back(self) -> None:
        """Back to the dashboard, the workout left open to resume (an empty one started by
        mistake is not kept)."""
        view, logbook = self.view, self.logbook
        if view is not None and view.pending:
            def leave(yes: bool | None) -> None:
                if yes:
                    self.call(logbook.drop_pending, then=lambda _: self.dismiss())

            n = view.pending
            question = (f"{fmt.plural(n, 'set')} could not be saved yet. "
                        f"Leave and lose {'it' if n == 1 else 'them'}?")
            self.app.push_screen(ConfirmScreen(question, yes="Leave", no="Stay"), leave)
            return
        self.call(logbook.discard_if_empty, then=lambda _: self.dismiss())

    # -- drawing ----------------------------------------------------------------------------------
    def watch_view(self, old: LogbookView | None, view: LogbookView | None) -> None:
        if view is None or (old is not None and view.version < old.version):
            return
        self.title = view.title
        self.sub_title = fmt.day_time(view.date, clock.now()) + (" · done" if view.finished else "")
        self._show("#session-notes", bool(view.notes))
        self._put("#session-notes", Text("Notes: " + view.notes, overflow="ellipsis", no_wrap=True), layout=False)
        if old is None or (old.exercises, old.selected) != (view.exercises, view.selected):
            self._draw_exercises(view)
        self._draw_exercise(view)
        self._draw_box(view)
        self._carry_out(view)
        if old is None or old.pending != view.pending:
            self.refresh_bindings()  # ctrl+y shows while sets wait
        if view.offline and (old is None or not old.offline):
            self.post_message(DatabaseTrouble())  # the app checks it, and says when it answers
        if view.records_due:
            self.call(self.logbook.check_records)

    def _draw_exercises(self, view: LogbookView) -> None:
        entries = self.query_one("#entries", EntryList)
        options = []
        for i, line in enumerate(view.exercises, 1):
            text = Text(f"{i}. ", style="dim")
            text.append(line.name)
            if line.planned:
                text.append(f" {line.saved}/{line.planned}", style="bold" if line.saved else "dim")
            elif line.saved:
                text.append(f" {line.saved}", style="bold")
            if line.pending:
                text.append(f" +{line.pending}", style="bold italic")
            options.append((str(line.entry_id), text))
        with entries.prevent(EntryList.Highlighted):  # a redraw, not the lifter's choice
            entries.show_options(options)
            if view.selected is not None and entries.highlighted != view.selected:
                entries.highlighted = view.selected

    def _draw_exercise(self, view: LogbookView) -> None:
        table = self.query_one("#sets", SetTable)
        ex = view.exercise
        if ex is None:
            self._put("#entry-title", Text("No exercises yet: type one's name and Enter (squat, bench...).",
                                            style="bold"), layout=False)
            self._show("#entry-notes", False)
            self._put("#last-time", "")
            self._show("#next-line", False)
            table.show_rows([])
            self._draw_history(view)
            return
        heading = Text(ex.name, style="bold")
        heading.append(f"  {KIND_LABELS.get(ex.kind, fmt.unit_label(view.unit))}", style="dim")
        self._put("#entry-title", heading, layout=False)
        self._show("#entry-notes", bool(view.entry_notes))
        self._put("#entry-notes", Text(view.entry_notes, style="italic", overflow="ellipsis", no_wrap=True),
                  layout=False)
        self._put("#last-time", self._last_time(view))
        next_line = self._next_line(view)
        self._show("#next-line", bool(next_line))
        self._put("#next-line", next_line)
        # A set filling a planned row keeps that row's key: ticking a row redraws it alone.
        keys = {r.logged: f"plan{r.index}" for r in view.plan if r.state == DONE}
        rows = [SetRow(keys.get(i, r.key), r.number, r.info, record=bool(r.records), unsent=r.pending, kind=ex.kind)
                for i, r in enumerate(view.rows)]
        rows += self._planned_rows(view, len(rows))
        coming = next((i for i, row in enumerate(rows) if row.planned == NEXT), None)
        table.show_kind(ex.kind)
        before = table.row_count
        with table.prevent(SetTable.Highlighted, SetTable.RowSelected):
            table.show_rows(rows)
            if view.cursor is not None:
                table.move_cursor(row=view.cursor)
            elif coming is not None:  # the next planned set in sight (the cursor is not drawn while typing)
                table.move_cursor(row=coming)
            elif len(rows) > before:  # the new set in sight; no cursor to move while typing
                table.scroll_end(animate=False, immediate=True)
        table.set_class(view.cursor is not None, "-rows")
        plates = ex.equipment if ex.kind is ExerciseKind.WEIGHT_REPS else None  # plates: a barbell's load only
        self.query_one("#plates", PlateCalculator).set_exercise(plates, view.unit)
        self._draw_history(view)

    @staticmethod
    def _planned_rows(view: LogbookView, logged: int) -> list[SetRow]:
        """The planned rows not logged yet, in the plan's order, numbered after the sets logged."""
        kind = view.exercise.kind if view.exercise else ExerciseKind.WEIGHT_REPS
        rows, number = [], logged
        for r in view.plan:
            if r.state == DONE:
                continue
            number += r.state != "skipped"
            rows.append(SetRow(f"plan{r.index}", number, _planned_info(r, view.unit), kind=kind,
                               planned=r.state, amrap=r.planned.amrap))
        return rows

    @staticmethod
    def _next_line(view: LogbookView) -> Text:
        """What comes next: the next planned set (its place in the plan, why that weight, the
        rule), else the progression's suggestion. Wrapped, never cut: it fits 45 columns."""
        kind = view.exercise.kind if view.exercise else None
        line = Text()
        row = next((r for r in view.plan if r.state == NEXT), None)
        if row is not None:
            p = row.planned
            line.append("Next: ", style="dim")
            line.append(fmt.set_short(_planned_info(row, view.unit), kind) + ("+" if p.amrap else ""), style="bold")
            if p.set_type:
                line.append(f" {_TYPE_WORDS.get(p.set_type, p.set_type)}")
            planned = sum(1 for r in view.plan if r.state != "skipped")
            line.append(f" (set {sum(1 for r in view.plan if r.state == DONE) + 1} of {planned})", style="dim")
            for extra in (p.explanation if not p.set_type else None, view.plan_note, view.plan_rule):
                if extra:
                    line.append(f" · {' '.join(extra.split())}", style="dim")
            return line
        if (s := view.suggestion) is not None:
            line.append("Next: ", style="dim")
            line.append(fmt.set_short(SetInfo(0, 0, s.weight, s.reps, s.unit, duration_s=s.duration_s,
                                              distance_m=s.distance_m, distance_unit=s.distance_unit,
                                              display_unit=display_column(set_unit(s.unit, s.weight_unit))), kind))
            if s.sets:
                line.append(f" ({fmt.plural(s.sets, 'set')})")
            if s.rule:
                line.append(f" · {s.rule}", style="dim")
            if s.reason:
                line.append(f" · {s.reason}", style="dim")
        return line

    @staticmethod
    def _last_time(view: LogbookView) -> Text:
        """Last time: one line, cut with … when narrow (what comes next is ``_next_line``)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        last, kind = view.last, view.exercise.kind if view.exercise else None
        if not view.context_known:
            line.append("Last time: …", style="dim")
        elif last is None or not last.sets:
            line.append("Last time: first time", style="dim")
        else:
            line.append(f"Last {fmt.dated(last.date, view.date)}: ", style="dim")  # the year, when not this workout's
            line.append(fmt.sets_line(last.sets, kind))
        return line

    def _draw_history(self, view: LogbookView) -> None:
        """The wide-terminal side panel: this exercise's recent workouts, newest first."""
        if self._shown.get("recent") == (view.recent, view.context_known):
            return
        self._shown["recent"] = (view.recent, view.context_known)
        text = Text()
        kind = view.exercise.kind if view.exercise else None
        for h in view.recent:
            text.append(fmt.day(h.date), style="bold")
            best = _best_e1rm(h) if kind is ExerciseKind.WEIGHT_REPS else 0
            unit = view.unit if (view.unit is LoadUnit.STACKS) == (h.sets[-1].unit == Unit.STACKS) else h.sets[-1].load_unit
            text.append(f"  e1RM {fmt.number(round(from_stored(best, unit)))} {fmt.unit_label(unit)}\n" if best else "\n",
                        style="dim")
            text.append(fmt.sets_line(h.sets, kind) + "\n")
        if not text and view.context_known:
            text.append("No earlier workouts with this exercise.", style="dim")
        self._put("#history", text, layout=False)

    def _draw_box(self, view: LogbookView) -> None:
        box = self.box
        self._put("#set-prompt", view.prompt, layout=False)  # fixed widths: no layout
        ex = view.exercise
        unit = "reps" if ex and ex.kind is ExerciseKind.REPS_ONLY else fmt.unit_label(view.unit) if ex else ""
        self._put("#set-unit", unit, layout=False)
        planned = next((r.planned for r in view.plan if r.state == NEXT), None)
        marks = (f" {fmt.SET_TYPE_MARKS[planned.set_type].lower()}" if planned and planned.set_type in fmt.SET_TYPE_MARKS
                 else "")
        box.placeholder = (f"{view.prefill}{marks} (Enter logs it)" if view.prefill
                           else PLACEHOLDERS.get(ex.kind, PLACEHOLDER) if ex else "an exercise: squat, bench…")
        if view.cursor is None and box.rows_mode and not view.rows:
            box.set_rows_mode(False)  # nothing to choose from
        if view.edit_text:
            box.offer(view.edit_text)
        status = view.status
        if status.error and status.typed:
            box.offer(status.typed)  # back in the box to be fixed, unless typing went on since
        hint = ("Enter logs the planned set · skip · F1" if planned
                else "Enter logs the set shown · F1 for every command")
        self._message(status.text or hint, error=status.error)
        self.query_one("#plates", PlateCalculator).show_text(box.value or view.prefill)

    def _message(self, text: str, error: bool = False) -> None:
        self._put("#set-message", Text(text), layout=False)  # a fixed height: a repaint
        self.query_one("#set-message").set_class(error, "-error")

    def _put(self, selector: str, content: Text | str, *, layout: bool = True) -> None:
        """Update a line unless it shows that already (no redraw, no layout)."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector, Static).update(content, layout=layout)

    def _show(self, selector: str, shown: bool) -> None:
        """Show or hide a line (a change of ``display`` lays the screen out: only on a change)."""
        if self._shown.get(selector + ":display") is not shown:
            self._shown[selector + ":display"] = shown
            self.query_one(selector).display = shown

    def _carry_out(self, view: LogbookView) -> None:
        """The rest timer and the help panel, once per order."""
        rest = view.rest
        if rest is not None and rest.seq != self._rest_seq:
            self._rest_seq = rest.seq
            timer = self.query_one("#rest", RestTimer)
            if rest.stop:
                timer.stop()
            elif rest.relative:
                timer.adjust(rest.seconds)
            else:
                timer.start(rest.seconds)
        if view.help_seq != self._help_seq:
            self._help_seq = view.help_seq
            self.app.action_toggle_keys()


_TYPE_WORDS = {"warmup": "warm-up", "drop": "drop set", "failure": "to failure"}


def _planned_info(row: PlanRow, unit: LoadUnit) -> SetInfo:
    """A planned set drawn as a set: its target, in the exercise's unit."""
    p = row.planned
    stored, display = planned_info_unit(p, unit)
    return SetInfo(0, 0, p.weight or 0.0, p.reps or 1, stored, set_type=p.set_type, duration_s=p.duration_s,
                   distance_m=p.distance_m, display_unit=display)


def _best_e1rm(h: HistorySession) -> float:
    unit = h.sets[-1].unit if h.sets else Unit.KG
    return max((estimate_1rm(s.weight, s.reps) for s in h.sets
                if s.unit is unit and s.weight and is_trusted(s.reps)), default=0)
