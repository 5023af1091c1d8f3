"""The real ``overload`` command in tmux at 80x24 on a fresh database: log in, start a workout,
add an exercise, log three sets, quit, start again (still logged in through the saved token) and
find the three sets on screen and in the database.

Run it alone with ``pytest -m tmux tests/e2e``. It uses a private tmux server (``-L``) with no
configuration file, so a user's own tmux is neither needed nor touched.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PASSWORD = "correct horse battery"
TIMEOUT = 30.0


class Tmux:
    def __init__(self, env: dict[str, str], cwd: str) -> None:
        self.socket = f"overload-e2e-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.cwd = cwd

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=10, check=True,
        )
        return result.stdout

    def start(self, name: str) -> None:
        variables = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        self.new_session(name, f"cd {shlex.quote(self.cwd)} && env {variables} {shlex.quote(sys.executable)} -m overload_tui")

    def new_session(self, name: str, command: str) -> None:
        for attempt in range(3):
            try:
                self.run("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
                break
            except subprocess.CalledProcessError:  # the server of the last session may be exiting still
                if attempt == 2:
                    raise
                time.sleep(0.3)
        self.name = name

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda screen: text in screen, f"{text!r} to appear")

    def wait_until(self, check, what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:  # the session is gone (the app ended)
                screen = ""
            if check(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"waited in vain for {what}; the screen was:\n{screen}")

    def cursor(self) -> tuple[int, int]:
        x, y = self.run("display-message", "-p", "-t", self.name, "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def enter_and_wait_for_next_field(self) -> None:
        """Enter in a form moves to the next field: wait until the cursor has gone there, as a
        person would before typing on (keys typed sooner would land in the field just left)."""
        _, row = self.cursor()
        self.keys("Enter")
        deadline = time.monotonic() + TIMEOUT
        while self.cursor()[1] == row:
            assert time.monotonic() < deadline, "Enter did not move to the next field"
            time.sleep(0.05)

    def wait_gone(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.name],
                              capture_output=True).returncode != 0:
                return
            time.sleep(0.1)
        raise AssertionError("the app did not quit")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {
        "OVERLOAD_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'overload.db'}",
        "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])),
        "TERM": "tmux-256color",
    }
    subprocess.run(
        [sys.executable, "-m", "overload_tui", "user", "add", "alice", "--email", "alice@example.com"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True, env={**os.environ, **env},
    )
    session = Tmux(env, str(tmp_path))
    try:
        yield session
    finally:
        session.kill()


def test_log_three_sets_quit_and_find_them_again(tmux):
    tmux.start("first")
    tmux.wait_for("Username")
    tmux.type("alice")
    # The login form is drawn before the database layer has loaded: let the name show (the
    # cursor is in its field then) before Enter, which must move the cursor to the password.
    tmux.wait_for("alice")
    tmux.enter_and_wait_for_next_field()
    tmux.type(PASSWORD)
    tmux.keys("Enter")
    tmux.wait_for("0 workouts this week")

    tmux.keys("n")  # a new, empty workout opens the exercise picker
    tmux.wait_for("Add an exercise")
    tmux.type("bench press")
    tmux.wait_for("found")
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
