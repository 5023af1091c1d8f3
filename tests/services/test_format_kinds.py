"""Every kind of set as the screens show it: on its own line, in a summary, in the set box."""

from __future__ import annotations

import pytest

from overload_tui.domain.enums import ExerciseKind as K
from overload_tui.domain.enums import Unit
from overload_tui.services import format as fmt
from overload_tui.services.dto import SetInfo


def s(weight=0.0, reps=1, unit=Unit.KG, duration=None, distance=None, d_unit=None) -> SetInfo:
    return SetInfo(1, 1, weight, reps, unit, duration_s=duration, distance_m=distance, distance_unit=d_unit)


@pytest.mark.parametrize("kind, info, long, short, entry", [
    (K.WEIGHT_REPS, s(1000, 5), "1,000 kg × 5", "1000×5", "1000x5"),
    (K.WEIGHT_REPS, s(8, 12, Unit.STACKS), "8 stacks × 12", "8st×12", "8x12"),
    (K.REPS_ONLY, s(0, 15), "15 reps", "15", "15 reps"),
    (K.WEIGHTED, s(20, 8), "bw+20 kg × 8", "bw+20×8", "bw+20x8"),
    (K.WEIGHTED, s(0, 8), "bw × 8", "bw×8", "bwx8"),
    (K.ASSISTED, s(30, 8), "bw−30 kg × 8", "bw−30×8", "bw-30x8"),
    (K.TIME, s(duration=60), "60 s", "60 s", "60s"),
    (K.TIME, s(duration=90), "1:30", "1:30", "1:30"),
    (K.TIME, s(20, 3, duration=45), "3 × 45 s +20 kg", "3×45 s +20", "3x45s +20"),
    (K.DISTANCE, s(duration=450, distance=2000, d_unit="m"), "2000 m in 7:30 (3:45/km)", "2000 m in 7:30", "2000m 7:30"),
    (K.DISTANCE, s(duration=1500, distance=5000, d_unit="km"), "5 km in 25:00 (5:00/km)", "5 km in 25:00", "5km 25:00"),
    (K.DISTANCE, s(duration=1440, distance=4828.032, d_unit="mi"), "3 mi in 24:00 (8:00/mi)", "3 mi in 24:00", "3mi 24:00"),
    (K.DISTANCE, s(100, distance=20, d_unit="m"), "20 m +100 kg", "20 m +100", "20m +100"),
])
def test_each_kind_reads_as_logged(kind, info, long, short, entry):
    assert (fmt.set_long(info, kind), fmt.set_short(info, kind), fmt.set_entry_text(info, kind)) == (long, short, entry)


def test_without_the_kind_a_set_reads_by_what_it_measures():
    assert fmt.set_long(s(duration=60)) == "60 s"
    assert fmt.set_long(s(duration=450, distance=2000, d_unit="m")) == "2000 m in 7:30 (3:45/km)"
    assert fmt.set_long(s(100, 5)) == "100 kg × 5"


def test_a_line_of_sets():
    assert fmt.sets_line([s(0, 15), s(0, 12)], K.REPS_ONLY) == "15, 12 reps"
    assert fmt.sets_line([s(duration=60), s(duration=45)], K.TIME) == "60 s, 45 s"
    assert fmt.sets_line([s(100, 5), s(100, 5)]) == "100×5, 100×5"
