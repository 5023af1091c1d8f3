"""Each built-in program run for twelve simulated weeks against scripted results (all hits,
misses, stalls), its prescriptions compared with the program's published rules."""

from __future__ import annotations

import pytest

from overload_tui.domain.programs import builtins, initial_state, simulate
from overload_tui.domain.programs.engine import LB, round_to

WEEKS = 12


def exact(lift: str, value: float) -> float:
    return round(value, 6)


def program(name: str):
    return next(p for p in builtins() if p.name == name)


def run(name, maxes, outcome=None, unit="kg", rounder=exact, weeks=WEEKS):
    p = program(name)
    state = initial_state(p, maxes, unit)
    kw = {"outcome": outcome} if outcome else {}
    return p, simulate(p, state, weeks=weeks, round_weight=rounder, **kw)


def scripted(reps_for):
    """An outcome: reps_for(plan, item, planned set, group) -> reps done."""

    def outcome(plan):
        return {i: [reps_for(plan, item, st, g) for st, g in zip(item.sets, item.groups)]
                for i, item in enumerate(plan.items)}

    return outcome


def hits(plan, item, st, g):
    return g.target


def working(item):
    return [(st, g) for st, g in zip(item.sets, item.groups) if st.set_type != "warmup"]


def item_of(plan, exercise):
    return next(i for i in plan.items if i.exercise == exercise)


def kg(st):
    return round(st.weight, 4)


# -- 5/3/1 Boring But Big ----------------------------------------------------------------------
W531 = {"Press": 60.0, "Deadlift": 180.0, "Bench": 100.0, "Squat": 140.0}
MAIN = {1: [(65, 5, False), (75, 5, False), (85, 5, True)],
        2: [(70, 3, False), (80, 3, False), (90, 3, True)],
        3: [(75, 5, False), (85, 3, False), (95, 1, True)],
        4: [(40, 5, False), (50, 5, False), (60, 5, False)]}
UPPER = {"Press", "Bench"}
EXERCISE = {"Press": "Overhead Press (Barbell)", "Deadlift": "Deadlift (Barbell)",
            "Bench": "Bench Press (Barbell)", "Squat": "Squat (Barbell)"}


def test_531_all_hits_twelve_weeks():
    p, days = run("5/3/1 Boring But Big", W531)
    assert len(days) == 48 and days[-1].plan.week_number == 12
    for d in days:
        plan = d.plan
        cycle = plan.cycle - 1
        lift = plan.title
        tm = W531[lift] + cycle * (2.5 if lift in UPPER else 5.0)
        item = item_of(plan, EXERCISE[lift])
        sets = working(item)
        main = [(round(st.weight / tm * 100, 6), st.reps, st.amrap) for st, g in sets[:3]]
        assert main == [(float(p_), r, a) for p_, r, a in MAIN[plan.week]], (plan.note, main)
        if plan.week == 4:
            assert plan.deload and len(sets) == 3 and len(plan.items) == 1
        else:
            warm = [(round(st.weight / tm * 100, 6), st.reps) for st in item.sets if st.set_type == "warmup"]
            assert warm == [(40, 5), (50, 5), (60, 3)]
            bbb = sets[3:]
            assert [(st.reps, round(st.weight / tm * 100, 6)) for st, g in bbb] == [(10, 50.0)] * 5  # BBB 5x10
            assert len(plan.items) == 2  # and one assistance lift, unweighted
            assert plan.items[1].sets[0].weight is None
            assert item.sets[5].explanation.startswith(f"{MAIN[plan.week][2][0]}% × TM {tm:g} kg = ")
    # the TMs after three cycles: +2.5 kg upper, +5 kg lower per cycle
    assert {k: v.weight for k, v in days[-1].state_after.lifts.items()} == {
        "Press": 67.5, "Deadlift": 195.0, "Bench": 107.5, "Squat": 155.0}
    # TMs move only at the end of a cycle (after the deload week)
    assert [d.plan.week_number for d in days if d.events] == [4, 8, 12]


def test_531_pounds_add_5_and_10_lb():
    maxes = {"Press": 135.0, "Deadlift": 405.0, "Bench": 225.0, "Squat": 315.0}
    p, days = run("5/3/1 Boring But Big", maxes, unit="lbs", rounder=round_to(5.0))
    assert {k: v.weight for k, v in days[-1].state_after.lifts.items()} == {
        "Press": 150.0, "Deadlift": 435.0, "Bench": 240.0, "Squat": 345.0}
    st = item_of(days[0].plan, "Overhead Press (Barbell)").sets[5]  # 85% of 135 = 114.75 -> 115 lb
    assert st.display_unit == "lbs" and round(st.weight / LB, 2) == 115 and st.amrap
    assert st.explanation == "85% × TM 135 lb = 114.75 → 115 lb"


