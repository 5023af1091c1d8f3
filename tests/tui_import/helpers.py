"""Helpers for the import-screen tests."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from overload_tui.screens.import_screen import ImportScreen
from tests.tui.helpers import settle

STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
ROW = "2024-01-01 08:00:00,Morning,1h,{name},{order},{weight},{reps},0,0,,,\n"


def strong_file(path: Path, rows: list[tuple[str, float, int]]) -> Path:
    """A Strong export of one workout: (exercise, weight, reps) per row, numbered in order."""
    body = "".join(ROW.format(name=n, order=i, weight=w, reps=r) for i, (n, w, r) in enumerate(rows, 1))
    path.write_text(STRONG_HEAD + body, encoding="utf-8", newline="")
    return path


def status(app) -> str:
    return app.screen.query_one("#import-status", Static).content.plain


def report(app) -> str:
    return app.screen.query_one("#import-report", Static).content.plain


def path_box(app) -> Input:
    return app.screen.query_one("#import-path", Input)


async def open_import(pilot) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ImportScreen)
    return pilot.app.screen


async def preview(pilot, path: str) -> None:
    """Type the path in the box (every key, as a user would) and press Enter."""
    box = path_box(pilot.app)
    box.value = ""
    await pilot.press(*path, "enter")
    await settle(pilot)
