"""Quick parsers for typed input: a set ('100x5') and a duration ('1:30', '2m 30s').

Every failure is a ValidationError whose message can be shown as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.validation import parse_unit, validate_set

KG_PER_LB = 0.45359237
MAX_DURATION = 24 * 3600
_MAX_INPUT = 50  # longer text is never a set or a duration

_HELP = "type weight x reps, like 100x5 (or x8, 100, bw x 10)"
_NUM = r"[0-9]{1,7}(?:\.[0-9]{0,6})?|\.[0-9]{1,6}"
_WEIGHT = rf"(?P<w>bw|bodyweight|{_NUM})\s*(?P<u>kgs?|lbs?|stacks?)?"
_REPS = r"(?P<r>[0-9]{1,7})(?:\s*reps?)?"
_SET_RE = re.compile(rf"{_WEIGHT}\s*(?:[x×*]|\s)\s*{_REPS}", re.ASCII)
_REPS_ONLY_RE = re.compile(rf"[x×*]\s*{_REPS}", re.ASCII)
_WEIGHT_ONLY_RE = re.compile(_WEIGHT, re.ASCII)


@dataclass(frozen=True, slots=True)
class ParsedSet:
    weight: float
    reps: int
    unit: Unit


def lbs_to_kg(pounds: float) -> float:
    """Pounds to kilograms, rounded to 0.01 kg."""
    return round(pounds * KG_PER_LB, 2)


def _normalise(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError("Enter the text to read.")
    text = " ".join(text.split()).lower()
    if len(text) > _MAX_INPUT:
        raise ValidationError(f"That is too long to read: {_HELP}.")
    return re.sub(r"(?<=[0-9]),(?=[0-9])", ".", text)  # decimal comma: 62,5 -> 62.5


def parse_set_entry(
    text: str, default_unit: Unit | str, previous: tuple[float, int] | None = None
) -> ParsedSet:
    """Read '100x5', '100 x 5', '100*5', '100 5', '100kg x 5', '8 stacks x 12',
    '62,5x8', 'bw x 10', 'bw 10', '225lb x 5' (converted to kg); 'x8' takes the weight
    from `previous`, '100' its reps, '' repeats it. `previous` is (weight, reps) in
    default_unit. The result passes validate_set."""
    unit = parse_unit(default_unit)
    line = _normalise(text)

    def need_previous(what: str) -> tuple[float, int]:
        if previous is None:
            raise ValidationError(f"No previous set to take the {what} from: {_HELP}.")
        try:
            weight, reps = previous
        except (TypeError, ValueError):
            raise ValidationError("The previous set is not readable.") from None
        return weight, reps

    if not line:
        weight, reps = need_previous("weight and reps")
        return _result(weight, reps, unit)
    if match := _SET_RE.fullmatch(line):
        weight, unit = _weight(match, unit)
        return _result(weight, match["r"], unit)
    if match := _REPS_ONLY_RE.fullmatch(line):
        weight, _ = need_previous("weight")
        return _result(weight, match["r"], unit)
    if match := _WEIGHT_ONLY_RE.fullmatch(line):
        weight, unit = _weight(match, unit)
        _, reps = need_previous("reps")
        return _result(weight, reps, unit)
    if re.search(r"-\s*[0-9]", line):
        raise ValidationError("Weight and reps cannot be negative.")
    raise ValidationError(f"Could not read {line[:20]!r}: {_HELP}.")


def _weight(match: re.Match[str], unit: Unit) -> tuple[float, Unit]:
    raw, suffix = match["w"], match["u"] or ""
    weight = 0.0 if raw in ("bw", "bodyweight") else float(raw)
    if suffix.startswith("lb"):
        return lbs_to_kg(weight), Unit.KG
    if suffix.startswith("kg"):
        return weight, Unit.KG
    if suffix.startswith("stack"):
        return weight, Unit.STACKS
    return weight, unit


def _result(weight: object, reps: object, unit: Unit) -> ParsedSet:
    w, r, u = validate_set(weight, reps, unit)
    return ParsedSet(w, r, u)


_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_PART_RE = re.compile(
    r"(?P<n>[0-9]{1,6}(?:\.[0-9]{1,3})?)\s*"
    r"(?P<u>hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)",  # longest first
    re.ASCII,
)
_CLOCK_RE = re.compile(r"(?:(?P<h>[0-9]{1,2}):)?(?P<m>[0-9]{1,4}):(?P<s>[0-9]{2})", re.ASCII)


def parse_duration(text: str) -> int:
    """Seconds from '90', '55s', '2m 30s', '1h 5m', '1.5m', '1:30' or '1:02:05'.

    A leading '+' or '-' gives a signed result (to adjust a running timer). At most 24 h.
    """
    line = _normalise(text).replace(" ", "")
    sign = 1
    if line[:1] in ("+", "-"):
        sign, line = (-1 if line[0] == "-" else 1), line[1:]
    if not line:
        raise ValidationError("Enter a duration, like 90, 1:30 or 2m 30s.")
    if re.fullmatch(r"[0-9]{1,6}", line, re.ASCII):
        seconds = float(line)
    elif match := _CLOCK_RE.fullmatch(line):
        minutes, secs = int(match["m"]), int(match["s"])
        if secs >= 60 or (match["h"] is not None and minutes >= 60):
            raise ValidationError(f"Could not read {line[:20]!r}: seconds and minutes go up to 59.")
        seconds = int(match["h"] or 0) * 3600 + minutes * 60 + secs
    else:
        seconds, pos, seen = 0.0, 0, set()
        for match in _PART_RE.finditer(line):
            key = match["u"][0]
            if match.start() != pos or key in seen:
                break
            seen.add(key)
            seconds += float(match["n"]) * _UNIT_SECONDS[key]
            pos = match.end()
        if pos != len(line) or not seen:
            raise ValidationError(f"Could not read {line[:20]!r}: try 90, 1:30 or 2m 30s.")
    if seconds > MAX_DURATION:
        raise ValidationError("A duration must be at most 24 hours.")
    return sign * round(seconds)
