"""The logging screen's keys through a real terminal: the ``overload`` command in a private tmux
(no configuration file), where ctrl+<letter> keys must arrive while the set box has the focus and
plain letters act in the set table. Run alone with ``pytest -m tmux tests/tui/test_session_tmux.py``."""

from __future__ import annotations

import re
import time

from pathlib import Path

from tests.e2e.test_tmux import PASSWORD, pytestmark, tmux  # noqa: F401 - the fixture and marks


def test_marks_notes_and_table_keys_in_tmux(tmux):  # noqa: F811
    tmux.start("keys")
    tmux.wait_for("Username")
    tmux.type("alice")
    tmux.wait_for("alice")
    tmux.enter_and_wait_for_next_field()
    tmux.type(PASSWORD)
    tmux.keys("Enter")
    tmux.wait_for("0 workouts this week")

    tmux.keys("n")
    tmux.wait_for("Add an exercise")
    tmux.type("bench press")
    tmux.wait_for("found")
    tmux.keys("Enter")
    tmux.wait_for("Set 1")
    tmux.type("60x10 w")  # marks typed after the set, in the set box
    tmux.keys("Enter")
    tmux.wait_for("Set 2")
    tmux.keys("C-u")
    tmux.type("100x5 @8")
    tmux.keys("Enter")
    tmux.wait_for("Set 3")
    # The table marks the warm-up and shows the RPE (the box says "Set 3" before the row is shown).
    set_2 = re.compile(r"\b2\s+100 kg\s+5\s+8\b")
    tmux.wait_until(lambda s: "1W" in s and set_2.search(s), "set 1 marked W, set 2 shown with RPE 8")

    tmux.keys("C-l")  # the exercise's notes, from the set box
    tmux.wait_for("Notes: Bench Press")
    tmux.type("seat 4")
    tmux.keys("C-s")
    tmux.wait_for("seat 4")

    # Textual gives the focus back only after keys already queued when a dialog closes, so keys sent
    # in that instant can reach the wrong widget; a person pauses anyway. (Keys behind shift+tab
    # follow the focus: tests/tui/test_set_burst.py.)
    time.sleep(0.5)
    tmux.keys("BTab")  # the set table: plain letters act there
    time.sleep(0.5)
    tmux.keys("t")  # set 2: normal -> warm-up
    tmux.wait_for("2W")
    tmux.keys("u")  # and up: it becomes set 1
    tmux.wait_until(lambda screen: any("1W" in line and "100 kg" in line for line in screen.splitlines()),
                    "set 2 moved up")  # shown once saved: ctrl+q sent with it could arrive first
    tmux.keys("C-q")
    tmux.wait_gone()

    from overload_tui.services import Services

    services = Services.open(tmux.env["DATABASE_URL"], data_dir=Path(tmux.env["OVERLOAD_DATA_DIR"]), upgrade=False)
    try:
        alice = services.auth.list_users()[0]
        [entry] = services.workouts(alice.id).latest_unfinished().entries
        assert entry.notes == "seat 4"
        assert [(s.weight, s.reps, s.set_type, s.rpe) for s in entry.sets] == [
            (100, 5, "warmup", 8.0), (60, 10, "warmup", None)]
    finally:
        services.close()
