"""The template editor shows the rule each exercise is judged by, and p sets it (this template's
own, the exercise's everywhere), checked against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from textual.widgets import OptionList

from overload_tui.domain.progression import RuleSource
from overload_tui.screens.templates import TemplateEditorScreen
from overload_tui.widgets.form_dialog import FormDialog
from tests.tui_screens.helpers import HostApp, exercise, screen_text, settle, until


def entry_prompt(app, entry_id: int) -> str:
    option_list = app.screen.query_one("#tpl-entries", OptionList)
    return str(option_list.get_option(f"e{entry_id}").prompt)


async def test_editor_shows_and_sets_the_rule(services, alice, ws):
    squat = exercise(ws, "Squat (Barbell)")
    tpl = ws.create_template("Legs")
    entry = ws.add_entry(squat.id, template_id=tpl.id)
    ws.add_set(entry.id, 60, 5, set_type="warmup")
    ws.add_set(entry.id, 100, 5)
    progress = services.progress(alice.id)

    app = HostApp(services, alice, lambda: TemplateEditorScreen(tpl.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TemplateEditorScreen) and app.screen.template is not None,
                    "the template")
        await settle(pilot)
        assert "rule: double 5-5 (target sets)" in entry_prompt(app, entry.id)

        # The cursor is on the exercise: p, this template's rule, Enter, the exercise's, Enter saves.
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the rule form")
        await pilot.press(*"linear 5", "enter", *"double 6-10", "enter")
        await until(pilot, lambda: isinstance(app.screen, TemplateEditorScreen), "back in the editor")
        await until(pilot, lambda: "rule: linear 5 (this template)" in entry_prompt(app, entry.id), "the new rule")
        r = progress.rule_in_force(squat.id, tpl.id)
        assert (r.rule.source, r.template.text, r.exercise.text) == (RuleSource.TEMPLATE, "linear 5", "double 6-10")

        # A rule that does not parse: the dialog says why and nothing is saved.
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the rule form")
        await pilot.press("ctrl+a", "ctrl+k", *"triple 5", "ctrl+s")
        await until(pilot, lambda: "A rule starts with double or linear" in screen_text(app), "the error")
        assert isinstance(app.screen, FormDialog)
        assert progress.rule_in_force(squat.id, tpl.id).template.text == "linear 5"

        # Blank clears this template's own: the exercise's applies again.
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TemplateEditorScreen), "back in the editor")
        await until(pilot, lambda: "rule: double 6-10 (this exercise)" in entry_prompt(app, entry.id),
                    "the exercise's rule")
        assert progress.rule_in_force(squat.id, tpl.id).template is None
