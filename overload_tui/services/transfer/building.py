"""From rows to workouts: one set per row (or a skip, or a refusal), grouped into workouts.

Shared by the CSV readers: each reader pulls the values out of its columns and hands them here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
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


@functools.lru_cache(maxsize=4096)
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
        amount, stored = _weight(0.0 if w is None else abs(w), load, w)
        n = _reps(r if r else 1, r)
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
        where=f"line {line}", weight=stored, reps=n, unit=Unit.KG, set_type=set_type,
        rpe=rpe_value, duration_s=duration, distance_m=distance,
        distance_unit=(m.distance_unit or DistanceUnit.M).value if distance else None,
        display_unit=display_column(load),
    )  # fmt: skip
    return RowSet(pset, assisted=w is not None and w < 0)


@functools.lru_cache(maxsize=8192)  # a history repeats its weights
def _weight(value: float, load: LoadUnit, given: float | None) -> tuple[float, float]:
    """A row's load as validated in its unit, and as stored (pounds as exact kg)."""
    try:
        amount = validate_weight(value, load)
    except ValidationError as error:
        shown = "" if given is None else f" ({_fmt(given)} {load_label(load)})"
        raise ValidationError(f"{str(error).rstrip('.')}{shown}.", field=error.field) from None
    return amount, to_stored(amount, load)


@functools.lru_cache(maxsize=1024)
def _reps(value: float, given: float | None) -> int:
    try:
        return validate_reps(value)
    except ValidationError as error:
        said = f"{str(error).rstrip('.')} (the file says {_fmt(given or 0)})."
        raise ValidationError(said, field=error.field) from None


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
    return _runs_text(runs, len(lines), limit)


def _runs_text(runs: list[list[int]], count: int, limit: int = 12) -> str:
    shown = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:limit])
    rest = sum(b - a + 1 for a, b in runs[limit:])
    word = "line" if count == 1 else "lines"
    return f"{word} {shown}" + (f" and {rest:,} more" if rest else "")


class LineNotes:
    """Warnings that many rows share, one line each in the report with the lines they hold.

    The lines are kept as runs (first, last): a warning on every row of a million-row file
    holds a few numbers, not a million."""

    def __init__(self) -> None:
        self._runs: dict[str, list[list[int]]] = {}
        self._counts: dict[str, int] = {}

    def add(self, what: str, line: int) -> None:
        runs = self._runs.setdefault(what, [])
        self._counts[what] = self._counts.get(what, 0) + 1
        if runs:
            last = runs[-1]
            if last[0] <= line <= last[1]:
                return
            if line == last[1] + 1:
                last[1] = line
                return
        runs.append([line, line])

    def flush(self, out: ParsedFile) -> None:
        """One warning per kind: the lines go where ``{lines}`` is, else after a colon."""
        for what, runs in self._runs.items():
            where = _runs_text(_merged(runs), self._counts[what])
            out.warnings.append(what.replace("{lines}", where) if "{lines}" in what else f"{what}: {where}")
        self._runs.clear()
        self._counts.clear()


def _merged(runs: list[list[int]]) -> list[list[int]]:
    """Runs met out of order (a file not sorted by date), sorted and joined."""
    out: list[list[int]] = []
    for a, b in sorted(runs):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


@dataclass(slots=True)
class _Entry:
    key: str
    ref: ExerciseRef
    notes: list[str] = field(default_factory=list)
    sets: list[ParsedSet] = field(default_factory=list)


@dataclass(slots=True)
class _Workout:
    line: int
    date: datetime
    name: str | None
    identity: str
    finished_at: datetime | None
    notes: list[str] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)


