"""Planner statistics: SQLite is analysed when it has sets but no statistics, PRAGMA optimize
runs as the app closes, and a large import refreshes the statistics on both databases."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, event

from overload_tui.db import migrate
from overload_tui.services import Services


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'stats.db'}"


def _stat_rows(url: str, table: str = "sets") -> int | None:
    """sqlite_stat1's row count for ``table`` (None: no statistics for it)."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return None
        row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)).fetchone()
        return int(row[0].split()[0]) if row else None
    finally:
        conn.close()


def _log_sets(services: Services, n: int) -> None:
    user = services.auth.register("stats", "stats@example.com", "correct horse", "S")
    ws = services.workouts(user.id)
    squat = next(e for e in ws.search_exercises("squat") if e.name == "Squat (Barbell)")
    start = datetime(2024, 1, 1, 18)
    for day in range(0, n, 5):
        sess = ws.start_session(start + timedelta(days=day))
        entry = ws.add_entry(squat.id, session_id=sess.id)
        for i in range(min(5, n - day)):
            ws.add_set(entry.id, 100 + i, 5)


class _Statements:
    """Every statement any engine runs (Services.open makes its own engine)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __enter__(self) -> list[str]:
        event.listen(Engine, "before_cursor_execute", self._on)
        return self.seen

    def __exit__(self, *exc) -> None:
        event.remove(Engine, "before_cursor_execute", self._on)

    def _on(self, conn, cursor, statement, *rest) -> None:
        self.seen.append(statement)


def test_empty_database_is_not_analysed(sqlite_url, data_dir):
    with _Statements() as seen:
        Services.open(sqlite_url, data_dir=data_dir, bcrypt_rounds=4).close()
    assert "ANALYZE" not in seen
    assert _stat_rows(sqlite_url) is None


def test_a_database_with_sets_but_no_statistics_is_analysed_once(sqlite_url, data_dir):
    services = Services.open(sqlite_url, data_dir=data_dir, bcrypt_rounds=4)
    _log_sets(services, 20)
    services.db.dispose()  # no close(): no PRAGMA optimize, as after a crash or an old version
    assert _stat_rows(sqlite_url) is None

    with _Statements() as seen:
        Services.open(sqlite_url, data_dir=data_dir, bcrypt_rounds=4).close()
    assert seen.count("ANALYZE") == 1
    assert _stat_rows(sqlite_url) == 20

    with _Statements() as seen:  # analysed already: two cheap checks, no ANALYZE
        services = Services.open(sqlite_url, data_dir=data_dir, bcrypt_rounds=4)
    services.close()
    assert not [s for s in seen if "ANALYZE" in s.upper()]


def test_close_runs_pragma_optimize_on_the_connections_used(sqlite_url, data_dir):
    """Statistics taken on a small table are refreshed by PRAGMA optimize once it has grown a
    lot, when the connections that used it close (SQLite only looks at tables it used)."""
    services = Services.open(sqlite_url, data_dir=data_dir, bcrypt_rounds=4)
    _log_sets(services, 5)
    migrate.analyze(services.db)
    assert _stat_rows(sqlite_url) == 5
    _log_sets_more(services, 400)
    ws = services.workouts(1)
    for exercise in {e.exercise.id for s in ws.list_sessions(limit=5) for e in ws.get_session(s.id).entries}:
        ws.exercise_history(exercise)
        ws.last_performance(exercise)
    services.close()
    assert _stat_rows(sqlite_url) == 405


def _log_sets_more(services: Services, n: int) -> None:
    ws = services.workouts(1)
    squat = next(e for e in ws.search_exercises("squat") if e.name == "Squat (Barbell)")
    sess = ws.start_session(datetime(2025, 1, 1, 18))
    entry = ws.add_entry(squat.id, session_id=sess.id)
    for i in range(n):
        ws.add_set(entry.id, 100, 1 + i % 20)


def test_analyze_after_import_threshold(services):
    with _Statements() as seen:
        assert not migrate.analyze_after_import(services.db, migrate.ANALYZE_AFTER_IMPORT_SETS - 1)
    assert not seen
    with _Statements() as seen:
        assert migrate.analyze_after_import(services.db, migrate.ANALYZE_AFTER_IMPORT_SETS)
    assert [s for s in seen if s.startswith("ANALYZE")] == [f"ANALYZE {t}" for t in migrate.HISTORY_TABLES]


def test_a_large_import_refreshes_the_statistics(services, alice, tmp_path):
    from overload_tui.services.transfer import TransferService

    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    rows = []
    for day in range(migrate.ANALYZE_AFTER_IMPORT_SETS // 10):
        when = (datetime(2023, 1, 1, 8) + timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S")
        rows += [f"{when},Legs,1h,Squat (Barbell),{i},{100 + day % 7},5,0,0,,,\n" for i in range(1, 11)]
    path = tmp_path / "strong.csv"
    path.write_text(head + "".join(rows), encoding="utf-8")
    transfer = TransferService(services.db, alice.id)
    with _Statements() as seen:
        report = transfer.import_file(path, fmt="strong")
    assert report.sets == migrate.ANALYZE_AFTER_IMPORT_SETS
    assert [s for s in seen if s.startswith("ANALYZE")] == [f"ANALYZE {t}" for t in migrate.HISTORY_TABLES]
    if services.db.is_sqlite:
        assert _stat_rows(services.db.engine.url.render_as_string()) == migrate.ANALYZE_AFTER_IMPORT_SETS
