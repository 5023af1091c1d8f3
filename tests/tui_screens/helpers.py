"""Helpers for the templates, history and progress screen tests: a tiny host app (a logged-in
OverloadApp that pushes one screen on mount), fixed data, waiting for the database thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.events import Mount
from textual.screen import Screen

from overload_tui.app import OverloadApp
# Waiting on conditions, and the screen as text: the TUI tests' own (settle runs until the app is
# quiet, not for a number of rounds).
from tests.tui.helpers import screen_text, settle, until  # noqa: F401 - re-exported

FIXED_NOW = datetime(2024, 6, 3, 18, 30)


class HostApp(OverloadApp):
    """Logs ``user`` in and pushes ``make_screen()``; records ``open_session`` calls."""

    def __init__(self, services, user, make_screen: Callable[[], Screen], *, with_open_session: bool = True):
        super().__init__(services)
        self._user = user
        self._make_screen = make_screen
        self.opened: list[int] = []
        if not with_open_session:
            self.open_session = None  # an app without a logging screen yet

    def on_mount(self, event: Mount) -> None:
        event.prevent_default()  # not the real app's log-in flow
        self.user = self._user
        self.push_screen(self._make_screen())

    def open_session(self, session_id: int) -> None:  # noqa: D401 - stands in for the real one
        self.opened.append(session_id)


def exercise(ws, name: str):
    """The catalogue exercise called ``name``."""
    found = [e for e in ws.search_exercises(name) if e.name.lower() == name.lower()]
    assert found, f"no exercise called {name!r}"
    return found[0]


def seed_workouts(ws, now: datetime = FIXED_NOW, weeks: int = 12) -> dict:
    """Fixed data: two templates and ``weeks`` weeks of bench/squat workouts up to ``now``."""
    from datetime import timedelta

    bench = exercise(ws, "Bench Press (Barbell)")
    squat = exercise(ws, "Squat (Barbell)")
    pulldown = exercise(ws, "Lat Pulldown (Machine)")
    push = ws.create_template("Push day", "Heavy bench, then accessories")
    entry = ws.add_entry(bench.id, template_id=push.id)
    ws.add_set(entry.id, 80, 5)
    ws.add_set(entry.id, 80, 5)
    ws.add_entry(pulldown.id, template_id=push.id)
    legs = ws.create_template("[bold]Legs[/] & core", "[red]literal[/] markup stays")
    entry = ws.add_entry(squat.id, template_id=legs.id)
    ws.add_set(entry.id, 100, 5)
    sessions = []
    for week in range(weeks):
        day = (now - timedelta(days=7 * week + 2)).replace(hour=18, minute=0, second=0)
        sess = ws.start_session(day, name="[b]Heavy[/b] day" if week % 4 == 0 else None)
        e = ws.add_entry(bench.id, session_id=sess.id)
        ws.add_set(e.id, 40, 10, set_type="warmup")
        ws.add_set(e.id, 90 - week * 1.25, 5)
        ws.add_set(e.id, 80 - week, 8)
        e = ws.add_entry(squat.id, session_id=sess.id)
        ws.add_set(e.id, 120 - week * 2.5, 5)
        if week % 3 == 0:
            e = ws.add_entry(pulldown.id, session_id=sess.id)
            ws.add_set(e.id, 9, 12)
        ws.finish_session(sess.id)
        sessions.append(sess)
    return {"bench": bench, "squat": squat, "pulldown": pulldown, "push": push, "legs": legs, "sessions": sessions}


async def searched(pilot, name: str) -> None:
    """Until the exercise picker has answered the search in its box (a moment after the last key:
    a timer, which settle does not wait for) and highlights the exercise called ``name``."""
    from textual.widgets import OptionList

    from overload_tui.widgets.exercise_select import ExerciseSelectScreen

    app = pilot.app

    def highlighted() -> str | None:
        option = app.screen.query_one("#pick-list", OptionList).highlighted_option
        return None if option is None or option.id is None else app.screen.by_id[int(option.id)].name

    def answered() -> bool:
        screen = app.screen
        return (isinstance(screen, ExerciseSelectScreen) and not screen._search_due
                and screen._search_seq > 0 and screen._answered_seq == screen._search_seq
                and highlighted() == name)

    await until(pilot, answered, f"the picker to find and highlight {name!r}",
                seen=lambda: f"highlighted: {highlighted()!r}, status: {app.screen.query_one('#pick-status').render()}")

