"""Issue 17: several terminals moving, deleting and adding one exercise's sets (and one workout's
exercises) at the same moment.

On PostgreSQL this raised SQLAlchemy's StaleDataError ("Unexpected error: StaleDataError"): a move
read the sets, another terminal deleted one, and the move's UPDATE of the deleted row matched
nothing. Now every change to a parent's children locks the parent row first, a set or exercise
deleted elsewhere is a NotFoundError, the unique (parent, order) index holds throughout, and a move
leaves the orders 1..n without a gap (a deletion keeps the others' places until then, as it always
did: see test_workouts and the backup tests).

Each worker is a thread with its own Database (its own connections), as another terminal would be.
"""

from __future__ import annotations

import random
import threading

import pytest

from sqlalchemy import select

from overload_tui.db.engine import Database
from overload_tui.db.models import ExerciseSession, Set
from overload_tui.domain.errors import NotFoundError
from overload_tui.services.workouts import WorkoutService

WORKERS = 4
ROUNDS = 60


def _hammer(url: str, user_id: int, seed: int, go: threading.Barrier, step, failures: list, found: list) -> None:
    db = Database.connect(url)
    ws = WorkoutService(db, user_id)
    rnd = random.Random(seed)
    try:
        go.wait(timeout=30)
        for _ in range(ROUNDS):
            try:
                step(ws, rnd)
            except NotFoundError as error:  # deleted by another terminal: typed, and said so
                found.append(error)
            except Exception as error:  # noqa: BLE001 - what the test is about
                failures.append(f"{type(error).__name__}: {error}")
    finally:
        db.dispose()


