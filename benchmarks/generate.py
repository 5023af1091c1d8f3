"""Realistic training data for the benchmarks, deterministic from a seed, inserted in bulk.

Every user follows a four-day upper/lower split from four templates (Upper A, Lower A, Upper B,
Lower B, in rotation) on their own weekdays and hour, for as many sessions as asked (2,000 by
default: ten years at four a week, less holidays and skipped days). Each exercise progresses by
double progression: reps climb inside a range until every working set reaches the top, then the
weight goes up and the reps drop back; progress slows towards the user's own ceiling, bad days
miss reps, three missed sessions in a row reset the weight by 10 %, a break of more than nine days
costs some strength, and most users deload one week in six to twelve. Barbell lifts get warm-up
sets (the empty bar, then ramping), accessories sometimes a drop set; some users log RPE; a few
sessions and entries have notes; a few sessions stop early (the last exercises of the template are
left out). Machines are logged in stacks, the rest in kilograms. Every user also has one custom
exercise, and one long "circuit" session of 20 exercises with no template.

Scale: 1x is one such user (~2,000 sessions, ~50,000 sets); 20x is twenty (~1,000,000 sets). User
number n is generated from (seed, n) alone, so the 20x data set holds the 1x user as user #1, row
for row. Rows get explicit ids and are written with executemany (SQLite) or COPY (PostgreSQL) in
big batches, never through the ORM.

    python -m benchmarks.generate sqlite:///bench.db --scale 1
    python -m benchmarks.generate postgresql://postgres@127.0.0.1/bench --users 20 --seed 7
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta

from sqlalchemy import Connection, text

from overload_tui.db import migrate
from overload_tui.db.engine import Database
from overload_tui.domain.enums import Category, Equipment, Unit, default_unit

SESSIONS_PER_USER = 2000
DEFAULT_SEED = 7
DEFAULT_END = datetime(2026, 11, 20)
PASSWORD = "benchmark-password"
# bcrypt cost 4 with a fixed salt: the same password hash on every run, and a fast log-in.
_PASSWORD_HASH = "$2b$04$overloadbenchmarkdata.RHyukPR4i7KWp9zU.fALBFtzIyRIKR6"
BIG_SESSION_EXERCISES = 20

# -- the program ---------------------------------------------------------------------------------
CUSTOM = "custom"  # in Lift.names: the user's own custom exercise


@dataclass(frozen=True)
class Lift:
    """One exercise slot of a template. Weights are for a user of strength 1.0."""

    names: tuple[str, ...]  # alternatives: each user picks one for the whole ten years
    sets: int  # working sets
    lo: int  # rep range of the double progression
    hi: int
    start: float  # first working weight (kg, or stacks on machines)
    ceiling: float  # where progress all but stops
    inc: float  # weight step (0: reps only)
    warmups: tuple[float, ...] = ()  # fractions of the working weight; 0 = the empty bar
    bar: float = 0.0  # lightest possible weight
    drop_p: float = 0.0  # chance of a drop set after the working sets


PROGRAM: tuple[tuple[str, str, tuple[Lift, ...]], ...] = (
    ("Upper A", "Heavy pressing and rowing.", (
        Lift(("Bench Press (Barbell)",), 3, 5, 8, 60, 130, 2.5, (0.0, 0.5, 0.7, 0.85), 20),
        Lift(("Bent Over Row (Barbell)", "Pendlay Row (Barbell)"), 3, 6, 10, 50, 110, 2.5, (0.0, 0.6), 20),
        Lift(("Overhead Press (Barbell)",), 3, 6, 10, 35, 75, 1.25, (0.0, 0.65), 20),
        Lift(("Lat Pulldown (Cable)", "Lat Pulldown (Machine)"), 3, 8, 12, 8, 17, 1, drop_p=0.08),
        Lift(("Bicep Curl (Dumbbell)", "EZ Bar Biceps Curl"), 3, 8, 12, 10, 22, 1, drop_p=0.06),
        Lift(("Triceps Pushdown", "Triceps Rope Pushdown"), 3, 10, 15, 6, 14, 1, drop_p=0.1),
        Lift(("Cable Crunch",), 3, 10, 15, 6, 14, 1),
    )),
    ("Lower A", "Squat day.", (
        Lift(("Squat (Barbell)",), 3, 5, 8, 70, 170, 2.5, (0.0, 0.4, 0.6, 0.75, 0.9), 20),
        Lift(("Romanian Deadlift (Barbell)",), 3, 8, 10, 60, 140, 2.5, (0.5,), 20),
        Lift(("Leg Press (Machine)", "Hack Squat (Machine)"), 3, 10, 15, 10, 20, 1, (0.6,), drop_p=0.05),
        Lift(("Seated Leg Curl (Machine)",), 3, 10, 15, 6, 15, 1),
        Lift(("Standing Calf Raise (Machine)",), 4, 10, 15, 8, 18, 1),
        Lift(("Hanging Leg Raise",), 3, 10, 15, 0, 0, 0),
    )),
    ("Upper B", "Volume pressing, pull-ups and arms.", (
        Lift(("Incline Bench Press (Dumbbell)",), 3, 8, 12, 20, 44, 2, (0.6,), 2),
        Lift(("Seated Row (Cable)", "Seated Row (Machine)"), 3, 8, 12, 8, 17, 1),
        Lift(("Shoulder Press (Dumbbell)", "Arnold Press (Dumbbell)", CUSTOM), 3, 8, 12, 14, 32, 2),
        Lift(("Pull Up (Weighted)",), 3, 5, 10, 0, 30, 2.5),
        Lift(("Lateral Raise (Dumbbell)", "Lateral Raise (Cable)"), 3, 12, 20, 8, 16, 1, drop_p=0.15),
        Lift(("Hammer Curl (Dumbbell)",), 3, 10, 12, 12, 24, 2),
        Lift(("Skullcrusher (Barbell)", "Triceps Extension (Cable)"), 3, 8, 12, 25, 45, 2.5),
    )),
    ("Lower B", "Deadlift day.", (
        Lift(("Deadlift (Barbell)",), 3, 3, 6, 90, 210, 5, (0.0, 0.4, 0.6, 0.8), 20),
        Lift(("Bulgarian Split Squat", "Front Squat (Barbell)"), 3, 8, 12, 12, 40, 2, (0.5,)),
        Lift(("Leg Extension (Machine)",), 3, 12, 15, 8, 18, 1, drop_p=0.1),
        Lift(("Lying Leg Curl (Machine)",), 3, 10, 15, 6, 15, 1),
        Lift(("Hip Thrust (Barbell)",), 3, 8, 12, 60, 160, 5, (0.5,), 20),
        Lift(("Seated Calf Raise (Machine)",), 3, 12, 20, 6, 15, 1),
        Lift(("Hanging Leg Raise", "Ab Wheel"), 3, 10, 15, 0, 0, 0),
    )),
)

# The user's own exercise (name, category, muscle, equipment), one of the Upper B alternatives.
CUSTOM_EXERCISE = ("Landmine Press", Category.SHOULDERS, "Front Delts", Equipment.BARBELL)

# 20 exercises for each user's one long circuit session (name, weight, reps).
CIRCUIT: tuple[tuple[str, float, int], ...] = (
    ("Goblet Squat (Dumbbell)", 24, 12), ("Push Up", 0, 20), ("Kettlebell Swing", 24, 15),
    ("Inverted Row", 0, 12), ("Walking Lunge (Dumbbell)", 12, 12), ("Chest Press (Machine)", 8, 12),
    ("Seated Row (Machine)", 8, 12), ("Shoulder Press (Machine)", 6, 12), ("Leg Extension (Machine)", 8, 15),
    ("Lying Leg Curl (Machine)", 6, 15), ("Face Pull (Cable)", 5, 15), ("Bicep Curl (Cable)", 5, 12),
    ("Triceps Pushdown", 5, 12), ("Lateral Raise (Dumbbell)", 6, 15), ("Glute Bridge", 0, 20),
    ("Back Extension", 0, 15), ("Crunch", 0, 20), ("Step Up", 0, 12), ("Chest Dip", 0, 10),
    ("Hip Abduction (Machine)", 6, 20),
)
assert len(CIRCUIT) == BIG_SESSION_EXERCISES

SESSION_NOTES = (
    "Felt strong today.", "Bad sleep, everything felt heavy.", "Gym was packed, had to improvise.",
    "Short on time.", "Left shoulder a bit cranky on pressing.", "New belt, felt solid.",
    "Lower back tight after deadlifts.", "Great pump.", "Trained fasted, low energy.",
    "Knee sleeves helped.", "Music died halfway through.", "Training partner away today.",
    "Hit a rep PR!", "Tired from work.\nKept it moving anyway.",
    "Used the [other] rack; bar is 2 kg heavier?",
)
ENTRY_NOTES = (
    "Seat 4.", "Pin at hole 6.", "Belt on the top set.", "Paused reps.", "Slow eccentrics.",
    "Straps on the last set.", "Wide grip.", "Felt it in the elbows.", "Grip gave out.",
    "Tempo 3-1-1.", "Use the rope next time.", "Left side weaker.",
)
DAY_PATTERNS = ((0, 1, 3, 4), (0, 2, 4, 5), (0, 1, 3, 5), (1, 2, 4, 5), (0, 1, 3, 4))
HOURS = (6, 7, 12, 17, 18, 19)

# -- rows ----------------------------------------------------------------------------------------
TABLES: dict[str, tuple[str, ...]] = {
    "users": ("id", "username", "email", "name", "password_hash"),
    "exercises": ("id", "name", "category", "subcategory", "equipment", "owner_id"),
    "templates": ("id", "name", "description", "user_id"),
    "sessions": ("id", "user_id", "date", "notes", "name", "finished_at", "template_id"),
    "exercise_sessions": ("id", "exercise_id", "session_id", "template_id", "order", "notes"),
    "sets": ("id", "weight", "reps", "unit", "exercise_session_id", "order", "set_type", "rpe", "logged_at"),
}


@dataclass
class Rows:
    """Rows to insert, per table, as tuples in TABLES order; ids given by the generator."""

    tables: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def add(self, table: str, row: tuple) -> None:
        self.tables[table].append(row)

    def count(self, table: str) -> int:
        return len(self.tables[table])


class Ids:
    """The next free id of each table (explicit ids: no RETURNING, rows built in Python)."""

    def __init__(self, start: dict[str, int]) -> None:
        self._next = dict(start)

    def __call__(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def _round_to(value: float, step: float) -> float:
    if step <= 0:
        return round(value, 3)
    return round(round(value / step) * step, 3)


@dataclass
class _Exercise:
    id: int
    unit: Unit


class _LiftState:
    """One exercise's double progression for one user."""

    def __init__(self, lift: Lift, exercise: _Exercise, strength: float, rng: random.Random) -> None:
        self.lift = lift
        self.exercise = exercise
        self.inc = lift.inc
        self.bar = lift.bar
        self.w = max(lift.bar, _round_to(lift.start * strength * rng.uniform(0.85, 1.1), lift.inc))
        self.ceiling = max(self.w + 4 * lift.inc, lift.ceiling * strength * rng.uniform(0.9, 1.1))
        self.fatigue = rng.uniform(0.3, 0.9)  # reps lost per set, set to set
        self.pace = rng.uniform(0.35, 0.9)  # reps gained per session, fresh
        self.stalls = 0
        self._reset_capacity(rng)

    def _reset_capacity(self, rng: random.Random) -> None:
        lift = self.lift
        self.cap = lift.lo + self.fatigue * (lift.sets - 1) + rng.uniform(0.3, 1.2)

    def start_weight(self) -> float:
        return self.w

    def detrain(self, factor: float, rng: random.Random) -> None:
        self.w = max(self.bar, _round_to(self.w * factor, self.inc))
        self._reset_capacity(rng)

    def perform(
        self, rng: random.Random, *, deload: bool, bad_day: bool, rpe: bool
    ) -> list[tuple[float, int, str | None, float | None]]:
        """The sets of one session (weight, reps, set_type, rpe), and progress for next time."""
        lift = self.lift
        out: list[tuple[float, int, str | None, float | None]] = []
        work_w = max(self.bar, _round_to(self.w * 0.85, self.inc)) if deload else self.w
        for frac in lift.warmups:
            ww = self.bar if frac == 0 else max(self.bar, _round_to(work_w * frac, self.inc or 1))
            if ww >= work_w or (out and ww <= out[-1][0]):
                continue
            reps = 10 if frac <= 0.45 else 5 if frac <= 0.65 else 3 if frac <= 0.8 else 1
            out.append((ww, reps, "warmup", None))
        if deload:
            for _ in range(max(2, lift.sets - 1)):
                out.append((work_w, lift.lo, None, 6.0 if rpe else None))
            return out
        cap = self.cap + rng.gauss(0, 0.35) - (rng.uniform(1.5, 3.0) if bad_day else 0.0)
        reps_done = [
            max(1, min(lift.hi, int(cap - self.fatigue * k + rng.uniform(-0.3, 0.3))))
            for k in range(lift.sets)
        ]
        last = len(reps_done) - 1
        for k, r in enumerate(reps_done):
            set_type = "failure" if k == last and r < lift.lo and rng.random() < 0.5 else None
            set_rpe = None
            if rpe:
                set_rpe = min(10.0, 7.0 + 0.5 * k + (1.0 if r >= lift.hi else 0.0) + (1.0 if r < lift.lo else 0.0))
            out.append((work_w, r, set_type, set_rpe))
        if lift.drop_p and rng.random() < lift.drop_p:
            out.append((max(self.bar, _round_to(work_w * 0.7, self.inc or 1)), lift.lo, "drop", None))
        # Double progression.
        if all(r >= lift.hi for r in reps_done):
            if self.inc > 0:
                self.w = _round_to(self.w + self.inc, self.inc)
                self._reset_capacity(rng)
            else:  # reps only: stay at the top of the range
                self.cap = min(self.cap, lift.hi + self.fatigue * (lift.sets - 1))
            self.stalls = 0
            return out
        ratio = self.w / self.ceiling if self.ceiling else 1.0
        self.cap += rng.uniform(0.3, 1.0) * self.pace * max(0.04, 1.0 - ratio**3)
        if reps_done[-1] < lift.lo and not bad_day:
            self.stalls += 1
            if self.stalls >= 3:  # stuck: take 10 % off and build back up
                self.detrain(0.9, rng)
                self.stalls = 0
        else:
            self.stalls = 0
        return out


