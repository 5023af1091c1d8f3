"""A set's client id (migration 0005): one set per id, whatever the resends; scoped to the lifter."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError


@pytest.fixture
def entry(ws):
    sess = ws.start_session(name="Push")
    info = ws.add_entry(ws.search_exercises("bench press", limit=1)[0].id, session_id=sess.id)
    return SimpleNamespace(id=info.id, session_id=sess.id)


def test_the_same_client_id_twice_is_one_set(ws, entry):
    cid = str(uuid.uuid4())
    first = ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    again = ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    assert again.id == first.id
    assert [s.id for s in ws.get_entry(entry.id).sets] == [first.id]
    other = ws.add_set(entry.id, 100, 5, "kg", client_id=str(uuid.uuid4()))  # a new set typed alike: saved
    assert [s.id for s in ws.get_entry(entry.id).sets] == [first.id, other.id]


def test_sets_without_a_client_id_are_many(ws, entry):
    ws.add_set(entry.id, 100, 5, "kg")
    ws.add_set(entry.id, 100, 5, "kg")
    assert len(ws.get_entry(entry.id).sets) == 2


def test_the_database_refuses_a_second_row_with_the_same_client_id(services, ws, entry):
    cid = str(uuid.uuid4())
    ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    uniques = {ix["name"]: ix for ix in inspect(services.db.engine).get_indexes("sets") if ix["unique"]}
    assert uniques["uq_sets_client_id"]["column_names"] == ["client_id"]
    with pytest.raises(IntegrityError), services.db.engine.begin() as conn:
        conn.execute(text('INSERT INTO sets (weight, reps, unit, exercise_session_id, "order", client_id)'
                          " VALUES (100, 5, 'kg', :e, 99, :c)"), {"e": entry.id, "c": cid})


def test_a_concurrent_duplicate_returns_the_set_that_won(ws, entry, monkeypatch):
    """The look-up found nothing (the other save had not committed); the unique index refuses
    the insert and the loser returns the winner's set."""
    cid = str(uuid.uuid4())
    first = ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    monkeypatch.setattr(ws, "_set_by_client_id", lambda s, c, real=ws._set_by_client_id, calls=[]:
                        None if not calls.append(1) and len(calls) == 1 else real(s, c))
    again = ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    assert again.id == first.id
    assert len(ws.get_entry(entry.id).sets) == 1


def test_another_lifter_cannot_reach_a_set_by_its_client_id(services, ws, entry, bob):
    cid = str(uuid.uuid4())
    mine = ws.add_set(entry.id, 100, 5, "kg", client_id=cid)
    theirs = services.workouts(bob.id)
    sess = theirs.start_session(name="Bob's")
    their_entry = theirs.add_entry(theirs.search_exercises("bench press", limit=1)[0].id, session_id=sess.id)
    with pytest.raises(ConflictError):  # the id is taken, and Bob is not shown whose set it is
        theirs.add_set(their_entry.id, 1, 1, "kg", client_id=cid)
    with pytest.raises(NotFoundError):  # nor can he add to Alice's entry with her id
        theirs.add_set(entry.id, 1, 1, "kg", client_id=cid)
    assert [s.id for s in ws.get_entry(entry.id).sets] == [mine.id]
    assert ws.get_entry(entry.id).sets[0].weight == 100
    assert theirs.get_entry(their_entry.id).sets == ()


@pytest.mark.parametrize("bad", ["", "x" * 37, "ab\ncd", "é"])
def test_a_client_id_is_short_printable_ascii(ws, entry, bad):
    with pytest.raises(ValidationError) as caught:
        ws.add_set(entry.id, 100, 5, "kg", client_id=bad)
    assert caught.value.field == "client_id"
