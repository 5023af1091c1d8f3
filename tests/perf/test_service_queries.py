"""The aggregated service queries (history list, exercise history, last time, progress series,
records, best sets) give exactly what the straightforward per-set computation gives, on a
varied history, on both databases; and their statement counts do not grow with the history.

The references are built from ``get_session`` (the ORM path) and the pure domain functions, so
they share no SQL with the code under test."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import Unit
from overload_tui.domain.records import SetRecord, best_sets, compute_records
from overload_tui.domain.volume import session_volume
from overload_tui.services.dto import HistorySession
from overload_tui.services.progress import ProgressPoint

START = datetime(2023, 3, 1, 17, 30)


@dataclass
class History:
    ws: object
    progress: object
    session_ids: list[int]
    exercises: dict[str, int]


def _ex(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


def _fill(ws, rng: random.Random, sessions: int, exercises: dict[str, int]) -> list[int]:
    ids = []
    names = list(exercises)
    for n in range(sessions):
        # Some sessions share a date exactly (paging ties go by id), some are back-filled.
        when = START + timedelta(days=n // 2 if n % 5 else n // 2 - 1, hours=0 if n % 3 else 1)
        sess = ws.start_session(when, name=f"W{n}" if n % 4 else None, notes="n" if n % 6 == 0 else None)
        ids.append(sess.id)
        if n == 7:
            continue  # a workout with no exercise
        picked = rng.sample(names, k=rng.randint(1, len(names)))
        if n % 9 == 0:
            picked.append(picked[0])  # the same exercise twice in one workout
        for name in picked:
            entry = ws.add_entry(exercises[name], session_id=sess.id)
            if n % 11 == 3:
                continue  # an exercise with no set yet
            for k in range(rng.randint(1, 5)):
                unit = "stacks" if name == "Lat Pulldown (Cable)" or (name == "Squat (Barbell)" and n % 13 == 5) else "kg"
                set_type = rng.choice([None, None, None, "warmup", "drop", "failure"]) if k < 3 else None
                weight = rng.choice([0, 20, 42.5, 60, 61.25, 80, 100, 100, 102.5, 120.125])
                if unit == "stacks":
                    weight = rng.randint(1, 15)
                reps = rng.choice([1, 1, 3, 5, 5, 8, 10, 12, 15, 20, 36, 40])
                rpe = rng.choice([None, 7, 8.5, 10])
                ws.add_set(entry.id, weight, reps, unit, set_type=set_type, rpe=rpe)
    return ids


@pytest.fixture
def history(services, alice, bob):
    rng = random.Random(7)
    ws = services.workouts(alice.id)
    names = ["Squat (Barbell)", "Bench Press (Barbell)", "Lat Pulldown (Cable)", "Deadlift (Barbell)"]
    exercises = {name: _ex(ws, name).id for name in names}
    ids = _fill(ws, rng, 36, exercises)
    # Template target sets are never history; bob's workouts are never alice's.
    tpl = ws.create_template("Legs")
    entry = ws.add_entry(exercises["Squat (Barbell)"], template_id=tpl.id)
    ws.add_set(entry.id, 500, 50)
    _fill(services.workouts(bob.id), random.Random(8), 8, exercises)
    return History(ws, services.progress(alice.id), ids, exercises)


def count_statements(services, fn):
    statements = []

    def listener(conn, cursor, statement, *rest):
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    return result, len(statements)


# -- references ---------------------------------------------------------------------------------
def _sessions(h: History):
    return sorted((h.ws.get_session(i) for i in h.session_ids), key=lambda s: (s.date, s.id))


def ref_history(h: History, exercise_id: int, since: datetime | None = None) -> list[HistorySession]:
    out = []
    for sess in _sessions(h):
        if since is not None and sess.date < since:
            continue
        sets = tuple(st for e in sess.entries if e.exercise.id == exercise_id for st in e.sets)
        if sets:
            out.append(HistorySession(sess.id, sess.date, sets))
    return out


def ref_working(h: History, exercise_id: int) -> list[SetRecord]:
    return [
        SetRecord(hs.session_id, hs.date, st.weight, st.reps, st.unit, st.id)
        for hs in ref_history(h, exercise_id)
        for st in hs.sets
        if st.set_type != "warmup"
    ]


def ref_series(h: History, exercise_id: int, formula: Formula, since=None, unit=None) -> list[ProgressPoint]:
    """progress_series as it was: per-set objects grouped in Python."""
    history = ref_working(h, exercise_id)
    if not history:
        return []
    chosen = Unit(unit) if unit else history[-1].unit
    by_session: dict[int, list[SetRecord]] = {}
    for r in history:
        if r.unit is chosen and (since is None or r.date >= since):
            by_session.setdefault(r.session_id, []).append(r)
    points = []
    for sets in by_session.values():
        best = max(sets, key=lambda r: estimate_1rm(r.weight, r.reps, formula))
        points.append(ProgressPoint(
            session_id=sets[0].session_id, date=sets[0].date, unit=sets[0].unit,
            best_e1rm=round(estimate_1rm(best.weight, best.reps, formula), 3), best_e1rm_reps=best.reps,
            heaviest=max(r.weight for r in sets), volume=session_volume(sets).get(sets[0].unit, 0.0),
            sets=len(sets),
        ))
    return points


# -- the history list ---------------------------------------------------------------------------
def test_list_sessions_pages_match_the_workouts(services, history):
    expected = []
    for sess in sorted(_sessions(history), key=lambda s: (s.date, s.id), reverse=True):
        sets = [st for e in sess.entries for st in e.sets]
        expected.append((
            sess.id, sess.date, sess.name, sess.notes, sess.finished_at, len(sess.entries), len(sets),
            round(sum(st.weight * st.reps for st in sets if st.unit is Unit.KG), 6),
            round(sum(st.weight * st.reps for st in sets if st.unit is Unit.STACKS), 6),
            tuple(e.exercise.name for e in sess.entries),
        ))
    got, before, counts = [], None, set()
    while True:
        page, n = count_statements(services, lambda: history.ws.list_sessions(limit=7, before=before))
        counts.add(n)
        got += [(s.id, s.date, s.name, s.notes, s.finished_at, s.exercise_count, s.set_count,
                 round(s.volume_kg, 6), round(s.volume_stacks, 6), s.exercise_names) for s in page]
        if len(page) < 7:
            break
        before = (page[-1].date, page[-1].id)
    assert got == expected
    assert counts == {2}
    assert history.ws.list_sessions(limit=0) == []


# -- exercise history and last time ---------------------------------------------------------------
def test_exercise_history_matches_the_workouts(services, history):
    for name, exercise_id in history.exercises.items():
        got, n = count_statements(services, lambda: history.ws.exercise_history(exercise_id))
        assert got == ref_history(history, exercise_id), name
        assert n == 1
        since = START + timedelta(days=9)
        assert history.ws.exercise_history(exercise_id, since=since) == ref_history(history, exercise_id, since)
    assert history.ws.exercise_history(_ex(history.ws, "Plank").id) == []


def test_last_performance_matches_the_workouts(services, history):
    for exercise_id in history.exercises.values():
        ref = ref_history(history, exercise_id)
        got, n = count_statements(services, lambda: history.ws.last_performance(exercise_id))
        assert got == ref[-1] and n <= 2
        assert history.ws.last_performance(exercise_id, exclude_session_id=ref[-1].session_id) == ref[-2]
        assert history.ws.last_performance(exercise_id, before=ref[3].date) == [
            r for r in ref if r.date <= ref[3].date][-1]
    assert history.ws.last_performance(_ex(history.ws, "Plank").id) is None


# -- progress -----------------------------------------------------------------------------------
@pytest.mark.parametrize("formula", list(Formula))
def test_progress_series_matches_the_per_set_computation(services, alice, history, formula):
    services.settings(alice.id).update(e1rm_formula=formula.value)
    for name, exercise_id in history.exercises.items():
        got, n = count_statements(services, lambda: history.progress.progress_series(exercise_id))
        assert got == ref_series(history, exercise_id, formula), name
        assert n == 2
        for unit in ("kg", "stacks"):
            assert history.progress.progress_series(exercise_id, unit=unit) == ref_series(
                history, exercise_id, formula, unit=unit)
        since = START + timedelta(days=9)
        assert history.progress.progress_series(exercise_id, since=since) == ref_series(
            history, exercise_id, formula, since=since)


@pytest.mark.parametrize("formula", list(Formula))
def test_records_and_best_sets_match_the_domain_rules(services, alice, history, formula):
    services.settings(alice.id).update(e1rm_formula=formula.value)
    for name, exercise_id in history.exercises.items():
        working = ref_working(history, exercise_id)
        got, n = count_statements(services, lambda: history.progress.records(exercise_id))
        assert got == compute_records(working, formula), name
        assert n == 2
        other = Formula.BRZYCKI if formula is Formula.EPLEY else Formula.EPLEY
        assert history.progress.records(exercise_id, formula=other) == compute_records(working, other)
        for unit in (None, "kg", "stacks"):
            chosen = unit or working[-1].unit
            for n_best, one in ((3, True), (10, True), (5, False), (1000, False)):
                got, n = count_statements(
                    services, lambda: history.progress.best_sets(exercise_id, n_best, unit, one_per_session=one))
                assert got == best_sets(working, n_best, formula, unit=chosen, one_per_session=one), (name, unit)
                assert n == 2
