"""The CSV formats: Strong (current, "Workout #", legacy, oldest; in the phone's language), Hevy
(kg, lbs), FitNotes (current, older).

Each format names its columns (a header may list them in any order, with extra ones); the
header decides the format, the delimiter and the unit where the file gives one. Every row that
measured something is a set (weight x reps, reps, a time, a distance); a workout-level oddity
(a workout left running for a week) is a warning, never a refusal.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from overload_tui.domain.enums import DistanceUnit
from overload_tui.services.transfer.building import Measured, WorkoutGrouper, make_set
from overload_tui.services.transfer.csvfile import Problems, Table, first_line, header_key, split_header
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.model import ParsedFile
from overload_tui.services.transfer.values import (
    DURATION_UNITS,
    parse_date,
    parse_duration,
    parse_number,
    parse_seconds,
    short,
)

Getter = Callable[[str], str]
T = TypeVar("T")
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_UNIT_WORDS = {
    "kg": "kg", "kgs": "kg", "kilograms": "kg", "kilogram": "kg",
    "lbs": "lbs", "lb": "lbs", "pounds": "lbs", "pound": "lbs",
}  # fmt: skip


_DISTANCE_WORDS: dict[str, DistanceUnit] = {
    "m": DistanceUnit.M, "meter": DistanceUnit.M, "meters": DistanceUnit.M, "metre": DistanceUnit.M,
    "metres": DistanceUnit.M, "km": DistanceUnit.KM, "kms": DistanceUnit.KM, "kilometer": DistanceUnit.KM,
    "kilometers": DistanceUnit.KM, "kilometre": DistanceUnit.KM, "kilometres": DistanceUnit.KM,
    "mi": DistanceUnit.MI, "mile": DistanceUnit.MI, "miles": DistanceUnit.MI, "yd": DistanceUnit.YD,
    "yds": DistanceUnit.YD, "yard": DistanceUnit.YD, "yards": DistanceUnit.YD, "ft": DistanceUnit.FT,
    "foot": DistanceUnit.FT, "feet": DistanceUnit.FT,
}  # fmt: skip
MAX_WORKOUT = timedelta(hours=24)  # longer: a workout left running; its duration is dropped
_TEN_DAYS = 10 * 86400.0
_KEPT = "in the workouts starting at {lines}: kept with their dates, without a length"


def _word(text: str, words: dict[str, T], line: int | None, what: str, expected: str) -> T | None:
    """A unit written in a cell ("lbs", "km", Strong's "mi."); None when empty; an unknown word
    is refused."""
    value = text.strip().lower().removesuffix(".")
    if not value:
        return None
    if value not in words:
        raise ImportFormatError(f"unknown {what} unit {short(text)} (expected {expected})", line)
    return words[value]


def _header_word(cell: str, words: dict[str, T]) -> T | None:
    """The unit a column's name gives: "Weight (lbs)", "weight_kg", "kg", "Distance (meters)"."""
    key = header_key(cell)
    for word, unit in words.items():
        if key == word or key.endswith((f"({word})", f"_{word}")):
            return unit
    return None


def unit_word(text: str, line: int | None) -> str | None:
    return _word(text, _UNIT_WORDS, line, "weight", "kg or lbs")


def distance_word(text: str, line: int | None) -> DistanceUnit | None:
    return _word(text, _DISTANCE_WORDS, line, "distance", "m, km, mi, yd or ft")


def _header_unit(cell: str) -> str | None:
    return _header_word(cell, _UNIT_WORDS)


def _header_distance_unit(cell: str) -> DistanceUnit | None:
    return _header_word(cell, _DISTANCE_WORDS)


@dataclass
class Options:
    unit: str | None = None  # "kg" / "lbs" from --unit: for files that do not say
    default: str = "kg"  # without --unit: the importing lifter's own weight unit


_OTHER_UNIT = {"kg": ("lbs", "pounds"), "lbs": ("kg", "kilograms")}


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

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems, grouper: WorkoutGrouper) -> None:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------
    def _unit_reader(self, table: Table, options: Options, out: ParsedFile, units: Counter):
        """A function giving each row's unit; records where the unit came from."""
        header_unit = _header_unit(table.header[table.columns["weight"]])
        has_column = "weight_unit" in table.columns
        fallback = options.unit or options.default
        if header_unit or has_column:
            if options.unit:
                out.warnings.append(f"the file gives its own weight unit; --unit {options.unit} was not used")
        elif options.unit:
            out.unit_note = f"weights read as {fallback}, as --unit says"
        else:
            other, words = _OTHER_UNIT[fallback]
            out.unit_note = (
                f"{self.title} does not say its unit: weights read as {fallback}, your unit "
                f"(use --unit {other} if the app showed {words})"
            )

        def unit_of(line: int, get: Getter) -> str:
            if header_unit:
                unit = header_unit
            else:
                unit = (unit_word(get("weight_unit"), line) if has_column else None) or fallback
            units[unit] += 1
            return unit

        return unit_of

    def _measure_reader(self, table: Table, seconds_key: str) -> _Measures:
        d_col = table.columns.get("distance")
        s_col = table.columns.get(seconds_key)
        return _Measures(
            distance_column=table.header[d_col] if d_col is not None else "Distance",
            seconds_key=seconds_key,
            seconds_column=table.header[s_col] if s_col is not None else "Seconds",
            header_unit=_header_distance_unit(table.header[d_col]) if d_col is not None else None,
            has_unit_column="distance_unit" in table.columns,
        )


