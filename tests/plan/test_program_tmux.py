"""Issue 18's walk: a program day started in a real terminal (the ``overload`` command in a
private tmux) at 80x24 and 45x20. The program is started, its next day opened from the Programs
screen, the prescribed sets ticked with Enter (one burst), one changed by typing, and the workout
finished; the database holds exactly that, tied to the program's week and day. Every wait is on
what the screen shows."""

from __future__ import annotations


import pytest

from tests.e2e.test_tmux import pytestmark  # noqa: F401 - the tmux mark, skipped without tmux
from tests.e2e.tmux import ENTER, Tmux, add_user, app_env
from tests.plan.test_plan_tmux import open_services, row

PROGRAM = """\
program: Walk 3x5
description: One squat day: two warm-ups at half the working weight, then 3x5.
unit: kg

lift Squat: Squat (Barbell)
  increase: 2.5 kg / 5 lb per session

workout A: Squat day
  Squat: 2x5 @ 50% warmup, 3x5

week 1: A
"""


@pytest.fixture(params=[(80, 24), (45, 20)], ids=lambda size: f"{size[0]}x{size[1]}")
def walk(request, tmp_path):
    """Alice running 'Walk 3x5' from a 100 kg squat, and the app in tmux at the size asked."""
    from overload_tui.services.programs import ProgramService

    env = app_env(tmp_path)
    add_user(env)
    services = open_services(env)
    try:
        programs = ProgramService(services.db, services.auth.list_users()[0].id)
        programs.save(PROGRAM)
        programs.start("Walk 3x5", maxes={"Squat": 100})
    finally:
        services.close()
    session = Tmux(env, str(tmp_path), size=request.param)
    try:
        yield session
    finally:
        session.kill()


def test_a_program_day_ticked_with_enter_changed_by_typing_and_finished(walk):
    tmux = walk
    tmux.start("program")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")
    tmux.keys("o")
    tmux.wait_for("Walk 3x5")
    tmux.keys("d")  # the running program's next day
    screen = tmux.wait_until(lambda s: row("1W", "50", "5", "next").search(s), "the first warm-up, next")
    assert row("3", "100", "5").search(screen), screen

    tmux.burst(ENTER, ENTER, ENTER)  # both warm-ups and the first working set, as prescribed
    tmux.wait_for("Set 3 logged: 100 kg × 5.")
    tmux.wait_until(lambda s: row("4", "100", "5", "next").search(s), "the second working set next")
    tmux.keys("Enter")
    tmux.wait_for("Set 4 logged: 100 kg × 5.")
    tmux.type("100x4")  # the last set: what was really done
    tmux.keys("Enter")
    tmux.wait_for("Set 5 logged: 100 kg × 4.")
    tmux.keys("C-s")
    tmux.wait_for("Finish this workout (5 sets)?")
    tmux.type("y")
    tmux.wait_for("running · 1 day a cycle")  # back on the Programs screen it was opened from
    tmux.keys("q")
    tmux.wait_for("1 workout this week")
    tmux.keys("C-q")
    tmux.wait_gone()

    services = open_services(tmux.env)
    try:
        ws = services.workouts(services.auth.list_users()[0].id)
        [summary] = ws.list_sessions()
        session = ws.get_session(summary.id)
        assert session.finished_at is not None
        [entry] = session.entries
        assert [(s.weight, s.reps, s.set_type) for s in entry.sets] == [
            (50, 5, "warmup"), (50, 5, "warmup"), (100, 5, None), (100, 5, None), (100, 4, None)]
        with services.db.read() as s:
            from overload_tui.db.models import Session

            stored = s.get(Session, summary.id)
            assert stored.program_id is not None and (stored.program_week, stored.program_day) == (1, 1)
    finally:
        services.close()
