"""A dated line plot drawn with plotext, sized to the widget and redrawn when it is resized.

``build_plot`` is the pure part (data in, text out) and is what the tests exercise; ``ProgressPlot``
is the widget that calls it with its own size.

plotext decision: the installed plotext 6 handles dated x axes itself (``figure.date("x").activate``
turns datetimes into timestamps and writes the ticks back as dates), so it is used as is and
pyproject pins plotext 6 (its API is not plotext 5's). Each build resets ``plotext.figure`` first
(``clear()``), so one plot never leaks settings into the next. The plot is built colourless and
the widget colours the line glyphs from the Textual theme, which keeps it readable in dark and
light themes alike (plotext's own colours are fixed 256-colour codes on a white canvas).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

# The glyphs plotext's "hd" marker draws lines and points with (everything else is frame or text).
LINE_GLYPHS = frozenset("▖▗▘▝▚▞▙▛▜▟▀▄▌▐█")
MIN_WIDTH = 24
MIN_HEIGHT = 6


@dataclass(frozen=True, slots=True)
class PlotResult:
    """The text to show: a plot, or (``is_message``) a sentence explaining why there is none."""

    text: str
    is_message: bool = False


def _date_form(first: datetime, last: datetime) -> str:
    span = last - first
    if span > timedelta(days=300):
        return "%b %y"
    return "%d %b"


def _date_ticks(lo: datetime, hi: datetime, columns: int, form: str) -> list[datetime]:
    """Midnights spread evenly over ``lo``..``hi`` whose labels fit in ``columns`` columns.

    The ticks keep half a label (and a space) away from both ends, so plotext never has to drop
    a label that would stick out of the plot; two ticks never carry the same label.
    """
    label = len(datetime(2000, 12, 28).strftime(form))
    count = max(2, min(7, columns // (label + 4)))
    margin = (hi - lo) * ((label / 2 + 1) / max(columns, 1))
    start, end = lo + margin, hi - margin
    if end <= start:
        start = end = lo + (hi - lo) / 2
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(days=1)
    last = end.replace(hour=0, minute=0, second=0, microsecond=0)
    days = (last - first).days
    if days < 0:
        return []
    step = days / max(count - 1, 1)
    if step < 3:  # a short span: whole days, so the ticks stay evenly spaced
        offsets = list(range(0, days + 1, max(1, math.ceil(step))))
    else:  # a long one: spread over the whole axis (a day either way does not show)
        offsets = [round(i * step) for i in range(count)]
    ticks: list[datetime] = []
    for offset in offsets:
        day = first + timedelta(days=offset)
        if not ticks or day.strftime(form) != ticks[-1].strftime(form):
            ticks.append(day)
    return ticks


def _fmt_value(value: float) -> str:
    """1234.5 -> '1,234.5', 100.0 -> '100' (never scientific notation)."""
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, count: int) -> list[float]:
    """About ``count`` round values (steps of 1, 2, 2.5 or 5 x 10^n) from ``lo`` to ``hi``."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * magnitude
        if math.floor(hi / step + 1e-9) - math.ceil(lo / step - 1e-9) + 1 <= count:
            break
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def build_plot(
    points: Sequence[tuple[datetime, float]],
    width: int,
    height: int,
    *,
    title: str = "",
    unit: str = "",
    x_range: tuple[datetime, datetime] | None = None,
    y_format: Callable[[float], str] | None = None,
) -> PlotResult:
    """A line plot of ``points`` (date, value), dates on the x axis, ``width`` x ``height`` cells.

    Fewer than two points, or too little room, give a message instead of a broken plot.
    ``x_range`` pins the x axis (a chosen period); by default it spans the points.
    ``y_format`` writes the values (the y ticks, a lone point): a clock for times and paces.
    """
    write = y_format or _fmt_value
    points = sorted(points, key=lambda p: p[0])
    label = title or "This measure"
    if not points:
        return PlotResult(f"{label}: nothing logged in this period yet.", True)
    if len(points) == 1:
        (when, value), = points
        return PlotResult(
            f"{label}: one workout so far ({when:%d %b %Y}: {write(value)}{' ' + unit if unit else ''}).\n"
            "Log another to see a trend.",
            True,
        )
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return PlotResult(f"{label}: make the window larger to see the plot.", True)

    import plotext

    # plotext 6's public figure, reset first: plots are only built on the UI thread, one at a time.
    fig = plotext.figure
    fig.clear()
    plotext.terminal.limit(False, False)  # our size, not the terminal's
    fig.plot_size(width, height)
    fig.theme("colorless")
    lo, hi = x_range if x_range is not None else (points[0][0], points[-1][0])
    lo, hi = min(lo, points[0][0]), max(hi, points[-1][0])
    if hi - lo < timedelta(days=2):  # all on one or two days: give the axis a few days of room
        lo, hi = lo - timedelta(days=2), hi + timedelta(days=2)
    form = _date_form(lo, hi)
    fig.date("x").activate(True, form=form)
    xs = [p[0] for p in points]
    ys = [float(p[1]) for p in points]
    fig.draw(fig.signal(xs, ys).lines(True))
    if title:
        fig.title(f"{title} ({unit})" if unit else title)
    ticks = _date_ticks(lo, hi, width - 8, form)
    fig.ruler("x").lim(lo, hi)
    fig.ruler("x").ticks(ticks, [t.strftime(form) for t in ticks])
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.08 or (abs(low) * 0.05 or 1.0)  # a flat line still gets some room
    y_lo, y_hi = low - pad, high + pad
    if low >= 0:
        y_lo = max(y_lo, 0.0)
    y_ticks = nice_ticks(y_lo, y_hi, max(2, min(5, (height - 3) // 3)))
    fig.ruler("y").lim(y_lo, y_hi)
    fig.ruler("y").ticks(y_ticks, [write(t) for t in y_ticks])
    text = fig.build().string(colorless=True)
    return PlotResult(text.rstrip("\n"))


def colour_plot(text: str, line_style: Style | str, title_style: Style | str = "bold") -> Text:
    """Rich text of a colourless plot with the line glyphs in ``line_style``."""
    out = Text(no_wrap=True, overflow="crop")
    lines = text.split("\n")
    for index, row in enumerate(lines):
        if index == 0 and row.strip() and not any(ch in LINE_GLYPHS or ch in "┌│" for ch in row):
            out.append(row, title_style)
        else:
            start = 0
            in_glyphs = False
            for i, ch in enumerate(row + "\0"):
                is_glyph = ch in LINE_GLYPHS
                if i == len(row) or is_glyph != in_glyphs:
                    if i > start:
                        out.append(row[start:i], line_style if in_glyphs else None)
                    start, in_glyphs = i, is_glyph
        if index < len(lines) - 1:
            out.append("\n")
    return out


class ProgressPlot(Widget):
    """Shows ``points`` as a dated line plot that fills the widget (or a message)."""

    COMPONENT_CLASSES = {"progress-plot--line", "progress-plot--title", "progress-plot--message"}
    DEFAULT_CSS = """
    ProgressPlot { height: 1fr; min-height: 6; }
    ProgressPlot > .progress-plot--line { color: $text-accent; text-style: bold; }
    ProgressPlot > .progress-plot--title { color: $text; text-style: bold; }
    ProgressPlot > .progress-plot--message { color: $text-muted; }
    """

    points: reactive[tuple[tuple[datetime, float], ...]] = reactive((), layout=False)

    def __init__(
        self,
        title: str = "",
        unit: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.title = title
        self.unit = unit
        self.x_range: tuple[datetime, datetime] | None = None
        self.y_format: Callable[[float], str] | None = None
        self._cache: tuple[tuple, Text] | None = None

    def show(
        self,
        points: Sequence[tuple[datetime, float]],
        *,
        title: str | None = None,
        unit: str | None = None,
        x_range: tuple[datetime, datetime] | None = None,
        y_format: Callable[[float], str] | None = None,
    ) -> None:
        self.y_format = y_format
        if title is not None:
            self.title = title
        if unit is not None:
            self.unit = unit
        self.x_range = x_range
        self._cache = None
        self.points = tuple(points)
        self.refresh()

    @property
    def result(self) -> PlotResult:
        width, height = self.content_size
        return build_plot(
            self.points, width, height, title=self.title, unit=self.unit, x_range=self.x_range, y_format=self.y_format
        )

    def render(self) -> Text:
        width, height = self.content_size
        key = (width, height, self.points, self.title, self.unit, self.x_range, self.app.current_theme.name)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        result = self.result
        if result.is_message:
            text = Text(result.text, style=self.get_component_rich_style("progress-plot--message"))
        else:
            text = colour_plot(
                result.text,
                self.get_component_rich_style("progress-plot--line"),
                self.get_component_rich_style("progress-plot--title"),
            )
        self._cache = (key, text)
        return text
