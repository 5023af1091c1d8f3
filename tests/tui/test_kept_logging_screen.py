"""The app keeps one logging screen (made ahead, shown again for each workout): every workout
opened on it shows its own sets and saves to itself, answers for the workout shown before are
dropped, and nothing of one lifter's stays on the terminal after log-out."""

from __future__ import annotations

import threading

from textual.widgets import Input

from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from overload_tui.screens.session import SessionScreen, opening_job
from tests.tui.helpers import settle, sqlite_only, type_text
from tests.tui.test_session import history, sets_of, workout  # noqa: F401 - fixtures


def rows(screen: SessionScreen) -> list[str]:
    table = screen.query_one("#sets")
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def kept_screen(pilot, resume: bool = False) -> SessionScreen:
    """The logging screen made ahead (without waiting for the app's timer); with ``resume``,
    showing today's workout."""
    await settle(pilot)
    pilot.app._prepare_logging_screen()
    await settle(pilot)
    screen = pilot.app._logging_screen
    assert isinstance(screen, SessionScreen) and screen.is_mounted and screen not in pilot.app.screen_stack
    if resume:
        await pilot.press("r")
        await settle(pilot)
        assert pilot.app.screen is screen
    return screen


async def back(pilot) -> None:
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)


async def test_each_workout_on_the_kept_screen_shows_and_saves_its_own_sets(ws, history, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        kept = await kept_screen(pilot, resume=True)  # today's workout
        assert kept.session_id == workout
        assert rows(kept) == []
        await pilot.press("enter")  # the suggestion, as pre-filled
        await settle(pilot)
        assert sets_of(ws, workout) == [(100, 6, "kg")]
        await type_text(pilot, "90")  # typed, not sent: must not follow to the next workout
        await back(pilot)

        app.open_session(history.id)  # three days ago, from the history
        await settle(pilot)
        assert app.screen is kept and kept.session_id == history.id
        assert rows(kept) == ["100 kg", "100 kg", "95 kg"]
        assert kept.query_one("#set-input", Input).value != "90"
        await type_text(pilot, "x4")
        await pilot.press("enter")
        await settle(pilot)
        assert sets_of(ws, history.id) == [(100, 5, "kg"), (100, 5, "kg"), (95, 6, "kg"), (95, 4, "kg")]
        assert sets_of(ws, workout) == [(100, 6, "kg")]
        await back(pilot)

        await pilot.press("r")
        await settle(pilot)
        assert app.screen is kept and rows(kept) == ["100 kg"]


@sqlite_only
async def test_answers_for_the_workout_shown_before_are_dropped(ws, history, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        kept = await kept_screen(pilot, resume=True)
        release, answers = threading.Event(), []
        kept.run_service(lambda: release.wait(5), on_done=answers.append)  # still on its way...
        kept.reopen(history.id, opening_job(app, history.id)())  # ...when another workout is shown
        release.set()
        await settle(pilot)
        assert answers == []
        assert rows(kept) == ["100 kg", "100 kg", "95 kg"]


@sqlite_only
async def test_log_out_drops_the_kept_screen(services, ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        kept = await kept_screen(pilot, resume=True)
        await back(pilot)
        await pilot.press("l", "y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app._logging_screen is None and not kept.is_attached
        assert not app.is_screen_installed(kept)


async def test_an_empty_workout_on_the_kept_screen_asks_for_its_first_exercise_on_top(ws, logged_in, make_app):
    from overload_tui.widgets.exercise_picker import ExercisePickerScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        kept = await kept_screen(pilot)
        app.start_workout()  # an empty workout: the picker opens over the logging screen
        await settle(pilot)
        assert isinstance(app.screen, ExercisePickerScreen)
        assert app.screen_stack[-2] is kept
        await pilot.press("ctrl+g")  # no exercise chosen: the empty workout stays open
        await settle(pilot)
        assert app.screen is kept
