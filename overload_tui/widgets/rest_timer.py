"""The rest timer: a one-line countdown ("Rest 2:05") that never takes the focus.

The logging screen calls ``start(seconds)`` when a set is logged (the seconds from
``UserSettings.rest_seconds(category, equipment, name)``), binds two keys to ``adjust(+step)``
and ``adjust(-step)`` (``UserSettings.rest_step``), and may ``stop()`` it. At zero it rings the
terminal bell (``app.bell()``), flashes (the ``-flash`` CSS class toggles a few times), shows
"Rest over" and posts ``RestTimer.Finished``.

The time is the pure ``domain.rest.RestTimer`` read against a monotonic clock, so a suspended
laptop or a slow frame never makes the countdown drift; tests inject the clock and call
``poll()`` instead of waiting.

Over a slow link (a phone's mobile data between sets) the countdown is what the logging screen
writes while it sits idle, so a tick writes as little as it can: the clock is read four times a
second, but the screen is touched only when the text shown changes (once a second), and then only
the cells that changed are marked for repainting (Textual writes the line from the widget's
start up to the last of them: "Rest 2:04", about 45 bytes with the cursor move and the style, and
not the padding after it). The width is kept while the timer shows (it never shrinks: "Rest
10:00" -> "Rest 9:59"), so counting down never lays out the screen; only a longer text (a longer
rest) does. ``python -m benchmarks.pty_bytes`` measures it through a real terminal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from overload_tui.domain.rest import RestTimer as Countdown
from overload_tui.domain.rest import format_countdown

IDLE, RUNNING, DONE = "idle", "running", "done"


class RestTimer(Static):
    """A rest countdown. States: idle (nothing shown), running, done (after zero)."""

    DEFAULT_CSS = """
    RestTimer {
        width: auto;
        height: 1;
        padding: 0 1;
    }
    RestTimer.-idle {
        color: $text-muted;
    }
    RestTimer.-running {
        color: $text;
        text-style: bold;
    }
    RestTimer.-done {
        color: $success;
        text-style: bold;
    }
    RestTimer.-flash {
        background: $warning;
        color: $background;
    }
    """

    can_focus = False
    can_focus_children = False

    # Both are drawn by _show (only what changed), not by a repaint of the whole widget.
    remaining: reactive[int] = reactive(0, repaint=False)  # whole seconds left, as shown (rounded up)
    state: reactive[str] = reactive(IDLE, repaint=False)

    class Finished(Message):
        """The countdown reached zero (not posted by stop() or by adjusting it to zero)."""

        def __init__(self, timer: RestTimer) -> None:
            super().__init__()
            self.timer = timer

        @property
        def control(self) -> RestTimer:
            return self.timer

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick: float = 0.25,
        flashes: int = 3,
        flash_interval: float = 0.3,
        idle_text: str = "",
        done_text: str = "Rest over",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, name=name, id=id, classes=classes)
        self._clock = clock
        self._tick = tick
        self._flashes = max(0, flashes)
        self._flash_interval = flash_interval
        self.idle_text = idle_text
        self.done_text = done_text
        self._countdown: Countdown | None = None
        self._ticker: Timer | None = None
        self._flasher: Timer | None = None
        self._flash_count = 0
        self._shown: str | None = None
        self._width = 0  # cells: the widest text shown since the timer was last idle
        self.add_class("-idle")
        self._show()

    # -- the public API -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._countdown is not None

    @property
    def seconds_left(self) -> float:
        """Exact seconds left (0 when not running)."""
        return self._countdown.remaining(self._clock()) if self._countdown else 0.0

    @property
    def text(self) -> str:
        """What the widget shows, as plain text."""
        if self.state == RUNNING:
            return f"Rest {format_countdown(self.remaining)}"
        if self.state == DONE:
            return self.done_text
        return self.idle_text

    def start(self, seconds: float) -> None:
        """Start (or restart) a rest of ``seconds``; 0 or less just stops the timer."""
        self._stop_flash()
        if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds <= 0:
            self.stop()
            return
        self._countdown = Countdown(self._clock(), float(seconds))
        self.state = RUNNING
        if self._ticker is not None:
            self._ticker.resume()
        self.poll()

    def adjust(self, delta: float) -> float:
        """Add (or with a negative delta take off) seconds; returns the seconds left.

        Idle or done, a positive delta starts a rest of that long. Taking it down to zero
        stops it quietly: the lifter chose to cut the rest short, so no bell.
        """
        if self._countdown is None:
            if delta > 0:
                self.start(delta)
            return self.seconds_left
        self._countdown = self._countdown.adjusted(delta)
        if self._countdown.done(self._clock()):
            self.stop()
            return 0.0
        self.poll()
        return self.seconds_left

    def stop(self) -> None:
        """Stop without ringing; back to idle."""
        self._countdown = None
        if self._ticker is not None:
            self._ticker.pause()
        self._stop_flash()
        self.remaining = 0
        self.state = IDLE

    def poll(self) -> None:
        """Read the clock: update the countdown, and finish at zero (the interval calls this)."""
        if self._countdown is None:
            return
        now = self._clock()
        self.remaining = math.ceil(self._countdown.remaining(now))
        if self._countdown.done(now):
            self._finish()

    # -- internals ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._ticker = self.set_interval(self._tick, self.poll, pause=self._countdown is None)

    def _finish(self) -> None:
        self._countdown = None
        if self._ticker is not None:
            self._ticker.pause()
        self.remaining = 0
        self.state = DONE
        self.app.bell()
        self._start_flash()
        self.post_message(self.Finished(self))

    def _start_flash(self) -> None:
        self._stop_flash()
        if not self._flashes:
            return
        self._flash_count = 0
        self.add_class("-flash")
        self._flasher = self.set_interval(self._flash_interval, self._flash_step)

    def _flash_step(self) -> None:
        # Counted here, not with the interval's repeat: a late tick may be skipped.
        self._flash_count += 1
        if self._flash_count >= self._flashes * 2 - 1:
            self._stop_flash()  # ends switched off
        else:
            self.set_class(self._flash_count % 2 == 0, "-flash")

    def _stop_flash(self) -> None:
        if self._flasher is not None:
            self._flasher.stop()
            self._flasher = None
        self.remove_class("-flash")

    def watch_state(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
        self._show()

    def watch_remaining(self) -> None:
        self._show()

    def render(self) -> Content:
        return Content(self._shown or "")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    def _show(self) -> None:
        text, old = self.text, self._shown
        if text == old:
            return
        self._shown = text
        width = cell_len(text)
        if self.state == IDLE:  # hidden (app.tcss), or its idle_text: fit the text again
            relayout, self._width = width != self._width, width
        else:  # showing: the width never shrinks, so counting down never lays out the screen
            relayout, self._width = width > self._width, max(width, self._width)
        if relayout or old is None:
            self.refresh(layout=True)
        elif not (old.isascii() and text.isascii()):
            self.refresh()  # an app's idle or done text with wide characters: all of it
        else:  # repaint the cells that differ ("Rest 2:05" -> "Rest 2:04": one)
            changed = [i for i, (a, b) in enumerate(zip(old.ljust(self._width), text.ljust(self._width))) if a != b]
            if changed:
                self.refresh(Region(changed[0], 0, changed[-1] + 1 - changed[0], 1))