def test_531_missed_amrap_takes_10_percent_off_that_lift_only():
    def reps(plan, item, st, g):  # Squat misses its 1+ in cycle 1 (0 reps at 95%)
        if plan.cycle == 1 and plan.week == 3 and item.exercise == "Squat (Barbell)" and st.amrap:
            return 0
        return g.target

    p, days = run("5/3/1 Boring But Big", W531, scripted(reps))
    after1 = days[15].state_after.lifts
    assert after1["Squat"].weight == pytest.approx(126.0)  # 140 - 10%
    assert after1["Bench"].weight == 102.5 and after1["Deadlift"].weight == 185.0
    assert any("Squat: cycle missed" in e for e in days[15].events)
    assert days[-1].state_after.lifts["Squat"].weight == pytest.approx(136.0)  # then +5, +5


def test_531_stall_at_the_minimum_reps_still_progresses_and_deload_results_never_count():
    def reps(plan, item, st, g):  # the AMRAP sets exactly at their minimum; the deload week all missed
        return 0 if plan.deload else g.reps

    p, days = run("5/3/1 Boring But Big", W531, scripted(reps))
    assert days[-1].state_after.lifts["Squat"].weight == 155.0


def test_531_rounds_to_the_plates_and_says_so():
    p, days = run("5/3/1 Boring But Big", {"Press": 57.5, "Deadlift": 157.5, "Bench": 95.0, "Squat": 125.0},
                  rounder=round_to(2.5), weeks=1)
    st = item_of(days[0].plan, "Overhead Press (Barbell)").sets[3]
    assert st.weight == 37.5 and st.explanation == "65% × TM 57.5 kg = 37.38 → 37.5 kg"


# -- GZCLP -------------------------------------------------------------------------------------
GZ = {"Squat T1": 100.0, "Bench T1": 70.0, "Deadlift T1": 120.0, "Press T1": 45.0,
      "Squat T2": 75.0, "Bench T2": 50.0, "Deadlift T2": 90.0, "Press T2": 30.0,
      "Lat Pulldown T3": 40.0, "Row T3": 20.0}
T1_STAGES = [(5, 3), (6, 2), (10, 1)]
T2_STAGES = [(3, 10), (3, 8), (3, 6)]


def scheme(item):
    sets = working(item)
    return len(sets), sets[0][0].reps, sets[-1][0].amrap


def test_gzclp_all_hits_adds_weight_every_session():
    p, days = run("GZCLP", GZ)
    assert len(days) == 36  # three days a week
    assert [d.plan.day_name for d in days[:8]] == ["A1", "B1", "A2", "B2", "A1", "B1", "A2", "B2"]
    seen: dict[str, int] = {}
    for d in days:
        for item in d.plan.items:
            lift = item.set_lifts[0]
            n = seen.get(lift, 0)
            seen[lift] = n + 1
            inc = 5.0 if lift.split()[0] in ("Squat", "Deadlift") and "T3" not in lift else 2.5
            if lift.endswith("T1"):
                assert scheme(item) == (5, 3, True)
                assert kg(item.sets[0]) == GZ[lift] + n * inc
            elif lift.endswith("T2"):
                assert scheme(item) == (3, 10, False)
                assert kg(item.sets[0]) == GZ[lift] + n * inc
            else:  # T3 done as written (15 reps on the last set) never earns weight
                assert scheme(item) == (3, 15, True) and kg(item.sets[0]) == GZ[lift]
    assert seen["Squat T1"] == 9


def test_gzclp_t1_failures_move_through_stages_then_reset_to_85_percent():
    def reps(plan, item, st, g):  # Squat T1 fails every time; everything else hits
        return 0 if item.set_lifts[0] == "Squat T1" else g.target

    p, days = run("GZCLP", GZ, scripted(reps))
    squat = [item_of(d.plan, "Squat (Barbell)") for d in days if d.plan.day_name == "A1"]
    got = [(scheme(i)[:2], kg(i.sets[0])) for i in squat]
    assert got[:5] == [((5, 3), 100.0), ((6, 2), 100.0), ((10, 1), 100.0), ((5, 3), 85.0), ((6, 2), 85.0)]
    assert "reset to stage 1 at 85 kg" in " ".join(e for d in days for e in d.events)


def test_gzclp_t2_failures_then_restart_at_last_3x10_weight_plus_7_5():
    def reps(plan, item, st, g):  # Bench T2: hits twice at 3x10, then fails forever
        if item.set_lifts[0] == "Bench T2":
            reps.count = getattr(reps, "count", 0)
            if id(plan) != getattr(reps, "plan", None):
                reps.plan = id(plan)
                reps.count += 1
            return g.target if reps.count <= 2 else 0
        return g.target

    p, days = run("GZCLP", GZ, scripted(reps))
    bench = [item_of(d.plan, "Bench Press (Barbell)") for d in days if d.plan.day_name == "A1"]
    got = [(scheme(i)[:2], kg(i.sets[0])) for i in bench]
    assert got[:6] == [((3, 10), 50.0), ((3, 10), 52.5), ((3, 10), 55.0), ((3, 8), 55.0), ((3, 6), 55.0),
                       ((3, 10), 62.5)]  # 55 (the last 3x10 weight) + 7.5


