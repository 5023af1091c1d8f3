"""Reading a typed workout date (the date dialog of the logging screen)."""

from datetime import datetime

import pytest

from overload_tui.domain.errors import ValidationError
from overload_tui.widgets.dialogs import parse_when

NOW = datetime(2024, 6, 5, 18, 30)
KEEP = datetime(2024, 6, 5, 7, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-01 07:45", datetime(2024, 6, 1, 7, 45)),
        ("2024-06-01T07:45", datetime(2024, 6, 1, 7, 45)),
        ("  2024-06-01   07:45:30 ", datetime(2024, 6, 1, 7, 45, 30)),
        ("2024-06-01", datetime(2024, 6, 1, 7, 15)),  # keeps the time
        ("yesterday", datetime(2024, 6, 4, 7, 15)),
        ("Today", datetime(2024, 6, 5, 7, 15)),
        ("2024-06-05 23:00", NOW),  # later today: now
    ],
)
def test_reads(text, expected):
    assert parse_when(text, KEEP, NOW) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "2024-13-01", "5/6/2024", "2024-06-06", "0999-01-01"])
def test_refuses(text):
    with pytest.raises(ValidationError):
        parse_when(text, KEEP, NOW)
