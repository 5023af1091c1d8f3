"""How numbers, sets and dates read on screen. Plain functions, shared by every screen (one
implementation each: the templates, history and progress screens used to carry their own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from overload_tui.domain.enums import Unit
from overload_tui.services.dto import SetInfo


SET_TYPE_MARKS = {"warmup": "W", "drop": "D", "failure": "F"}  # the set table's mark


def number(value: float, grouping: bool = False) -> str:
    """100 -> '100', 102.5 -> '102.5', 1234.5 -> '1,234.5' with ``grouping`` (to 0.001, never
    '100.0')."""
    text = f"{value:,.3f}" if grouping else f"{value:.3f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def weight(value: float) -> str:
    """100 -> '100', 102.5 -> '102.5', 102.125 -> '102.125' (never '100.0')."""
    return number(value)


def unit_label(unit: Unit | str) -> str:
    return "stacks" if Unit(unit) is Unit.STACKS else "kg"


def set_long(s: SetInfo) -> str:
    """'1,000 kg × 5' or '8 stacks × 12': a set on its own line (history, templates)."""
    return f"{number(s.weight, grouping=True)} {unit_label(s.unit)} × {s.reps}"


def set_entry_text(w: float, reps: int) -> str:
    """What the set box holds for a set: '100x5'."""
    return f"{weight(w)}x{reps}"


def set_short(s: SetInfo) -> str:
    """'100×5' (kg) or '8st×12' (stacks): for one-line summaries."""
    suffix = "st" if s.unit is Unit.STACKS else ""
    return f"{weight(s.weight)}{suffix}×{s.reps}"


def sets_line(sets: Iterable[SetInfo]) -> str:
    return ", ".join(set_short(s) for s in sets)


def day(d: datetime) -> str:
    """'Tue 4 Mar'."""
    return f"{d:%a} {d.day} {d:%b}"


def day_time(d: datetime, now: datetime | None = None) -> str:
    """'Tue 4 Mar 2025 18:30', without the year when it is ``now``'s."""
    if now is not None and d.year == now.year:
        return f"{d:%a} {d.day} {d:%b %H:%M}"
    return f"{d:%a} {d.day} {d:%b %Y %H:%M}"


def relative_day(d: datetime, now: datetime) -> str:
    """'today', 'yesterday', else 'Tue 4 Mar' (with the year when it is not this year)."""
    delta = (now.date() - d.date()).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return day(d) if d.year == now.year else f"{day(d)} {d.year}"


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the week ``now`` is in."""
    monday = now.date() - timedelta(days=now.weekday())
    return datetime(monday.year, monday.month, monday.day)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
