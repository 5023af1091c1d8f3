"""The program text format: parsed into frozen data, with every error at its line (issue 18).

A program is plain text, one statement a line; ``#`` starts a comment. Keywords start a line:

    program: 5/3/1 Boring But Big          the name (required, first)
    description: ...                       any number of lines
    unit: kg                               what bare weights in the file are in (kg or lbs)

    defaults                               rules every lift below starts from (indented keys)
      increase: 2.5 kg / 5 lb per session
    lift Squat: Squat (Barbell)            a progressed lift: short name, then the exercise
      max: training                        training (a TM: percentages are of it) or working
      start: 90% of e1RM                   from the lifter's history: P% of e1RM or of an NRM
      increase: 5 kg / 10 lb per cycle     added on a success, per session or per cycle
      success: amrap sets                  all sets (default) | amrap sets | last set N+
      failure: next stage                  next stage | repeat (default)
      reset: 85%                           after the last stage fails: P% of the weight, or
                                           +W kg on the weight last used at the first stage
      deload: 10% after 3                  P% off after N failures in a row

    workout A: Squat day                   a named day, used by "week N: A B A"
      Squat: 5x5
    week 1: A B A                          a week of named workouts...
    week 2                                 ...or of its own days:
      day 1: Press
        Press: 1x5 @ 65%, 1x5 @ 75%, 1x5+ @ 85%
    week 4 deload                          a deload week: its results never count

A prescription line is ``NAME: GROUP, GROUP...``; NAME is a lift's short name or an exercise
(then no weight is prescribed). A GROUP is ``SETSxREPS`` with optional ``-MAX`` (a rep range),
``+`` (the last set of the group is AMRAP: as many reps as possible), ``@ P%`` (of the lift's
max; 100% without it) and ``warmup``. ``|`` separates stages: ``5x3+ | 6x2+ | 10x1+`` (the lift's
stage picks one; ``failure: next stage`` moves on).

``parse(text)`` returns a ``Program`` or raises ``ProgramSyntaxError`` whose ``errors`` hold
every problem as ``ProgramIssue(line, column, message)`` (1-based; column None: the whole line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from overload_tui.domain.errors import ValidationError

MAX_SETS = 20
MAX_REPS = 100
MAX_WEEKS = 52
MAX_DAYS = 14
MAX_NAME = 100
MAX_SOURCE = 100_000
KEYWORDS = ("program", "description", "unit", "defaults", "lift", "workout", "week", "day")


@dataclass(frozen=True, slots=True)
class ProgramIssue:
    line: int
    column: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ProgramSyntaxError(ValidationError):
    """A program text that does not parse. ``errors``: every issue, in line order."""

    def __init__(self, errors: list[ProgramIssue] | tuple[ProgramIssue, ...]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (e.line, e.column or 0)))
        first = self.errors[0] if self.errors else ProgramIssue(1, None, "empty program")
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(f"{first}{more}", field="program")


@dataclass(frozen=True, slots=True)
class SetGroup:
    """``count`` sets of ``reps`` (to ``reps_max``: a range); the last one AMRAP when ``amrap``."""

    count: int
    reps: int
    reps_max: int | None = None
    amrap: bool = False
    percent: float | None = None  # of the lift's max; None: 100% (or no weight, for an exercise)
    warmup: bool = False
    column: int = 1

    @property
    def target(self) -> int:
        """The reps that count as done: the top of a range, else the reps."""
        return self.reps_max if self.reps_max is not None else self.reps

    def text(self) -> str:
        reps = f"{self.reps}-{self.reps_max}" if self.reps_max is not None else str(self.reps)
        pct = f" @ {self.percent:g}%" if self.percent is not None else ""
        return f"{self.count}x{reps}{'+' if self.amrap else ''}{pct}{' warmup' if self.warmup else ''}"


@dataclass(frozen=True, slots=True)
class Line:
    line: int
    name: str                                    # a lift's short name or an exercise name
    stages: tuple[tuple[SetGroup, ...], ...]     # one tuple of groups per stage


@dataclass(frozen=True, slots=True)
class Day:
    name: str             # "1", "A1"
    title: str | None
    lines: tuple[Line, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Week:
    number: int
    days: tuple[Day, ...]
    deload: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class Amount:
    """A weight written in the file: per unit ('kg', 'lbs'); ``in_unit`` converts when one is missing."""

    values: Mapping[str, float]

    def in_unit(self, unit: str) -> float:
        from overload_tui.domain.units import convert

        if unit in self.values:
            return self.values[unit]
        (other, value), = list(self.values.items())[:1]
        return convert(value, other, unit)

    def text(self) -> str:
        return " / ".join(f"{v:g} {'lb' if u == 'lbs' else u}" for u, v in self.values.items())


@dataclass(frozen=True, slots=True)
class Lift:
    name: str
    exercise: str
    line: int
    training_max: bool = False
    start_percent: float = 100.0
    start_reps: int = 1            # the NRM the start is a percentage of (1: the e1RM)
    increase: Amount | None = None
    per_cycle: bool = False
    success: str = "all"           # "all" | "amrap" | "last"
    success_reps: int | None = None  # "last set N+"
    next_stage: bool = False
    reset_percent: float | None = None
    reset_add: Amount | None = None
    deload_percent: float | None = None
    deload_after: int = 1

    @property
    def max_label(self) -> str:
        return "TM" if self.training_max else "working weight"


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    lifts: Mapping[str, Lift]
    weeks: tuple[Week, ...]
    description: str = ""
    unit: str = "kg"
    source: str = field(default="", repr=False)
    stage_counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    @property
    def days_per_cycle(self) -> int:
        return sum(len(w.days) for w in self.weeks)

    def stages(self, lift: str) -> int:
        """How many stages the lift's lines have (1: none)."""
        return self.stage_counts.get(lift, 1)

    def exercises(self) -> list[tuple[str, int]]:
        """Every exercise named (a lift's, or a line's that is no lift) with its first line."""
        seen: dict[str, int] = {}
        for lift in self.lifts.values():
            seen.setdefault(lift.exercise, lift.line)
        for week in self.weeks:
            for day in week.days:
                for line in day.lines:
                    if line.name not in self.lifts:
                        seen.setdefault(line.name, line.line)
        return list(seen.items())


