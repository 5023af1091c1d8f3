"""The settings form of a pounds lifter (SQLite: the service is tested on both databases in
tests/test_settings_lbs.py): the weight unit at the top, the increments, bar and plates of the
unit chosen (lb for pounds, never a kg figure), switching units in the form keeps what was
typed in either, and how it looks at 80x24 and 45x20."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from overload_tui.domain.enums import Equipment
from overload_tui.domain.units import WeightUnit
from overload_tui.screens.settings import SettingsScreen
from tests.progress.test_settings_screen import SettingsHost, sqlite_services, user  # noqa: F401 - fixtures
from tests.tui.helpers import no_blink, screen_text, settle, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((45, 20), id="45x20")]


def on_screen(screen, dom_id: str) -> bool:
    """The field is displayed (it and every container up to the screen)."""
    widget = screen.query_one(f"#{dom_id}")
    return all(node.display for node in [widget, *widget.ancestors] if node is not screen.app)


def value(screen, dom_id: str) -> str:
    return screen.query_one(f"#{dom_id}", Input).value


async def choose_unit(pilot, screen, unit: str) -> None:
    screen.query_one("#weight_unit", Select).value = unit
    await until(pilot, lambda: screen.query_one("#settings-form").has_class("-lbs") == (unit == "lbs"),
                f"the {unit} gear shown")
    await settle(pilot)


async def opened(pilot) -> SettingsScreen:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen._loaded is not None,
                "the settings loaded")
    await settle(pilot)
    return app.screen


async def test_pounds_form_shows_the_pounds_gym_and_keeps_both(sqlite_services, user):  # noqa: F811
    svc = sqlite_services.settings(user.id)
    svc.update(weight_unit="lbs", bar_weight="15")
    app = SettingsHost(sqlite_services, user)
    async with app.run_test(size=(100, 70)) as pilot:
        screen = await opened(pilot)
        assert screen.query_one("#weight_unit", Select).value == "lbs"
        assert value(screen, "bar_weight_lb") == "45" and value(screen, "plates_lb") == "45, 35, 25, 10, 5, 2.5"
        assert value(screen, "increments_lb-barbell") == "5" and value(screen, "lower_increments_lb-barbell") == "10"
        for shown in ("bar_weight_lb", "plates_lb", "increments_lb-barbell", "lower_increments_lb-barbell",
                      "increments-machine"):
            assert on_screen(screen, shown), shown
        for hidden in ("bar_weight", "plates", "increments-barbell"):
            assert not on_screen(screen, hidden), hidden
        assert "kg" not in screen_text(app)  # the whole form: lb, stacks, never kg

        await pilot.click("#plates_lb")
        screen.query_one("#plates_lb", Input).value = "45, 35, 25, 10, 5, 2.5, 1.25"
        screen.query_one("#increments_lb-barbell", Input).value = "2.5"
        screen.query_one("#lower_increments_lb-barbell", Input).value = "5"
        await choose_unit(pilot, screen, "kg")  # the kg gym, as stored; the pounds typed stay
        assert on_screen(screen, "bar_weight") and value(screen, "bar_weight") == "15"
        assert not on_screen(screen, "plates_lb") and not on_screen(screen, "lower_increments_lb-barbell")
        assert "lb" not in screen_text(app).replace("lbs: pounds", "")
        await choose_unit(pilot, screen, "lbs")
        assert value(screen, "plates_lb") == "45, 35, 25, 10, 5, 2.5, 1.25"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: str(screen.query_one("#status", Static).render()) == "Saved.", "saved")
        saved = svc.get()
        assert saved.weight_unit is WeightUnit.LBS and saved.bar_weight == 15
        assert saved.plates_lb == (45, 35, 25, 10, 5, 2.5, 1.25)
        assert saved.increments_lb[Equipment.BARBELL] == 2.5 and saved.lower_increments_lb[Equipment.BARBELL] == 5

        # A mistake in the unit not shown: said in the status line, the focus stays on screen.
        await choose_unit(pilot, screen, "kg")
        screen.query_one("#plates_lb", Input).value = "45, 0"
        await choose_unit(pilot, screen, "lbs")
        screen.query_one("#plates", Input).value = "25, 0"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Not saved" in str(screen.query_one("#status", Static).render()), "refused")
        status = str(screen.query_one("#status", Static).render())
        assert "Some are in the kg settings: choose kg above to see them." in status
        assert str(screen.query_one("#error-plates_lb", Static).render()) == (
            "Each plate must be more than 0 and at most 220 lb.")
        assert app.focused is screen.query_one("#plates_lb")
        assert svc.get() == saved

        # Defaults keep the lifter's unit.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.query_one("#weight_unit", Select).value == "lbs" and value(screen, "bar_weight_lb") == "45"
        assert value(screen, "plates") == "25, 20, 15, 10, 5, 2.5, 1.25"


async def test_switching_a_kg_lifter_to_pounds(sqlite_services, user):  # noqa: F811
    app = SettingsHost(sqlite_services, user)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert screen.query_one("#weight_unit", Select).value == "kg" and on_screen(screen, "bar_weight")
        await choose_unit(pilot, screen, "lbs")
        assert on_screen(screen, "bar_weight_lb") and value(screen, "bar_weight_lb") == "45"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sqlite_services.settings(user.id).get().weight_unit is WeightUnit.LBS,
                    "the unit saved")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.results, "the settings handed back")
        assert app.results[0].weight_unit is WeightUnit.LBS


@pytest.mark.parametrize("size", SIZES)
def test_pounds_settings_look(snap_compare, sqlite_services, user, size):  # noqa: F811
    sqlite_services.settings(user.id).update(weight_unit="lbs")

    async def gear_in_sight(pilot) -> None:
        screen = await opened(pilot)
        form = screen.query_one("#settings-form")
        form.scroll_to_widget(screen.query_one("#increments-title"), top=True, animate=False)
        no_blink(pilot.app)
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(SettingsHost(sqlite_services, user), terminal_size=size, run_before=gear_in_sight)
