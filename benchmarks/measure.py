"""Service-level measurements, in this process: timings, SQL statement counts, the SQL floor.

Every timing is of warm calls (one call first, untimed: the connection pool and SQLAlchemy's
statement cache are what a running app has) and reported as median and 95th percentile in
milliseconds. Statement counts come from a ``before_cursor_execute`` listener and leave out
transaction control (BEGIN, COMMIT, ROLLBACK), which SQLite issues and PostgreSQL does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import Engine, event, text

from overload_tui.services import Services

_TX_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# The page size of the history screen, when it can be read (it is UI code, imported lazily).
DEFAULT_HISTORY_PAGE = 50


@dataclass(frozen=True)
class Stat:
    """Timings in milliseconds."""

    median: float
    p95: float
    n: int

    @classmethod
    def of(cls, seconds: list[float]) -> Stat:
        ms = sorted(s * 1000 for s in seconds)
        return cls(median(ms), percentile(ms, 95), len(ms))


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]


def timed(fn: Callable[[], Any], reps: int, warmup: int = 1) -> tuple[Stat, Any]:
    result = None
    for _ in range(warmup):
        result = fn()
    seconds = []
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t0)
    return Stat.of(seconds), result


def timed_together(fns: list[Callable[[], Any]], reps: int, warmup: int = 1) -> list[tuple[Stat, Any]]:
    """Like ``timed`` for each of ``fns``, their calls interleaved (a, b, a, b, ...): on a shared
    machine a spell of load then slows them alike, so their ratio holds."""
    results: list[Any] = [None] * len(fns)
    for _ in range(warmup):
        results = [fn() for fn in fns]
    seconds: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            results[i] = fn()
            seconds[i].append(time.perf_counter() - t0)
    return [(Stat.of(s), r) for s, r in zip(seconds, results)]


@contextmanager
def statement_counter(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_TX_CONTROL):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def count_statements(engine: Engine, fn: Callable[[], Any]) -> int:
    with statement_counter(engine) as statements:
        fn()
    return len(statements)


def history_page_size() -> int:
    try:
        from overload_tui.screens.history import PAGE  # noqa: PLC0415 - optional, UI module
    except Exception:  # noqa: BLE001 - not there yet, or broken: the service default
        return DEFAULT_HISTORY_PAGE
    return int(PAGE)


# -- what to measure ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Subjects:
    """The user measured (user #1) and the rows the measurements open."""

    user_id: int
    exercise_id: int  # the user's most logged exercise
    exercise_name: str
    exercise_sets: int
    big_session_id: int  # a session of 20 exercises
    small_session_id: int  # a usual one, for the "constant statements" check
    template_id: int  # the first template, to start a fresh workout from
    sessions: int


def find_subjects(services: Services, user_id: int) -> Subjects:
    with services.db.engine.connect() as conn:
        ex_id, name, n_sets = conn.execute(text(
            "SELECT es.exercise_id, e.name, COUNT(*) FROM sessions s "
            "JOIN exercise_sessions es ON es.session_id = s.id "
            "JOIN sets st ON st.exercise_session_id = es.id "
            "JOIN exercises e ON e.id = es.exercise_id "
            "WHERE s.user_id = :u GROUP BY es.exercise_id, e.name ORDER BY COUNT(*) DESC, es.exercise_id "
            "LIMIT 1"), {"u": user_id}).one()
        by_size = conn.execute(text(
            "SELECT es.session_id, COUNT(*) FROM exercise_sessions es JOIN sessions s ON s.id = es.session_id "
            "WHERE s.user_id = :u GROUP BY es.session_id ORDER BY COUNT(*) DESC, es.session_id"),
            {"u": user_id}).all()
        template_id = conn.scalar(text("SELECT MIN(id) FROM templates WHERE user_id = :u"), {"u": user_id})
    big = by_size[0][0]
    small = next((sid for sid, n in by_size if n <= 7), by_size[-1][0])
    return Subjects(user_id, ex_id, name, n_sets, big, small, template_id, len(by_size))


# -- the hand-written floors ----------------------------------------------------------------------
_FLOOR_HISTORY = """
SELECT s.id, s.date, st.id, st."order", st.weight, st.reps, st.unit, st.set_type, st.rpe, st.logged_at,
       st.duration_s, st.distance_m, st.distance_unit, st.display_unit
FROM sessions s
JOIN exercise_sessions es ON es.session_id = s.id
JOIN sets st ON st.exercise_session_id = es.id
WHERE s.user_id = {p} AND es.exercise_id = {p} AND s.date >= {p}
ORDER BY s.date, s.id, es."order", st."order"
"""
# progress_series returns one point per session (best e1RM and its reps, heaviest set, volume,
# working sets) in the unit of the most recent working set: the same points, in one query
# (Epley, the default formula, which the generated users keep).
_FLOOR_SERIES = """
WITH w AS (
    SELECT s.id AS sid, s.date AS sdate, es."order" AS eo, st."order" AS so, st.weight, st.reps, st.unit,
           st.weight * CASE WHEN st.reps = 1 THEN 1.0 ELSE 1.0 + st.reps / 30.0 END AS e1rm
    FROM sessions s
    JOIN exercise_sessions es ON es.session_id = s.id
    JOIN sets st ON st.exercise_session_id = es.id
    WHERE s.user_id = {p} AND es.exercise_id = {p} AND (st.set_type IS NULL OR st.set_type <> 'warmup')
), chosen AS (
    SELECT unit FROM w ORDER BY sdate DESC, sid DESC, eo DESC, so DESC LIMIT 1
), ranked AS (
    SELECT w.*, ROW_NUMBER() OVER (PARTITION BY sid ORDER BY e1rm DESC, eo, so) AS rn
    FROM w WHERE unit = (SELECT unit FROM chosen)
)
SELECT sid, sdate, unit, MAX(e1rm), MAX(CASE WHEN rn = 1 THEN reps END), MAX(weight),
       SUM(weight * reps), COUNT(*)
FROM ranked
GROUP BY sid, sdate, unit
ORDER BY sdate, sid
"""

# The same points with the unit of the most recent working set found the way an index on
# (user_id, date) finds it cheaply (the newest session that has one, then its last set) and no
# CTE scanned twice. With statistics, SQLite plans the query above badly on a 20x database
# (30 ms instead of 5); the floor is the faster of the two, so it stays a floor.
_FLOOR_SERIES_NEWEST = """
SELECT sid, sdate, unit, MAX(e1rm), MAX(CASE WHEN rn = 1 THEN reps END), MAX(weight), SUM(weight * reps), COUNT(*)
FROM (
    SELECT s.id AS sid, s.date AS sdate, st.weight, st.reps, st.unit,
           st.weight * CASE WHEN st.reps = 1 THEN 1.0 ELSE 1.0 + st.reps / 30.0 END AS e1rm,
           ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY
               st.weight * CASE WHEN st.reps = 1 THEN 1.0 ELSE 1.0 + st.reps / 30.0 END DESC, es."order", st."order") AS rn
    FROM sessions s
    JOIN exercise_sessions es ON es.session_id = s.id
    JOIN sets st ON st.exercise_session_id = es.id
    WHERE s.user_id = {p} AND es.exercise_id = {p} AND (st.set_type IS NULL OR st.set_type <> 'warmup')
      AND st.unit = (
        SELECT st2.unit FROM exercise_sessions es2 JOIN sets st2 ON st2.exercise_session_id = es2.id
        WHERE es2.exercise_id = {p} AND (st2.set_type IS NULL OR st2.set_type <> 'warmup') AND es2.session_id = (
            SELECT s3.id FROM sessions s3
            WHERE s3.user_id = {p} AND EXISTS (
                SELECT 1 FROM exercise_sessions es3 JOIN sets st3 ON st3.exercise_session_id = es3.id
                WHERE es3.session_id = s3.id AND es3.exercise_id = {p}
                  AND (st3.set_type IS NULL OR st3.set_type <> 'warmup'))
            ORDER BY s3.date DESC, s3.id DESC LIMIT 1)
        ORDER BY es2."order" DESC, st2."order" DESC LIMIT 1)
) ranked
GROUP BY sid, sdate, unit
ORDER BY sdate, sid
"""


def floor_query(engine: Engine, sql: str, params: tuple) -> Callable[[], list]:
    """The query on a raw DBAPI connection: no ORM, no SQLAlchemy result processing."""
    placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    statement = sql.format(p=placeholder)
    if engine.dialect.name == "sqlite":  # dates are stored as SQLAlchemy's strings
        params = tuple(p.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(p, datetime) else p for p in params)

    def run() -> list:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(statement, params)
            rows = cur.fetchall()
            cur.close()
            raw.commit()
            return rows
        finally:
            raw.close()

    return run


# -- the measurements ---------------------------------------------------------------------------
@dataclass
class ServiceFigures:
    history: Stat
    history_statements: int
    history_deep_statements: int
    history_rows: int
    session_big: Stat
    session_big_statements: int
    session_small_statements: int
    progress: Stat
    progress_statements: int
    progress_floor: Stat
    progress_rows: int
    series: Stat | None
    series_statements: int | None
    series_floor: Stat | None
    add_set: Stat
    add_set_statements: int
    last_performance: Stat


def ten_years_before(when: datetime) -> datetime:
    return when - timedelta(days=3653)


def measure_services(services: Services, subj: Subjects, *, reps: int, set_reps: int,
                     now: datetime) -> ServiceFigures:
    engine = services.db.engine
    ws = services.workouts(subj.user_id)
    page = history_page_size()

    history, first_page = timed(lambda: ws.list_sessions(limit=page), reps)
    deep_before = None
    for _ in range(min(10, max(1, subj.sessions // page - 1))):  # a page deep in the history
        rows = ws.list_sessions(limit=page, before=deep_before)
        if len(rows) < page:
            break
        deep_before = (rows[-1].date, rows[-1].id)
    history_statements = count_statements(engine, lambda: ws.list_sessions(limit=page))
    history_deep_statements = count_statements(engine, lambda: ws.list_sessions(limit=page, before=deep_before))

    session_big, big = timed(lambda: ws.get_session(subj.big_session_id), reps)
    if len(big.entries) < 20:
        raise RuntimeError(f"session {subj.big_session_id} has {len(big.entries)} exercises, not 20")
    big_statements = count_statements(engine, lambda: ws.get_session(subj.big_session_id))
    small_statements = count_statements(engine, lambda: ws.get_session(subj.small_session_id))

    since = ten_years_before(now)
    floor = floor_query(engine, _FLOOR_HISTORY, (subj.user_id, subj.exercise_id, since))
    (progress, hist), (progress_floor, floor_rows) = timed_together(
        [lambda: ws.exercise_history(subj.exercise_id, since=since), floor], reps
    )
    progress_statements = count_statements(engine, lambda: ws.exercise_history(subj.exercise_id, since=since))
    n_sets = sum(len(h.sets) for h in hist)
    if n_sets != len(floor_rows):
        raise RuntimeError(f"exercise_history returned {n_sets} sets, the floor query {len(floor_rows)}")

    series = series_statements = series_floor = None
    progress_service = getattr(services, "progress", None)
    if progress_service is not None and hasattr(progress_service(subj.user_id), "progress_series"):
        ps = progress_service(subj.user_id)
        u, e = subj.user_id, subj.exercise_id
        (series, _), *floors = timed_together([
            lambda: ps.progress_series(e),
            floor_query(engine, _FLOOR_SERIES, (u, e)),
            floor_query(engine, _FLOOR_SERIES_NEWEST, (u, e, e, u, e)),
        ], reps)
        series_floor, floor_points = min(floors, key=lambda timing: timing[0].median)
        series_statements = count_statements(engine, lambda: ps.progress_series(subj.exercise_id))
        points = ps.progress_series(subj.exercise_id)
        if len(points) != len(floor_points) or any(
            abs(p.best_e1rm - float(f[3])) > 0.01 or p.sets != f[7] for p, f in zip(points, floor_points)
        ):
            raise RuntimeError("progress_series and its floor query disagree")

    last_performance, _ = timed(lambda: ws.last_performance(subj.exercise_id), reps)
    add_set, add_set_statements = _measure_add_set(services, subj, set_reps)

    return ServiceFigures(
        history=history, history_statements=history_statements,
        history_deep_statements=history_deep_statements, history_rows=len(first_page),
        session_big=session_big, session_big_statements=big_statements,
        session_small_statements=small_statements,
        progress=progress, progress_statements=progress_statements, progress_floor=progress_floor,
        progress_rows=len(floor_rows),
        series=series, series_statements=series_statements, series_floor=series_floor,
        add_set=add_set, add_set_statements=add_set_statements, last_performance=last_performance,
    )


def _measure_add_set(services: Services, subj: Subjects, count: int) -> tuple[Stat, int]:
    """add_set on a fresh workout from a template, four sets per exercise; then delete it."""
    ws = services.workouts(subj.user_id)
    session = ws.start_session(template_id=subj.template_id)
    try:
        entries = [e.id for e in session.entries]
        seconds = []
        statements = 0
        for i in range(count):
            entry = entries[(i // 4) % len(entries)]
            weight, reps = 20 + (i % 3) * 2.5, 8 - i % 3
            if i == 0:
                statements = count_statements(services.db.engine, lambda: ws.add_set(entry, weight, reps))
                continue
            t0 = time.perf_counter()
            ws.add_set(entry, weight, reps)
            seconds.append(time.perf_counter() - t0)
        return Stat.of(seconds), statements
    finally:
        ws.delete_session(session.id)