class WorkoutGrouper:
    """Collects rows into workouts by a key (date and name, start and title, or date).

    The workouts are handed to ``out.workouts`` by :meth:`finish`, sorted by date. Subclasses
    keep less (:class:`CountingGrouper`) or hand each workout on as soon as its last row is read
    (:class:`EmittingGrouper`)."""

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
            w = self._workouts[key] = self._new_workout(line, date, title, identity, finished_at)
        notes, changed = clean_notes(workout_notes)
        if changed:
            self.notes.add("workout notes were shortened or cleaned", line)
        if notes:
            self._workout_note(w, notes)
        if row is not None or note_row:
            self._exercise_row(w, line, exercise, exercise_notes, category_hint, row)
        self._row_done(key, w, line)

    def _exercise_row(
        self, w, line: int, exercise: str, exercise_notes: str | None, category_hint: str | None, row: RowSet | None
    ) -> None:
        ex_name, changed = import_name(exercise)
        if not ex_name:
            self.out.invalid.append(InvalidRow(f"line {line}", line, "(no name)", "The exercise name is empty."))
            return
        if changed:
            self.notes.add("an exercise name was shortened or cleaned", line)
        ex_key = ex_name.casefold()
        entry = self._entry(w, ex_key, ex_name, category_hint)
        note, changed = clean_notes(exercise_notes)
        if changed:
            self.notes.add("exercise notes were shortened or cleaned", line)
        if note:
            self._entry_note(entry, note)
        if row is not None:
            self._add_set(w, entry, row)
            tally = self._tallies.get(ex_key)
            if tally is None:
                tally = self._tallies[ex_key] = _Tally()
            tally.count(row)

    # -- what is kept (overridden by the streaming groupers) -------------------------------------
    def _new_workout(self, line: int, date: datetime, title: str | None, identity: str, finished_at):
        return _Workout(line, date, title, identity, finished_at)

    def _workout_note(self, w, notes: str) -> None:
        w.notes.append(notes)

    def _entry(self, w, ex_key: str, ex_name: str, category_hint: str | None):
        if not w.entries or w.entries[-1].key != ex_key:
            w.entries.append(_Entry(ex_key, ExerciseRef(ex_name, None, (category_hint or "").strip() or None)))
        return w.entries[-1]

    def _entry_note(self, entry, note: str) -> None:
        entry.notes.append(note)

    def _add_set(self, w, entry, row: RowSet) -> None:
        entry.sets.append(row.pset)

    def _row_done(self, key: object, w, line: int) -> None:
        pass

    def kind_hint(self, name: str) -> ExerciseKind | None:
        """What the sets of the exercise called ``name`` measure across the file (as read so far)."""
        tally = self._tallies.get(name.casefold())
        return tally.kind(name) if tally is not None else None

    def _workout(self, w: _Workout, hint: Callable[[str, str], ExerciseKind]) -> ParsedWorkout | None:
        """A collected workout as parsed (None, counted, when none of its rows is a set)."""
        entries = []
        for e in w.entries:
            if not e.sets:
                continue  # an exercise with only a note, or only refused rows
            for j, st in enumerate(e.sets, start=1):
                st.order = j
            e.ref.kind_hint = hint(e.key, e.ref.name)
            notes, _ = clean_notes(join_notes(e.notes))
            entries.append(ParsedEntry(e.ref, notes, e.sets, order=len(entries) + 1))
        if not entries:
            self.out.empty_workouts += 1
            return None
        notes, _ = clean_notes(join_notes(w.notes))
        return ParsedWorkout(
            where=f"line {w.line}",
            date=w.date,
            name=w.name,
            identity=w.identity,
            source_key=source_key(self.family, w.identity),
            notes=notes,
            finished_at=w.finished_at if w.finished_at is not None else w.date,
            entries=entries,
        )

    def _tally_hint(self, key: str, name: str) -> ExerciseKind:
        return self._tallies[key].kind(name)

    def finish(self) -> None:
        """Sort the workouts and hand them to the parsed file; drop the ones with no sets."""
        self.notes.flush(self.out)
        ordered = sorted(self._workouts.values(), key=lambda w: (w.date, w.name or "", w.line))
        for w in ordered:
            parsed = self._workout(w, self._tally_hint)
            if parsed is not None:
                self.out.workouts.append(parsed)


# -- streaming: a plan that keeps counts, a commit that hands on each workout when it is whole ----
def set_shape(st: ParsedSet) -> int:
    """What a set measures, as the bits an exercise's kind is checked against: a distance (1),
    a time (2), no weight (4)."""
    return (st.distance_m is not None) | (st.duration_s is not None) << 1 | (st.weight == 0) << 2


@dataclass(slots=True)
class NameStats:
    """One exercise name of a file's new workouts: how many sets, what they measure, and where
    it is first met (the report lists names in the order of the workouts by date)."""

    name: str
    category_hint: str | None
    first: tuple
    sets: int = 0
    shapes: list[int] = field(default_factory=lambda: [0] * 8)


@dataclass
class Tally:
    """What a file holds for one user, as counts: what a report needs, not the rows."""

    workouts: int = 0  # new ones (with a set)
    entries: int = 0
    sets: int = 0
    duplicate_workouts: int = 0
    duplicate_sets: int = 0
    names: dict[str, NameStats] = field(default_factory=dict)

    def add_set(self, name: str, category_hint: str | None, first: tuple, shape: int) -> None:
        stats = self.names.get(name)
        if stats is None:
            stats = self.names[name] = NameStats(name, category_hint, first)
        elif first < stats.first:
            stats.first, stats.category_hint = first, category_hint
        stats.sets += 1
        stats.shapes[shape] += 1

    def add_workout(self, w: ParsedWorkout, line: int, duplicate: bool) -> None:
        """A whole workout (the commit's pass)."""
        n = w.set_count
        if duplicate:
            self.duplicate_workouts += 1
            self.duplicate_sets += n
            return
        self.workouts += 1
        self.entries += len(w.entries)
        self.sets += n
        for i, e in enumerate(w.entries):
            first = (w.date, w.name or "", line, i)
            for st in e.sets:
                self.add_set(e.exercise.name, e.exercise.category_hint, first, set_shape(st))

    def in_order(self) -> list[NameStats]:
        return sorted(self.names.values(), key=lambda n: n.first)


