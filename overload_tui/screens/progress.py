"""Progress of one exercise: estimated 1RM, heaviest set and session volume over time, best sets.

Pick an exercise (those you have trained come first), pick a period (3 months, 1 year, all).
On a normal terminal one view shows at a time (tabs, keys 1-4); on a large one all four share the
screen. The plots are drawn by plotext (``widgets/progress_plot.py``) with dates on the x axis.
The numbers come from the progress service (``Services.progress``): warm-up sets left out, the
user's e1RM formula, and one unit (kg and machine stacks never share an axis: the unit of the most
recent working set). The exercise's series is read once; switching period only filters it.

Weights read in the exercise's unit (``progress.shown_unit``: a pounds lifter's plots, axes and
e1RMs are in lb, a history of kg and lb sets one series), each best set as it was logged, and
body weights (and the loads they make, when the exercise is in stacks) in the lifter's unit.
The service gives kilograms; they are converted here, once, when a period is cut.

Each kind of exercise plots what fits it (``PLOTS``): e1RM, heaviest set and volume for weight x
reps; the effective load (body weight plus the load, or minus the help), the added load or the
help, and the most reps for weighted and assisted; the longest hold for timed holds; the best
pace and the distance for distance; the most reps for reps only. View 5 plots the body-weight log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, Tab, Tabs

from overload_tui import clock
from overload_tui.domain.e1rm import CAVEAT, is_trusted
from overload_tui.domain.enums import ExerciseKind, Unit
from overload_tui.domain.measures import BODYWEIGHT_KINDS, clock as clock_text, distance_text, effective_load, pace_per_km, seconds_text
from overload_tui.domain.records import BestSet
from overload_tui.domain.units import LoadUnit, WeightUnit, from_kg
from overload_tui.services.body import BodyWeightService
from overload_tui.screens.templates import BACK
from overload_tui.services.dto import ExerciseInfo
from overload_tui.services.progress import ProgressPoint, ProgressService, shown_unit
from overload_tui.services.settings import DEFAULTS, SettingsService
from overload_tui.services import format as fmt
from overload_tui.widgets.exercise_select import ExerciseSelectScreen, recent_exercises
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.progress_plot import ProgressPlot
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce

RANGES: dict[str, tuple[str, int | None]] = {
    "3m": ("last 3 months", 91),
    "1y": ("last year", 365),
    "all": ("all time", None),
}
VIEWS = ("e1rm", "heaviest", "volume", "best", "body")  # the first three: the kind's plots (PLOTS)
ROOMY = (120, 36)  # from this size all four views share the screen
BEST_N = 10

VIEW = Binding.Group("View", compact=True)
RANGE = Binding.Group("Period", compact=True)


LOAD = "load"  # a plot's unit: the exercise's (kg, lb or stacks)
WEIGHT = "weight"  # the effective load: the exercise's kg or lb, else the lifter's unit


@dataclass(frozen=True, slots=True)
class Plot:
    """One of the kind's three plots: its tab, its title, its value in a point, its unit."""

    tab: str
    title: str
    value: Callable[[ProgressPoint], float | None]
    unit: str = LOAD  # LOAD, WEIGHT (converted from kg), or what the value is in ('reps', 'km')
    y_format: Callable[[float], str] | None = None


def _effective(p: ProgressPoint) -> float | None:
    return p.heaviest if p.body_weight is not None else None


def _km(metres: float | None) -> float | None:
    return None if metres is None else metres / 1000