@dataclass
class _Measures:
    """Reads a row's time and distance, and the distance's unit: the header's, the row's
    Distance Unit, else the one that goes with the weights (km with kg, mi with lbs)."""

    distance_column: str
    seconds_key: str
    seconds_column: str
    header_unit: DistanceUnit | None
    has_unit_column: bool
    guessed: Counter = field(default_factory=Counter)

    def read(self, line: int, get: Getter, weight_unit: str) -> Measured:
        seconds = parse_seconds(get(self.seconds_key), self.seconds_column, line)
        distance = parse_number(get("distance"), self.distance_column, line)
        unit = None
        if distance:
            unit = self.header_unit or (distance_word(get("distance_unit"), line) if self.has_unit_column else None)
            if unit is None:
                unit = DistanceUnit.MI if weight_unit == "lbs" else DistanceUnit.KM
                self.guessed[unit] += 1
        return Measured(seconds, distance, unit)

    def note(self, out: ParsedFile, title: str) -> None:
        if not self.guessed:
            return
        read = " and ".join(f"{n:,} in {unit.value}" for unit, n in sorted(self.guessed.items()))
        note = f"distances read as the weights' unit goes (km with kg, mi with lbs), as {title} does not say: {read}"
        out.unit_note = f"{out.unit_note}; {note}" if out.unit_note else note


def unit_summary(out: ParsedFile, units: Counter) -> None:
    """Each set keeps the unit its row is in (a set in lbs reads back as the file's number)."""
    if units.get("kg") and units.get("lbs"):
        note = f"{units['kg']:,} rows in kg and {units['lbs']:,} in lbs: each set kept in its own unit"
        out.unit_note = f"{out.unit_note}; {note}" if out.unit_note else note
    elif out.unit_note is None and units:
        out.unit_note = f"weights in {next(iter(units))}, as the file says"


@dataclass(frozen=True)
class EndWords:
    """How a reader names what makes a workout's end unbelievable, for its warnings."""

    missing: str  # "no Duration"
    before: str  # "a negative Duration"
    long: str  # "a Duration over 24 h"


def workout_end(
    grouper: WorkoutGrouper, line: int, start: datetime, end: datetime | None, words: EndWords | None
) -> datetime:
    """When a workout finished, read on its first row (``line``). An end that cannot be believed
    is dropped with one warning per oddity listing the workouts' first lines: the workout keeps
    its date and its sets. ``words`` None: the file has no end to miss."""
    why = None
    if end is None:
        why = words.missing if words else None
    elif end < start:
        why = words.before if words else None
    elif end - start > MAX_WORKOUT:
        why = f"{words.long if words else 'a length over 24 h'} (a workout left running)"
    if why is None:
        return end or start
    grouper.notes.add(f"{why} {_KEPT}", line)
    return start


# -- Strong -------------------------------------------------------------------------------------
WARMUP, DROP, FAILURE, NORMAL, REST, NOTE = "warmup", "drop", "failure", "normal", "rest", "note"


@dataclass(frozen=True)
class StrongLanguage:
    """Strong writes its header, its Set Order words and its durations in the phone's language.
    A further language is one more entry of :data:`STRONG_LANGUAGES`."""

    name: str
    headers: dict[str, str]  # canonical column -> the header's text in this language
    set_orders: dict[str, str]  # Set Order word (lower case) -> WARMUP, DROP, FAILURE, NORMAL, REST or NOTE
    durations: dict[str, int] = field(default_factory=dict)  # duration unit word -> seconds


