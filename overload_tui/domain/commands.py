"""The set box's command grammar: one line typed between sets, read as one Command at Enter.

    100x5  x6  105  bw x 10  (empty)  LogSet; then marks: w d f (warm-up, drop, failure), @8
    15  bw+20x8  bw-30x8  60s  1:30   (the set read by the exercise's kind: domain/parsing.py)
    2000m 7:30  8x400m  +20 60s
    #3 100x6  #3 w  #3 @-  #w  #x6    EditSet (no number: the last set; n: normal; @-: no RPE)
    #3 del  #3 -  #del                DeleteSet
    >squat  >2  squat barbell         GoToExercise (also any line from a letter that is no set)
    +bench press                      AddExercise
    note text  wnote text  note -     SetNote, of the exercise / the workout ('-' clears)
    rest  rest 90  rest +30  rest off Rest (alias r: r 90, r+30)
    kg  lbs  stacks  st  ?  help      SwitchUnit, Help

Keywords ignore case and extra spaces. Every error is a ValidationError to show as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from overload_tui.domain.units import LoadUnit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import has_set_shape, parse_duration
from overload_tui.domain.validation import clean_name, clean_notes


class _Keep(Enum):  # an enum member stays the one object through copies and pickles
    KEEP = "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep.KEEP  # EditSet: leave the set type / RPE as it is


@dataclass(frozen=True, slots=True)
class LogSet:
    body: str  # the set without marks ('' repeats the prefill)
    set_type: str | None  # None: normal; 'warmup', 'drop', 'failure'
    rpe: float | None


@dataclass(frozen=True, slots=True)
class EditSet:
    position: int | None  # 1-based; None: the last set
    body: str | None  # new values, relative to the set's own; None keeps them
    set_type: object  # KEEP, or None / 'warmup' / 'drop' / 'failure'
    rpe: object  # KEEP, None or a float


@dataclass(frozen=True, slots=True)
class DeleteSet:
    position: int | None


@dataclass(frozen=True, slots=True)
class GoToExercise:
    query: str
    number: int | None  # '>2': the 2nd exercise of the workout


@dataclass(frozen=True, slots=True)
class AddExercise:
    query: str


@dataclass(frozen=True, slots=True)
class SetNote:
    text: str | None  # None clears
    workout: bool


@dataclass(frozen=True, slots=True)
class Rest:
    seconds: int | None  # None: the exercise's default
    relative: bool  # seconds is signed, added to the running timer
    stop: bool = False


@dataclass(frozen=True, slots=True)
class SwitchUnit:
    unit: LoadUnit


@dataclass(frozen=True, slots=True)
class MoveExercise:      # 'move 2': the chosen exercise becomes the 2nd of the workout
    position: int


@dataclass(frozen=True, slots=True)
class RemoveExercise:    # 'remove' (only without sets), 'remove!' (with its sets)
    with_sets: bool


@dataclass(frozen=True, slots=True)
class Help:
    pass


Command = (
    LogSet | EditSet | DeleteSet | GoToExercise | AddExercise | SetNote | Rest | SwitchUnit
    | MoveExercise | RemoveExercise | Help
)

GRAMMAR_HELP = """\
100x5  x6  105  bw x 10   weight x reps
15  x15                   reps only
bw+20x8  bw-30x8  x8      weighted, assisted
60s  1:30  60s +20        timed (+ a load)
2000m 7:30  8x400m  20m +100   distance
Enter on the shown set    log it again
100x5 w/d/f  100x5 @8     type, RPE
w  @8  (alone)            mark the shown set
#3 100x6  #3 w  #3 @9     change set 3
#3 n  #3 @-               normal, no RPE
#w  #x6  #del             the last set
#3 del                    delete set 3
>squat  >2  +bench press  go to, add one
move 2   remove(!)        move, remove it
note seat 4   note -      exercise note
wnote slept badly         workout note
rest  rest 90  r+30  rest off   rest timer
kg  lbs  stacks  ?  F1   unit, this help
shift+Tab: pick a set, then t w d f n e x
  [ ] move it, Tab back to typing"""

SET_TYPE_WORDS = {
    "w": "warmup", "wu": "warmup", "warmup": "warmup", "warm-up": "warmup",
    "d": "drop", "drop": "drop",
    "f": "failure", "fail": "failure", "failure": "failure",
}
SET_TYPE_KEYS = {"warmup": "w", "drop": "d", "failure": "f"}
RPE_ERROR = "RPE must be a number from 1 to 10."
_SET_HELP = "a set is like 100x5, 15, bw+20x8, 60s or 2000m 7:30. F1 lists every command."
_EDIT_HELP = "say which set and what to change: #3 100x6, #3 w, #3 @9, #3 del."
_UNITS = {"kg": LoadUnit.KG, "lb": LoadUnit.LBS, "lbs": LoadUnit.LBS, "stacks": LoadUnit.STACKS,
          "stack": LoadUnit.STACKS, "st": LoadUnit.STACKS}
_MAX_LINE = 200  # longer than any set, edit or search (notes may be longer)
_TYPES = "warm-up|warmup|wu|w|drop|d|failure|fail|f"
# A mark at the end of the text, after a digit, a space or nothing ('bw' is a weight, not b + w).
_MARK = r"(?:^|(?<=[\s\d]))(?:(?P<t>{})|(?:@|rpe)\s*(?P<rpe>[^\s@]*))\s*$"
_TAIL = re.compile(_MARK.format(_TYPES), re.IGNORECASE)
_EDIT_TAIL = re.compile(_MARK.format(_TYPES + "|normal|n"), re.IGNORECASE)  # n: a normal set
_EDIT_RE = re.compile(r"([0-9]*)\s*(.*)", re.DOTALL)  # after '#': the set number, the change
_REST_RE = re.compile(r"(?:rest|r)(?=$|[\s+\-0-9])\s*(?P<arg>.*)", re.DOTALL)


def _rpe(raw: str) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValidationError(RPE_ERROR) from None
    if not 1 <= value <= 10:
        raise ValidationError(RPE_ERROR)
    return value


def _split(text: str, edit: bool) -> tuple[str, object, object, ValidationError | None]:
    """Strip the marks off the end; a bad RPE is returned, to raise only if the rest is a set."""
    rest, found, error = (text or "").strip(), set(), None
    set_type = rpe = KEEP if edit else None
    while rest and (match := (_EDIT_TAIL if edit else _TAIL).search(rest)):
        kind = "t" if match["t"] is not None else "rpe"
        if kind in found:
            break
        found.add(kind)
        if kind == "t":
            set_type = SET_TYPE_WORDS.get(match["t"].lower())  # None for n / normal
        elif edit and match["rpe"] == "-":
            rpe = None
        else:
            try:
                rpe = _rpe(match["rpe"])
            except ValidationError as bad:
                error = error or bad
        rest = rest[: match.start()].rstrip()
    return rest, set_type, rpe, error


def split_marks(text: str) -> tuple[str, str | None, float | None]:
    """'80x8 d @9' -> ('80x8', 'drop', 9.0): the set, its type (None: a normal set) and RPE."""
    rest, set_type, rpe, error = _split(text, edit=False)
    if error:
        raise error
    return rest, set_type, rpe  # type: ignore[return-value]


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def marks_text(set_type: str | None, rpe: float | None) -> str:
    """What the box shows after the set for these marks: ' w @8'."""
    text = f" {SET_TYPE_KEYS[set_type]}" if set_type in SET_TYPE_KEYS else ""
    return text + (f" @{_number(rpe)}" if rpe is not None else "")


def _ordinal(digits: str, what: str) -> int:
    n = int(digits) if len(digits) <= 6 else 10**6
    if not 1 <= n <= 999:
        raise ValidationError(f"{what} are numbered from 1 to 999.")
    return n


def _query(text: str) -> str:
    if not text.strip():
        raise ValidationError("Type the exercise after > or +, like >squat or +bench press.")
    return clean_name(text, "An exercise search")


def _edit(text: str) -> EditSet | DeleteSet:
    digits, what = _EDIT_RE.fullmatch(text).groups()  # type: ignore[union-attr]
    position = _ordinal(digits, "Sets") if digits else None
    if not what:
        n = digits or "3"
        raise ValidationError(f"Say what to change: #{n} 100x6, #{n} w, #{n} del")
    if what.lower() in ("del", "delete", "-"):
        return DeleteSet(position)
    body, set_type, rpe, error = _split(what, edit=True)
    if body and not has_set_shape(body):
        raise ValidationError(f"Could not read {'#' + text[:19]!r}: {_EDIT_HELP}")
    if error:
        raise error
    return EditSet(position, body or None, set_type, rpe)


def _rest(arg: str) -> Rest:
    if not arg:
        return Rest(None, False)
    if arg in ("off", "stop"):
        return Rest(None, False, stop=True)
    if len(arg) > 20:
        raise ValidationError("Could not read that rest: try rest 90, 1:30, 2m, +30 or off.")
    seconds, relative = parse_duration(arg), arg[0] in "+-"
    return Rest(seconds, True) if relative else Rest(seconds or None, False, stop=seconds == 0)


def parse_command(line: str) -> Command:
    """Read one line of the set box (see the module docstring)."""
    if not isinstance(line, str):
        raise ValidationError("Type a set or a command (F1 lists them).")
    text = " ".join(line.split())
    low = text.lower()
    keyword, _, after = text.partition(" ")
    if keyword.lower() in ("note", "wnote"):
        workout = keyword.lower() == "wnote"
        if not after:
            name = "wnote" if workout else "note"
            raise ValidationError(f"Type the note after '{name}' ({name} - clears it)")
        return SetNote(None if after == "-" else clean_notes(after, "A note", 2000), workout)
    if len(text) > _MAX_LINE:
        raise ValidationError(f"That line is too long to read: {_SET_HELP}")
    if low in ("?", "help"):
        return Help()
    if low in ("remove", "remove!"):
        return RemoveExercise(low.endswith("!"))
    if keyword.lower() == "move" and re.fullmatch("[0-9]+", after):
        return MoveExercise(_ordinal(after, "Exercises"))
    if low in _UNITS:
        return SwitchUnit(_UNITS[low])
    if text.startswith("#"):
        return _edit(text[1:].strip())
    if text.startswith("+") and not has_set_shape(_split(text, edit=False)[0]):  # '+20 60s' is a set
        return AddExercise(_query(text[1:]))
    if text.startswith(">"):
        query = _query(text[1:])
        number = _ordinal(query, "Exercises") if re.fullmatch("[0-9]+", query) else None
        return GoToExercise(query, number)
    if match := _REST_RE.fullmatch(low):
        return _rest(match["arg"])
    body, set_type, rpe, error = _split(text, edit=False)
    if has_set_shape(body):
        if error:
            raise error
        return LogSet(body, set_type, rpe)  # type: ignore[arg-type]
    if text[:1].isalpha():
        return GoToExercise(_query(text), None)
    raise ValidationError(f"Could not read {text[:20]!r}: {_SET_HELP}")