_WEIGHT = (
    Plot("e1RM", "Estimated 1RM", lambda p: p.best_e1rm),
    Plot("Heaviest", "Heaviest set", lambda p: p.heaviest),
    Plot("Volume", "Session volume", lambda p: p.volume),
)
_REPS = Plot("Reps", "Most reps in a set", lambda p: p.most_reps, "reps")
PLOTS: dict[ExerciseKind, tuple[Plot, Plot, Plot]] = {
    ExerciseKind.WEIGHT_REPS: _WEIGHT,
    ExerciseKind.WEIGHTED: (
        Plot("Load", "Heaviest load, body weight + added", _effective, WEIGHT),
        Plot("Added", "Heaviest added load", lambda p: p.added),
        _REPS,
    ),
    ExerciseKind.ASSISTED: (
        Plot("Load", "Heaviest load, body weight - help", _effective, WEIGHT),
        Plot("Help", "Least assistance", lambda p: p.added),
        _REPS,
    ),
    ExerciseKind.TIME: (
        Plot("Hold", "Longest hold", lambda p: p.longest_s, "m:ss", clock_text),
        Plot("Time", "Time held in all", lambda p: p.total_s, "m:ss", clock_text),
        Plot("Sets", "Sets", lambda p: p.sets, "sets"),
    ),
    ExerciseKind.DISTANCE: (
        Plot("Pace", "Best pace", lambda p: p.best_pace, "per km", clock_text),
        Plot("Distance", "Longest distance", lambda p: _km(p.longest_m), "km"),
        Plot("Total", "Distance in all", lambda p: _km(p.total_m), "km"),
    ),
    ExerciseKind.REPS_ONLY: (
        _REPS,
        Plot("Total", "Reps in all", lambda p: p.total_reps, "reps"),
        Plot("Sets", "Sets", lambda p: p.sets, "sets"),
    ),
}
BEST_COLUMN = {
    ExerciseKind.TIME: "Hold", ExerciseKind.DISTANCE: "Distance", ExerciseKind.REPS_ONLY: "Reps",
}


@dataclass(frozen=True, slots=True)
class ExerciseProgress:
    """What the database gives for one exercise, read once: the periods are cut from it."""

    points: tuple[ProgressPoint, ...] = ()  # one per session, oldest first, in one unit (kg or stacks)
    best: tuple[BestSet, ...] = ()          # all-time best sets in that unit, best first
    body: tuple[tuple[datetime, float], ...] = ()  # the body-weight log (kg), oldest first
    unit: LoadUnit = LoadUnit.KG            # what the exercise's figures read in (shown_unit)
    weight_unit: WeightUnit = WeightUnit.KG  # the lifter's: body weights


def load_progress(
    progress: ProgressService, exercise_id: int, best_n: int = BEST_N, body: BodyWeightService | None = None,
    settings: SettingsService | None = None,
) -> ExerciseProgress:
    """Database thread: the exercise's series and best sets (4 queries, more for other kinds
    than weight x reps), in the user's e1RM formula, the body-weight log (one more) and the
    units the user reads them in (one more; kg without ``settings``)."""
    weights = tuple((datetime(e.measured_on.year, e.measured_on.month, e.measured_on.day), e.weight)
                    for e in (body.entries() if body is not None else ()))
    user = settings.get() if settings is not None else DEFAULTS
    points = progress.progress_series(exercise_id)
    if not points:
        return ExerciseProgress(body=weights, weight_unit=user.weight_unit)
    best = progress.best_sets(exercise_id, n=best_n, unit=points[-1].unit)
    unit = shown_unit(user, exercise_id, points[-1].unit)
    return ExerciseProgress(tuple(points), tuple(best), weights, unit, user.weight_unit)


def reading(unit: LoadUnit | WeightUnit) -> Callable[[float], float]:
    """Stored values (kg, or stacks) as read in ``unit``: pounds converted, the others as they are."""
    return partial(from_kg, unit=WeightUnit.LBS) if unit == LoadUnit.LBS else float


def weight_of(unit: LoadUnit, lifter: WeightUnit) -> WeightUnit:
    """What an effective load (body weight plus or minus the load) reads in: the exercise's kg
    or lb, else (stacks) the lifter's unit."""
    return lifter if unit is LoadUnit.STACKS else WeightUnit(unit.value)


@dataclass(frozen=True, slots=True)
class ProgressData:
    """What one period shows."""

    unit: Unit | None                    # as stored (kg or stacks); None: nothing logged
    e1rm: tuple[tuple[datetime, float], ...] = ()  # these three in ``load_unit``
    heaviest: tuple[tuple[datetime, float], ...] = ()
    volume: tuple[tuple[datetime, float], ...] = ()
    best: tuple[BestSet, ...] = ()
    rough_e1rm: bool = False  # an estimate in the period comes from a set of more than ~12 reps
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS
    plots: tuple[tuple[tuple[datetime, float], ...], ...] = ()  # PLOTS[kind]'s series, in order
    body: tuple[tuple[datetime, float], ...] = ()  # the body weights of the period, in ``body_unit``
    no_body_weight: bool = False  # weighted or assisted, and no body weight logged at all
    load_unit: LoadUnit = LoadUnit.KG      # the exercise's loads, e1RMs and volumes (best: kg, as stored)
    weight_unit: WeightUnit = WeightUnit.KG  # its effective loads (body weight plus or minus the load)
    body_unit: WeightUnit = WeightUnit.KG    # the lifter's

    def label(self, plot: Plot) -> str:
        """The plot's unit, as its axis title says it: 'lb', 'kg', 'stacks', 'reps', 'per km'."""
        if plot.unit == LOAD:
            return fmt.unit_label(self.load_unit)
        return fmt.unit_label(self.weight_unit) if plot.unit == WEIGHT else plot.unit


