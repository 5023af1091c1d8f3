"""The database itself enforces the spec: names, types, constraints, cascades, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

SPEC_COLUMNS = {
    "users": {
        "id": ("INTEGER", None, False),
        "username": ("VARCHAR", 50, False),
        "email": ("VARCHAR", 255, False),
        "name": ("VARCHAR", 100, True),
        "password_hash": ("VARCHAR", 255, True),
        "oauth_provider": ("VARCHAR", 50, True),
        "oauth_id": ("VARCHAR", 255, True),
    },
    "exercises": {
        "id": ("INTEGER", None, False),
        "name": ("VARCHAR", 100, False),
        "category": ("ENUM", None, False),
        "subcategory": ("VARCHAR", 100, True),
        "equipment": ("ENUM", None, True),
        "image_url": ("VARCHAR", None, True),
    },
    "sessions": {
        "id": ("INTEGER", None, False),
        "user_id": ("INTEGER", None, False),
        "date": ("DATETIME", None, False),
        "notes": ("TEXT", None, True),
    },
    "templates": {
        "id": ("INTEGER", None, False),
        "name": ("VARCHAR", 100, False),
        "description": ("TEXT", None, True),
        "user_id": ("INTEGER", None, False),
    },
    "exercise_sessions": {
        "id": ("INTEGER", None, False),
        "exercise_id": ("INTEGER", None, False),
        "session_id": ("INTEGER", None, True),
        "template_id": ("INTEGER", None, True),
        "order": ("INTEGER", None, False),
    },
    "sets": {
        "id": ("INTEGER", None, False),
        "weight": ("FLOAT", None, False),
        "reps": ("INTEGER", None, False),
        "unit": ("ENUM", None, False),
        "exercise_session_id": ("INTEGER", None, False),
        "order": ("INTEGER", None, False),
    },
}

SPEC_INDEXES = {
    "users": {"ix_users_username", "ix_users_email"},
    "sessions": {"ix_sessions_user_id"},
    "templates": {"ix_templates_user_id"},
    "exercise_sessions": {
        "ix_exercise_sessions_exercise_id",
        "ix_exercise_sessions_session_id",
        "ix_exercise_sessions_template_id",
    },
    "sets": {"ix_sets_exercise_session_id"},
}

SPEC_FKS = {
    ("sessions", "user_id"): ("users", "CASCADE"),
    ("templates", "user_id"): ("users", "CASCADE"),
    ("exercise_sessions", "exercise_id"): ("exercises", "RESTRICT"),
    ("exercise_sessions", "session_id"): ("sessions", "CASCADE"),
    ("exercise_sessions", "template_id"): ("templates", "CASCADE"),
    ("sets", "exercise_session_id"): ("exercise_sessions", "CASCADE"),
}


def _kind(coltype) -> str:
    name = type(coltype).__name__.upper()
    if "ENUM" in name:
        return "ENUM"
    if name in ("DOUBLE_PRECISION", "DOUBLE", "REAL", "FLOAT"):
        return "FLOAT"
    if name in ("TIMESTAMP", "DATETIME"):
        return "DATETIME"
    return name


@pytest.fixture
def engine(services):
    return services.db.engine


def test_tables_and_columns_match_the_spec(engine):
    insp = inspect(engine)
    assert set(SPEC_COLUMNS) <= set(insp.get_table_names())
    for table, columns in SPEC_COLUMNS.items():
        actual = {c["name"]: c for c in insp.get_columns(table)}
        for name, (kind, length, nullable) in columns.items():
            col = actual[name]
            got = _kind(col["type"])
            if engine.dialect.name == "sqlite" and kind == "ENUM":
                assert got == "VARCHAR", (table, name, got)  # enforced by a CHECK, below
            else:
                assert got == kind, (table, name, got)
            if length:
                assert col["type"].length == length, (table, name)
            assert col["nullable"] is nullable, (table, name)
        # An extension is nullable or has a server default: an INSERT written to the spec still works.
        extra_not_null = [
            c for c in actual
            if c not in columns and not actual[c]["nullable"] and actual[c].get("default") is None
        ]
        assert not extra_not_null, f"extension columns must be nullable or defaulted: {table}.{extra_not_null}"


def test_spec_indexes_exist(engine):
    insp = inspect(engine)
    for table, names in SPEC_INDEXES.items():
        assert names <= {ix["name"] for ix in insp.get_indexes(table)}, table
    uniques = {ix["name"] for ix in insp.get_indexes("users") if ix["unique"]}
    assert {"ix_users_username", "ix_users_email"} <= uniques


def test_foreign_keys_and_cascades(engine):
    insp = inspect(engine)
    found = {}
    for table in {t for t, _ in SPEC_FKS}:
        for fk in insp.get_foreign_keys(table):
            for col in fk["constrained_columns"]:
                found[(table, col)] = (fk["referred_table"], (fk["options"].get("ondelete") or "").upper())
    for key, expected in SPEC_FKS.items():
        assert found[key] == expected, key


def _insert_user(conn, name="u1"):
    return conn.execute(
        text("INSERT INTO users (username, email) VALUES (:u, :e) RETURNING id"),
        {"u": name, "e": f"{name}@x.io"},
    ).scalar_one()


def _insert_session(conn, user_id):
    return conn.execute(
        text("INSERT INTO sessions (user_id) VALUES (:u) RETURNING id"), {"u": user_id}
    ).scalar_one()


def _insert_entry(conn, exercise_id, session_id=None, template_id=None, order=1):
    return conn.execute(
        text(
            'INSERT INTO exercise_sessions (exercise_id, session_id, template_id, "order") '
            "VALUES (:e, :s, :t, :o) RETURNING id"
        ),
        {"e": exercise_id, "s": session_id, "t": template_id, "o": order},
    ).scalar_one()


def _an_exercise(conn):
    return conn.execute(text("SELECT id FROM exercises ORDER BY id LIMIT 1")).scalar_one()


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO exercises (name, category) VALUES ('x', 'cardio')",
        "INSERT INTO exercises (name, category, equipment) VALUES ('x', 'chest', 'cable')",
        "INSERT INTO exercises (name) VALUES ('x')",
    ],
)
def test_database_refuses_invalid_enums(engine, sql):
    with pytest.raises(Exception), engine.begin() as conn:  # noqa: B017 - DataError or IntegrityError
        conn.execute(text(sql))


def test_database_checks_sets(engine):
    with engine.begin() as conn:
        user = _insert_user(conn)
        entry = _insert_entry(conn, _an_exercise(conn), session_id=_insert_session(conn, user))
    bad = [(-1, 5, "kg"), (10, 0, "kg"), (10, -3, "kg"), (10, 5, "lbs")]
    for weight, reps, unit in bad:
        with pytest.raises(Exception), engine.begin() as conn:  # noqa: B017
            conn.execute(
                text('INSERT INTO sets (weight, reps, unit, exercise_session_id, "order") VALUES (:w, :r, :u, :e, 1)'),
                {"w": weight, "r": reps, "u": unit, "e": entry},
            )
    with engine.begin() as conn:  # bodyweight is fine
        conn.execute(
            text('INSERT INTO sets (weight, reps, unit, exercise_session_id, "order") VALUES (0, 1, \'kg\', :e, 1)'),
            {"e": entry},
        )


def test_exactly_one_parent(engine):
    with engine.begin() as conn:
        user = _insert_user(conn)
        sid = _insert_session(conn, user)
        tid = conn.execute(
            text("INSERT INTO templates (name, user_id) VALUES ('t', :u) RETURNING id"), {"u": user}
        ).scalar_one()
        ex = _an_exercise(conn)
    for parents in ({}, {"session_id": sid, "template_id": tid}):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert_entry(conn, ex, **parents)


def test_session_date_defaults_to_now(engine):
    with engine.begin() as conn:
        sid = _insert_session(conn, _insert_user(conn))
        assert conn.execute(text("SELECT date FROM sessions WHERE id = :i"), {"i": sid}).scalar() is not None


def test_username_unique(engine):
    with engine.begin() as conn:
        _insert_user(conn, "same")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, email) VALUES ('same', 'other@x.io')"))


def test_cascades_and_restrict(engine):
    with engine.begin() as conn:
        user = _insert_user(conn)
        ex = _an_exercise(conn)
        sid = _insert_session(conn, user)
        entry = _insert_entry(conn, ex, session_id=sid)
        conn.execute(
            text('INSERT INTO sets (weight, reps, unit, exercise_session_id, "order") VALUES (50, 5, \'kg\', :e, 1)'),
            {"e": entry},
        )
    # An exercise in use cannot be deleted.
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("DELETE FROM exercises WHERE id = :i"), {"i": ex})
    # Deleting the user takes sessions, entries and sets with it.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE id = :i"), {"i": user})
    with engine.connect() as conn:
        for table in ("sessions", "exercise_sessions", "sets"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
        assert conn.execute(text("SELECT count(*) FROM exercises WHERE id = :i"), {"i": ex}).scalar() == 1


def test_sqlite_connection_settings(services):
    if not services.db.is_sqlite:
        pytest.skip("SQLite only")
    with services.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_catalogue_seeded_once(services):
    from overload_tui.db import migrate
    from overload_tui.db.catalogue import CATALOGUE

    with services.db.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM exercises")).scalar()
        cats = {r[0] for r in conn.execute(text("SELECT DISTINCT category FROM exercises"))}
        equip = {r[0] for r in conn.execute(text("SELECT DISTINCT equipment FROM exercises WHERE equipment IS NOT NULL"))}
    assert count == len(CATALOGUE) >= 120
    assert cats == {"chest", "back", "legs", "shoulders", "arms", "core"}
    assert equip == {"machine", "dumbbell", "barbell", "bodyweight", "kettlebell", "resistance_band"}
    assert migrate.upgrade(services.db) == 0
    with services.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM exercises")).scalar() == count
