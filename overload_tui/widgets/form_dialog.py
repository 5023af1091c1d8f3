"""A small modal form (a few labelled inputs, or a block of notes) whose save runs on the
database thread. Every dialog that edits something uses it: template names, target sets, a new
exercise, a workout's date, and the workout's and an exercise's notes.

The dialog stays open until the save succeeds: a failed save shows the error inside the dialog,
where the user is looking, and keeps what they typed. Keys that work while typing: Enter moves to
the next field and saves from the last one (in notes Enter starts a new line), ctrl+s saves,
Escape or ctrl+g cancels (ctrl+g for tmux, where Escape is slow); the Save and Cancel buttons are
reachable with Tab. Keys act in the order typed: "name⏎notes⏎" in one burst (a paste, a slow SSH
link) fills both fields and saves (the fields are ``FormInput``s: see widgets/form_input.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from overload_tui.domain.errors import OverloadError
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_input import FormInput
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    type: Literal["text", "number", "integer", "notes"] = "text"  # notes: several lines
    max_length: int = 0


class FormDialog(StyledOnce, ServiceCalls, ModalScreen[Any]):
    """``save(values)`` runs on the database thread; its result is what the dialog returns."""

    COMMANDS = {BindingCommands}
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog #form-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormDialog #form-title { text-style: bold; margin-bottom: 1; width: 100%; }
    FormDialog #form-fields { height: auto; max-height: 16; }
    FormDialog .form-label { margin-top: 0; color: $text-muted; }
    FormDialog Input { margin-bottom: 0; }
    FormDialog TextArea { height: 8; }
    FormDialog #form-error { color: $text-error; height: auto; margin-top: 1; display: none; }
    FormDialog #form-error.-shown { display: block; }
    FormDialog #form-buttons { height: auto; width: 100%; align-horizontal: right; margin-top: 1; }
    FormDialog #form-buttons Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape,ctrl+g", "cancel", "Cancel", key_display="esc/^g"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        save: Callable[[dict[str, str]], Any],
        *,
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.save_fn = save
        self.save_label = save_label
        self.saving = False
        self.typing_into: Input | None = None  # see widgets/form_input.py

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            # The title may carry user text (a template's name): never markup.
            yield Static(Text(self.form_title), id="form-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                for field in self.fields:
                    if field.label:
                        yield Label(field.label, classes="form-label")
                    if field.type == "notes":
                        yield TextArea(field.value, id=f"field-{field.name}", soft_wrap=True, tab_behavior="focus")
                        continue
                    yield FormInput(
                        value=field.value,
                        placeholder=field.placeholder,
                        type=field.type,
                        max_length=field.max_length,
                        id=f"field-{field.name}",
                    )
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel", id="form-cancel")
                yield Button(self.save_label, variant="primary", id="form-save")
        yield KeysFooter()

    def on_mount(self) -> None:
        first = self.query_one(f"#field-{self.fields[0].name}")
        first.focus()
        if isinstance(first, TextArea):
            first.move_cursor(first.document.end)

    def values(self) -> dict[str, str]:
        values = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            values[f.name] = widget.text if isinstance(widget, TextArea) else widget.value
        return values

    def next_field(self, field: Input) -> Input | None:
        """The field Enter moves to (asked by the field as Enter arrives); None on the last one:
        Enter saves."""
        inputs = list(self.query(Input))
        index = inputs.index(field) if field in inputs else len(inputs) - 1
        return inputs[index + 1] if index + 1 < len(inputs) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.query_one("#form-save", Button).disabled = True
        self.run_service(self.save_fn, self.values(), on_done=self._saved, on_error=self._failed)

    def _saved(self, result: Any) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, error: OverloadError) -> None:
        self.saving = False
        self.query_one("#form-save", Button).disabled = False
        message = self.query_one("#form-error", Static)
        message.update(Text(f"Not saved: {error}"))
        message.add_class("-shown")
