"""Sets typed while the database is down survive a kill: each is in the lifter's local journal
(fsync'd, 0600, per lifter and database) before it is shown pending, and the next logbook opened
sends them in order, exactly once (their client ids), on both databases."""

from __future__ import annotations

import stat

import pytest

from overload_tui.domain.errors import DatabaseUnavailableError
from overload_tui.services.journal import Journal
from overload_tui.services.logbook import Logbook
from overload_tui.services.workouts import WorkoutService

REAL_ADD_SET = WorkoutService.add_set


@pytest.fixture
def book(services, alice, ws):
    def make(session_id: int) -> Logbook:
        logbook = Logbook(ws, services.progress(alice.id), services.settings(alice.id), session_id)
        logbook.open()
        return logbook
    return make


@pytest.fixture
def workout(ws):
    return ws.start_session(name="Legs").id


def reps(ws, sid: int) -> list[tuple[float, int]]:
    return [(s.weight, s.reps) for e in ws.get_session(sid).entries for s in e.sets]


def journal_of(services, user_id: int) -> Journal:
    return Journal.for_user(services.db, user_id)


def test_sets_typed_while_down_are_saved_once_in_order_after_a_kill(services, alice, ws, book, workout, monkeypatch):
    b = book(workout)
    b.submit("squat barbell")
    journal = journal_of(services, alice.id)
    seen_on_disk: list[int] = []

    def down(self, *args, client_id=None, **kwargs):
        seen_on_disk.append(sum(item.client_id == client_id for item in journal.waiting()))
        raise DatabaseUnavailableError("The database is not answering.")

    monkeypatch.setattr(WorkoutService, "add_set", down)
    for line in ("100x5", "102.5x4", "105x3"):
        view = b.submit(line)
    assert view.pending == 3 and seen_on_disk == [1]  # journaled before the first send was tried
    assert [(s.values.weight, s.values.reps) for s in journal.waiting()] == [(100, 5), (102.5, 4), (105, 3)]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700
    del b  # killed: nothing in memory survives

    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    view = book(workout).open()
    assert view.pending == 0 and "Saved 3 sets" in view.status.text
    assert reps(ws, workout) == [(100, 5), (102.5, 4), (105, 3)]
    assert journal.waiting() == [] and not journal.path.exists()  # compacted away
    book(workout)
    assert reps(ws, workout) == [(100, 5), (102.5, 4), (105, 3)]


def test_a_set_saved_before_the_kill_but_not_confirmed_is_not_saved_again(services, alice, ws, book, workout,
                                                                           monkeypatch):
    b = book(workout)
    b.submit("squat barbell")

    def saved_then_lost(self, *args, **kwargs):
        REAL_ADD_SET(self, *args, **kwargs)
        raise DatabaseUnavailableError("Lost the connection while saving.", maybe_saved=True)

    monkeypatch.setattr(WorkoutService, "add_set", saved_then_lost)
    assert b.submit("100x5").pending == 1
    del b
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    book(workout)
    book(workout)
    assert reps(ws, workout) == [(100, 5)]


def test_a_maybe_saved_set_is_never_taken_for_a_lookalike(services, alice, ws, book, workout, monkeypatch):
    """Lost during COMMIT and in fact not saved; meanwhile another terminal logged the same
    100x5. The resend saves this one (a look-alike is not it): two sets."""
    b = book(workout)
    view = b.submit("squat barbell")

    def lost_before_commit(self, *args, **kwargs):
        raise DatabaseUnavailableError("Lost the connection while saving.", maybe_saved=True)

    monkeypatch.setattr(WorkoutService, "add_set", lost_before_commit)
    assert b.submit("100x5").pending == 1
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    ws.add_set(view.exercises[0].entry_id, 100, 5, "kg")  # the other terminal
    view = b.resend()
    assert view.pending == 0 and reps(ws, workout) == [(100, 5), (100, 5)]


