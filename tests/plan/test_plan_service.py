"""A workout started from a template plans its sets as rows (services/plan.py, through the
logbook): each planned set a row with its target, the next one what an empty Enter logs exactly
as prescribed, a typed line what was really done, skipped rows kept skipped, the warm-up ramp
before a barbell's first working set (off per exercise). On both databases."""

from __future__ import annotations

import pytest

from overload_tui.domain.errors import DatabaseUnavailableError
from overload_tui.domain.units import LoadUnit, from_kg, to_stored
from overload_tui.services.logbook import Logbook
from overload_tui.services.plan import DONE, NEXT, SKIPPED, TODO, PlanService, merge
from overload_tui.domain.plan import PlannedExercise, PlannedSet
from overload_tui.services.workouts import WorkoutService

REAL_ADD_SET = WorkoutService.add_set


def find(ws, name):
    return next(e for e in ws.search_exercises(name) if e.name == name)


@pytest.fixture
def template(ws):
    """Squat 100x5 x3 (the ramp goes before it); bench with its own warm-up 40x10 then 60x8 x2;
    a plank held 60 s x2."""
    tpl = ws.create_template("Day A")
    squat = ws.add_entry(find(ws, "Squat (Barbell)").id, template_id=tpl.id)
    for _ in range(3):
        ws.add_set(squat.id, 100, 5)
    bench = ws.add_entry(find(ws, "Bench Press (Barbell)").id, template_id=tpl.id)
    ws.add_set(bench.id, 40, 10, set_type="warmup")
    ws.add_set(bench.id, 60, 8)
    ws.add_set(bench.id, 60, 8)
    plank = ws.add_entry(find(ws, "Plank").id, template_id=tpl.id)
    ws.add_set(plank.id, 0, 1, duration_s=60)
    ws.add_set(plank.id, 0, 1, duration_s=60)
    return tpl


@pytest.fixture
def book(services, alice, ws):
    def make(session_id: int) -> Logbook:
        logbook = Logbook(ws, services.progress(alice.id), services.settings(alice.id), session_id, journal=None)
        logbook.open()
        return logbook

    return make


def stored(ws, sid, index=0):
    return [(s.weight, s.reps, s.set_type, s.rpe, s.duration_s, s.display_unit)
            for s in ws.get_session(sid).entries[index].sets]


def states(view):
    return [(r.state, r.planned.weight, r.planned.reps, r.planned.set_type) for r in view.plan]


def test_merge_fills_rows_in_order_and_passes_skipped_ones():
    plan = PlannedExercise(1, tuple(PlannedSet(weight=w, reps=5) for w in (20, 40, 60, 80)))
    assert [r.state for r in merge(plan, 0)] == [NEXT, TODO, TODO, TODO]
    assert [r.state for r in merge(plan, 1, frozenset({1}))] == [DONE, SKIPPED, NEXT, TODO]
    assert [r.logged for r in merge(plan, 2, frozenset({1}))] == [0, None, 1, None]
    assert [r.state for r in merge(plan, 1, finished=True)] == [DONE, SKIPPED, SKIPPED, SKIPPED]
    assert [r.state for r in merge(plan, 9)] == [DONE] * 4
    assert merge(None, 3) == ()


def test_a_template_workout_plans_every_set_with_the_ramp_before_the_squat(ws, template, book):
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)
    view = b.view()
    assert [line.planned for line in view.exercises] == [7, 3, 2]  # squat: 4 warm-ups + 3
    assert states(view) == [
        (NEXT, 20, 10, "warmup"), (TODO, 40, 5, "warmup"), (TODO, 60, 3, "warmup"), (TODO, 80, 2, "warmup"),
        (TODO, 100, 5, None), (TODO, 100, 5, None), (TODO, 100, 5, None)]
    assert view.prefill == "20x10" and view.prompt == "Set 1"
    view = b.submit(">bench")
    # bench has its own warm-up: planned as a warm-up, no ramp added
    assert states(view) == [(NEXT, 40, 10, "warmup"), (TODO, 60, 8, None), (TODO, 60, 8, None)]
    view = b.submit(">plank")
    assert [(r.planned.duration_s, r.state) for r in view.plan] == [(60, NEXT), (60, TODO)]
    assert view.prefill == "60s"


