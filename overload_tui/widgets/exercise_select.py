"""Choose an exercise: exercises you have trained (most recent first), then the whole catalogue.

Typing searches (on the database thread, a moment after the last key); up/down move through the
results while the search box keeps focus; Enter picks the highlighted exercise. Escape or ctrl+g
closes without choosing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from overload_tui.domain.errors import OverloadError
from overload_tui.services.dto import ExerciseInfo
from overload_tui.services.workouts import WorkoutService
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.service_screen import BindingCommands, ServiceCalls
from overload_tui.widgets.screen_style import StyledOnce

RECENT_SESSIONS = 300  # how far back "exercises you have trained" looks


def recent_exercises(ws: WorkoutService, sessions: int = RECENT_SESSIONS) -> list[ExerciseInfo]:
    """Exercises in the user's latest workouts, most recently trained first (database thread).

    The service has no "exercises with history" query yet, so this reads the exercise names of
    the latest workouts (two queries) and maps them onto the exercises the user can see (names
    are unique among those, ignoring case).
    """
    names: list[str] = []
    seen: set[str] = set()
    for summary in ws.list_sessions(limit=sessions):
        if not summary.set_count:
            continue
        for name in summary.exercise_names:
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
    if not names:
        return []
    visible = {e.name.lower(): e for e in ws.search_exercises("", limit=None)}
    return [visible[n.lower()] for n in names if n.lower() in visible]


def _describe(ex: ExerciseInfo) -> Text:
    text = Text(ex.name)
    details = [str(ex.category)]
    if ex.equipment:
        details.append(str(ex.equipment).replace("_", " "))
    text.append("  " + " · ".join(details), style="dim")
    return text


class ExerciseSelectScreen(StyledOnce, ServiceCalls, ModalScreen[ExerciseInfo | None]):
    COMMANDS = {BindingCommands}
    DEFAULT_CSS = """
    ExerciseSelectScreen { align: center middle; }
    ExerciseSelectScreen #pick-box {
        width: 70; max-width: 100%; height: 90%; max-height: 30;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExerciseSelectScreen #pick-title { text-style: bold; }
    ExerciseSelectScreen #pick-list { height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; }
    ExerciseSelectScreen #pick-status { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", priority=False),
        Binding("escape,ctrl+g", "cancel", "Cancel", key_display="esc/^g"),
    ]

    def __init__(self, title: str = "Choose an exercise", *, history_first: bool = True) -> None:
        super().__init__()
        self.pick_title = title
        self.history_first = history_first
        self.recent: list[ExerciseInfo] = []
        self.catalogue: list[ExerciseInfo] = []
        self.by_id: dict[int, ExerciseInfo] = {}
        self._search_timer: Timer | None = None
        self._search_seq = 0
        self._answered_seq = 0  # the last search whose results are shown
        self._search_due = False  # typed, and the search not asked for yet
        self._choose_first = False  # Enter came before the results of what was typed
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(Text(self.pick_title), id="pick-title")
            # Opened empty: nothing to select on focus, and keys typed before the focus arrives
            # (ctrl+f and a name in one burst) would be typed over.
            yield Input(placeholder="Search: name, muscle or equipment", id="pick-search", select_on_focus=False)
            yield OptionList(id="pick-list")
            yield Static("Loading exercises…", id="pick-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#pick-search", Input).focus()
        ws = self.app.workouts
        self.run_service(self._load_initial, ws, on_done=self._initial_loaded)

    def _load_initial(self, ws: WorkoutService) -> tuple[list[ExerciseInfo], list[ExerciseInfo]]:
        recent = recent_exercises(ws) if self.history_first else []
        return recent, ws.search_exercises("", limit=None)

    def _initial_loaded(self, lists: tuple[list[ExerciseInfo], list[ExerciseInfo]]) -> None:
        self.recent, self.catalogue = lists
        self.loaded = True
        if not self.query_one("#pick-search", Input).value.strip():
            self._show_default()

    # -- list ---------------------------------------------------------------------------------
    def _show(self, sections: Sequence[tuple[str, Sequence[ExerciseInfo]]], status: str) -> None:
        options: list[Option] = []
        self.by_id = {}
        for heading, exercises in sections:
            if not exercises:
                continue
            if heading:
                options.append(Option(Text(heading, style="bold"), disabled=True))
            for ex in exercises:
                if ex.id in self.by_id:
                    continue
                self.by_id[ex.id] = ex
                options.append(Option(_describe(ex), id=str(ex.id)))
        option_list = self.query_one("#pick-list", OptionList)
        option_list.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        option_list.highlighted = first
        self.query_one("#pick-status", Static).update(Text(status))

    def _show_default(self) -> None:
        recent_ids = {e.id for e in self.recent}
        rest = [e for e in self.catalogue if e.id not in recent_ids]
        sections = [("Trained recently", self.recent), ("All exercises" if self.recent else "", rest)]
        self._show(sections, f"{len(self.catalogue)} exercises")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(0.15, self._search)
        self._search_due = True

    def _search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_due = False
        query = self.query_one("#pick-search", Input).value.strip()
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            if self.loaded:
                self._show_default()
            return

        def done(results: list[ExerciseInfo]) -> None:
            if seq != self._search_seq:
                return  # an older search answered late
            self._answered_seq = seq
            recent_ids = {e.id: i for i, e in enumerate(self.recent)}
            results = sorted(results, key=lambda e: 0 if e.id in recent_ids else 1)  # stable
            count = len(results)
            self._show([("", results)], "No exercise matches." if not count else f"{count} found")
            if self._choose_first:
                self._choose_first = False
                self.action_choose()

        def failed(error: OverloadError) -> None:
            if seq == self._search_seq:  # an Enter waiting for it waits no more
                self._answered_seq, self._choose_first = seq, False
            self.notify(str(error), title="Search failed", severity="error", markup=False)

        self.run_service(self.app.workouts.search_exercises, query, limit=50, on_done=done, on_error=failed)

    # -- actions ------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        option_list = self.query_one("#pick-list", OptionList)
        (option_list.action_cursor_down if step > 0 else option_list.action_cursor_up)()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option)

    def action_choose(self) -> None:
        if self._search_due:  # Enter right after typing: search now, not 0.15 s on
            self._search()
        if self._answered_seq != self._search_seq and self.query_one("#pick-search", Input).value.strip():
            self._choose_first = True  # the list shows what was there before: wait for the results
            return
        self._choose(self.query_one("#pick-list", OptionList).highlighted_option)

    def _choose(self, option: Option | None) -> None:
        if option is None or option.id is None:
            self.app.bell()
            return
        self.dismiss(self.by_id[int(option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
