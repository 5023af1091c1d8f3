"""The plot builder (plotext 6): dates on the x axis, round y ticks, messages instead of broken plots."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from rich.style import Style

from overload_tui.widgets.progress_plot import LINE_GLYPHS, build_plot, colour_plot, nice_ticks

WEEKLY = [(datetime(2024, 1, 1, 18) + timedelta(days=7 * i), 100 + 2.5 * i) for i in range(12)]


def x_labels(text: str) -> str:
    return text.splitlines()[-1]


def test_x_axis_shows_dates():
    result = build_plot(WEEKLY, 60, 16, title="Estimated 1RM", unit="kg")
    assert not result.is_message
    labels = x_labels(result.text)
    assert re.search(r"\b0[1-9] Jan\b", labels)  # days and months, not timestamps
    assert "Mar" in labels
    assert not re.search(r"\d{6,}", result.text)
    assert "Estimated 1RM (kg)" in result.text.splitlines()[0]


def test_plot_fits_the_size_asked():
    for width, height in [(60, 16), (41, 12), (130, 30)]:
        lines = build_plot(WEEKLY, width, height).text.splitlines()
        assert len(lines) == height
        assert max(len(line) for line in lines) <= width


def test_a_year_range_pins_the_axis_and_labels_months():
    now = datetime(2024, 6, 3)
    result = build_plot(WEEKLY, 70, 14, x_range=(now - timedelta(days=365), now))
    labels = x_labels(result.text)
    assert labels.split()[:2] == ["Jun", "23"]  # the whole year, though data starts in January
    assert labels.split()[-1] == "24"
    assert not result.is_message


def test_y_ticks_are_plain_numbers():
    volume = [(d, 1000 + 50 * i) for i, (d, _) in enumerate(WEEKLY)]
    text = build_plot(volume, 60, 16).text
    assert "e3" not in text and "e+" not in text
    assert "1,200" in text or "1,400" in text


def test_zero_and_one_point_give_a_message():
    empty = build_plot([], 60, 16, title="Heaviest set")
    assert empty.is_message and "nothing logged" in empty.text
    one = build_plot(WEEKLY[:1], 60, 16, title="Heaviest set", unit="kg")
    assert one.is_message
    assert "01 Jan 2024" in one.text and "100 kg" in one.text and "another" in one.text


def test_too_small_gives_a_message():
    assert build_plot(WEEKLY, 10, 4).is_message


def test_points_on_one_day_and_flat_lines_still_plot():
    same_day = [(datetime(2024, 1, 1, 9), 50.0), (datetime(2024, 1, 1, 19), 50.0)]
    result = build_plot(same_day, 50, 12)
    assert not result.is_message
    assert any(ch in LINE_GLYPHS for ch in result.text)
    assert "Jan" in x_labels(result.text) or "Dec" in x_labels(result.text)


def test_nice_ticks():
    assert nice_ticks(0.3, 9.7, 4) == [2, 4, 6, 8]
    assert nice_ticks(700, 1220, 5) == [800, 1000, 1200]
    assert nice_ticks(5, 5, 3) == [5]


def test_colour_plot_styles_only_the_line():
    text = build_plot(WEEKLY, 60, 16, title="T").text
    rich_text = colour_plot(text, Style(color="red"))
    assert rich_text.plain == text
    styled = {rich_text.plain[span.start:span.end] for span in rich_text.spans if span.style == Style(color="red")}
    assert styled and all(set(chunk) <= LINE_GLYPHS for chunk in styled)


def test_one_plot_does_not_leak_into_the_next():
    now = datetime(2024, 6, 3)
    alone = build_plot(WEEKLY, 60, 16).text
    build_plot(WEEKLY[:3], 40, 10, title="Other", unit="stacks", x_range=(now - timedelta(days=365), now))
    assert build_plot(WEEKLY, 60, 16).text == alone
