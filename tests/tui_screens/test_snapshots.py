"""How the templates, history and progress screens look, at 80x24 and 45x20 (SQLite, fixed data
and a fixed clock, so the pictures are the same on any day). Update with --snapshot-update and
look at the SVGs in __snapshots__ before committing them."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from overload_tui.screens.history import HistoryScreen, SessionDetailScreen
from overload_tui.screens.progress import ProgressScreen
from overload_tui.screens.templates import TemplateEditorScreen, TemplatesScreen
from overload_tui.widgets.exercise_select import ExerciseSelectScreen
from overload_tui.widgets.form_dialog import FormDialog
from tests.tui_screens.helpers import HostApp, screen_text, seed_workouts, settle, until

NORMAL = (80, 24)
SMALL = (45, 20)


@pytest.fixture
def seeded(sqlite_services, snap_user, snap_ws, fixed_clock):
    data = seed_workouts(snap_ws)
    return sqlite_services, snap_user, data


def host(seeded, make_screen):
    services, user, data = seeded
    return HostApp(services, user, make_screen)


# -- what each picture waits for: the screen's data drawn (a condition, never a number of rounds) --
def _shown(app, *texts: str) -> bool:
    shown = screen_text(app)
    return all(text in shown for text in texts)


def templates_drawn(app) -> bool:
    """The list read; on a wide screen, the preview of the highlighted template (it follows the
    cursor a moment after it moves: a timer, which waiting for the database does not cover)."""
    screen = app.screen
    if not (isinstance(screen, TemplatesScreen) and screen.loaded and screen.current is not None):
        return False
    preview = str(screen.query_one("#tpl-preview").render())
    return (screen.current.name in preview) if screen.has_class("-roomy") else preview == ""


def editor_drawn(app) -> bool:
    screen = app.screen
    return isinstance(screen, TemplateEditorScreen) and screen.template is not None and _shown(app, "1. Bench")


def history_drawn(app) -> bool:
    screen = app.screen
    return isinstance(screen, HistoryScreen) and len(screen.sessions) == 12 and _shown(app, "Sat  1 Jun 2024")


def detail_drawn(app) -> bool:
    screen = app.screen
    return isinstance(screen, SessionDetailScreen) and screen.session is not None and _shown(app, "Lat Pulldown")


def progress_drawn(app) -> bool:
    screen = app.screen
    return (isinstance(screen, ProgressScreen) and screen.loaded is not None and screen.data is not None
            and _shown(app, "Bench Press (Barbell) · "))


def picker_drawn(app) -> bool:
    screen = app.screen
    return isinstance(screen, ExerciseSelectScreen) and screen.loaded and _shown(app, "Trained recently", "exercises")


async def _ready(pilot, *keys: str, drawn, what: str, theme: str | None = None) -> None:
    """Keys pressed one at a time, each answered; then until ``drawn(app)``, the database thread
    idle and no cursor blinking; ``drawn`` must still hold when the picture is taken."""
    if theme:
        pilot.app.theme = theme
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    await until(pilot, lambda: drawn(pilot.app), what)
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    assert drawn(pilot.app), f"{what}: no longer so once the app had settled"


def ready(*keys: str, drawn, what: str, theme: str | None = None):
    async def run_before(pilot) -> None:
        await _ready(pilot, *keys, drawn=drawn, what=what, theme=theme)

    return run_before


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_templates_list(snap_compare, seeded, size):
    assert snap_compare(host(seeded, TemplatesScreen), terminal_size=size,
                        run_before=ready(drawn=templates_drawn, what="the templates"))


def test_templates_list_wide_preview(snap_compare, seeded):
    assert snap_compare(host(seeded, TemplatesScreen), terminal_size=(110, 24), run_before=ready(
        "down", drawn=lambda app: templates_drawn(app) and app.screen.current.name == "Push day",
        what="the second template and its preview"))


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_template_editor(snap_compare, seeded, size):
    push_id = seeded[2]["push"].id
    assert snap_compare(host(seeded, lambda: TemplateEditorScreen(push_id)), terminal_size=size,
                        run_before=ready(drawn=editor_drawn, what="the template"))


def test_template_set_form_error_keeps_input(snap_compare, seeded):
    """A rejected target set: the error shows in the dialog and the typed values stay."""
    push_id = seeded[2]["push"].id

    async def run_before(pilot) -> None:
        await _ready(pilot, drawn=editor_drawn, what="the template")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(pilot.app.screen, FormDialog), "the target set form")
        await pilot.press("ctrl+a", "ctrl+k", *"5000", "tab", "ctrl+a", "ctrl+k", "3", "ctrl+s")
        await _ready(pilot, drawn=lambda app: isinstance(app.screen, FormDialog) and _shown(
            app, "Not saved: Weight must be at most 1000 kg.", "5000"), what="the form refusing 5000 kg")

    assert snap_compare(host(seeded, lambda: TemplateEditorScreen(push_id)), terminal_size=NORMAL, run_before=run_before)


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_history_list(snap_compare, seeded, size):
    assert snap_compare(host(seeded, HistoryScreen), terminal_size=size,
                        run_before=ready(drawn=history_drawn, what="the history"))


def test_history_detail(snap_compare, seeded):
    assert snap_compare(host(seeded, HistoryScreen), terminal_size=NORMAL, run_before=ready(
        "enter", drawn=detail_drawn, what="the workout's detail"))


@pytest.mark.parametrize("size", [NORMAL, SMALL], ids=["80x24", "45x20"])
def test_progress_e1rm(snap_compare, seeded, size):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=size,
                        run_before=ready(drawn=progress_drawn, what="the e1RM plot"))


def test_progress_best_sets(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=NORMAL, run_before=ready(
        "4", drawn=lambda app: progress_drawn(app) and app.screen.query_one("#best-table").row_count > 0
        and app.screen.query_one("#panel-best").has_class("-active"), what="the best sets"))


def test_progress_light_theme_volume(snap_compare, seeded):
    assert snap_compare(
        host(seeded, ProgressScreen), terminal_size=NORMAL, run_before=ready(
            "3", "a", theme="textual-light", what="all time's volume",
            drawn=lambda app: progress_drawn(app) and app.screen.period == "all" and _shown(app, "Session volume")))


def test_progress_large_terminal_shows_all_views(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=(140, 42),
                        run_before=ready(drawn=progress_drawn, what="every view"))


def test_progress_exercise_picker(snap_compare, seeded):
    assert snap_compare(host(seeded, ProgressScreen), terminal_size=SMALL, run_before=ready(
        "e", drawn=picker_drawn, what="the exercise picker's lists"))
