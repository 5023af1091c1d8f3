"""Every set of every export layout comes in: weight x reps, reps only, timed holds, distances.

Each synthetic file below uses a header exactly as the app writes it. The expected figures are
counted here, independently, with the csv module and the file's own column names (not with the
app's readers): sets of weight x reps, sets with a time or a distance, the volume (kg x reps),
the total time and the total distance. The parse must match them, and so must the database
after the import (on SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from overload_tui.domain.enums import ExerciseKind
from overload_tui.domain.units import LB
from overload_tui.services.transfer.service import parse_bytes

LB = 0.45359237
METRES = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "miles": 1609.344, "yd": 0.9144, "ft": 0.3048}


@dataclass
class Case:
    """A synthetic export and what the independent count needs to know about its columns."""

    header: str
    rows: list[list[str]]
    variant: str
    cols: dict[str, str]  # what -> the file's column name: weight, reps, distance, seconds, ...
    workout: tuple[str, ...]  # the columns that tell workouts apart
    delimiter: str = ","
    newline: str = "\n"
    quote_all: bool = False
    unit: str | None = None  # --unit
    weight_unit: str = "kg"  # when no column says: kg or lbs
    distance_unit: str = "km"  # when no column says
    skip: dict[str, str] = field(default_factory=dict)  # Set Order word -> skip reason
    clock: bool = False  # the time column is "h:mm:ss" (FitNotes)

    def text(self) -> str:
        buffer = io.StringIO()
        buffer.write(self.header + self.newline)
        quoting = csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline, quoting=quoting)
        writer.writerows(self.rows)
        return buffer.getvalue()


def _num(text: str | None) -> float:
    text = (text or "").strip().replace(",", ".")
    return float(text) if text else 0.0


def _seconds(text: str | None, clock: bool) -> float:
    if not clock:
        return _num(text)
    h, m, s = (text or "0:0:0").split(":") if text else ("0", "0", "0")
    return int(h) * 3600 + int(m) * 60 + float(s)


@dataclass
class Count:
    workouts: int
    weight_sets: int
    measured_sets: int  # a time or a distance
    volume: float  # kg x reps over every set
    seconds: float
    metres: float
    skipped: dict[str, int]


def independent_count(case: Case) -> Count:
    c = case.cols
    rows = list(csv.DictReader(io.StringIO(case.text(), newline=""), delimiter=case.delimiter))
    assert list(rows[0]) == next(csv.reader([case.header], delimiter=case.delimiter))
    workouts, skipped = set(), Counter()
    weight_sets = measured = 0
    volume = seconds = metres = 0.0
    for r in rows:
        order = r.get(c.get("order", ""), "")
        if order in case.skip:
            skipped[case.skip[order]] += 1
            continue
        reps = _num(r[c["reps"]])
        sec = _seconds(r.get(c.get("seconds", "")), case.clock)
        unit = r.get(c.get("distance_unit", ""), "") or case.distance_unit
        dist = _num(r.get(c.get("distance", ""))) * METRES[unit]
        if reps <= 0 and not sec and not dist:
            skipped["zero_reps"] += 1
            continue
        n = reps if reps > 0 else 1
        w_unit = r.get(c.get("weight_unit", ""), "") or case.weight_unit
        kg = abs(_num(r[c["weight"]])) * (LB if w_unit in ("lbs", "lb") else 1.0)
        volume += round(kg, 3) * n
        if sec or dist:
            measured += 1
            seconds += sec
            metres += dist
        else:
            weight_sets += 1
        workouts.add(tuple(r[k] for k in case.workout))
    return Count(len(workouts), weight_sets, measured, volume, seconds, metres, dict(skipped))


STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
STRONG_COLS = {"order": "Set Order", "weight": "Weight", "reps": "Reps", "distance": "Distance", "seconds": "Seconds"}
D1, D2 = "2026-01-05 07:00:00", "2026-01-07 18:30:00"
STRONG_ROWS = [
    [D1, "Full Body", "1h 12m", "Squat (Barbell)", "W", "60", "5", "0", "0", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Squat (Barbell)", "1", "100", "5", "0", "0", "Belt", "Heavy day", "8"],
    [D1, "Full Body", "1h 12m", "Squat (Barbell)", "Rest Timer", "0", "0", "0", "120", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Squat (Barbell)", "2", "102.5", "5", "0", "0", "", "Heavy day", "9"],
    [D1, "Full Body", "1h 12m", "Plank", "1", "0", "0", "0", "60", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Plank", "2", "10", "0", "0", "45", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Rowing (Machine)", "1", "0", "0", "2", "450", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Sled Push", "1", "80", "0", "0.02", "0", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Pull Up", "1", "", "8", "0", "0", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Pull Up", "D", "10", "6", "0", "0", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Band Pull Up Helper", "1", "-20", "8", "0", "0", "", "Heavy day", ""],
    [D1, "Full Body", "1h 12m", "Leg Press", "1", "0", "0", "0", "0", "", "Heavy day", ""],
    [D2, "Run", "31m", "Running", "1", "0", "0", "5", "1500", "Easy", "", ""],
    [D2, "Run", "31m", "Hill Sprints", "1", "0", "8", "0.8", "240", "8 x 100 m", "", ""],
]

CASES: dict[str, Case] = {
    "strong current kg": Case(
        STRONG_HEAD, STRONG_ROWS, "Strong, current export, comma-delimited", STRONG_COLS,
        ("Date", "Workout Name"), skip={"Rest Timer": "rest_timer"},
    ),
    "strong current lbs": Case(
        STRONG_HEAD, STRONG_ROWS, "Strong, current export, comma-delimited", STRONG_COLS,
        ("Date", "Workout Name"), unit="lbs", weight_unit="lbs", distance_unit="mi",
        skip={"Rest Timer": "rest_timer"},
    ),
    "strong workout number with notes": Case(
        '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";'
        '"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"',
        [
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Bench Press (Barbell)", "Note", "", "", "", "", "", "Elbows in", "Good"],
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Bench Press (Barbell)", "WARM_UP", "40", "10", "", "", "", "", "Good"],
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Bench Press (Barbell)", "1", "65.181223569", "8", "8.5", "", "", "Paused", "Good"],
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Bench Press (Barbell)", "FAILURE", "65", "6", "", "", "", "", "Good"],
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Farmer's Walk", "Note", "", "", "", "", "", "Straps", "Good"],
            ["1", "2021-03-14 10:12:00", "Push", "3900", "Farmer's Walk", "1", "32", "", "", "40", "", "", "Good"],
            ["2", "2021-03-16 09:00:00", "Legs", "1800", "Wall Sit", "1", "", "", "", "", "90", "", ""],
            ["2", "2021-03-16 09:00:00", "Legs", "1800", "Squat (Barbell)", "1", "100", "5", "", "", "", "", ""],
        ],
        'Strong, "Workout #" export, semicolon-delimited',
        {"order": "Set Order", "weight": "Weight (kg)", "reps": "Reps", "distance": "Distance (meters)",
         "seconds": "Seconds"},
        ("Workout #",), delimiter=";", quote_all=True, distance_unit="m", skip={"Note": "note"},
    ),
    "strong legacy with weight unit": Case(
        "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes",
        [
            ["2019-05-01 18:00:00", "Evening", "Deadlift (Barbell)", "1", "225", "lbs", "5", "", "", "", "", "", ""],
            ["2019-05-01 18:00:00", "Evening", "Deadlift (Barbell)", "2", "225,5", "lbs", "5", "", "", "", "", "", ""],
            ["2019-05-01 18:00:00", "Evening", "Running", "1", "", "", "", "", "3.1", "mi", "1800", "", ""],
            ["2019-05-01 18:00:00", "Evening", "Bicep Curl (Dumbbell)", "1", "20", "kg", "10", "", "", "", "", "", ""],
            ["2019-05-03 18:00:00", "Evening", "Dead Hang", "1", "", "", "", "", "", "", "75", "", ""],
        ],
        "Strong, legacy export with Weight Unit, semicolon-delimited",
        {"order": "Set Order", "weight": "Weight", "weight_unit": "Weight Unit", "reps": "Reps",
         "distance": "Distance", "distance_unit": "Distance Unit", "seconds": "Seconds"},
        ("Date", "Workout Name"), delimiter=";",
    ),
    "strong oldest kg": Case(
        "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes",
        [
            ["2015-02-01 09:00:00", "A", "Squat (Barbell)", "0", "80", "5", "", "", ""],
            ["2015-02-01 09:00:00", "A", "Squat (Barbell)", "1", "85", "5", "", "", "Deep"],
            ["2015-02-01 09:00:00", "A", "Cycling", "0", "", "", "10.5", "1800", ""],
            ["2015-02-02 09:00:00", "B", "Plank", "0", "", "", "", "90", ""],
        ],
        "Strong, oldest export (the unit as the weight column's name), comma-delimited",
        {"order": "Set Order", "weight": "kg", "reps": "Reps", "distance": "km", "seconds": "Seconds"},
        ("Date", "Workout Name"),
    ),
    "strong oldest lb crlf": Case(
        "Date,Workout Name,Exercise Name,Set Order,lb,Reps,mi,Seconds",
        [
            ["2014-06-01 07:00:00", "Morning", "Bench Press (Barbell)", "0", "135", "8", "", ""],
            ["2014-06-01 07:00:00", "Morning", "Bench Press (Barbell)", "1", "185", "5", "", ""],
            ["2014-06-01 07:00:00", "Morning", "Running", "0", "", "", "2", "1200"],
        ],
        "Strong, oldest export (the unit as the weight column's name), comma-delimited",
        {"order": "Set Order", "weight": "lb", "reps": "Reps", "distance": "mi", "seconds": "Seconds"},
        ("Date", "Workout Name"), newline="\r\n", weight_unit="lbs", distance_unit="mi",
    ),
    "strong german": Case(
        "Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE",
        [
            ["2025-03-01 10:00:00", "Oberkörper", "42min", "Bankdrücken (Langhantel)", "1", "80", "8", "0", "0", "", "", ""],
            ["2025-03-01 10:00:00", "Oberkörper", "42min", "Bankdrücken (Langhantel)", "Ruhezeit", "0", "0", "0", "90", "", "", ""],
            ["2025-03-01 10:00:00", "Oberkörper", "42min", "Bankdrücken (Langhantel)", "2", "82,5", "6", "0", "0", "", "", ""],
            ["2025-03-01 10:00:00", "Oberkörper", "42min", "Unterarmstütz", "1", "0", "0", "0", "60", "", "", ""],
            ["2025-03-01 10:00:00", "Oberkörper", "42min", "Rudern (Maschine)", "1", "0", "0", "1", "240", "", "", ""],
        ],
        "Strong, current export in German, comma-delimited",
        {"order": "Reihenfolge festlegen", "weight": "Gewicht", "reps": "Wiederh.", "distance": "Entfernung",
         "seconds": "Sekunden"},
        ("Datum", "Workout-Name"), skip={"Ruhezeit": "rest_timer"},
    ),
    "strong french crlf": Case(
        "Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,Notes,Notes d'entraînement,RPE",
        [
            ["2025-04-02 19:00:00", "Jambes", "55min", "Squat (Barre)", "1", "90", "5", "0", "0", "", "Bonne séance", ""],
            ["2025-04-02 19:00:00", "Jambes", "55min", "Squat (Barre)", "2", "95", "3", "0", "0", "", "Bonne séance", "9"],
            ["2025-04-02 19:00:00", "Jambes", "55min", "Gainage", "1", "0", "0", "0", "75", "", "Bonne séance", ""],
            ["2025-04-04 19:00:00", "Cardio", "30min", "Course à pied", "1", "0", "0", "4.2", "1380", "", "", ""],
        ],
        "Strong, current export in French, comma-delimited",
        {"order": "Ordre de la série", "weight": "Poids", "reps": "Réps", "distance": "Distance",
         "seconds": "Secondes"},
        ("Date", "Nom de l'entraînement"), newline="\r\n",
    ),
    "strong chinese": Case(
        "日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒,备注,锻炼备注,RPE",
        [
            ["2025-05-05 08:00:00", "上肢", "1小时13分钟", "卧推（杠铃）", "1", "60", "10", "0", "0", "", "", ""],
            ["2025-05-05 08:00:00", "上肢", "1小时13分钟", "卧推（杠铃）", "休息计时器", "0", "0", "0", "120", "", "", ""],
            ["2025-05-05 08:00:00", "上肢", "1小时13分钟", "卧推（杠铃）", "2", "65", "8", "0", "0", "", "", ""],
            ["2025-05-05 08:00:00", "上肢", "1小时13分钟", "平板支撑", "1", "0", "0", "0", "60", "", "", ""],
            ["2025-05-06 08:00:00", "跑步", "35分钟", "跑步", "1", "0", "0", "6", "2100", "", "", ""],
        ],
        "Strong, current export in Chinese, comma-delimited",
        {"order": "设置顺序", "weight": "重量", "reps": "次", "distance": "距离", "seconds": "秒"},
        ("日期", "锻炼名称"), skip={"休息计时器": "rest_timer"},
    ),
}

HEVY_HEAD = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
    '"set_index","set_type","weight_{w}","reps","distance_{d}","duration_seconds","rpe"'
)
HEVY_COLS = {"weight": "weight_kg", "reps": "reps", "distance": "distance_km", "seconds": "duration_seconds"}


def _hevy(start: str, end: str, title: str, rows: list[tuple]) -> list[list[str]]:
    return [[title, start, end, "", ex, sup, "", str(i), kind, w, r, d, t, ""] for i, (ex, sup, kind, w, r, d, t) in enumerate(rows)]


HEVY_SETS = [
    ("Warm Up", "", "normal", "", "0", "", "300"),
    ("Bench Press (Barbell)", "0", "warmup", "40", "10", "", ""),
    ("Bench Press (Barbell)", "0", "normal", "80", "6", "", ""),
    ("Bent Over Row (Barbell)", "0", "normal", "70", "8", "", ""),
    ("Bent Over Row (Barbell)", "0", "failure", "70", "7", "", ""),
    ("Plank", "", "normal", "", "", "", "60"),
    ("Pull Up (Assisted)", "", "normal", "-25", "8", "", ""),
    ("Running", "", "normal", "", "", "5", "1500"),
    ("Sled Push", "", "normal", "100", "", "0.025", ""),
    ("Push Up", "", "normal", "", "15", "", ""),
    ("Push Up", "", "normal", "", "0", "", ""),
]

CASES |= {
    "hevy kg with supersets": Case(
        HEVY_HEAD.format(w="kg", d="km"),
        _hevy("7 Apr 2026, 10:14", "7 Apr 2026, 11:02", "Upper", HEVY_SETS),
        "Hevy, kg account, comma-delimited", HEVY_COLS, ("start_time", "title"), quote_all=True,
    ),
    "hevy lbs miles": Case(
        HEVY_HEAD.format(w="lbs", d="miles"),
        _hevy("7 Apr 2026, 10:14", "7 Apr 2026, 11:02", "Upper", HEVY_SETS)
        + _hevy("9 Apr 2026, 06:00", "9 Apr 2026, 06:40", "Run", [("Running", "", "normal", "", "", "3.1", "1740")]),
        "Hevy, lbs account, comma-delimited",
        {**HEVY_COLS, "weight": "weight_lbs", "distance": "distance_miles"}, ("start_time", "title"),
        weight_unit="lbs", distance_unit="mi",
    ),
    "hevy 12-hour": Case(
        HEVY_HEAD.format(w="lbs", d="miles"),
        _hevy("Jun 11, 2026, 1:01 PM", "Jun 11, 2026, 2:15 PM", "Pull", HEVY_SETS[3:6])
        + _hevy("Jun 12, 2026, 12:30 AM", "Jun 12, 2026, 1:05 AM", "Late", HEVY_SETS[:3]),
        "Hevy, lbs account, comma-delimited",
        {**HEVY_COLS, "weight": "weight_lbs", "distance": "distance_miles"}, ("start_time", "title"),
        weight_unit="lbs", distance_unit="mi",
    ),
    "hevy portuguese dates": Case(
        HEVY_HEAD.format(w="kg", d="km"),
        _hevy("5 Mai 2026, 07:34", "5 Mai 2026, 08:30", "Treino A", HEVY_SETS[1:4])
        + _hevy("12 Fev 2026, 18:00", "12 Fev 2026, 19:00", "Treino B", HEVY_SETS[5:8])
        + _hevy("3 Set 2025, 06:15", "3 Set 2025, 07:00", "Treino C", HEVY_SETS[8:])
        + _hevy("20 Dez 2025, 10:00", "20 Dez 2025, 10:45", "Treino D", HEVY_SETS[:2])
        + _hevy("1 Out 2025, 10:00", "1 Out 2025, 10:45", "Treino E", HEVY_SETS[:2])
        + _hevy("9 Abr 2025, 10:00", "9 Abr 2025, 10:45", "Treino F", HEVY_SETS[:2])
        + _hevy("18 Ago 2025, 10:00", "18 Ago 2025, 10:45", "Treino G", HEVY_SETS[:2])
        + _hevy("4 setembro 2025, 10:00", "4 setembro 2025, 10:45", "Treino H", HEVY_SETS[:2]),
        "Hevy, kg account, comma-delimited", HEVY_COLS, ("start_time", "title"),
    ),
    "fitnotes old": Case(
        "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time",
        [
            ["2015-01-02", "Flat Barbell Bench Press", "Chest", "135.0", "5", "", "", ""],
            ["2015-01-02", "Treadmill", "Cardio", "", "", "2.0", "mi", "0:20:00"],
            ["2015-01-02", "Burpees", "Cardio", "", "15", "", "", ""],
            ["2015-01-03", "Plank", "Abs", "", "", "", "", "0:01:30"],
            ["2015-01-03", "Farmers Carry", "Forearms", "70", "", "40", "m", ""],
            ["2015-01-03", "Flat Barbell Bench Press", "Chest", "135.0", "0", "", "", ""],
        ],
        "FitNotes, older export (unit in the header), comma-delimited",
        {"weight": "Weight (lbs)", "reps": "Reps", "distance": "Distance", "distance_unit": "Distance Unit",
         "seconds": "Time"},
        ("Date",), weight_unit="lbs", clock=True,
    ),
    "fitnotes new": Case(
        "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment",
        [
            ["2022-09-14", "Flat Barbell Bench Press", "Chest", "45.0", "lbs", "10", "", "", "", ""],
            ["2022-09-14", "Dumbbell Curl", "Biceps", "12.5", "kgs", "10", "", "", "", "Slow"],
            ["2022-09-14", "Rowing Machine", "Cardio", "", "", "", "2000.0", "m", "0:07:30", ""],
            ["2022-09-15", "Cycling", "Cardio", "", "", "", "20.0", "km", "0:45:00", ""],
            ["2022-09-15", "Jump Rope", "Cardio", "", "", "100", "", "", "0:01:00", ""],
            ["2022-09-15", "Dead Hang", "Back", "", "", "", "", "", "0:00:45", ""],
            ["2022-09-15", "Burpees", "Cardio", "0.0", "kg", "15", "", "", "0:00:00", ""],
        ],
        "FitNotes, current export with Weight Unit, comma-delimited",
        {"weight": "Weight", "weight_unit": "Weight Unit", "reps": "Reps", "distance": "Distance",
         "distance_unit": "Distance Unit", "seconds": "Time"},
        ("Date",), clock=True,
    ),
}  # fmt: skip


def parse(case: Case):
    return parse_bytes(case.text().encode("utf-8"), unit=case.unit)


def parsed_count(out) -> Count:
    sets = [st for w in out.workouts for e in w.entries for st in e.sets]
    measured = [st for st in sets if st.duration_s is not None or st.distance_m is not None]
    return Count(
        len(out.workouts),
        len(sets) - len(measured),
        len(measured),
        sum(st.weight * st.reps for st in sets),
        sum((st.duration_s or 0) * st.reps for st in sets),
        sum((st.distance_m or 0) * st.reps for st in sets),
        dict(out.skipped),
    )


def _close(a: Count, b: Count) -> bool:
    return (a.workouts, a.weight_sets, a.measured_sets, a.skipped) == (b.workouts, b.weight_sets, b.measured_sets, b.skipped) and (
        a.volume,
        a.seconds,
        a.metres,
    ) == pytest.approx((b.volume, b.seconds, b.metres), abs=0.01)


@pytest.mark.parametrize("name", list(CASES))
def test_every_set_is_read_as_an_independent_count_says(name):
    case = CASES[name]
    expected = independent_count(case)
    assert expected.weight_sets and expected.measured_sets  # every file has both kinds
    out = parse(case)
    assert out.variant == case.variant
    assert not out.invalid
    assert out.rows == len(case.rows)
    got = parsed_count(out)
    assert _close(got, expected), (got, expected)


@pytest.mark.parametrize("name", ["strong current kg", "strong workout number with notes", "strong chinese",
                                  "hevy lbs miles", "hevy portuguese dates", "fitnotes old", "fitnotes new"])  # fmt: skip
def test_the_database_holds_what_the_file_measured(services, alice, transfer, tmp_path, name):
    from overload_tui.db.models import ExerciseSession, Session, Set

    case = CASES[name]
    expected = independent_count(case)
    path = tmp_path / "export.csv"
    path.write_bytes(case.text().encode("utf-8"))
    report = transfer.import_file(path, unit=case.unit)
    assert (report.workouts, report.sets) == (expected.workouts, expected.weight_sets + expected.measured_sets)
    with services.db.read() as s:
        mine = (
            select(Set)
            .join(ExerciseSession, ExerciseSession.id == Set.exercise_session_id)
            .join(Session, Session.id == ExerciseSession.session_id)
            .where(Session.user_id == alice.id)
            .subquery()
        )
        row = s.execute(
            select(
                func.count(),
                func.sum(mine.c.weight * mine.c.reps),
                func.sum(func.coalesce(mine.c.duration_s, 0) * mine.c.reps),
                func.sum(func.coalesce(mine.c.distance_m, 0) * mine.c.reps),
            )
        ).one()
        measured = mine.c.duration_s.is_not(None) | mine.c.distance_m.is_not(None)
        timed = s.scalar(select(func.count()).select_from(mine).where(measured))
    assert row[0] == expected.weight_sets + expected.measured_sets
    assert timed == expected.measured_sets
    assert (row[1], row[2], row[3]) == pytest.approx((expected.volume, expected.seconds, expected.metres), abs=0.01)


def _entries(out) -> dict[str, list]:
    found: dict[str, list] = {}
    for w in out.workouts:
        for e in w.entries:
            found.setdefault(e.exercise.name, []).append(e)
    return found


def test_strong_sets_of_every_kind_and_their_hints():
    out = parse(CASES["strong current kg"])
    entries = _entries(out)
    kinds = {name: es[0].exercise.kind_hint for name, es in entries.items()}
    assert kinds == {
        "Squat (Barbell)": ExerciseKind.WEIGHT_REPS,
        "Plank": ExerciseKind.TIME,
        "Rowing (Machine)": ExerciseKind.DISTANCE,
        "Sled Push": ExerciseKind.DISTANCE,
        "Pull Up": ExerciseKind.WEIGHTED,  # some sets with a belt: the weight is the added load
        "Band Pull Up Helper": ExerciseKind.ASSISTED,
        "Running": ExerciseKind.DISTANCE,
        "Hill Sprints": ExerciseKind.DISTANCE,
    }
    sets = {name: [(st.weight, st.reps, st.duration_s, st.distance_m, st.distance_unit) for e in es for st in e.sets]
            for name, es in entries.items()}  # fmt: skip
    assert sets["Plank"] == [(0.0, 1, 60.0, None, None), (10.0, 1, 45.0, None, None)]
    assert sets["Rowing (Machine)"] == [(0.0, 1, 450.0, 2000.0, "km")]
    assert sets["Sled Push"] == [(80.0, 1, None, 20.0, "km")]
    assert sets["Band Pull Up Helper"] == [(20.0, 8, None, None, None)]  # -20: 20 kg of assistance
    assert sets["Hill Sprints"] == [(0.0, 8, 30.0, 100.0, "km")]  # 8 reps share the 0.8 km and 240 s
    assert out.skipped == {"rest_timer": 1, "zero_reps": 1}  # the rest timer; the leg press of nothing
    assert out.unit_note.endswith("distances read as the weights' unit goes (km with kg, mi with lbs), as Strong does not say: 4 in km")


def test_strong_distances_follow_the_unit_option():
    out = parse(CASES["strong current lbs"])
    run = _entries(out)["Running"][0].sets[0]
    assert (run.distance_m, run.distance_unit, run.duration_s) == (8046.72, "mi", 1500.0)  # 5 mi
    assert out.unit_note.endswith("as Strong does not say: 4 in mi")


def test_strong_note_rows_become_the_exercise_notes():
    out = parse(CASES["strong workout number with notes"])
    push, legs = out.workouts
    bench, walk = push.entries
    assert bench.notes == "Elbows in\nPaused" and walk.notes == "Straps"
    assert [st.set_type for st in bench.sets] == ["warmup", None, "failure"]
    assert (walk.sets[0].weight, walk.sets[0].distance_m, walk.sets[0].distance_unit) == (32.0, 40.0, "m")
    assert legs.entries[0].exercise.kind_hint is ExerciseKind.TIME
    assert out.skipped == {"note": 2}
    assert out.unit_note == "weights in kg, as the file says"  # and the distances in metres, as it says


def test_localized_strong_durations_and_rest_rows():
    for name, minutes in (("strong german", 42), ("strong french crlf", 55), ("strong chinese", 73)):
        out = parse(CASES[name])
        first = out.workouts[0]
        assert (first.finished_at - first.date).total_seconds() == minutes * 60, name
        assert not out.warnings, name
    chinese = parse(CASES["strong chinese"])
    assert chinese.workouts[1].finished_at.minute == 35
    assert _entries(chinese)["平板支撑"][0].sets[0].duration_s == 60.0
    assert _entries(parse(CASES["strong german"]))["Bankdrücken (Langhantel)"][0].sets[1].weight == 82.5


def test_oldest_strong_layouts_read_the_unit_from_the_column_name():
    kg = parse(CASES["strong oldest kg"])
    cycling = _entries(kg)["Cycling"][0].sets[0]
    assert (cycling.distance_m, cycling.distance_unit, cycling.duration_s) == (10500.0, "km", 1800.0)
    assert _entries(kg)["Squat (Barbell)"][0].notes == "Deep"
    lb = parse(CASES["strong oldest lb crlf"])
    bench = _entries(lb)["Bench Press (Barbell)"][0].sets
    assert [(st.weight, st.display_unit) for st in bench] == [(135 * LB, "lbs"), (185 * LB, "lbs")]  # exact kg
    run = _entries(lb)["Running"][0].sets[0]
    assert (run.distance_m, run.distance_unit) == (3218.688, "mi")
    assert lb.unit_note == "weights in lbs, as the file says"


def test_hevy_kinds_assistance_and_supersets():
    out = parse(CASES["hevy kg with supersets"])
    (workout,) = out.workouts
    names = [e.exercise.name for e in workout.entries]
    assert names == ["Warm Up", "Bench Press (Barbell)", "Bent Over Row (Barbell)", "Plank",
                     "Pull Up (Assisted)", "Running", "Sled Push", "Push Up"]  # fmt: skip
    kinds = {e.exercise.name: e.exercise.kind_hint for e in workout.entries}
    assert kinds["Warm Up"] is ExerciseKind.TIME and kinds["Push Up"] is ExerciseKind.REPS_ONLY
    assert kinds["Pull Up (Assisted)"] is ExerciseKind.ASSISTED
    assisted = workout.entries[4].sets[0]
    assert (assisted.weight, assisted.reps) == (25.0, 8)
    run = workout.entries[5].sets[0]
    assert (run.distance_m, run.distance_unit, run.duration_s, run.reps) == (5000.0, "km", 1500.0, 1)
    assert out.skipped == {"zero_reps": 1}
    assert out.unit_note == "weights in kg, as the file says"


def test_hevy_dates_in_other_languages_and_twelve_hours():
    from datetime import datetime

    pt = parse(CASES["hevy portuguese dates"])
    assert [w.date for w in pt.workouts] == [
        datetime(2025, 4, 9, 10, 0), datetime(2025, 8, 18, 10, 0), datetime(2025, 9, 3, 6, 15),
        datetime(2025, 9, 4, 10, 0), datetime(2025, 10, 1, 10, 0), datetime(2025, 12, 20, 10, 0),
        datetime(2026, 2, 12, 18, 0), datetime(2026, 5, 5, 7, 34),
    ]  # fmt: skip
    us = parse(CASES["hevy 12-hour"])
    assert [(w.date, w.finished_at) for w in us.workouts] == [
        (datetime(2026, 6, 11, 13, 1), datetime(2026, 6, 11, 14, 15)),
        (datetime(2026, 6, 12, 0, 30), datetime(2026, 6, 12, 1, 5)),
    ]
    miles = parse(CASES["hevy lbs miles"])
    run = _entries(miles)["Running"][1].sets[0]
    assert (run.distance_unit, run.distance_m) == ("mi", 4988.966)


def test_fitnotes_cardio_and_timed_rows():
    old = parse(CASES["fitnotes old"])
    e = _entries(old)
    assert e["Treadmill"][0].sets[0].duration_s == 1200.0 and e["Treadmill"][0].sets[0].distance_unit == "mi"
    assert e["Treadmill"][0].exercise.kind_hint is ExerciseKind.DISTANCE
    assert (e["Burpees"][0].sets[0].reps, e["Burpees"][0].exercise.kind_hint) == (15, ExerciseKind.REPS_ONLY)
    assert e["Plank"][0].sets[0].duration_s == 90.0
    carry = e["Farmers Carry"][0].sets[0]
    assert (carry.weight, carry.display_unit, carry.distance_m, carry.distance_unit) == (70 * LB, "lbs", 40.0, "m")
    assert old.skipped == {"zero_reps": 1}
    new = parse(CASES["fitnotes new"])
    e = _entries(new)
    assert (e["Rowing Machine"][0].sets[0].distance_m, e["Rowing Machine"][0].sets[0].duration_s) == (2000.0, 450.0)
    rope = e["Jump Rope"][0].sets[0]
    assert (rope.reps, rope.duration_s) == (100, 0.6)  # 100 reps share the minute
    assert e["Burpees"][0].sets[0].duration_s is None and e["Burpees"][0].exercise.kind_hint is ExerciseKind.REPS_ONLY


def test_new_cardio_exercises_get_a_category_from_their_name(transfer, tmp_path):
    path = tmp_path / "fitnotes.csv"
    path.write_bytes(CASES["fitnotes old"].text().replace("Treadmill", "Trail Run").encode())
    report = transfer.plan_import(path).report
    new = {m.file_name: (m.category, m.note) for m in report.new_exercises}
    assert new["Burpees"] == ("legs", "guessed from the name")
    assert new["Trail Run"] == ("legs", "guessed from the name")
