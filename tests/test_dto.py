"""``new_set_info`` (the fast path the history uses) makes the same SetInfo as ``SetInfo(...)``."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, fields, replace
from datetime import datetime

import pytest

from overload_tui.domain.enums import Unit
from overload_tui.services.dto import SetInfo, new_set_info

VALUES = (7, 2, 82.5, 5, Unit.KG, "drop", 8.5, datetime(2024, 5, 1, 18, 3, 9))


@pytest.mark.parametrize("values", [VALUES, (1, 1, 40.0, 12, Unit.STACKS, None, None, None)])
def test_it_is_a_set_info_like_any_other(values):
    made, plain = new_set_info(*values), SetInfo(*values)
    assert type(made) is SetInfo
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert [getattr(made, f.name) for f in fields(SetInfo)] == list(values)
    assert made.volume == plain.volume
    assert pickle.loads(pickle.dumps(made)) == plain
    assert copy.deepcopy(made) == plain
    assert replace(made, reps=6) == replace(plain, reps=6)


def test_it_is_frozen():
    made = new_set_info(*VALUES)
    with pytest.raises(FrozenInstanceError):
        made.reps = 6  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del made.weight  # type: ignore[misc]


def test_its_defaults_are_set_infos():
    assert new_set_info(1, 1, 20.0, 5, Unit.KG) == SetInfo(1, 1, 20.0, 5, Unit.KG)


def test_it_sets_every_field():
    """A field added to SetInfo and not to new_set_info would be missing from its objects."""
    made = new_set_info(*VALUES)
    assert all(hasattr(made, f.name) for f in fields(SetInfo))
    assert len(fields(SetInfo)) == len(VALUES)