def progress_data(loaded: ExerciseProgress, since: datetime | None = None) -> ProgressData:
    """The series of the period from ``since`` (all of it with None), in the units they read in."""
    lifter = reading(loaded.weight_unit)
    body = tuple((d, lifter(w)) for d, w in loaded.body if since is None or d >= since)
    if not loaded.points:
        return ProgressData(unit=None, body=body, body_unit=loaded.weight_unit)
    points = [p for p in loaded.points if since is None or p.date >= since]
    kind = loaded.points[-1].kind
    unit, effective = loaded.unit, weight_of(loaded.unit, loaded.weight_unit)
    load = reading(unit)
    read = {LOAD: load, WEIGHT: reading(effective)}

    def series(plot: Plot) -> tuple[tuple[datetime, float], ...]:
        convert = read.get(plot.unit, float)
        return tuple((p.date, convert(v)) for p in points if (v := plot.value(p)) is not None)

    plots = tuple(series(plot) for plot in PLOTS[kind])
    weights = kind in (ExerciseKind.WEIGHT_REPS, *BODYWEIGHT_KINDS)
    return ProgressData(
        unit=loaded.points[-1].unit,
        e1rm=tuple((p.date, load(p.best_e1rm)) for p in points) if weights else (),
        heaviest=tuple((p.date, load(p.heaviest)) for p in points) if weights else (),
        volume=tuple((p.date, load(p.volume)) for p in points) if weights else (),
        best=loaded.best,
        rough_e1rm=kind is ExerciseKind.WEIGHT_REPS and any(not p.trusted for p in points),
        kind=kind,
        plots=plots,
        body=body,
        no_body_weight=kind in BODYWEIGHT_KINDS and not loaded.body,
        load_unit=unit,
        weight_unit=effective,
        body_unit=loaded.weight_unit,
    )


def effective_text(kind: ExerciseKind, weight: float, body_weight: float | None, unit: WeightUnit) -> str:
    """A weighted or assisted set's load, body weight included, in ``unit``: 'bw 80 + 20 = 100 kg',
    'bw 180 - 50 = 130 lb', 'bw + 20 kg (no body weight logged)' without one."""
    sign = "+" if kind is ExerciseKind.WEIGHTED else "-"
    load = effective_load(kind, weight, body_weight)
    read = reading(unit)

    def text(kg: float) -> str:
        return fmt.number(read(kg), grouping=True)

    if load is None:
        return f"bw {sign} {text(weight)} {fmt.unit_label(unit)} (no body weight logged)"
    return f"bw {text(body_weight or 0.0)} {sign} {text(weight)} = {text(load)} {fmt.unit_label(unit)}"


def set_text(kind: ExerciseKind, best: BestSet, unit: WeightUnit = WeightUnit.KG) -> str:
    """A best set as the table shows it, as it was logged: '100 kg × 5', '225 lb × 5', '8 st × 12',
    'bw 80 + 20 = 100 kg × 8' (in ``unit``, the effective load's), '1:05', '5 km in 25:00
    (5:00/km)', '25 reps'."""
    rec = best.record
    times = f" × {rec.reps}" if rec.reps > 1 else ""
    if kind is ExerciseKind.TIME:
        load = f" with {fmt.weight_in(rec.weight, rec.load_unit)}" if rec.weight else ""
        return f"{seconds_text(rec.duration_s or 0)}{times}{load}"
    if kind is ExerciseKind.DISTANCE:
        text = distance_text(rec.distance_m or 0, rec.distance_unit)
        if rec.duration_s:
            text += f" in {clock_text(rec.duration_s)} ({clock_text(pace_per_km(rec.distance_m, rec.duration_s) or 0)}/km)"
        return text + times
    if kind is ExerciseKind.REPS_ONLY:
        return fmt.plural(rec.reps, "rep")
    if kind in BODYWEIGHT_KINDS:
        return f"{effective_text(kind, rec.weight, rec.body_weight, unit)} × {rec.reps}"
    return f"{fmt.load_text(rec, kind, compact=True)} × {rec.reps}"


