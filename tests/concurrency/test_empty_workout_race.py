"""Issue 17: leaving an empty workout drops it only if it is still empty as the drop happens.

The logging screen used to read the workout, see it empty, then delete it in a second
transaction: an exercise another terminal added in between went with it (the delete cascades).
``delete_session_if_empty`` judges and deletes in one transaction with the workout locked."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from overload_tui.db.engine import Database
from overload_tui.db.models import ExerciseSession


def _entries(services, session_id: int) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).where(ExerciseSession.session_id == session_id))


def test_only_a_still_empty_workout_is_dropped(services, alice):
    ws = services.workouts(alice.id)
    squat = ws.search_exercises("Squat (Barbell)")[0]
    empty, filled, named = ws.start_session(), ws.start_session(), ws.start_session()
    services.workouts(alice.id).add_entry(squat.id, session_id=filled.id)  # "another terminal"
    ws.update_session(named.id, name="Deload day")
    assert [ws.delete_session_if_empty(x.id) for x in (empty, filled, named)] == [True, False, False]
    assert _entries(services, filled.id) == 1
    assert {x.id for x in ws.list_sessions()} == {filled.id, named.id}


def test_an_exercise_added_while_the_drop_waits_is_kept(services, alice, database_url):
    if services.db.is_sqlite:
        pytest.skip("PostgreSQL: SQLite runs one write transaction at a time (the first test covers it)")
    ws = services.workouts(alice.id)
    session = ws.start_session()
    squat = ws.search_exercises("Squat (Barbell)")[0]
    other = Database.connect(database_url)
    result: list[bool] = []
    try:
        with other.engine.connect() as conn:  # another terminal, half-way through add_entry
            tx = conn.begin()
            conn.execute(text("SELECT id FROM sessions WHERE id = :id FOR UPDATE"), {"id": session.id})
            conn.execute(text('INSERT INTO exercise_sessions (exercise_id, session_id, "order") '
                              "VALUES (:e, :s, 1)"), {"e": squat.id, "s": session.id})
            dropper = threading.Thread(target=lambda: result.append(ws.delete_session_if_empty(session.id)))
            dropper.start()
            with services.db.engine.connect() as watch:  # wait until the drop waits on the lock
                for _ in range(2000):
                    waiting = watch.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
                    if waiting or not dropper.is_alive():
                        break
                    watch.execute(text("SELECT pg_sleep(0.01)"))
            tx.commit()
            dropper.join(timeout=60)
    finally:
        other.dispose()
    assert result == [False]
    assert _entries(services, session.id) == 1