def _run(services, user_id: int, step) -> tuple[list, list]:
    url = services.db.url.render_as_string(hide_password=False)
    go = threading.Barrier(WORKERS)
    failures: list = []
    found: list = []
    threads = [
        threading.Thread(target=_hammer, args=(url, user_id, seed, go, step, failures, found))
        for seed in range(WORKERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return failures, found


def _orders(services, model, parent_col, parent_id) -> list[int]:
    with services.db.read() as s:
        return list(s.scalars(select(model.order).where(parent_col == parent_id).order_by(model.order)))


def _assert_places(services, model, parent_col, parent_id) -> None:
    """Every child has a place of its own, above zero (none left stepped aside mid-move)."""
    orders = _orders(services, model, parent_col, parent_id)
    assert orders and len(set(orders)) == len(orders) and all(o > 0 for o in orders)


def test_sets_of_one_exercise_moved_deleted_and_added_at_once(services, alice):
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    entry = ws.add_entry(bench.id, session_id=ws.start_session().id)
    for reps in range(1, 13):
        ws.add_set(entry.id, 60, reps)

    def step(mine: WorkoutService, rnd: random.Random) -> None:
        sets = mine.get_entry(entry.id).sets
        action = rnd.choice(("move", "move", "delete", "add"))
        if action == "add" or len(sets) < 3:
            mine.add_set(entry.id, 60, rnd.randint(1, 20))
        elif action == "delete":
            mine.delete_set(rnd.choice(sets).id)
        else:
            mine.move_set(rnd.choice(sets).id, rnd.randrange(len(sets)))

    failures, found = _run(services, alice.id, step)
    assert failures == []
    for error in found:
        assert str(error)  # a message for the user, never empty
    _assert_places(services, Set, Set.exercise_session_id, entry.id)
    sets = ws.get_entry(entry.id).sets
    ws.move_set(sets[-1].id, 0)
    assert _orders(services, Set, Set.exercise_session_id, entry.id) == list(range(1, len(sets) + 1))
    assert [s.id for s in ws.get_entry(entry.id).sets] == [sets[-1].id] + [s.id for s in sets[:-1]]


def test_sets_moved_and_added_at_once_stay_one_to_n(services, alice):
    """Without deletions nothing ever leaves a gap: the orders are 1..n after every race."""
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    entry = ws.add_entry(bench.id, session_id=ws.start_session().id)
    for reps in range(1, 6):
        ws.add_set(entry.id, 60, reps)

    def step(mine: WorkoutService, rnd: random.Random) -> None:
        sets = mine.get_entry(entry.id).sets
        if rnd.random() < 0.3:
            mine.add_set(entry.id, 60, rnd.randint(1, 20))
        else:
            mine.move_set(rnd.choice(sets).id, rnd.randrange(len(sets)))

    failures, _ = _run(services, alice.id, step)
    assert failures == []
    orders = _orders(services, Set, Set.exercise_session_id, entry.id)
    assert orders == list(range(1, len(orders) + 1))
    assert len(orders) >= 5


def test_exercises_of_one_workout_moved_removed_and_added_at_once(services, alice):
    ws = services.workouts(alice.id)
    exercises = ws.search_exercises("press", limit=6)
    session = ws.start_session()
    for ex in exercises:
        ws.add_entry(ex.id, session_id=session.id)

    def step(mine: WorkoutService, rnd: random.Random) -> None:
        entries = mine.get_session(session.id).entries
        action = rnd.choice(("move", "move", "remove", "add", "set"))
        if action == "add" or len(entries) < 3:
            mine.add_entry(rnd.choice(exercises).id, session_id=session.id)
        elif action == "remove":
            mine.remove_entry(rnd.choice(entries).id)
        elif action == "set":
            mine.add_set(rnd.choice(entries).id, 40, 5)
        else:
            mine.move_entry(rnd.choice(entries).id, rnd.randrange(len(entries)))

    failures, found = _run(services, alice.id, step)
    assert failures == []
    _assert_places(services, ExerciseSession, ExerciseSession.session_id, session.id)
    ids = [e.id for e in ws.get_session(session.id).entries]
    if len(ids) > 1:
        ws.move_entry(ids[-1], 0)
        assert _orders(services, ExerciseSession, ExerciseSession.session_id, session.id) == list(
            range(1, len(ids) + 1)
        )


def _meanwhile(services, action) -> None:
    """Run ``action`` (another terminal's change) once, just before this terminal's next
    SELECT ... FOR UPDATE: after it has read what it will change, before it holds the lock."""
    from sqlalchemy import event

    engine = services.db.engine
    fired = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not fired and "FOR UPDATE" in statement:
            fired.append(statement)
            action()

    event.listen(engine, "before_cursor_execute", before)
    return lambda: (event.remove(engine, "before_cursor_execute", before), fired)[1]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_set_deleted_while_being_moved_is_not_found(services, alice):
    """The race of the report made certain: the move has read the set, another terminal deletes
    it, then the move locks the exercise. Was StaleDataError; now NotFoundError."""
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    entry = ws.add_entry(bench.id, session_id=ws.start_session().id)
    sets = [ws.add_set(entry.id, 60, r) for r in (1, 2, 3)]
    other_db = Database.connect(services.db.url.render_as_string(hide_password=False))
    other = WorkoutService(other_db, alice.id)
    try:
        done = _meanwhile(services, lambda: other.delete_set(sets[1].id))
        with pytest.raises(NotFoundError):
            ws.move_set(sets[1].id, 0)
        assert done()
    finally:
        other_db.dispose()
    assert [(s.id, s.order) for s in ws.get_entry(entry.id).sets] == [(sets[0].id, 1), (sets[2].id, 3)]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_exercise_removed_while_being_moved_is_not_found(services, alice):
    ws = services.workouts(alice.id)
    exercises = ws.search_exercises("press", limit=3)
    session = ws.start_session()
    entries = [ws.add_entry(ex.id, session_id=session.id) for ex in exercises]
    other_db = Database.connect(services.db.url.render_as_string(hide_password=False))
    other = WorkoutService(other_db, alice.id)
    try:
        done = _meanwhile(services, lambda: other.remove_entry(entries[1].id))
        with pytest.raises(NotFoundError):
            ws.move_entry(entries[1].id, 0)
        assert done()
    finally:
        other_db.dispose()
    assert [e.id for e in ws.get_session(session.id).entries] == [entries[0].id, entries[2].id]


def test_a_deleted_set_or_exercise_is_not_found_again(services, alice):
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    session = ws.start_session()
    entry = ws.add_entry(bench.id, session_id=session.id)
    sets = [ws.add_set(entry.id, 60, r) for r in (1, 2, 3)]
    ws.delete_set(sets[1].id)
    for attempt in (lambda: ws.move_set(sets[1].id, 0), lambda: ws.delete_set(sets[1].id)):
        with pytest.raises(NotFoundError):
            attempt()
    ws.remove_entry(entry.id)
    for attempt in (
        lambda: ws.move_entry(entry.id, 0),
        lambda: ws.remove_entry(entry.id),
        lambda: ws.move_set(sets[0].id, 1),
        lambda: ws.add_set(entry.id, 60, 5),
    ):
        with pytest.raises(NotFoundError):
            attempt()
