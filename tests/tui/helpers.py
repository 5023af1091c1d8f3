"""Helpers for the TUI tests (fixtures are in conftest.py)."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from textual.widgets import Input

FIXED_NOW = datetime(2024, 6, 5, 18, 30)  # a Wednesday
PASSWORD = "correct horse"

# Flows whose database effects matter run on both backends; checks of the screen alone (bad input,
# layout, palette) run on SQLite only, to keep the TUI run short.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def settle(pilot, rounds: int = 3) -> None:
    """Let queued database calls finish and their answers reach the screen."""
    for _ in range(rounds):
        await pilot.app.wait_for_service()
        await pilot.pause()


async def until(pilot, condition, what: str, timeout: float = 30.0) -> None:
    """Wait for ``condition()`` (a chain of database calls and screens on a loaded machine can
    take longer than ``settle``'s rounds), then a moment more: a screen's widgets finish mounting
    after its first frame."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.02)
    await pilot.pause(0.05)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def no_blink(app) -> None:
    """Stop the text cursor blinking so screenshots do not depend on timing."""
    for screen in app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
