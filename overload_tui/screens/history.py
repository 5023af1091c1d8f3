"""Workout history: every workout, newest first, paged lazily so thousands stay fast.

``HistoryScreen`` lists workouts (date, name, total volume, exercises) a page at a time with keyset
paging (``list_sessions(before=(date, id))``): the next page loads when the cursor, or the scroll
position, nears the end of what is loaded. ``SessionDetailScreen`` shows one workout's sets
read-only; from either, a workout can be edited in the logging screen, saved as a template or
deleted (after a confirmation).

Each set reads as it was logged (225 lb, 100 kg, 8 stacks); a workout's volume is summed in kg
(``list_sessions``, ``SetInfo.volume``) and shown in the lifter's unit (12,345 lb), read once
with the first page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from overload_tui.domain.units import WeightUnit, from_kg
from overload_tui.screens.templates import BACK, open_session
from overload_tui.services.dto import SessionInfo, SessionSummary, TemplateInfo
from overload_tui.services import format as fmt
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_dialog import FormDialog, FormField
from overload_tui.widgets.row_view import TextRows
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce

PAGE = 100      # workouts per page
NEAR_END = 25   # load the next page when the cursor is this close to the last loaded row


def fmt_date(d: datetime) -> str:
    return f"{d:%a} {d.day:>2} {d:%b %Y}"


def volume_text(kg: float, stacks: float, unit: WeightUnit = WeightUnit.KG) -> str:
    """'12,345 kg', '27,216 lb', '1,200 kg + 40 stacks': the kg summed, read in ``unit``."""
    parts = []
    if kg or not stacks:
        parts.append(f"{fmt.number(round(from_kg(kg, unit)), grouping=True)} {fmt.unit_label(unit)}")
    if stacks:
        parts.append(f"{fmt.number(round(stacks), grouping=True)} stacks")
    return " + ".join(parts)


def session_prompt(s: SessionSummary, unit: WeightUnit = WeightUnit.KG) -> Text:
    """Two lines: date, volume (in ``unit``) and name; then the exercises. User text stays literal."""
    line = Text(fmt_date(s.date), style="bold")
    line.append(f" · {volume_text(s.volume_kg, s.volume_stacks, unit)} · {fmt.plural(s.set_count, 'set')}")
    if s.name:
        line.append(" · ")
        line.append(s.name, style="italic")
    if s.finished_at is None:
        line.append(" (open)", style="bold")
    line.append("\n")
    line.append(", ".join(s.exercise_names) if s.exercise_names else "no exercises", style="dim")
    return line


def session_detail(s: SessionInfo, unit: WeightUnit = WeightUnit.KG) -> Text:
    """The workout's sets, each as logged, and its volume in ``unit``."""
    text = Text()
    text.append(s.name or "Workout", style="bold")
    text.append(f"\n{fmt_date(s.date)} {s.date:%H:%M}")
    if s.finished_at is None:
        text.append(" · still open", style="italic")
    kg = sum(st.volume for e in s.entries for st in e.sets if st.unit == "kg")
    stacks = sum(st.volume for e in s.entries for st in e.sets if st.unit == "stacks")
    text.append(f"\n{fmt.plural(len(s.entries), 'exercise')} · {fmt.plural(s.set_count, 'set')} · {volume_text(kg, stacks, unit)}", style="dim")
    if s.notes:
        text.append("\n\n")
        text.append(s.notes, style="italic")
    for entry in s.entries:
        text.append("\n\n")
        text.append(entry.exercise.name, style="bold")
        if entry.notes:
            text.append("\n  ")
            text.append(entry.notes, style="italic")
        if not entry.sets:
            text.append("\n  no sets", style="dim")
        for number, st in enumerate(entry.sets, 1):
            text.append(f"\n  {number:>2}. {fmt.set_long(st, entry.exercise.kind)}")
            if st.set_type:
                text.append(f"  {st.set_type}", style="dim")
            if st.rpe is not None:
                text.append(f"  RPE {fmt.number(st.rpe)}", style="dim")
    return text


def save_as_template(screen: ServiceCalls, session_id: int, suggested: str) -> None:
    ws = screen.app.workouts  # type: ignore[attr-defined]

    def save(values: dict[str, str]) -> TemplateInfo:
        return ws.save_session_as_template(session_id, values["name"], values["description"] or None)

    def saved(info: TemplateInfo | None) -> None:
        if info is not None:
            screen.notify(f"Saved as the template {info.name}", markup=False)  # type: ignore[attr-defined]

    screen.app.push_screen(  # type: ignore[attr-defined]
        FormDialog(
            "Save this workout as a template",
            [
                FormField("name", "Template name", value=suggested, max_length=100),
                FormField("description", "Description (optional)"),
            ],
            save,
        ),
        saved,
    )


def confirm_delete(screen: ServiceCalls, session_id: int, when: datetime, done) -> None:
    def answered(yes: bool | None) -> None:
        if yes:
            screen.run_service(screen.app.workouts.delete_session, session_id, on_done=lambda _: done())  # type: ignore[attr-defined]

    screen.app.push_screen(  # type: ignore[attr-defined]
        ConfirmScreen(f"Delete the workout of {fmt_date(when)} and all its sets? This cannot be undone."),
        answered,
    )


