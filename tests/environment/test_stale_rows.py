"""Issue 17: a row deleted by another terminal in the middle of a change.

``update_set`` and ``set_entry_notes`` read the row, then flush an UPDATE of it; when another
terminal deleted the row in between, SQLAlchemy raised ``StaleDataError`` ("Unexpected error:
StaleDataError", seen on PostgreSQL). ``ServiceBase._tx`` now maps it to ``NotFoundError`` with a
"deleted elsewhere" line, so no service path can surface it.

The race is forced, not hoped for: a hook runs the other terminal's deletion just before this
terminal's UPDATE reaches the database. On PostgreSQL the other terminal is a second Database (its
own connection). On SQLite a write transaction holds the file's lock from its first statement
(BEGIN IMMEDIATE), so no other terminal can delete mid-call; the deletion runs on the same
connection instead, which leaves the UPDATE matching no row exactly as on PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from overload_tui.db.engine import Database
from overload_tui.domain.errors import NotFoundError
from overload_tui.services.workouts import WorkoutService


def _before_update(services, table: str, delete) -> callable:
    """Run ``delete(cursor)`` once, just before this terminal's UPDATE of ``table``."""
    engine = services.db.engine
    fired: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.lstrip().upper().startswith(f"UPDATE {table.upper()} "):
            fired.append(statement)
            delete(cursor)

    event.listen(engine, "before_cursor_execute", before)
    return lambda: (event.remove(engine, "before_cursor_execute", before), fired)[1]


def _deleter(services, alice, sql: str, other_call):
    """Another terminal's deletion on PostgreSQL, the same connection's on SQLite."""
    if services.db.is_sqlite:
        return (lambda cursor: cursor.execute(sql)), (lambda: None)
    other_db = Database.connect(services.db.url.render_as_string(hide_password=False))
    other = WorkoutService(other_db, alice.id)
    return (lambda cursor: other_call(other)), other_db.dispose


@pytest.fixture
def logged(services, alice):
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    entry = ws.add_entry(bench.id, session_id=ws.start_session().id)
    sets = [ws.add_set(entry.id, 60, r) for r in (1, 2, 3)]
    return ws, entry, sets


def test_a_set_deleted_while_being_changed_is_not_found(services, alice, logged):
    ws, entry, sets = logged
    delete, close = _deleter(
        services, alice, f"DELETE FROM sets WHERE id = {sets[1].id}", lambda other: other.delete_set(sets[1].id)
    )
    try:
        done = _before_update(services, "sets", delete)
        with pytest.raises(NotFoundError, match="deleted elsewhere"):
            ws.update_set(sets[1].id, weight=70, reps=8)
        assert done(), "the race was not forced"
    finally:
        close()
    left = {s.id: (s.reps) for s in ws.get_entry(entry.id).sets}
    assert left[sets[0].id] == 1 and left[sets[2].id] == 3  # the others untouched
    if not services.db.is_sqlite:
        assert sets[1].id not in left  # the other terminal's deletion stands


def test_an_exercise_deleted_while_its_notes_change_is_not_found(services, alice, logged):
    ws, entry, sets = logged
    delete, close = _deleter(
        services,
        alice,
        f"DELETE FROM exercise_sessions WHERE id = {entry.id}",
        lambda other: other.remove_entry(entry.id),
    )
    try:
        done = _before_update(services, "exercise_sessions", delete)
        with pytest.raises(NotFoundError, match="deleted elsewhere"):
            ws.set_entry_notes(entry.id, "felt heavy")
        assert done(), "the race was not forced"
    finally:
        close()
    if services.db.is_sqlite:  # the same transaction's deletion was rolled back with it
        assert ws.get_entry(entry.id).notes in (None, "")
    else:
        with pytest.raises(NotFoundError):
            ws.get_entry(entry.id)
