"""The logging screen's two lists: the workout's exercises and the chosen exercise's sets.

Both are redrawn in place, never rebuilt for a small change: logging a set appends one row and
rewrites one line of the exercise list (a rebuild of either redraws every visible line, which was
most of the cost of logging a set). ``SetTable`` draws its lines itself and keeps each one, so a
logged set draws one new line (and the cursor's old and new lines), nothing else.

``SetTable`` columns: # (position, then W/D/F for a warm-up, drop or failure set, and * for a set
that beat a personal record; … for a set not saved yet), weight, reps, RPE, e1RM (up to 12 reps),
and the time it was logged. By the exercise's kind (``columns_for``): a bodyweight exercise's
load reads 'bw+20 kg' / 'bw−30 kg' / 'bw' (no e1RM); a timed one shows the time, the load and
the reps; a distance one the distance, time, reps, pace and RPE. Every layout fits 45 columns. Neither takes the focus on the logging screen: the set box keeps it,
and its rows mode moves the table's cursor (a click chooses a row too).

A workout with a plan (a template's or a program day's sets, the warm-up ramp) shows the planned
rows not yet logged after the sets logged: the next one bold with "next" in the last column (what
Enter in the empty set box logs), the others dim, a skipped one struck through with "skip" and
no number. Their columns read as a logged set's do: the target weight and reps ("5+": as many as
possible).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip

from overload_tui.domain.e1rm import estimate_1rm, is_trusted
from overload_tui.domain.enums import ExerciseKind
from overload_tui.domain.measures import clock, pace_per_km
from overload_tui.services.dto import SetInfo
from overload_tui.services import format as fmt
from overload_tui.widgets.row_view import OptionRows, RowView

NEXT, TODO, SKIPPED = "next", "todo", "skipped"  # a planned row's state (services/plan.py)
PR_MARK = "*"  # ASCII: a star is drawn two cells wide by some terminals and fonts
UNSENT_MARK = "…"
COLUMNS = (("#", "n", 4), ("Weight", "weight", 11), ("Reps", "reps", 4), ("RPE", "rpe", 3),
           ("e1RM", "e1rm", 5), ("Time", "time", 5))
KIND_COLUMNS = {
    ExerciseKind.WEIGHTED: (COLUMNS[0], ("Load", "weight", 11), *COLUMNS[2:]),
    ExerciseKind.ASSISTED: (COLUMNS[0], ("Load", "weight", 11), *COLUMNS[2:]),
    ExerciseKind.TIME: (("#", "n", 4), ("Time", "duration", 7), ("Load", "weight", 9), ("Reps", "reps", 4),
                        ("RPE", "rpe", 3), ("At", "time", 5)),
    ExerciseKind.DISTANCE: (("#", "n", 4), ("Distance", "distance", 9), ("Time", "duration", 7),
                            ("Reps", "reps", 4), ("Pace", "pace", 5), ("RPE", "rpe", 3)),
}


def columns_for(kind: ExerciseKind | str) -> tuple[tuple[str, str, int], ...]:
    return KIND_COLUMNS.get(ExerciseKind(kind), COLUMNS)


def table_width(kind: ExerciseKind | str) -> int:
    return sum(width + 2 for _, _, width in columns_for(kind))  # a space either side of each column


@dataclass(frozen=True, slots=True)
class SetRow:
    """One row as shown: equal rows are never redrawn."""

    key: str
    number: int
    info: SetInfo
    record: bool = False
    unsent: bool = False
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS
    planned: str = ""    # a planned row not logged yet: NEXT, TODO or SKIPPED
    amrap: bool = False  # planned as many reps as possible

    def cells(self) -> tuple[Text, ...]:
        s, dim = self.info, "dim italic" if self.unsent else ""
        if self.planned:
            dim = {NEXT: "bold", TODO: "dim", SKIPPED: "dim strike"}.get(self.planned, "dim")
        mark = Text("–" if self.planned == SKIPPED else str(self.number), style=dim)
        if s.set_type in fmt.SET_TYPE_MARKS:
            mark.append(fmt.SET_TYPE_MARKS[s.set_type], style="bold")
        if self.record:
            mark.append(PR_MARK, style="bold")
        if self.unsent:
            mark.append(UNSENT_MARK, style="bold")
        values = {
            "n": mark,
            "reps": Text(f"{s.reps}{'+' if self.amrap else ''}", justify="right", style=dim),
            "rpe": Text(fmt.number(s.rpe) if s.rpe is not None else "", justify="right", style=dim),
            "time": Text(f"{s.logged_at:%H:%M}" if s.logged_at else "", style="dim"),
        }
        if self.planned:
            values["time"] = Text({NEXT: "next", SKIPPED: "skip"}.get(self.planned, ""),
                                  style="bold" if self.planned == NEXT else "dim")
        kind = self.kind
        if kind is ExerciseKind.WEIGHT_REPS:
            amount, unit = fmt.load(s)  # as typed: 225 lb
            e1rm = estimate_1rm(amount, s.reps) if amount and is_trusted(s.reps) and not self.planned else None
            values["weight"] = Text(f"{fmt.weight(amount)} {fmt.unit_label(unit)}", style=dim)
            values["e1rm"] = Text(f"{e1rm:.0f}" if e1rm else "", style="dim", justify="right")
        else:
            values["weight"] = Text(fmt.load_text(s, kind, compact=True), style=dim)
            values["e1rm"] = Text("")
        values["duration"] = Text(fmt.seconds_text(s.duration_s) if s.duration_s else "", style=dim)
        if kind is ExerciseKind.DISTANCE:
            load = fmt.load_text(s, kind, short=True)
            distance = fmt.distance_text(s.distance_m, s.distance_unit) if s.distance_m else ""
            values["distance"] = Text(f"{distance} {load}".strip(), style=dim)
            values["duration"] = Text(clock(s.duration_s) if s.duration_s else "", style=dim)
            pace = pace_per_km(s.distance_m, s.duration_s)
            values["pace"] = Text(clock(round(pace)) if pace and pace < 6000 else "", style="dim", justify="right")
        return tuple(values[key] for _, key, _ in columns_for(kind))


class SetTable(RowView):
    """The chosen exercise's sets, the cursor shown in rows mode (the ``-rows`` class).

    A ``RowView`` under a header line, one line a set: a logged set draws its own line and the
    cursor's old and new lines; every other line comes from the cache. DataTable keys its caches
    on a count of changes, so each new row drew every visible cell again through Rich, and its
    new virtual size laid the whole screen out.
    """

    HEADER_HEIGHT = 1
    # DataTable's component classes and styles, so the table looks like one in every theme.
    COMPONENT_CLASSES = {
        "datatable--header", "datatable--cursor", "datatable--hover", "datatable--even-row", "datatable--odd-row",
    }
    DEFAULT_CSS = """
    SetTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus, &.-rows {  /* rows mode: the set box's keys act on the cursor's set */
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark {
            & > .datatable--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {  /* no cursor but in rows mode (-rows) */
            background: transparent;
            color: $foreground;
            text-style: none;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """

    class RowSelected(RowView.Selected):
        """Enter on a row, or a click on the cursor's row."""

        @property
        def cursor_row(self) -> int:
            return self.index

        @property
        def row_key(self) -> str:
            return self.view.rows[self.index].key

    Selected = RowSelected

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.kind = ExerciseKind.WEIGHT_REPS
        self.set_reactive(RowView.virtual_size, Size(TABLE_WIDTH, 1))

    def show_kind(self, kind: ExerciseKind) -> None:
        """The columns of this kind of exercise (its header redrawn when it changes)."""
        if kind is not self.kind:
            self.kind = kind
            self.refresh()

    @property
    def shown(self) -> list[SetRow]:
        return self.rows  # type: ignore[return-value]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row ``index`` as shown (DataTable's name)."""
        return list(self.rows[index].cells())

    def row_key(self, row: SetRow) -> str:
        return row.key

    def content_width(self) -> int:
        return table_width(self.kind)

    # -- drawing -------------------------------------------------------------------------------
    def get_look(self) -> _Look:
        """The styles a line is drawn with (as DataTable takes them)."""
        row = self.get_component_styles
        return _Look(
            self.rich_style,
            row("datatable--header").rich_style,
            row("datatable--even-row").rich_style,
            row("datatable--odd-row").rich_style,
            self.get_component_rich_style("datatable--cursor"),
            self.get_component_rich_style("datatable--hover"),
            self.has_focus,
            self.kind,
        )

    def render_header(self, look: _Look, width: int) -> list[Strip]:
        console = self.app.console
        segments: list[Segment] = []
        for label, _, column_width in columns_for(look.kind):
            segments += _cell(Text(label), column_width, console, look.header, _NULL)
        if width > (used := table_width(look.kind)):
            segments.append(Segment(" " * (width - used), look.header))
        return [Strip(segments, width).simplify()]

    def render_row(self, row: SetRow, look: _Look, width: int, odd: bool, cursor: bool, hover: bool) -> list[Strip]:
        """One row's line, as DataTable draws it: each cell padded by a space either side, the
        row's zebra style under the cell's own, the cursor's colours over both."""
        console = self.app.console
        row_style = look.odd if odd else look.even
        component = _NULL
        if hover:
            component += look.hover
        if cursor:
            component += look.cursor
        pre = row_style + component
        post = Style.from_color(color=component.color)
        segments: list[Segment] = []
        columns = columns_for(row.kind)
        for cell, (_, _, column_width) in zip(row.cells(), columns):
            segments += _cell(cell, column_width, console, pre, post)
        if width > (used := table_width(row.kind)):
            segments.append(Segment(" " * (width - used), pre))
        return [Strip(segments, width).simplify()]


class _Look(NamedTuple):
    base: Style
    header: Style
    even: Style
    odd: Style
    cursor: Style
    hover: Style
    focus: bool
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS


_NULL = Style()
TABLE_WIDTH = max(table_width(kind) for kind in ExerciseKind)  # the widest layout: 44


def _cell(text: Text, width: int, console: Console, pre: Style, post: Style) -> list[Segment]:
    """A cell's segments: ``text`` justified in ``width`` (cut to it), a space either side; what
    ``Padding(text, (0, 1))`` rendered by Rich gives, without Rich's line machinery."""
    length = text.cell_len
    if length > width:
        text = text.copy()
        text.truncate(width, overflow="crop")
        length = text.cell_len
    base = console.get_style(text.style, default=_NULL) if text.style else _NULL
    if text.spans:
        parts = [Segment(part.text, pre + part.style + post) for part in text.render(console)]
    elif text.plain:
        parts = [Segment(text.plain, pre + base + post)]
    else:
        parts = []
    space, gap = pre + post, width - length
    if text.justify != "right":
        return [Segment(" ", space), *parts, Segment(" " * (gap + 1), space)]
    if gap:  # Rich pads on the left in the text's own style
        parts.insert(0, Segment(" " * gap, pre + base + post))
    return [Segment(" ", space), *parts, Segment(" ", space)]


class EntryList(OptionRows):
    """The workout's exercises, a line each."""