STRONG_LANGUAGES: tuple[StrongLanguage, ...] = (
    StrongLanguage(
        "English",
        {"date": "Date", "workout": "Workout Name", "duration": "Duration", "exercise": "Exercise Name",
         "set_order": "Set Order", "weight": "Weight", "reps": "Reps", "distance": "Distance",
         "seconds": "Seconds", "notes": "Notes", "workout_notes": "Workout Notes", "rpe": "RPE"},
        {"w": WARMUP, "warm_up": WARMUP, "warmup": WARMUP, "warm-up": WARMUP, "warm up": WARMUP,
         "f": FAILURE, "failure": FAILURE, "d": DROP, "drop": DROP, "drop_set": DROP, "dropset": DROP,
         "drop set": DROP, "normal": NORMAL, "n": NORMAL, "rest timer": REST, "rest_timer": REST,
         "rest": REST, "note": NOTE},
    ),
    StrongLanguage(
        "German",
        {"date": "Datum", "workout": "Workout-Name", "duration": "Dauer", "exercise": "Name der Übung",
         "set_order": "Reihenfolge festlegen", "weight": "Gewicht", "reps": "Wiederh.",
         "distance": "Entfernung", "seconds": "Sekunden", "notes": "Notizen",
         "workout_notes": "Workout-Notizen", "rpe": "RPE"},
        {"ruhezeit": REST, "ruhe": REST, "pause": REST, "notiz": NOTE, "anmerkung": NOTE,
         "aufwärmen": WARMUP, "aufwärmsatz": WARMUP, "a": WARMUP, "drop-satz": DROP, "dropsatz": DROP,
         "reduktionssatz": DROP, "versagen": FAILURE, "muskelversagen": FAILURE, "v": FAILURE},
        {"std": 3600, "stunde": 3600, "stunden": 3600, "minute": 60, "minuten": 60, "sek": 1,
         "sekunde": 1, "sekunden": 1, "tag": 86400, "tage": 86400},
    ),
    StrongLanguage(
        "French",
        {"date": "Date", "workout": "Nom de l'entraînement", "duration": "Durée",
         "exercise": "Nom de l'exercice", "set_order": "Ordre de la série", "weight": "Poids",
         "reps": "Réps", "distance": "Distance", "seconds": "Secondes", "notes": "Notes",
         "workout_notes": "Notes d'entraînement", "rpe": "RPE"},
        {"temps de repos": REST, "minuteur de repos": REST, "repos": REST, "remarque": NOTE,
         "échauffement": WARMUP, "é": WARMUP, "série dégressive": DROP, "dégressive": DROP,
         "échec": FAILURE},
        {"j": 86400, "jour": 86400, "jours": 86400, "heure": 3600, "heures": 3600},
    ),
    StrongLanguage(
        "Chinese",
        {"date": "日期", "workout": "锻炼名称", "duration": "时长", "exercise": "运动名称",
         "set_order": "设置顺序", "weight": "重量", "reps": "次", "distance": "距离", "seconds": "秒",
         "notes": "备注", "workout_notes": "锻炼备注", "rpe": "RPE"},
        {"休息计时器": REST, "休息时间": REST, "休息": REST, "备注": NOTE, "笔记": NOTE, "注释": NOTE,
         "热身": WARMUP, "热身组": WARMUP, "递减组": DROP, "递减": DROP, "力竭": FAILURE, "力竭组": FAILURE},
        {"天": 86400, "小时": 3600, "时": 3600, "分钟": 60, "分": 60, "秒": 1},
    ),
)  # fmt: skip

# The words of every language at once: no word means two things, and a file is read the same
# whatever language its header is in (Strong has written English markers in other languages).
_STRONG_ORDER: dict[str, str] = {w: kind for lang in STRONG_LANGUAGES for w, kind in lang.set_orders.items()}
_STRONG_DURATIONS: dict[str, int] = DURATION_UNITS | {
    w: n for lang in STRONG_LANGUAGES for w, n in lang.durations.items()
}
# English headers of older layouts, beside the current one's.
_STRONG_EXTRA = {
    "duration": ("duration (sec)", "duration (seconds)", "duration (s)", "workout duration"),
    "weight": ("weight (kg)", "weight (kgs)", "weight (lbs)", "weight (lb)", "kg", "kgs", "lbs", "lb"),
    "distance": ("distance (meters)", "distance (m)", "distance (km)", "distance (miles)", "km", "mi",
                 "miles", "m", "meters"),
    "weight_unit": ("weight unit",),
    "distance_unit": ("distance unit",),
    "workout_no": ("workout #",),
}  # fmt: skip


