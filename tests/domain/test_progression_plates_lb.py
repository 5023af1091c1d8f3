"""ProgressionSettings.plates_lb: the pounds gym's plates are suggest_next's loadable grid when no
``plates`` are passed (so a service passing the user's progression_settings() needs nothing more)."""

import pytest

from overload_tui.domain.enums import Equipment, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.progression import LoggedSet, ProgressionScheme, ProgressionSettings, suggest_next
from overload_tui.domain.units import WeightUnit, to_kg

LBS = WeightUnit.LBS


def bench(pounds, *reps):
    return [[LoggedSet(to_kg(pounds, LBS), r, Unit.KG) for r in reps]]


def test_the_settings_plates_make_the_grid():
    small = {Equipment.BARBELL: 2.5}
    coarse = ProgressionSettings(scheme=ProgressionScheme.LINEAR, increments_lb=small)
    fine = ProgressionSettings(scheme=ProgressionScheme.LINEAR, increments_lb=small,
                               plates_lb=(45, 35, 25, 10, 5, 2.5, 1.25))
    assert coarse.plates_lb == (45, 35, 25, 10, 5, 2.5)
    assert suggest_next(bench(225, 5, 5), Equipment.BARBELL, coarse, weight_unit=LBS).shown_weight == 230
    assert suggest_next(bench(225, 5, 5), Equipment.BARBELL, fine, weight_unit=LBS).shown_weight == 227.5
    # An explicit ``plates`` still wins.
    assert suggest_next(bench(225, 5, 5), Equipment.BARBELL, fine, weight_unit=LBS,
                        plates=(45, 25, 10, 5, 2.5)).shown_weight == 230


@pytest.mark.parametrize("plates", [(), (45, 0), (45, 1.255)])
def test_bad_pound_plates_are_refused(plates):
    with pytest.raises(ValidationError):
        ProgressionSettings(plates_lb=plates)