# -- the parser ------------------------------------------------------------------------------
_GROUP = re.compile(
    r"^(?P<count>\d+)\s*[x×]\s*(?P<reps>\d+)(?:\s*-\s*(?P<max>\d+))?(?P<amrap>\+)?"
    r"(?:\s*@\s*(?P<pct>\d+(?:\.\d+)?)\s*%(?:\s*(?:of\s+)?TM)?)?(?:\s+(?P<warmup>warm-?up))?$",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"^\+?\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<u>kg|kgs|lb|lbs)?$", re.IGNORECASE)
_PERCENT = re.compile(r"^(?P<p>\d+(?:\.\d+)?)\s*%$")
_START = re.compile(r"^(?P<p>\d+(?:\.\d+)?)\s*%\s+of\s+(?:(?P<e1>e1RM)|(?P<n>\d+)\s*RM)$", re.IGNORECASE)
_DELOAD = re.compile(r"^(?P<p>\d+(?:\.\d+)?)\s*%\s+after\s+(?P<n>\d+)(?:\s+(?:failures?|misses|missed\s+\w+|failed\s+\w+))?$",
                     re.IGNORECASE)
_LAST = re.compile(r"^last\s+set\s+(?P<n>\d+)\s*\+?(?:\s+reps)?$", re.IGNORECASE)
_WEEK = re.compile(r"^week\s+(?P<n>\d+)(?P<deload>\s+deload)?\s*(?::\s*(?P<rest>.*))?$", re.IGNORECASE)
_DAY = re.compile(r"^day\s+(?P<n>\w+)\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE)
_WORKOUT = re.compile(r"^workout\s+(?P<n>[^\s:]+)\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE)
_LIFT = re.compile(r"^lift\s+(?P<name>[^:]+?)\s*(?::\s*(?P<exercise>.+))?$", re.IGNORECASE)


def _keyword(text: str) -> str | None:
    word = re.split(r"[\s:]", text, maxsplit=1)[0].lower()
    return word if word in KEYWORDS else None


def _units(u: str | None, default: str) -> str:
    if u is None:
        return default
    return "lbs" if u.lower().startswith("lb") else "kg"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ProgramIssue] = []
        self.name: str | None = None
        self.description: list[str] = []
        self.unit = "kg"
        self.defaults: dict[str, tuple[int, str]] = {}
        self.lift_keys: dict[str, dict[str, tuple[int, str]]] = {}
        self.lift_heads: dict[str, tuple[int, str]] = {}
        self.workouts: dict[str, Day] = {}
        self.weeks: list[Week] = []
        # the open block: ("defaults"|"lift"|"workout"|"week"|"day", data)
        self.block: str | None = None
        self.block_name: str | None = None
        self.pending_lines: list[Line] = []
        self.week_days: list[Day] = []
        self.week_head: tuple[int, int, bool] | None = None  # (line, number, deload)
        self.week_scheduled = False
        self.day_head: tuple[int, str, str | None] | None = None
        self.day_content = False  # the open day has lines (even ones in error)
        self.used: set[str] = set()  # names lines start with (even lines in error)

    def error(self, line: int, message: str, column: int | None = None) -> None:
        self.errors.append(ProgramIssue(line, column, message))

    # -- blocks ---------------------------------------------------------------------------------
    def close_day(self) -> None:
        if self.day_head is None:
            return
        line, name, title = self.day_head
        if not self.pending_lines and not self.day_content:
            self.error(line, f"Day {name} has no exercises (indent them under it).")
        day = Day(name, title, tuple(self.pending_lines), line)
        if self.block == "workout":
            self.workouts[name.lower()] = day
        else:
            if any(d.name.lower() == name.lower() for d in self.week_days):
                self.error(line, f"There are two days called {name} in this week.")
            self.week_days.append(day)
        self.day_head = None
        self.pending_lines = []
        self.day_content = False

    def close_week(self) -> None:
        self.close_day()
        if self.week_head is None:
            return
        line, number, deload = self.week_head
        if not self.week_days:
            self.error(line, f"Week {number} has no days: add 'day 1' blocks, or list workouts: 'week {number}: A B'.")
        if len(self.week_days) > MAX_DAYS:
            self.error(line, f"Week {number} has {len(self.week_days)} days; at most {MAX_DAYS}.")
        self.weeks.append(Week(number, tuple(self.week_days), deload, line))
        self.week_head = None
        self.week_days = []
        self.week_scheduled = False

    def close(self) -> None:
        if self.block == "workout":
            self.close_day()
        else:
            self.close_week()

    # -- lines ----------------------------------------------------------------------------------
    def run(self) -> Program:
        if len(self.text) > MAX_SOURCE:
            raise ProgramSyntaxError([ProgramIssue(1, None, f"A program is at most {MAX_SOURCE:,} characters.")])
        if "\x00" in self.text:
            raise ProgramSyntaxError([ProgramIssue(1, None, "The text contains a NUL character.")])
        for number, raw in enumerate(self.text.splitlines(), start=1):
            text = raw.split("#", 1)[0].rstrip()
            if not text.strip():
                continue
            if "\t" in text[: len(text) - len(text.lstrip())]:
                text = text.replace("\t", "    ")
            indent = len(text) - len(text.lstrip())
            body = text.strip()
            keyword = _keyword(body)
            if keyword is not None:
                self.statement(number, keyword, body, indent)
            elif indent == 0:
                self.error(number, f"Unknown statement {body.split()[0][:30]!r}: lines start with one of "
                           f"{', '.join(KEYWORDS)}, or are indented under one.", 1)
            else:
                self.content(number, body, indent)
        self.close()
        return self.finish()

    def statement(self, n: int, keyword: str, body: str, indent: int) -> None:
        if keyword == "day":
            if self.week_head is None:
                self.error(n, "'day' belongs inside a week: put 'week 1' above it.", indent + 1)
                return
            if self.week_scheduled:
                self.error(n, "This week already lists its workouts after 'week N:'; use one way or the other.",
                           indent + 1)
                return
            self.close_day()
            m = _DAY.match(body)
            if not m:
                self.error(n, "Write a day as 'day 1' or 'day 1: Title'.", indent + 1)
                return
            self.day_head = (n, m["n"], (m["title"] or "").strip() or None)
            self.block = "day"
            return
        if indent:
            self.error(n, f"'{keyword}' starts a line: remove the indentation.", 1)
        self.close()
        self.block, self.block_name = None, None
        value = body.split(":", 1)[1].strip() if ":" in body else ""
        if keyword == "program":
            if self.name is not None:
                self.error(n, "The program is named twice.")
            elif not value:
                self.error(n, "Give the program a name: 'program: My program'.")
            elif len(value) > MAX_NAME:
                self.error(n, f"A program's name is at most {MAX_NAME} characters.")
            else:
                self.name = value
        elif keyword == "description":
            self.description.append(value)
        elif keyword == "unit":
            if value.lower() in ("kg", "kgs"):
                self.unit = "kg"
            elif value.lower() in ("lb", "lbs"):
                self.unit = "lbs"
            else:
                self.error(n, "The unit is kg or lbs.", body.find(":") + 2 if ":" in body else None)
        elif keyword == "defaults":
            if self.lift_heads:
                self.error(n, "Put 'defaults' before the lifts.")
            self.block = "defaults"
        elif keyword == "lift":
            m = _LIFT.match(body)
            if not m:
                self.error(n, "Write a lift as 'lift Squat: Squat (Barbell)' or 'lift Squat (Barbell)'.")
                return
            name = m["name"].strip()
            exercise = (m["exercise"] or name).strip()
            if name.lower() in (k.lower() for k in self.lift_heads):
                self.error(n, f"The lift {name!r} is declared twice.")
                return
            if len(exercise) > MAX_NAME or len(name) > MAX_NAME:
                self.error(n, f"A name is at most {MAX_NAME} characters.")
                return
            self.lift_heads[name] = (n, exercise)
            self.lift_keys[name] = {}
            self.block, self.block_name = "lift", name
        elif keyword == "workout":
            m = _WORKOUT.match(body)
            if not m:
                self.error(n, "Write a workout as 'workout A' or 'workout A: Title'.")
                return
            if m["n"].lower() in self.workouts:
                self.error(n, f"The workout {m['n']!r} is defined twice.")
            self.block = "workout"
            self.day_head = (n, m["n"], (m["title"] or "").strip() or None)
        elif keyword == "week":
            m = _WEEK.match(body)
            if not m:
                self.error(n, "Write a week as 'week 1', 'week 4 deload' or 'week 1: A B A'.")
                return
            number = int(m["n"])
            expected = len(self.weeks) + 1
            if number != expected:
                self.error(n, f"Weeks are numbered in order: expected week {expected}.", 6)
            self.week_head = (n, number, bool(m["deload"]))
            self.block = "week"
            rest = (m["rest"] or "").strip()
            if rest:
                self.week_scheduled = True
                for name in rest.replace(",", " ").split():
                    day = self.workouts.get(name.lower())
                    if day is None:
                        self.error(n, f"No workout called {name!r} is defined above this week.",
                                   body.find(name) + 1)
                    else:
                        self.week_days.append(day)

    def content(self, n: int, body: str, indent: int) -> None:
        if self.block in ("defaults", "lift"):
            self.rule_line(n, body, indent)
        elif self.block in ("day", "workout") and self.day_head is not None:
            self.day_content = True
            line = self.prescription(n, body, indent)
            if line is not None:
                self.pending_lines.append(line)
        elif self.block == "week":
            self.error(n, "Put exercises under a 'day' line (or list workouts: 'week N: A B').", indent + 1)
        else:
            self.error(n, "This indented line belongs to nothing: indent it under a lift, workout or day.",
                       indent + 1)

    def rule_line(self, n: int, body: str, indent: int) -> None:
        if ":" not in body:
            self.error(n, "Write a rule as 'key: value' (max, start, increase, success, failure, reset, deload).",
                       indent + 1)
            return
        key, value = (p.strip() for p in body.split(":", 1))
        key = key.lower()
        if key not in _RULE_KEYS:
            self.error(n, f"Unknown rule {key!r}: use one of {', '.join(_RULE_KEYS)}.", indent + 1)
            return
        target = self.defaults if self.block == "defaults" else self.lift_keys[self.block_name or ""]
        if key in target and target is not self.defaults:
            self.error(n, f"{key!r} is given twice for this lift.", indent + 1)
        column = indent + body.find(":") + 3
        target[key] = (n, value, column)  # type: ignore[assignment]

    def prescription(self, n: int, body: str, indent: int) -> Line | None:
        if ":" not in body:
            self.error(n, "Write an exercise line as 'Name: 3x5 @ 75%'.", indent + 1)
            return None
        name, rest = body.split(":", 1)
        name = name.strip()
        if not name:
            self.error(n, "The line names no lift or exercise before ':'.", indent + 1)
            return None
        self.used.add(name.lower())
        offset = indent + len(body) - len(rest) + 1
        stages: list[tuple[SetGroup, ...]] = []
        position = 0
        for stage_text in rest.split("|"):
            groups: list[SetGroup] = []
            for group_text in stage_text.split(","):
                column = offset + position + (len(group_text) - len(group_text.lstrip()))
                position += len(group_text) + 1
                group = self.group(n, group_text.strip(), column)
                if group is not None:
                    groups.append(group)
            if stage_text.strip() == "":
                self.error(n, "An empty stage: write sets like 5x3+ on each side of '|'.", offset + position - 1)
            elif groups:
                stages.append(tuple(groups))
        return Line(n, name, tuple(stages)) if stages else None

    def group(self, n: int, text: str, column: int) -> SetGroup | None:
        m = _GROUP.match(text)
        if not m:
            self.error(n, f"Cannot read {text[:30]!r}: write sets as 3x5, 5x3+, 3x8-12, 1x5 @ 65% or 1x5 @ 40% warmup.",
                       column)
            return None
        count, reps = int(m["count"]), int(m["reps"])
        top = int(m["max"]) if m["max"] else None
        pct = float(m["pct"]) if m["pct"] else None
        if not 1 <= count <= MAX_SETS:
            self.error(n, f"Sets go from 1 to {MAX_SETS}.", column)
            return None
        if not 1 <= reps <= MAX_REPS or (top is not None and not reps < top <= MAX_REPS):
            self.error(n, f"Reps go from 1 to {MAX_REPS}; a range goes up (8-12).", column)
            return None
        if pct is not None and not 0 < pct <= 200:
            self.error(n, "A percentage is more than 0 and at most 200.", column)
            return None
        return SetGroup(count, reps, top, bool(m["amrap"]), pct, bool(m["warmup"]), column)

    # -- checks across lines ----------------------------------------------------------------------
    def lift(self, name: str) -> Lift | None:
        line, exercise = self.lift_heads[name]
        rules = {**self.defaults, **self.lift_keys[name]}
        kw: dict[str, object] = {}
        for key, (n, value, column) in rules.items():  # type: ignore[misc]
            try:
                kw.update(_RULE_KEYS[key](value, self.unit))
            except ValueError as error:
                self.error(n, str(error), column)
        return Lift(name, exercise, line, **kw)  # type: ignore[arg-type]

    def finish(self) -> Program:
        if self.name is None:
            self.error(1, "The program has no name: start it with 'program: Name'.")
        lifts = {name: self.lift(name) for name in self.lift_heads}
        if not self.weeks:
            self.error(max(1, len(self.text.splitlines())), "The program has no weeks: add 'week 1' with its days.")
        by_lower = {k.lower(): k for k in lifts}
        weeks = []
        for week in self.weeks:
            days = []
            for day in week.days:
                lines = []
                for line in day.lines:
                    canonical = by_lower.get(line.name.lower())
                    if canonical is not None:
                        line = Line(line.line, canonical, line.stages)
                    else:
                        if len(line.stages) > 1:
                            self.error(line.line, f"{line.name!r} is not a lift, so it has no stages: "
                                       f"declare 'lift {line.name}' to use '|'.")
                        for stage in line.stages:
                            for g in stage:
                                if g.percent is not None:
                                    self.error(line.line, f"{line.name!r} is not a lift: a percentage needs "
                                               f"'lift {line.name}: EXERCISE' above.", g.column)
                    lines.append(line)
                days.append(Day(day.name, day.title, tuple(lines), day.line))
            weeks.append(Week(week.number, tuple(days), week.deload, week.line))
        stage_counts: dict[str, int] = {}
        for week in weeks:
            for day in week.days:
                for line in day.lines:
                    if line.name in lifts:
                        stage_counts[line.name] = max(stage_counts.get(line.name, 1), len(line.stages))
        program = Program(self.name or "", MappingProxyType(dict(lifts)), tuple(weeks),
                          "\n".join(self.description), self.unit, self.text, MappingProxyType(stage_counts))
        for name, lift in lifts.items():
            if lift is None:
                continue
            counts = {len(l.stages) for w in weeks for d in w.days for l in d.lines if l.name == name}
            if not counts and name.lower() not in self.used:
                self.error(lift.line, f"The lift {name!r} is never used in a day.")
            if lift.next_stage and max(counts, default=1) < 2:
                self.error(lift.line, f"'failure: next stage' needs stages in {name}'s lines (5x3+ | 6x2+ | 10x1+).")
            if (lift.reset_percent is not None or lift.reset_add is not None) and not lift.next_stage:
                self.error(lift.line, "'reset' happens after the last stage fails: it needs 'failure: next stage'.")
        if self.errors:
            raise ProgramSyntaxError(self.errors)
        return program


def _percent(value: str) -> float:
    m = _PERCENT.match(value)
    if not m or not 0 < float(m["p"]) <= 200:
        raise ValueError(f"Expected a percentage like 85%, not {value[:30]!r}.")
    return float(m["p"])


def _amount(value: str, unit: str) -> Amount:
    values: dict[str, float] = {}
    for part in value.split("/"):
        m = _AMOUNT.match(part.strip())
        if not m or float(m["v"]) > 100:
            raise ValueError(f"Expected a weight like 2.5 kg or 2.5 kg / 5 lb, not {value[:30]!r}.")
        u = _units(m["u"], unit)
        if u in values:
            raise ValueError("Give each unit once: 2.5 kg / 5 lb.")
        values[u] = float(m["v"])
    return Amount(MappingProxyType(values))


def _rule_max(value: str, unit: str) -> dict[str, object]:
    v = value.lower()
    if v in ("training", "training max", "tm"):
        return {"training_max": True}
    if v in ("working", "working weight"):
        return {"training_max": False}
    raise ValueError("max is 'training' (a training max) or 'working' (the weight lifted).")


def _rule_start(value: str, unit: str) -> dict[str, object]:
    m = _START.match(value)
    if not m:
        raise ValueError("start is like '90% of e1RM' or '85% of 5RM'.")
    reps = 1 if m["e1"] else int(m["n"])
    if not 1 <= reps <= 20 or not 0 < float(m["p"]) <= 200:
        raise ValueError("start is a percentage (up to 200%) of e1RM or of a 1RM to 20RM.")
    return {"start_percent": float(m["p"]), "start_reps": reps}


def _rule_increase(value: str, unit: str) -> dict[str, object]:
    m = re.match(r"^(?P<a>.+?)\s+(?:per|each|every)\s+(?P<when>session|workout|cycle)$", value, re.IGNORECASE)
    if not m:
        raise ValueError("increase is like '2.5 kg per session' or '5 kg / 10 lb per cycle'.")
    return {"increase": _amount(m["a"], unit), "per_cycle": m["when"].lower() == "cycle"}


def _rule_success(value: str, unit: str) -> dict[str, object]:
    v = " ".join(value.lower().split())
    if v in ("all sets", "all"):
        return {"success": "all"}
    if v in ("amrap sets", "amrap"):
        return {"success": "amrap"}
    m = _LAST.match(v)
    if m and 1 <= int(m["n"]) <= MAX_REPS:
        return {"success": "last", "success_reps": int(m["n"])}
    raise ValueError("success is 'all sets', 'amrap sets' or 'last set 25+'.")


def _rule_failure(value: str, unit: str) -> dict[str, object]:
    v = " ".join(value.lower().split())
    if v == "next stage":
        return {"next_stage": True}
    if v == "repeat":
        return {"next_stage": False}
    raise ValueError("failure is 'next stage' or 'repeat'.")


def _rule_reset(value: str, unit: str) -> dict[str, object]:
    if value.strip().startswith("+"):
        return {"reset_add": _amount(value.strip()[1:], unit), "reset_percent": None}
    return {"reset_percent": _percent(value.strip()), "reset_add": None}


def _rule_deload(value: str, unit: str) -> dict[str, object]:
    m = _DELOAD.match(value.strip())
    if not m or not 0 < float(m["p"]) < 100 or not 1 <= int(m["n"]) <= 20:
        raise ValueError("deload is like '10% after 3' (less than 100%, after 1 to 20 failures).")
    return {"deload_percent": float(m["p"]), "deload_after": int(m["n"])}


_RULE_KEYS = {
    "max": _rule_max, "start": _rule_start, "increase": _rule_increase, "success": _rule_success,
    "failure": _rule_failure, "reset": _rule_reset, "deload": _rule_deload,
}


def parse(text: str) -> Program:
    """The program written in ``text``; ProgramSyntaxError lists every problem at its line."""
    if not isinstance(text, str):
        raise ProgramSyntaxError([ProgramIssue(1, None, "A program is text.")])
    return _Parser(text).run()
