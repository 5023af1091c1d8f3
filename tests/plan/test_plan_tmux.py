"""A template workout walked through in a real terminal (the ``overload`` command in a private
tmux) at 80x24 and 45x20: started from the dashboard, its planned sets ticked with Enter, one
changed by typing, one skipped, finished; the database holds exactly what was ticked and typed.
Every wait is on what the screen shows. Run alone with ``pytest -m tmux tests/plan``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.test_tmux import pytestmark  # noqa: F401 - the tmux mark, skipped without tmux
from tests.e2e.tmux import ENTER, Tmux, add_user, app_env


def open_services(env):
    from overload_tui.services import Services

    return Services.open(env["DATABASE_URL"], data_dir=Path(env["OVERLOAD_DATA_DIR"]), upgrade=False)


@pytest.fixture(params=[(80, 24), (45, 20)], ids=lambda size: f"{size[0]}x{size[1]}")
def walk(request, tmp_path):
    """Alice, her template Day A (squat 100x5 x3: the warm-up ramp 20x10, 40x5, 60x3, 80x2 goes
    before it), and the app in tmux at the size asked."""
    env = app_env(tmp_path)
    add_user(env)
    services = open_services(env)
    try:
        ws = services.workouts(services.auth.list_users()[0].id)
        tpl = ws.create_template("Day A")
        squat = next(e for e in ws.search_exercises("squat barbell") if e.name == "Squat (Barbell)")
        entry = ws.add_entry(squat.id, template_id=tpl.id)
        for _ in range(3):
            ws.add_set(entry.id, 100, 5)
    finally:
        services.close()
    session = Tmux(env, str(tmp_path), size=request.param)
    try:
        yield session
    finally:
        session.kill()


def row(number: str, weight: str, reps: str, tail: str = "") -> re.Pattern[str]:
    return re.compile(rf"(?:^|│)\s*{re.escape(number)}\s+{re.escape(weight)} kg\s+{reps}\b.*{tail}", re.MULTILINE)


def test_a_template_workout_ticked_with_enter_changed_by_typing_and_finished(walk):
    tmux = walk
    tmux.start("plan")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")
    tmux.wait_for("Day A")
    tmux.keys("Down", "Enter")  # + Empty workout, then Day A
    screen = tmux.wait_until(lambda s: row("1W", "20", "10", "next").search(s), "the bar's warm-up, next")
    assert row("5", "100", "5").search(screen) and "Next: 20×10 warm-up" in screen, screen

    tmux.keys("Enter")  # tick it as prescribed
    tmux.wait_until(lambda s: row("2W", "40", "5", "next").search(s), "the 40 kg warm-up next")
    tmux.keys("Enter")
    tmux.wait_for("Set 3")
    tmux.type("65x3")  # change one: what was really done
    tmux.keys("Enter")
    tmux.wait_until(lambda s: "Set 3 logged: 65 kg × 3" in s and row("4W", "80", "2", "next").search(s),
                    "65x3 logged, the 80 kg warm-up next")
    tmux.type("skip")  # no 80 kg warm-up today
    tmux.keys("Enter")
    tmux.wait_until(lambda s: row("–W", "80", "2", "skip").search(s) and row("4", "100", "5", "next").search(s),
                    "80 kg skipped, the first working set next")
    tmux.burst(ENTER, ENTER, ENTER)  # the three working sets, in one burst
    tmux.wait_for("Set 6 logged: 100 kg × 5.")
    tmux.wait_until(lambda s: not re.search(r"\bnext\b", s.split("Exercises")[-1].split("Set 7")[0]),
                    "no planned set left")
    tmux.keys("C-s")
    tmux.wait_for("Finish this workout (6 sets)?")
    tmux.type("y")
    tmux.wait_for("1 workout this week")
    tmux.keys("C-q")
    tmux.wait_gone()

    services = open_services(tmux.env)
    try:
        ws = services.workouts(services.auth.list_users()[0].id)
        [summary] = ws.list_sessions()
        session = ws.get_session(summary.id)
        assert session.finished_at is not None and session.name == "Day A"
        [entry] = session.entries
        assert [(s.weight, s.reps, s.set_type, s.rpe) for s in entry.sets] == [
            (20, 10, "warmup", None), (40, 5, "warmup", None), (65, 3, "warmup", None),
            (100, 5, None, None), (100, 5, None, None), (100, 5, None, None)]
    finally:
        services.close()
