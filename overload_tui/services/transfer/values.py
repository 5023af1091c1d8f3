"""Reading the values of export files: numbers, dates, durations, text. Strict: what cannot be
read raises :class:`ImportFormatError` with the line, never a guess."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta

from overload_tui.domain.validation import NAME_MAX, NOTES_MAX
from overload_tui.services.transfer.errors import ImportFormatError

LB_TO_KG = 0.45359237
KG_DECIMALS = 3  # 1 g: sensible for converted pounds (45 lb = 20.412 kg), and what validation keeps

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DURATION_RE = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?")

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d %b %Y, %H:%M",  # Hevy: 7 Apr 2026, 10:14
    "%d %b %Y, %H:%M:%S",
    "%d %B %Y, %H:%M",
    "%d %b %Y %H:%M",
    "%b %d, %Y, %I:%M %p",  # Hevy (US): Apr 7, 2026, 10:14 AM
    "%b %d, %Y %I:%M %p",
)


def short(text: str, limit: int = 30) -> str:
    """A value quoted in a message: at most ``limit`` characters."""
    text = _CONTROL_RE.sub("?", text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def parse_number(text: str, what: str, line: int | None) -> float | None:
    """A decimal number, None when empty. "12,5" (decimal comma) is read as 12.5."""
    value = text.strip()
    if not value:
        return None
    if _DECIMAL_COMMA_RE.fullmatch(value):
        value = value.replace(",", ".")
    if not _NUMBER_RE.fullmatch(value):
        raise ImportFormatError(f"{what} must be a number, not {short(text)}", line)
    return float(value)


def parse_date(text: str, what: str, line: int | None) -> datetime:
    value = " ".join(text.strip().split())
    if not value:
        raise ImportFormatError(f"{what} is empty", line)
    parsed = _parse_date(value)
    if parsed is None:
        raise ImportFormatError(
            f"cannot read the {what.lower()} {short(text)} (expected a date like 2024-11-28 17:36:08)", line
        )
    return parsed


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> datetime | None:
    """Exports repeat a workout's date on each of its rows: parse each text once."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
        fixed = value.replace("Sept ", "Sep ")
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(fixed, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    # Wall-clock time, as the lifter saw it: an offset, where a file gives one, is dropped.
    return parsed.replace(tzinfo=None, microsecond=0)


def parse_duration(text: str, line: int | None) -> timedelta | None:
    """Strong's "1h 5m", "35m", "55s"; a bare number is seconds. None when empty."""
    value = text.strip().lower()
    if not value:
        return None
    if _NUMBER_RE.fullmatch(value):
        seconds = float(value)
    else:
        match = _DURATION_RE.fullmatch(value)
        if match is None or not any(match.groups()):
            raise ImportFormatError(f"cannot read the duration {short(text)} (expected like 1h 5m)", line)
        h, m, s = (int(g) if g else 0 for g in match.groups())
        seconds = h * 3600 + m * 60 + s
    if not 0 <= seconds < 7 * 24 * 3600:
        raise ImportFormatError(f"the duration {short(text)} is out of range", line)
    return timedelta(seconds=round(seconds))


def to_kg(weight: float, unit: str) -> float:
    return round(weight * LB_TO_KG, KG_DECIMALS) if unit == "lbs" else round(weight, KG_DECIMALS)


def clean_line(text: str | None, limit: int = NAME_MAX) -> tuple[str, bool]:
    """A one-line name: control characters dropped, spaces collapsed, cut to ``limit``.

    Returns the text and whether it had to be changed beyond trimming.
    """
    raw = text or ""
    cleaned = " ".join(_CONTROL_RE.sub(" ", raw).split())
    changed = _CONTROL_RE.search(raw) is not None
    if len(cleaned) > limit:
        cleaned, changed = cleaned[: limit - 1].rstrip() + "…", True
    return cleaned, changed


def clean_notes(text: str | None, limit: int = NOTES_MAX) -> tuple[str | None, bool]:
    """Free text kept as written (newlines, emoji), None when blank; control characters dropped."""
    if text is None:
        return None, False
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _CONTROL_RE.sub("", raw)
    changed = cleaned != raw
    if not cleaned.strip():
        return None, False
    cleaned = cleaned.strip()
    if len(cleaned) > limit:
        cleaned, changed = cleaned[: limit - 1] + "…", True
    return cleaned, changed


def join_notes(values: list[str]) -> str | None:
    """Distinct non-empty notes in the order met (exports repeat a note on every row)."""
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return "\n".join(seen) if seen else None
