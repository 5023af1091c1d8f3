"""From rows to workouts: one set per row (or a skip, or a refusal), grouped into workouts.

Shared by the CSV readers: each reader pulls the values out of its columns and hands them here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from overload_tui.domain.enums import METRES_PER, DistanceUnit, Equipment, ExerciseKind, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import LoadUnit, display_column, load_label, to_stored
from overload_tui.domain.validation import (
    MAX_DISTANCE_M,
    MAX_DURATION,
    clean_name,
    scrub_name,
    validate_reps,
    validate_weight,
)
from overload_tui.services.transfer.mapping import guess_equipment
from overload_tui.services.transfer.model import (
    ExerciseRef,
    InvalidRow,
    ParsedEntry,
    ParsedFile,
    ParsedSet,
    ParsedWorkout,
)
from overload_tui.services.transfer.values import (
    clean_notes,
    join_notes,
    parse_number,
)


def source_key(family: str, identity: str) -> str:
    return f"{family}:{hashlib.sha1(identity.encode('utf-8')).hexdigest()}"


def import_name(text: str | None) -> tuple[str, bool]:
    """A name from a file, as typing would take it: what ``clean_name`` refuses (control and
    text-direction characters...) cleaned out by ``scrub_name``, then ``clean_name`` itself, the
    one check every way in goes through. Returns the name ("" when nothing is left: the caller's
    row error) and whether it was changed beyond trimming."""
    name, changed = scrub_name(text)
    return (clean_name(name) if name else ""), changed


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.3e}"


def validate_rpe(value: float | None) -> float | None:
    """RPE 1..10 (halves allowed); 0 is how some exports write "none"."""
    if value is None or value == 0:
        return None
    if not 1 <= value <= 10:
        raise ValidationError("RPE must be from 1 to 10.", field="rpe")
    return round(value, 1)


@dataclass(slots=True)
class RowSet:
    """A row's set, and what the file said that the set does not keep."""

    pset: ParsedSet
    assisted: bool = False  # the weight was negative: the assistance of an assisted exercise


@dataclass(slots=True)
class Measured:
    """What one row measured, beyond weight x reps: in the file's own numbers, for the set."""

    seconds: float | None = None
    distance: float | None = None
    distance_unit: DistanceUnit | None = None


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
    measured: Measured | None = None,
    columns: tuple[str, str, str] = ("Weight", "Reps", "RPE"),
) -> RowSet | None:
    """Read one row's set; None when the row is skipped (counted) or refused (listed).

    Format problems (text in a number column) raise ImportFormatError: the file is not readable.
    ``unit`` is "kg" or "lbs": a set in pounds keeps the file's number (to 2 decimals) as its
    exact kg with ``display_unit`` 'lbs', so it reads back as the file has it. A row that
    measured a time or a distance is a set even with no reps (1 rep); the time and distance the
    file gives are the set's, shared out over its reps (``duration_s`` and ``distance_m`` are per
    rep). A negative weight is the
    assistance of an assisted exercise, stored as its size.
    """
    w_col, r_col, rpe_col = columns
    w = parse_number(weight, w_col, line)
    r = parse_number(reps, r_col, line)
    p = parse_number(rpe, rpe_col, line)
    m = measured or Measured()
    timed = bool(m.seconds) or bool(m.distance)
    if not r and not timed:
        out.skipped["zero_reps"] += 1
        return None
    try:
        load = LoadUnit.LBS if unit == "lbs" else LoadUnit.KG
        try:
            amount = validate_weight(0.0 if w is None else abs(w), load)
        except ValidationError as error:
            shown = "" if w is None else f" ({_fmt(w)} {load_label(load)})"
            raise ValidationError(f"{str(error).rstrip('.')}{shown}.", field=error.field) from None
        try:
            n = validate_reps(r if r else 1)
        except ValidationError as error:
            said = f"{str(error).rstrip('.')} (the file says {_fmt(r or 0)})."
            raise ValidationError(said, field=error.field) from None
        rpe_value = validate_rpe(p)
        duration = _per_rep(m.seconds, n, MAX_DURATION, "duration", "24 h", m.seconds, "s")
        distance = None
        if m.distance:
            d_unit = m.distance_unit or DistanceUnit.M
            metres_total = m.distance * METRES_PER[d_unit]
            distance = _per_rep(metres_total, n, MAX_DISTANCE_M, "distance", "1,000 km", m.distance, d_unit)
    except ValidationError as error:
        name, _ = import_name(exercise)
        out.invalid.append(InvalidRow(f"line {line}", line, name or "(no name)", str(error)))
        return None
    pset = ParsedSet(
        where=f"line {line}", weight=to_stored(amount, load), reps=n, unit=Unit.KG, set_type=set_type,
        rpe=rpe_value, duration_s=duration, distance_m=distance,
        distance_unit=(m.distance_unit or DistanceUnit.M).value if distance else None,
        display_unit=display_column(load),
    )  # fmt: skip
    return RowSet(pset, assisted=w is not None and w < 0)