@dataclass(slots=True)
class _Counted:
    """A workout of the plan's pass: its place, whether it is already imported, its counts,
    and its last exercise (a row of the same exercise goes on with it)."""

    line: int
    date: datetime
    name: str | None
    duplicate: bool
    last: int = 0  # the line of its last row
    sets: int = 0
    entries: int = 0  # with a set
    seen: int = 0  # entries met, with a set or not
    key: str | None = None  # the last entry's exercise (case-folded), its name and category
    ex_name: str = ""
    hint: str | None = None
    has_sets: bool = False


class CountingGrouper(WorkoutGrouper):
    """The plan's pass: the same reading, keeping for each workout a few numbers, never its sets.

    ``existing``: the source keys of the workouts the user already has (a workout found there is
    counted as a duplicate). :meth:`finish` leaves the counts in ``tally`` and the last line of
    each workout in ``last_lines`` (the commit's pass hands a workout on at its last line)."""

    def __init__(self, family: str, out: ParsedFile, existing: Collection[str]) -> None:
        super().__init__(family, out)
        self.existing = existing
        self.tally = Tally()
        self.last_lines: set[int] = set()
        self._strings: dict[str, str] = {}

    def _intern(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def _new_workout(self, line, date, title, identity, finished_at) -> _Counted:
        duplicate = source_key(self.family, identity) in self.existing
        return _Counted(line, date, self._intern(title) if title else title, duplicate)

    def _workout_note(self, w, notes: str) -> None:
        pass

    def _entry(self, w: _Counted, ex_key: str, ex_name: str, category_hint: str | None) -> _Counted:
        if w.key != ex_key or not w.seen:
            w.key, w.ex_name = self._intern(ex_key), self._intern(ex_name)
            hint = (category_hint or "").strip() or None
            w.hint = self._intern(hint) if hint else None
            w.has_sets = False
            w.seen += 1
        return w

    def _entry_note(self, entry, note: str) -> None:
        pass

    def _add_set(self, w: _Counted, entry, row: RowSet) -> None:
        w.sets += 1
        if not w.has_sets:
            w.has_sets = True
            w.entries += 1
        if not w.duplicate:
            self.tally.add_set(w.ex_name, w.hint, (w.date, w.name or "", w.line, w.seen), set_shape(row.pset))

    def _row_done(self, key, w: _Counted, line: int) -> None:
        w.last = line

    def finish(self) -> None:
        self.notes.flush(self.out)
        t = self.tally
        for w in self._workouts.values():
            self.last_lines.add(w.last)
            if not w.sets:
                self.out.empty_workouts += 1
            elif w.duplicate:
                t.duplicate_workouts += 1
                t.duplicate_sets += w.sets
            else:
                t.workouts += 1
                t.entries += w.entries
                t.sets += w.sets
        self._workouts.clear()


class EmittingGrouper(WorkoutGrouper):
    """The commit's pass: each workout handed to ``emit(workout, first_line)`` as soon as its last
    row is read (``last_lines``, from the plan's pass), so only the workouts being read are held.
    Entries get their kind from ``hints`` (the plan's, of the whole file, by exercise name)."""

    def __init__(
        self,
        family: str,
        out: ParsedFile,
        last_lines: Collection[int],
        hints: dict[str, ExerciseKind],
        emit: Callable[[ParsedWorkout, int], None],
    ) -> None:
        super().__init__(family, out)
        self.last_lines = last_lines
        self.hints = hints
        self.emit = emit

    def _hint(self, key: str, name: str) -> ExerciseKind:
        return self.hints.get(name) or self._tally_hint(key, name)

    def _row_done(self, key, w: _Workout, line: int) -> None:
        if line in self.last_lines:
            del self._workouts[key]
            parsed = self._workout(w, self._hint)
            if parsed is not None:
                self.emit(parsed, w.line)

    def finish(self) -> None:
        self.notes.flush(self.out)
        for w in sorted(self._workouts.values(), key=lambda w: (w.date, w.name or "", w.line)):
            parsed = self._workout(w, self._hint)
            if parsed is not None:
                self.emit(parsed, w.line)
        self._workouts.clear()
