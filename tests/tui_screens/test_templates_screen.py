"""Templates screens driven with the keyboard, checked against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from overload_tui.screens.templates import TemplateEditorScreen, TemplatesScreen
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.exercise_select import ExerciseSelectScreen
from overload_tui.widgets.form_dialog import FormDialog
from overload_tui.widgets.service_screen import _binding_commands
from tests.tui_screens.helpers import HostApp, exercise, searched, settle, until


def prompts(app, selector: str) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one(selector, OptionList).options]


def palette_first(app) -> str | None:
    """The first command the command palette offers (what Enter runs), once its list is shown."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette) or not screen._list_visible:
        return None
    commands = screen.query_one(CommandList)
    if not commands.option_count or commands.highlighted not in (None, 0):
        return None
    return str(commands.get_option_at_index(0).prompt).splitlines()[0].strip()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def clear_input(pilot) -> None:
    await pilot.press("ctrl+a", "ctrl+k")


async def test_create_template_then_build_it(services, alice, ws):
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "No templates yet" in str(app.screen.query_one("#tpl-empty", Static).render())

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "[b]q[/b]")  # q must type, not go back
        await pilot.press("enter")
        await type_text(pilot, "chest")
        await pilot.press("enter")
        await settle(pilot)

        [tpl] = ws.list_templates()
        assert (tpl.name, tpl.description) == ("[b]q[/b]", "chest")
        assert isinstance(app.screen, TemplateEditorScreen)  # a new template opens for editing

        # Add two exercises through the picker (search, then Enter).
        for name, query in [("Bench Press (Barbell)", "bench press (barbell)"), ("Squat (Barbell)", "squat (barbell)")]:
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, ExerciseSelectScreen)
            app.screen.query_one(Input).value = query  # as if typed (typing is slow under test)
            await searched(pilot, name)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.query_one("#tpl-entries", OptionList).highlighted_option.id.startswith("e")
            assert any(name in p for p in prompts(app, "#tpl-entries"))

        info = ws.get_template(tpl.id)
        assert [e.exercise.name for e in info.entries] == ["Bench Press (Barbell)", "Squat (Barbell)"]

        # Two target sets on the squat (the cursor is on it): t, weight, reps.
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "100")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("up")  # back on the squat row
        await pilot.press("t")
        await settle(pilot)
        await clear_input(pilot)
        await type_text(pilot, "102.5")
        await pilot.press("tab")
        await clear_input(pilot)
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        squat = ws.get_template(tpl.id).entries[1]
        assert [(s.weight, s.reps) for s in squat.sets] == [(100, 5), (102.5, 3)]

        # Edit the highlighted (new) set with Enter.
        await pilot.press("enter")
        await settle(pilot)
        await clear_input(pilot)
        await type_text(pilot, "105")
        await pilot.press("ctrl+s")
        await settle(pilot)
        squat = ws.get_template(tpl.id).entries[1]
        assert [(s.weight, s.reps) for s in squat.sets] == [(100, 5), (105, 3)]

        # Target sets reorder too: K moves the highlighted set up, J down.
        await pilot.press("K")
        await settle(pilot)
        assert [(s.weight, s.reps) for s in ws.get_template(tpl.id).entries[1].sets] == [(105, 3), (100, 5)]
        await pilot.press("J")
        await settle(pilot)
        assert [(s.weight, s.reps) for s in ws.get_template(tpl.id).entries[1].sets] == [(100, 5), (105, 3)]

        # Remove that set (no confirmation for one set).
        await pilot.press("x")
        await settle(pilot)
        assert [(s.weight, s.reps) for s in ws.get_template(tpl.id).entries[1].sets] == [(100, 5)]

        # Move the squat above the bench: cursor to the squat row, K.
        option_list = app.screen.query_one("#tpl-entries", OptionList)
        squat_entry = ws.get_template(tpl.id).entries[1]
        option_list.highlighted = option_list.get_option_index(f"e{squat_entry.id}")
        await pilot.press("K")
        await settle(pilot)
        assert [e.exercise.name for e in ws.get_template(tpl.id).entries] == ["Squat (Barbell)", "Bench Press (Barbell)"]
        await pilot.press("J")
        await settle(pilot)
        assert [e.exercise.name for e in ws.get_template(tpl.id).entries] == ["Bench Press (Barbell)", "Squat (Barbell)"]

        # Remove the squat: asks first; n keeps it, y removes it.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(ws.get_template(tpl.id).entries) == 2
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [e.exercise.name for e in ws.get_template(tpl.id).entries] == ["Bench Press (Barbell)"]

        # Rename and describe.
        await pilot.press("r")
        await settle(pilot)
        await clear_input(pilot)
        await type_text(pilot, "Push")
        await pilot.press("tab")
        await clear_input(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (ws.get_template(tpl.id).name, ws.get_template(tpl.id).description) == ("Push", None)

        # Back to the list, which shows the new name and count.
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen)
        assert prompts(app, "#tpl-list") == ["Push\n1 exercise"]


