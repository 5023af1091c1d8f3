"""Bring your history in (Strong, Hevy, FitNotes, overload's JSON backup) and take it out again.

``ImportScreen`` is the in-app ``overload import``: type a path (``~`` works; the right arrow takes
the completion shown), press Enter to *preview*: the file is read and checked on the database
thread and the report shown, nothing written. ctrl+s then imports exactly what was previewed, with
a progress bar. Rows the app refuses (877,777 reps...) are listed with their line numbers; importing
without them takes a confirmation (the CLI's ``--skip-invalid``). A file that cannot be read says
why, with its line number, under the path, and the typed path stays for fixing.

``ExportScreen`` writes a Strong CSV (in the lifter's unit: kg or lb; distances in km) or a JSON
backup (which import restores) to a path.

Keys work while typing in a box and inside tmux: ctrl+ letters and Enter, never plain letters, and
ctrl+g as well as Escape (which tmux delays) to go back. Every key is also in the palette (ctrl+p).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import Button, Header, Input, Label, ProgressBar, Select, Static

from overload_tui import clock
from overload_tui.domain.errors import OverloadError
from overload_tui.domain.units import WeightUnit, label
from overload_tui.services.transfer import (
    ImportFormatError,
    ImportPlan,
    ImportReport,
    InvalidRowsError,
    TransferService,
)
from overload_tui.domain.enums import ExerciseKind
from overload_tui.services.transfer.report import (
    KIND_WORDS,
    body_weights_line,
    counts_line,
    kinds_line,
    off_kind_line,
    plural,
    settings_line,
)
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_input import InOrderInput
from overload_tui.screens.messages import Host

from overload_tui.widgets.service_screen import BindingCommands
from overload_tui.widgets.screen_style import StyledOnce

IMPORT_FORMATS: list[tuple[str, str]] = [
    ("Detect", "auto"),
    ("Strong", "strong"),
    ("Hevy", "hevy"),
    ("FitNotes", "fitnotes"),
    ("JSON backup", "json"),
]
IMPORT_UNITS: list[tuple[str, str]] = [("auto", "auto"), ("kg", "kg"), ("lbs", "lbs")]
def export_formats(unit: WeightUnit = WeightUnit.KG) -> list[tuple[str, str]]:
    """The export choices, the Strong CSV's in the lifter's unit: 'Strong CSV (lb, km)'."""
    return [(f"Strong CSV ({label(unit)}, km)", "strong-csv"), ("JSON backup", "json")]


EXPORT_SUFFIX = {"strong-csv": ".csv", "json": ".json"}

MAX_LISTED = 100  # refused rows, problems and notes listed one by one before "... and N more"
PROGRESS_EVERY = 0.05  # seconds between progress bar updates from the database thread

HELP = (
    "Bring your history from Strong, Hevy or FitNotes (their CSV export) or from an overload "
    "JSON backup: every set comes in, weights, bodyweight moves, timed holds and cardio.\n\n"
    "Type the file's path above and press Enter: the file is read and checked and you see what "
    "would be imported. Nothing is written until you press ctrl+s (Import). Importing the same "
    "file again adds nothing.\n\n"
    "Format: Detect works for every export; Unit: Strong's export does not say whether weights "
    "are kg or lbs (auto reads them in your unit), the others do. Sets in pounds stay in pounds."
)


# -- text -----------------------------------------------------------------------------------------
def screen_words(text: str) -> str:
    """The service's notes name CLI options; on this screen they are the Unit choice."""
    return text.replace("use --unit ", "choose Unit: ").replace("--unit ", "Unit: ")


