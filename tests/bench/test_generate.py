"""The benchmark data generator and the benchmark code, at a tiny scale. Never asserts on time."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks import generate as gen
from benchmarks import measure, run
from overload_tui.db.engine import resolve_url
from overload_tui.domain.enums import Unit, default_unit
from overload_tui.domain.validation import MAX_REPS, MAX_WEIGHT, SET_TYPES, validate_reps, validate_weight

END = datetime(2024, 6, 3)


def _sqlite(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


def _engine(url: str):
    return create_engine(resolve_url(url))


def _dump(url: str) -> dict[str, list[tuple]]:
    """Every generated row, by table, in id order, with values made comparable across backends."""
    engine = _engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for table, columns in gen.TABLES.items():
                cols = ", ".join(f'"{c}"' for c in columns)
                where = " WHERE owner_id IS NOT NULL" if table == "exercises" else ""
                rows = conn.exec_driver_sql(f"SELECT {cols} FROM {table}{where} ORDER BY id").all()
                out[table] = [tuple(_norm(v) for v in row) for row in rows]
    finally:
        engine.dispose()
    return out


def _norm(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str) and len(value) == 26 and value[4] == "-" and value[10] == " ":
        return value[:19]  # SQLite's stored DateTime text
    if isinstance(value, float):
        return round(value, 6)
    return value


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[str, gen.GenerationReport]:
    """One user, 30 sessions (and the circuit), on SQLite."""
    url = _sqlite(tmp_path_factory.mktemp("tiny"), "tiny.db")
    return url, gen.generate(url, users=1, sessions=30, seed=11, end=END)


# -- determinism ---------------------------------------------------------------------------------
def test_same_seed_same_rows_and_user_one_is_the_1x_user(tmp_path):
    one = _sqlite(tmp_path, "one.db")
    two = _sqlite(tmp_path, "two.db")
    again = _sqlite(tmp_path, "again.db")
    other = _sqlite(tmp_path, "other.db")
    gen.generate(one, users=1, sessions=40, seed=3, end=END)
    gen.generate(two, users=2, sessions=40, seed=3, end=END)
    gen.generate(again, users=2, sessions=40, seed=3, end=END)
    gen.generate(other, users=2, sessions=40, seed=4, end=END)
    rows_two = _dump(two)
    assert rows_two == _dump(again)
    assert rows_two["sets"] != _dump(other)["sets"]
    # The larger data set starts with the smaller one, row for row (ids included).
    rows_one = _dump(one)
    for table, rows in rows_one.items():
        assert rows and rows_two[table][: len(rows)] == rows, table
        assert len(rows_two[table]) > len(rows)


def test_same_rows_on_both_backends_and_the_app_can_write_after(database_url, tmp_path, data_dir):
    """The PostgreSQL path (COPY, sequences moved past the explicit ids) writes what SQLite does."""
    reference = _sqlite(tmp_path, "reference.db")
    gen.generate(reference, users=2, sessions=12, seed=5, end=END)
    report = gen.generate(database_url, users=2, sessions=12, seed=5, end=END)
    assert report.counts["sessions"] == 2 * 13
    assert _dump(database_url) == _dump(reference)

    from overload_tui.services import Services

    services = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        assert services.auth.authenticate("lifter01", gen.PASSWORD).id == report.user_ids[0]
        ws = services.workouts(report.user_ids[0])
        template = ws.list_templates()[0]
        session = ws.start_session(template_id=template.id)
        assert session.id > max(r[0] for r in _dump(reference)["sessions"])
        ws.add_set(session.entries[0].id, 60, 5)
        ws.create_template("After the import")
        ws.create_exercise("Zercher Squat", "legs", "barbell")
    finally:
        services.close()


# -- realism -------------------------------------------------------------------------------------
def test_sets_are_valid_and_in_order(tiny):
    url, report = tiny
    engine = _engine(url)
    with engine.connect() as conn:
        sets = conn.execute(text(
            'SELECT st.exercise_session_id, st."order", st.weight, st.reps, st.unit, st.set_type, st.rpe, '
            "st.logged_at, e.equipment, es.session_id FROM sets st "
            "JOIN exercise_sessions es ON es.id = st.exercise_session_id "
            "JOIN exercises e ON e.id = es.exercise_id ORDER BY st.exercise_session_id, st.\"order\"")).all()
        entries = conn.execute(text(
            'SELECT COALESCE(session_id, -template_id), "order" FROM exercise_sessions ORDER BY 1, 2')).all()
    engine.dispose()
    assert len(sets) == report.counts["sets"] > 500

    by_entry = defaultdict(list)
    for row in sets:
        by_entry[row.exercise_session_id].append(row)
        unit = Unit(row.unit)
        assert 0 <= row.weight <= MAX_WEIGHT[unit] and 0 < row.reps <= MAX_REPS
        assert validate_weight(row.weight, unit) == row.weight and validate_reps(row.reps) == row.reps
        assert row.set_type is None or row.set_type in SET_TYPES
        assert unit is default_unit(row.equipment)
        assert row.rpe is None or 6 <= row.rpe <= 10
        assert (row.logged_at is None) == (row.session_id is None)  # template targets are not logged
    for rows in by_entry.values():
        assert [r.order for r in rows] == list(range(1, len(rows) + 1))
        kinds = [r.set_type == "warmup" for r in rows]
        assert kinds == sorted(kinds, reverse=True), "warm-ups come first"
        working = [r.weight for r in rows if r.set_type is None]
        if working and any(kinds):
            assert max(r.weight for r in rows if r.set_type == "warmup") < max(working)
    by_parent = defaultdict(list)
    for parent, order in entries:
        by_parent[parent].append(order)
    for orders in by_parent.values():
        assert orders == list(range(1, len(orders) + 1))


def test_sessions_follow_the_templates(tiny):
    url, _ = tiny
    engine = _engine(url)
    with engine.connect() as conn:
        templates = defaultdict(list)
        for tpl, name, ex in conn.execute(text(
                'SELECT t.id, t.name, es.exercise_id FROM templates t JOIN exercise_sessions es '
                'ON es.template_id = t.id ORDER BY t.id, es."order"')):
            templates[(tpl, name)].append(ex)
        sessions = conn.execute(text(
            "SELECT id, name, template_id, date, finished_at FROM sessions ORDER BY date, id")).all()
        exercises = defaultdict(list)
        for sid, ex in conn.execute(text(
                'SELECT session_id, exercise_id FROM exercise_sessions WHERE session_id IS NOT NULL '
                'ORDER BY session_id, "order"')):
            exercises[sid].append(ex)
        times = conn.execute(text(
            "SELECT s.id, MIN(st.logged_at), MAX(st.logged_at) FROM sessions s "
            "JOIN exercise_sessions es ON es.session_id = s.id JOIN sets st ON st.exercise_session_id = es.id "
            "GROUP BY s.id")).all()
    engine.dispose()
    names = {tpl: name for tpl, name in templates}
    plan = {tpl: exs for (tpl, _), exs in templates.items()}
    assert [n for _, n in templates] == [p[0] for p in gen.PROGRAM]
    assert len(sessions) == 31
    rotation = [s.template_id for s in sessions if s.template_id is not None]
    assert rotation[:8] == list(plan)[:4] * 2  # Upper A, Lower A, Upper B, Lower B, ...
    for s in sessions:
        assert _norm(s.date) < _norm(END) and _norm(s.finished_at) > _norm(s.date)
        if s.template_id is None:
            assert len(exercises[s.id]) == gen.BIG_SESSION_EXERCISES
            continue
        assert s.name == names[s.template_id]
        template = plan[s.template_id]
        done = exercises[s.id]
        assert done == template[: len(done)] and len(done) >= len(template) - 2
    started = {s.id: (s.date, s.finished_at) for s in sessions}
    for sid, first, last in times:
        begin, end = started[sid]
        assert _norm(begin) < _norm(first) <= _norm(last) < _norm(end)
    assert sum(1 for s in sessions if s.template_id is None) == 1


def test_double_progression_over_years(tmp_path):
    """The bench press gets heavier over the years, with warm-ups, but never past the limits."""
    url = _sqlite(tmp_path, "years.db")
    gen.generate(url, users=1, sessions=600, seed=2, end=END)
    engine = _engine(url)
    with engine.connect() as conn:
        tops = [w for (w,) in conn.execute(text(
            "SELECT MAX(st.weight) FROM sessions s JOIN exercise_sessions es ON es.session_id = s.id "
            "JOIN exercises e ON e.id = es.exercise_id JOIN sets st ON st.exercise_session_id = es.id "
            "WHERE e.name = 'Bench Press (Barbell)' AND st.set_type IS NULL GROUP BY s.id ORDER BY s.date"))]
        kinds = dict(conn.execute(text("SELECT COALESCE(set_type, 'normal'), COUNT(*) FROM sets GROUP BY 1")).all())
        notes = conn.scalar(text("SELECT COUNT(*) FROM sessions WHERE notes IS NOT NULL"))
    engine.dispose()
    assert len(tops) >= 140
    first, last = sum(tops[:10]) / 10, sum(tops[-10:]) / 10
    assert last > first * 1.2
    assert any(b < a for a, b in zip(tops, tops[1:])), "deloads, resets or breaks lower the weight sometimes"
    assert kinds["warmup"] > 0.1 * kinds["normal"] and kinds.get("drop") and kinds.get("failure")
    assert notes > 10


def test_scale_shape():
    assert gen.scale_shape(1) == (1, gen.SESSIONS_PER_USER)
    assert gen.scale_shape(20) == (20, gen.SESSIONS_PER_USER)
    assert gen.scale_shape(0.05) == (1, 100)
    with pytest.raises(ValueError):
        gen.scale_shape(0)


def test_generate_command(tmp_path, capsys):
    url = _sqlite(tmp_path, "cli.db")
    assert gen.main([url, "--users", "2", "--sessions", "5", "--end", "2024-01-01"]) == 0
    out = capsys.readouterr().out
    assert "2 users, 12 sessions" in out and gen.PASSWORD in out


# -- the benchmark code --------------------------------------------------------------------------
def test_service_measurements_produce_numbers(database_url, tmp_path, data_dir):
    from overload_tui.services import Services

    report = gen.generate(database_url, users=2, sessions=40, seed=1, end=END)
    services = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    try:
        subj = measure.find_subjects(services, report.user_ids[0])
        assert subj.sessions == 41 and subj.exercise_sets > 0
        figures = measure.measure_services(services, subj, reps=2, set_reps=3, now=END)
        # The benchmark's own workout is gone afterwards.
        assert services.workouts(subj.user_id).count_sessions() == 41
    finally:
        services.close()
    for stat in (figures.history, figures.session_big, figures.progress, figures.progress_floor,
                 figures.add_set, figures.last_performance, figures.series, figures.series_floor):
        assert stat is not None and stat.n >= 2 and math.isfinite(stat.median) and stat.p95 >= stat.median
    for count in (figures.history_statements, figures.history_deep_statements, figures.session_big_statements,
                  figures.session_small_statements, figures.progress_statements, figures.add_set_statements):
        assert isinstance(count, int) and count > 0
    assert figures.progress_rows > 0 and figures.history_rows > 0


def test_statement_counter_skips_transaction_control(tmp_path):
    engine = _engine(_sqlite(tmp_path, "count.db"))
    with measure.statement_counter(engine) as statements, engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
        conn.exec_driver_sql("SELECT 2")
    engine.dispose()
    assert statements == ["SELECT 1", "SELECT 2"]


def test_percentile_and_stat():
    assert measure.percentile([1, 2, 3, 4], 50) == 2
    assert measure.percentile(list(range(1, 101)), 95) == 95
    stat = measure.Stat.of([0.001, 0.002, 0.010])
    assert (stat.median, stat.p95, stat.n) == (2.0, 10.0, 3)


def test_one_cell_end_to_end_and_the_table(tmp_path):
    """Generation, service calls, start-up, screens and memory probes once each, on SQLite."""
    settings = run.Settings(startup_reps=1, ui_reps=1, ui_sets=2, service_reps=2, set_reps=3, probe_timeout=120)
    messages: list[str] = []
    cell = run.bench_cell("sqlite", 0.01, settings, tmp_path, messages.append)
    assert not cell.error, cell.error
    for kind in ("bare", "login", "dashboard"):
        value = cell.startup[kind]
        assert isinstance(value, list) and len(value) == 1 and value[0] > 0, (kind, value)
    for key in ("history", "session", "log_set"):
        assert isinstance(cell.ui[key], dict) and cell.ui[key]["n"] >= 1, (key, cell.ui[key])
    assert isinstance(cell.memory, dict) and cell.memory["maxrss_mb"] > 0

    failed = run.CellResult("postgresql", 0.01, error="OperationalError: could not connect")
    text_out = run.report([cell, failed], settings, "python -m benchmarks.run --scales 0.01")
    table = run.build_table([cell, failed])
    assert [r[0] for r in table[1:]] == [title for title, _, _ in run.ROWS]
    assert all(len(r) == 5 for r in table)
    assert "n/a: OperationalError" in text_out
    assert all("n/a" not in row[2] for row in table[1:]), [row[2] for row in table[1:]]
    assert list(tmp_path.glob("*.db")) == []  # the throwaway database is gone


def test_a_start_up_probe_can_end_at_its_first_frame():
    """What ``benchmarks.instructions`` runs under valgrind: the bare app, exiting as it is drawn."""
    result = run.run_probe("bare", {"first_frame_only": True}, {}, 120)
    assert result.ok, result.reason
    assert 0 < result.data["seconds"] < result.wall and result.data["cpu"] > 0