def test_enter_logs_each_planned_set_exactly_and_typing_logs_what_was_done(ws, template, book):
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)
    for _ in range(5):  # a burst of Enters: the four warm-ups and the first working set
        view = b.submit("")
    assert stored(ws, sid) == [(20, 10, "warmup", None, None, None), (40, 5, "warmup", None, None, None),
                               (60, 3, "warmup", None, None, None), (80, 2, "warmup", None, None, None),
                               (100, 5, None, None, None, None)]
    assert view.status.text == "Set 5 logged: 100 kg × 5."
    assert [r.state for r in view.plan] == [DONE] * 5 + [NEXT, TODO]
    view = b.submit("x4 @9")  # what was really done: the planned weight, 4 reps
    view = b.submit("@8")  # the last planned set as prescribed, with an RPE
    assert stored(ws, sid)[5:] == [(100, 4, None, 9.0, None, None), (100, 5, None, 8.0, None, None)]
    assert [r.state for r in view.plan] == [DONE] * 7
    # the plan is done: an empty Enter repeats the last set, as without a plan
    assert view.prefill == "100x5"
    view = b.submit(">plank")
    b.submit("")
    view = b.submit("45s")
    assert [(s[4], s[1]) for s in stored(ws, sid, 2)] == [(60, 1), (45, 1)]


def test_a_typed_set_takes_the_rows_type_unless_marked(ws, template, book):
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)
    b.submit("25x8")  # typed over the bar's warm-up row: a warm-up
    b.submit("40x5 d")  # a mark says otherwise
    assert [s[:3] for s in stored(ws, sid)] == [(25, 8, "warmup"), (40, 5, "drop")]


def test_skipped_rows_stay_skipped_and_enter_logs_the_next(ws, template, book, services, alice):
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)
    for _ in range(4):
        view = b.submit("skip")
    assert view.status.text == "Skipped the warm-up 80 kg × 2."
    assert [r.state for r in view.plan] == [SKIPPED] * 4 + [NEXT, TODO, TODO]
    view = b.submit("unskip")
    assert view.status.text == "The warm-up 80 kg × 2 is planned again."
    b.submit("")
    view = b.submit("")
    assert [s[:3] for s in stored(ws, sid)] == [(80, 2, "warmup"), (100, 5, None)]
    assert [r.state for r in view.plan] == [SKIPPED] * 3 + [DONE, DONE, NEXT, TODO]
    # opened again (another run): still skipped
    again = book(sid).view()
    assert [r.state for r in again.plan] == [SKIPPED] * 3 + [DONE, DONE, NEXT, TODO]
    # finished: the rows never done read as skipped
    view = b.finish()
    assert [r.state for r in view.plan] == [SKIPPED] * 3 + [DONE, DONE, SKIPPED, SKIPPED]
    assert b.submit("skip").status.error


def test_sets_waiting_for_the_database_fill_rows_too_and_go_in_once(ws, template, book, monkeypatch):
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)

    def refused(self, *args, **kwargs):
        raise DatabaseUnavailableError("Cannot reach the database.", retry_safe=True)

    monkeypatch.setattr(WorkoutService, "add_set", refused)
    for _ in range(3):
        view = b.submit("")
    assert view.pending == 3 and [r.state for r in view.plan][:4] == [DONE, DONE, DONE, NEXT]
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    view = b.resend()
    assert view.pending == 0
    assert [s[:2] for s in stored(ws, sid)] == [(20, 10), (40, 5), (60, 3)]


