import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overload_tui.domain.enums import Category, Equipment
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.parsing import parse_duration
from overload_tui.domain.rest import RestTimer, default_rest_seconds, format_countdown


@pytest.mark.parametrize("category, equipment, name, expected", [
    (Category.LEGS, Equipment.BARBELL, "Back Squat", 180),
    (Category.CHEST, Equipment.BARBELL, "Bench Press", 180),
    (Category.BACK, Equipment.BARBELL, "Deadlift", 180),
    (Category.SHOULDERS, Equipment.BARBELL, "Overhead Press", 180),
    (Category.BACK, Equipment.BARBELL, "Pendlay Row", 180),
    (Category.LEGS, Equipment.MACHINE, "Leg Press", 180),
    (Category.BACK, Equipment.BODYWEIGHT, "Weighted Pull-up", 180),
    (Category.ARMS, Equipment.BARBELL, "Barbell Curl", 90),
    (Category.ARMS, Equipment.DUMBBELL, "Hammer curls", 90),
    (Category.LEGS, Equipment.MACHINE, "Leg Extension", 90),
    (Category.SHOULDERS, Equipment.DUMBBELL, "Lateral Raise", 90),
    (Category.CHEST, Equipment.MACHINE, "Cable Flyes", 90),
    (Category.ARMS, Equipment.MACHINE, "Triceps Pushdown", 90),
    (Category.LEGS, Equipment.MACHINE, "Standing Calf Raise", 90),
    (Category.CORE, None, "Hanging Knee Tuck", 90),
    (Category.CHEST, Equipment.DUMBBELL, "Dumbbell Bench Press", 120),
    (Category.BACK, Equipment.BODYWEIGHT, "Pull-up", 120),
    (Category.LEGS, Equipment.DUMBBELL, "Walking Lunge", 120),
    (Category.LEGS, None, "Barbell Squat", 180),
    ("chest", "barbell", "Narrow-grip bench", 180),
])
def test_default_rest(category, equipment, name, expected):
    assert default_rest_seconds(category, equipment, name) == expected


@pytest.mark.parametrize("seconds, text", [
    (0, "0:00"), (5, "0:05"), (60, "1:00"), (125, "2:05"), (3599, "59:59"), (3725, "1:02:05"),
    (0.2, "0:01"), (-3, "0:00"), (float("nan"), "0:00"),
])
def test_format_countdown(seconds, text):
    assert format_countdown(seconds) == text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000))
def test_format_countdown_for_every_second(seconds):
    text = format_countdown(seconds)
    parts = [int(p) for p in text.split(":")]
    assert all(0 <= p < 60 for p in parts[1:])
    assert all(len(p) == 2 for p in text.split(":")[1:])
    total = 0
    for p in parts:
        total = total * 60 + p
    assert total == seconds
    assert parse_duration(text) == seconds
    if seconds < 3600:
        assert text == f"{seconds // 60}:{seconds % 60:02d}"


def test_rest_timer():
    t = RestTimer(started_at=100.0, duration=90)
    assert t.remaining(100) == 90 and not t.done(150)
    assert t.remaining(200) == 0 and t.done(190)
    longer = t.adjusted(30)
    assert longer.duration == 120 and longer.remaining(150) == 70
    assert t.adjusted(-500).duration == 0 and t.adjusted(-500).done(100)
    assert t.duration == 90  # immutable


def test_rest_timer_rejects_nonsense():
    with pytest.raises(ValidationError):
        RestTimer(0, -1)
    with pytest.raises(ValidationError):
        RestTimer(0, float("inf"))
    with pytest.raises(ValidationError):
        RestTimer(0, 10).adjusted(float("nan"))


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 3600), st.floats(-7200, 7200), st.floats(0, 1e4))
def test_timer_properties(start, duration, delta, later):
    t = RestTimer(start, duration).adjusted(delta)
    assert t.duration >= 0
    assert 0 <= t.remaining(start + later) <= t.duration
    assert t.done(start + later) == (t.remaining(start + later) == 0)