@dataclass
class UserPlan:
    index: int
    username: str
    days: tuple[int, ...]
    hour: int
    strength: float
    deload_every: int  # weeks; 0 = never deloads
    logs_rpe: bool
    choices: tuple[int, ...]  # the alternative picked for every slot, template by template


def _user_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"overload-bench:{seed}:{index}")


def _schedule(rng: random.Random, n: int, end: datetime, days: tuple[int, ...], hour: int) -> list[datetime]:
    """n training dates, walking back from ``end``: the user's weekdays, less holidays and skips."""
    dates: list[datetime] = []
    day = end.date()
    holiday_left = 0
    while len(dates) < n:
        day -= timedelta(days=1)
        if day.weekday() == 6 and holiday_left == 0 and rng.random() < 1.6 / 52:
            holiday_left = rng.choice((7, 7, 10, 14, 21))
        if holiday_left:
            holiday_left -= 1
            continue
        if day.weekday() not in days or rng.random() < 0.03:
            continue
        minute = rng.randrange(0, 60, 5)
        start = datetime.combine(day, dtime(hour, 0)) + timedelta(minutes=minute + rng.choice((-30, 0, 0, 0, 30)))
        dates.append(start)
    dates.reverse()
    return dates


class Generator:
    """Builds the rows of users, each from (seed, user number) alone."""

    def __init__(
        self,
        catalogue: dict[str, tuple[int, str | None]],
        ids: Ids,
        *,
        seed: int = DEFAULT_SEED,
        sessions: int = SESSIONS_PER_USER,
        end: datetime = DEFAULT_END,
        big_session: bool = True,
    ) -> None:
        self.catalogue = catalogue  # name -> (id, equipment)
        self.ids = ids
        self.seed = seed
        self.sessions = sessions
        self.end = end
        self.big_session = big_session

    def _exercise(self, name: str) -> _Exercise:
        try:
            ex_id, equipment = self.catalogue[name]
        except KeyError:
            raise KeyError(f"{name!r} is not in the exercise catalogue") from None
        return _Exercise(ex_id, default_unit(equipment))

    def plan(self, index: int) -> tuple[UserPlan, random.Random]:
        rng = _user_rng(self.seed, index)
        choices = tuple(rng.randrange(len(lift.names)) for _, _, lifts in PROGRAM for lift in lifts)
        deload = rng.choice((0, 6, 8, 8, 10, 12))
        plan = UserPlan(
            index=index,
            username=f"lifter{index:02d}",
            days=rng.choice(DAY_PATTERNS),
            hour=rng.choice(HOURS),
            strength=rng.uniform(0.65, 1.3),
            deload_every=deload,
            logs_rpe=rng.random() < 0.35,
            choices=choices,
        )
        return plan, rng

    def user(self, index: int, rows: Rows) -> int:
        """Add one user's rows; return the user's id."""
        plan, rng = self.plan(index)
        ids = self.ids
        user_id = ids("users")
        rows.add("users", (user_id, plan.username, f"{plan.username}@bench.example",
                           f"Lifter {index}", _PASSWORD_HASH))
        custom_id = ids("exercises")
        cname, ccat, csub, cequip = CUSTOM_EXERCISE
        rows.add("exercises", (custom_id, cname, ccat.value, csub, cequip.value, user_id))
        custom = _Exercise(custom_id, default_unit(cequip))

        # Templates, each with its target sets at the starting weights.
        pick = iter(plan.choices)
        templates: list[tuple[int, str, list[_LiftState]]] = []
        for tname, description, lifts in PROGRAM:
            tpl_id = ids("templates")
            rows.add("templates", (tpl_id, tname, description, user_id))
            states = []
            for order, lift in enumerate(lifts, start=1):
                name = lift.names[next(pick)]
                ex = custom if name == CUSTOM else self._exercise(name)
                state = _LiftState(lift, ex, plan.strength, rng)
                states.append(state)
                es_id = ids("exercise_sessions")
                rows.add("exercise_sessions", (es_id, ex.id, None, tpl_id, order, None))
                for s_order in range(1, lift.sets + 1):
                    rows.add("sets", (ids("sets"), state.start_weight(), lift.lo, ex.unit.value,
                                      es_id, s_order, None, None, None))
            templates.append((tpl_id, tname, states))

        dates = _schedule(rng, self.sessions, self.end, plan.days, plan.hour)
        big_at = len(dates) // 2 if self.big_session and dates else -1
        first = dates[0] if dates else self.end
        previous: datetime | None = None
        for i, when in enumerate(dates):
            tpl_id, tname, states = templates[i % len(templates)]
            notes: list[str] = []
            if previous is not None and (when - previous).days > 9:
                for st in (s for _, _, group in templates for s in group):
                    st.detrain(rng.uniform(0.9, 0.97), rng)
                notes.append("First session back after a break.")
            previous = when
            week = (when - first).days // 7
            deload = bool(plan.deload_every) and week % plan.deload_every == plan.deload_every - 1
            if deload and rng.random() < 0.5:
                notes.append("Deload week.")
            bad_day = rng.random() < 0.07
            n_lifts = len(states)
            if rng.random() < 0.08:  # short on time: the last exercises are left out
                n_lifts -= rng.choice((1, 1, 2))
                if rng.random() < 0.5:
                    notes.append("Short on time.")
            if rng.random() < 0.08:
                notes.append(rng.choice(SESSION_NOTES))
            self._session(rows, user_id, when, tpl_id, tname, "\n".join(notes) or None,
                          [(st.exercise, st.perform(rng, deload=deload, bad_day=bad_day, rpe=plan.logs_rpe))
                           for st in states[:n_lifts]], rng)
            if i == big_at:
                self._circuit(rows, user_id, when, plan, rng)
        return user_id

    def _session(
        self,
        rows: Rows,
        user_id: int,
        when: datetime,
        template_id: int | None,
        name: str,
        notes: str | None,
        entries: Sequence[tuple[_Exercise, list[tuple[float, int, str | None, float | None]]]],
        rng: random.Random,
    ) -> int:
        ids = self.ids
        session_id = ids("sessions")
        session_row_at = rows.count("sessions")
        rows.add("sessions", ())  # placeholder: finished_at is known at the end
        t = when
        for order, (ex, sets) in enumerate(entries, start=1):
            es_id = ids("exercise_sessions")
            es_notes = rng.choice(ENTRY_NOTES) if rng.random() < 0.03 else None
            rows.add("exercise_sessions", (es_id, ex.id, session_id, None, order, es_notes))
            t += timedelta(seconds=rng.randint(60, 180))
            for s_order, (weight, reps, set_type, rpe) in enumerate(sets, start=1):
                t += timedelta(seconds=rng.randint(45, 110) if set_type == "warmup" else rng.randint(100, 240))
                rows.add("sets", (ids("sets"), weight, reps, ex.unit.value, es_id, s_order,
                                  set_type, rpe, t))
        finished = t + timedelta(seconds=rng.randint(120, 420))
        rows.tables["sessions"][session_row_at] = (
            session_id, user_id, when, notes, name, finished, template_id
        )
        return session_id

    def _circuit(self, rows: Rows, user_id: int, after: datetime, plan: UserPlan, rng: random.Random) -> None:
        """The user's one long session: 20 stations, no template, on the Sunday after ``after``."""
        sunday = after.date() + timedelta(days=6 - after.weekday() or 7)
        when = datetime.combine(sunday, dtime(10, 30))
        entries = []
        for name, weight, reps in CIRCUIT:
            ex = self._exercise(name)
            w = _round_to(weight * plan.strength, 1) if weight else 0.0
            entries.append((ex, [(w, reps, None, None) for _ in range(rng.choice((3, 4, 4, 5)))]))
        self._session(rows, user_id, when, None, "Full-body circuit (20 stations)",
                      "Gym nearly empty; did every station.", entries, rng)


