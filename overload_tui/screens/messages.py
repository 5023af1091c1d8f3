"""What screens tell the app: messages that bubble up to it, so that a screen never imports the
app (nor reaches into it) to navigate."""

from __future__ import annotations

from textual.message import Message


class ReadyForKeys(Message):
    """The screen in front is up with its focus set: the keys typed while it came (held by the
    app since the key that opened it) can run on it now."""
