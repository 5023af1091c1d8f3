"""Training programs: the built-in ones and the lifter's own, the next weeks of each with every
weight explained, editing a program's text in ``$EDITOR``, starting a program and its next day.

Every database call goes through ``run_service`` (the app's database thread). Program text,
names and errors are user text: always shown as plain ``Text``, never markup. Editing suspends
the app (``App.suspend``) while the editor runs on a temporary file, then checks the text:
errors are listed at their lines, and ``e`` opens the editor again at the first one.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from overload_tui.domain.errors import OverloadError
from overload_tui.domain.programs import ProgramSyntaxError
from overload_tui.services.programs import ProgramService, ProgramSummary, render_dry_run
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce

BACK = Binding("q,escape,backspace,ctrl+g", "back", "Back", key_display="q")
WEEKS = 8
Editor = Callable[[Path, int], None]  # (file, line to open at) -> None, once the editor has quit


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi, split like a shell would."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


class ProgramsScreen(StyledOnce, ServiceCalls, Screen[None]):
    """The programs, and the next weeks of the one highlighted."""

    TITLE = "Programs"
    COMMANDS = {BindingCommands}
    DEFAULT_CSS = """
    ProgramsScreen #prog-main { height: 1fr; }
    ProgramsScreen #prog-list { width: 34; height: 1fr; border: none; }
    ProgramsScreen #prog-box { width: 1fr; height: 1fr; border-left: vkey $foreground 30%; padding: 0 1; }
    ProgramsScreen #prog-errors { display: none; height: auto; max-height: 12; padding: 0 1;
        background: $error 15%; }
    ProgramsScreen.-errors #prog-errors { display: block; }
    """
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("s", "start", "Start program"),
        Binding("d", "day", "Next day", tooltip="Start a workout for the running program's next day"),
        BACK,
    ]

    def __init__(self, editor: Editor | None = None) -> None:
        super().__init__()
        self.programs: list[ProgramSummary] = []
        self.editor: Editor = editor or self._run_editor
        self.errors: tuple[Any, ...] = ()
        self.draft: str | None = None  # text that did not check, edited again with e

    @property
    def service(self) -> ProgramService:
        return ProgramService(self.app.services.db, self.app.user.id)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="prog-errors")
        with Horizontal(id="prog-main"):
            yield OptionList(id="prog-list")
            with VerticalScroll(id="prog-box"):
                yield Static("Loading programs…", id="prog-view")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#prog-list", OptionList).focus()
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        current = select or (self.current.name if self.current else None)

        def show(programs: list[ProgramSummary]) -> None:
            self.programs = programs
            options = []
            for p in programs:
                prompt = Text(p.name, style="bold")
                kind = "running" if p.active else ("built-in" if p.builtin else "yours")
                prompt.append(f"\n{kind} · {p.cycle}", style="dim")
                options.append(Option(prompt, id=f"p{len(options)}"))
            option_list = self.query_one("#prog-list", OptionList)
            option_list.set_options(options)
            index = next((i for i, p in enumerate(programs) if p.name == current),
                         next((i for i, p in enumerate(programs) if p.active), 0))
            option_list.highlighted = index if programs else None
            self.refresh_bindings()
            self.show_weeks()

        self.run_service(self.service.list_programs, on_done=show)

    @property
    def current(self) -> ProgramSummary | None:
        option_list = self.query_one("#prog-list", OptionList)
        index = option_list.highlighted
        return self.programs[index] if index is not None and index < len(self.programs) else None

    @on(OptionList.OptionHighlighted, "#prog-list")
    def _highlighted(self) -> None:
        self.refresh_bindings()
        self.show_weeks()

    def show_weeks(self) -> None:
        program = self.current
        view = self.query_one("#prog-view", Static)
        if program is None:
            view.update("")
            return
        name = program.name
        view.update(Text(f"{name}\n\n{program.description}\n\nWorking out the next {WEEKS} weeks…"))

        def done(run: Any) -> None:
            if self.current is not None and self.current.name == name:
                view.update(Text(f"{program.description}\n\n{render_dry_run(run, width=76)}"))

        def failed(error: OverloadError) -> None:
            if self.current is not None and self.current.name == name:
                view.update(Text(f"{name}\n\n{program.description}\n\n{error}\n\n"
                                 "Press s to start it with your own starting weights."))

        self.run_service(self.service.dry_run, name, weeks=WEEKS, on_done=done, on_error=failed)

    def show_errors(self, errors: tuple[Any, ...]) -> None:
        self.errors = errors
        box = self.query_one("#prog-errors", Static)
        text = Text("The program was not saved. Press e to fix it:\n", style="bold")
        for issue in errors:
            where = f"line {issue.line}" + (f", column {issue.column}" if issue.column else "")
            text.append(f"{where}: ", style="bold")
            text.append(f"{issue.message}\n")
        box.update(text)
        self.set_class(bool(errors), "-errors")

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "start") and self.current is None:
            return None
        if action == "day" and not any(p.active for p in self.programs):
            return None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        program = self.current
        if program is None:
            return
        if self.draft is not None:
            self._edit(self.draft, self.errors[0].line if self.errors else 1)
            return
        self.run_service(self.service.source, program.name, on_done=lambda text: self._edit(text, 1))

    def _edit(self, text: str, line: int) -> None:
        with tempfile.TemporaryDirectory(prefix="overload-") as folder:
            path = Path(folder) / "program.txt"
            path.write_text(text, encoding="utf-8")
            try:
                self.editor(path, line)
            except OverloadError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            edited = path.read_text(encoding="utf-8")
        if edited == text and self.draft is None:
            self.notify("Nothing changed.", markup=False)
            return

        def saved(summary: ProgramSummary) -> None:
            self.draft = None
            self.show_errors(())
            self.notify(f"Saved {summary.name}.", markup=False)
            self.reload(select=summary.name)

        def failed(error: OverloadError) -> None:
            if isinstance(error, ProgramSyntaxError):
                self.draft = edited
                self.show_errors(error.errors)
            else:
                self.notify(str(error), severity="error", markup=False)

        self.run_service(self.service.save, edited, on_done=saved, on_error=failed)

    def _run_editor(self, path: Path, line: int) -> None:
        """$EDITOR on the file, the app suspended meanwhile."""
        from textual.app import SuspendNotSupported

        command = [*editor_command(), f"+{line}", str(path)]
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            raise OverloadError("This terminal cannot hand over to an editor: use 'overload program source' "
                                "and 'overload program save FILE'.") from None
        except OSError as error:
            raise OverloadError(f"Cannot run the editor {command[0]!r}: {error.strerror or error}.") from None

    def action_start(self) -> None:
        program = self.current
        if program is None:
            return
        name = program.name

        def started(summary: ProgramSummary | None) -> None:
            if summary is not None:
                self.notify(f"Started {summary.name}: press d for its first day.", markup=False)
                self.reload(select=summary.name)

        def ask_maxes(error: OverloadError) -> None:
            if getattr(error, "field", None) != "maxes":
                self.notify(str(error), severity="error", markup=False)
                return
            self.run_service(self.service.starting_maxes, name, {}, on_done=lambda _: None,
                             on_error=lambda _: self._maxes_form(name, started))

        def confirm(yes: bool | None) -> None:
            if yes:
                self.run_service(self.service.start, name, on_done=started, on_error=ask_maxes)

        self.app.push_screen(ConfirmScreen(f"Start {name} from its first day?", yes="Start", no="Not now"), confirm)

    def _maxes_form(self, name: str, started: Callable[[Any], None]) -> None:
        def lifts(source: str) -> None:
            from overload_tui.domain.programs import parse

            program = parse(source)
            names = list(program.lifts)
            fields = [FormField(f"max{i}", f"{lift} ({program.lifts[lift].max_label}), in your unit",
                                type="number") for i, lift in enumerate(names)]
            service = self.service

            def save(values: dict[str, str]) -> ProgramSummary:
                given = {}
                for i, lift in enumerate(names):
                    text = values.get(f"max{i}", "").strip()
                    if text:
                        given[lift] = float(text)
                return service.start(name, given)

            self.app.push_screen(FormDialog(f"Starting weights for {name}", fields, save, save_label="Start"),
                                 started)

        self.run_service(self.service.source, name, on_done=lifts)

    def action_day(self) -> None:
        def opened(session: Any) -> None:
            opener = getattr(self.app, "open_session", None)
            if callable(opener):
                opener(session.id)

        self.run_service(self.service.start_day, on_done=opened)