def test_the_ramp_uses_the_lifters_plates_and_is_off_per_exercise(ws, template, book, services, alice):
    services.settings(alice.id).update(bar_weight=15, plates="20, 10, 5")
    sid = ws.start_session(template_id=template.id).id
    b = book(sid)
    # a 15 kg bar, 5 kg the lightest plate: 40, 60 and 80 kg cannot be loaded (the lighter on a tie)
    assert states(b.view())[:4] == [(NEXT, 15, 10, "warmup"), (TODO, 35, 5, "warmup"),
                                    (TODO, 55, 3, "warmup"), (TODO, 75, 2, "warmup")]
    view = b.submit("warmups off")
    assert view.status.text == "Warm-ups for Squat (Barbell) off."
    assert states(view) == [(NEXT, 100, 5, None)] * 1 + [(TODO, 100, 5, None)] * 2
    assert services.settings(alice.id).get().warmups_off == frozenset({find(ws, "Squat (Barbell)").id})
    # the next workout from the template: still off for squat, bench keeps its own warm-up
    other = book(ws.start_session(template_id=template.id).id).view()
    assert len(other.plan) == 3
    view = b.submit("warmups on")
    assert len(view.plan) == 7


def test_a_pounds_template_ramps_in_pounds(ws, services, alice, book):
    services.settings(alice.id).update(weight_unit="lbs")
    tpl = ws.create_template("Pounds")
    squat = ws.add_entry(find(ws, "Squat (Barbell)").id, template_id=tpl.id)
    ws.add_set(squat.id, 225, 5, unit="lbs")
    sid = ws.start_session(template_id=tpl.id).id
    b = book(sid)
    view = b.view()
    assert [(from_kg(r.planned.weight, "lbs"), r.planned.reps) for r in view.plan] == [
        (45, 10), (90, 5), (135, 3), (180, 2), (225, 5)]
    assert view.prefill == "45x10"
    for _ in range(5):
        b.submit("")
    typed = book(ws.start_session().id)
    typed.submit("squat barbell")
    for line in ("45x10 w", "90x5 w", "135x3 w", "180x2 w", "225x5"):
        typed.submit(line)
    # ticked exactly as a pounds lifter typing the prescription stores it
    assert stored(ws, sid) == stored(ws, typed.session_id)
    assert [s[0] for s in stored(ws, sid)] == [to_stored(p, LoadUnit.LBS) for p in (45, 90, 135, 180, 225)]
    assert {s[5] for s in stored(ws, sid)} == {"lbs"}


def test_a_workout_from_no_template_has_no_plan(ws, book, services, alice):
    sid = ws.start_session().id
    b = book(sid)
    view = b.submit("squat barbell")
    assert view.plan == () and view.exercises[0].planned == 0
    assert PlanService(services.db, alice.id).planned(sid) == {}


def test_ticked_sets_are_journaled_with_client_ids_and_survive_a_kill(ws, template, services, alice, monkeypatch):
    """Ticked while the database is away: each ticked set is in the journal with its client id
    (exactly its planned values), and the next run sends them in order, once each."""
    from overload_tui.services.journal import Journal

    sid = ws.start_session(template_id=template.id).id
    b = Logbook(ws, services.progress(alice.id), services.settings(alice.id), sid)
    b.open()
    journal = Journal.for_user(services.db, alice.id)
    sent: list[str] = []

    def refused(self, *args, client_id=None, **kwargs):
        sent.append(client_id)
        raise DatabaseUnavailableError("The database is not answering.", maybe_saved=True)

    monkeypatch.setattr(WorkoutService, "add_set", refused)
    for _ in range(3):
        view = b.submit("")
    waiting = journal.waiting()
    assert view.pending == 3 and len({w.client_id for w in waiting}) == 3 and sent == [waiting[0].client_id]
    assert [(w.values.weight, w.values.reps, w.values.set_type) for w in waiting] == [
        (20, 10, "warmup"), (40, 5, "warmup"), (60, 3, "warmup")]
    del b  # killed
    monkeypatch.setattr(WorkoutService, "add_set", REAL_ADD_SET)
    again = Logbook(ws, services.progress(alice.id), services.settings(alice.id), sid)
    view = again.open()
    assert view.pending == 0 and [s[:3] for s in stored(ws, sid)] == [
        (20, 10, "warmup"), (40, 5, "warmup"), (60, 3, "warmup")]
    assert [r.state for r in view.plan][:4] == [DONE, DONE, DONE, NEXT]
    Logbook(ws, services.progress(alice.id), services.settings(alice.id), sid).open()
    assert len(stored(ws, sid)) == 3  # never twice
