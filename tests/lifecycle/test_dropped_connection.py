"""Issue 6: the connection drops in the middle of a workout. The real ``overload`` command runs in
a private tmux at 80x24 on a fresh SQLite database; sets are logged, then:

* the terminal goes away (``tmux kill-server``, as when SSH drops: the app gets SIGHUP), or
* the process is killed outright (SIGKILL) right after the last set is shown;

either way every set whose row was shown is in the database, and the next launch offers the
workout back: the dashboard opens with "Resume" highlighted, so one key (Enter) is back in it.

And a hang-up (or SIGTERM) while a save is still waiting for the database (another process holds
SQLite's write lock) does not lose it: the app stops drawing, lets the save finish, then ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.lifecycle.helpers import AppTmux, add_user, app_env, set_rows, wait_gone

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(tmp_path):
    env = app_env(tmp_path)
    add_user(env)
    session = AppTmux(env, str(tmp_path))
    try:
        yield session
    finally:
        session.kill()


def _db_sets(tmux: AppTmux) -> list[tuple[float, int]]:
    """(weight, reps) of every set in the database, in order."""
    from overload_tui.services import Services

    services = Services.open(tmux.env["DATABASE_URL"], data_dir=Path(tmux.env["OVERLOAD_DATA_DIR"]), upgrade=False)
    try:
        alice = services.auth.list_users()[0]
        workout = services.workouts(alice.id).latest_unfinished()
        assert workout is not None, "the workout is still open"
        return [(s.weight, s.reps) for e in workout.entries for s in e.sets]
    finally:
        services.close()


def _start_workout(tmux: AppTmux) -> None:
    tmux.start("first")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")
    tmux.keys("n")
    tmux.wait_for("No exercises yet")
    tmux.type("bench press")  # a name typed into the set box adds that exercise
    tmux.keys("Enter")
    tmux.wait_for("Set 1")


def _log(tmux: AppTmux, text: str, rows: int) -> None:
    """Type a set and Enter; return once its row is shown (the save has committed)."""
    if text:
        tmux.type(text)
    tmux.keys("Enter")
    tmux.wait_until(lambda s: len(set_rows(s)) == rows, f"set row {rows} shown")


def _relaunch_and_resume(tmux: AppTmux) -> str:
    """A new terminal: the saved log-in opens the dashboard, Resume first; Enter resumes."""
    tmux.start("again")
    screen = tmux.wait_for("▶ Resume")
    assert "Bench Press" not in screen.split("▶ Resume")[0]  # on the dashboard, not in the workout
    tmux.keys("Enter")  # one key: Resume is highlighted
    return tmux.wait_until(lambda s: "Set 4" in s and len(set_rows(s)) == 3, "the workout resumed")


@pytest.mark.parametrize("how", ["hang-up", "sigkill"])
def test_sets_shown_before_the_connection_drops_are_kept(tmux, how):
    _start_workout(tmux)
    _log(tmux, "100x5", 1)
    _log(tmux, "", 2)  # the same again
    pid = tmux.pid()
    tmux.type("x3")
    if how == "sigkill":
        _log(tmux, "", 3)
        os.kill(pid, signal.SIGKILL)  # the instant the third row is on screen
    else:
        _log(tmux, "", 3)
        tmux.kill()  # the terminal goes away: SIGHUP
    wait_gone(pid)

    assert _db_sets(tmux) == [(100, 5), (100, 5), (100, 3)]
    screen = _relaunch_and_resume(tmux)
    assert [(n, w, r) for n, w, r in set_rows(screen)] == [("1", "100", "5"), ("2", "100", "5"), ("3", "100", "3")]


@pytest.mark.parametrize("how", ["tmux kill-server", "kill -HUP", "kill -TERM"])
def test_a_save_still_waiting_when_the_terminal_hangs_up_is_finished(tmux, how):
    _start_workout(tmux)
    _log(tmux, "100x5", 1)
    pid = tmux.pid()

    # Another process holds SQLite's write lock: the next save waits (busy timeout, 10 s).
    blocker = sqlite3.connect(tmux.env["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        tmux.type("102.5x4")
        tmux.wait_for("102.5x4")
        tmux.keys("Enter")
        # The key arrived (the set box took the line) but the row is not shown: the save waits.
        screen = tmux.wait_until(lambda s: "102.5x4" not in s, "the set box to take the line")
        assert len(set_rows(screen)) == 1
        if how == "kill -HUP":
            os.kill(pid, signal.SIGHUP)
        elif how == "kill -TERM":  # a shutdown or a process manager: same as ctrl+q
            os.kill(pid, signal.SIGTERM)
        else:
            tmux.kill()
        time.sleep(1.0)
        assert not _gone(pid), "the app waits for the save instead of dying with it"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    waited = wait_gone(pid)
    assert waited < 10, "the app ends once the save is done"
    assert _db_sets(tmux) == [(100, 5), (102.5, 4)]


def _gone(pid: int) -> bool:
    from tests.lifecycle.helpers import process_gone

    return process_gone(pid)
