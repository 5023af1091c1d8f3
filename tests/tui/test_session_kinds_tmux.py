"""The kinds of set through a real terminal: the ``overload`` command in a private tmux at 80x24
and 45x20 logs a plank, a row, weighted dips, assisted pull-ups and push-ups typed into the set
box, and each shows in the table as typed. Every wait is on what the screen shows. Run alone with
``pytest -m tmux tests/tui/test_session_kinds_tmux.py``; OVERLOAD_WALK_DIR keeps each screen."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.test_tmux import pytestmark, tmux  # noqa: F401 - the fixture and marks
from tests.e2e.tmux import Tmux

WALK = [  # exercise, set typed, what its row shows, what the status line says
    ("plank", "60s", r"\b1\s+60 s\s+1\b", "Set 1 logged: 60 s."),
    ("rowing", "2000m 7:30", r"\b1\s+2000 m\s+7:30\s+1\s+3:45\b", "Set 1 logged: 2000 m in 7:30"),
    ("chest dip", "bw+20x8", r"\b1\s+bw\+20 kg\s+8\b", "Set 1 logged: bw+20 kg × 8."),
    ("pull up assisted", "bw-30x8", r"\b1\s+bw−30 st\s+8\b", "Set 1 logged: bw−30 stacks × 8."),
    ("push up", "15", r"\b1\s+bw\s+15\b", "Set 1 logged: 15 reps."),
]


@pytest.mark.parametrize("size", [(80, 24), (45, 20)])
def test_every_kind_logged_in_tmux(tmux, size):  # noqa: F811
    tmux.width, tmux.height = size
    tmux.start("kinds")
    tmux.log_in()
    tmux.wait_for("this week")
    tmux.keys("n")
    tmux.wait_for("No exercises yet")
    keep = os.environ.get("OVERLOAD_WALK_DIR")
    for exercise, line, row, said in WALK:
        tmux.type(exercise)
        tmux.keys("Enter")
        tmux.wait_until(lambda s: "Added" in s and "Set 1" in s, f"{exercise} added")
        if exercise == "plank":
            tmux.type("100x5")  # does not fit: said, and given back to be fixed
            tmux.keys("Enter")
            tmux.wait_for("Plank is timed: type a time like 60s or 1:30.")
            tmux.keys("C-u")
        tmux.type(line)
        tmux.keys("Enter")
        screen = tmux.wait_until(lambda s: said in s.replace("\n", " ") or said[:30] in s and re.search(row, s),
                                 f"{line} logged and shown")
        screen = tmux.wait_until(lambda s: re.search(row, s), f"the row of {line}")
        assert all(len(x) <= size[0] for x in screen.splitlines())
        if exercise == "rowing":
            assert re.search(r"Set 2\s+2000m 7:30 \(Enter logs it\)\s+kg", screen)  # no pin on a rower
        if keep:
            Path(keep, f"{size[0]}x{size[1]}-{exercise.replace(' ', '-')}.txt").write_text(screen)
