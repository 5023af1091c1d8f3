"""The set box: type '100x5' and press Enter. It is pre-filled, so repeating a set is one Enter.

Accepted forms are those of ``domain.parsing.parse_set_entry``: '100x5', '100 5', '100*5' (the
number pad), 'x6' (new reps, same weight), '105' (new weight, same reps), '8 stacks x 12',
'bw x 10'. The box parses and validates; a bad entry stays in the box with the reason beside it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import ParsedSet, parse_set_entry
from overload_tui.widgets import format as fmt

HINT = "Enter saves · x6: new reps · 105: new weight"


class SetEntry(Vertical):
    class Submitted(Message):
        """A set the lifter typed and the parser accepted."""

        def __init__(self, entry: SetEntry, parsed: ParsedSet, text: str) -> None:
            super().__init__()
            self.entry = entry
            self.parsed = parsed
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.unit = Unit.KG
        self.previous: tuple[float, int] | None = None
        self._loaded = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="set-row"):
            yield Label("Set 1", id="set-prompt")
            yield Input(placeholder="weight x reps, e.g. 60x8", id="set-input", select_on_focus=True)
            yield Label("kg", id="set-unit")
        yield Static(Text(HINT), id="set-message")

    @property
    def input(self) -> Input:
        return self.query_one("#set-input", Input)

    @property
    def text(self) -> str:
        return self.input.value

    @property
    def untouched(self) -> bool:
        """True while the box holds what was last put in it (the lifter has typed nothing)."""
        return self.input.value == self._loaded

    def load(self, prompt: str, values: tuple[float, int] | None, unit: Unit, text: str | None = None) -> None:
        """Show ``values`` ready to be repeated with one Enter (or ``text``, as typed)."""
        self.previous = values
        self.set_unit(unit)
        self.query_one("#set-prompt", Label).update(prompt)
        self._loaded = fmt.set_entry_text(*values) if values else ""
        self.input.value = self._loaded if text is None else text
        self.input.select_all()

    def set_unit(self, unit: Unit) -> None:
        self.unit = Unit(unit)
        self.query_one("#set-unit", Label).update(fmt.unit_label(self.unit))

    def show_error(self, message: str) -> None:
        line = self.query_one("#set-message", Static)
        line.update(Text(message))
        line.add_class("-error")

    def show_hint(self, hint: str = HINT) -> None:
        line = self.query_one("#set-message", Static)
        line.update(Text(hint))
        line.remove_class("-error")

    @on(Input.Submitted, "#set-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            parsed = parse_set_entry(event.value, self.unit, self.previous)
        except ValidationError as error:
            self.show_error(str(error))
            return
        self.show_hint()
        self.post_message(self.Submitted(self, parsed, event.value))
