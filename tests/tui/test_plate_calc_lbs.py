"""The plate calculator in pounds: the pounds bar and plates, lb on every figure, never kg; the
lifter's own pounds gym (UserSettings.bar_for / plates_for); a weight typed in the other unit
converted; and on the real logging screen of a pounds lifter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.app import App, ComposeResult

from overload_tui.services.settings import DEFAULTS, apply_changes
from overload_tui.widgets.plate_calc import PlateCalculator, plate_text
from tests.tui.helpers import sqlite_only
from tests.tui.test_session import find, resume, view, wait_for


@pytest.mark.parametrize(
    ("weight", "bar", "plates", "text"),
    [
        (225, 45, (45, 35, 25, 10, 5, 2.5), "Per side: 45 + 45 (225 lb)"),
        (135, None, None, "Per side: 45 (135 lb)"),                       # the unit's defaults
        (185, 45, (45, 35, 25, 10, 5, 2.5), "Per side: 45 + 25 (185 lb)"),
        (45, 45, (45, 35, 25, 10, 5, 2.5), "Just the bar (45 lb)"),
        (95, 35, (45, 35, 25, 10, 5, 2.5), "Per side: 25 + 5 (95 lb)"),  # a 35 lb bar
        (137.5, 45, (45, 35, 25, 10, 5, 2.5, 1.25), "Per side: 45 + 1.25 (137.5 lb)"),
        (137.5, 45, (45, 35, 25, 10, 5, 2.5), "Not exact: nearest 135 / 140 lb"),
        (30, 45, (45,), "Less than the bar (45 lb)"),
        (2204.63, 45, (45,), ""),                                          # over 1000 kg
    ],
)
def test_plate_text_in_pounds(weight, bar, plates, text):
    assert plate_text(weight, bar, plates, "lbs") == text


class CalcApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PlateCalculator(id="plates")


async def test_widget_takes_the_exercise_unit_and_the_lifters_pounds_gym():
    app = CalcApp()
    async with app.run_test():
        calc = app.query_one(PlateCalculator)
        calc.set_exercise("barbell", "lbs")
        assert calc.show_text("225x5") == "Per side: 45 + 45 (225 lb)" and calc.display
        assert calc.show_text("100kg x 5") == "Not exact: nearest 220 / 225 lb"  # 220.46 lb
        mine = apply_changes(DEFAULTS, {"bar_weight_lb": "35", "plates_lb": "45, 25, 10, 5, 2.5, 1.25",
                                        "bar_weight": "15"})
        calc.use_settings(mine)
        assert calc.show_text("227.5 x 3") == "Per side: 45 + 45 + 5 + 1.25 (227.5 lb)"
        assert calc.show_text("35") == "Just the bar (35 lb)"
        calc.set_exercise("barbell", "kg")  # the same screen, a kg exercise: the kg gym
        assert calc.show_text("100") == "Per side: 25 + 15 + 2.5 (100 kg)"  # on a 15 kg bar
        assert calc.show_text("15") == "Just the bar (15 kg)"
        assert calc.show_text("225lb") == "Not exact: nearest 100 / 102.5 kg"  # 102.058 kg
        calc.set_exercise("barbell", "stacks")
        assert not calc.display
        calc.configure(15, (45, 35, 25, 10, 5, 2.5), unit="lbs")
        calc.set_exercise("barbell", "lbs")
        assert calc.show_text("105") == "Per side: 45 (105 lb)"
        built = PlateCalculator(settings=mine)
        assert built.gear[built.unit] == (15, (25, 20, 15, 10, 5, 2.5, 1.25))  # kg until told


@sqlite_only
async def test_a_pounds_lifter_sees_pound_plates_when_logging(services, ws, alice, fixed_clock, logged_in, make_app):
    services.settings(alice.id).update(weight_unit="lbs")
    bench = find(ws, "Bench Press (Barbell)")
    s = ws.start_session(fixed_clock - timedelta(days=3))
    e = ws.add_entry(bench.id, session_id=s.id)
    for _ in range(3):
        ws.add_set(e.id, 225, 5, "lbs")
    ws.finish_session(s.id)
    today = ws.start_session()
    ws.add_entry(bench.id, session_id=today.id)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        plates = app.screen.query_one("#plates", PlateCalculator)
        assert view(app).prefill == "225x6"
        await wait_for(pilot, lambda: plates.text, "Per side: 45 + 45 (225 lb)", "the prefill's pound plates")
        await pilot.press(*"235")
        await wait_for(pilot, lambda: plates.text, "Per side: 45 + 45 + 5 (235 lb)", "235 lb's plates")
        assert "kg" not in plates.text


@sqlite_only
async def test_the_logging_screen_loads_the_lifters_own_gym(services, ws, alice, logged_in, make_app):
    """The lifter's bar and plates (a 35 lb bar, 1.25s owned; a 15 kg bar), not the defaults."""
    services.settings(alice.id).update(weight_unit="lbs", bar_weight_lb="35", plates_lb="45, 25, 5, 1.25",
                                       bar_weight="15")
    bench = find(ws, "Bench Press (Barbell)")
    today = ws.start_session()
    ws.add_entry(bench.id, session_id=today.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        plates = app.screen.query_one("#plates", PlateCalculator)
        await pilot.press(*"227.5")
        await wait_for(pilot, lambda: plates.text, "Per side: 45 + 45 + 5 + 1.25 (227.5 lb)", "the lifter's pound gym")
        await pilot.press(*["backspace"] * 5, *"kg")  # 'kg' alone switches the unit: its Enter is needed
        await pilot.press("enter")
        await pilot.press(*"65")
        await wait_for(pilot, lambda: plates.text, "Per side: 25 (65 kg)", "the lifter's 15 kg bar")
