"""The set box: type '100x5' and press Enter. It is pre-filled, so repeating a set is one Enter.

Accepted forms are those of ``domain.parsing.parse_set_entry``: '100x5', '100 5', '100*5' (the
number pad), 'x6' (new reps, same weight), '105' (new weight, same reps), '8 stacks x 12',
'bw x 10'. After the set, optional marks: a set type, ``w`` (warm-up), ``d`` (drop set) or ``f``
(to failure), and an RPE, ``@8`` or ``rpe 8.5``: '60x10 w', '100x5 @8', '80x8 d @9', or a lone 'w'
(the pre-filled set, as a warm-up). The box parses and validates; a bad entry stays in the box with
the reason beside it.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Input, Label, Static

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import ParsedSet, parse_set_entry
from overload_tui.services import format as fmt
from overload_tui.widgets.form_input import InOrderInput

HINT = "Enter saves · x6: new reps · 105: new weight"
PLACEHOLDER = "weight x reps, e.g. 60x8 (then w/d/f, @8 RPE)"

SET_TYPE_WORDS = {
    "w": "warmup", "wu": "warmup", "warmup": "warmup", "warm-up": "warmup",
    "d": "drop", "drop": "drop",
    "f": "failure", "fail": "failure", "failure": "failure",
}
SET_TYPE_KEYS = {"warmup": "w", "drop": "d", "failure": "f"}
RPE_ERROR = "RPE must be a number from 1 to 10."
# A mark at the end of the text, after a digit, a space or nothing ('bw' is a weight, not b + w).
_TAIL = re.compile(
    r"(?:^|(?<=[\s\d]))(?:(?P<t>warm-up|warmup|wu|w|drop|d|failure|fail|f)|(?:@|rpe)\s*(?P<rpe>[^\s@]*))\s*$",
    re.IGNORECASE,
)


def _rpe(raw: str) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValidationError(RPE_ERROR) from None
    if not 1 <= value <= 10:
        raise ValidationError(RPE_ERROR)
    return value


def split_marks(text: str) -> tuple[str, str | None, float | None]:
    """'80x8 d @9' -> ('80x8', 'drop', 9.0): the set, its type (None: a normal set) and RPE."""
    rest = (text or "").strip()
    set_type: str | None = None
    rpe: float | None = None
    found: set[str] = set()
    while rest and (match := _TAIL.search(rest)):
        kind = "t" if match["t"] is not None else "rpe"
        if kind in found:
            break
        found.add(kind)
        if kind == "t":
            set_type = SET_TYPE_WORDS[match["t"].lower()]
        else:
            rpe = _rpe(match["rpe"])
        rest = rest[: match.start()].rstrip()
    return rest, set_type, rpe


def marks_text(set_type: str | None, rpe: float | None) -> str:
    """What the box shows after the set for these marks: ' w @8'."""
    text = f" {SET_TYPE_KEYS[set_type]}" if set_type in SET_TYPE_KEYS else ""
    return text + (f" @{fmt.number(rpe)}" if rpe is not None else "")


class _SetInput(InOrderInput):
    """The set box's Input: every key acts in the order it arrives.

    Textual runs key bindings (Enter here, up/down and ctrl+t on the screen) only once the key
    has bubbled back up, after letters typed behind it: "100x5⏎x3⏎" sent at once (a paste, a
    laggy SSH link) read as one set "100x5x3". Here Enter takes the set at once (``take``) and the
    screen's keys run at once too, so a set goes to the exercise and unit chosen before it.
    """

    def action_submit(self) -> None:  # type: ignore[override]
        entry = next((a for a in self.ancestors if isinstance(a, SetEntry)), None)
        if entry is None:
            super().action_submit()
        else:
            entry.take(self.value)

    def _in_order(self) -> tuple[DOMNode, ...]:
        return (self, self.screen)


class SetEntry(Vertical):
    class Submitted(Message):
        """A set the lifter typed and the parser accepted, with its marks."""

        def __init__(
            self, entry: SetEntry, parsed: ParsedSet, text: str,
            set_type: str | None = None, rpe: float | None = None,
        ) -> None:
            super().__init__()
            self.entry = entry
            self.parsed = parsed
            self.text = text
            self.set_type = set_type
            self.rpe = rpe

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.unit = Unit.KG
        self.previous: tuple[float, int] | None = None
        self._loaded = ""
        self._prompt = "Set 1"
        self._unit_label = "kg"
        self._message: tuple[str, bool] = (HINT, False)
        self._taken = False  # a set was taken and the box emptied: keys typed since are kept

    def compose(self) -> ComposeResult:
        with Horizontal(id="set-row"):
            yield Label("Set 1", id="set-prompt")
            yield _SetInput(placeholder=PLACEHOLDER, id="set-input", select_on_focus=True)
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

    def load(
        self,
        prompt: str,
        values: tuple[float, int] | None,
        unit: Unit,
        text: str | None = None,
        marks: str = "",
    ) -> None:
        """Show ``values`` (and ``marks``, see ``marks_text``) ready to be repeated with one Enter,
        or ``text``, as typed."""
        self.previous = values
        self.set_unit(unit)
        self.set_prompt(prompt)
        self._loaded = (fmt.set_entry_text(*values) if values else "") + marks
        typed_since, self._taken = self._taken and self.input.value, False
        if typed_since and text is None:
            return
        self.input.value = self._loaded if text is None else text
        self.input.select_all()

    def set_prompt(self, prompt: str) -> None:
        label = self.query_one("#set-prompt", Label)
        if prompt != self._prompt:
            self._prompt = prompt
            label.update(prompt, layout=False)  # a fixed width: no layout for 'Set 3' -> 'Set 4'

    def set_unit(self, unit: Unit) -> None:
        self.unit = Unit(unit)
        label = fmt.unit_label(self.unit)
        if label != self._unit_label:
            self._unit_label = label
            self.query_one("#set-unit", Label).update(label, layout=False)

    def show_error(self, message: str) -> None:
        self._show_message(message, True)

    def show_hint(self, hint: str = HINT) -> None:
        self._show_message(hint, False)

    def _show_message(self, text: str, error: bool) -> None:
        if (text, error) == self._message:
            return
        self._message = (text, error)
        line = self.query_one("#set-message", Static)
        line.update(Text(text))
        line.set_class(error, "-error")

    def take(self, typed: str) -> None:
        """Enter: parse the box; a set it accepts is posted (``Submitted``) and the box emptied at
        once, the next set relative to this one, before the screen has heard of it."""
        try:
            rest, set_type, rpe = split_marks(typed)
            parsed = parse_set_entry(rest, self.unit, self.previous)
        except ValidationError as error:
            self.show_error(str(error))
            return
        self.show_hint()
        self.previous = (parsed.weight, parsed.reps)
        self._taken = True
        with self.input.prevent(Input.Changed):  # the plates stay until the next set is shown
            self.input.value = ""
        self.post_message(self.Submitted(self, parsed, typed, set_type, rpe))
