"""The program text format: every built-in parses, and every mistake is reported at its line."""

from __future__ import annotations

import pytest

from overload_tui.domain.programs import BUILTIN_FILES, ProgramSyntaxError, builtin_source, builtins, parse

# The README's full example (keep the two in step).
README_EXAMPLE = """\
# A three-day linear program: squat every day, bench and press alternating.
program: My 3x5
description: Squat, then bench or press, three days a week; add weight every session.
unit: kg

defaults
  start: 85% of 5RM              # from your own history
  increase: 2.5 kg / 5 lb per session
  deload: 10% after 3 failures   # three missed sessions in a row: 10% off

lift Squat: Squat (Barbell)
  increase: 5 kg / 10 lb per session
lift Bench: Bench Press (Barbell)
lift Press: Overhead Press (Barbell)

workout A: Squat, Bench
  Squat: 2x5 @ 50% warmup, 3x5
  Bench: 3x5, 1x8+ @ 80%         # a back-off set: as many reps as you can
  Chin Up: 3x8
workout B: Squat, Press
  Squat: 2x5 @ 50% warmup, 3x5
  Press: 3x5

week 1: A B A
week 2: B A B
"""


def issues(text: str) -> list[tuple[int, int | None, str]]:
    with pytest.raises(ProgramSyntaxError) as caught:
        parse(text)
    return [(e.line, e.column, e.message) for e in caught.value.errors]


def test_every_builtin_parses_and_is_faithful_in_shape():
    programs = {p.name: p for p in builtins()}
    assert set(programs) == {"5/3/1 Boring But Big", "GZCLP", "StrongLifts 5x5", "PPL Double Progression"}
    assert len(BUILTIN_FILES) == 4
    wendler = programs["5/3/1 Boring But Big"]
    assert [len(w.days) for w in wendler.weeks] == [4, 4, 4, 4] and wendler.weeks[3].deload
    assert all(lift.training_max and lift.per_cycle for lift in wendler.lifts.values())
    gzclp = programs["GZCLP"]
    assert gzclp.stages("Squat T1") == 3 and gzclp.stages("Squat T2") == 3 and gzclp.stages("Row T3") == 1
    assert [d.name for w in gzclp.weeks for d in w.days] == ["A1", "B1", "A2", "B2"] * 3
    assert [d.name for w in programs["StrongLifts 5x5"].weeks for d in w.days] == ["A", "B", "A", "B", "A", "B"]


def test_readme_example_parses():
    program = parse(README_EXAMPLE)
    assert program.name == "My 3x5"
    assert set(program.lifts) == {"Squat", "Bench", "Press"}
    day = program.weeks[0].days[0]
    groups = day.lines[0].stages[0]
    assert groups[0].warmup and groups[0].percent == 50 and groups[1].count == 3
    bench = day.lines[1].stages[0]
    assert bench[1].amrap and bench[1].percent == 80 and bench[1].reps == 8
    assert program.lifts["Squat"].increase.in_unit("lbs") == 10
    assert program.lifts["Bench"].increase.in_unit("kg") == 2.5
    assert program.lifts["Bench"].deload_percent == 10 and program.lifts["Bench"].deload_after == 3


def test_errors_are_at_their_lines_and_columns():
    text = (
        "program: Broken\n"                          # 1
        "lift Squat: Squat (Barbell)\n"              # 2
        "  increase: 5 kgg per session\n"            # 3
        "  colour: blue\n"                           # 4
        "week 1\n"                                   # 5
        "  day 1\n"                                  # 6
        "    Squat: 3x5 @ 65%, 3x\n"                 # 7
        "    Curl: 3x10 @ 50%\n"                     # 8
        "    Squat: 0x5\n"                           # 9
        "week 3\n"                                   # 10
        "  day 1\n"                                  # 11
        "    Squat: 3x12-8\n"                        # 12
    )
    found = issues(text)
    lines = [f[0] for f in found]
    assert lines == [3, 4, 7, 8, 9, 10, 12]
    by_line = {f[0]: f for f in found}
    assert by_line[3][1] == 13 and "2.5 kg" in by_line[3][2]
    assert by_line[7][1] == 23  # the column of '3x'
    assert by_line[8][1] == 11 and "not a lift" in by_line[8][2]
    assert "expected week 2" in by_line[10][2]


def test_message_names_the_first_line():
    with pytest.raises(ProgramSyntaxError) as caught:
        parse("program: X\nweek 1\n  day 1\n    Squat: fivebyfive\n")
    assert str(caught.value).startswith("line 4:")
    assert caught.value.field == "program"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("week 1\n  day 1\n    Chin Up: 3x5\n", 1, "no name"),
        ("program: X\n", 1, "no weeks"),
        ("program: X\nweek 1: A\n", 2, "No workout called 'A'"),
        ("program: X\nweek 1\n", 2, "has no days"),
        ("program: X\nday 1\n", 2, "inside a week"),
        ("program: X\nsquat: 3x5\n", 2, "Unknown statement"),
        ("program: X\nunit: stone\nweek 1\n  day 1\n    Chin Up: 3x5\n", 2, "kg or lbs"),
        ("program: X\nlift Squat: Squat (Barbell)\nweek 1\n  day 1\n    Chin Up: 3x5\n", 2, "never used"),
        ("program: X\nlift Squat: Squat (Barbell)\n  failure: next stage\nweek 1\n  day 1\n    Squat: 3x5\n", 2,
         "needs stages"),
        ("program: X\nlift S: Squat (Barbell)\n  reset: 85%\nweek 1\n  day 1\n    S: 3x5 | 3x3\n", 2,
         "needs 'failure: next stage'"),
        ("program: X\nweek 1\n  day 1\n    Chin Up: 3x5 | 3x3\n", 4, "no stages"),
        ("program: X\nlift S: Squat (Barbell)\nlift s: Squat (Barbell)\nweek 1\n  day 1\n    S: 3x5\n", 3,
         "declared twice"),
        ("program: X\nlift S: Squat (Barbell)\n  deload: 10%\nweek 1\n  day 1\n    S: 3x5\n", 3, "after 3"),
        ("program: X\nlift S: Squat (Barbell)\n  start: lots\nweek 1\n  day 1\n    S: 3x5\n", 3, "of e1RM"),
        ("program: X\nlift S: Squat (Barbell)\n  success: most\nweek 1\n  day 1\n    S: 3x5\n", 3, "last set"),
    ],
)
def test_each_mistake_is_named_at_its_line(text, line, words):
    found = issues(text)
    assert any(f[0] == line and words in f[2] for f in found), found


def test_comments_blank_lines_and_tabs():
    program = parse("# hi\nprogram: X   # the name\n\nweek 1\n\tday 1\n\t\tChin Up: 3x5  # easy\n")
    assert program.weeks[0].days[0].lines[0].name == "Chin Up"


def test_builtin_sources_are_plain_files():
    for filename in BUILTIN_FILES:
        assert builtin_source(filename).startswith("#")


def test_a_lift_whose_only_line_is_wrong_gets_one_error_not_two():
    found = issues("program: X\nlift S: Squat (Barbell)\nweek 1\n  day 1\n    S: 5x\n")
    assert [f[0] for f in found] == [5]
