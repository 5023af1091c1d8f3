"""The rest timer and plate calculator widgets in a tiny Textual app (no database)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from overload_tui.widgets.plate_calc import PlateCalculator, plate_text
from overload_tui.widgets.rest_timer import RestTimer
from tests.tui.helpers import until


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TimerApp(App[None]):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.bells = 0
        self.finished: list[RestTimer] = []

    def compose(self) -> ComposeResult:
        yield Input(id="entry")
        yield RestTimer(clock=self.clock, flash_interval=0.05, id="timer")
        yield PlateCalculator(id="plates")

    def bell(self) -> None:
        self.bells += 1

    def on_rest_timer_finished(self, message: RestTimer.Finished) -> None:
        self.finished.append(message.timer)


async def test_timer_counts_down_with_an_injected_clock():
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(RestTimer)
        entry = app.query_one(Input)
        assert app.focused is entry and timer.text == "" and timer.has_class("-idle")
        timer.start(125)
        assert timer.text == "Rest 2:05" and timer.running and timer.has_class("-running")
        clock.now += 5.5
        timer.poll()
        assert timer.text == "Rest 2:00"          # 119.5 s left shows as 2:00 (rounded up)
        clock.now += 0.5
        # The widget's own interval reads the clock (no poll() here): until it has, not 0.4 s.
        await until(pilot, lambda: timer.text == "Rest 1:59", "the timer's interval to read the clock",
                    seen=lambda: repr(timer.text))
        assert timer.text == "Rest 1:59"
        assert str(timer.render()) == "Rest 1:59"
        assert app.focused is entry               # never steals the focus
        await pilot.press("tab")
        assert app.focused is entry               # and is not in the tab order
        assert app.bells == 0 and app.finished == []


async def test_timer_rings_and_flashes_once_at_zero():
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(RestTimer)
        timer.start(90)
        clock.now += 89
        timer.poll()
        assert app.bells == 0 and timer.text == "Rest 0:01"
        clock.now += 1
        timer.poll()
        assert app.bells == 1 and timer.text == "Rest over" and not timer.running
        assert timer.has_class("-done") and timer.has_class("-flash")
        await until(pilot, lambda: app.finished == [timer], "the Finished message to reach the app",
                    seen=lambda: repr(app.finished))
        clock.now += 100
        timer.poll()
        # The flashing ends, switched off: until its interval has stopped (not 0.5 s).
        await until(pilot, lambda: timer._flasher is None, "the flashing to end",
                    seen=lambda: f"classes: {sorted(timer.classes)}, flashes counted: {timer._flash_count}")
        assert app.bells == 1 and len(app.finished) == 1
        assert not timer.has_class("-flash") and timer.has_class("-done")
        timer.start(60)                           # the next set's rest
        assert timer.text == "Rest 1:00" and not timer.has_class("-done")


async def test_timer_adjust_and_stop():
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test():
        timer = app.query_one(RestTimer)
        timer.start(120)
        assert timer.adjust(15) == 135 and timer.text == "Rest 2:15"
        assert timer.adjust(-30) == 105 and timer.text == "Rest 1:45"
        clock.now += 100
        assert timer.adjust(-30) == 0             # cut short: quietly stopped, no bell
        assert not timer.running and timer.text == "" and app.bells == 0
        assert timer.adjust(-15) == 0 and not timer.running
        assert timer.adjust(30) == 30 and timer.text == "Rest 0:30"  # idle: + starts a rest
        timer.stop()
        assert timer.text == "" and timer.has_class("-idle") and app.bells == 0
        timer.start(0)
        assert not timer.running


@pytest.mark.parametrize(
    ("weight", "bar", "plates", "text"),
    [
        (100, 20, (25, 20, 15, 10, 5, 2.5, 1.25), "Per side: 25 + 15 (100 kg)"),
        (62.5, 20, (25, 20, 15, 10, 5, 2.5, 1.25), "Per side: 20 + 1.25 (62.5 kg)"),
        (20, 20, (25, 20, 15, 10, 5, 2.5, 1.25), "Just the bar (20 kg)"),
        (101, 20, (25, 20, 15, 10, 5, 2.5, 1.25), "Not exact: nearest 100 / 102.5 kg"),
        (100, 15, (20, 10, 5), "Not exact: nearest 95 / 105 kg"),
        (10, 20, (25, 20), "Less than the bar (20 kg)"),
        (2000, 20, (25,), ""),
        (None, 20, (25,), ""),
    ],
)
def test_plate_text(weight, bar, plates, text):
    assert plate_text(weight, bar, plates) == text


async def test_plate_calculator_widget():
    app = TimerApp(FakeClock())
    async with app.run_test():
        calc = app.query_one(PlateCalculator)
        assert calc.show(100) == "" and not calc.display        # no exercise yet: hidden
        calc.set_exercise("barbell")
        assert calc.text == "Per side: 25 + 15 (100 kg)" and calc.display
        assert str(calc.render()) == "Per side: 25 + 15 (100 kg)"
        assert calc.show(101) == "Not exact: nearest 100 / 102.5 kg" and calc.has_class("-inexact")
        calc.configure(15, (20, 10, 5, 2.5, 1.25))
        assert calc.show_text("102,5 x 5") == "Per side: 20 + 20 + 2.5 + 1.25 (102.5 kg)"
        assert not calc.has_class("-inexact")
        assert calc.show_text("bw x 5") == "" and not calc.display
        calc.show(100)
        calc.set_exercise("dumbbell")
        assert calc.text == "" and not calc.display
        calc.set_exercise("barbell", "stacks")
        assert not calc.display
