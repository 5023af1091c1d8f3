"""The logging screen's keys through a real terminal: the ``overload`` command in a private tmux
(no configuration file), where ctrl+<letter> keys and shift+Tab must arrive while the set box has
the focus, and plain letters act on the chosen set in rows mode. Every wait is on what the screen
shows. Run alone with ``pytest -m tmux tests/tui/test_session_tmux.py``."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_tmux import pytestmark, tmux  # noqa: F401 - the fixture and marks


def test_marks_notes_and_rows_mode_keys_in_tmux(tmux):  # noqa: F811
    tmux.start("keys")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")

    tmux.keys("n")  # an empty workout: the set box asks for an exercise's name
    tmux.wait_for("No exercises yet")
    tmux.type("bench press")
    tmux.keys("Enter")
    tmux.wait_for("Added Bench Press (Barbell).")
    tmux.type("60x10 w")  # marks typed after the set, in the set box
    tmux.keys("Enter")
    tmux.wait_for("Set 2")
    tmux.type("100x5 @8")
    tmux.keys("Enter")
    tmux.wait_for("Set 3")
    # The table marks the warm-up and shows the RPE.
    set_2 = re.compile(r"\b2\s+100 kg\s+5\s+8\b")
    tmux.wait_until(lambda s: "1W" in s and set_2.search(s), "set 1 marked W, set 2 shown with RPE 8")

    tmux.keys("C-t")  # the unit, from the set box: kg, lb (a barbell has no stacks)
    tmux.wait_for("Bench Press (Barbell) in lb.")
    tmux.keys("C-t")
    tmux.wait_for("Bench Press (Barbell) in kg.")

    tmux.type("note seat 4")  # the exercise's notes, typed
    tmux.keys("Enter")
    tmux.wait_for("Note on Bench Press (Barbell) saved.")

    tmux.keys("BTab")  # rows mode: plain letters act on the chosen set (the last)
    tmux.wait_for("Rows: ")
    tmux.type("t")  # set 2: normal -> warm-up
    tmux.wait_for("Set 2 is a warm-up.")
    tmux.type("[")  # and up: it becomes set 1
    tmux.wait_for("Set 2 is set 1 now.")
    tmux.wait_until(lambda screen: any(re.search(r"\b1W\s+100 kg", line) for line in screen.splitlines()),
                    "set 2 moved up")
    tmux.keys("Tab")  # back to typing: letters go into the box again
    tmux.type("x3")
    tmux.wait_until(lambda screen: re.search(r"Set 3\s+x3", screen), "x3 typed into the set box")
    tmux.keys("C-u")
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
