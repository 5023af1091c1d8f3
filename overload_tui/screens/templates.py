"""Workout templates: list, create, rename/describe, delete, edit exercises and target sets, start.

``TemplatesScreen`` lists the templates (with a preview pane when the terminal is wide);
``TemplateEditorScreen`` edits one: its exercises (add, reorder, remove), their target sets
(weight x reps) and the progression rule each is judged by (shown under the exercise with where it
comes from; p sets this template's own and the exercise's). Every database call goes through ``app.call_service``; names are user text and
are always shown literally (rich ``Text``, never markup).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from overload_tui.domain.errors import OverloadError
from overload_tui.domain.progression import parse_rule
from overload_tui.domain.units import LoadUnit
from overload_tui.services.dto import EntryInfo, SetInfo, TemplateInfo, TemplateSummary
from overload_tui.services import format as fmt
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.exercise_select import ExerciseSelectScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce

WIDE = 96  # from this width the templates list shows a preview pane beside it

# Back: q or backspace (no Input on these screens), Escape (slow in tmux), ctrl+g (the app's "back").
BACK = Binding("q,escape,backspace,ctrl+g", "back", "Back", key_display="q")
MOVE = Binding.Group("Move", compact=True)


def open_session(screen: Screen, session_id: int) -> bool:
    """Open a workout in the app's logging screen; False (with a note) when the app has none."""
    opener = getattr(screen.app, "open_session", None)
    if callable(opener):
        opener(session_id)
        return True
    screen.notify("The workout logging screen is not available.", severity="warning")
    return False


def template_preview(tpl: TemplateInfo) -> Text:
    text = Text()
    text.append(tpl.name, style="bold")
    if tpl.description:
        text.append("\n")
        text.append(tpl.description, style="italic")
    if not tpl.entries:
        text.append("\n\nNo exercises yet.", style="dim")
    for entry in tpl.entries:
        text.append("\n\n")
        text.append(entry.exercise.name, style="bold")
        if entry.sets:
            for s in entry.sets:
                text.append(f"\n  {fmt.set_long(s, entry.exercise.kind)}")
        else:
            text.append("\n  no target sets", style="dim")
    return text


