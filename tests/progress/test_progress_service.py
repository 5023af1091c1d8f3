"""ProgressService on both databases: records, new-record checks, suggestions, weekly volume,
series, and one user's history never reaching another."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from sqlalchemy import event

from overload_tui import clock
from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import Category, Unit
from overload_tui.domain.errors import NotFoundError
from overload_tui.domain.records import RecordKind, SetRecord, new_records
from overload_tui.services.progress import describe_new_records

H, E, R, V = RecordKind.HEAVIEST, RecordKind.E1RM, RecordKind.REPS_AT_WEIGHT, RecordKind.SESSION_VOLUME


def ex(ws, name):
    found = [e for e in ws.search_exercises(name) if e.name == name]
    assert found, name
    return found[0]


def log(ws, exercise_id, when, *sets, template_id=None):
    """A session at ``when`` with ``sets`` ((weight, reps) or (weight, reps, set_type)) of one
    exercise; returns (session_id, [set ids])."""
    sess = ws.start_session(when, template_id=template_id)
    entry = next((e for e in sess.entries if e.exercise.id == exercise_id), None)
    entry = entry or ws.add_entry(exercise_id, session_id=sess.id)
    ids = [ws.add_set(entry.id, s[0], s[1], set_type=(s[2] if len(s) > 2 else None)).id for s in sets]
    return sess.id, ids


def d(day, hour=18):
    return datetime(2024, 6, day, hour, 0)


@pytest.fixture
def progress(services, alice):
    return services.progress(alice.id)


def count_queries(services, fn, *args):
    statements = []

    def listener(*a, **k):
        statements.append(a[2])

    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        result = fn(*args)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    return result, len([s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))])


# -- records ------------------------------------------------------------------------------------
def test_records_with_dates(ws, progress, services, alice):
    squat = ex(ws, "Squat (Barbell)")
    s1, _ = log(ws, squat.id, d(3), (60, 5, "warmup"), (100, 5), (100, 5), (100, 5))
    s2, ids2 = log(ws, squat.id, d(5), (140, 1, "warmup"), (110, 3), (100, 8))  # warm-up never counts
    s3, _ = log(ws, squat.id, d(7), (105, 5), (105, 5), (105, 5), (105, 4))

    recs = progress.records(squat.id)
    assert recs.formula is Formula.EPLEY and [u.unit for u in recs.units] == [Unit.KG]
    kg = recs.for_unit("kg")
    assert (kg.heaviest.value, kg.heaviest.date, kg.heaviest.session_id) == (110, d(5), s2)
    assert kg.heaviest.set_id == ids2[1]
    # e1RM: 100x8 -> 126.67 beats 110x3 -> 121 and 105x5 -> 122.5.
    assert kg.best_e1rm.value == pytest.approx(100 * (1 + 8 / 30)) and kg.best_e1rm.date == d(5)
    assert (kg.best_volume.value, kg.best_volume.date) == (105 * 19, d(7))
    assert kg.most_reps_at(100).value == 8 and kg.most_reps_at(100).date == d(5)
    assert kg.most_reps_at(105).value == 5 and kg.most_reps_at(105).date == d(7)
    assert kg.most_reps_at(60) is None and kg.most_reps_at(140) is None

    best = progress.best_sets(squat.id, 2)
    assert [(b.record.session_id, b.record.weight, b.record.reps) for b in best] == [(s2, 100, 8), (s3, 105, 5)]

    services.settings(alice.id).update(e1rm_formula="brzycki")
    kg = progress.records(squat.id).for_unit("kg")
    assert kg.best_e1rm.value == pytest.approx(estimate_1rm(100, 8, "brzycki"))
    assert progress.records(squat.id, formula="epley").formula is Formula.EPLEY


def test_records_keep_units_apart_and_empty_history(ws, progress):
    pulldown = ex(ws, "Lat Pulldown (Cable)")
    log(ws, pulldown.id, d(3), (8, 12), (50, 10, None))
    assert ws.get_session(ws.list_sessions()[0].id).entries[0].sets[0].unit is Unit.STACKS
    units = progress.records(pulldown.id).units
    assert [u.unit for u in units] == [Unit.STACKS]
    assert progress.records(ex(ws, "Plank").id).units == ()
    assert progress.best_sets(ex(ws, "Plank").id) == []


# -- new records --------------------------------------------------------------------------------
def test_a_set_that_beats_a_record_is_detected(ws, progress):
    bench = ex(ws, "Bench Press (Barbell)")
    log(ws, bench.id, d(3), (100, 5), (100, 5), (100, 5))  # volume 1500
    sess = ws.start_session(d(5))
    entry = ws.add_entry(bench.id, session_id=sess.id)

    def add(weight, reps, set_type=None):
        st = ws.add_set(entry.id, weight, reps, set_type=set_type)
        return progress.check_new_records(sess.id, st.id)

    assert add(60, 10, "warmup") == []     # 60x10 would be a new e1RM: warm-ups never count
    assert add(100, 5) == []               # equal is not beating
    assert add(100, 6) == [E, R]           # 120 > 116.7 e1RM; 6 reps at 100 > 5
    assert add(105, 3) == [H]              # heavier; e1RM 115.5 < 120
    # The earlier sets of this session raised the bar for e1RM and reps; this one takes the
    # session's volume past the old best (500 + 600 + 315 + 600 = 2015 > 1500).
    assert add(100, 6) == [V]
    assert add(50, 2) == []                # the volume record is announced once
    sess2 = ws.start_session(d(7))
    entry2 = ws.add_entry(bench.id, session_id=sess2.id)
    ids = [ws.add_set(entry2.id, 100, 5).id for _ in range(4)]
    assert [progress.check_new_records(sess2.id, i) for i in ids] == [[], [], [], []]  # 2000 < 2115
    last = ws.add_set(entry2.id, 10, 12).id   # 2120: the set that takes it past the old best
    assert progress.check_new_records(sess2.id, last) == [V]
    assert describe_new_records([E, R]) == "New records: best estimated 1RM, most reps at this weight"
    assert describe_new_records([H]) == "New record: heaviest weight" and describe_new_records([]) == ""


def test_volume_record_set_within_the_session(ws, progress):
    bench = ex(ws, "Bench Press (Barbell)")
    log(ws, bench.id, d(3), (100, 5), (100, 5), (100, 5))
    sid, ids = log(ws, bench.id, d(5), (100, 5), (100, 5), (100, 5), (100, 5))
    assert [progress.check_new_records(sid, i) for i in ids] == [[], [], [], [V]]
    assert progress.session_records(sid) == {ids[3]: (V,)}


def test_first_ever_session_announces_nothing(ws, progress):
    squat = ex(ws, "Squat (Barbell)")
    sid, ids = log(ws, squat.id, d(3), (20, 10), (60, 5), (80, 5), (100, 5), (100, 8))
    assert [progress.check_new_records(sid, i) for i in ids] == [[]] * 5
    assert progress.session_records(sid) == {}


def test_backfilled_session_compares_only_with_earlier_ones(ws, progress):
    squat = ex(ws, "Squat (Barbell)")
    log(ws, squat.id, d(3), (100, 5))
    log(ws, squat.id, d(10), (150, 5))
    sid, ids = log(ws, squat.id, d(5), (110, 5))  # back-filled between the two
    assert progress.check_new_records(sid, ids[0]) == [H, E, V]
    assert progress.session_records(sid) == {ids[0]: (H, E, V)}


def test_session_records_marks_every_exercise(ws, progress):
    squat, bench = ex(ws, "Squat (Barbell)"), ex(ws, "Bench Press (Barbell)")
    old = ws.start_session(d(3))
    for e, w in ((squat, 100), (bench, 80)):
        entry = ws.add_entry(e.id, session_id=old.id)
        ws.add_set(entry.id, w, 5)
    new = ws.start_session(d(5))
    sq = ws.add_entry(squat.id, session_id=new.id)
    be = ws.add_entry(bench.id, session_id=new.id)
    a = ws.add_set(sq.id, 102.5, 5).id
    b = ws.add_set(be.id, 80, 5).id
    c = ws.add_set(be.id, 80, 6).id
    marks = progress.session_records(new.id)
    assert marks == {a: (H, E, V), c: (E, R, V)}  # b: 80x5 only equals last time
    for sid in (a, b, c):
        assert tuple(progress.check_new_records(new.id, sid)) == marks.get(sid, ())


def test_check_new_records_is_cheap_and_checks_ownership(ws, progress, services, bob):
    squat = ex(ws, "Squat (Barbell)")
    log(ws, squat.id, d(1), (100, 5), (100, 5), (100, 5))
    sid, ids = log(ws, squat.id, d(2), (100, 5), (102.5, 5))
    _, few = count_queries(services, progress.check_new_records, sid, ids[1])
    for day in range(3, 20):
        log(ws, squat.id, d(day), (100, 5), (100, 5), (100, 5))
    sid, ids = log(ws, squat.id, d(21), (105, 5))
    kinds, many = count_queries(services, progress.check_new_records, sid, ids[0])
    assert kinds == [H, E] and few == many <= 4  # aggregates: no more queries for more history
    other, _ = log(ws, squat.id, d(22), (100, 1))
    with pytest.raises(NotFoundError):
        progress.check_new_records(other, ids[0])  # not a set of that session
    with pytest.raises(NotFoundError):
        services.progress(bob.id).check_new_records(sid, ids[0])
    with pytest.raises(NotFoundError):
        services.progress(bob.id).session_records(sid)


@pytest.mark.parametrize("formula", ["epley", "brzycki"])
def test_check_new_records_matches_the_domain_rule_on_random_history(ws, progress, services, alice, formula):
    """The aggregate shortcut gives what domain.new_records gives with every earlier set."""
    services.settings(alice.id).update(e1rm_formula=formula)
    rng = random.Random(4)
    squat = ex(ws, "Squat (Barbell)")
    logged = []  # (session_id, date, [(set_id, weight, reps, unit, is_warmup)])
    for _ in range(10):
        when = datetime(2024, 6, rng.randint(1, 8), rng.choice([8, 18]))  # back-fills and ties
        sess = ws.start_session(when)
        entry = ws.add_entry(squat.id, session_id=sess.id)
        sets = []
        for _ in range(rng.randint(1, 5)):
            unit = "stacks" if rng.random() < 0.15 else "kg"
            weight = rng.choice([40, 60, 60, 62.5, 80, 80, 100]) if unit == "kg" else rng.choice([5, 6])
            reps = rng.randint(1, 15)
            warm = rng.random() < 0.2
            st = ws.add_set(entry.id, weight, reps, unit, set_type="warmup" if warm else None)
            sets.append((st.id, st.weight, st.reps, st.unit, warm))
        logged.append((sess.id, sess.date, sets))
    checked = 0
    for sid, when, sets in logged:
        marks = {}
        previous = [
            SetRecord(o_sid, o_when, w, r, u, i)
            for o_sid, o_when, o_sets in logged
            if (o_when, o_sid) < (when, sid)
            for i, w, r, u, warm in o_sets
            if not warm
        ]
        for k, (set_id, w, r, u, warm) in enumerate(sets):
            earlier = [SetRecord(sid, when, w2, r2, u2, i2) for i2, w2, r2, u2, warm2 in sets[:k] if not warm2]
            expected = [] if warm else new_records(previous, SetRecord(sid, when, w, r, u, set_id), earlier, formula)
            assert progress.check_new_records(sid, set_id) == expected, (sid, set_id)
            checked += bool(expected)
            if expected:
                marks[set_id] = tuple(expected)
        assert progress.session_records(sid) == marks
    assert checked >= 3  # the data did exercise some records


# -- suggestions --------------------------------------------------------------------------------
def test_suggestion_uses_template_targets_and_settings(ws, progress, services, alice):
    bench = ex(ws, "Bench Press (Barbell)")
    tpl = ws.create_template("Push")
    entry = ws.add_entry(bench.id, template_id=tpl.id)
    ws.add_set(entry.id, 40, 10, set_type="warmup")  # warm-up targets set no range
    for reps in (5, 5, 7):
        ws.add_set(entry.id, 100, reps)

    # First time, from the template: its first working target.
    first = ws.start_session(d(3), template_id=tpl.id)
    s = progress.suggestion(bench.id, first.id)
    assert (s.weight, s.reps, s.unit, s.sets, s.reason) == (100, 5, Unit.KG, 3, "First time: no history yet")
    assert progress.suggestion(bench.id) is None  # no template, no history

    # Log 100 x 7,7,7 in that session; the next template session sees the top (7) reached.
    sets_entry = first.entries[0]
    for _ in range(3):
        ws.add_set(sets_entry.id, 100, 7)
    # The current session never counts towards its own suggestion.
    assert progress.suggestion(bench.id, first.id).reason == "First time: no history yet"
    nxt = ws.start_session(d(5), template_id=tpl.id)
    s = progress.suggestion(bench.id, nxt.id)
    assert (s.weight, s.reps, s.sets) == (102.5, 5, 3)
    assert s.reason == "All sets hit 7: +2.5 kg, back to 5 reps"

    # Without a template the default range 8-12 applies: 7 reps is short of it.
    s = progress.suggestion(bench.id)
    assert (s.weight, s.reps) == (100, 8) and s.reason == "Aim for 8+ reps at 100 kg"

    # The user's increment and rep range.
    services.settings(alice.id).update(increments={"barbell": 5}, rep_min=5, rep_max=7)
    s = progress.suggestion(bench.id, nxt.id)
    assert (s.weight, s.reps) == (105, 5)
    s = progress.suggestion(bench.id)
    assert (s.weight, s.reps, s.reason) == (105, 5, "All sets hit 7: +5 kg, back to 5 reps")

    services.settings(alice.id).update(progression="linear", linear_reps=7)
    s = progress.suggestion(bench.id)
    assert (s.weight, s.reps, s.reason) == (105, 7, "All sets hit 7: +5 kg")


def test_deload_after_repeated_misses(ws, progress, services, alice):
    squat = ex(ws, "Squat (Barbell)")
    log(ws, squat.id, d(1), (60, 5, "warmup"), (100, 8), (100, 8), (100, 8))
    log(ws, squat.id, d(3), (100, 7), (100, 6), (100, 6))
    s = progress.suggestion(squat.id)
    assert (s.weight, s.reps) == (100, 8) and s.reason == "Aim for 8+ reps at 100 kg"
    log(ws, squat.id, d(5), (60, 5, "warmup"), (100, 7), (100, 6), (100, 5))
    s = progress.suggestion(squat.id)
    assert (s.weight, s.reps, s.sets) == (90, 8, 3)
    assert s.reason == "Missed 8 reps twice: deload 10% to 90 kg"

    services.settings(alice.id).update(deload_after=3)
    assert progress.suggestion(squat.id).weight == 100
    log(ws, squat.id, d(7), (100, 6), (100, 6), (100, 6))
    services.settings(alice.id).update(deload_percent=20)
    s = progress.suggestion(squat.id)
    assert (s.weight, s.reason) == (80, "Missed 8 reps 3 times: deload 20% to 80 kg")


def test_suggestion_for_a_session_only_looks_back(ws, progress):
    curl = ex(ws, "Bicep Curl (Dumbbell)")
    log(ws, curl.id, d(1), (12, 12), (12, 12))
    current = ws.start_session(d(3))
    log(ws, curl.id, d(9), (20, 5))  # logged later (e.g. back-filling the other way)
    s = progress.suggestion(curl.id, current.id)
    assert (s.weight, s.reps, s.reason) == (14, 8, "All sets hit 12: +2 kg, back to 8 reps")


def test_suggestion_errors(ws, progress, services, bob):
    theirs = services.workouts(bob.id)
    custom = theirs.create_exercise("Bob's Secret Press", "chest", "barbell")
    with pytest.raises(NotFoundError):
        progress.suggestion(custom.id)
    bob_session = theirs.start_session(d(3))
    with pytest.raises(NotFoundError):
        progress.suggestion(ex(ws, "Squat (Barbell)").id, bob_session.id)


# -- weekly volume ------------------------------------------------------------------------------
def test_weekly_volume_against_a_hand_computation(ws, progress, services, bob, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 6, 5, 12, 0))  # a Wednesday
    squat, bench = ex(ws, "Squat (Barbell)"), ex(ws, "Bench Press (Barbell)")
    legext = ex(ws, "Leg Extension (Machine)")

    monday = ws.start_session(datetime(2024, 6, 3, 0, 0))
    sq = ws.add_entry(squat.id, session_id=monday.id)
    ws.add_set(sq.id, 60, 5, set_type="warmup")     # left out
    ws.add_set(sq.id, 100, 5)
    ws.add_set(sq.id, 102.5, 4, set_type="failure")
    be = ws.add_entry(bench.id, session_id=monday.id)
    ws.add_set(be.id, 80, 8)
    ws.add_set(be.id, 60, 12, set_type="drop")
    log(ws, legext.id, datetime(2024, 6, 9, 23, 59), (10, 12), (11, 10))  # stacks: sets, no tonnage
    log(ws, squat.id, datetime(2024, 6, 2, 23, 59), (100, 5))            # last week's Sunday
    log(ws, squat.id, datetime(2024, 6, 10, 0, 0), (100, 5))             # next Monday
    tpl = ws.create_template("Legs")
    ws.add_set(ws.add_entry(squat.id, template_id=tpl.id).id, 200, 5)   # a target, not lifted
    log(services.workouts(bob.id), squat.id, datetime(2024, 6, 4), (300, 5))  # another user

    week, queries = count_queries(services, progress.weekly_volume)
    assert queries == 1
    assert list(week) == list(Category)
    assert week[Category.LEGS].sets == 4
    assert week[Category.LEGS].tonnage_kg == 100 * 5 + 102.5 * 4
    assert week[Category.CHEST].sets == 2 and week[Category.CHEST].tonnage_kg == 80 * 8 + 60 * 12
    assert all(week[c].sets == 0 and week[c].tonnage_kg == 0 for c in (Category.BACK, Category.ARMS))

    last = progress.weekly_volume(date(2024, 5, 29))  # any day of the week picks its Monday
    assert last[Category.LEGS].sets == 1 and last[Category.LEGS].tonnage_kg == 500
    assert progress.weekly_volume(date(2024, 6, 9)) == week
    assert progress.weekly_volume(date(2024, 6, 10))[Category.LEGS].sets == 1


# -- series -------------------------------------------------------------------------------------
def test_progress_series(ws, progress, services, alice):
    squat = ex(ws, "Squat (Barbell)")
    s1, _ = log(ws, squat.id, d(1), (60, 10, "warmup"), (100, 5), (90, 8))
    s2, _ = log(ws, squat.id, d(3), (80, 15))
    points = progress.progress_series(squat.id)
    assert [p.session_id for p in points] == [s1, s2]
    p1, p2 = points
    assert p1.date == d(1) and p1.unit is Unit.KG and p1.sets == 2
    assert p1.best_e1rm == pytest.approx(round(100 * (1 + 5 / 30), 3)) and p1.best_e1rm_reps == 5
    assert (p1.heaviest, p1.volume, p1.trusted) == (100, 500 + 720, True)
    assert p2.best_e1rm_reps == 15 and not p2.trusted
    assert [p.session_id for p in progress.progress_series(squat.id, since=d(2))] == [s2]
    assert progress.progress_series(squat.id, unit="stacks") == []
    services.settings(alice.id).update(e1rm_formula="brzycki")
    assert progress.progress_series(squat.id)[0].best_e1rm == pytest.approx(round(100 * 36 / 32, 3))


# -- one user only ------------------------------------------------------------------------------
def test_another_users_history_never_leaks(ws, progress, services, bob):
    squat = ex(ws, "Squat (Barbell)")
    theirs = services.workouts(bob.id)
    bob_sid, bob_ids = log(theirs, squat.id, d(1), (200, 5), (200, 5))
    log(theirs, squat.id, d(2), (210, 5))
    assert progress.records(squat.id).units == ()
    assert progress.best_sets(squat.id) == []
    assert progress.progress_series(squat.id) == []
    assert progress.suggestion(squat.id) is None
    assert progress.weekly_volume(date(2024, 6, 1))[Category.LEGS].sets == 0

    # Alice's first squat session: no record announced, bob's 200s are not her baseline.
    sid, ids = log(ws, squat.id, d(3), (100, 5))
    assert progress.check_new_records(sid, ids[0]) == []
    sid2, ids2 = log(ws, squat.id, d(4), (102.5, 5))
    assert progress.check_new_records(sid2, ids2[0]) == [H, E, V]
    assert progress.records(squat.id).for_unit("kg").heaviest.value == 102.5
    assert services.progress(bob.id).records(squat.id).for_unit("kg").heaviest.value == 210
    with pytest.raises(NotFoundError):
        progress.check_new_records(bob_sid, bob_ids[0])
