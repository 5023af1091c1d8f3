"""The set box: the one focused widget of the logging screen. Everything done between sets is a
line typed into it (``domain.commands``: '100x5', 'x3', '#2 w', '>squat', 'note ...', 'rest +30')
taken at Enter, so a burst of keys (a paste, a laggy SSH link, a quick thumb) is just text, in
the order typed.

Keys act in the order they arrive. Textual runs a focused widget's key bindings only once the key
has bubbled back up to the App, after the letters typed behind it have gone into the box (Enter
in "100x5⏎x3⏎" would take "100x5x3"). So the box's own keys, and Input's editing keys, run here
in ``on_key`` as they arrive, through the public ``BindingsMap`` of the two classes' BINDINGS;
the lines and actions they produce are messages that reach the screen in the same order
(messages from one widget keep their order up the DOM). Keys the box does not know (ctrl+s,
ctrl+g...) go on to the screen as usual; keys queued here after one of them opened a dialog
follow the focus into it (``InOrderInput``), and typing lays nothing out.

Rows mode (shift+Tab, or a click on a set): the box keeps the focus, the set table shows a cursor
and single keys act on the highlighted set (↑↓ choose, t cycles its type, w d f n mark it, e
edits it, x twice deletes it); Tab, ctrl+g or Escape come back to typing, and any other letter
comes back to typing and is typed. No focus ever moves, so nothing typed can land elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import events
from textual.binding import Binding, BindingsMap
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from overload_tui.domain.commands import GRAMMAR_HELP
from overload_tui.widgets.form_input import InOrderInput

# Keys in rows mode: key -> (action, argument).
ROWS_KEYS: dict[str, tuple[str, object]] = {
    "up": ("cursor", -1), "down": ("cursor", 1),
    "t": ("mark", "cycle"), "w": ("mark", "warmup"), "d": ("mark", "drop"), "f": ("mark", "failure"),
    "n": ("mark", None), "e": ("edit", None), "enter": ("edit", None), "x": ("delete", None),
    "delete": ("delete", None), "left_square_bracket": ("move", -1), "right_square_bracket": ("move", 1),
    "tab": ("rows", False), "shift+tab": ("rows", False),
    "ctrl+g": ("rows", False), "escape": ("rows", False),
}


# A workout with a plan (services/plan.py): its own lines, read by the logbook before the grammar.
PLAN_HELP = """\
Enter on a planned set      log it as planned
skip  unskip                pass the next planned set, or take it back
warmups off  warmups on     this exercise's warm-up ramp"""


def help_markdown(grammar: str) -> str:
    """The grammar's help as Markdown that wraps in the narrow help panel: '- `100x5 w`: warm-up'
    (each line's description is after its last run of spaces)."""
    lines = []
    for line in grammar.splitlines():
        if match := re.fullmatch(r"\s*(.*\S)\s{2,}(\S.*?)\s*", line):
            lines.append(f"- `{match[1]}`: {match[2]}")
        else:
            lines.append(f"- {line.strip()}")
    return "\n".join(lines)


