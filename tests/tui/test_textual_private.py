"""The private Textual names in overload_tui/widgets/textual_private.py: each still exists, with
the signature used, and still does what the app relies on. A Textual release that changes one
fails here (run this first when bumping Textual; see the module's docstring)."""

from __future__ import annotations

import inspect
import io
import queue
from importlib.metadata import version

from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread
from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from overload_tui.widgets import textual_private
from overload_tui.widgets.textual_private import (
    forward_key,
    set_virtual_size_quietly,
    unblock_output,
)


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_installed_textual_is_the_one_checked():
    # A new Textual: check every name below (and the module's docstring), then change CHECKED_WITH
    # and the pin in pyproject.toml together.
    assert version("textual") == textual_private.CHECKED_WITH


# -- forward_key: Widget._forward_event -------------------------------------------------------
class Keys(Widget, can_focus=True):
    """Sees every key it is given, and takes none."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def on_key(self, event: events.Key) -> None:
        self.seen.append(event.key)


class KeyHost(App[None]):
    BINDINGS = [Binding("ctrl+b", "ring", "Ring")]

    def __init__(self) -> None:
        super().__init__()
        self.rings = 0

    def compose(self) -> ComposeResult:
        yield Input(id="box")
        yield Keys()

    def action_ring(self) -> None:
        self.rings += 1


async def test_forward_event_delivers_a_key_once_and_it_reaches_the_apps_bindings():
    assert parameters(Widget._forward_event) == ["self", "event"]
    app = KeyHost()
    async with app.run_test() as pilot:
        box = app.query_one("#box", Input)
        box.focus()
        await pilot.pause()
        key = events.Key("x", "x")
        forward_key(box, key)
        await pilot.pause()
        assert key.is_forwarded
        assert box.value == "x"
        keys = app.query_one(Keys)
        keys.focus()
        await pilot.pause()
        forward_key(keys, events.Key("ctrl+b", None))  # not taken: it bubbles up to the App
        await pilot.pause()
        assert keys.seen == ["ctrl+b"]  # once: the App did not hand it to the focused widget again
        assert app.rings == 1


# -- set_virtual_size_quietly: Widget._scroll_update ------------------------------------------
class Lines(ScrollView):
    DEFAULT_CSS = "Lines { height: 5; overflow-y: auto; }"

    def render_line(self, y: int) -> Strip:
        return Strip([Segment(f"line {y + round(self.scroll_y)}")])


class LinesHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


async def test_scroll_update_follows_a_virtual_size_set_without_a_layout():
    assert parameters(Widget._scroll_update) == ["self", "virtual_size"]
    app = LinesHost()
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(Lines)
        layouts: list[bool] = []
        refresh = view.refresh
        view.refresh = lambda *a, **k: (layouts.append(k.get("layout", False)), refresh(*a, **k))[1]

        set_virtual_size_quietly(view, Size(20, 20))  # more lines than fit: the bar appears
        await pilot.pause()
        assert view.virtual_size == Size(20, 20)
        assert view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 20

        layouts.clear()
        set_virtual_size_quietly(view, Size(20, 30))  # the bar stays: no layout at all
        await pilot.pause()
        assert not any(layouts)
        assert view.vertical_scrollbar.window_virtual_size == 30

        view.scroll_to(y=25, animate=False, force=True)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y == 25
        set_virtual_size_quietly(view, Size(20, 8))  # fewer lines: the offset kept within them
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y == 3

        set_virtual_size_quietly(view, Size(20, 2))  # they all fit: the bar goes, at the top
        await pilot.pause()
        assert not view.show_vertical_scrollbar and view.scroll_y == 0


# -- unblock_output: App._driver, LinuxDriver._writer_thread, WriterThread._queue --------------
async def test_the_terminal_writer_queue_can_be_unbounded_when_its_thread_is_dead():
    app = App()
    assert unblock_output(app) is False  # no driver yet (and none with a writer in the tests)
    driver = LinuxDriver(app)  # (on a running loop, as in an app)
    assert hasattr(driver, "_writer_thread")  # set as the driver starts its application mode
    assert "WriterThread(" in inspect.getsource(LinuxDriver.start_application_mode)
    writer = WriterThread(io.StringIO())  # never started: as one that died on a hung-up terminal
    assert isinstance(writer._queue, queue.Queue) and writer._queue.maxsize == MAX_QUEUED_WRITES
    driver._writer_thread = writer
    app._driver = driver
    for _ in range(MAX_QUEUED_WRITES):
        driver.write("x")
    assert writer._queue.full()  # the next write would wait for ever
    assert unblock_output(app) is True
    assert not writer._queue.full()
    driver.write("y")  # returns: the write goes through the writer's queue, now unbounded
    assert writer._queue.qsize() == MAX_QUEUED_WRITES + 1