def best_value(kind: ExerciseKind, best: BestSet, unit: LoadUnit | WeightUnit = LoadUnit.KG) -> str:
    """The column the best sets are ranked by: the e1RM in ``unit``, the hold, the distance, the reps."""
    if kind is ExerciseKind.TIME:
        return seconds_text(best.e1rm)
    if kind is ExerciseKind.DISTANCE:
        return distance_text(best.e1rm, best.record.distance_unit)
    if kind is ExerciseKind.REPS_ONLY:
        return f"{best.e1rm:.0f}"
    return f"{reading(unit)(best.e1rm):.1f}"


def no_body_weight(unit: WeightUnit) -> str:
    example = "180" if unit is WeightUnit.LBS else "80"
    return ("No body weight logged, so no load is shown: press w on the dashboard "
            f"(or run overload bodyweight {example}) to add yours.")


class ProgressScreen(StyledOnce, ServiceCalls, Screen[None]):
    TITLE = "Progress"
    CSS_PATH = "progress.tcss"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("e", "choose_exercise", "Exercise"),
        Binding("1", "view('e1rm')", "Estimated 1RM", group=VIEW),
        Binding("2", "view('heaviest')", "Heaviest set", group=VIEW),
        Binding("3", "view('volume')", "Session volume", group=VIEW),
        Binding("4", "view('best')", "Best sets", group=VIEW),
        Binding("5", "view('body')", "Body weight", group=VIEW),
        Binding("m", "period('3m')", "3 months", group=RANGE),
        Binding("y", "period('1y')", "1 year", group=RANGE),
        Binding("a", "period('all')", "All time", group=RANGE),
        BACK,
    ]

    def __init__(self, exercise: ExerciseInfo | None = None) -> None:
        super().__init__()
        self.exercise = exercise
        self.loaded: ExerciseProgress | None = None
        self.period = "1y"
        self.view = "e1rm"
        self.data: ProgressData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="prog-heading")
        yield Tabs(
            Tab("1 e1RM", id="tab-e1rm"),
            Tab("2 Heaviest", id="tab-heaviest"),
            Tab("3 Volume", id="tab-volume"),
            Tab("4 Best sets", id="tab-best"),
            Tab("5 Body", id="tab-body"),
            id="prog-tabs",
        )
        with Container(id="prog-panels"):
            yield ProgressPlot("Estimated 1RM", id="panel-e1rm", classes="panel")
            yield ProgressPlot("Heaviest set", id="panel-heaviest", classes="panel")
            yield ProgressPlot("Session volume", id="panel-volume", classes="panel")
            with Vertical(id="panel-best", classes="panel"):
                yield Static("", id="best-title")
                yield DataTable(id="best-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="best-note")
            yield ProgressPlot("Body weight", id="panel-body", classes="panel")
        yield Static("", id="prog-message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._columns(ExerciseKind.WEIGHT_REPS)
        self._show_view()
        if self.exercise is not None:
            self.load(self.exercise)
        else:
            self._message("Looking for the exercises you have trained…")
            self.run_service(recent_exercises, self.app.workouts, on_done=self._recent_loaded)

    def size_classes(self, width: int, height: int) -> dict[str, bool]:
        return {**super().size_classes(width, height), "-roomy": width >= ROOMY[0] and height >= ROOMY[1]}

    def _recent_loaded(self, recent: list[ExerciseInfo]) -> None:
        if self.exercise is not None:
            return
        if recent:
            self.load(recent[0])
        else:
            self._message("No workouts logged yet. Press e to choose an exercise anyway.")

    # -- data ---------------------------------------------------------------------------------
    def load(self, exercise: ExerciseInfo) -> None:
        self.exercise = exercise
        self.loaded = None
        self._heading()
        services, user_id = self.app.services, self.app.user.id
        self.run_service(
            load_progress, services.progress(user_id), exercise.id, BEST_N, services.body(user_id),
            services.settings(user_id), on_done=lambda loaded: self._loaded(exercise, loaded),
        )

    def _loaded(self, exercise: ExerciseInfo, loaded: ExerciseProgress) -> None:
        if self.exercise is None or exercise.id != self.exercise.id:
            return  # another exercise was picked meanwhile
        self.loaded = loaded
        self._refresh_data()

    def _since(self) -> datetime | None:
        days = RANGES[self.period][1]
        return None if days is None else clock.now() - timedelta(days=days)

    def _refresh_data(self) -> None:
        if self.exercise is None or self.loaded is None:
            return
        since = self._since()
        data = self.data = progress_data(self.loaded, since)
        self._heading()
        x_range = (since, clock.now()) if since is not None else None
        self.query_one("#panel-body", ProgressPlot).show(data.body, unit=fmt.unit_label(data.body_unit), x_range=x_range)
        if data.unit is None:
            self._message(Text.assemble(
                Text(self.exercise.name, style="bold"),
                " has no sets logged yet. Press e to choose another exercise.",
            ))
            return
        self._message(None)
        for view, plot, points in zip(VIEWS, PLOTS[data.kind], data.plots):
            self.query_one(f"#panel-{view}", ProgressPlot).show(
                points, title=plot.title, unit=data.label(plot), x_range=x_range, y_format=plot.y_format
            )
        tabs = self.query_one("#prog-tabs", Tabs)
        for n, (view, plot) in enumerate(zip(VIEWS, PLOTS[data.kind]), 1):
            tab = tabs.query_one(f"#tab-{view}", Tab)
            if tab.label_text != f"{n} {plot.tab}":
                tab.label = f"{n} {plot.tab}"
        self._fill_best(data)

    def _columns(self, kind: ExerciseKind) -> None:
        table = self.query_one("#best-table", DataTable)
        table.clear(columns=True)
        table.add_column("#", key="rank")
        table.add_column("Date", key="date")
        table.add_column("Set", key="set")
        table.add_column(BEST_COLUMN.get(kind, "e1RM"), key="e1rm")

    def _fill_best(self, data: ProgressData) -> None:
        self._columns(data.kind)
        table = self.query_one("#best-table", DataTable)
        weights = data.kind is ExerciseKind.WEIGHT_REPS or data.kind in BODYWEIGHT_KINDS
        unit = data.weight_unit if data.kind in BODYWEIGHT_KINDS else data.load_unit
        untrusted = False
        for rank, best in enumerate(data.best, 1):
            mark = ""
            if weights and not is_trusted(best.record.reps):
                mark, untrusted = "*", True
            table.add_row(
                Text(str(rank), justify="right"),
                Text(f"{best.record.date:%d %b %Y}"),
                Text(set_text(data.kind, best, data.weight_unit)),
                Text(best_value(data.kind, best, unit) + mark, justify="right"),
            )
        self.query_one("#best-title", Static).update(Text("Best sets, all time", style="bold"))
        notes = []
        if untrusted or data.rough_e1rm:
            notes.append(f"* {CAVEAT}" if untrusted else CAVEAT)
        if data.no_body_weight:
            notes.append(no_body_weight(data.body_unit))
        self.query_one("#best-note", Static).update(Text("\n".join(notes)))

    # -- display ------------------------------------------------------------------------------
    def _heading(self) -> None:
        heading = Text()
        if self.exercise is None:
            heading.append("No exercise chosen", style="dim")
        else:
            heading.append(self.exercise.name, style="bold")
            heading.append(f" · {RANGES[self.period][0]}")
            if self.data is not None and self.data.unit is not None:
                heading.append(f" · {fmt.unit_label(self.data.load_unit)}", style="dim")
            if self.data is not None and self.data.no_body_weight:
                heading.append(" · no body weight logged (w on the dashboard)", style="dim")
        self.query_one("#prog-heading", Static).update(heading)
        self.sub_title = self.exercise.name if self.exercise else ""

    def _message(self, message: str | Text | None) -> None:
        widget = self.query_one("#prog-message", Static)
        widget.update(message if message is not None else "")
        self.set_class(message is not None, "-message")

    def _show_view(self) -> None:
        for view in VIEWS:
            self.query_one(f"#panel-{view}").set_class(view == self.view, "-active")
        tabs = self.query_one("#prog-tabs", Tabs)
        if tabs.active != f"tab-{self.view}":
            tabs.active = f"tab-{self.view}"

    @on(Tabs.TabActivated, "#prog-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "tab-e1rm").removeprefix("tab-")
        if view != self.view:
            self.view = view
            self._show_view()

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period" and parameters and parameters[0] == self.period:
            return None  # the period shown: greyed out
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_view(self, view: str) -> None:
        self.view = view
        self._show_view()

    def action_period(self, period: str) -> None:
        self.period = period
        self.refresh_bindings()
        self._heading()
        self._refresh_data()

    def action_choose_exercise(self) -> None:
        def chosen(exercise: ExerciseInfo | None) -> None:
            if exercise is not None:
                self.data = None
                self.load(exercise)

        self.app.push_screen(ExerciseSelectScreen("Progress of which exercise?"), chosen)