class TemplatesScreen(StyledOnce, ServiceCalls, Screen[None]):
    """The user's templates, A to Z."""

    TITLE = "Templates"
    CSS_PATH = "templates.tcss"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("s", "start", "Start workout"),
        Binding("r", "rename", "Rename"),
        Binding("x,delete", "delete", "Delete", key_display="x"),
        BACK,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[TemplateSummary] = []
        self.loaded = False
        self._preview_timer: Timer | None = None
        self._select_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tpl-main"):
            yield OptionList(id="tpl-list")
            with VerticalScroll(id="tpl-preview-box"):
                yield Static(id="tpl-preview")
        yield Static("Loading templates…", id="tpl-empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#tpl-list", OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded:  # back from the editor or a workout: names and counts may have changed
            self.reload()

    def size_classes(self, width: int, height: int) -> dict[str, bool]:
        return {**super().size_classes(width, height), "-roomy": width >= WIDE}

    # -- data ---------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self._select_id = select_id
        elif (current := self.current) is not None:
            self._select_id = current.id
        self.run_service(self.app.workouts.list_templates, on_done=self._show)

    def _show(self, templates: list[TemplateSummary]) -> None:
        self.templates = templates
        self.loaded = True
        option_list = self.query_one("#tpl-list", OptionList)
        options = []
        for tpl in templates:
            prompt = Text(tpl.name, style="bold")
            detail = fmt.plural(tpl.exercise_count, "exercise")
            if tpl.description:
                detail += " · " + " ".join(tpl.description.split())
            prompt.append("\n" + detail, style="dim")
            options.append(Option(prompt, id=str(tpl.id)))
        option_list.set_options(options)
        index = next((i for i, t in enumerate(templates) if t.id == self._select_id), 0)
        option_list.highlighted = index if templates else None
        empty = self.query_one("#tpl-empty", Static)
        empty.update(
            Text(
                "No templates yet. Press n to create one, or save a finished workout "
                "as a template from History."
            )
            if not templates
            else ""
        )
        self.set_class(not templates, "-empty")
        self.refresh_bindings()
        self._update_preview()

    @property
    def current(self) -> TemplateSummary | None:
        option = self.query_one("#tpl-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return next((t for t in self.templates if t.id == int(option.id)), None)

    @on(OptionList.OptionHighlighted, "#tpl-list")
    def _highlighted(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(0.1, self._update_preview)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#tpl-list")
    def _selected(self) -> None:
        self.action_edit()

    def _update_preview(self) -> None:
        preview = self.query_one("#tpl-preview", Static)
        tpl = self.current
        if tpl is None or not self.has_class("-roomy"):
            preview.update("")
            return

        def show(info: TemplateInfo) -> None:
            if self.current is not None and self.current.id == info.id:
                preview.update(template_preview(info))

        self.run_service(self.app.workouts.get_template, tpl.id, on_done=show, on_error=lambda e: None)

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "start", "rename", "delete") and self.current is None:
            return None  # shown greyed out: there is no template to act on
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_new(self) -> None:
        ws = self.app.workouts

        def save(values: dict[str, str]) -> TemplateInfo:
            return ws.create_template(values["name"], values["description"] or None)

        def created(info: TemplateInfo | None) -> None:
            if info is not None:
                self.reload(select_id=info.id)
                self.app.push_screen(TemplateEditorScreen(info.id))

        self.app.push_screen(
            FormDialog(
                "New template",
                [
                    FormField("name", "Name", placeholder="e.g. Push day", max_length=100),
                    FormField("description", "Description (optional)"),
                ],
                save,
                save_label="Create",
            ),
            created,
        )

    def action_edit(self) -> None:
        if (tpl := self.current) is not None:
            self.app.push_screen(TemplateEditorScreen(tpl.id))

    def action_rename(self) -> None:
        if (tpl := self.current) is not None:
            edit_template_details(self, tpl.id, tpl.name, tpl.description, lambda info: self.reload(info.id))

    def action_start(self) -> None:
        if (tpl := self.current) is not None:
            start_from_template(self, tpl.id)

    def action_delete(self) -> None:
        tpl = self.current
        if tpl is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(self.app.workouts.delete_template, tpl.id, on_done=lambda _: self._deleted(tpl))

        self.app.push_screen(
            ConfirmScreen(f"Delete the template “{tpl.name}”? Workouts you logged from it are kept."),
            answered,
        )

    def _deleted(self, tpl: TemplateSummary) -> None:
        index = next((i for i, t in enumerate(self.templates) if t.id == tpl.id), 0)
        remaining = [t for t in self.templates if t.id != tpl.id]
        self._select_id = remaining[min(index, len(remaining) - 1)].id if remaining else None
        self.notify(f"Deleted {tpl.name}", markup=False)
        self.reload(select_id=self._select_id)


def edit_template_details(
    screen: ServiceCalls, template_id: int, name: str, description: str | None, done: Any
) -> None:
    ws = screen.app.workouts  # type: ignore[attr-defined]

    def save(values: dict[str, str]) -> TemplateInfo:
        return ws.update_template(template_id, name=values["name"], description=values["description"] or None)

    def saved(info: TemplateInfo | None) -> None:
        if info is not None:
            done(info)

    screen.app.push_screen(  # type: ignore[attr-defined]
        FormDialog(
            "Rename / describe template",
            [
                FormField("name", "Name", value=name, max_length=100),
                FormField("description", "Description (optional)", value=description or ""),
            ],
            save,
        ),
        saved,
    )


def start_from_template(screen: ServiceCalls, template_id: int) -> None:
    ws = screen.app.workouts  # type: ignore[attr-defined]

    def started(session: Any) -> None:
        if not open_session(screen, session.id):  # type: ignore[arg-type]
            screen.notify(f"Started {session.name or 'a workout'}", markup=False)  # type: ignore[attr-defined]

    screen.run_service(lambda: ws.start_session(template_id=template_id), on_done=started)


class TemplateEditorScreen(StyledOnce, ServiceCalls, Screen[None]):
    """One template: its exercises in order, each with its target sets."""

    TITLE = "Edit template"
    CSS_PATH = "templates.tcss"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("a", "add_exercise", "Add exercise"),
        Binding("t", "add_set", "Add set"),
        Binding("e", "edit_set", "Edit set"),
        Binding("p", "rule", "Rule"),
        Binding("x,delete", "remove", "Remove", key_display="x"),
        Binding("K,shift+k,shift+up", "move(-1)", "Move up", key_display="K", group=MOVE),
        Binding("J,shift+j,shift+down", "move(1)", "Move down", key_display="J", group=MOVE),
        Binding("r", "rename", "Rename"),
        Binding("s", "start", "Start workout"),
        BACK,
    ]

    def __init__(self, template_id: int) -> None:
        super().__init__()
        self.template_id = template_id
        self.template: TemplateInfo | None = None
        self.rules: dict[int, Any] = {}  # entry id -> RuleInForce (services.progress)
        self._select: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tpl-heading")
        yield OptionList(id="tpl-entries")
        yield Static("", id="tpl-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#tpl-entries", OptionList).focus()
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        if select is not None:
            self._select = select
        elif (option := self.query_one("#tpl-entries", OptionList).highlighted_option) is not None:
            self._select = option.id
        self.run_service(self._read, on_done=self._shown, on_error=self._gone)

    def _read(self) -> tuple[TemplateInfo, dict[int, Any]]:
        """On the database thread: the template and the rule in force for each of its exercises."""
        tpl = self.app.workouts.get_template(self.template_id)
        rules = self.app.services.progress(self.app.user.id).template_rules(self.template_id)
        return tpl, rules

    def _shown(self, read: tuple[TemplateInfo, dict[int, Any]]) -> None:
        self.rules = read[1]
        self._show(read[0])

    def _gone(self, error: OverloadError) -> None:
        self.notify(str(error), severity="error", markup=False)
        self.dismiss()

    def _show(self, tpl: TemplateInfo) -> None:
        self.template = tpl
        self.sub_title = tpl.name
        heading = Text(tpl.name, style="bold")
        if tpl.description:
            heading.append("\n" + tpl.description, style="italic")
        self.query_one("#tpl-heading", Static).update(heading)
        options: list[Option] = []
        for number, entry in enumerate(tpl.entries, 1):
            prompt = Text(f"{number}. ", style="bold") + Text(entry.exercise.name, style="bold")
            if (rule := self.rules.get(entry.id)) is not None:
                prompt.append(f"\n    rule: {rule.short}", style="dim")
            options.append(Option(prompt, id=f"e{entry.id}"))
            for set_number, s in enumerate(entry.sets, 1):
                options.append(Option(Text(f"    set {set_number}: {fmt.set_long(s, entry.exercise.kind)}"), id=f"s{s.id}"))
            if not entry.sets:
                options.append(Option(Text("    no target sets: press t to add one", style="dim"), disabled=True))
        option_list = self.query_one("#tpl-entries", OptionList)
        option_list.set_options(options)
        index = next((i for i, o in enumerate(options) if self._select and o.id == self._select), None)
        if index is None:
            index = next((i for i, o in enumerate(options) if not o.disabled), None)
        option_list.highlighted = index
        self.query_one("#tpl-hint", Static).update(Text("No exercises yet. Press a to add one."))
        self.set_class(not tpl.entries, "-empty")
        self.refresh_bindings()

    # -- what the cursor is on ----------------------------------------------------------------
    def _cursor(self) -> tuple[EntryInfo | None, SetInfo | None]:
        option = self.query_one("#tpl-entries", OptionList).highlighted_option
        if option is None or option.id is None or self.template is None:
            return None, None
        kind, ident = option.id[0], int(option.id[1:])
        for entry in self.template.entries:
            if kind == "e" and entry.id == ident:
                return entry, None
            for s in entry.sets:
                if kind == "s" and s.id == ident:
                    return entry, s
        return None, None

    @on(OptionList.OptionHighlighted, "#tpl-entries")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#tpl-entries")
    def _selected(self) -> None:
        entry, s = self._cursor()
        if s is not None:
            self.action_edit_set()
        elif entry is not None:
            self.action_add_set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.template is None and action not in ("back",):
            return None
        entry, s = self._cursor()
        if action in ("add_set", "remove", "move", "rule") and entry is None:
            return None
        if action == "edit_set" and s is None:
            return None
        return True

    # -- actions ------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_add_exercise(self) -> None:
        ws = self.app.workouts

        def chosen(exercise: Any) -> None:
            if exercise is not None:
                self.run_service(
                    lambda: ws.add_entry(exercise.id, template_id=self.template_id),
                    on_done=lambda entry: self.reload(select=f"e{entry.id}"),
                )

        self.app.push_screen(ExerciseSelectScreen("Add an exercise to the template"), chosen)

    def _set_form(self, entry: EntryInfo, existing: SetInfo | None) -> None:
        previous = existing or (entry.sets[-1] if entry.sets else None)
        if previous is not None:
            self._open_set_form(entry, existing, previous, previous.load_unit)
        else:  # the exercise's unit: the lifter's, or one chosen for it
            self.run_service(self.app.workouts.exercise_unit, entry.exercise.id,
                             on_done=lambda unit: self._open_set_form(entry, None, None, unit))

    def _open_set_form(self, entry: EntryInfo, existing: SetInfo | None, previous: SetInfo | None,
                       unit: LoadUnit) -> None:
        ws = self.app.workouts

        def save(values: dict[str, str]) -> SetInfo:
            if existing is None:
                return ws.add_set(entry.id, values["weight"], values["reps"], unit)
            return ws.update_set(existing.id, weight=values["weight"], reps=values["reps"], unit=unit)

        def saved(result: SetInfo | None) -> None:
            if result is not None:
                self.reload(select=f"s{result.id}")

        self.app.push_screen(
            FormDialog(
                f"{'Edit' if existing else 'Add'} target set: {entry.exercise.name}",
                [
                    FormField("weight", f"Weight ({fmt.unit_label(unit)})",
                              value=fmt.number(previous.amount) if previous else "", type="number"),
                    FormField("reps", "Reps", value=str(previous.reps) if previous else "", type="integer"),
                ],
                save,
            ),
            saved,
        )

    def action_add_set(self) -> None:
        entry, _ = self._cursor()
        if entry is not None:
            self._set_form(entry, None)

    def action_edit_set(self) -> None:
        entry, s = self._cursor()
        if entry is not None and s is not None:
            self._set_form(entry, s)

    def action_rule(self) -> None:
        """The progression rule of the exercise under the cursor: this template's own, and the
        exercise's (used wherever a template has none). Blank clears one."""
        entry, _ = self._cursor()
        if entry is None or self.template is None:
            return
        rule = self.rules.get(entry.id)
        progress = self.app.services.progress(self.app.user.id)
        exercise_id, template_id = entry.exercise.id, self.template_id

        def save(values: dict[str, str]) -> Any:
            for text in (values["progression"], values["exercise"]):
                if text.strip():
                    parse_rule(text)  # a bad rule in either field: nothing saved
            progress.set_rule(exercise_id, values["exercise"].strip() or None)
            return progress.set_rule(exercise_id, values["progression"].strip() or None, template_id)

        def saved(result: Any) -> None:
            if result is not None:
                self.notify(f"{entry.exercise.name}: {result.label}", markup=False)
                self.reload(select=f"e{entry.id}")

        default = rule.default.text if rule is not None else "double 8-12"
        self.app.push_screen(
            FormDialog(
                f"Progression rule: {entry.exercise.name}",
                [
                    FormField("progression", "This template (blank: the exercise's rule)",
                              value=rule.template.text if rule is not None and rule.template else "",
                              placeholder="double 8-12 or linear 5", max_length=60),
                    FormField("exercise", f"This exercise everywhere (blank: your default, {default})",
                              value=rule.exercise.text if rule is not None and rule.exercise else "",
                              placeholder="double 8-12 or linear 5", max_length=60),
                ],
                save,
            ),
            saved,
        )

    def action_remove(self) -> None:
        entry, s = self._cursor()
        ws = self.app.workouts
        if s is not None:
            assert entry is not None
            index = entry.sets.index(s)
            neighbour = entry.sets[index + 1] if index + 1 < len(entry.sets) else (entry.sets[index - 1] if index else None)
            select = f"s{neighbour.id}" if neighbour else f"e{entry.id}"
            self.run_service(ws.delete_set, s.id, on_done=lambda _: self.reload(select=select))
        elif entry is not None:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_service(ws.remove_entry, entry.id, on_done=lambda _: self.reload())

            self.app.push_screen(
                ConfirmScreen(f"Remove {entry.exercise.name} and its target sets from this template?", yes="Remove"),
                answered,
            )

    def action_move(self, step: int) -> None:
        entry, s = self._cursor()
        if self.template is None or entry is None:
            return
        ws = self.app.workouts
        if s is not None:
            index = entry.sets.index(s) + step
            if 0 <= index < len(entry.sets):
                self.run_service(ws.move_set, s.id, index, on_done=lambda _: self.reload(select=f"s{s.id}"))
            return
        index = self.template.entries.index(entry) + step
        if 0 <= index < len(self.template.entries):
            self.run_service(ws.move_entry, entry.id, index, on_done=lambda _: self.reload(select=f"e{entry.id}"))

    def action_rename(self) -> None:
        if self.template is not None:
            tpl = self.template
            edit_template_details(self, tpl.id, tpl.name, tpl.description, lambda info: self.reload())

    def action_start(self) -> None:
        start_from_template(self, self.template_id)
