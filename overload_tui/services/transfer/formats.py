"""The CSV formats: Strong (current, "Workout #", legacy), Hevy (kg, lbs), FitNotes (current, older).

Each format names its columns (a header may list them in any order, with extra ones); the
header decides the format, the delimiter and the unit where the file gives one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from overload_tui.services.transfer.building import WorkoutGrouper, make_set
from overload_tui.services.transfer.csvfile import Problems, Table, first_line, header_key, split_header
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.model import ParsedFile
from overload_tui.services.transfer.values import parse_date, parse_duration, short

Getter = Callable[[str], str]
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_UNIT_WORDS = {
    "kg": "kg", "kgs": "kg", "kilograms": "kg", "kilogram": "kg",
    "lbs": "lbs", "lb": "lbs", "pounds": "lbs", "pound": "lbs",
}  # fmt: skip


def unit_word(text: str, line: int | None) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if value not in _UNIT_WORDS:
        raise ImportFormatError(f"unknown weight unit {short(text)} (expected kg or lbs)", line)
    return _UNIT_WORDS[value]


def _header_unit(cell: str) -> str | None:
    """ "Weight (lbs)" -> lbs, "weight_kg" -> kg, "Weight" -> None."""
    key = header_key(cell)
    for word, unit in _UNIT_WORDS.items():
        if key.endswith((f"({word})", f"_{word}")):
            return unit
    return None


@dataclass
class Options:
    unit: str | None = None  # "kg" / "lbs" from --unit: for files that do not say


class CsvFormat:
    family = ""
    title = ""
    columns: dict[str, tuple[str, ...]] = {}
    required: tuple[str, ...] = ()
    example = ""

    def column_map(self, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for canonical, names in self.columns.items():
            for i, key in enumerate(keys):
                if key in names:
                    found[canonical] = i
                    break
        return found

    def missing(self, columns: dict[str, int]) -> list[str]:
        return [self.columns[k][0] for k in self.required if k not in columns]

    def variant(self, table: Table) -> str:
        return self.title

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems) -> None:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------
    def _unit_reader(self, table: Table, options: Options, out: ParsedFile, units: Counter):
        """A function giving each row's unit; records where the unit came from."""
        header_unit = _header_unit(table.header[table.columns["weight"]])
        has_column = "weight_unit" in table.columns
        if header_unit or has_column:
            if options.unit:
                out.warnings.append(f"the file gives its own weight unit; --unit {options.unit} was not used")
            fallback = options.unit or "kg"
        else:
            fallback = options.unit or "kg"
            out.unit_note = (
                f"weights read as {fallback}, as --unit says"
                if options.unit
                else f"{self.title} does not say its unit: weights read as kg (use --unit lbs if the app showed pounds)"
            )

        def unit_of(line: int, get: Getter) -> str:
            if header_unit:
                unit = header_unit
            else:
                unit = (unit_word(get("weight_unit"), line) if has_column else None) or fallback
            units[unit] += 1
            return unit

        return unit_of


def unit_summary(out: ParsedFile, units: Counter) -> None:
    if units.get("lbs"):
        note = f"{units['lbs']} row{'s' if units['lbs'] != 1 else ''} in lbs converted to kg (x 0.45359237, to the gram)"
        out.unit_note = f"{out.unit_note}; {note}" if out.unit_note else note
    elif out.unit_note is None and units:
        out.unit_note = "weights in kg, as the file says"


# -- Strong -------------------------------------------------------------------------------------
_STRONG_ORDER = {
    "w": "warmup", "warm_up": "warmup", "warmup": "warmup", "warm-up": "warmup", "warm up": "warmup",
    "f": "failure", "failure": "failure",
    "d": "drop", "drop": "drop", "drop_set": "drop", "dropset": "drop", "drop set": "drop",
    "normal": None, "n": None,
}  # fmt: skip


_SET_NUMBER_RE = re.compile(r"\d+(?:\.0*)?")  # "3", or "3.0" from a spreadsheet