def _strong_columns() -> dict[str, tuple[str, ...]]:
    columns: dict[str, list[str]] = {}
    for lang in STRONG_LANGUAGES:
        for canonical, text in lang.headers.items():
            columns.setdefault(canonical, []).append(header_key(text))
    for canonical, names in _STRONG_EXTRA.items():
        columns.setdefault(canonical, []).extend(names)
    return {k: tuple(dict.fromkeys(v)) for k, v in columns.items()}


_SET_NUMBER_RE = re.compile(r"\d+(?:\.0*)?")  # "3", or "3.0" from a spreadsheet


def _blank(text: str) -> bool:
    """An empty or zero cell: nothing measured there."""
    return not text.strip() or _SET_NUMBER_RE.fullmatch(text.strip()) is not None and float(text) == 0


class StrongFormat(CsvFormat):
    family = "strong"
    title = "Strong"
    columns = _strong_columns()
    required = ("date", "workout", "exercise", "set_order", "weight", "reps")
    example = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,..."

    def language(self, table: Table) -> StrongLanguage:
        """The language whose header texts the file's header shares most (English on a tie)."""
        keys = {header_key(h) for h in table.header}
        return max(STRONG_LANGUAGES, key=lambda lang: sum(header_key(t) in keys for t in lang.headers.values()))

    def variant(self, table: Table) -> str:
        how = _DELIMITER_NAMES[table.delimiter]
        lang = self.language(table).name
        in_lang = "" if lang == "English" else f" in {lang}"
        if "workout_no" in table.columns:
            return f'Strong, "Workout #" export{in_lang}, {how}-delimited'
        if "weight_unit" in table.columns:
            return f"Strong, legacy export with Weight Unit{in_lang}, {how}-delimited"
        if _header_unit(table.header[table.columns["weight"]]) and header_key(
            table.header[table.columns["weight"]]
        ) in _UNIT_WORDS:
            return f"Strong, oldest export (the unit as the weight column's name){in_lang}, {how}-delimited"
        return f"Strong, current export{in_lang}, {how}-delimited"

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems, grouper: WorkoutGrouper) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        measures = self._measure_reader(table, "seconds")
        w_col = table.header[table.columns["weight"]]
        r_col = table.header[table.columns["reps"]]
        has_duration = "duration" in table.columns
        column = table.header[table.columns["duration"]] if has_duration else ""
        words = EndWords(f"no {column}", f"a negative {column}", f"a {column} over 24 h") if has_duration else None
        ends: dict[tuple[datetime, str], tuple[datetime, str]] = {}  # when it finished, its identity

        def handle(line: int, get: Getter) -> None:
            date = parse_date(get("date"), "Date", line)
            name = get("workout").strip()
            order = get("set_order").strip()
            kind = _STRONG_ORDER.get(order.lower())
            if kind is None and not _SET_NUMBER_RE.fullmatch(order):
                kind = self._unknown_order(order, line, get)
            known = ends.get((date, name))
            if known is None:  # a workout's first row: its duration is read once
                try:
                    seconds = parse_duration(get("duration"), line, _STRONG_DURATIONS) if has_duration else 0.0
                except ImportFormatError:  # a language whose duration words are not known yet
                    grouper.notes.add(f"a {column} that cannot be read {_KEPT}", line)
                    seconds = 0.0
                # Bounded: a duration of centuries would overflow a date, and only "over 24 h" matters.
                bounded = None if seconds is None else max(min(seconds, _TEN_DAYS), -_TEN_DAYS)
                end = None if bounded is None else date + timedelta(seconds=bounded)
                finished = workout_end(grouper, line, date, end, words)
                known = ends[(date, name)] = (finished, f"{date:%Y-%m-%d %H:%M:%S}\x1f{name}")
            finished, identity = known
            row = None
            if kind == REST:
                out.skipped["rest_timer"] += 1
            elif kind == NOTE:
                out.skipped["note"] += 1
            else:
                weight_unit = unit_of(line, get)
                row = make_set(
                    out, line, get("exercise"),
                    weight=get("weight"), reps=get("reps"), unit=weight_unit,
                    set_type=None if kind in (None, NORMAL) else kind, rpe=get("rpe"),
                    measured=measures.read(line, get, weight_unit), columns=(w_col, r_col, "RPE"),
                )  # fmt: skip
            grouper.add(
                (date, name),
                line=line,
                date=date,
                name=name or None,
                identity=identity,
                finished_at=finished,
                workout_notes=get("workout_notes"),
                exercise=get("exercise"),
                exercise_notes=get("notes"),
                row=row,
                note_row=kind == NOTE,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)
        measures.note(out, self.title)

    @staticmethod
    def _unknown_order(order: str, line: int, get: Getter) -> str:
        """A Set Order word of no known language: a rest timer (only seconds) or a note (only
        text) is read as one; a row that measured a set is refused, as its type is unknown."""
        lifted = not (_blank(get("weight")) and _blank(get("reps")) and _blank(get("distance")))
        if not lifted and not _blank(get("seconds")):
            return REST
        if not lifted and _blank(get("seconds")):
            return NOTE if get("notes").strip() else NORMAL  # NORMAL: a row of nothing, skipped as such
        raise ImportFormatError(
            f"unknown Set Order {short(order)} (expected a number, W, D, F, Rest Timer or Note)", line
        )


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

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems, grouper: WorkoutGrouper) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        measures = self._measure_reader(table, "duration")
        w_col = table.header[table.columns["weight"]]
        words = EndWords("no end_time", "an end_time before start_time", "an end_time over 24 h after start_time")
        words = words if "end" in table.columns else None
        ends: dict[tuple[datetime, str], tuple[datetime, str]] = {}  # when it finished, its identity

        def handle(line: int, get: Getter) -> None:
            start = parse_date(get("start"), "start_time", line)
            end = parse_date(get("end"), "end_time", line) if get("end").strip() else None
            title = get("title").strip()
            known = ends.get((start, title))
            if known is None:  # a workout's first row
                finished = workout_end(grouper, line, start, end, words)
                known = ends[(start, title)] = (finished, f"{start:%Y-%m-%d %H:%M}\x1f{title}")
            finished, identity = known
            kind = get("set_type").strip().lower()
            if kind not in _HEVY_TYPES:
                raise ImportFormatError(
                    f"unknown set_type {short(kind)} (expected normal, warmup, dropset or failure)", line
                )
            weight_unit = unit_of(line, get)
            row = make_set(
                out, line, get("exercise"),
                weight=get("weight"), reps=get("reps"), unit=weight_unit, set_type=_HEVY_TYPES[kind],
                rpe=get("rpe"), measured=measures.read(line, get, weight_unit), columns=(w_col, "reps", "rpe"),
            )  # fmt: skip
            grouper.add(
                (start, title),
                line=line,
                date=start,
                name=title or None,
                identity=identity,
                finished_at=finished,
                workout_notes=get("description"),
                exercise=get("exercise"),
                exercise_notes=get("exercise_notes"),
                row=row,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)
        measures.note(out, self.title)


