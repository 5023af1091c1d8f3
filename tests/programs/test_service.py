"""ProgramService on SQLite and PostgreSQL: start from history, program days, record, dry run."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from overload_tui.domain.errors import NotFoundError, ValidationError
from overload_tui.domain.programs import ProgramSyntaxError
from overload_tui.services.programs import ProgramService

HISTORY = {"Squat (Barbell)": (120, 5), "Bench Press (Barbell)": (90, 5), "Deadlift (Barbell)": (150, 5),
           "Overhead Press (Barbell)": (55, 5)}


def exercise_id(ws, name):
    return next(e.id for e in ws.search_exercises(name) if e.name == name)


def log_history(ws, days_ago=10, sets=HISTORY):
    for name, (weight, reps) in sets.items():
        sess = ws.start_session(datetime.now().replace(microsecond=0) - timedelta(days=days_ago))
        entry = ws.add_entry(exercise_id(ws, name), session_id=sess.id)
        ws.add_set(entry.id, 20, 10, set_type="warmup")  # warm-ups never count
        ws.add_set(entry.id, weight, reps)
        ws.finish_session(sess.id)


@pytest.fixture
def ps(services, alice):
    return ProgramService(services.db, alice.id)


def test_lists_builtins(ps):
    names = [p.name for p in ps.list_programs()]
    assert names[:4] == ["5/3/1 Boring But Big", "GZCLP", "StrongLifts 5x5", "PPL Double Progression"]
    assert ps.active() is None
    summary = ps.list_programs()[0]
    assert summary.cycle == f"{summary.days_per_cycle} days a cycle"
    assert dataclasses.replace(summary, days_per_cycle=1).cycle == "1 day a cycle"


def test_starting_maxes_come_from_the_lifters_history(ps, ws):
    log_history(ws)
    maxes = {m.lift: m for m in ps.starting_maxes("5/3/1 Boring But Big")}
    # 90% of Epley's e1RM: 120 x 5 -> 140 -> 126 -> 125 on the plates (nearest loadable)
    assert maxes["Squat"].weight == 125 and "90% of e1RM 140.0 kg" in maxes["Squat"].how
    assert maxes["Bench"].weight == 95  # 90 x 5 -> 105 -> 94.5 -> 95
    gz = {m.lift: m.weight for m in ps.starting_maxes("GZCLP", {"Lat Pulldown T3": 40, "Row T3": 20})}
    assert gz["Squat T1"] == 102.5  # 85% of the 5RM (e1RM 140 / (1 + 5/30) = 120) = 102 -> 102.5


def test_no_history_asks_for_maxes(ps):
    with pytest.raises(ValidationError) as caught:
        ps.starting_maxes("StrongLifts 5x5")
    assert caught.value.field == "maxes" and "--max" in str(caught.value)
    with pytest.raises(ValidationError):
        ps.starting_maxes("StrongLifts 5x5", {"Curl": 10})


def test_dry_run_from_history_prints_explained_weights(ps, ws):
    log_history(ws)
    run = ps.dry_run("5/3/1 Boring But Big", weeks=8)
    assert not run.from_state and {d.week_number for d in run.days} == set(range(1, 9))
    first = run.days[0]
    assert first.note == "Week 1 · Day 1 · Press" and first.names[0] == "Overhead Press (Barbell)"
    top = first.exercises[0].sets[5]
    # 55 x 5 -> e1RM 64.2 -> 90% = 57.8 -> TM 57.5 (the nearest loadable); 85% of it on the plates
    assert top.amrap and top.explanation == "85% × TM 57.5 kg = 48.88 → 50 kg" and top.weight == 50
    assert any("TM" in e for d in run.days for e in d.events)


def test_a_program_day_from_start_to_record(ps, ws):
    log_history(ws)
    ps.start("StrongLifts 5x5", {"Row": 60})
    assert ps.active().name == "StrongLifts 5x5"
    sess = ps.start_day()
    assert [e.exercise.name for e in sess.entries] == ["Squat (Barbell)", "Bench Press (Barbell)",
                                                        "Bent Over Row (Barbell)"]
    planned = ps.planned(sess.id)
    assert [p.exercise_id for p in planned] == [e.exercise.id for e in sess.entries]
    assert planned[0].note == "Week 1 · Day 1 · Squat, Bench, Row"
    squat = planned[0].sets[0]
    assert squat.reps == 5 and squat.weight == 95  # 80% of the 5RM 120 = 96 -> 95 on the plates
    # log everything as prescribed, except one bench rep short
    for entry, plan in zip(sess.entries, planned):
        for i, st in enumerate(plan.sets):
            short = entry.exercise.name.startswith("Bench") and i == 4
            ws.add_set(entry.id, st.weight, st.reps - (1 if short else 0))
    ws.finish_session(sess.id)
    events = ps.record(sess.id)
    assert "Squat: 95 → 97.5 kg" in events and not any(e.startswith("Bench:") and "→" in e for e in events)
    assert ps.record(sess.id) == []  # recorded once only
    assert ps.planned(sess.id) == planned  # the day's plan is still there afterwards
    nxt = ps.start_day()
    assert ps.planned(nxt.id)[0].sets[0].weight == 97.5
    assert ps.next_day().note == "Week 1 · Day 2 · Squat, Press, Deadlift"


def test_planned_is_empty_for_a_workout_not_from_a_program(ps, ws):
    assert ps.planned(ws.start_session().id) == []


def test_save_check_and_errors_at_the_line(ps):
    text = "program: Mine\nlift S: Squat (Barbell)\nweek 1\n  day 1\n    S: 3x5\n    Nonsense Lift: 3x5\n"
    with pytest.raises(ProgramSyntaxError) as caught:
        ps.check(text)
    assert [(e.line, "No exercise called 'Nonsense Lift'" in e.message) for e in caught.value.errors] == [(6, True)]
    good = text.replace("Nonsense Lift", "Chin Up")
    saved = ps.save(good)
    assert saved.id is not None and not saved.builtin
    assert ps.source("mine") == good
    assert "Mine" in [p.name for p in ps.list_programs()]
    assert ps.save(good.replace("3x5\n    Chin", "5x5\n    Chin")).id == saved.id  # same name: replaced


def test_editing_a_running_program_keeps_its_state(ps, ws):
    log_history(ws)
    text = ps.source("StrongLifts 5x5").replace("program: StrongLifts 5x5", "program: My 5x5")
    ps.save(text)
    ps.start("My 5x5", {"Row": 60})
    sess = ps.start_day()
    for entry, plan in zip(sess.entries, ps.planned(sess.id)):
        for st in plan.sets:
            ws.add_set(entry.id, st.weight, st.reps)
    ps.record(sess.id)
    ps.save(text.replace("  Row: 5x5", "  Row: 3x5"))
    assert ps.dry_run(weeks=1).days[0].exercises[0].sets[0].weight == 97.5  # 95 + 2.5: still progressed


def test_delete_unties_its_workouts(ps, ws):
    log_history(ws)
    summary = ps.start("StrongLifts 5x5", {"Row": 60})
    sess = ps.start_day()
    ps.delete(summary.id)
    assert ps.planned(sess.id) == [] and ps.active() is None
    assert ws.get_session(sess.id).id == sess.id


def test_another_lifters_programs_are_not_found(services, ps, ws, bob):
    log_history(ws)
    mine = ps.start("StrongLifts 5x5", {"Row": 60})
    sess = ps.start_day()
    theirs = ProgramService(services.db, bob.id)
    assert theirs.active() is None
    for call in (lambda: theirs.delete(mine.id), lambda: theirs.planned(sess.id), lambda: theirs.record(sess.id)):
        with pytest.raises(NotFoundError):
            call()
    assert [p.id for p in theirs.list_programs()] == [None] * 4
    with pytest.raises(NotFoundError):
        theirs.dry_run()


def test_pounds_lifter_gets_pounds(services, ps, ws, alice):
    services.settings(alice.id).update(weight_unit="lbs")
    run = ps.dry_run("StrongLifts 5x5", weeks=1, maxes={"Squat": 135, "Bench": 95, "Row": 95, "Press": 65,
                                                        "Deadlift": 185})
    st = run.days[0].exercises[0].sets[0]
    assert st.display_unit == "lbs" and round(st.weight / 0.45359237, 2) == 135
    assert run.days[1].exercises[0].sets[0].explanation == "working weight 140 lb"


def test_a_finished_workout_moves_the_program_on_without_record(ps, ws):
    log_history(ws)
    ps.start("StrongLifts 5x5", {"Row": 60})
    sess = ps.start_day()
    for entry, plan in zip(sess.entries, ps.planned(sess.id)):
        for st in plan.sets:
            ws.add_set(entry.id, st.weight, st.reps)
    assert ps.next_day().note.startswith("Week 1 · Day 1")  # not finished yet: still day 1
    ws.finish_session(sess.id)  # finished in the app: nothing calls record
    day = ps.next_day()
    assert day.note.startswith("Week 1 · Day 2") and day.exercises[0].sets[0].weight == 97.5
    assert ps.record(sess.id) == []  # already counted
    second = ps.start_day()
    assert ps.planned(second.id)[0].sets[0].weight == 97.5
