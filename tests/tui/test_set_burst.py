"""Keys that reach the set box in one burst (a paste, a laggy SSH link) act in their order."""

from __future__ import annotations

from textual import events

from tests.tui.helpers import settle, sqlite_only
from tests.tui.test_login import burst
from tests.tui.test_session import history, resume, sets_of, workout  # noqa: F401 - fixtures


async def empty_box(pilot) -> int:
    """Today's workout resumed, its set box emptied; the workout's id."""
    sid = (await resume(pilot)).session_id
    pilot.app.screen.query_one("#set-input").value = ""
    return sid


@sqlite_only
async def test_sets_typed_in_one_burst_are_each_saved_in_order(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = await empty_box(pilot)
        burst(app, "100x5\rx3\r105\r")
        await settle(pilot)
        assert sets_of(ws, sid) == [(100, 5, "kg"), (100, 3, "kg"), (105, 3, "kg")]
        assert app.screen.query_one("#set-input").value == "105x3"  # the next set, pre-filled


@sqlite_only
async def test_a_key_of_the_screen_in_the_burst_acts_before_the_set_behind_it(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = await empty_box(pilot)
        app.post_message(events.Key("down", None))  # the next exercise (leg press, in stacks)...
        burst(app, "8x12\r")  # ...gets this set, though it arrived with the key
        await settle(pilot)
        assert sets_of(ws, sid, 0) == []
        assert sets_of(ws, sid, 1) == [(8, 12, "stacks")]


@sqlite_only
async def test_keys_behind_shift_tab_in_the_burst_go_to_the_set_table(ws, workout, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = await empty_box(pilot)
        burst(app, "100x5\r")
        await settle(pilot)
        burst(app, "\bt")  # shift+tab to the set table, then its t: the set's type, not a letter
        await settle(pilot)
        assert app.focused is app.screen.query_one("#sets")
        assert app.screen.query_one("#set-input").value == "100x5"  # the next set, untouched
        assert [(s.weight, s.reps, s.set_type) for s in ws.get_session(sid).entries[0].sets] == [(100, 5, "warmup")]


@sqlite_only
async def test_an_exercise_named_and_chosen_in_one_burst_is_the_one_named(ws, workout, make_app):
    """A name and Enter sent at once to the exercise picker: Enter waits for the results of what
    was typed instead of taking the list still shown (it added the exercise highlighted there)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = await empty_box(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        burst(app, "squat barbell\r")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        names = [e.exercise.name for e in ws.get_session(sid).entries]
        assert names == ["Bench Press (Barbell)", "Leg Press (Machine)", "Squat (Barbell)"]


@sqlite_only
async def test_enter_waiting_for_a_search_that_fails_waits_no_more(ws, workout, make_app, monkeypatch):
    from overload_tui.domain.errors import OverloadError
    from overload_tui.services.workouts import WorkoutService

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await empty_box(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        picker = app.screen

        def fail(*args, **kwargs):
            raise OverloadError("the search broke")

        monkeypatch.setattr(WorkoutService, "search_exercises", fail)
        burst(app, "squat\r")
        await settle(pilot)
        assert app.screen is picker and not picker._choose_first
        assert any("the search broke" in str(n.message) for n in app._notifications)