def test_edits_and_drops_while_waiting_are_journaled(services, alice, ws, book, workout, monkeypatch):
    b = book(workout)
    b.submit("squat barbell")
    monkeypatch.setattr(WorkoutService, "add_set", lambda self, *a, **k: (_ for _ in ()).throw(
        DatabaseUnavailableError("down")))
    for line in ("100x5", "100x4", "100x3", "#2 90x6"):
        b.submit(line)
    b.rows_mode(True, 2)
    b.delete_cursor()
    assert b.delete_cursor().pending == 2
    del b
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    book(workout)
    assert reps(ws, workout) == [(100, 5), (90, 6)]


def test_a_torn_last_line_is_skipped(services, alice, ws, book, workout, monkeypatch):
    b = book(workout)
    b.submit("squat barbell")
    monkeypatch.setattr(WorkoutService, "add_set", lambda self, *a, **k: (_ for _ in ()).throw(
        DatabaseUnavailableError("down")))
    b.submit("100x5")
    journal = journal_of(services, alice.id)
    with journal.path.open("ab") as fh:
        fh.write(b'{"op":"add","client_id":"x","sess')  # killed mid-write
    del b
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    book(workout)
    assert reps(ws, workout) == [(100, 5)]


def test_the_journal_is_per_lifter_and_database(services, alice, bob, ws, book, workout, monkeypatch):
    b = book(workout)
    b.submit("squat barbell")
    monkeypatch.setattr(WorkoutService, "add_set", lambda self, *a, **k: (_ for _ in ()).throw(
        DatabaseUnavailableError("down")))
    b.submit("100x5")
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    theirs = services.workouts(bob.id)
    Logbook(theirs, services.progress(bob.id), services.settings(bob.id), theirs.start_session().id).open()
    assert reps(ws, workout) == [] and len(journal_of(services, alice.id).waiting()) == 1
    assert journal_of(services, alice.id).path != journal_of(services, bob.id).path
    book(workout)
    assert reps(ws, workout) == [(100, 5)]


def test_a_journal_left_by_a_run_is_sent_when_another_workout_is_opened(services, alice, ws, book, workout,
                                                                         monkeypatch):
    b = book(workout)
    b.submit("squat barbell")
    monkeypatch.setattr(WorkoutService, "add_set", lambda self, *a, **k: (_ for _ in ()).throw(
        DatabaseUnavailableError("down")))
    b.submit("100x5")
    b.submit("100x4")
    del b
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    book(ws.start_session().id)
    assert reps(ws, workout) == [(100, 5), (100, 4)]


def test_a_journal_that_cannot_be_written_is_said_with_the_waiting_sets(services, alice, ws, workout, tmp_path,
                                                                        monkeypatch):
    b = Logbook(ws, services.progress(alice.id), services.settings(alice.id), workout,
                journal=Journal(tmp_path / "gone" / "journal.jsonl"))
    b.open()
    b.submit("squat barbell")
    monkeypatch.setattr(WorkoutService, "add_set", lambda self, *a, **k: (_ for _ in ()).throw(
        DatabaseUnavailableError("down")))
    view = b.submit("100x5")
    assert view.pending == 1 and view.status.error and "Not kept on disk" in view.status.text
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    assert b.resend().pending == 0 and reps(ws, workout) == [(100, 5)]


def test_only_what_a_crash_must_not_lose_is_fsynced(services, alice, monkeypatch):
    """A set typed and a set dropped are on disk when the call returns; a saved set's done line
    is not forced (lost, it only resends a set its client id makes a no-op): one fsync per set
    logged, not two."""
    import os

    from overload_tui.domain.enums import Unit
    from overload_tui.services import journal as journal_module
    from overload_tui.services.dto import SetInfo

    journal = journal_of(services, alice.id)
    journal.add("warm-up", 1, 1, SetInfo(0, 0, 60.0, 5, Unit.KG))  # the file exists: no directory fsync below
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(journal_module.os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    journal.add("a", 1, 1, SetInfo(0, 0, 100.0, 5, Unit.KG))
    assert len(synced) == 1
    journal.done("a", saved=True)
    assert len(synced) == 1
    journal.done("warm-up", saved=False)
    assert len(synced) == 2
    assert journal.waiting() == []