def _per_rep(
    total: float | None, reps: int, limit: float, field: str, limit_text: str, given: float | None, unit: str
) -> float | None:
    """The share of one rep of a set's time or distance (the file gives the set's), within the
    app's limits (domain.validation's); kept to the millisecond or millimetre, so that the set's
    total is what the file says. A refusal quotes the file's value (``given`` ``unit``)."""
    if not total:
        return None
    share = round(total / reps, 3)
    if total < 0 or share > limit or share == 0:
        bound = (
            "cannot be negative" if total < 0
            else f"must be at most {limit_text} per rep" if share > limit
            else f"is too small to share over {reps} reps"
        )  # fmt: skip
        what = "A set's time" if field == "duration" else "A set's distance"
        raise ValidationError(f"{what} {bound} (the file says {_fmt(given or 0)} {unit}).", field=field)
    return share


@dataclass(slots=True)
class _Tally:
    """What the sets of one exercise measure across the file: decides its kind."""

    distance: bool = False
    time: bool = False
    assisted: bool = False
    loaded: bool = False

    def count(self, row: RowSet) -> None:
        self.distance = self.distance or row.pset.distance_m is not None
        self.time = self.time or row.pset.duration_s is not None
        self.assisted = self.assisted or row.assisted
        self.loaded = self.loaded or row.pset.weight > 0

    def kind(self, name: str) -> ExerciseKind:
        if self.distance:
            return ExerciseKind.DISTANCE
        if self.time:
            return ExerciseKind.TIME
        if self.assisted:
            return ExerciseKind.ASSISTED
        if not self.loaded:
            return ExerciseKind.REPS_ONLY
        if "weighted" in name.casefold() or guess_equipment(name) is Equipment.BODYWEIGHT:
            return ExerciseKind.WEIGHTED  # a pull-up or dip with a belt: the weight is the added load
        return ExerciseKind.WEIGHT_REPS


def line_ranges(lines: list[int], limit: int = 12) -> str:
    """[2, 3, 4, 9, 11, 12] -> 'lines 2-4, 9, 11-12' (the first ``limit`` runs, then how many more)."""
    runs: list[list[int]] = []
    for n in sorted(set(lines)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:limit])
    rest = sum(b - a + 1 for a, b in runs[limit:])
    word = "line" if len(lines) == 1 else "lines"
    return f"{word} {shown}" + (f" and {rest:,} more" if rest else "")


class LineNotes:
    """Warnings that many rows share, one line each in the report with the lines they hold."""

    def __init__(self) -> None:
        self._lines: dict[str, list[int]] = {}

    def add(self, what: str, line: int) -> None:
        self._lines.setdefault(what, []).append(line)

    def flush(self, out: ParsedFile) -> None:
        """One warning per kind: the lines go where ``{lines}`` is, else after a colon."""
        for what, lines in self._lines.items():
            where = line_ranges(lines)
            out.warnings.append(what.replace("{lines}", where) if "{lines}" in what else f"{what}: {where}")
        self._lines.clear()


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
        self.notes = LineNotes()
        self._workouts: dict[object, _Workout] = {}
        self._tallies: dict[str, _Tally] = {}

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
        row: RowSet | None,
        note_row: bool = False,
    ) -> None:
        """One row. ``row`` None: no set (skipped or refused), but the workout is still met;
        ``note_row``: the row only holds a note of the exercise (Strong's "Note" rows)."""
        w = self._workouts.get(key)
        if w is None:
            title = None
            if name is not None:
                title, changed = import_name(name)
                if changed:
                    self.notes.add("a workout name was shortened or cleaned", line)
                title = title or None
            w = self._workouts[key] = _Workout(line, date, title, identity, finished_at)
        notes, changed = clean_notes(workout_notes)
        if changed:
            self.notes.add("workout notes were shortened or cleaned", line)
        if notes:
            w.notes.append(notes)
        if row is None and not note_row:
            return
        ex_name, changed = import_name(exercise)
        if not ex_name:
            self.out.invalid.append(InvalidRow(f"line {line}", line, "(no name)", "The exercise name is empty."))
            return
        if changed:
            self.notes.add("an exercise name was shortened or cleaned", line)
        ex_key = ex_name.casefold()
        if not w.entries or w.entries[-1].key != ex_key:
            w.entries.append(_Entry(ex_key, ExerciseRef(ex_name, None, (category_hint or "").strip() or None)))
        entry = w.entries[-1]
        note, changed = clean_notes(exercise_notes)
        if changed:
            self.notes.add("exercise notes were shortened or cleaned", line)
        if note:
            entry.notes.append(note)
        if row is not None:
            entry.sets.append(row.pset)
            self._tallies.setdefault(ex_key, _Tally()).count(row)

    def finish(self) -> None:
        """Sort the workouts and hand them to the parsed file; drop the ones with no sets."""
        self.notes.flush(self.out)
        ordered = sorted(self._workouts.values(), key=lambda w: (w.date, w.name or "", w.line))
        for w in ordered:
            entries = []
            for e in w.entries:
                if not e.sets:
                    continue  # an exercise with only a note, or only refused rows
                for j, st in enumerate(e.sets, start=1):
                    st.order = j
                e.ref.kind_hint = self._tallies[e.key].kind(e.ref.name)
                notes, _ = clean_notes(join_notes(e.notes))
                entries.append(ParsedEntry(e.ref, notes, e.sets, order=len(entries) + 1))
            if not entries:
                self.out.empty_workouts += 1
                continue
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
