"""The fast constructors of the objects a long history has thousands of (``new_set_info`` for
SetInfo, ``_point`` for ProgressPoint, both through ``unfrozen``) make the same objects as the
dataclasses' own ``__init__``: same class, equal, same hash, frozen, picklable."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, fields, replace
from datetime import datetime

import pytest

from overload_tui.domain.enums import Unit
from overload_tui.services.dto import SetInfo, new_set_info
from overload_tui.services.progress import ProgressPoint, _point

WHEN = datetime(2024, 5, 1, 18, 3, 9)
CASES = [
    (new_set_info, SetInfo, (7, 2, 82.5, 5, Unit.KG, "drop", 8.5, WHEN, 90.0, 400.0, "m")),
    (new_set_info, SetInfo, (1, 1, 40.0, 12, Unit.STACKS, None, None, None, None, None, None)),
    (_point, ProgressPoint, (3, WHEN, Unit.KG, 116.667, 5, 100.0, 1220.0, 2)),
    (_point, ProgressPoint, (4, WHEN, Unit.STACKS, 9.0, 15, 7.0, 140.0, 3)),
]


@pytest.mark.parametrize(("make", "cls", "values"), CASES)
def test_it_makes_what_the_dataclass_makes(make, cls, values):
    made, plain = make(*values), cls(*values)
    assert type(made) is cls
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    # Every field given, in order; the rest (a weight x reps point's other kinds) their defaults.
    assert [getattr(made, f.name) for f in fields(cls)][: len(values)] == list(values)
    assert pickle.loads(pickle.dumps(made)) == plain
    assert copy.deepcopy(made) == plain
    first = fields(cls)[0].name
    assert replace(made, **{first: 99}) == replace(plain, **{first: 99})


@pytest.mark.parametrize(("make", "cls", "values"), CASES[::2])
def test_what_it_makes_is_frozen(make, cls, values):
    made = make(*values)
    for name in (f.name for f in fields(cls)):
        with pytest.raises(FrozenInstanceError):
            setattr(made, name, None)
        with pytest.raises(FrozenInstanceError):
            delattr(made, name)


def test_the_derived_properties_hold():
    assert new_set_info(1, 1, 82.5, 4, Unit.KG).volume == SetInfo(1, 1, 82.5, 4, Unit.KG).volume == 330
    assert new_set_info(1, 1, 20.0, 5, Unit.KG) == SetInfo(1, 1, 20.0, 5, Unit.KG)  # the defaults
    assert not _point(4, WHEN, Unit.KG, 9.0, 15, 7.0, 140.0, 3).trusted
