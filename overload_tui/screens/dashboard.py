"""The dashboard: start or resume a workout, the latest ones, this week's count and volume.

Weights read in the lifter's unit: this week's volume is summed in kg and shown in lb for a
pounds lifter, and the body weight (w) is typed and confirmed in it (stored as its exact kg).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from overload_tui import clock
from overload_tui.domain.enums import Category
from overload_tui.domain.errors import OverloadError
from overload_tui.domain.units import WeightUnit, from_kg
from overload_tui.screens.messages import DashboardShown, Host, LogOut, ShowWorkout, StartWorkout
from overload_tui.services.dto import SessionSummary, TemplateSummary, UserInfo, as_row, from_row, json_value
from overload_tui.services import format as fmt
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.row_view import OptionRows
from overload_tui.widgets.screen_style import StyledOnce

if TYPE_CHECKING:
    from overload_tui.services.progress import ProgressService
    from overload_tui.services.settings import SettingsService
    from overload_tui.services.workouts import WorkoutService

RECENT = 20

# key -> (module, class) of the screens another part of the app provides.
OTHER_SCREENS = {
    "templates": ("overload_tui.screens.templates", "TemplatesScreen"),
    "history": ("overload_tui.screens.history", "HistoryScreen"),
    "progress": ("overload_tui.screens.progress", "ProgressScreen"),
    "settings": ("overload_tui.screens.settings", "SettingsScreen"),
    "import": ("overload_tui.screens.import_screen", "ImportScreen"),
    "export": ("overload_tui.screens.import_screen", "ExportScreen"),
    "programs": ("overload_tui.screens.programs", "ProgramsScreen"),
}


@dataclass(frozen=True, slots=True)
class OpenWorkout:
    """Today's unfinished workout, as the Resume line shows it."""

    id: int
    name: str | None
    set_count: int


@dataclass(frozen=True, slots=True)
class DashboardData:
    today_open: OpenWorkout | None
    templates: tuple[TemplateSummary, ...]
    recent: tuple[SessionSummary, ...]
    this_week: int
    # (category, working sets, kg tonnage) this week, categories with sets only, Category order
    volume: tuple[tuple[Category, int, float], ...] = ()
    unit: WeightUnit = WeightUnit.KG  # the lifter's: the volume and body weights read in it


def load_dashboard(
    ws: WorkoutService, progress: ProgressService | None = None, settings: SettingsService | None = None
) -> DashboardData:
    """Everything the dashboard shows, read on the database thread (the lifter's unit from
    ``settings``; kg without)."""
    now = clock.now()
    open_session = ws.latest_unfinished()
    if open_session is not None and open_session.date.date() != now.date():
        open_session = None
    volume: tuple[tuple[Category, int, float], ...] = ()
    if progress is not None:
        volume = tuple(
            (category, v.sets, v.tonnage_kg)
            for category, v in progress.weekly_volume(now.date()).items()
            if v.sets
        )
    return DashboardData(
        today_open=None if open_session is None else OpenWorkout(open_session.id, open_session.name, open_session.set_count),
        templates=tuple(ws.list_templates()),
        recent=tuple(ws.list_sessions(limit=RECENT)),
        this_week=ws.count_sessions(since=fmt.week_start(now)),
        volume=volume,
        unit=settings.get().weight_unit if settings is not None else WeightUnit.KG,
    )


def data_to_json(data: DashboardData) -> dict[str, Any]:
    """What the dashboard's glance keeps (see overload_tui.glance), and when."""
    return {
        "shown": clock.now().isoformat(),
        "today_open": None if data.today_open is None else as_row(data.today_open),
        "templates": [as_row(t) for t in data.templates],
        "recent": [as_row(s) for s in data.recent],
        "this_week": data.this_week,
        "volume": [[c.value, sets, kg] for c, sets, kg in data.volume],
        "unit": data.unit.value,
    }


def data_from_json(saved: dict[str, Any]) -> DashboardData:
    """The inverse of ``data_to_json``, without what has lapsed since: a workout open on another
    day (no Resume: keys typed at the glance act on what the fresh data will show), or this
    week's figures from an earlier week. ValueError, TypeError or KeyError when malformed."""
    shown, now = json_value("datetime", saved["shown"]), clock.now()
    today = saved["today_open"] if shown.date() == now.date() else None
    same_week = fmt.week_start(shown) == fmt.week_start(now)
    return DashboardData(
        today_open=None if today is None else from_row(OpenWorkout, today),
        templates=tuple(from_row(TemplateSummary, t) for t in saved["templates"]),
        recent=tuple(from_row(SessionSummary, s) for s in saved["recent"]),
        this_week=json_value("int", saved["this_week"]) if same_week else 0,
        volume=tuple((Category(c), json_value("int", sets), float(json_value("float", kg)))
                     for c, sets, kg in (saved["volume"] if same_week else ())),
        unit=WeightUnit(saved.get("unit", WeightUnit.KG)),
    )


