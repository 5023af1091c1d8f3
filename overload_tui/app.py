"""OverloadApp: the Textual application, handed a ``Services`` object (tests hand their own).

Database work never runs on the UI thread: ``call_service`` queues it on one background thread
(first in, first out, so two quick Enters save two sets in order) and hands the result, or the
error, back to the UI thread.

Screens: a splash screen at the bottom of the stack, then either the login screen or the
dashboard, with a workout's logging screen (and dialogs) pushed on top of the dashboard.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from overload_tui.domain.errors import OverloadError
from overload_tui.services import Services
from overload_tui.services.dto import LoginResult, UserInfo
from overload_tui.services.workouts import WorkoutService
from overload_tui.widgets.service_screen import BindingCommands

log = logging.getLogger(__name__)
T = TypeVar("T")


class SplashScreen(Screen[None]):
    """Under everything; shown for the moment a saved log-in is being checked."""

    def compose(self) -> ComposeResult:
        yield Static(Text("overload: opening…"), id="splash")


class Palette(CommandPalette):
    """The command palette, closed by ctrl+g as well as Escape (which tmux delays)."""

    BINDINGS = [Binding("ctrl+g", "escape", "Close", show=False)]


class OverloadApp(App[None]):
    TITLE = "overload"
    SUB_TITLE = "progressive overload tracker"
    CSS_PATH = "app.tcss"
    # Every key binding of the screen in front is also a palette command (ctrl+p).
    COMMANDS = App.COMMANDS | {BindingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide"), (110, "-xwide")]
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        Binding("f1", "toggle_keys", "Keys", tooltip="Show or hide every key of this screen"),
    ]

    user: reactive[UserInfo | None] = reactive(None)

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overload-db")
        self._last_future: Future | None = None

    def get_default_screen(self) -> Screen:
        return SplashScreen()

    # -- service calls ------------------------------------------------------------------------
    @property
    def workouts(self) -> WorkoutService:
        if self.user is None:
            raise RuntimeError("no user is logged in")
        return self.services.workouts(self.user.id)

    def call_service(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], Any] | None = None,
        on_error: Callable[[OverloadError], Any] | None = None,
        **kwargs: Any,
    ) -> Future:
        """Run ``fn(*args, **kwargs)`` on the database thread; call back on the UI thread.

        A domain error goes to ``on_error`` (or a notification); an unexpected one is logged and
        shown as a short notification, never a traceback.
        """

        def job() -> None:
            try:
                result = fn(*args, **kwargs)
            except OverloadError as error:
                self._deliver(on_error or self._notify_error, error)
            except Exception as error:  # noqa: BLE001 - the UI must survive anything
                log.exception("service call %s failed", getattr(fn, "__name__", fn))
                self._deliver(on_error or self._notify_error, OverloadError(f"Unexpected error: {type(error).__name__}"))
            else:
                if on_done is not None:
                    self._deliver(on_done, result)

        future = self._executor.submit(job)
        self._last_future = future
        return future

    def _deliver(self, callback: Callable[[Any], Any], value: Any) -> None:
        try:
            self.call_from_thread(callback, value)
        except RuntimeError:  # the app is closing: nothing to show it on
            pass
        except Exception:  # noqa: BLE001 - a failing callback must not kill the database thread
            log.exception("callback %s failed", getattr(callback, "__name__", callback))

    def _notify_error(self, error: OverloadError) -> None:
        self.notify(str(error), title="Not saved" if "database" in str(error).lower() else "Error",
                    severity="error", markup=False)

    async def wait_for_service(self) -> None:
        """Wait until every queued service call has run (tests, and quitting)."""
        while (future := self._last_future) is not None and not future.done():
            await asyncio.wrap_future(future)
        await asyncio.sleep(0)

    # -- log-in -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.resume_login()

    def resume_login(self) -> None:
        """Open straight on the dashboard with a valid saved log-in, else on the login screen."""
        try:
            token = self.services.tokens.load()
        except OverloadError as error:  # e.g. a token file others can read
            self.show_login(str(error))
            return
        if not token:
            self.show_login()
            return

        def invalid(error: OverloadError) -> None:
            self.services.tokens.clear()
            self.show_login(str(error))

        self.call_service(self.services.auth.verify_token, token, on_done=self._enter, on_error=invalid)

    def logged_in(self, result: LoginResult) -> None:
        """Called by the login screen: remember the log-in on this terminal and go in."""
        try:
            self.services.tokens.save(result.token)
        except OSError as error:
            self.notify(f"Could not save your log-in: {error}", severity="warning", markup=False)
        self._enter(result.user)

    def _enter(self, user: UserInfo) -> None:
        from overload_tui.screens.dashboard import DashboardScreen

        self.user = user
        self._reset_to(DashboardScreen())

    def show_login(self, reason: str | None = None) -> None:
        from overload_tui.screens.login import LoginScreen

        self._reset_to(LoginScreen(reason))

    def logout(self) -> None:
        self.services.tokens.clear()
        self.user = None
        self.show_login("You have logged out.")

    def _reset_to(self, screen: Screen) -> None:
        """Make ``screen`` the only one above the splash screen."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # -- workouts -----------------------------------------------------------------------------
    def open_session(self, session_id: int) -> None:
        """Open a workout (new, resumed or from history) in the logging screen."""
        from overload_tui.screens.session import SessionScreen

        self.push_screen(SessionScreen(session_id))

    def start_workout(self, template_id: int | None = None) -> None:
        self.call_service(
            self.workouts.start_session, template_id=template_id, on_done=lambda s: self.open_session(s.id)
        )

    # -- keys ---------------------------------------------------------------------------------
    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    async def action_quit(self) -> None:
        await self.wait_for_service()
        self.exit()

    def on_unmount(self) -> None:
        # Let a set whose Enter was pressed reach the database before the process ends.
        self._executor.shutdown(wait=True)


def run_app(services: Services) -> None:
    OverloadApp(services).run()
