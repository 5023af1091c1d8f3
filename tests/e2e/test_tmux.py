"""The real ``overload`` command in tmux at 80x24 on a fresh database: log in, start a workout,
add an exercise, log three sets, quit, start again (still logged in through the saved token) and
find the three sets on screen and in the database.

Run it alone with ``pytest -m tmux tests/e2e``. It uses a private tmux server (``-L``) with no
configuration file, so a user's own tmux is neither needed nor touched.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.tmux import PASSWORD, TIMEOUT, Tmux, add_user, app_env  # noqa: F401 - also imported from here by other tests

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(tmp_path):
    env = app_env(tmp_path)
    add_user(env)
    session = Tmux(env, str(tmp_path))
    try:
        yield session
    finally:
        session.kill()


def test_log_three_sets_quit_and_find_them_again(tmux):
    tmux.start("first")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")

    tmux.keys("n")  # a new, empty workout: the set box asks for an exercise
    tmux.wait_for("No exercises yet")
    tmux.type("bench press")  # a name typed into the set box adds that exercise
    tmux.keys("Enter")
    tmux.wait_for("Set 1")
    tmux.type("100x5")
    tmux.keys("Enter")
    tmux.wait_for("Set 2")
    tmux.keys("Enter")  # the same again: one key
    tmux.wait_for("Set 3")
    tmux.type("x3")
    tmux.keys("Enter")
    tmux.wait_for("Set 4")
    tmux.keys("C-q")
    tmux.wait_gone()

    tmux.start("second")
    tmux.wait_for("1 workout this week")  # no password asked: the saved log-in
    tmux.keys("r")
    screen = tmux.wait_for("Set 4")
    rows = [re.search(r"(\d+)\s+100 kg\s+(\d+)", line) for line in screen.splitlines()]
    assert [m.groups() for m in rows if m] == [("1", "5"), ("2", "5"), ("3", "3")], screen
    assert "Bench Press (Barbell)" in screen
    tmux.keys("C-q")
    tmux.wait_gone()

    from overload_tui.services import Services

    services = Services.open(tmux.env["DATABASE_URL"], data_dir=Path(tmux.env["OVERLOAD_DATA_DIR"]), upgrade=False)
    try:
        alice = services.auth.list_users()[0]
        workout = services.workouts(alice.id).latest_unfinished()
        [entry] = workout.entries
        assert entry.exercise.name == "Bench Press (Barbell)"
        assert [(s.weight, s.reps, s.unit.value) for s in entry.sets] == [(100, 5, "kg"), (100, 5, "kg"), (100, 3, "kg")]
    finally:
        services.close()