# -- FitNotes -----------------------------------------------------------------------------------
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

    def read(self, table: Table, options: Options, out: ParsedFile, problems: Problems, grouper: WorkoutGrouper) -> None:
        units: Counter = Counter()
        unit_of = self._unit_reader(table, options, out, units)
        measures = self._measure_reader(table, "time")
        w_col = table.header[table.columns["weight"]]

        def handle(line: int, get: Getter) -> None:
            date = parse_date(get("date"), "Date", line)
            category = get("category").strip()
            weight_unit = unit_of(line, get)
            row = make_set(
                out, line, get("exercise"),
                weight=get("weight"), reps=get("reps"), unit=weight_unit,
                measured=measures.read(line, get, weight_unit), columns=(w_col, "Reps", "RPE"),
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
                row=row,
            )

        out.rows = table.rows(problems, handle)
        problems.raise_if_any()
        grouper.finish()
        unit_summary(out, units)
        measures.note(out, self.title)


FORMATS: dict[str, CsvFormat] = {f.family: f for f in (StrongFormat(), HevyFormat(), FitNotesFormat())}


def detect(line: str, lines: Iterable[str], family: str | None = None) -> tuple[CsvFormat, Table]:
    """The format and delimiter whose header ``line`` (the file's first line) is; ``lines``: the
    file's lines from the start, to read its rows from. ``family`` forces one format."""
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
                return fmt, Table(lines, delimiter, header, columns)
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


G = TypeVar("G", bound=WorkoutGrouper)


def read_lines(
    line: str, lines: Iterable[str], family: str | None, options: Options, grouper: Callable[[str, ParsedFile], G]
) -> tuple[ParsedFile, G]:
    """Read a CSV export from its first line and its lines (an open file: read once, in order),
    grouping its rows with ``grouper(family, out)``."""
    fmt, table = detect(line, lines, family)
    out = ParsedFile(format=fmt.family, variant=fmt.variant(table))
    kept = grouper(fmt.family, out)
    fmt.read(table, options, out, Problems(), kept)
    return out, kept


def read_csv(text: str, family: str | None, options: Options) -> ParsedFile:
    out, _ = read_lines(first_line(text), io.StringIO(text, newline=""), family, options, WorkoutGrouper)
    return out