class StrongFormat(CsvFormat):
    family = "strong"
    title = "Strong"
    columns = {
        "date": ("date",),
        "workout": ("workout name",),
        "duration": ("duration", "duration (sec)", "duration (seconds)", "duration (s)"),
        "exercise": ("exercise name",),
        "set_order": ("set order",),
        "weight": ("weight", "weight (kg)", "weight (kgs)", "weight (lbs)", "weight (lb)"),
        "weight_unit": ("weight unit",),
        "reps": ("reps",),
        "distance": ("distance", "distance (meters)", "distance (m)", "distance (km)", "distance (miles)"),
        "seconds": ("seconds",),
        "notes": ("notes",),
        "workout_notes": ("workout notes",),
        "rpe": ("rpe",),
        "workout_no": ("workout #",),
    }
    required = ("date", "workout", "exercise", "set_order", "weight", "reps")
    example = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,..."

    def variant(self, table: Table) -> str:
        how = _DELIMITER_NAMES[table.delimiter]
        if "workout_no" in table.columns:
            return f'Strong, "Workout #" export, {how}-delimited'
        if "weight_unit" in table.columns:
            return f"Strong, legacy export with Weight Unit, {how}-delimited"
        return f"Strong, current export, {how}-delimited"

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        grouper = WorkoutGrouper(self.family, out)
        dist_col = table.header[table.columns["distance"]] if "distance" in table.columns else "Distance"

        def handle(line: int, get: Getter) -> None:
            date = parse_date(get("date"), "Date", line)
            name = get("workout").strip()
            order = get("set_order").strip()
            kind = order.lower()
            duration = parse_duration(get("duration"), line)
            if kind in ("rest timer", "rest_timer", "rest"):
                out.skipped["rest_timer"] += 1
                pset, set_type = None, None
            else:
                if _SET_NUMBER_RE.fullmatch(kind):
                    set_type = None
                elif kind in _STRONG_ORDER:
                    set_type = _STRONG_ORDER[kind]
                else:
                    raise ImportFormatError(
                        f"unknown Set Order {short(order)} (expected a number, W, D, F or Rest Timer)", line
                    )
                pset = make_set(
                    out, line, get("exercise"),
                    weight=get("weight"), reps=get("reps"), unit=unit_of(line, get), set_type=set_type,
                    rpe=get("rpe"), distance=get("distance"), seconds=get("seconds"),
                    columns=(table.header[table.columns["weight"]], "Reps", "RPE", dist_col, "Seconds"),
                )  # fmt: skip
            grouper.add(
                (date, name),
                line=line,
                date=date,
                name=name or None,
                identity=f"{date:%Y-%m-%d %H:%M:%S}\x1f{name}",
                finished_at=date + duration if duration else date,
                workout_notes=get("workout_notes"),
                exercise=get("exercise"),
                exercise_notes=get("notes"),
                pset=pset,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)


# -- Hevy ---------------------------------------------------------------------------------------
_HEVY_TYPES = {"normal": None, "": None, "warmup": "warmup", "warm_up": "warmup", "dropset": "drop",
               "drop": "drop", "drop_set": "drop", "failure": "failure"}  # fmt: skip


class HevyFormat(CsvFormat):
    family = "hevy"
    title = "Hevy"
    columns = {
        "title": ("title",),
        "start": ("start_time",),
        "end": ("end_time",),
        "description": ("description",),
        "exercise": ("exercise_title",),
        "exercise_notes": ("exercise_notes",),
        "set_index": ("set_index",),
        "set_type": ("set_type",),
        "weight": ("weight_kg", "weight_lbs", "weight_kgs", "weight_lb"),
        "reps": ("reps",),
        "distance": ("distance_km", "distance_miles", "distance_meters", "distance_m"),
        "duration": ("duration_seconds",),
        "rpe": ("rpe",),
    }
    required = ("title", "start", "exercise", "weight", "reps")
    example = "title,start_time,end_time,description,exercise_title,...,weight_kg,reps,..."

    def variant(self, table: Table) -> str:
        unit = _header_unit(table.header[table.columns["weight"]]) or "kg"
        return f"Hevy, {unit} account, {_DELIMITER_NAMES[table.delimiter]}-delimited"

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        grouper = WorkoutGrouper(self.family, out)
        w_col = table.header[table.columns["weight"]]
        d_col = table.header[table.columns["distance"]] if "distance" in table.columns else "distance"

        def handle(line: int, get: Getter) -> None:
            start = parse_date(get("start"), "start_time", line)
            end = parse_date(get("end"), "end_time", line) if get("end").strip() else None
            title = get("title").strip()
            kind = get("set_type").strip().lower()
            if kind not in _HEVY_TYPES:
                raise ImportFormatError(
                    f"unknown set_type {short(kind)} (expected normal, warmup, dropset or failure)", line
                )
            pset = make_set(
                out, line, get("exercise"),
                weight=get("weight"), reps=get("reps"), unit=unit_of(line, get), set_type=_HEVY_TYPES[kind],
                rpe=get("rpe"), distance=get("distance"), seconds=get("duration"),
                columns=(w_col, "reps", "rpe", d_col, "duration_seconds"),
            )  # fmt: skip
            grouper.add(
                (start, title),
                line=line,
                date=start,
                name=title or None,
                identity=f"{start:%Y-%m-%d %H:%M}\x1f{title}",
                finished_at=end if end is not None and end >= start else start,
                workout_notes=get("description"),
                exercise=get("exercise"),
                exercise_notes=get("exercise_notes"),
                pset=pset,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)