def path_from(value: str) -> Path | None:
    """The typed path with ``~`` expanded; quotes from a drag-and-drop or a shell copy dropped."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return Path(text).expanduser() if text else None


def lines_list(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def what(report: ImportReport) -> str:
    """'15 workouts, 250 sets' (+ templates and new exercises when there are any)."""
    parts = [plural(report.workouts, "workout"), plural(report.sets, "set")]
    if report.templates:
        parts.append(plural(report.templates, "template"))
    return ", ".join(parts)


def report_text(report: ImportReport) -> Text:
    """The import report for the screen: what would be written and the refused rows first (what
    the user must decide on), then how the file was read; every name from the file literally
    (never markup), short lines that wrap well at 45 columns."""
    t = Text()
    t.append(report.source, style="bold")
    t.append(f"\n{counts_line(report)}", style="bold")
    lines = ((kinds_line(report), ""), (off_kind_line(report), "yellow"), (body_weights_line(report), ""),
             (settings_line(report), ""))
    for line, style in lines:
        if line:
            t.append(f"\n{line}", style=style)
    if report.duplicate_workouts:
        t.append(
            f"\nAlready in your log, left alone: {plural(report.duplicate_workouts, 'workout')} "
            f"({plural(report.duplicate_sets, 'set')})."
        )
    if report.duplicate_templates:
        t.append(f"\nTemplates already there (same name), left alone: {report.duplicate_templates:,}.")
    if report.empty_workouts:
        t.append(f"\nWorkouts with no sets, not imported: {report.empty_workouts:,}.")

    if report.invalid:
        rows = report.invalid
        if report.written or report.skip_invalid:
            head = f"\n\n{plural(len(rows), 'row')} left out (refused by the app's limits):"
        else:
            head = f"\n\n{plural(len(rows), 'row')} refused by the app's limits:"
        t.append(head, style="bold red")
        for row in rows[:MAX_LISTED]:
            t.append(f"\n  {row.where}: ", style="bold")
            t.append(row.exercise)
            t.append(f": {row.reason}")
        if len(rows) > MAX_LISTED:
            t.append(f"\n  … and {len(rows) - MAX_LISTED:,} more")

    if report.warnings:  # what the reader found odd, with its lines: worth a look before importing
        t.append(f"\n\nNotes ({len(report.warnings)}):", style="bold yellow")
        for w in report.warnings[:MAX_LISTED]:
            t.append(f"\n  {screen_words(w)}")
        if len(report.warnings) > MAX_LISTED:
            t.append(f"\n  … and {len(report.warnings) - MAX_LISTED:,} more")

    t.append(f"\n\n{report.variant}", style="dim")
    if report.unit_note:
        t.append(f"\nUnit: {screen_words(report.unit_note)}")
    t.append(f"\nRead {report.rows:,} {'sessions' if report.format == 'json' else 'data rows'}.")
    if report.skipped:
        n = report.skipped_rows
        t.append(f"\nSkipped {plural(n, 'row')} ({'not a set' if n == 1 else 'not sets'}):")
        width = max(len(f"{s.count:,}") for s in report.skipped)
        for s in report.skipped:
            t.append(f"\n  {s.count:>{width},}  {s.label}")

    if report.mappings:
        t.append("\n\nExercises (in the file → in overload):", style="bold")
        for m in report.mappings:
            t.append("\n  ")
            t.append(m.file_name)
            if m.is_new:
                t.append(" → new custom exercise", style="italic")
                if m.target != m.file_name:
                    t.append(" ")
                    t.append(m.target)
                kind = "" if m.kind in (None, ExerciseKind.WEIGHT_REPS) else f", {KIND_WORDS[m.kind]}"
                t.append(f" ({m.category.value}{kind}", style="dim")
                t.append(f"; {m.note})" if m.note else ")", style="dim")
            elif m.target != m.file_name:
                how = m.how.removeprefix("catalogue (").removesuffix(")") if m.how.startswith("catalogue (") else m.how
                t.append(" → ")
                t.append(m.target)
                t.append(f" ({how})", style="dim")
            t.append(f" · {plural(m.sets, 'set')}", style="dim")
            if m.off_kind:
                t.append(f" ({m.off_kind:,} not {KIND_WORDS[m.kind or ExerciseKind.WEIGHT_REPS]})", style="yellow")


    if not report.written:
        t.append("\n\nNothing written yet.", style="italic")
    return t


def _nothing_imported(error: OverloadError) -> str:
    """The failure of an import, saying that nothing was imported: the importer's own errors say
    it already (by their class, not their words); anything else (the database...) gets it added."""
    if isinstance(error, (ImportFormatError, InvalidRowsError)):
        return str(error)
    return f"Nothing was imported: {error}"


def problems_text(error: ImportFormatError) -> Text:
    """Every (line, reason) the reader found before it stopped, one a line."""
    t = Text()
    t.append("The file cannot be imported", style="bold")
    if error.source:
        t.append(": ")
        t.append(error.source)
    t.append("\n")
    for line, reason in error.problems[:MAX_LISTED]:
        t.append(f"\n  line {line}: " if line is not None else "\n  ", style="bold")
        t.append(reason)
    if len(error.problems) > MAX_LISTED:
        t.append(f"\n  … and {len(error.problems) - MAX_LISTED:,} more")
    t.append("\n\nNothing was imported. Fix the file (or choose its format), then press Enter.")
    return t


# -- path completion ----------------------------------------------------------------------------
def complete_path(value: str) -> str | None:
    """What was typed plus the rest of the first entry of its folder that starts with it
    (folders end in /). ``~`` stays as typed; hidden entries only once a dot is typed."""
    if not value or "\n" in value:
        return None
    head, slash, stem = value.rpartition("/")
    if slash:
        folder = Path(head).expanduser() if head else Path("/")
    elif value.startswith("~"):
        return None  # "~" or "~user": not completed
    else:
        folder = Path(".")
    names: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for i, entry in enumerate(entries):
                if i >= 5000:
                    break
                name = entry.name
                if name.startswith(stem) and name != stem and (stem.startswith(".") or not name.startswith(".")):
                    names.append((name, entry.is_dir()))
    except OSError:
        return None
    if not names:
        return None
    name, is_dir = min(names)
    return f"{value}{name[len(stem):]}{'/' if is_dir else ''}"


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name; the right arrow (or End) takes it."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)


# -- database-thread jobs -----------------------------------------------------------------------
def export_to(svc: TransferService, fmt: str, path: Path) -> str:
    """Export the user's log to ``path``; the summary for the screen. Runs on the database thread."""
    return svc.export_to(fmt, path)


