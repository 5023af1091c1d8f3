"""The workout service on both databases: exercises, sessions, entries, sets, templates, history,
and that every call acts for one user only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError


def _ex(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


# -- exercises -------------------------------------------------------------------------------
def test_search_is_ranked_and_filtered(ws):
    names = [e.name for e in ws.search_exercises("bench press")]
    assert names[0].startswith("Bench Press")
    assert all("bench" in n.lower() and "press" in n.lower() for n in names)
    assert ws.search_exercises("BENCH PRESS (barbell)")[0].name == "Bench Press (Barbell)"
    # Typed without the brackets, a name is still the name; it starting with the first word ranks next.
    assert ws.search_exercises("squat barbell")[0].name == "Squat (Barbell)"
    starts = [e.name.lower().startswith("squat") for e in ws.search_exercises("squat", limit=None)]
    assert starts[0] and starts[-1] is False and starts == sorted(starts, reverse=True)
    legs = ws.search_exercises("", category="legs", limit=None)
    assert legs and all(e.category == "legs" for e in legs)
    db = ws.search_exercises("", equipment="dumbbell", limit=None)
    assert db and all(e.equipment == "dumbbell" for e in db)
    chest_db = ws.search_exercises("chest dumbbell", limit=None)
    assert "Bench Press (Dumbbell)" in {e.name for e in chest_db}
    assert all(e.equipment == "dumbbell" for e in chest_db)
    with pytest.raises(ValidationError):
        ws.search_exercises("", category="cardio")


def test_custom_exercises(ws, services, bob):
    mine = ws.create_exercise("  Zercher   Squat ", "legs", "barbell", "Quadriceps")
    assert mine.name == "Zercher Squat" and mine.custom
    assert ws.search_exercises("zercher")[0].id == mine.id
    assert services.workouts(bob.id).search_exercises("zercher") == []
    with pytest.raises(ConflictError):
        ws.create_exercise("zercher squat", "legs")
    with pytest.raises(ConflictError):
        ws.create_exercise("Bench Press (Barbell)", "chest")
    with pytest.raises(ValidationError):
        ws.create_exercise("x" * 101, "legs")
    with pytest.raises(ValidationError):
        ws.create_exercise("Name", "cardio")
    renamed = ws.rename_exercise(mine.id, "Zercher Squat (Barbell)")
    assert renamed.name == "Zercher Squat (Barbell)"
    builtin = _ex(ws, "Bench Press (Barbell)")
    with pytest.raises(ValidationError, match="built-in"):
        ws.rename_exercise(builtin.id, "Mine now")
    sess = ws.start_session()
    entry = ws.add_entry(mine.id, session_id=sess.id)
    with pytest.raises(ConflictError, match="used in 1"):
        ws.delete_exercise(mine.id)
    ws.remove_entry(entry.id)
    ws.delete_exercise(mine.id)
    with pytest.raises(NotFoundError):
        ws.get_exercise(mine.id)


def test_markup_names_are_stored_literally(ws):
    ex = ws.create_exercise("[bold red]Evil[/]", "arms")
    assert ws.get_exercise(ex.id).name == "[bold red]Evil[/]"
    with pytest.raises(ValidationError, match="control"):
        ws.create_exercise("Bad \x1b[31m red", "arms")


# -- sessions, entries, sets ---------------------------------------------------------------
def test_log_a_workout(ws):
    bench = _ex(ws, "Bench Press (Barbell)")
    pulldown = _ex(ws, "Lat Pulldown (Cable)")
    sess = ws.start_session(name="Push", notes="felt good")
    e1 = ws.add_entry(bench.id, session_id=sess.id)
    e2 = ws.add_entry(pulldown.id, session_id=sess.id)
    assert (e1.order, e2.order) == (1, 2)
    s1 = ws.add_set(e1.id, "60", "8")
    s2 = ws.add_set(e1.id, 62.5, 8)
    ws.add_set(e1.id, 65, 6, set_type="failure", rpe=9.5)
    m = ws.add_set(e2.id, 7, 12)
    assert (s1.order, s2.order) == (1, 2)
    assert s1.unit == Unit.KG and m.unit == Unit.STACKS  # the unit follows the exercise
    got = ws.get_session(sess.id)
    assert [e.exercise.name for e in got.entries] == [bench.name, pulldown.name]
    assert [(s.weight, s.reps) for s in got.entries[0].sets] == [(60, 8), (62.5, 8), (65, 6)]
    assert got.entries[0].sets[2].set_type == "failure" and got.entries[0].sets[2].rpe == 9.5
    assert got.notes == "felt good" and got.name == "Push"


@pytest.mark.parametrize(
    ("weight", "reps", "unit", "message"),
    [
        ("abc", 5, None, "number"),
        (-5, 5, None, "negative"),
        (1000.5, 5, None, "at most 1000 kg"),
        (float("nan"), 5, None, "finite"),
        (float("inf"), 5, None, "finite"),
        (50, 0, None, "at least 1"),
        (50, 1001, None, "at most 1000"),
        (50, 2.5, None, "whole"),
        (50, "five", None, "whole"),
        (101, 5, "stacks", "at most 100 stacks"),
        (50, 5, "furlongs", "kg, lbs or stacks"),
        (2205, 5, "lbs", "at most 2204.62 lb"),
    ],
)
def test_set_validation(ws, weight, reps, unit, message):
    sess = ws.start_session()
    entry = ws.add_entry(_ex(ws, "Squat (Barbell)").id, session_id=sess.id)
    with pytest.raises(ValidationError, match=message):
        ws.add_set(entry.id, weight, reps, unit)
    assert ws.get_session(sess.id).entries[0].sets == ()


def test_edit_delete_reorder(ws):
    sess = ws.start_session()
    a = ws.add_entry(_ex(ws, "Squat (Barbell)").id, session_id=sess.id)
    b = ws.add_entry(_ex(ws, "Deadlift (Barbell)").id, session_id=sess.id)
    c = ws.add_entry(_ex(ws, "Plank").id, session_id=sess.id)
    sets = [ws.add_set(a.id, w, 5) for w in (100, 110, 120)]
    ws.update_set(sets[1].id, weight=112.5, reps=4)
    with pytest.raises(ValidationError):
        ws.update_set(sets[1].id, reps=0)
    ws.move_set(sets[2].id, 0)
    ws.delete_set(sets[0].id)
    ws.move_entry(c.id, 0)
    ws.set_entry_notes(b.id, "belt on")
    got = ws.get_session(sess.id)
    assert [e.id for e in got.entries] == [c.id, a.id, b.id]
    assert [e.order for e in got.entries] == [1, 2, 3]
    assert [(s.weight, s.reps) for s in got.entries[1].sets] == [(120, 5), (112.5, 4)]
    assert got.entries[2].notes == "belt on"
    ws.remove_entry(a.id)
    assert [e.id for e in ws.get_session(sess.id).entries] == [c.id, b.id]
    # Adding after a removal still gets a fresh place at the end.
    d = ws.add_entry(_ex(ws, "Squat (Barbell)").id, session_id=sess.id)
    assert d.order == 4


def test_session_dates_notes_finish_delete(ws):
    back = datetime(2024, 3, 1, 18, 30)
    sess = ws.start_session(back)
    assert ws.get_session(sess.id).date == back
    ws.update_session(sess.id, notes="  late entry\nline two", date=back + timedelta(days=1))
    got = ws.get_session(sess.id)
    assert got.date == back + timedelta(days=1) and got.notes == "  late entry\nline two"
    ws.update_session(sess.id, notes="   ")
    assert ws.get_session(sess.id).notes is None
    assert ws.latest_unfinished().id == sess.id
    ws.finish_session(sess.id)
    assert ws.get_session(sess.id).finished_at is not None
    assert ws.latest_unfinished() is None
    ws.delete_session(sess.id)
    with pytest.raises(NotFoundError):
        ws.get_session(sess.id)


def test_list_sessions_pages_newest_first(ws):
    squat = _ex(ws, "Squat (Barbell)")
    base = datetime(2025, 1, 1, 9)
    for day in range(7):
        sess = ws.start_session(base + timedelta(days=day // 2))  # pairs share a date
        entry = ws.add_entry(squat.id, session_id=sess.id)
        ws.add_set(entry.id, 100, 5)
        ws.add_set(entry.id, 100, 5)
    page1 = ws.list_sessions(limit=3)
    page2 = ws.list_sessions(limit=3, before=(page1[-1].date, page1[-1].id))
    page3 = ws.list_sessions(limit=3, before=(page2[-1].date, page2[-1].id))
    everything = page1 + page2 + page3
    assert len(everything) == 7 and len({s.id for s in everything}) == 7
    keys = [(s.date, s.id) for s in everything]
    assert keys == sorted(keys, reverse=True)
    first = everything[0]
    assert (first.set_count, first.exercise_count, first.volume_kg) == (2, 1, 1000.0)
    assert first.exercise_names == ("Squat (Barbell)",)
    assert ws.count_sessions(since=base + timedelta(days=3)) == 1


def test_templates(ws):
    squat = _ex(ws, "Squat (Barbell)")
    press = _ex(ws, "Overhead Press (Barbell)")
    tpl = ws.create_template("Day A", "Squat and press")
    e1 = ws.add_entry(squat.id, template_id=tpl.id)
    e2 = ws.add_entry(press.id, template_id=tpl.id)
    for _ in range(3):
        ws.add_set(e1.id, 100, 5)
    ws.add_set(e2.id, 50, 8)
    ws.move_entry(e2.id, 0)
    tpl = ws.update_template(tpl.id, name="Day A (heavy)", description=None)
    assert tpl.name == "Day A (heavy)" and tpl.description is None
    assert [e.exercise.name for e in tpl.entries] == [press.name, squat.name]
    assert [len(e.sets) for e in tpl.entries] == [1, 3]
    assert ws.list_templates()[0].exercise_count == 2

    sess = ws.start_session(template_id=tpl.id)
    assert sess.name == "Day A (heavy)"
    assert [e.exercise.id for e in sess.entries] == [press.id, squat.id]
    assert all(e.sets == () for e in sess.entries)  # targets are not logged sets
    ws.add_set(sess.entries[0].id, 52.5, 8)

    saved = ws.save_session_as_template(sess.id, "From workout")
    assert [(s.weight, s.reps) for s in saved.entries[0].sets] == [(52.5, 8)]
    ws.delete_template(tpl.id)
    with pytest.raises(NotFoundError):
        ws.get_template(tpl.id)
    assert ws.get_session(sess.id).entries  # the workout outlives its template


def test_history_and_last_time(ws):
    bench = _ex(ws, "Bench Press (Barbell)")
    ids = []
    for i, day in enumerate((3, 1, 2)):
        sess = ws.start_session(datetime(2025, 5, day, 18))
        e = ws.add_entry(bench.id, session_id=sess.id)
        ws.add_set(e.id, 60 + i, 5)
        ws.add_set(e.id, 60 + i, 4)
        ids.append(sess.id)
    hist = ws.exercise_history(bench.id)
    assert [h.date.day for h in hist] == [1, 2, 3]
    assert [len(h.sets) for h in hist] == [2, 2, 2]
    assert len(ws.exercise_history(bench.id, since=datetime(2025, 5, 2))) == 2
    today = ws.start_session(datetime(2025, 5, 4, 18))
    ws.add_entry(bench.id, session_id=today.id)
    last = ws.last_performance(bench.id, exclude_session_id=today.id)
    assert last.session_id == ids[0] and [s.weight for s in last.sets] == [60, 60]
    assert ws.last_performance(_ex(ws, "Plank").id) is None


def test_get_session_uses_constant_queries(ws, services):
    exercises = ws.search_exercises("", limit=20)

    def count_queries(session_id):
        statements = []
        listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
        event.listen(services.db.engine, "before_cursor_execute", listener)
        try:
            ws.get_session(session_id)
        finally:
            event.remove(services.db.engine, "before_cursor_execute", listener)
        return len([s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))])

    small = ws.start_session()
    ws.add_set(ws.add_entry(exercises[0].id, session_id=small.id).id, 10, 5)
    big = ws.start_session()
    for ex in exercises:
        entry = ws.add_entry(ex.id, session_id=big.id)
        for _ in range(5):
            ws.add_set(entry.id, 10, 5)
    assert count_queries(small.id) == count_queries(big.id) <= 4


# -- one user only -----------------------------------------------------------------------------
def test_another_users_things_are_not_found(services, alice, bob):
    mine = services.workouts(alice.id)
    theirs = services.workouts(bob.id)
    squat = _ex(mine, "Squat (Barbell)")
    sess = mine.start_session()
    entry = mine.add_entry(squat.id, session_id=sess.id)
    st = mine.add_set(entry.id, 100, 5)
    tpl = mine.create_template("Mine")
    tentry = mine.add_entry(squat.id, template_id=tpl.id)
    custom = mine.create_exercise("Secret Lift", "legs")

    attempts = [
        lambda: theirs.get_session(sess.id),
        lambda: theirs.update_session(sess.id, notes="hacked"),
        lambda: theirs.finish_session(sess.id),
        lambda: theirs.delete_session(sess.id),
        lambda: theirs.add_entry(squat.id, session_id=sess.id),
        lambda: theirs.add_entry(squat.id, template_id=tpl.id),
        lambda: theirs.add_entry(custom.id, session_id=theirs.start_session().id),
        lambda: theirs.get_entry(entry.id),
        lambda: theirs.remove_entry(entry.id),
        lambda: theirs.move_entry(entry.id, 0),
        lambda: theirs.set_entry_notes(entry.id, "x"),
        lambda: theirs.add_set(entry.id, 1, 1),
        lambda: theirs.add_set(tentry.id, 1, 1),
        lambda: theirs.update_set(st.id, reps=1),
        lambda: theirs.delete_set(st.id),
        lambda: theirs.move_set(st.id, 0),
        lambda: theirs.get_template(tpl.id),
        lambda: theirs.update_template(tpl.id, name="x"),
        lambda: theirs.delete_template(tpl.id),
        lambda: theirs.start_session(template_id=tpl.id),
        lambda: theirs.save_session_as_template(sess.id, "stolen"),
        lambda: theirs.get_exercise(custom.id),
        lambda: theirs.rename_exercise(custom.id, "x"),
        lambda: theirs.delete_exercise(custom.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFoundError):
            attempt()
    assert theirs.list_sessions() == [s for s in theirs.list_sessions() if s.id != sess.id]
    assert theirs.list_templates() == []
    assert theirs.exercise_history(squat.id) == []
    assert theirs.last_performance(squat.id) is None
    got = mine.get_session(sess.id)
    assert got.notes is None and [(s.weight, s.reps) for s in got.entries[0].sets] == [(100, 5)]
