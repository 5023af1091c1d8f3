"""The private Textual names the app needs, each behind one small function, and nowhere else.

Checked against Textual 8.2.8 (``CHECKED_WITH``; pyproject.toml pins that version exactly).
``tests/tui/test_textual_private.py`` fails when a Textual release removes or renames one of
them, changes its signature, or changes the behaviour used here: run it first when bumping
Textual, then the whole suite.

Each is here because Textual has no public way to do it and the app needs it:

``forward_key``
    ``Widget._forward_event``. A key a form field (widgets/form_input.py) took from its queue
    after the focus had moved on to another widget (a button, a list, a dialog come in front)
    belongs where the focus is now. Textual delivers a key to a widget marked as
    forwarded, so that when it bubbles back up to the App it runs the bindings; a key posted with
    the public ``post_message`` is not marked, and the App takes it for a new key from the terminal
    and hands it to the focused widget a second time. ``App.simulate_key`` queues it on the App,
    behind the keys typed after it.

``set_virtual_size_quietly``
    ``Widget._scroll_update``. ``virtual_size`` is a layout reactive: setting it lays out the
    whole screen. A widget whose own size is fixed by CSS (the set table, the history list) only
    needs its scroll bars and scroll offset brought up to date when its rows change: the public
    ``set_reactive`` sets the size without a layout, and ``_scroll_update`` is what Textual's own
    layout then calls for the scroll bars (shown or hidden, their thumb) and to keep the scroll
    offset within the new size. It asks for a layout itself only when a scroll bar appears or
    goes.

``unblock_output``
    ``App._driver``, ``LinuxDriver._writer_thread``, ``WriterThread._queue``. Textual writes to
    the terminal through a thread fed by a bounded queue (30 writes). When the terminal hangs up
    that thread can die on a write error; every later write, and the driver's own close (which
    queues the thread's end), then blocks the app for ever, and the saves still queued are never
    finished. Unbounding the queue lets the app end normally (``OverloadApp._detach_terminal``).
    There is no public handle on the driver or its writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Size
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App

CHECKED_WITH = "8.2.8"  # the Textual release whose private names were checked


def forward_key(widget: Widget, key: events.Key) -> None:
    """Deliver ``key`` to ``widget`` as Textual delivers a key from the terminal (at the end of
    the widget's queue, bubbling up to the App's bindings if nothing takes it)."""
    widget._forward_event(key)


def set_virtual_size_quietly(widget: Widget, size: Size) -> None:
    """Set ``widget.virtual_size`` without laying the screen out; its scroll bars and scroll
    offset follow (a layout only when a scroll bar appears or goes)."""
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)


def unblock_output(app: App) -> bool:
    """Let every later write to the terminal return at once, even with its writer thread dead;
    whether there was such a thread (not with the headless driver of the tests)."""
    writer = getattr(app._driver, "_writer_thread", None)
    queue = getattr(writer, "_queue", None)
    if queue is None:
        return False
    queue.maxsize = 0  # unbounded: put() never waits
    return True
