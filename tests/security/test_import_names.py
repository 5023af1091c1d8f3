"""Issue 17: a name from an imported file goes through the same check as a typed one
(``validation.clean_name``). The importer cleans a file's names rather than refuse its rows, so
what typing refuses (U+202E and the other text-direction controls, control characters) is taken
out and the import says so with the line; a name with nothing left is a row error with its line.
Both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from overload_tui.db.models import Exercise, Session
from overload_tui.domain.validation import clean_name, scrub_name
from overload_tui.services.transfer import InvalidRowsError
from tests.transfer.helpers import write

RLO, PDF, LRI = "\u202e", "\u202c", "\u2066"
STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
FIT_HEAD = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"


def strong(workout: str, exercise: str, day: int = 1) -> str:
    return f"2024-01-0{day} 08:00:00,{workout},1h,{exercise},1,100,5,0,0,,,\n"


def fitnotes(exercise: str) -> str:
    return f"2022-09-14,{exercise},Chest,20.0,kg,10,,,,\n"


@pytest.fixture
def transfer(services, alice):
    from overload_tui.services.transfer import TransferService

    return TransferService(services.db, alice.id)


def _stored(services, user_id):
    with services.db.read() as s:
        exercises = s.scalars(select(Exercise.name).where(Exercise.owner_id == user_id)).all()
        workouts = s.scalars(select(Session.name).where(Session.user_id == user_id)).all()
    return exercises, workouts


def _assert_typable(names):
    for name in names:
        if name is not None:
            assert clean_name(name) == name, repr(name)


def test_strong_names_with_direction_controls_are_cleaned_and_said(services, alice, transfer, tmp_path):
    path = write(tmp_path, "strong.csv", STRONG_HEAD
                 + strong(f"Leg day {RLO}kcatta", f"Evil {RLO}sserp hcneb{PDF}")
                 + strong("Push", f"Curl {LRI}x", day=2))
    report = transfer.import_file(path)
    exercises, workouts = _stored(services, alice.id)
    assert sorted(exercises) == ["Curl x", "Evil sserp hcneb"]
    assert sorted(workouts) == ["Leg day kcatta", "Push"]
    _assert_typable(exercises + workouts)
    assert sorted(report.warnings) == [
        "a workout name was shortened or cleaned: line 2",
        "an exercise name was shortened or cleaned: lines 2-3",
    ]


def test_fitnotes_names_are_cleaned_too(services, alice, transfer, tmp_path):
    path = write(tmp_path, "fitnotes.csv", FIT_HEAD + fitnotes(f"{RLO}Fly{PDF}"))
    transfer.import_file(path)
    exercises, _ = _stored(services, alice.id)
    assert exercises == ["Fly"]


def test_a_name_of_only_direction_controls_is_a_row_error_with_its_line(services, alice, transfer, tmp_path):
    path = write(tmp_path, "strong.csv", STRONG_HEAD + strong("Push", "Squat (Barbell)") + strong("Push", f"{RLO}{PDF}"))
    with pytest.raises(InvalidRowsError) as info:
        transfer.import_file(path)
    assert [(r.line, r.exercise) for r in info.value.report.invalid] == [(3, "(no name)")]
    report = transfer.import_file(path, skip_invalid=True)
    assert report.sets == 1
    exercises, _ = _stored(services, alice.id)
    _assert_typable(exercises)


@pytest.mark.parametrize("raw", [
    f"a{RLO}b", f"{LRI}x\u2069", "tab\tand\x07bell", "x" * 150 + RLO, f"  {RLO} spaced  out ", "\ud800lone",
])
def test_scrub_name_leaves_only_what_clean_name_takes(raw):
    text, changed = scrub_name(raw)
    assert changed
    assert clean_name(text) == text
