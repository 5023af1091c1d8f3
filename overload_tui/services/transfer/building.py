"""From rows to workouts: one set per row (or a skip, or a refusal), grouped into workouts.

Shared by the CSV readers: each reader pulls the values out of its columns and hands them here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.validation import validate_reps, validate_weight
from overload_tui.services.transfer.model import (
    ExerciseRef,
    InvalidRow,
    ParsedEntry,
    ParsedFile,
    ParsedSet,
    ParsedWorkout,
)
from overload_tui.services.transfer.values import (
    KG_DECIMALS,
    LB_TO_KG,
    clean_line,
    clean_notes,
    join_notes,
    parse_number,
)


def source_key(family: str, identity: str) -> str:
    return f"{family}:{hashlib.sha1(identity.encode('utf-8')).hexdigest()}"


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.3e}"


def validate_rpe(value: float | None) -> float | None:
    """RPE 1..10 (halves allowed); 0 is how some exports write "none"."""
    if value is None or value == 0:
        return None
    if not 1 <= value <= 10:
        raise ValidationError("RPE must be from 1 to 10.")
    return round(value, 1)


def make_set(
    out: ParsedFile,
    line: int,
    exercise: str,
    *,
    weight: str,
    reps: str,
    unit: str,
    set_type: str | None = None,
    rpe: str = "",
    distance: str = "",
    seconds: str = "",
    timed: bool = False,
    columns: tuple[str, str, str, str, str] = ("Weight", "Reps", "RPE", "Distance", "Seconds"),
) -> ParsedSet | None:
    """Read one row's set; None when the row is skipped (counted) or refused (listed).

    Format problems (text in a number column) raise ImportFormatError: the file is not readable.
    ``unit`` is "kg" or "lbs"; the set is stored in kg.
    """
    w_col, r_col, rpe_col, d_col, s_col = columns
    w = parse_number(weight, w_col, line)
    r = parse_number(reps, r_col, line)
    p = parse_number(rpe, rpe_col, line)
    d = parse_number(distance, d_col, line)
    sec = parse_number(seconds, s_col, line)
    if r is None or r == 0:
        if (d or 0) > 0 or (sec or 0) > 0 or timed:
            out.skipped["distance_time"] += 1
        else:
            out.skipped["zero_reps"] += 1
        return None
    try:
        kg_raw = 0.0 if w is None else (w * LB_TO_KG if unit == "lbs" else w)
        shown = "" if w is None else f" ({_fmt(w)} {unit})"
        try:
            kg = validate_weight(round(kg_raw, KG_DECIMALS), Unit.KG)
        except ValidationError as error:
            raise ValidationError(f"{error}{shown}".rstrip(".") + ".") from None
        try:
            n = validate_reps(r)
        except ValidationError as error:
            raise ValidationError(f"{str(error).rstrip('.')} (the file says {_fmt(r)}).") from None
        rpe_value = validate_rpe(p)
    except ValidationError as error:
        name, _ = clean_line(exercise)
        out.invalid.append(InvalidRow(f"line {line}", line, name or "(no name)", str(error)))
        return None
    return ParsedSet(where=f"line {line}", weight=kg, reps=n, unit=Unit.KG, set_type=set_type, rpe=rpe_value)


@dataclass
class _Entry:
    key: str
    ref: ExerciseRef
    notes: list[str] = field(default_factory=list)
    sets: list[ParsedSet] = field(default_factory=list)


@dataclass
class _Workout:
    line: int
    date: datetime
    name: str | None
    identity: str
    finished_at: datetime | None
    notes: list[str] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)


class WorkoutGrouper:
    """Collects rows into workouts by a key (date and name, start and title, or date)."""

    def __init__(self, family: str, out: ParsedFile) -> None:
        self.family = family
        self.out = out
        self._workouts: dict[object, _Workout] = {}

    def add(
        self,
        key: object,
        *,
        line: int,
        date: datetime,
        name: str | None,
        identity: str,
        finished_at: datetime | None,
        workout_notes: str | None,
        exercise: str,
        exercise_notes: str | None,
        category_hint: str | None = None,
        pset: ParsedSet | None,
    ) -> None:
        w = self._workouts.get(key)
        if w is None:
            title = None
            if name is not None:
                title, changed = clean_line(name)
                if changed:
                    self.out.warnings.append(f"line {line}: the workout name was shortened or cleaned")
                title = title or None
            w = self._workouts[key] = _Workout(line, date, title, identity, finished_at)
        notes, changed = clean_notes(workout_notes)
        if changed:
            self.out.warnings.append(f"line {line}: the workout notes were shortened or cleaned")
        if notes:
            w.notes.append(notes)
        if pset is None:
            return
        ex_name, changed = clean_line(exercise)
        if not ex_name:
            self.out.invalid.append(InvalidRow(f"line {line}", line, "(no name)", "The exercise name is empty."))
            return
        if changed:
            self.out.warnings.append(f"line {line}: the exercise name was shortened or cleaned")
        ex_key = ex_name.casefold()
        if not w.entries or w.entries[-1].key != ex_key:
            w.entries.append(_Entry(ex_key, ExerciseRef(ex_name, None, (category_hint or "").strip() or None)))
        entry = w.entries[-1]
        note, changed = clean_notes(exercise_notes)
        if changed:
            self.out.warnings.append(f"line {line}: the exercise notes were shortened or cleaned")
        if note:
            entry.notes.append(note)
        entry.sets.append(pset)

    def finish(self) -> None:
        """Sort the workouts and hand them to the parsed file; drop the ones with no sets."""
        ordered = sorted(self._workouts.values(), key=lambda w: (w.date, w.name or "", w.line))
        for w in ordered:
            if not w.entries:
                self.out.empty_workouts += 1
                continue
            entries = []
            for i, e in enumerate(w.entries, start=1):
                for j, st in enumerate(e.sets, start=1):
                    st.order = j
                notes, _ = clean_notes(join_notes(e.notes))
                entries.append(ParsedEntry(e.ref, notes, e.sets, order=i))
            notes, _ = clean_notes(join_notes(w.notes))
            self.out.workouts.append(
                ParsedWorkout(
                    where=f"line {w.line}",
                    date=w.date,
                    name=w.name,
                    identity=w.identity,
                    source_key=source_key(self.family, w.identity),
                    notes=notes,
                    finished_at=w.finished_at if w.finished_at is not None else w.date,
                    entries=entries,
                )
            )
