"""The logging screen logs every kind of set (Pilot, on both databases): a plank, a row, weighted
dips, assisted pull-ups and push-ups typed into the set box, shown in the table as logged (at
80x24 and in a 45-column phone session), saved with their time and distance, and a set that does
not fit the exercise refused on the line under the box."""

from __future__ import annotations

import pytest

from overload_tui.widgets.set_table import SetTable
from tests.tui.test_session import (  # noqa: F401 - fixtures
    box,
    history,
    log,
    new_workout,
    status,
    view,
    wait_for,
)

# (exercise typed, its set typed, the table's row as drawn, the set in the database)
WALK = [
    ("plank", "60s", "1 60 s 1 18:30", (0, 1, 60, None, None)),
    ("rowing", "2000m 7:30", "1 2000 m 7:30 1 3:45", (0, 1, 450, 2000, "m")),
    ("chest dip", "bw+20x8", "1 bw+20 kg 8 18:30", (20, 8, None, None, None)),
    ("pull up assisted", "bw-30x8", "1 bw−30 st 8 18:30", (30, 8, None, None, None)),  # a machine: stacks
    ("push up", "15", "1 bw 15 18:30", (0, 15, None, None, None)),
]


def table_lines(app) -> list[str]:
    table = app.screen.query_one("#sets", SetTable)
    return [strip.text.rstrip() for strip in table.render_lines(table.size.region)][:2]


@pytest.mark.parametrize("size", [(80, 24), (45, 20)])
async def test_every_kind_is_logged_and_shown(ws, history, make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        sid = (await new_workout(pilot)).session_id
        for n, (exercise, line, row, stored) in enumerate(WALK):
            await log(pilot, exercise, line)
            await wait_for(pilot, lambda: len(view(app).rows), 1, f"{line} logged on {exercise}")
            assert not view(app).status.error, status(app)
            lines = table_lines(app)
            assert " ".join(lines[1].split()) == " ".join(row.split()), lines
            assert max(len(x) for x in lines) <= size[0] - 1  # every column fits
            s = ws.get_session(sid).entries[n].sets[0]
            assert (s.weight, s.reps, s.duration_s, s.distance_m, s.distance_unit) == stored
        headers = {" ".join(table_lines(app)[0].split())}
        assert headers == {"# Weight Reps RPE e1RM Time"}  # push-ups: reps, the load column says bw


async def test_the_columns_and_box_follow_the_exercise(ws, history, make_app):
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await new_workout(pilot)
        await log(pilot, "rowing", "5km 25:00")
        await wait_for(pilot, lambda: view(app).prefill, "5km 25:00", "the row logged")
        assert " ".join(table_lines(app)[0].split()) == "# Distance Time Reps Pace RPE"
        assert box(app).placeholder.startswith("5km 25:00")
        await log(pilot, "plank")
        await wait_for(pilot, lambda: view(app).exercise.name, "Plank", "the plank")
        assert " ".join(table_lines(app)[0].split()) == "# Time Load Reps RPE At"
        assert box(app).placeholder.startswith("a time (60s, 1:30)")
        await log(pilot, "100x5")  # does not fit: said where the lifter looks, given back
        await wait_for(pilot, lambda: status(app), "Plank is timed: type a time like 60s or 1:30.", "the refusal")
        assert box(app).value == "100x5" and view(app).rows == ()
        await log(pilot, "1:30", "#1 1:45", "")
        await wait_for(pilot, lambda: [r.info.duration_s for r in view(app).rows], [105, 105], "edited and repeated")
