"""The dashboard: this week's count, recent workouts, resume, start empty or from a template."""

from __future__ import annotations

from datetime import timedelta


from overload_tui.screens import dashboard
from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from overload_tui.screens.session import SessionScreen
from overload_tui.widgets.row_view import OptionRows
from tests.tui.helpers import settle, sqlite_only


def find(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


def prompts(app, list_id) -> list[str]:
    return [row.plain for row in app.screen.query_one(list_id, OptionRows).rows]


async def test_dashboard_counts_lists_and_starts_from_a_template(ws, fixed_clock, logged_in, make_app):
    bench, squat = find(ws, "Bench Press (Barbell)"), find(ws, "Squat (Barbell)")
    for days in (9, 2, 1):  # last week, Monday, Tuesday (today is Wednesday)
        s = ws.start_session(fixed_clock - timedelta(days=days))
        ws.add_set(ws.add_entry(bench.id, session_id=s.id).id, 100, 5)
        ws.finish_session(s.id)
    template = ws.create_template("Legs <b>[i]day[/i]</b>")
    for ex in (squat, bench):
        ws.add_entry(ex.id, template_id=template.id)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "2 workouts this week" in app.screen.query_one("#summary").content.plain
        assert prompts(app, "#start") == ["+ Empty workout", "  Legs <b>[i]day[/i]</b> · 2 exercises"]
        recent = prompts(app, "#recent")
        assert [r.split()[:3] for r in recent] == [["yesterday", "1", "set"], ["Mon", "3", "Jun"], ["Mon", "27", "May"]]

        await pilot.press("down", "enter")  # the template
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        session = ws.get_session(app.screen.session_id)
        assert session.name == "Legs <b>[i]day[/i]</b>"
        assert [e.exercise.name for e in session.entries] == ["Squat (Barbell)", "Bench Press (Barbell)"]
        assert app.screen.view.prefill == ""  # squat: never done, nothing to pre-fill

        await pilot.press("ctrl+g")  # back: today's workout can be resumed
        await settle(pilot)
        assert prompts(app, "#start")[0].startswith("▶ Resume Legs <b>[i]day[/i]</b>")
        assert "3 workouts this week" in app.screen.query_one("#summary").content.plain
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.session_id == session.id


@sqlite_only
async def test_other_screens_open_or_say_they_are_not_there_yet(ws, logged_in, make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, module in (("t", "templates"), ("h", "history"), ("p", "progress"), ("s", "settings")):
            await pilot.press(key)
            await settle(pilot)
            name = type(app.screen).__name__
            try:
                __import__(f"overload_tui.screens.{module}")
            except ImportError:
                assert name == "DashboardScreen"
            else:
                assert name == f"{module.capitalize()}Screen"
                app.pop_screen()
                await settle(pilot)

        monkeypatch.setitem(dashboard.OTHER_SCREENS, "history", ("overload_tui.screens.nowhere", "X"))
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert any("not available yet" in str(n.message) for n in app._notifications)


@sqlite_only
async def test_logout_asks_first(services, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await settle(pilot)
        await pilot.press("l", "n")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert services.tokens.load() is not None
        await pilot.press("l", "y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert services.tokens.load() is None


async def test_dashboard_shows_this_weeks_sets_and_kg_per_muscle_category(ws, fixed_clock, logged_in, make_app):
    bench, squat, curl = find(ws, "Bench Press (Barbell)"), find(ws, "Squat (Barbell)"), find(ws, "Bicep Curl (Barbell)")
    last_week = ws.start_session(fixed_clock - timedelta(days=9))
    ws.add_set(ws.add_entry(squat.id, session_id=last_week.id).id, 200, 5)  # not this week
    monday = ws.start_session(fixed_clock - timedelta(days=2))
    entry = ws.add_entry(bench.id, session_id=monday.id)
    ws.add_set(entry.id, 60, 10, set_type="warmup")  # warm-ups are not counted
    for reps in (5, 5, 4):
        ws.add_set(entry.id, 100, reps)
    entry = ws.add_entry(squat.id, session_id=monday.id)
    for _ in range(2):
        ws.add_set(entry.id, 140.5, 5)
    entry = ws.add_entry(curl.id, session_id=monday.id)
    ws.add_set(entry.id, 4, 12, unit="stacks")  # a set, but no kg

    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await settle(pilot)
        summary = app.screen.query_one("#summary")
        assert summary.content.plain.split("\n") == [
            "Hello Alice. 1 workout this week.", "Chest 3 sets · 1,400 kg   Legs 2 sets · 1,405 kg   Arms 1 set"]
        # At 45 columns the items wrap whole, two lines, never a category split from its numbers.
        assert summary.content.lines(43).plain.split("\n")[1:] == [
            "Chest 3 sets · 1,400 kg", "Legs 2 sets · 1,405 kg   Arms 1 set"]
        assert summary.size.height == 3  # the greeting and two lines of volume


def test_week_volume_keeps_to_three_lines_with_every_category():
    from overload_tui.domain.enums import Category

    volume = tuple((c, 12, 10_350.0) for c in Category)
    packed = dashboard.volume_text(volume)
    wide = packed.lines(78).plain.split("\n")
    assert len(wide) == 3 and wide[0] == "Chest 12 sets · 10,350 kg   Back 12 sets · 10,350 kg"  # 80 columns
    narrow = packed.lines(43).plain.split("\n")  # 45 columns: sets only, two to a line
    assert narrow == ["Chest 12 sets   Back 12 sets   Legs 12 sets", "Shoulders 12 sets   Arms 12 sets", "Core 12 sets"]


@sqlite_only
async def test_no_volume_line_before_the_first_set_of_the_week(ws, fixed_clock, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#summary").content.plain == "Hello Alice. 0 workouts this week."
        assert app.screen.query_one("#summary").size.height == 1
        assert app.screen.data.volume == ()


@sqlite_only
async def test_import_and_export_are_keys_and_palette_commands(logged_in, make_app):
    from overload_tui.widgets.service_screen import _binding_commands

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {name: help_text for name, help_text, _ in _binding_commands(app.screen)}
        assert commands["Import"] == "Key: i" and commands["Export"] == "Key: e"
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "i" in footer_keys and "e" not in footer_keys  # Export: palette and F1 only
        await pilot.press("i")
        await settle(pilot)
        assert type(app.screen).__name__ == "ImportScreen"
