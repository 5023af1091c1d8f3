"""Issue 17: a date outside 1900..2100 in an export is a row error with its line (it was an
OverflowError traceback for year 9999, where a workout's duration was added to it)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from overload_tui.db.models import Set
from overload_tui.services.transfer import TransferService
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.values import FIRST_YEAR, LAST_YEAR
from tests.environment.helpers import add_alice, env_for, one_line_error, overload

STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n"
    '2024-11-28 17:36:08,"B",35m,"Bent Over Row (Barbell)",1,60,5,0,0,\n'
    '{date},"C",35m,"Bent Over Row (Barbell)",1,60,5,0,0,\n'
)
HEVY = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,"
    "set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n"
    '"A","{date}","{date}","","Bench Press (Barbell)",,"",0,"normal",60,5,,,\n'
)
FITNOTES = "Date,Exercise,Category,Weight (kg),Reps,Distance,Distance Unit,Time\n{date},Flat Barbell Bench Press,Chest,60.0,5,,,\n"


def _sets(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(Set))


@pytest.mark.parametrize("text, date, line", [
    (STRONG, "9999-12-31 23:59:00", 3),
    (STRONG, "1899-12-31 10:00:00", 3),
    (STRONG, "2101-01-01 10:00:00", 3),
    (HEVY, "31 Dec 9999, 23:00", 2),
    (FITNOTES, "9999-12-31", 2),
], ids=["strong-9999", "strong-1899", "strong-2101", "hevy-9999", "fitnotes-9999"])
def test_a_date_outside_the_years_is_a_row_error(services, alice, tmp_path, text, date, line):
    path = tmp_path / "export.csv"
    path.write_text(text.format(date=date))
    with pytest.raises(ImportFormatError) as info:
        TransferService(services.db, alice.id).import_file(path)
    assert info.value.line == line
    assert f"outside the years {FIRST_YEAR}..{LAST_YEAR}" in info.value.reason and date in info.value.reason
    assert _sets(services) == 0  # nothing was imported


def test_the_first_and_last_years_are_accepted(services, alice, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(STRONG.replace("2024-11-28", "1900-01-01").format(date="2100-12-31 23:00:00"))
    TransferService(services.db, alice.id).import_file(path)
    assert _sets(services) == 2


def test_the_command_says_the_line_in_one_line(tmp_path):
    env = env_for(tmp_path, f"sqlite:///{tmp_path / 'gym.db'}")
    add_alice(env)
    path = tmp_path / "export.csv"
    path.write_text(STRONG.format(date="9999-12-31 23:59:00"))
    line = one_line_error(overload(env, "import", str(path), "--admin", "--user", "alice"))
    assert "line 3: the date '9999-12-31 23:59:00' is outside the years 1900..2100" in line
