"""Quick parsers for typed input: a set ('100x5', '60s', '2000m 7:30') and a duration ('1:30', '2m 30s').

A set is read by the kind of its exercise (``ExerciseKind``), one short line each:

    weight_reps   100x5  x6 (previous weight)  105 (previous reps)  bw x 10  225lb x 5
    reps_only     15  x15  15 reps  bw x 15
    weighted      bw+20x8  20x8  +20x8 (all: 20 added)  x8  bwx8 (body weight only)  bw+20 (previous reps)
    assisted      bw-30x8  30x8  -30x8 (all: 30 of assistance)  x8  bwx8 (no assistance)
    time          60  60s  1:30  2m30s  3x60s (3 holds)  60s +20 / 60s 20kg (with a load)
    distance      2000m 7:30  5km 25:00  5km in 25:00  3mi 24:00  8x400m (8 reps)  20m 100kg (a sled)
                  7:20 (the previous distance, this time)

Every failure is a ValidationError whose message can be shown as is (``field="set"`` when the
line does not fit the exercise's kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from overload_tui.domain.enums import DistanceUnit, ExerciseKind
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.measures import metres
from overload_tui.domain.units import LoadUnit, convert, load_unit
from overload_tui.domain.validation import (
    MAX_DURATION,
    validate_distance,
    validate_duration,
    validate_reps,
    validate_weight,
)

_MAX_INPUT = 50  # longer text is never a set or a duration

_HELP = "type weight x reps, like 100x5 (or x8, 100, bw x 10)"
_NUM = r"[0-9]{1,7}(?:\.[0-9]{0,6})?|\.[0-9]{1,6}"
_LOAD_UNIT = r"kgs?|lbs?|stacks?"
# A load: 100, 100kg, bw, bw+20, +20, bw-30, -30 (the sign's meaning is the exercise kind's).
_LOAD = rf"(?:(?P<bw>bw|bodyweight)\s*)?(?:(?P<sign>[+-])\s*)?(?P<w>{_NUM})?\s*(?P<u>{_LOAD_UNIT})?"
_REPS = r"(?P<r>[0-9]{1,7})(?:\s*reps?)?"
_SET_RE = re.compile(rf"{_LOAD}\s*(?:[x×*]|\s)\s*{_REPS}", re.ASCII)
_REPS_ONLY_RE = re.compile(rf"(?:bw|bodyweight)?\s*[x×*]\s*{_REPS}", re.ASCII)
_WEIGHT_ONLY_RE = re.compile(_LOAD, re.ASCII)
_COUNT_RE = re.compile(_REPS, re.ASCII)  # reps only: '15', '15 reps'

# Timed and distance sets: space-separated words, the units glued to their numbers first.
_GLUE_RE = re.compile(
    r"(?<=[0-9.])\s+(?=(?:kgs?|lbs?|stacks?|km|mi|yd|ft|m|h|hrs?|hours?|mins?|minutes?|s|secs?|seconds?)\b)",
    re.ASCII)
_TIMES_RE = re.compile(rf"[0-9]{{1,7}}\s*[x×*]\s*(?P<rest>\S.*)", re.ASCII)  # '8x400m': 8 reps
_CLOCK_WORD = re.compile(r"[0-9]{1,4}:[0-9]{2}(?::[0-9]{2})?", re.ASCII)
_PLUS_LOAD = re.compile(rf"\+(?P<w>{_NUM})(?P<u>{_LOAD_UNIT})?", re.ASCII)
_UNIT_LOAD = re.compile(rf"(?P<w>{_NUM})(?P<u>{_LOAD_UNIT})", re.ASCII)
_DISTANCE_WORD = re.compile(rf"(?P<n>{_NUM})(?P<u>km|mi|yd|ft|m)", re.ASCII)
_TIME_PART = r"[0-9]{{1,6}}(?:\.[0-9]{{1,3}})?(?:h|hrs?|hours?|{m}mins?|minutes?|s|secs?|seconds?)"
_TIME_WORD = {  # on a timed exercise 2m is two minutes; on a distance one, two metres
    ExerciseKind.TIME: re.compile(rf"(?:{_TIME_PART.format(m='m|')})+", re.ASCII),
    ExerciseKind.DISTANCE: re.compile(rf"(?:{_TIME_PART.format(m='')})+", re.ASCII),
}
_NOISE = {"in", "for"}  # '5km in 25:00', as the set reads back

# What a set of each kind looks like, for the message when a line does not fit the exercise.
KIND_HINTS = {
    ExerciseKind.WEIGHT_REPS: "is weight x reps: type a set like 100x5",
    ExerciseKind.REPS_ONLY: "counts reps: type them like 15 or x15",
    ExerciseKind.WEIGHTED: "is body weight plus a load: type bw+20x8, or x8 for body weight only",
    ExerciseKind.ASSISTED: "is body weight minus the assistance: type bw-30x8, or x8 unassisted",
    ExerciseKind.TIME: "is timed: type a time like 60s or 1:30",
    ExerciseKind.DISTANCE: "is a distance: type it like 2000m 7:30 or 5km 25:00",
}
VALUE_FIELDS = frozenset({"weight", "reps", "duration", "distance"})  # a set's shape, a bad value


@dataclass(frozen=True, slots=True)
class ParsedSet:
    weight: float  # in ``unit``, as typed and read (225 for 225 lb)
    reps: int
    unit: LoadUnit
    duration_s: float | None = None  # per rep
    distance_m: float | None = None  # per rep
    distance_unit: DistanceUnit | None = None

    @property
    def load_unit(self) -> LoadUnit:
        return load_unit(self.unit)

    @property
    def amount(self) -> float:
        return self.weight


def _weight_in(p: ParsedSet, unit: LoadUnit) -> float:
    """The previous set's load read in ``unit`` (after ctrl+t from kg to lbs, 100 kg is 220.46)."""
    source = load_unit(p.unit)
    if LoadUnit.STACKS in (source, unit) or source is unit:
        return p.weight
    return convert(p.weight, source.value, unit.value)