def read_first_page(workouts, settings, limit: int | None = None) -> tuple[WeightUnit, list[SessionSummary]]:
    """Database thread: the lifter's unit and the first ``limit`` workouts (a page)."""
    return settings.get().weight_unit, workouts.list_sessions(limit=limit or PAGE)


class HistoryList(TextRows):
    """The workouts, two lines each (``session_prompt``), long lines ending in an ellipsis."""

    ROW_HEIGHT = 2
    DEFAULT_CSS = "HistoryList { padding: 0 1; }"
    unit = WeightUnit.KG  # the volumes': the lifter's

    def row_key(self, row: SessionSummary) -> int:
        return row.id

    def prompt(self, row: SessionSummary) -> Text:
        return session_prompt(row, self.unit)


class HistoryScreen(StyledOnce, ServiceCalls, Screen[None]):
    TITLE = "History"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("v", "view", "View"),
        Binding("e", "edit", "Edit"),
        Binding("t", "save_template", "Save as template"),
        Binding("x,delete", "delete", "Delete", key_display="x"),
        Binding("r", "refresh", "Refresh"),
        BACK,
    ]

    @staticmethod
    def read_ahead(app) -> Callable[[], tuple[WeightUnit, list[SessionSummary]]]:
        """The lifter's unit and the first page, read before the screen is pushed (see
        ``DashboardScreen.action_screen``): the screen is then laid out and drawn once, with its
        workouts, not first empty."""
        return partial(read_first_page, app.workouts, app.services.settings(app.user.id))

    def __init__(self, first_page: tuple[WeightUnit, list[SessionSummary]] | None = None) -> None:
        super().__init__()
        self._first_page = first_page
        self.unit = WeightUnit.KG  # the lifter's, read with the first page
        self.sessions: list[SessionSummary] = []
        self._ids: set[int] = set()  # of the workouts loaded, for pages that overlap
        self.exhausted = False
        self._page_loading = False
        self._generation = 0  # bumps on a full reload, so a late page of the old list is dropped
        self._reload_on_resume = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield HistoryList(id="history-list")
        yield Static("Loading workouts…", id="history-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        rows = self.query_one(HistoryList)
        rows.focus()
        self.watch(rows, "scroll_y", self._scrolled, init=False)
        if self._first_page is None:
            self.load_more()
        else:
            self._first_loaded(self._first_page, self._generation)
            self._first_page = None

    def _first_loaded(self, first: tuple[WeightUnit, list[SessionSummary]], generation: int) -> None:
        self.unit = self.query_one(HistoryList).unit = first[0]
        self._page_loaded(first[1], generation)

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:  # back from editing a workout: its sets or date may have changed
            self._reload_on_resume = False
            self.action_refresh()

    # -- paging -------------------------------------------------------------------------------
    def load_more(self) -> None:
        if self._page_loading or self.exhausted:
            return
        self._page_loading = True
        generation = self._generation
        if not self.sessions:  # the first page, with the lifter's unit
            self.run_service(read_first_page, self.app.workouts, self._settings(),
                             on_done=lambda first: self._first_loaded(first, generation), on_error=self._page_failed)
            return
        before = (self.sessions[-1].date, self.sessions[-1].id)
        self.run_service(
            self.app.workouts.list_sessions,
            limit=PAGE,
            before=before,
            on_done=lambda page: self._page_loaded(page, generation),
            on_error=self._page_failed,
        )

    def _settings(self):
        return self.app.services.settings(self.app.user.id)

    def _page_failed(self, error) -> None:
        self._page_loading = False
        self.query_one("#history-status", Static).update(Text(f"Could not load workouts: {error}"))

    def _page_loaded(self, page: list[SessionSummary], generation: int) -> None:
        if generation != self._generation:
            return
        self._page_loading = False
        self.exhausted = len(page) < PAGE
        page = [s for s in page if s.id not in self._ids]
        self.sessions.extend(page)
        self._ids.update(s.id for s in page)
        self.query_one(HistoryList).show_rows(self.sessions)
        self._update_status()
        self.refresh_bindings()
        self._maybe_load_more()

    def _update_status(self) -> None:
        status = self.query_one("#history-status", Static)
        if not self.sessions:
            status.update(Text("No workouts yet. Start one from the dashboard or a template."))
        elif self.exhausted:
            status.update(Text(f"{fmt.plural(len(self.sessions), 'workout')}"))
        else:
            status.update(Text(f"{len(self.sessions)} loaded, more below…"))

    def _maybe_load_more(self) -> None:
        if self._page_loading or self.exhausted:
            return
        rows = self.query_one(HistoryList)
        if not rows.size:  # not laid out yet (the first page came with the screen)
            self.call_after_refresh(self._maybe_load_more)
            return
        near_cursor = rows.cursor_row >= len(self.sessions) - NEAR_END
        near_bottom = rows.max_scroll_y - rows.scroll_y <= rows.size.height
        if near_cursor or near_bottom:
            self.load_more()

    def _scrolled(self, _value: float) -> None:
        self._maybe_load_more()

    @on(HistoryList.Highlighted, "#history-list")
    def _highlighted(self) -> None:
        self.refresh_bindings()
        self._maybe_load_more()

    @on(HistoryList.Selected, "#history-list")
    def _selected(self) -> None:
        self.action_view()

    # -- the workout under the cursor ---------------------------------------------------------
    @property
    def current(self) -> SessionSummary | None:
        return self.query_one(HistoryList).cursor_item

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("view", "edit", "save_template", "delete") and self.current is None:
            return None
        return True

    # -- actions ------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        """Reload what is loaded (at least a page), keeping the cursor on the same workout."""
        current = self.current
        self._generation += 1
        generation = self._generation
        count = max(len(self.sessions), PAGE)
        self._page_loading = True

        def loaded(first: tuple[WeightUnit, list[SessionSummary]]) -> None:
            if generation != self._generation:
                return
            self.unit = self.query_one(HistoryList).unit = first[0]
            sessions = first[1]
            self._page_loading = False
            self.sessions = sessions
            self._ids = {s.id for s in sessions}
            self.exhausted = len(sessions) < count
            index = next((i for i, s in enumerate(sessions) if current and s.id == current.id), 0)
            self.query_one(HistoryList).show_rows(sessions, cursor=index)
            self._update_status()
            self.refresh_bindings()

        self.run_service(read_first_page, self.app.workouts, self._settings(), count, on_done=loaded,
                         on_error=self._page_failed)

    def action_view(self) -> None:
        if (s := self.current) is not None:
            self.app.push_screen(SessionDetailScreen(s.id, self.unit), self._detail_closed)

    def _detail_closed(self, result: str | None) -> None:
        if result == "deleted":
            self.action_refresh()
        elif result == "edited":
            self._reload_on_resume = True

    def action_edit(self) -> None:
        if (s := self.current) is not None and open_session(self, s.id):
            self._reload_on_resume = True

    def action_save_template(self) -> None:
        if (s := self.current) is not None:
            save_as_template(self, s.id, s.name or f"Workout of {s.date.day} {s.date:%b}")

    def action_delete(self) -> None:
        if (s := self.current) is not None:
            confirm_delete(self, s.id, s.date, lambda: self._deleted(s))

    def _deleted(self, s: SessionSummary) -> None:
        index = next((i for i, x in enumerate(self.sessions) if x.id == s.id), None)
        if index is not None:
            self.sessions.pop(index)
            self._ids.discard(s.id)
            self.query_one(HistoryList).show_rows(self.sessions, cursor=min(index, len(self.sessions) - 1))
        self.notify(f"Deleted the workout of {fmt_date(s.date)}", markup=False)
        self._update_status()
        self.refresh_bindings()


def read_session(workouts, session_id: int, settings=None) -> tuple[WeightUnit | None, SessionInfo]:
    """Database thread: the workout, and the lifter's unit when ``settings`` is given."""
    return (settings.get().weight_unit if settings is not None else None), workouts.get_session(session_id)


class SessionDetailScreen(StyledOnce, ServiceCalls, Screen[str | None]):
    """One workout's exercises and sets, read-only. Dismisses with "deleted"/"edited" or None."""

    TITLE = "Workout"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("t", "save_template", "Save as template"),
        Binding("x,delete", "delete", "Delete", key_display="x"),
        BACK,
    ]

    def __init__(self, session_id: int, unit: WeightUnit | None = None) -> None:
        """``unit``: the lifter's (read with the workout when not given)."""
        super().__init__()
        self.session_id = session_id
        self.unit = unit
        self.session: SessionInfo | None = None
        self._edited = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-scroll"):
            yield Static("Loading…", id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self._edited:
            self.load()

    def load(self) -> None:
        settings = self.app.services.settings(self.app.user.id) if self.unit is None else None
        self.run_service(read_session, self.app.workouts, self.session_id, settings, on_done=self._show,
                         on_error=self._gone)

    def _show(self, read: tuple[WeightUnit | None, SessionInfo]) -> None:
        unit, session = read
        self.unit = unit or self.unit
        self.session = session
        self.sub_title = fmt_date(session.date)
        self.query_one("#detail", Static).update(session_detail(session, self.unit or WeightUnit.KG))
        self.refresh_bindings()

    def _gone(self, error) -> None:
        self.notify(str(error), severity="error", markup=False)
        self.dismiss("deleted")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "save_template", "delete") and self.session is None:
            return None
        return True

    def action_back(self) -> None:
        self.dismiss("edited" if self._edited else None)

    def action_edit(self) -> None:
        if open_session(self, self.session_id):
            self._edited = True

    def action_save_template(self) -> None:
        if (s := self.session) is not None:
            save_as_template(self, s.id, s.name or f"Workout of {s.date.day} {s.date:%b}")

    def action_delete(self) -> None:
        if (s := self.session) is not None:
            confirm_delete(self, s.id, s.date, lambda: self.dismiss("deleted"))
