"""TUI fixtures: the real OverloadApp on a real database file (SQLite and PostgreSQL), a fixed
clock, and helpers to let queued database calls land before asserting."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from overload_tui import clock
from overload_tui.app import OverloadApp

FIXED_NOW = datetime(2024, 6, 5, 18, 30)  # a Wednesday

# Flows whose database effects matter run on both backends; checks of the screen alone (bad input,
# layout, palette) run on SQLite only, to keep the TUI run short.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PASSWORD = "correct horse"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def make_app(services):
    """``make_app()``: a fresh app on the test's database."""
    return lambda: OverloadApp(services)


@pytest.fixture
def logged_in(services, alice):
    """Alice has a saved log-in on this terminal, so the app opens on her dashboard."""
    services.tokens.save(services.auth.login("alice", PASSWORD).token)
    return alice


async def settle(pilot, rounds: int = 3) -> None:
    """Let queued database calls finish and their answers reach the screen."""
    for _ in range(rounds):
        await pilot.app.wait_for_service()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def no_blink(app) -> None:
    """Stop the text cursor blinking so screenshots do not depend on timing."""
    for screen in app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
