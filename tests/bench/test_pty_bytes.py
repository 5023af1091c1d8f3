"""The terminal-bytes benchmark (benchmarks/pty_bytes.py) run once at its shortest: it must produce
its figures. Never asserts on how many bytes or how long (that is the benchmark's to show).

Also the rest timer's tick, which is what the logging screen writes while it sits idle: it
repaints only the cells that changed, and never lays the screen out while counting down."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("pty", reason="no pseudo-terminals on this system")
if not hasattr(os, "openpty"):
    pytest.skip("os.openpty is not available", allow_module_level=True)

from benchmarks import pty_bytes  # noqa: E402 - after the skip

IDLE = 2.0


def _produced(figures: pty_bytes.Figures, logged_sets: bool) -> None:
    assert not figures.error, figures.error
    assert len(figures.per_char) == len(pty_bytes.CHARS) and all(n > 0 for n in figures.per_char)
    assert figures.idle_seconds >= IDLE and figures.idle is not None
    assert "idle" in figures.explained and "a typed char" in figures.explained
    if logged_sets:
        assert len(figures.per_set) == len(figures.per_enter) == pty_bytes.SETS
        assert all(n > 0 for n in figures.per_set)


def test_bare_input():
    _produced(pty_bytes.run_bare(IDLE), logged_sets=False)


@pytest.mark.parametrize("blink", [True, False], ids=["overload", "overload-no-blink"])
def test_overload(blink):
    figures = pty_bytes.run_overload("overload", IDLE, None, blink=blink)
    _produced(figures, logged_sets=True)
    out = pty_bytes.table([pty_bytes.Figures("bare"), figures], IDLE) + pty_bytes.explanation([figures])
    assert "overload" in out and "target" in out and "idle" in out


def test_screen_follows_escape_sequences_split_anywhere():
    data = (b"\x1b[?2026h\x1b[19;34H\x1b[1;38;5;253;48;5;233mRest 2:59\x1b[0m\x1b]0;t\x07"
            b"\x1b(B\x1b[2;1H\xe2\x96\x8a caf\xc3\xa9\x1b[21;50H")
    for cut in range(len(data) + 1):
        screen = pty_bytes.Screen()
        screen.feed(data[:cut])
        screen.feed(data[cut:])
        lines = screen.text().splitlines()
        assert lines[18][33:] == "Rest 2:59" and lines[1] == "▊ café", (cut, screen.text())
    assert [(row, col, text) for row, col, text, _ in pty_bytes.segments(data)] == [
        (-1, -1, ""), (19, 34, "Rest 2:59"), (2, 1, "▊ café"), (21, 50, "")]


async def test_rest_timer_tick_repaints_the_changed_cells_without_a_layout():
    from textual.app import App, ComposeResult
    from textual.geometry import Region

    from overload_tui.widgets.rest_timer import RestTimer

    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()

    class TimerApp(App[None]):
        def compose(self) -> ComposeResult:
            yield RestTimer(clock=clock, id="timer")

    app = TimerApp()
    async with app.run_test() as pilot:
        timer = app.query_one(RestTimer)
        timer.start(605)
        await pilot.pause()
        assert timer.text == "Rest 10:05" and timer.content_size.width == 10
        calls: list[tuple[tuple[Region, ...], bool]] = []
        refresh = timer.refresh

        def spy(*regions, layout=False, **kwargs):
            calls.append((regions, layout))
            return refresh(*regions, layout=layout, **kwargs)

        timer.refresh = spy
        clock.now += 0.2
        timer.poll()  # the same second shown: nothing repainted
        assert calls == []
        clock.now += 1
        timer.poll()  # 10:05 -> 10:04: the last cell
        assert calls == [((Region(9, 0, 1, 1),), False)]
        calls.clear()
        clock.now += 5
        timer.poll()  # 10:04 -> 9:59: shorter, the width is kept, no layout
        await pilot.pause()
        assert timer.text == "Rest 9:59" and timer.content_size.width == 10
        assert calls and not any(layout for _, layout in calls)
        assert all(regions for regions, _ in calls)  # never the whole widget