# -- FitNotes -----------------------------------------------------------------------------------
def _time_given(text: str) -> bool:
    """FitNotes' Time ("0:01:30"): is any time recorded?"""
    return any(ch.isdigit() and ch != "0" for ch in text)


class FitNotesFormat(CsvFormat):
    family = "fitnotes"
    title = "FitNotes"
    columns = {
        "date": ("date",),
        "exercise": ("exercise",),
        "category": ("category",),
        "weight": ("weight", "weight (kg)", "weight (kgs)", "weight (lbs)", "weight (lb)"),
        "weight_unit": ("weight unit",),
        "reps": ("reps",),
        "distance": ("distance",),
        "distance_unit": ("distance unit",),
        "time": ("time",),
        "comment": ("comment",),
    }
    required = ("date", "exercise", "category", "weight", "reps")
    example = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment"

    def variant(self, table: Table) -> str:
        how = _DELIMITER_NAMES[table.delimiter]
        if "weight_unit" in table.columns:
            return f"FitNotes, current export with Weight Unit, {how}-delimited"
        return f"FitNotes, older export (unit in the header), {how}-delimited"

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        grouper = WorkoutGrouper(self.family, out)
        w_col = table.header[table.columns["weight"]]

        def handle(line: int, get: Getter) -> None:
            date = parse_date(get("date"), "Date", line)
            category = get("category").strip()
            if category.lower() == "cardio":
                out.skipped["cardio"] += 1
                pset = None
            else:
                pset = make_set(
                    out, line, get("exercise"),
                    weight=get("weight"), reps=get("reps"), unit=unit_of(line, get),
                    distance=get("distance"), timed=_time_given(get("time")),
                    columns=(w_col, "Reps", "RPE", "Distance", "Time"),
                )  # fmt: skip
            day = datetime(date.year, date.month, date.day)
            grouper.add(
                day.date(),
                line=line,
                date=day,
                name=None,
                identity=f"{day:%Y-%m-%d}",
                finished_at=day,
                workout_notes=None,
                exercise=get("exercise"),
                exercise_notes=get("comment"),
                category_hint=category,
                pset=pset,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)


FORMATS: dict[str, CsvFormat] = {f.family: f for f in (StrongFormat(), HevyFormat(), FitNotesFormat())}


def detect(text: str, family: str | None = None) -> tuple[CsvFormat, Table]:
    """The format and delimiter whose header this is. ``family`` forces one format."""
    line = first_line(text)
    if not line.strip():
        raise ImportFormatError("the first line is empty: expected the header of an export", 1)
    candidates = [FORMATS[family]] if family else list(FORMATS.values())
    best: tuple[int, CsvFormat, str, list[str]] | None = None
    for delimiter in sorted(DELIMITERS, key=lambda d: -line.count(d)):
        header = split_header(line, delimiter)
        keys = [header_key(c) for c in header]
        for fmt in candidates:
            columns = fmt.column_map(keys)
            missing = fmt.missing(columns)
            if not missing:
                return fmt, Table(text, delimiter, header, columns)
            score = len(fmt.required) - len(missing)
            if best is None or score > best[0]:
                best = (score, fmt, delimiter, missing)
    shown = short(line, 80)
    if family and best is not None:
        _, fmt, _, missing = best
        raise ImportFormatError(
            f"not a {fmt.title} export: the header {shown} lacks {', '.join(missing)} "
            f"(expected like {fmt.example})",
            1,
        )
    raise ImportFormatError(
        f"not a Strong, Hevy or FitNotes export nor an overload JSON backup: the header is {shown}", 1
    )


def read_csv(text: str, family: str | None, options: Options) -> ParsedFile:
    fmt, table = detect(text, family)
    out = ParsedFile(format=fmt.family, variant=fmt.variant(table))
    fmt.read(table, options, out, Problems())
    return out