# -- writing -------------------------------------------------------------------------------------
def _sqlite_value(value):
    if isinstance(value, datetime):  # SQLAlchemy's SQLite DateTime storage format, exactly
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return (value.replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    return str(value)


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def write_rows(conn: Connection, rows: Rows, batch: int = 50_000) -> None:
    """Insert the rows in FK order: COPY on PostgreSQL, executemany in big batches on SQLite."""
    postgres = conn.dialect.name == "postgresql"
    for table, columns in TABLES.items():
        data = rows.tables[table]
        if not data:
            continue
        if postgres:
            raw = conn.connection.dbapi_connection
            buf = io.StringIO()
            buf.writelines("\t".join(map(_copy_value, row)) + "\n" for row in data)
            buf.seek(0)
            with raw.cursor() as cur:
                cur.copy_expert(f"COPY {table} ({_quoted(columns)}) FROM STDIN", buf)
        else:
            sql = f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for start in range(0, len(data), batch):
                chunk = [tuple(map(_sqlite_value, row)) for row in data[start:start + batch]]
                conn.exec_driver_sql(sql, chunk)


def _start_ids(conn: Connection) -> dict[str, int]:
    return {t: (conn.scalar(text(f"SELECT MAX(id) FROM {t}")) or 0) + 1 for t in TABLES}


def _catalogue(conn: Connection) -> dict[str, tuple[int, str | None]]:
    return {
        name: (ex_id, equipment)
        for ex_id, name, equipment in conn.execute(
            text("SELECT id, name, equipment FROM exercises WHERE owner_id IS NULL")
        )
    }


@dataclass(frozen=True)
class GenerationReport:
    user_ids: tuple[int, ...]
    counts: dict[str, int]
    seconds: float

    def summary(self) -> str:
        c = self.counts
        return (f"{len(self.user_ids)} users, {c['sessions']:,} sessions, "
                f"{c['exercise_sessions']:,} exercise entries, {c['sets']:,} sets "
                f"in {self.seconds:.1f} s")


def scale_shape(scale: float) -> tuple[int, int]:
    """(users, sessions per user) for a scale: 1 = one ten-year user, 20 = twenty, 0.1 = 200 sessions."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if scale < 1:
        return 1, max(4, round(SESSIONS_PER_USER * scale))
    return round(scale), SESSIONS_PER_USER


def generate(
    database_url: str,
    *,
    users: int = 1,
    sessions: int = SESSIONS_PER_USER,
    seed: int = DEFAULT_SEED,
    first_user: int = 1,
    end: datetime = DEFAULT_END,
    big_session: bool = True,
    log: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Migrate the database, then add ``users`` users numbered from ``first_user``."""
    t0 = time.perf_counter()
    db = Database.connect(database_url)
    try:
        migrate.upgrade(db)
        totals = {t: 0 for t in TABLES}
        user_ids: list[int] = []
        with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
            gen = Generator(_catalogue(conn), Ids(_start_ids(conn)), seed=seed, sessions=sessions,
                            end=end, big_session=big_session)
            for index in range(first_user, first_user + users):
                rows = Rows()
                user_ids.append(gen.user(index, rows))
                write_rows(conn, rows)
                for t in TABLES:
                    totals[t] += rows.count(t)
                if log:
                    log(f"  user {index}: {rows.count('sessions'):,} sessions, {rows.count('sets'):,} sets "
                        f"({time.perf_counter() - t0:.1f} s)")
            if conn.dialect.name == "postgresql":
                for t in TABLES:  # explicit ids: move the sequences past them
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {t}))"
                    )
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would do within a minute of a bulk load; without it the planner
            # guesses from empty-table statistics.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect() as conn:  # back to the app's durability setting
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return GenerationReport(tuple(user_ids), totals, time.perf_counter() - t0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="sqlite:///file.db or postgresql://user@host/db (migrated first)")
    parser.add_argument("--scale", type=float, help="1 = one ten-year user (~50,000 sets), 20 = twenty users")
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=SESSIONS_PER_USER, help="per user")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--first-user", type=int, default=1, help="number of the first user (lifterNN)")
    parser.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END.date(),
                        help=f"the day after the last session (default {DEFAULT_END.date()})")
    args = parser.parse_args(argv)
    users, sessions = scale_shape(args.scale) if args.scale else (args.users, args.sessions)
    report = generate(
        args.database_url, users=users, sessions=sessions, seed=args.seed, first_user=args.first_user,
        end=datetime.combine(args.end, dtime()), log=lambda m: print(m, file=sys.stderr),
    )
    print(report.summary())
    print(f"password of every user: {PASSWORD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
