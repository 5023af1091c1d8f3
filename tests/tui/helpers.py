"""Helpers for the TUI tests (fixtures are in conftest.py).

Waiting: a test waits on a condition, never on time, and a wait that runs out fails with what it
saw (the screens, the focus and the text on the screen): ``until`` for a condition of the test's
own, ``settle`` for "every database call queued so far has answered and the screen has drawn it".
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import datetime

import pytest
from textual.widgets import Input

FIXED_NOW = datetime(2024, 6, 5, 18, 30)  # a Wednesday
PASSWORD = "correct horse"
WAIT = 30.0  # seconds before a wait gives up: far more than any condition takes on a loaded machine

# Flows whose database effects matter run on both backends; checks of the screen alone (bad input,
# layout, palette) run on SQLite only, to keep the TUI run short.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def screen_text(app) -> str:
    """The screen in front as plain text (what a terminal shows, without colours)."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True,
                      color_system=None, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def describe(app) -> str:
    """What the app shows: its screens, the focused widget and the screen's text (for a failed wait)."""
    try:
        stack = " > ".join(type(screen).__name__ for screen in app.screen_stack)
        parts = [f"screens: {stack or '(none)'}", f"focused: {app.focused!r}"]
        if app._exception is not None:
            parts.append(f"the app crashed: {app._exception!r}")
        if app._exit:
            parts.append("the app has ended")
        notes = [n.message for n in app._notifications]
        if notes:
            parts.append(f"notifications: {notes!r}")
        shown = "\n".join(line.rstrip() for line in screen_text(app).splitlines()).strip("\n")
        return "; ".join(parts) + "\nthe screen:\n" + shown
    except Exception as error:  # noqa: BLE001 - a description must never hide the failure itself
        return f"(could not describe the app: {error!r})"


def _front_mounted(app) -> bool:
    """The screen in front and every widget in it are mounted (a screen is current before that)."""
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen (the app has ended): nothing left to mount
        return True
    return screen.is_mounted and all(widget.is_mounted for widget in screen.walk_children())


async def _screen_up(pilot, deadline: float, what: str) -> None:
    """Until the screen in front has mounted all its widgets and handled its queued messages."""
    app = pilot.app
    while not (app._exit or _front_mounted(app)):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: the screen in front never finished mounting; saw {describe(app)}")
        await pilot.pause(0.01)
    await pilot.pause()


async def settle(pilot, rounds: int = 3, timeout: float = WAIT) -> None:
    """Until every database call queued so far has answered and the screen has drawn the answers.

    At least ``rounds`` rounds of (the database thread done, the screen's messages handled), and
    as many more as it takes for a round to queue no new call (an answer may ask for more: a
    screen's data, then its glance) with the screen in front fully mounted. A fixed number of
    rounds was too few on a loaded machine. Fails with what it saw after ``timeout`` seconds."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    done = 0
    while True:
        before = app._last_future
        await app.wait_for_service()
        await pilot.pause()
        done += 1
        last = app._last_future
        quiet = last is before and (last is None or last.done()) and (app._exit or _front_mounted(app))
        if done >= rounds and quiet:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"the app did not settle in {timeout:g} s (a database call or the screen "
                                 f"still busy); saw {describe(app)}")


async def until(
    pilot,
    condition: Callable[[], object],
    what: str,
    timeout: float = WAIT,
    seen: Callable[[], object] | str | None = None,
) -> None:
    """Wait for ``condition()``, then for the screen in front to be up (mounted, its messages
    handled). A condition that raises (a widget not there yet) is not yet true.

    On timeout, fails with ``what`` it waited for, what it saw (``seen()``, or ``seen`` itself;
    plus the app's screens, focus and screen text) and the condition's last error, if any."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    error: Exception | None = None
    while True:
        try:
            if condition():
                break
            error = None
        except Exception as raised:  # noqa: BLE001 - e.g. NoMatches while the screen is being built
            error = raised
        if time.monotonic() >= deadline or app._exception is not None:
            saw = seen() if callable(seen) else seen
            lines = [f"timed out after {timeout:g} s waiting for {what}"]
            if app._exception is not None:
                lines[0] = f"the app crashed while waiting for {what}"
            if saw is not None:
                lines.append(f"saw: {saw}")
            if error is not None:
                lines.append(f"the condition raised: {error!r}")
            lines.append(describe(app))
            raise AssertionError("\n".join(lines))
        await pilot.pause(0.02)  # a poll: the condition is looked at again after each one
    await _screen_up(pilot, time.monotonic() + timeout, what)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def no_blink(app) -> None:
    """Stop the text cursor blinking so screenshots do not depend on timing."""
    for screen in app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