def test_gzclp_t3_gains_weight_when_the_last_set_reaches_25():
    def reps(plan, item, st, g):
        if item.set_lifts[0] == "Lat Pulldown T3" and st.amrap:
            return 25 if plan.week_number % 2 == 0 else 20  # a stall, then 25 reps
        return g.target

    p, days = run("GZCLP", GZ, scripted(reps))
    pulldown = [(d.plan.week_number, kg(item_of(d.plan, "Lat Pulldown (Cable)").sets[0])) for d in days
                if any(i.exercise == "Lat Pulldown (Cable)" for i in d.plan.items)]
    for (week, weight), (_, after) in zip(pulldown, pulldown[1:]):
        assert after == weight + (2.5 if week % 2 == 0 else 0.0)
    assert pulldown[-1][1] > 40.0


# -- StrongLifts 5x5 ---------------------------------------------------------------------------
SL = {"Squat": 60.0, "Bench": 50.0, "Row": 50.0, "Press": 35.0, "Deadlift": 80.0}


def test_5x5_all_hits_adds_2_5_kg_and_5_kg_deadlift_per_session():
    p, days = run("StrongLifts 5x5", SL)
    assert len(days) == 36
    squats = [kg(item_of(d.plan, "Squat (Barbell)").sets[0]) for d in days]
    assert squats == [60.0 + 2.5 * n for n in range(36)]
    dead = [kg(item_of(d.plan, "Deadlift (Barbell)").sets[0]) for d in days if d.plan.day_name == "B"]
    assert dead == [80.0 + 5 * n for n in range(18)]
    for d in days:
        for item in d.plan.items:
            expected = (1, 5) if item.exercise == "Deadlift (Barbell)" else (5, 5)
            assert (len(item.sets), item.sets[0].reps) == expected
            assert not any(s.amrap for s in item.sets)


def test_5x5_deloads_10_percent_after_three_failed_sessions():
    def reps(plan, item, st, g):  # the squat stalls at 4 reps on its last set from 70 kg on
        if item.exercise == "Squat (Barbell)" and st is item.sets[-1] and st.weight >= 70:
            return 4
        return g.target

    p, days = run("StrongLifts 5x5", SL, scripted(reps))
    squats = [kg(item_of(d.plan, "Squat (Barbell)").sets[0]) for d in days]
    assert squats[:10] == [60, 62.5, 65, 67.5, 70, 70, 70, 63, 65.5, 68]
    assert squats[10:13] == [70.5, 70.5, 70.5]  # stalls again (>= 70), three times...
    assert squats[13] == pytest.approx(63.45)    # ...and deloads 10% again
    assert days[-1].state_after.lifts["Bench"].weight == 50 + 2.5 * 18  # the other lifts climb on


# -- PPL double progression --------------------------------------------------------------------
PPL = {name: 40.0 for name in program("PPL Double Progression").lifts}


def test_double_progression_adds_reps_then_weight():
    progress: dict[str, int] = {}

    def reps(plan, item, st, g):  # one more rep per session on every set, 8..12, then back to 8
        lift = item.set_lifts[0]
        return 8 + progress.get(lift, 0)

    def outcome(plan):
        out = scripted(reps)(plan)
        for item in plan.items:
            lift = item.set_lifts[0]
            progress[lift] = (progress.get(lift, 0) + 1) % 5  # 8, 9, 10, 11, 12, 8...
        return out

    p, days = run("PPL Double Progression", PPL, outcome)
    assert len(days) == 72
    bench = [kg(item_of(d.plan, "Bench Press (Barbell)").sets[0]) for d in days if d.plan.title == "Push"]
    assert bench[:11] == [40] * 5 + [42.5] * 5 + [45]  # 12 reps on every set: +2.5 kg
    squat = [kg(item_of(d.plan, "Squat (Barbell)").sets[0]) for d in days if d.plan.title == "Legs"]
    assert squat[:11] == [40] * 5 + [45] * 5 + [50]  # lower body: +5 kg
    for d in days:
        for item in d.plan.items:
            assert [(s.reps, g.reps_max) for s, g in zip(item.sets, item.groups)] == [(8, 12)] * 3


def test_double_progression_stall_keeps_the_weight():
    def reps(plan, item, st, g):  # stuck at 12, 12, 10
        return 10 if st is item.sets[-1] else 12

    p, days = run("PPL Double Progression", PPL, scripted(reps))
    assert {v.weight for v in days[-1].state_after.lifts.values()} == {40.0}
    assert not any(e for d in days for e in d.events)