def in_unit(p: ParsedSet, unit: LoadUnit) -> ParsedSet:
    """``p`` read in the weight unit ``unit`` (as it is when either is stacks)."""
    if LoadUnit.STACKS in (load_unit(p.unit), unit):
        return p
    return replace(p, weight=_weight_in(p, unit), unit=unit)


def _normalise(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError("Enter the text to read.")
    text = " ".join(text.split()).lower().replace("\u2212", "-")  # the minus sign, as the app shows it
    if len(text) > _MAX_INPUT:
        raise ValidationError(f"That is too long to read: {_HELP}.")
    return re.sub(r"(?<=[0-9]),(?=[0-9])", ".", text)  # decimal comma: 62,5 -> 62.5


def does_not_fit(name: str, kind: ExerciseKind | str) -> ValidationError:
    """'Plank is timed: type a time like 60s or 1:30.' (field "set")."""
    return ValidationError(f"{name} {KIND_HINTS[ExerciseKind(kind)]}.", field="set")


def parse_set_entry(
    text: str,
    default_unit: LoadUnit | str,
    previous: tuple[float, int] | ParsedSet | None = None,
    *,
    kind: ExerciseKind | str = ExerciseKind.WEIGHT_REPS,
    name: str = "This exercise",
) -> ParsedSet:
    """Read one set of an exercise of ``kind`` (named ``name`` in the messages): the forms are
    the module docstring's. For weight x reps: '100x5', '100 x 5', '100*5', '100 5', '100kg x 5',
    '8 stacks x 12', '62,5x8', 'bw x 10', 'bw 10'; 'x8' takes the weight from `previous`, '100'
    its reps, '' repeats it. `previous` is (weight, reps) in default_unit, or a ParsedSet.

    The load is in ``default_unit`` (the exercise's: kg, lbs or stacks). A weight typed in the
    other weight unit is converted to it ('225lb x 5' on a kg exercise is 102.058 kg, '100kg'
    on a pounds one 220.46 lb): a set reads in its exercise's unit. On a stacks exercise,
    '100kg' or '225lb' is a weight in that unit. The result passes validate_weight and
    validate_reps in its unit (and the time and distance checks)."""
    unit = load_unit(default_unit)
    kind = ExerciseKind(kind)
    line = _normalise(text)

    def need_previous(what: str) -> ParsedSet:
        if previous is None:
            if kind is not ExerciseKind.WEIGHT_REPS:
                missing = f"take the {what} from" if line else "repeat"
                raise ValidationError(f"No previous set to {missing}. {name} {KIND_HINTS[kind]}.", field="set")
            raise ValidationError(f"No previous set to take the {what} from: {_HELP}.")
        if isinstance(previous, ParsedSet):
            return previous
        try:
            weight, reps = previous  # type: ignore[misc]
        except (TypeError, ValueError):
            raise ValidationError("The previous set is not readable.") from None
        return ParsedSet(weight, reps, unit)

    if not line:
        p = need_previous("weight and reps")
        if (kind is ExerciseKind.TIME and not p.duration_s) or (kind is ExerciseKind.DISTANCE and not p.distance_m):
            raise does_not_fit(name, kind)
        if kind not in _TIME_WORD:
            return _result(_weight_in(p, unit), p.reps, unit)
        distance = p.distance_m if kind is ExerciseKind.DISTANCE else None
        return _result(_weight_in(p, unit), p.reps, unit, p.duration_s, distance, p.distance_unit)
    if kind in _TIME_WORD:
        return _measured(line, unit, kind, name, need_previous)
    if kind is ExerciseKind.REPS_ONLY and (match := _COUNT_RE.fullmatch(line)):
        return _result(0.0, match["r"], unit)
    if (match := _SET_RE.fullmatch(line)) and (match["bw"] or match["w"]):
        weight, unit = _load(match, unit, kind, name)
        return _result(weight, match["r"], unit)
    if match := _REPS_ONLY_RE.fullmatch(line):
        if kind is ExerciseKind.WEIGHT_REPS and not line.startswith("b"):
            return _result(_weight_in(need_previous("weight"), unit), match["r"], unit)
        return _result(0.0, match["r"], unit)  # body weight only
    if (match := _WEIGHT_ONLY_RE.fullmatch(line)) and (match["bw"] or match["w"]):
        weight, unit = _load(match, unit, kind, name)
        return _result(weight, need_previous("reps").reps, unit)
    unsigned = re.sub(r"-\s*(?=[0-9])", "", line)
    if unsigned != line and any(r.fullmatch(unsigned) for r in (_SET_RE, _REPS_ONLY_RE, _WEIGHT_ONLY_RE)):
        raise ValidationError("Weight and reps cannot be negative.", field="weight")
    if kind is ExerciseKind.WEIGHT_REPS and not has_set_shape(line, _TIME_WORD):
        raise ValidationError(f"Could not read {line[:20]!r}: {_HELP}.", field="set")
    raise does_not_fit(name, kind)


ANY_PREVIOUS = ParsedSet(1.0, 1, LoadUnit.KG, 1.0, 1.0, DistanceUnit.M)  # a set to repeat, of any kind


def has_set_shape(line: str, kinds: Iterable[ExerciseKind] = tuple(ExerciseKind)) -> bool:
    """Whether ``line`` reads as a set of one of ``kinds``, whatever its numbers: '-5x5',
    '100x5000' and '0s' are sets with bad values (decided by the errors' ``field``, never by
    their words)."""
    for kind in kinds:
        try:
            parse_set_entry(line, LoadUnit.KG, ANY_PREVIOUS, kind=kind)
        except ValidationError as error:
            if error.field in VALUE_FIELDS:
                return True
            continue
        return True
    return False


def _load(match: re.Match[str], unit: LoadUnit, kind: ExerciseKind, name: str) -> tuple[float, LoadUnit]:
    """The load of a weight-and-reps line for this kind of exercise (see KIND_HINTS)."""
    groups = match.groupdict()
    raw, suffix, sign, bw = groups["w"], groups["u"] or "", groups.get("sign"), groups.get("bw")
    weight = float(raw) if raw else 0.0
    wanted = {ExerciseKind.WEIGHTED: "+", ExerciseKind.ASSISTED: "-"}.get(kind)
    if sign and sign != wanted:
        if sign == "-" and not bw and kind is not ExerciseKind.WEIGHTED:
            raise ValidationError("Weight and reps cannot be negative.", field="weight")
        raise does_not_fit(name, kind)
    if bw and raw and not sign and kind in (ExerciseKind.WEIGHTED, ExerciseKind.ASSISTED):
        raise does_not_fit(name, kind)  # 'bw 20' is not bw+20 or bw-20
    if kind is ExerciseKind.REPS_ONLY and weight:
        raise does_not_fit(name, kind)
    if not suffix:
        return weight, unit
    typed = load_unit(suffix)
    if unit is LoadUnit.STACKS or typed is LoadUnit.STACKS or typed is unit:
        return weight, typed
    validate_weight(weight, typed)  # '5000lb' says pounds, not the kilograms it would be
    return convert(weight, typed.value, unit.value), unit


def _measured(line: str, unit: LoadUnit, kind: ExerciseKind, name: str, need_previous) -> ParsedSet:
    """A timed or distance set: its words in any order (see the module docstring)."""
    line = _GLUE_RE.sub("", line)
    reps: str | int = 1
    if (match := _TIMES_RE.fullmatch(line)) and not _CLOCK_WORD.fullmatch(line):
        reps, line = line[: line.index(match["rest"])].rstrip(" x×*"), match["rest"]
    time_word = _TIME_WORD[kind]
    duration = distance = load = None
    d_unit = None
    weight_unit = unit
    words: list[str] = []
    for word in line.split():  # '2m 30s' is one time
        if words and time_word.fullmatch(words[-1]) and time_word.fullmatch(words[-1] + word):
            words[-1] += word
        elif word not in _NOISE:
            words.append(word)
    for word in words:
        if duration is None and (_CLOCK_WORD.fullmatch(word) or time_word.fullmatch(word)):
            duration = parse_duration(word)
        elif duration is None and kind is ExerciseKind.TIME and re.fullmatch(r"[0-9]{1,6}", word) and reps == 1:
            duration = int(word)  # a bare number on a timed exercise: seconds
        elif distance is None and kind is ExerciseKind.DISTANCE and (match := _DISTANCE_WORD.fullmatch(word)):
            d_unit = DistanceUnit(match["u"])
            distance = validate_distance(metres(float(match["n"]), d_unit))
        elif load is None and (match := _PLUS_LOAD.fullmatch(word) or _UNIT_LOAD.fullmatch(word)):
            load, weight_unit = _load(match, unit, ExerciseKind.WEIGHT_REPS, name)
        elif kind is ExerciseKind.DISTANCE and reps == 1 and re.fullmatch(_NUM, word):
            raise ValidationError(f"Type the distance with its unit, like {word}m or {word}km.", field="set")
        else:
            raise does_not_fit(name, kind)
    if not words or (reps != 1 and duration is None and distance is None):
        raise does_not_fit(name, kind)  # '3x' alone, or reps of nothing measured
    if kind is ExerciseKind.TIME and duration is None:
        duration = need_previous("time").duration_s
    if kind is ExerciseKind.DISTANCE and distance is None:
        p = need_previous("distance")
        distance, d_unit = p.distance_m, p.distance_unit
    if (kind is ExerciseKind.TIME and not duration) or (kind is ExerciseKind.DISTANCE and not distance):
        if duration == 0:
            validate_duration(0)
        raise does_not_fit(name, kind)
    return _result(load or 0.0, reps, weight_unit, duration, distance, d_unit)


def _result(weight: object, reps: object, unit: LoadUnit, duration: object = None, distance: object = None,
            distance_unit: DistanceUnit | str | None = None) -> ParsedSet:
    w, r, u = validate_weight(weight, unit), validate_reps(reps), unit
    d = validate_duration(duration) if duration is not None else None
    m = validate_distance(distance) if distance is not None else None
    return ParsedSet(w, r, u, d, m, DistanceUnit(distance_unit) if m is not None and distance_unit else
                     (DistanceUnit.M if m is not None else None))


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
        raise ValidationError("Enter a duration, like 90, 1:30 or 2m 30s.", field="duration")
    if re.fullmatch(r"[0-9]{1,6}", line, re.ASCII):
        seconds = float(line)
    elif match := _CLOCK_RE.fullmatch(line):
        minutes, secs = int(match["m"]), int(match["s"])
        if secs >= 60 or (match["h"] is not None and minutes >= 60):
            raise ValidationError(f"Could not read {line[:20]!r}: seconds and minutes go up to 59.", field="duration")
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
            raise ValidationError(f"Could not read {line[:20]!r}: try 90, 1:30 or 2m 30s.", field="duration")
    if seconds > MAX_DURATION:
        raise ValidationError("A duration must be at most 24 hours.", field="duration")
    return sign * round(seconds)
