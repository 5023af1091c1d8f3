"""A new account in pounds from the login screen: the unit choice of the sign-up form (ctrl+t from
any field, or the list under the form), saved with the account (both databases)."""

from __future__ import annotations

from textual.widgets import Select

from overload_tui.domain.units import WeightUnit
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from tests.tui.helpers import settle, sqlite_only, type_text, until


async def new_account_form(pilot) -> LoginScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("ctrl+r")
    await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.registering
                and app.screen.query("#unit") and app.screen.query_one("#unit").is_mounted, "the new-account form")
    return app.screen


def unit_of(services, username: str) -> WeightUnit:
    user = next(u for u in services.auth.list_users() if u.username == username)
    return services.settings(user.id).get().weight_unit


async def test_sign_up_in_pounds_with_ctrl_t(services, make_app):
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        screen = await new_account_form(pilot)
        assert screen.query_one("#unit", Select).value == "kg" and screen.unit is WeightUnit.KG  # the default
        for text in ("erin", "erin@example.com", "", "s3cret pass"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await type_text(pilot, "s3cret pass")
        await pilot.press("ctrl+t")  # from the repeat field
        await until(pilot, lambda: screen.query_one("#unit", Select).value == "lbs", "lbs chosen")
        await pilot.press("ctrl+t", "ctrl+t")  # and back, and again
        await until(pilot, lambda: screen.query_one("#unit", Select).value == "lbs", "lbs again")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert app.user.username == "erin"
    assert unit_of(services, "erin") is WeightUnit.LBS


@sqlite_only
async def test_sign_up_choosing_from_the_list_and_kg_by_default(services, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_account_form(pilot)
        for text in ("fay", "fay@example.com", "", "s3cret pass"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await type_text(pilot, "s3cret pass")
        await pilot.press("tab")  # to the unit list: open it, pounds, chosen
        await until(pilot, lambda: app.focused is screen.query_one("#unit"), "the unit list focused")
        await pilot.press("enter", "down", "enter")
        await until(pilot, lambda: screen.unit is WeightUnit.LBS, "lbs chosen from the list")
        await pilot.press("shift+tab", "enter")  # back in the repeat field: Enter creates the account
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    assert unit_of(services, "fay") is WeightUnit.LBS

    app = make_app()
    services.tokens.clear()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_account_form(pilot)
        for text in ("gus", "gus@example.com", "", "s3cret pass", "s3cret pass"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    assert unit_of(services, "gus") is WeightUnit.KG
