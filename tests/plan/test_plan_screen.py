"""The logging screen with a plan (pilot): a workout started from a template on the dashboard shows
every planned set as a row, the next one marked; Enter in the empty set box ticks it exactly as
prescribed (a burst of Enters ticks that many, in order, each once); typing logs what was done;
the Next line wraps rather than being cut at 45 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from overload_tui.domain.plan import PlannedExercise, PlannedSet
from overload_tui.services.plan import PlanService
from overload_tui.widgets.set_table import SetTable
from tests.tui.conftest import fixed_clock, logged_in, make_app  # noqa: F401 - fixtures
from tests.tui.helpers import sqlite_only
from tests.tui.test_login import burst
from tests.tui.test_session import box, dashboard, find, in_db, logging_screen, quiet, status, view, wait_for


@pytest.fixture
def template(ws, fixed_clock, logged_in):  # noqa: F811
    """Day A: squat 100x5 x3 (the ramp before it: 20x10, 40x5, 60x3, 80x2), then a plank."""
    tpl = ws.create_template("Day A")
    squat = ws.add_entry(find(ws, "Squat (Barbell)").id, template_id=tpl.id)
    for _ in range(3):
        ws.add_set(squat.id, 100, 5)
    plank = ws.add_entry(find(ws, "Plank").id, template_id=tpl.id)
    ws.add_set(plank.id, 0, 1, duration_s=60)
    return tpl


def table_lines(app) -> list[str]:
    """The set table's rows: the #, weight and reps columns, and 'next' or 'skip' (planned rows)."""
    table = app.screen.query_one("#sets", SetTable)
    lines = []
    for i in range(table.row_count):
        words = " ".join(str(cell) for cell in table.get_row_at(i)).split()
        lines.append(" ".join(words[:4] + [w for w in words[4:] if w in ("next", "skip")]))
    return lines


def rendered(widget) -> str:
    """What a widget shows on screen, its lines joined by spaces (nothing cut off is in it)."""
    return " ".join(" ".join(widget.render_line(y).text.split()) for y in range(widget.size.height)).strip()


def logged(ws, sid, index=0):
    return [(s.weight, s.reps, s.set_type, s.duration_s) for s in ws.get_session(sid).entries[index].sets]


async def start_from_template(pilot):
    await dashboard(pilot)
    await pilot.press("down", "enter")  # + Empty workout, then the template
    return await logging_screen(pilot)


async def test_enter_ticks_the_highlighted_row_and_typing_logs_what_was_done(ws, template, make_app):  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await start_from_template(pilot)).session_id
        assert table_lines(app) == ["1W 20 kg 10 next", "2W 40 kg 5", "3W 60 kg 3", "4W 80 kg 2",
                                    "5 100 kg 5", "6 100 kg 5", "7 100 kg 5"]
        assert box(app).placeholder == "20x10 w (Enter logs it)" and box(app).value == ""
        assert "Next: 20×10 warm-up (set 1 of 7)" in rendered(app.screen.query_one("#next-line", Static))
        await pilot.press("enter")  # the highlighted row, as prescribed
        await in_db(pilot, lambda: logged(ws, sid), [(20, 10, "warmup", None)], "the bar's warm-up ticked")
        await wait_for(pilot, lambda: table_lines(app)[:2], [
            "1W 20 kg 10", "2W 40 kg 5 next"], "row 1 done, row 2 next")
        await pilot.press(*"45x5", "enter")  # what was really done: a heavier warm-up
        await in_db(pilot, lambda: logged(ws, sid)[1:], [(45, 5, "warmup", None)], "typed: a warm-up of 45")
        assert status(app) == "Set 2 logged: 45 kg × 5, warm-up."
        assert table_lines(app)[2] == "3W 60 kg 3 next"
        await pilot.press("ctrl+u", *"skip", "enter")  # the 60 kg warm-up passed: it stays, struck
        await wait_for(pilot, lambda: table_lines(app)[2:4], ["–W 60 kg 3 skip", "3W 80 kg 2 next"],
                       "the skipped row kept, marked")
        assert [line.planned for line in view(app).exercises] == [7, 1]


async def test_a_burst_of_enters_ticks_that_many_planned_sets_in_order_each_once(ws, template, make_app):  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sid = (await start_from_template(pilot)).session_id
        burst(app, "\r\r\r\r\r")
        await in_db(pilot, lambda: logged(ws, sid), [
            (20, 10, "warmup", None), (40, 5, "warmup", None), (60, 3, "warmup", None), (80, 2, "warmup", None),
            (100, 5, None, None)], "five planned sets, in order")
        await quiet(pilot)
        assert len(logged(ws, sid)) == 5 and box(app).value == ""
        assert table_lines(app)[5] == "6 100 kg 5 next"
        # the plank's plan: a held time, ticked with Enter too
        burst(app, ">plank\r\r")
        await in_db(pilot, lambda: logged(ws, sid, 1), [(0, 1, None, 60)], "the plank held 60 s")


@sqlite_only
@pytest.mark.parametrize("size", [(45, 20), (80, 24)])
async def test_the_next_line_wraps_and_is_never_cut(ws, template, make_app, monkeypatch, size):  # noqa: F811
    """A long next line (a program's explanation, its note and rule) reads whole at 45 columns."""
    long = PlannedExercise(find(ws, "Squat (Barbell)").id, (
        PlannedSet(weight=85, reps=5, amrap=True, explanation="85% x TM 100 kg = 85 -> 85 kg"),),
        rule="Double progression 8-12", note="Week 3, day 1: 5/3/1")
    real = PlanService.planned

    def planned(self, session_id):
        plans = real(self, session_id)
        return {entry_id: long for entry_id in list(plans)[:1]}

    monkeypatch.setattr(PlanService, "planned", planned)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await start_from_template(pilot)
        line = app.screen.query_one("#next-line", Static)
        expected = ("Next: 85×5+ (set 1 of 1) · 85% x TM 100 kg = 85 -> 85 kg · Week 3, day 1: 5/3/1"
                    " · Double progression 8-12")
        await wait_for(pilot, lambda: rendered(line), expected, "the whole next line on screen")
        assert line.size.width <= size[0] and line.size.height >= (2 if size[0] < 60 else 1)
        assert "…" not in rendered(line)
        assert table_lines(app) == ["1 85 kg 5+ next"]