async def test_failed_save_keeps_what_was_typed(services, alice, ws):
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "no name given")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)  # still open
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error.startswith("Not saved:")
        assert app.screen.query_one("#field-description", Input).value == "no name given"
        assert ws.list_templates() == []
        # Fix it and save.
        app.screen.query_one("#field-name", Input).focus()
        await type_text(pilot, "Pull")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [(t.name, t.description) for t in ws.list_templates()] == [("Pull", "no name given")]


async def test_cancel_with_ctrl_g_and_escape(services, alice, ws):
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("ctrl+g", "escape"):
            await pilot.press("n")
            await settle(pilot)
            await type_text(pilot, "Abandoned")
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, TemplatesScreen)
        assert ws.list_templates() == []


async def test_rename_delete_and_start_from_the_list(services, alice, ws):
    bench = exercise(ws, "Bench Press (Barbell)")
    legs = ws.create_template("Legs")
    push = ws.create_template("Push", "old")
    entry = ws.add_entry(bench.id, template_id=push.id)
    ws.add_set(entry.id, 80, 5)
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert prompts(app, "#tpl-list") == ["Legs\n0 exercises", "Push\n1 exercise · old"]
        await pilot.press("down")

        await pilot.press("r")
        await settle(pilot)
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"new words", "enter")
        await settle(pilot)
        assert ws.get_template(push.id).description == "new words"

        # Start a workout from it: a session with its exercises, opened in the logging screen.
        await pilot.press("s")
        await settle(pilot)
        [session] = ws.list_sessions()
        assert app.opened == [session.id]
        assert session.name == "Push"
        assert session.exercise_names == ("Bench Press (Barbell)",)

        # Delete "Legs" after confirming.
        await pilot.press("up", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Legs" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert [t.name for t in ws.list_templates()] == ["Push"]
        assert prompts(app, "#tpl-list") == ["Push\n1 exercise · new words"]
        assert legs.id not in [t.id for t in ws.list_templates()]


async def test_start_without_a_logging_screen_does_not_crash(services, alice, ws):
    ws.create_template("Push")
    app = HostApp(services, alice, TemplatesScreen, with_open_session=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert len(ws.list_sessions()) == 1
        assert isinstance(app.screen, TemplatesScreen)


async def test_actions_are_in_the_command_palette_and_greyed_when_empty(services, alice, ws):
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = [name for name, _help, _cb in _binding_commands(app.screen)]
        assert "New" in names and "Back" in names
        assert "Delete" not in names  # nothing to delete yet: disabled, so not offered
        ws.create_template("Push")
        app.screen.reload()
        await settle(pilot)
        names = [name for name, _help, _cb in _binding_commands(app.screen)]
        assert {"New", "Edit", "Start workout", "Rename", "Delete", "Back"} <= set(names)
        assert "Down" not in names  # the list's own cursor keys are not commands
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"rename")
        await until(pilot, lambda: palette_first(app) == "Rename", "the palette to offer Rename first",
                    seen=lambda: f"first offered: {palette_first(app)!r}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)


async def test_back_keys(services, alice):
    """q, backspace, Escape and ctrl+g all go back (Escape is slow in tmux, so never the only way)."""
    app = HostApp(services, alice, TemplatesScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("q", "backspace", "escape", "ctrl+g"):
            if not isinstance(app.screen, TemplatesScreen):
                await app.push_screen(TemplatesScreen())
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, TemplatesScreen), key


async def test_names_are_shown_literally(services, alice, ws):
    bench = exercise(ws, "Bench Press (Barbell)")
    tpl = ws.create_template("[bold]x[/]", "[link=http://evil]click[/link]")
    ws.add_entry(bench.id, template_id=tpl.id)
    app = HostApp(services, alice, lambda: TemplateEditorScreen(tpl.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        heading = str(app.screen.query_one("#tpl-heading", Static).render())
        assert "[bold]x[/]" in heading and "[link=http://evil]click[/link]" in heading
