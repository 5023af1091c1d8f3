"""The logging screen's notes dialog, and how a typed workout date is read (for back-filling).

The notes dialog keeps what was typed when it cannot be used, and says why underneath.
ctrl+s saves; ctrl+g or Escape cancels.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.validation import clean_notes


def parse_when(text: str, keep: datetime, now: datetime) -> datetime:
    """'2025-03-04 18:30', '2025-03-04' (keeps the time of ``keep``), 'today', 'yesterday'.

    Back-filling only: a time after ``now`` is refused.
    """
    line = re.sub(r"(?<=\d)t(?=\d)", " ", " ".join((text or "").lower().split()))  # ISO 'T' too
    if line in ("today", "yesterday"):
        d = now.date() - timedelta(days=1 if line == "yesterday" else 0)
        when = datetime.combine(d, keep.time())
    else:
        when = None
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                when = datetime.strptime(line, pattern)
            except ValueError:
                continue
            if pattern == "%Y-%m-%d":
                when = datetime.combine(when.date(), keep.time())
            break
        if when is None:
            raise ValidationError("Type a date like 2025-03-04 or 2025-03-04 18:30 (or today, yesterday).")
    if when.year < 1900:
        raise ValidationError("That date is too long ago.")
    if when > now:
        if when.date() != now.date():
            raise ValidationError("That is in the future: log a workout once it has happened.")
        when = now  # later today: make it now
    return when.replace(microsecond=0)


class NotesScreen(ModalScreen[str | None]):
    """Edit free text; returns the new text ('' clears it) or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+g,escape", "cancel", "Cancel"),
    ]

    def __init__(self, notes: str | None, title: str = "Workout notes") -> None:
        super().__init__()
        self.notes = notes or ""
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-dialog", classes="dialog"):
            yield TextArea(self.notes, id="notes-text", soft_wrap=True, tab_behavior="focus")
            yield Static(id="notes-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="notes-save", variant="primary", compact=True)
                yield Button("Cancel (ctrl+g)", id="notes-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#notes-dialog").border_title = self.title_text
        area = self.query_one("#notes-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#notes-save")
    def action_save(self) -> None:
        text = self.query_one("#notes-text", TextArea).text
        try:
            clean_notes(text)
        except ValidationError as error:
            message = self.query_one("#notes-message", Static)
            message.update(Text(str(error)))
            message.add_class("-error")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#notes-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
