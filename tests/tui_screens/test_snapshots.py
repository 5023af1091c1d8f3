"""How the templates, history and progress screens look, at 80x24 and 45x20 (SQLite, fixed data
and a fixed clock, so the pictures are the same on any day). Update with --snapshot-update and
look at the SVGs in __snapshots__ before committing them."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from overload_tui.screens.history import HistoryScreen
from overload_tui.screens.progress import ProgressScreen
from overload_tui.screens.templates import TemplateEditorScreen, TemplatesScreen
from tests.tui_screens.helpers import HostApp, seed_workouts, settle

NORMAL = (80, 24)
SMALL = (45, 20)


@pytest.fixture
def seeded(sqlite_services, snap_user, snap_ws, fixed_clock):
    data = seed_workouts(snap_ws)
    return sqlite_services, snap_user, data


def host(seeded, make_screen):
    services, user, data = seeded
    return HostApp(services, user, make_screen)


async def _ready(pilot, *keys: str, theme: str | None = None) -> None:
    if theme:
        pilot.app.theme = theme
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def ready(*keys: str, theme: str | None = None):
    async def run_before(pilot) -> None:
        await _ready(pilot, *keys, theme=theme)

    return run_before


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_templates_list(snap_compare, seeded, size):
    assert snap_compare(host(seeded, TemplatesScreen), terminal_size=size, run_before=ready())


def test_templates_list_wide_preview(snap_compare, seeded):
    assert snap_compare(host(seeded, TemplatesScreen), terminal_size=(110, 24), run_before=ready("down"))


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_template_editor(snap_compare, seeded, size):
    push_id = seeded[2]["push"].id
    assert snap_compare(host(seeded, lambda: TemplateEditorScreen(push_id)), terminal_size=size, run_before=ready())


def test_template_set_form_error_keeps_input(snap_compare, seeded):
    """A rejected target set: the error shows in the dialog and the typed values stay."""
    push_id = seeded[2]["push"].id

    async def run_before(pilot) -> None:
        await _ready(pilot, "t")
        await pilot.press("ctrl+a", "ctrl+k", *"5000", "tab", "ctrl+a", "ctrl+k", "3", "ctrl+s")
        await _ready(pilot)

    assert snap_compare(host(seeded, lambda: TemplateEditorScreen(push_id)), terminal_size=NORMAL, run_before=run_before)


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_history_list(snap_compare, seeded, size):
    assert snap_compare(host(seeded, HistoryScreen), terminal_size=size, run_before=ready())


def test_history_detail(snap_compare, seeded):
    assert snap_compare(host(seeded, HistoryScreen), terminal_size=NORMAL, run_before=ready("enter"))


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_progress_e1rm(snap_compare, seeded, size):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=size, run_before=ready())


def test_progress_best_sets(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=NORMAL, run_before=ready("4"))


def test_progress_light_theme_volume(snap_compare, seeded):
    assert snap_compare(
        host(seeded, ProgressScreen), terminal_size=NORMAL, run_before=ready("3", "a", theme="textual-light")
    )


def test_progress_large_terminal_shows_all_views(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=(140, 42), run_before=ready())


def test_progress_exercise_picker(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=SMALL, run_before=ready("e"))