class ExerciseSuggester(Suggester):
    """Inline completion of an exercise's name after '>' or '+' (→ takes it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        if len(value) < 2 or value[0] not in ">+":
            return None
        typed = value[1:].lstrip()
        if not typed:
            return None
        for name in self.names:
            folded = name.casefold()
            if folded.startswith(typed):
                return value + name[len(typed):]
        return None


class SetBox(InOrderInput, inherit_bindings=False):
    """The set box (see the module's docstring)."""

    HELP = "## Type, then Enter\n\n" + help_markdown(GRAMMAR_HELP + "\n" + PLAN_HELP)
    BINDINGS = [
        # ctrl+j: a newline, which is what Enter becomes when typed before the app has taken the
        # terminal (the tty's line discipline turns CR into LF), or in a paste.
        Binding("enter,ctrl+j", "take", "Log", show=False),
        # Not in the footer (Finish and Back must fit 45 columns): on F1 and in the palette.
        Binding("ctrl+f", "find", "Find exercise", show=False, tooltip="Type > and a name (→ completes it)"),
        Binding("shift+tab", "rows(True)", "Choose a set", show=False, tooltip="Then t w d f n e x"),
        Binding("ctrl+t", "act('unit')", "Unit", show=False, tooltip="Switch this exercise's unit"),
        Binding("ctrl+r", "act('rest_more')", "Rest+", show=False, tooltip="Rest a little longer"),
        Binding("up", "act('exercise', -1)", "Previous exercise", show=False),
        Binding("down", "act('exercise', 1)", "Next exercise", show=False),
    ]
    # The box's own keys, then Input's editing keys: run as they arrive (see the docstring); but
    # ctrl+e is the screen's (the exercise browser; End still goes to the end of the line).
    KEYS = {key: bindings for key, bindings in BindingsMap([*BINDINGS, *Input.BINDINGS]).key_to_bindings.items()
            if key != "ctrl+e"}

    class Line(Message):
        """A line typed and taken with Enter."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Act(Message):
        """A key that acts on the workout: ``name`` with ``argument`` (see ROWS_KEYS)."""

        def __init__(self, name: str, argument: object = None) -> None:
            super().__init__()
            self.name = name
            self.argument = argument

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        self.suggestions = ExerciseSuggester()
        super().__init__(id=id, suggester=self.suggestions, select_on_focus=False)
        self.cursor_blink = False  # nothing to send down a slow link while the lifter rests
        self.rows_mode = False

    def set_names(self, names: Iterable[str]) -> None:
        self.suggestions.names = sorted(names, key=str.casefold)

    async def on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, this one first: InOrderInput's next (unless
        # prevent_default), then Input's (which types a printable key).
        if self.key_owner() is not self:
            return  # queued here before a dialog took the focus: InOrderInput's sends it there
        if self.rows_mode:
            act = ROWS_KEYS.get(event.key)
            if act is not None:
                self._stop(event)
                if act[0] in ("rows", "edit"):
                    self.set_rows_mode(False)
                self.post_message(self.Act(*act))
                return
            if event.is_printable:  # any other letter: back to typing, and typed
                self.set_rows_mode(False)
                self.post_message(self.Act("rows", False))
        for binding in self.KEYS.get(event.key, ()):
            self._stop(event)
            await self.run_action(binding.action)
            return
        if not event.is_printable:
            event.prevent_default()  # not the box's (ctrl+s, F1...): on to the screen's, untouched

    def on_paste(self, event: events.Paste) -> None:
        """A paste of several lines is several lines typed, each taken as if Enter ended it; what
        follows the last line break stays in the box."""
        *lines, rest = event.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if not lines:
            return  # one line: Input's own paste
        event.stop()
        event.prevent_default()
        self.post_message(self.Line(self.value + lines[0]))
        for line in lines[1:]:
            self.post_message(self.Line(line))
        self.value = rest
        self.cursor_position = len(rest)

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def set_rows_mode(self, on: bool) -> None:
        self.rows_mode = on
        self.set_class(on, "-rows")

    # -- actions --------------------------------------------------------------------------------
    def action_take(self) -> None:
        text, self.value = self.value, ""
        self.post_message(self.Line(text))

    def action_find(self) -> None:
        """Start an exercise's name: '>' at the start of the line."""
        if not self.value.startswith((">", "+")):
            self.value = ">" + self.value
        self.cursor_position = len(self.value)

    def action_rows(self, on: bool) -> None:
        self.set_rows_mode(on)
        self.post_message(self.Act("rows", on))

    def action_act(self, name: str, argument: object = None) -> None:
        self.post_message(self.Act(name, argument))

    def offer(self, text: str) -> bool:
        """Put ``text`` in the box if it is empty (never over what the lifter is typing)."""
        if self.value:
            return False
        self.value = text
        self.cursor_position = len(text)
        return True