# -- the import screen --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Request:
    """What a preview was made for: the plan is only imported while these are unchanged."""

    path: Path
    fmt: str
    unit: str | None


class ImportScreen(StyledOnce, Screen[None]):
    """Path, preview (plan: nothing written), confirm, import with a progress bar, result."""

    app: Host

    TITLE = "Import"
    CSS_PATH = "import_screen.tcss"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        # In this order so that 45 columns still show Import, Preview and Back.
        Binding("ctrl+s", "import_file", "Import", tooltip="Import what the preview shows"),
        Binding("ctrl+r", "preview", "Preview", tooltip="Read the file and show what would be imported"),
        Binding("ctrl+g,escape", "back", "Back", key_display="^g"),
        Binding("ctrl+o", "export", "Export", tooltip="Export your log to a file"),
        Binding("pageup", "scroll_report(-1)", "Report up", show=False),
        Binding("pagedown", "scroll_report(1)", "Report down", show=False),
    ]

    class Progress(Message):
        """Sets written so far, posted from the database thread."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.plan: ImportPlan | None = None
        self.request: Request | None = None  # what ``plan`` was made for
        self.busy: str | None = None  # "reading" or "importing"
        self.result: ImportReport | None = None  # the last import's report
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-form"):
            with Horizontal(classes="import-row"):
                yield Label("File", classes="import-label")
                yield InOrderInput(
                    self.initial_path,
                    placeholder="~/Downloads/strong.csv",
                    id="import-path",
                    suggester=PathSuggester(),
                    select_on_focus=False,  # back after an error: the cursor at the end, to fix it
                    compact=True,
                )
            with Horizontal(classes="import-row"):
                yield Label("Format", classes="import-label")
                yield Select(IMPORT_FORMATS, value="auto", allow_blank=False, id="import-format", compact=True)
                yield Label("Unit", id="import-unit-label")
                yield Select(IMPORT_UNITS, value="auto", allow_blank=False, id="import-unit", compact=True)
            with Horizontal(classes="import-row", id="import-buttons"):
                yield Button("Preview", id="import-preview", compact=True)
                yield Button("Import", id="import-go", variant="primary", compact=True, disabled=True)
        yield Static(Text("Type a path and press Enter to preview."), id="import-status")
        yield ProgressBar(id="import-progress", show_eta=False)
        with VerticalScroll(id="import-report-scroll"):
            yield Static(Text(HELP), id="import-report")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = self.app.user.username if self.app.user else ""
        self.query_one("#import-path", Input).focus()

    # -- state ----------------------------------------------------------------------------------
    def current_request(self) -> Request | None:
        path = path_from(self.query_one("#import-path", Input).value)
        if path is None:
            return None
        fmt = str(self.query_one("#import-format", Select).value)
        unit = str(self.query_one("#import-unit", Select).value)
        return Request(path, fmt, None if unit == "auto" else unit)

    @property
    def ready(self) -> bool:
        """A plan is shown for exactly what the boxes say, with something new in it."""
        return (
            self.busy is None
            and self.plan is not None
            and self.plan.can_commit
            and self.request == self.current_request()
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("preview", "import_file", "export"):
            return self.busy is None or None  # greyed out while reading or importing
        return True

    def _refresh_controls(self) -> None:
        busy = self.busy is not None
        self.query_one("#import-preview", Button).disabled = busy
        go = self.query_one("#import-go", Button)
        go.disabled = not self.ready
        refused = len(self.plan.report.invalid) if self.plan is not None else 0
        go.label = f"Import without {refused} refused" if refused and self.ready else "Import"
        # The boxes stay enabled while importing (the plan being written is fixed): disabling them
        # would move the focus away, and a path typed straight after would be lost.
        self.refresh_bindings()

    def status(self, text: str | Text, kind: str = "") -> None:
        """The line under the form, where the user looks: ``kind`` is '', 'ok', 'warn' or 'error'."""
        status = self.query_one("#import-status", Static)
        status.update(text if isinstance(text, Text) else Text(text))
        for name in ("ok", "warn", "error"):
            status.set_class(kind == name, f"-{name}")

    def show_report(self, text: Text) -> None:
        self.query_one("#import-report", Static).update(text)
        self.query_one("#import-report-scroll", VerticalScroll).scroll_home(animate=False)

    def _show_progress(self, total: float | None, progress: float = 0) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=total, progress=progress)
        bar.display = True

    def _hide_progress(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False

    @on(Input.Changed, "#import-path")
    @on(Select.Changed)
    def _inputs_changed(self) -> None:
        if self.plan is not None and self.busy is None and self.request != self.current_request():
            self.plan = None
            self.status("Changed since the preview: press Enter to preview again.")
        self._refresh_controls()

    # -- preview --------------------------------------------------------------------------------
    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def action_preview(self) -> None:
        if self.busy is not None or self.app.user is None:
            return
        request = self.current_request()
        if request is None:
            self.status("Type the path of the file to import first.", "error")
            self.query_one("#import-path", Input).focus()
            return
        self.busy = "reading"
        self.plan = None
        self._generation += 1
        generation = self._generation
        self.status(Text(f"Reading {request.path.name}…"))
        self._show_progress(None)
        self._refresh_controls()
        svc = TransferService(self.app.services.db, self.app.user.id)
        self.app.call_service(
            svc.plan_import,
            request.path,
            fmt=request.fmt,
            unit=request.unit,
            on_done=lambda plan: self._planned(generation, request, plan),
            on_error=lambda error: self._plan_failed(generation, error),
        )

    def _planned(self, generation: int, request: Request, plan: ImportPlan) -> None:
        if not self.is_attached or generation != self._generation:
            return
        self.busy = None
        self._hide_progress()
        self.show_report(report_text(plan.report))
        self.plan, self.request = plan, request
        report = plan.report
        if request != self.current_request():
            self.plan = None
            self.status("Changed while reading: press Enter to preview again.")
        elif not plan.can_commit:
            already = (
                f" {plural(report.duplicate_workouts, 'workout')} of it already in your log."
                if report.duplicate_workouts
                else ""
            )
            self.status(f"Nothing new to import.{already}", "warn")
        elif report.invalid:
            lines = [r.line for r in report.invalid if r.line is not None]
            where = f" ({lines_list(lines)})" if lines else ""
            self.status(
                f"{plural(len(report.invalid), 'row')} refused{where}: ctrl+s imports the rest "
                f"({what(report)}) without them, after you confirm.",
                "warn",
            )
        else:
            notes = f" ({plural(len(report.warnings), 'note')} below)" if report.warnings else ""
            self.status(f"Ready: {what(report)}. Press ctrl+s to import{notes}.", "ok")
        self._refresh_controls()

    def _plan_failed(self, generation: int, error: OverloadError) -> None:
        if not self.is_attached or generation != self._generation:
            return
        self.busy = None
        self._hide_progress()
        self.plan = None
        self.status(Text(str(error)), "error")
        if isinstance(error, ImportFormatError) and any(line is not None for line, _ in error.problems):
            self.show_report(problems_text(error))
        box = self.query_one("#import-path", Input)
        box.focus()
        box.cursor_position = len(box.value)
        self._refresh_controls()

    # -- import ---------------------------------------------------------------------------------
    def action_import_file(self) -> None:
        if self.busy is not None:
            return
        if self.plan is None or self.request != self.current_request():
            # Nothing is written that the user has not seen: read it first, import on the next ctrl+s.
            self.action_preview()
            return
        plan = self.plan
        if not plan.can_commit:
            self.status("Nothing new to import.", "warn")
            return
        if not plan.report.invalid:
            self._commit(plan, skip_invalid=False)
            return
        rows = plan.report.invalid
        lines = [r.line for r in rows if r.line is not None]
        where = f" ({lines_list(lines)})" if lines else ""

        def answered(yes: bool | None) -> None:
            if yes and self.plan is plan and self.busy is None:
                self._commit(plan, skip_invalid=True)
            elif not yes:
                self.status("Nothing imported. Fix the refused rows in the file, or confirm leaving them out.", "warn")

        self.app.push_screen(
            ConfirmScreen(
                f"{plural(len(rows), 'row')} of {plan.source} hold values the app refuses{where}. "
                f"Import the rest ({what(plan.report)}) without them?",
                yes="Import without them",
                no="Cancel",
            ),
            answered,
        )

    def _commit(self, plan: ImportPlan, *, skip_invalid: bool) -> None:
        if self.app.user is None:
            return
        self.busy = "importing"
        total = plan.report.sets
        self.status(Text(f"Importing {plan.source}: {plural(total, 'set')}…"))
        self._show_progress(max(total, 1))
        self._refresh_controls()
        svc = TransferService(self.app.services.db, self.app.user.id)
        last = [0.0]

        def on_progress(done: int, total: int) -> None:  # on the database thread
            now = time.monotonic()
            if done >= total or now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                self.post_message(self.Progress(done, total))

        self.app.call_service(
            svc.commit_import,
            plan,
            skip_invalid=skip_invalid,
            on_progress=on_progress,
            on_done=self._imported,
            on_error=self._import_failed,
        )

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self.busy == "importing":
            self._show_progress(max(message.total, 1), message.done)

    def _imported(self, report: ImportReport) -> None:
        summary = f"Imported {what(report)} from {report.source}."
        if report.invalid:
            summary += f" Left out {plural(len(report.invalid), 'refused row')}."
        if report.duplicate_workouts:
            summary += f" {plural(report.duplicate_workouts, 'workout')} already there, left alone."
        if not self.is_attached:  # the user went back meanwhile: still say how it went
            self.app.notify(summary, title="Import", markup=False)
            return
        self.busy = None
        self.plan = None
        self.result = report
        self._show_progress(max(report.sets, 1), max(report.sets, 1))
        self._hide_progress()  # the status says it is done; the report keeps the room
        self.show_report(report_text(report))
        self.status(summary, "ok")
        self._refresh_controls()
        self.query_one("#import-path", Input).focus()  # ready for the next file

    def _import_failed(self, error: OverloadError) -> None:
        if not self.is_attached:
            self.app.notify(_nothing_imported(error), title="Import", severity="error", markup=False)
            return
        self.busy = None
        self._hide_progress()
        if isinstance(error, InvalidRowsError):
            text = f"{plural(len(error.report.invalid), 'row')} refused by the app's limits: nothing was imported."
        else:
            text = _nothing_imported(error)
        self.status(Text(text), "error")
        self._refresh_controls()
        self.query_one("#import-path", Input).focus()

    # -- buttons and other keys -----------------------------------------------------------------
    @on(Button.Pressed, "#import-preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-go")
    def _import_pressed(self) -> None:
        self.action_import_file()

    def action_scroll_report(self, direction: int) -> None:
        scroll = self.query_one("#import-report-scroll", VerticalScroll)
        (scroll.scroll_page_down if direction > 0 else scroll.scroll_page_up)(animate=False)

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


# -- the export dialog --------------------------------------------------------------------------
class ExportScreen(StyledOnce, ModalScreen[None]):
    """Choose Strong CSV or JSON backup and a path; the file is written whole or not at all."""

    app: Host

    CSS_PATH = "import_screen.tcss"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", tooltip="Write the file"),
        Binding("ctrl+g,escape", "close", "Close", key_display="^g"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.written: Path | None = None
        self.unit = WeightUnit.KG  # the lifter's, once read: what the Strong CSV is written in

    def default_path(self, fmt: str) -> str:
        return f"~/overload-{clock.now():%Y-%m-%d}{EXPORT_SUFFIX[fmt]}"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Text("Export your log"), id="export-title")
            with Horizontal(classes="import-row"):
                yield Label("Format", classes="import-label")
                yield Select(export_formats(), value="strong-csv", allow_blank=False, id="export-format", compact=True)
            with Horizontal(classes="import-row"):
                yield Label("File", classes="import-label")
                yield InOrderInput(
                    self.default_path("strong-csv"), id="export-path", suggester=PathSuggester(), compact=True
                )
            yield Static(self.hint("strong-csv"), id="export-hint")
            yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Close", id="export-close", compact=True)
        yield KeysFooter()

    @staticmethod
    def hint(fmt: str, unit: WeightUnit = WeightUnit.KG) -> Text:
        if fmt == "json":
            return Text("Everything you own (workouts, templates, custom exercises, body weights, units); "
                        "overload imports it back.")
        if unit is WeightUnit.LBS:
            return Text("Strong's CSV layout with a Weight Unit column, weights in lb, distances in km: "
                        "spreadsheets and other apps read it.")
        return Text("Strong's CSV layout, weights in kg, distances in km: spreadsheets and other apps read it.")

    def on_mount(self) -> None:
        box = self.query_one("#export-path", Input)
        box.focus()
        box.cursor_position = len(box.value)
        if self.app.user is not None:
            svc = TransferService(self.app.services.db, self.app.user.id)
            self.app.call_service(svc.weight_unit, on_done=self._unit_read, on_error=lambda error: None)

    def _unit_read(self, unit: WeightUnit) -> None:
        """The Strong CSV's label and hint in the lifter's unit (kg until it is read)."""
        if not self.is_attached or unit is self.unit:
            return
        self.unit = unit
        select = self.query_one("#export-format", Select)
        fmt = select.value
        select.set_options(export_formats(unit))
        select.value = fmt
        select.mutate_reactive(Select.value)  # the same value: its label is shown anew all the same
        self.query_one("#export-hint", Static).update(self.hint(str(fmt), unit))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return not self.busy or None
        return True

    def status(self, text: str, kind: str = "") -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(text))
        status.display = bool(text)
        for name in ("ok", "error"):
            status.set_class(kind == name, f"-{name}")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        fmt = str(event.value)
        self.query_one("#export-hint", Static).update(self.hint(fmt, self.unit))
        box = self.query_one("#export-path", Input)
        for other, suffix in EXPORT_SUFFIX.items():  # follow the format while the name is ours
            if other != fmt and box.value.endswith(suffix):
                box.value = box.value[: -len(suffix)] + EXPORT_SUFFIX[fmt]
                break

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        if self.busy or self.app.user is None:
            return
        path = path_from(self.query_one("#export-path", Input).value)
        if path is None:
            self.status("Type the path of the file to write.", "error")
            return
        if path.is_dir():
            self.status(f"{path} is a folder: add a file name.", "error")
            return
        if not path.parent.is_dir():
            self.status(f"There is no folder {path.parent}.", "error")
            return
        fmt = str(self.query_one("#export-format", Select).value)
        if path.exists():

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(fmt, path)

            self.app.push_screen(
                ConfirmScreen(f"{path} exists. Replace it?", yes="Replace", no="Keep it"), answered
            )
            return
        self._write(fmt, path)

    def _write(self, fmt: str, path: Path) -> None:
        if self.app.user is None:
            return
        self.busy = True
        self.refresh_bindings()
        self.query_one("#export-go", Button).disabled = True
        self.status(f"Writing {path.name}…")
        svc = TransferService(self.app.services.db, self.app.user.id)

        def done(summary: str) -> None:
            if not self.is_attached:
                self.app.notify(f"Exported {summary} to {path}.", title="Export", markup=False)
                return
            self._finished()
            self.written = path
            self.status(f"Exported {summary} to {path}.", "ok")

        def failed(error: OverloadError) -> None:
            if not self.is_attached:
                self.app.notify(str(error), title="Export", severity="error", markup=False)
                return
            self._finished()
            self.status(str(error), "error")

        self.app.call_service(export_to, svc, fmt, path, on_done=done, on_error=failed)

    def _finished(self) -> None:
        self.busy = False
        self.query_one("#export-go", Button).disabled = False
        self.refresh_bindings()


__all__ = ["ExportScreen", "ImportScreen", "complete_path", "export_to", "report_text"]
