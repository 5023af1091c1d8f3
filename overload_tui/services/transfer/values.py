"""Reading the values of export files: numbers, dates, durations, text. Strict: what cannot be
read raises :class:`ImportFormatError` with the line, never a guess."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from overload_tui.domain.validation import NAME_MAX, NOTES_MAX
from overload_tui.services.transfer.errors import ImportFormatError

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CLOCK_RE = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")  # "0:01:30", "7:30", "7:30.5"

# The years a date in a file may fall in: a workout in year 9999 is a typo (and one a duration
# added to would overflow), so it is refused with its line like any other value that cannot be read.
FIRST_YEAR = 1900
LAST_YEAR = 2100

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)
# Month names as Hevy writes them in the phone's language, accents and case folded. Every word
# names one month in every language that has it ("mar" is March in all of them, "set" is
# Portuguese September, "out" Portuguese October), so a word alone decides the month.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("jan", "january", "janeiro", "ene", "enero", "januar", "janner", "janv", "janvier"),
    2: ("feb", "february", "fev", "fevereiro", "febrero", "februar", "fevr", "fevrier"),
    3: ("mar", "march", "marco", "marzo", "marz", "mrz", "mars"),
    4: ("apr", "april", "abr", "abril", "avr", "avril"),
    5: ("may", "mai", "maio", "mayo"),
    6: ("jun", "june", "junho", "junio", "juni", "juin"),
    7: ("jul", "july", "julho", "julio", "juli", "juil", "juillet"),
    8: ("aug", "august", "ago", "agosto", "aout"),
    9: ("sep", "sept", "september", "set", "setembro", "septiembre", "setiembre", "septembre"),
    10: ("oct", "october", "out", "outubro", "octubre", "okt", "oktober", "octobre"),
    11: ("nov", "november", "novembro", "noviembre", "novembre"),
    12: ("dec", "december", "dez", "dezembro", "dic", "diciembre", "dezember", "decembre"),
}
_MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words}
_CLOCK_TIME = r"(?:,?\s*(?:at|um|as|a las|a)?\s*(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s?m\.?)?)?"
_DAY_FIRST_RE = re.compile(rf"(\d{{1,2}})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{{4}}){_CLOCK_TIME}")
_MONTH_FIRST_RE = re.compile(rf"([^\W\d_]+)\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){_CLOCK_TIME}")
_YMD_CJK_RE = re.compile(rf"(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日{_CLOCK_TIME}")


def short(text: str, limit: int = 30) -> str:
    """A value quoted in a message: at most ``limit`` characters."""
    text = _CONTROL_RE.sub("?", text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


_NUMBERS: dict[str, float | None] = {}  # texts read before (exports repeat their weights and reps)
_NUMBERS_MAX = 65536


def parse_number(text: str, what: str, line: int | None) -> float | None:
    """A decimal number, None when empty. "12,5" (decimal comma) is read as 12.5."""
    try:
        return _NUMBERS[text]
    except KeyError:
        pass
    number = _parse_number(text, what, line)
    if len(_NUMBERS) < _NUMBERS_MAX:
        _NUMBERS[text] = number
    return number


def _parse_number(text: str, what: str, line: int | None) -> float | None:
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
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ImportFormatError(
            f"the {what.lower()} {short(text)} is outside the years {FIRST_YEAR}..{LAST_YEAR}", line
        )
    return parsed


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> datetime | None:
    """Exports repeat a workout's date on each of its rows: parse each text once."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = _numeric_date(value) or _worded_date(value)
    if parsed is None:
        return None
    # Wall-clock time, as the lifter saw it: an offset, where a file gives one, is dropped.
    return parsed.replace(tzinfo=None, microsecond=0)


def _numeric_date(value: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _fold(text: str) -> str:
    """Lower case without accents: "Fév." -> "fev.", "März" -> "marz"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _worded_date(value: str) -> datetime | None:
    """Hevy's dates in the phone's language: "7 Apr 2026, 10:14", "5 Mai 2026, 07:34",
    "Jun 11, 2026, 1:01 PM", "2026年5月5日 07:34". The locale of this machine plays no part."""
    text = _fold(value)
    if match := _DAY_FIRST_RE.fullmatch(text):
        day, word, year, *clock = match.groups()
        month = _MONTHS.get(word)
    elif match := _MONTH_FIRST_RE.fullmatch(text):
        word, day, year, *clock = match.groups()
        month = _MONTHS.get(word)
    elif match := _YMD_CJK_RE.fullmatch(text):
        year, month, day, *clock = match.groups()
    else:
        return None
    hour, minute, second, half = clock
    h = int(hour or 0)
    if half is not None:  # 12-hour clock: 12:05 AM is 00:05, 12:05 PM is 12:05
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half == "p" else 0)
    try:
        return datetime(int(year), int(month or 0), int(day), h, int(minute or 0), int(second or 0))
    except ValueError:
        return None


# Units of a duration as written: Strong's "1h 5m", "42min", "1小时13分钟", "55s". A language's
# own words come from its entry in formats.STRONG_LANGUAGES; these hold in every language.
DURATION_UNITS: dict[str, int] = {
    "d": 86400, "day": 86400, "days": 86400,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_DURATION_PART_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+\.?)\s*")


def parse_duration(text: str, line: int | None, units: Mapping[str, int] = DURATION_UNITS) -> float | None:
    """A workout's duration in seconds: "1h 5m", "42min", "1小时13分钟"; a bare number is seconds.

    None when empty. Any length is returned, even a negative one: whether it is believable is
    the reader's call (a workout left running for a week is still a workout). Text that is not
    a duration raises, with the line.
    """
    value = text.strip().casefold()
    if not value:
        return None
    if _NUMBER_RE.fullmatch(value):
        return float(value)
    seconds, end = 0.0, 0
    for match in _DURATION_PART_RE.finditer(value):
        unit = units.get(match.group(2).rstrip("."))
        if match.start() != end or unit is None:
            break
        seconds += float(match.group(1).replace(",", ".")) * unit
        end = match.end()
    if end == 0 or end != len(value):
        raise ImportFormatError(f"cannot read the duration {short(text)} (expected like 1h 5m)", line)
    return seconds


def parse_seconds(text: str, what: str, line: int | None) -> float | None:
    """A set's time: seconds ("60", "450.5") or a clock ("0:01:30", "7:30"). None when empty."""
    value = text.strip()
    if ":" in value and (match := _CLOCK_RE.fullmatch(value)):
        h, m, s = match.groups()
        return int(h or 0) * 3600 + int(m) * 60 + float(s.replace(",", "."))
    return parse_number(value, what, line)


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
    if not text:
        return None, False
    return _clean_notes(text, limit)


@functools.lru_cache(maxsize=1024)  # exports repeat a workout's notes on each of its rows
def _clean_notes(text: str, limit: int) -> tuple[str | None, bool]:
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