class Packed:
    """Short items side by side, as many to a line as fit the width; an item moves to the next
    line whole rather than breaking (a Rich renderable, so it follows the widget's width). When
    that takes more than ``max_lines``, the ``short`` forms of the items are packed instead.
    ``head``: a line above the items."""

    def __init__(self, items: list[Text], short: list[Text] | None = None, gap: int = 3, max_lines: int = 3,
                 head: Text | None = None) -> None:
        self.items = items
        self.short = short or items
        self.gap = gap
        self.max_lines = max_lines
        self.head = head

    @property
    def plain(self) -> str:
        packed = (" " * self.gap).join(item.plain for item in self.items)
        return "\n".join(p for p in (self.head.plain if self.head else "", packed) if p)

    def pack(self, items: list[Text], width: int) -> Text:
        out = Text()
        used = 0
        for item in items:
            if used and used + self.gap + item.cell_len > width:
                out.append("\n")
                used = 0
            elif used:
                out.append(" " * self.gap)
                used += self.gap
            out.append_text(item)
            used += item.cell_len
        return out

    def lines(self, width: int) -> Text:
        packed = self.pack(self.items, width)
        if packed.plain.count("\n") >= self.max_lines:
            packed = self.pack(self.short, width)
        if self.head is None:
            return packed
        return Text("\n").join([self.head, packed]) if self.items else self.head

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.lines(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((item.cell_len for item in self.short), default=0)
        longest = max((len(line) for line in self.plain.split("\n")), default=0)
        return Measurement(widest, max(widest, longest))


def volume_item(category: Category, sets: int, tonnage_kg: float, *, weight: bool = True,
                unit: WeightUnit = WeightUnit.KG) -> Text:
    """'Chest 6 sets · 2,955 kg', '· 6,515 lb' in pounds (no weight when every set was in stacks,
    or ``weight`` is False)."""
    item = Text()
    item.append(category.value.capitalize(), style="bold")
    item.append(f" {fmt.plural(sets, 'set')}")
    if weight and tonnage_kg > 0:
        item.append(f" · {round(from_kg(tonnage_kg, unit)):,} {fmt.unit_label(unit)}", style="dim")
    return item


def volume_text(volume: tuple[tuple[Category, int, float], ...], head: Text | None = None,
                unit: WeightUnit = WeightUnit.KG) -> Packed:
    """Sets and weight (in ``unit``) per category, under ``head``; on a narrow terminal with many
    categories (more than three lines), sets only, so the workouts below keep their room."""
    return Packed([volume_item(*v, unit=unit) for v in volume], [volume_item(*v, weight=False) for v in volume],
                  head=head)


def session_line(s: SessionSummary, now, day_width: int = 11) -> Text:
    """'today  16 sets  Push day (open)', the name (user text) shown literally."""
    line = Text()
    line.append(f"{fmt.relative_day(s.date, now):<{day_width}}", style="bold")
    line.append(f"{fmt.plural(s.set_count, 'set'):>8}  ", style="dim")
    line.append(s.name or (", ".join(s.exercise_names) or "Empty workout"))
    if s.finished_at is None:
        line.append(" (open)", style="italic")
    return line


class DashboardScreen(StyledOnce, Screen[None]):
    app: Host

    BINDINGS = [
        # Keys that open a screen act as they arrive (priority), before the keys typed behind
        # them, which the app then holds for the screen they open ("n" then "squat⏎").
        Binding("n", "new_workout", "New", tooltip="Start an empty workout", priority=True),
        Binding("r", "resume", "Resume", tooltip="Resume today's unfinished workout", priority=True),
        Binding("t", "screen('templates')", "Templates"),
        Binding("h", "screen('history')", "History"),
        Binding("p", "screen('progress')", "Progress"),
        Binding("i", "screen('import')", "Import", tooltip="Import a Strong, Hevy or FitNotes export, or a backup"),
        Binding("e", "screen('export')", "Export", show=False, tooltip="Export your log (Strong CSV or JSON backup)"),
        Binding("s", "screen('settings')", "Settings"),
        Binding("w", "body_weight", "Body weight", show=False, tooltip="Log today's body weight"),
        Binding("o", "screen('programs')", "Programs", show=False,
                tooltip="Training programs: the next weeks, edit, start (5/3/1, GZCLP, 5x5, PPL)"),
        # Rare: in the palette and the F1 keys, not the footer, so that 80 columns show the rest.
        Binding("l", "logout", "Log out", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, glance: tuple[UserInfo, DashboardData] | None = None) -> None:
        """``glance``: who was logged in and what the dashboard showed when it was last up (see
        overload_tui.glance), drawn until the log-in is checked and the data read afresh."""
        super().__init__()
        self._reading_ahead = False  # a screen's first data is being read before it opens
        self.glance = glance
        self.data: DashboardData | None = None
        self.fresh = False  # ``data`` was read from the database (not the glance)
        self._shown_on: date | None = None  # the day the data was shown ("today" in its lines)

    @classmethod
    def from_glance(cls, user: dict[str, Any], data: dict[str, Any]) -> DashboardScreen | None:
        """The dashboard showing a glance's saved JSON; None if it does not hold what it should."""
        try:
            info = UserInfo(**user)
            if not isinstance(info.id, int) or not isinstance(info.username, str):
                return None
            return cls((info, data_from_json(data)))
        except (TypeError, ValueError, KeyError):
            return None

    @property
    def user(self) -> UserInfo | None:
        """Who the dashboard is for: the logged-in user, or the glance's until the log-in is checked."""
        return self.app.user or (self.glance[0] if self.glance else None)

    def compose(self) -> ComposeResult:
        # No containers (each would be styled, laid out and drawn too): the greeting is docked
        # under the header, the two lists are the screen's grid (dashboard.tcss), each list's
        # title drawn in its top border.
        yield Header()
        yield Static(id="summary", markup=False)
        for list_id, title in (("start", "Start a workout"), ("recent", "Recent workouts")):
            rows = OptionRows(id=list_id)
            rows.border_title = title
            yield rows
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = self.user.username if self.user else ""
        self.query_one("#start", OptionRows).focus()

    def on_screen_resume(self) -> None:
        """Shown first, or again after a workout: read everything afresh (the glance until the
        log-in is checked: the app then calls ``reload``)."""
        if self.app.user is None and self.glance is not None:
            self._show(self.glance[1], fresh=False)
        else:
            self.reload()

    def reload(self) -> None:
        if self.app.user is None:
            return
        services, user_id = self.app.services, self.app.user.id
        self.app.call_service(load_dashboard, self.app.workouts, services.progress(user_id),
                              services.settings(user_id), on_done=self._show, on_error=self._not_loaded)

    def _not_loaded(self, error: OverloadError) -> None:
        self.post_message(DashboardShown(None))  # the held keys act on what it shows
        self.notify(str(error), title="Dashboard not read", severity="error", markup=False)

    def _show(self, data: DashboardData, fresh: bool = True) -> None:
        was_fresh = self.fresh
        if fresh and self.is_attached:
            # The held keys run once the rest of this has run: they act on what it shows.
            self.post_message(DashboardShown(data_to_json(data) if data != self.data or not self.fresh else None))
            self.fresh = True
        now = clock.now()
        if not self.is_attached or ((data, now.date()) == (self.data, self._shown_on) and was_fresh):
            return  # back from a workout that did not change: nothing to draw again
        self.data, self._shown_on = data, now.date()
        user = self.user
        who = (user.name or user.username) if user else ""
        greeting = Text(f"Hello {who}. ")
        greeting.append(f"{fmt.plural(data.this_week, 'workout')} this week.", style="bold")
        self.query_one("#summary", Static).update(volume_text(data.volume, head=greeting, unit=data.unit))

        start = self.query_one("#start", OptionRows)
        # Back from a workout, the same line stays highlighted; over the glance, the first
        # (Resume, when a workout is open), as on a fresh start.
        highlighted = start.highlighted_id if was_fresh else None
        options: list[tuple[str, Text]] = []
        if data.today_open is not None:
            s = data.today_open
            resume = Text()
            resume.append("▶ Resume ", style="bold")
            resume.append(s.name or "today's workout")
            resume.append(f" · {fmt.plural(s.set_count, 'set')}", style="dim")
            options.append(("resume", resume))
        options.append(("empty", Text("+ Empty workout")))
        for t in data.templates:
            line = Text("  ")
            line.append(t.name)
            line.append(f" · {fmt.plural(t.exercise_count, 'exercise')}", style="dim")
            options.append((f"template-{t.id}", line))
        ids = [option_id for option_id, _ in options]
        if "resume" in ids and all(getattr(row, "id", None) != "resume" for row in start.rows):
            highlighted = "resume"  # back from a workout left open: Resume is the next thing to do
        start.show_options(options, cursor=ids.index(highlighted) if highlighted in ids else 0)

        # Imported history is mostly from other years: 'Tue 4 Mar 2025' is wider than 'today'.
        day_width = max([11, *(len(fmt.relative_day(s.date, now)) + 1 for s in data.recent)])
        self.query_one("#recent", OptionRows).show_options(
            [(f"session-{s.id}", session_line(s, now, day_width)) for s in data.recent]
            or [("", Text("No workouts yet: press n to start one.", style="dim"))]
        )
        self.refresh_bindings()

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.user is None:
            return False  # the glance, until the log-in is checked (the app holds the keys)
        if action == "resume":
            return self.data is not None and self.data.today_open is not None
        return True

    @on(OptionRows.Selected, "#start")
    def _start(self, event: OptionRows.Selected) -> None:
        option_id = event.row.id if self.app.user else ""
        if option_id == "resume":
            self.action_resume()
        elif option_id == "empty":
            self.action_new_workout()
        elif option_id.startswith("template-"):
            self.post_message(StartWorkout(int(option_id.removeprefix("template-"))))

    @on(OptionRows.Selected, "#recent")
    def _open(self, event: OptionRows.Selected) -> None:
        option_id = event.row.id
        if option_id and self.app.user:
            self.post_message(ShowWorkout(int(option_id.removeprefix("session-"))))

    def action_new_workout(self) -> None:
        self.app.hold_keys()  # at once: the keys typed behind n are for the workout it opens
        self.post_message(StartWorkout())

    def action_resume(self) -> None:
        if self.data is not None and self.data.today_open is not None:
            self.app.hold_keys()
            self.post_message(ShowWorkout(self.data.today_open.id))

    def action_screen(self, name: str) -> None:
        module_name, class_name = OTHER_SCREENS[name]
        try:
            screen_class = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            self.notify(f"{name.capitalize()} is not available yet.", severity="warning")
            return
        read_ahead = getattr(screen_class, "read_ahead", None)
        if read_ahead is None:
            self.app.push_screen(screen_class())
            return
        if self._reading_ahead:  # the key pressed twice: the screen is on its way
            return
        self._reading_ahead = True

        def show(first: Any = None) -> None:
            self._reading_ahead = False
            if self.app.screen is self:
                self.app.push_screen(screen_class(first))

        # On an error the screen opens empty, reads again itself and says what went wrong.
        self.app.call_service(read_ahead(self.app), on_done=show, on_error=lambda _: show())

    def action_body_weight(self) -> None:
        """A small form: the weight (in the lifter's unit) and the day (today unless changed); a
        second weight on a day replaces the first."""
        from overload_tui.widgets.form_dialog import FormDialog, FormField  # not on the first frame's path

        body = self.app.services.body(self.app.user.id)
        unit = self.data.unit if self.data is not None else WeightUnit.KG
        example = "180" if unit is WeightUnit.LBS else "82.5"
        fields = [
            FormField("weight", f"Body weight ({fmt.unit_label(unit)})", placeholder=example, type="number",
                      max_length=7),
            FormField("date", "Day", value=clock.now().date().isoformat(), placeholder="YYYY-MM-DD", max_length=10),
        ]

        def logged(entry: Any) -> None:
            if entry is not None:
                self.notify(f"Body weight {fmt.weight_in(entry.weight, unit)} logged for {fmt.day(entry.measured_on)}.",
                            markup=False)

        self.app.push_screen(
            FormDialog("Body weight", fields, lambda v: body.log(v["weight"], v["date"], unit=unit)), logged)

    def action_logout(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(LogOut())

        name = self.app.user.username if self.app.user else "you"
        from overload_tui.widgets.confirm import ConfirmScreen  # not on the first frame's path

        self.app.push_screen(ConfirmScreen(f"Log out {name}?", yes="Log out", no="Stay"), answer)
