"""OverloadApp: the Textual application, handed a ``Services`` object (tests hand their own) or a
function that opens one (the ``overload`` command: see "Start-up" below).

Database thread
---------------
Database work never runs on the UI thread: ``call_service`` queues it on one background thread
(first in, first out, so two quick Enters save two sets in order) and hands the result, or the
error, back to the UI thread. A set is shown only once its transaction has committed (the screens
draw it in ``on_done``). Quitting (ctrl+q, q, SIGTERM) and a hang-up (SIGHUP: the SSH connection
or the terminal went away) both wait for every queued call to finish before the process ends, so
a set whose Enter was pressed is saved even if it was not yet shown.

Start-up
--------
``run_app(open_services)`` draws the first frame before the database layer is even imported: the
login screen when this terminal has no saved log-in; else the dashboard as it was last shown (its
glance: see ``overload_tui.glance``), or a splash screen when there is none. Then the database
thread opens the services (SQLAlchemy, migrations, seeding) and the log-in is checked: the glance
becomes the live dashboard, which reads everything afresh. Keys typed before that are held, and
run once the dashboard shows its fresh data (they were meant for it): "n" typed as the app opens
starts a workout. They are dropped if the app ends on the login screen instead. If the
database cannot be reached, ``DatabaseUnreachableScreen`` says where and why and retries every
``RETRY_SECONDS`` (r: now, q: quit); the app carries on by itself once it answers. A failure that
waiting cannot fix (bad URL, wrong password, a secret file others can read...) ends the app and
``fatal_error`` holds the one line the command prints. Once the first real screen is up, the
objects alive then (modules, classes, widgets: 100-200k) are frozen out of the garbage collector
(``gc.freeze``) and its thresholds raised, so that its full collections no longer pause the UI
for 100-400 ms in the middle of logging a set.

Database status (for screens)
-----------------------------
* ``app.db_online: reactive[bool]``: False while the database cannot be reached. It turns False
  when a service call fails with ``DatabaseUnavailableError`` and a health check (a connection
  opened on a separate thread) confirms it; while offline the check runs every
  ``PING_OFFLINE_SECONDS`` (and every ``PING_ONLINE_SECONDS`` while online, so an outage shows
  before the next save); the first successful check turns it True again.
* ``app.db_problem: str``: why it is offline, one line ("Cannot reach the PostgreSQL database x
  at host:5432 (Connection refused)."), "" when online.
* ``DatabaseStatusChanged(online, reason)``: posted, when ``db_online`` changes, to the app and to
  every screen on the stack (it does not bubble). A screen that kept what the lifter typed after a
  failed save can offer to send it again::

      def on_database_status_changed(self, event: DatabaseStatusChanged) -> None:
          if event.online and self.kept_text:
              ...  # e.g. say "Database back: Enter saves the set"

  or watch the reactive: ``self.watch(self.app, "db_online", callback)``.
* While offline the app shows an ``OfflineBanner`` above the footer of the screen in front, and
  says "Database back online" when it returns. Errors of the failed call itself still go to the
  call's ``on_error`` (the screen shows them where the lifter is looking).

Screens: a splash screen at the bottom of the stack, then either the login screen or the
dashboard, with a workout's logging screen (and dialogs) pushed on top of the dashboard.

After a dropped connection (or any quit) with a workout unfinished, the next launch opens the
dashboard with "Resume" first and highlighted: Enter (or r) is back in the workout, one key,
and the lifter sees what is being resumed. (Opening straight into the workout was considered: it
saves no key, and surprises whoever launched the app to look at something else.)
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import gc
import logging
import os
import signal
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from pathlib import Path
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from overload_tui.domain.errors import DatabaseUnavailableError, OverloadError
from overload_tui.launch import GC_THRESHOLD
from overload_tui.screens.messages import (
    DashboardShown,
    DatabaseStatusChanged,
    DatabaseTrouble,
    GiveUp,
    LoggedIn,
    LogOut,
    ShowWorkout,
    ReadyForKeys,
    RetryStart,
    StartWorkout,
)
from overload_tui.screens.startup import DatabaseUnreachableScreen, OfflineBanner, SplashScreen
from overload_tui.widgets.service_screen import BindingCommands

if TYPE_CHECKING:
    from overload_tui.glance import Glance
    from overload_tui.services import Services
    from overload_tui.services.dto import LoginResult, UserInfo
    from overload_tui.services.workouts import WorkoutService

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_SECONDS = 3.0  # start-up: how often to try an unreachable database again
COLLECT_DELAY = 0.2  # seconds after a screen closes before its garbage is collected
PING_OFFLINE_SECONDS = 3.0
PING_ONLINE_SECONDS = 30.0
HANGUP_DEADLINE_SECONDS = 120.0  # after SIGHUP, give up on a database that never answers
UNHELD_KEYS = ("ctrl+q", "ctrl+c")  # quitting is never held (see "Start-up")

__all__ = ["OverloadApp", "DatabaseStatusChanged", "SplashScreen", "run_app"]


class Palette(CommandPalette):
    """The command palette, closed by ctrl+g as well as Escape (which tmux delays)."""

    BINDINGS = [Binding("ctrl+g", "escape", "Close", show=False)]


class _DatabaseThread:
    """One daemon thread running jobs first in, first out; started on the first job.

    A daemon so that an app that never opened its database (or quits from the unreachable
    screen) is not held up by a connection attempt; the app waits for it explicitly otherwise.
    """

    def __init__(self) -> None:
        self._queue: SimpleQueue[tuple[Future, Callable[[], Any]] | None] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], Any]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                                name="overload-db", daemon=True)
                self._thread.start()
            self._queue.put((future, fn))
        return future

    @staticmethod
    def _run(queue: SimpleQueue) -> None:
        while (item := queue.get()) is not None:
            future, fn = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except BaseException as error:  # noqa: BLE001 - handed to whoever waits
                future.set_exception(error)
            else:
                future.set_result(result)

    def stop(self) -> None:
        """Let the thread end once the jobs queued so far have run (a later job starts another)."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread = None
                self._queue = SimpleQueue()


def _load_next_screens() -> None:
    """The logging and history screens' code, imported on the database thread once the first
    screen is up (20-30 ms the first workout or history opened would otherwise wait for)."""
    import overload_tui.screens.history  # noqa: F401
    import overload_tui.screens.session  # noqa: F401


class OverloadApp(App[None]):
    TITLE = "overload"
    SUB_TITLE = "progressive overload tracker"
    # The dashboard's and the history's CSS too, read once as the app starts: a screen with a
    # CSS_PATH of its own makes Textual parse all the CSS again from scratch and restyle every
    # screen on the stack the first time it is shown (30-60 ms on a two-core server), here on the
    # first frame and the first history of each run. The rarer screens keep theirs: reading it
    # at start would cost every start ~20 ms. Absolute, so that subclasses (tests) read them too.
    CSS_PATH = [Path(__file__).with_name("app.tcss"),
                *(Path(__file__).parent / "screens" / name for name in ("dashboard.tcss", "history.tcss"))]
    # Every key binding of the screen in front is also a palette command (ctrl+p).
    COMMANDS = App.COMMANDS | {BindingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide"), (110, "-xwide")]
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        Binding("f1", "toggle_keys", "Keys", tooltip="Show or hide every key of this screen"),
    ]

    user: reactive[UserInfo | None] = reactive(None)
    db_online: reactive[bool] = reactive(True, init=False)

    def __init__(
        self,
        services: Services | None = None,
        *,
        open_services: Callable[[], Services] | None = None,
        standalone: bool = False,
        tune_gc: bool = True,
        glance: Glance | None = None,
        **kwargs: Any,
    ) -> None:
        """``services``: open already (tests, benchmarks); or ``open_services``, called on the
        database thread after the first frame, and ``glance``, where the dashboard is kept
        between runs (None: no glance). ``standalone``: the app owns the process and the
        terminal (the ``overload`` command): it handles SIGHUP and SIGTERM, and collects garbage
        once before freezing the heap. ``tune_gc``: freeze the heap once the first screen is up and
        raise the collector's thresholds, both undone when the app ends."""
        super().__init__(**kwargs)
        if services is None and open_services is None:
            raise ValueError("OverloadApp needs services or open_services")
        self.services: Services | None = services
        self._open_services = open_services
        self._glance = glance
        self._held_keys: list[events.Key] | None = None  # typed before the log-in is checked
        self._standalone = standalone
        self._tune_gc = tune_gc
        self._db = _DatabaseThread()
        self._last_future: Future | None = None
        self.fatal_error: str | None = None
        self.db_problem = ""
        self._opening = False
        self._pinging = False
        self._trouble_reported = False  # a screen said it could not save (DatabaseTrouble)
        self._ping_timer = None
        self._shutting_down = False
        self._gc_threshold: tuple[int, int, int] | None = None
        self._gc_frozen = False
        self._first_screen_done = False
        self._top_screen: weakref.ref[Screen] | None = None  # see _collect_left_screen
        self._opening_workout = False
        self._signals: list[int] = []
        self._stdin_plug: int | None = None
        self._hung_up = False
        self._resume_handler: Any = None  # Textual's SIGCONT handler, while ours stands in front

    def get_default_screen(self) -> Screen:
        return SplashScreen()

    # -- service calls ------------------------------------------------------------------------
    @property
    def workouts(self) -> WorkoutService:
        if self.user is None:
            raise RuntimeError("no user is logged in")
        return self.require_services().workouts(self.user.id)

    def require_services(self) -> Services:
        """The services, for a job on the database thread; DatabaseUnavailableError (with the
        reason) while they are not open yet."""
        services = self.services
        if services is None:
            raise DatabaseUnavailableError(self.db_problem or "The database is not open yet; try again in a moment.")
        return services

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
        shown as a short notification, never a traceback. A ``DatabaseUnavailableError`` also
        starts a health check (see "Database status" above).
        """

        def job() -> None:
            try:
                result = fn(*args, **kwargs)
            except OverloadError as error:
                if isinstance(error, DatabaseUnavailableError):
                    self._deliver(self._database_trouble, error)
                self._deliver(on_error or self._notify_error, error)
            except Exception as error:  # noqa: BLE001 - the UI must survive anything
                log.exception("service call %s failed", getattr(fn, "__name__", fn))
                self._deliver(on_error or self._notify_error, OverloadError(f"Unexpected error: {type(error).__name__}"))
            else:
                if on_done is not None:
                    self._deliver(on_done, result)

        future = self._db.submit(job)
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
        self.notify(str(error), title="Not saved" if isinstance(error, DatabaseUnavailableError) else "Error",
                    severity="error", markup=False)

    async def wait_for_service(self) -> None:
        """Wait until every queued service call has run (tests, and quitting)."""
        while (future := self._last_future) is not None and not future.done():
            await asyncio.wrap_future(future)
        await asyncio.sleep(0)

    def flush(self, timeout: float | None = None) -> bool:
        """Block until every queued service call has run (after the app has stopped); False if
        ``timeout`` ran out first."""
        future = self._last_future
        if future is None:
            return True
        return not wait_futures([future], timeout=timeout).not_done

    # -- start-up -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._tune_gc:
            self._gc_threshold = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLD)
        if self._standalone:
            self._install_signal_handlers()
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self._tune_gc:
            self.screen_change_signal.subscribe(self, self._collect_left_screen)
        if self.services is not None:
            self._opened(self.services)
            return
        if not self._may_have_saved_login():
            self.show_login()  # nothing to check: the form is the first frame
        else:
            self._held_keys = []  # for the dashboard, once the log-in is checked
            self._show_glance()
        # Importing the database layer holds the GIL for a few hundred milliseconds: only once
        # the first screen has been drawn (a call queued on it runs after its first refresh).
        self.screen_stack[-1].call_after_refresh(self._open)

    @staticmethod
    def _may_have_saved_login() -> bool:
        """Whether this terminal may hold a saved log-in (a token file), judged without the
        database layer; True when unsure."""
        from overload_tui import paths

        try:
            return any(paths.data_dir().glob("token-*"))
        except OSError:
            return True

    def _show_glance(self) -> None:
        """The dashboard as it was last shown, if it goes with the saved log-in."""
        saved = self._glance.load() if self._glance is not None else None
        if saved is None:
            return
        from overload_tui.screens.dashboard import DashboardScreen

        screen = DashboardScreen.from_glance(*saved)
        if screen is not None:
            self.push_screen(screen)

    async def on_event(self, event: events.Event) -> None:
        if (self._held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded
                and event.key not in UNHELD_KEYS):
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Hold the keys typed from now on, for the screen about to come (``release_keys``)."""
        if self._held_keys is None:
            self._held_keys = []

    def release_keys(self, run: bool = True) -> None:
        """Run the held keys on the screen in front, in the order typed, before any typed later
        (they go to the back of the app's queue, ahead of what the terminal sends next);
        ``run`` False: forget them. Then keys go through."""
        held, self._held_keys = self._held_keys, None
        for key in held if run and held else ():
            event = events.Key(key.key, key.character)
            event.set_sender(self)
            self.post_message(event)

    # -- what screens ask (screens/messages.py) ---------------------------------------------------
    def on_ready_for_keys(self, _message: ReadyForKeys) -> None:
        self.release_keys()

    def on_database_trouble(self, _message: DatabaseTrouble) -> None:
        self._trouble_reported = True
        self._database_trouble(None)

    def on_dashboard_shown(self, message: DashboardShown) -> None:
        self.release_keys()
        if message.data is not None:
            self.keep_glance(message.data)

    def on_start_workout(self, message: StartWorkout) -> None:
        self.start_workout(message.template_id)

    def on_show_workout(self, message: ShowWorkout) -> None:
        self.open_session(message.session_id)

    def on_logged_in(self, message: LoggedIn) -> None:
        self.logged_in(message.result)

    def on_log_out(self, _message: LogOut) -> None:
        self.logout()

    def on_retry_start(self, _message: RetryStart) -> None:
        self.retry_start()

    def on_give_up(self, message: GiveUp) -> None:
        self.give_up(message.reason)

    def keep_glance(self, dashboard: dict[str, Any]) -> None:
        """Save the dashboard just shown as the glance of the next start (on the database thread)."""
        glance, services, user = self._glance, self.services, self.user
        if glance is None or services is None or user is None:
            return

        def save() -> None:
            try:
                token = services.tokens.load()
                if token:
                    glance.save(services.tokens.path, token, dataclasses.asdict(user), dashboard)
            except (OSError, OverloadError) as error:  # only a faster next start is lost
                log.warning("could not keep the dashboard's glance: %s", error)

        self.call_service(save)

    def _forget_glance(self) -> None:
        if self._glance is not None:
            self._glance.clear()

    def _open(self) -> None:
        if self._opening or self.services is not None or self._open_services is None:
            return
        self._opening = True
        opener = self._open_services

        def opened(services: Services) -> None:
            self._opening = False
            self._opened(services)

        def failed(error: OverloadError) -> None:
            self._opening = False
            if isinstance(error, DatabaseUnavailableError):
                self._unreachable(str(error))
            else:
                self._fatal(str(error))

        def open_and_load() -> Services:
            services = opener()
            # The next screen's code too, while the first frame is up and the UI thread idle.
            import overload_tui.screens.dashboard  # noqa: F401
            import overload_tui.screens.login  # noqa: F401

            return services

        self.call_service(open_and_load, on_done=opened, on_error=failed)

    def _opened(self, services: Services) -> None:
        self.services = services
        self.resume_login()
        self._schedule_ping(PING_ONLINE_SECONDS)

    def retry_start(self) -> None:
        """The unreachable screen's retry: open the database again, or check the saved log-in."""
        if self.services is None:
            self._open()
        else:
            self.resume_login()

    def _unreachable(self, reason: str) -> None:
        from overload_tui import launch

        reason = launch.offline_reason(DatabaseUnavailableError(reason))
        self.db_problem = reason
        self.release_keys(run=False)  # typed for the dashboard: not for this screen's r and q
        screen = self.screen_stack[-1]
        if isinstance(screen, DatabaseUnreachableScreen):
            screen.failed_again(reason)
        else:
            self.push_screen(DatabaseUnreachableScreen(reason, RETRY_SECONDS))

    def _reachable(self) -> None:
        self.db_problem = ""
        if isinstance(self.screen_stack[-1], DatabaseUnreachableScreen):
            self.pop_screen()

    def give_up(self, reason: str) -> None:
        """Quit from the unreachable screen: the command prints the reason and exits non-zero."""
        self._fatal(reason)

    def _fatal(self, message: str) -> None:
        self.fatal_error = message
        self.exit(return_code=1)

    # -- log-in -------------------------------------------------------------------------------
    def resume_login(self) -> None:
        """Open straight on the dashboard with a valid saved log-in, else on the login screen."""
        services = self.require_services()
        try:
            token = services.tokens.load()
        except OverloadError as error:  # e.g. a token file others can read
            self._reachable()
            self.show_login(str(error))
            return
        if not token:
            self._reachable()
            if not self._base_is_login():
                self.show_login()
            self._first_screen_up()  # the login screen was the first frame: it is up now
            return

        def invalid(error: OverloadError) -> None:
            if isinstance(error, DatabaseUnavailableError):  # not the token's fault: keep it
                self._unreachable(str(error))
                return
            self._reachable()
            services.tokens.clear()
            self._forget_glance()
            self.show_login(str(error))

        self.call_service(services.auth.verify_token, token, on_done=self._enter, on_error=invalid)

    def _base_is_login(self) -> bool:
        from overload_tui.screens.login import LoginScreen

        return len(self.screen_stack) > 1 and isinstance(self.screen_stack[1], LoginScreen)

    def logged_in(self, result: LoginResult) -> None:
        """Called by the login screen: remember the log-in on this terminal and go in."""
        try:
            self.require_services().tokens.save(result.token)
        except OSError as error:
            self.notify(f"Could not save your log-in: {error}", severity="warning", markup=False)
        self._enter(result.user)

    def _enter(self, user: UserInfo) -> None:
        from overload_tui.screens.dashboard import DashboardScreen

        self._reachable()
        self.user = user
        self._send_journaled_sets(user.id)
        glance = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if (isinstance(glance, DashboardScreen) and glance.glance is not None and not glance.fresh
                and glance.glance[0].id == user.id):
            while len(self.screen_stack) > 2:  # e.g. the unreachable screen
                self.pop_screen()
            glance.reload()  # the glance becomes the live dashboard
            self._first_screen_up()
        else:
            self._reset_to(DashboardScreen())

    def _send_journaled_sets(self, user_id: int) -> None:
        """Sets an earlier run left waiting in the lifter's journal (killed, or quit with sets
        waiting) go in now, in order, each once, and the lifter is told."""
        from overload_tui.services.journal import Journal, resend_waiting

        services = self.require_services()

        def job() -> int:
            try:
                return resend_waiting(services.workouts(user_id), Journal.for_user(services.db, user_id)).saved
            except OSError:  # no journal to read: the workout screen says so when it matters
                return 0

        def done(saved: int) -> None:
            if saved:
                self.notify(f"Saved {saved} set{'s' if saved != 1 else ''} typed in an earlier run that had waited.",
                            markup=False)

        self.call_service(job, on_done=done, on_error=lambda error: None)

    def show_login(self, reason: str | None = None) -> None:
        from overload_tui.screens.login import LoginScreen

        self.release_keys(run=False)  # typed for the dashboard, not for the form
        self._reset_to(LoginScreen(reason))

    def logout(self) -> None:
        self.require_services().tokens.clear()
        self._forget_glance()
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
        self._first_screen_up()

    # -- workouts -----------------------------------------------------------------------------
    def open_session(self, session_id: int, *, started_here: bool = False) -> None:
        """Open a workout (new, resumed or from the history) in the logging screen: its logbook
        is opened on the database thread, then the screen is pushed and drawn once, with it.
        Keys typed meanwhile are held and given to the logging screen once it is up (``n``
        then ``squat barbell⏎`` typed at once starts a workout with Squat in it); dropped, with
        the reason shown, if the workout cannot be opened."""
        from overload_tui.services.logbook import Logbook

        if self._opening_workout or self.user is None:
            return  # a second Enter while the workout is read
        self._opening_workout = True
        self.hold_keys()
        services, user_id = self.require_services(), self.user.id

        def job() -> tuple[Logbook, Any]:
            logbook = Logbook(services.workouts(user_id), services.progress(user_id), services.settings(user_id),
                              session_id, started_here=started_here)
            return logbook, logbook.open()

        self.call_service(job, on_done=self._show_workout, on_error=self._workout_failed)

    def _show_workout(self, opened: tuple[Any, Any]) -> None:
        from overload_tui.screens.session import SessionScreen

        self._opening_workout = False
        if self.user is None:  # logged out meanwhile
            self.release_keys(run=False)
            return
        self.push_screen(SessionScreen(*opened))

    def _workout_failed(self, error: OverloadError) -> None:
        self._opening_workout = False
        self.release_keys(run=False)
        self._notify_error(error)

    def start_workout(self, template_id: int | None = None) -> None:
        """Start a workout (empty, or from a template) and open it; keys typed meanwhile go to
        its logging screen (see ``open_session``)."""
        if self._opening_workout or self.user is None:
            return
        self.hold_keys()
        self.call_service(
            self.workouts.start_session, template_id=template_id,
            on_done=lambda s: self._release_then(self.open_session, s.id, started_here=template_id is None),
            on_error=self._workout_failed,
        )

    def _release_then(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``fn``, which holds the keys again, with the keys held so far kept in front."""
        held, self._held_keys = self._held_keys, None
        fn(*args, **kwargs)
        if self._held_keys is not None and held:
            self._held_keys[:0] = held

    # -- database status ----------------------------------------------------------------------
    def _database_trouble(self, error: DatabaseUnavailableError | None) -> None:
        """A call could not reach the database: check now whether it is down."""
        if self.services is not None:
            self._ping()

    def _schedule_ping(self, delay: float) -> None:
        if self._ping_timer is not None:
            self._ping_timer.stop()
        self._ping_timer = self.set_timer(delay, self._ping, name="database health check")

    def _ping(self) -> None:
        """Check the database on a thread of its own (never behind, or in front of, the saves)."""
        services = self.services
        if services is None or self._pinging or self._shutting_down:
            return
        loop = asyncio.get_running_loop()  # the app's: a ping starts on it (a timer, a call's answer)
        self._pinging = True
        context = contextvars.copy_context()  # the answer runs as this app's, on its loop

        def run() -> None:
            from overload_tui import launch

            try:
                launch.ping(services)
            except Exception as error:  # noqa: BLE001 - any failure means "offline"
                problem: str | None = launch.offline_reason(error)
            else:
                problem = None
            try:
                loop.call_soon_threadsafe(self._pinged, problem, context=context)
            except RuntimeError:  # the app has ended and its loop is closed
                pass

        threading.Thread(target=run, name="overload-ping", daemon=True).start()

    def _pinged(self, problem: str | None) -> None:
        self._pinging = False
        if self._shutting_down or not self.is_running:
            return
        self._schedule_ping(PING_OFFLINE_SECONDS if problem else PING_ONLINE_SECONDS)
        try:
            if problem is None and self._trouble_reported and self.db_online:
                # A screen's save failed, but the database answers: a blip the app never saw
                # as an outage. Tell the screens it answers, so they send what they kept.
                for screen in list(self.screen_stack):
                    screen.post_message(DatabaseStatusChanged(True))
            if problem is None:
                self._trouble_reported = False
            self._set_db_status(problem is None, problem or "")
        except Exception:  # noqa: BLE001 - a failing watcher must not end the checks
            log.exception("showing the database status failed")

    def _set_db_status(self, online: bool, problem: str) -> None:
        changed = online != self.db_online or problem != self.db_problem
        self.db_problem = problem
        if online != self.db_online:
            self.db_online = online
            self.post_message(DatabaseStatusChanged(online, problem))
            for screen in list(self.screen_stack):
                screen.post_message(DatabaseStatusChanged(online, problem))
            if online:
                self.notify("Database back online.", title="Database", markup=False)
        if changed:
            self._update_banners()

    def _update_banners(self) -> None:
        if self.db_online:
            for screen in list(self.screen_stack):
                for banner in screen.query(OfflineBanner):
                    banner.remove()
            return
        for screen in list(self.screen_stack):
            for banner in screen.query(OfflineBanner):
                banner.show_reason(self.db_problem)
        self._screen_changed()

    def _screen_changed(self, _screen: object = None) -> None:
        """The screen in front while offline gets the banner (under a dialog, the screen it
        covers: a dialog shows that screen dimmed around it)."""
        if self.db_online or self._shutting_down:
            return
        screen = next((s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen)), None)
        if screen is None or isinstance(screen, (SplashScreen, DatabaseUnreachableScreen)) or not screen.is_attached:
            return
        if not screen.query(OfflineBanner):
            screen.mount(OfflineBanner(self.db_problem))

    # -- the heap -----------------------------------------------------------------------------
    def _collect_left_screen(self, _screen: object = None) -> None:
        """A screen was closed: its widgets are garbage in reference cycles, which only the
        collector frees. With the raised thresholds, ten history screens' worth piled up into
        one 120 ms pause in the middle of whatever came next; collected young (generation 1), a
        moment after each screen closes, it is 2-20 ms. Full collections are left rare (see
        launch.GC_THRESHOLD): with the heap frozen they still took 150-250 ms."""
        top = self.screen_stack[-1] if self.screen_stack else None
        left = self._top_screen() if self._top_screen is not None else None
        self._top_screen = weakref.ref(top) if top is not None else None
        if left is not None and left not in self.screen_stack and not isinstance(left, ModalScreen):
            self.set_timer(COLLECT_DELAY, self._collect)  # once Textual has removed it

    def _collect(self) -> None:
        if not self._shutting_down:
            gc.collect(1)

    def _first_screen_up(self) -> None:
        """Once the first real screen has its data and is drawn, load the next screens' code
        and freeze the heap (once). Not before the database layer is loaded: its modules are
        most of what is worth freezing."""
        if self._first_screen_done or not self._tune_gc or self.services is None:
            return
        self._first_screen_done = True

        def after_queue() -> None:  # behind the new screen's own first calls
            self.call_service(_load_next_screens, on_done=lambda _: self.call_after_refresh(self._freeze_heap))

        self.call_after_refresh(after_queue)

    def _freeze_heap(self) -> None:
        if self._shutting_down or self._gc_frozen:
            return
        if self._standalone:
            gc.collect()  # freeze only what is alive
        gc.freeze()
        self._gc_frozen = True

    def _restore_gc(self) -> None:
        if self._gc_frozen:
            gc.unfreeze()
            self._gc_frozen = False
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None

    # -- keys, quitting and hang-ups ----------------------------------------------------------
    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    async def action_quit(self) -> None:
        """ctrl+q: quit, after the queued saves. Sets still waiting for the database are said
        first and the lifter asked (a second ctrl+q is a yes)."""
        from overload_tui.widgets.confirm import ConfirmScreen

        question = self._waiting_sets_question()
        if question is None or isinstance(self.screen, ConfirmScreen) and self.screen.id == "quit-waiting":
            await self._finish_and_exit(0)
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.call_later(self._finish_and_exit, 0)

        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay", id="quit-waiting"), answered)

    def _waiting_sets_question(self) -> str | None:
        """What quitting would leave behind: the sets a workout screen shows waiting, if any."""
        from overload_tui.screens.session import SessionScreen

        for screen in reversed(self.screen_stack):
            view = screen.view if isinstance(screen, SessionScreen) else None
            if view is not None and view.pending:
                sets = f"{view.pending} set{'s' if view.pending != 1 else ''}"
                where = ("They are kept on disk and sent the next time you open a workout."
                         if view.kept_on_disk else "They are not kept on disk: quitting loses them.")
                return f"{sets} still wait{'s' if view.pending == 1 else ''} for the database. {where} Quit anyway?"
        return None

    async def _finish_and_exit(self, return_code: int) -> None:
        if self.services is not None:  # else nothing was opened, so nothing can wait to be saved
            pending = self._last_future is not None and not self._last_future.done()
            if pending and not self._shutting_down:
                self.notify("Saving…", timeout=30)
            await self.wait_for_service()
        self._unplug_stdin()  # Textual stops its input thread before the app unmounts
        self.exit(return_code=return_code)

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum, handler in ((signal.SIGHUP, self._hang_up), (signal.SIGTERM, self._terminate)):
            try:
                loop.add_signal_handler(signum, handler)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                continue
            self._signals.append(signum)
        self._guard_resume()

    def _guard_resume(self) -> None:
        """A hang-up sends SIGCONT along with SIGHUP (the kernel does, to the terminal's session),
        and Textual takes SIGCONT for a return from ctrl+z: it starts its terminal mode again, on
        the dead terminal, with a second input thread that outlives the app and keeps the process
        from ending. SIGCONT reaches Textual only while the terminal is alive."""
        resume = signal.getsignal(signal.SIGCONT)
        if not callable(resume):
            return
        self._resume_handler = resume

        def on_continue(signum: int, frame: Any) -> None:
            if not self._hung_up and _terminal_alive():
                resume(signum, frame)

        signal.signal(signal.SIGCONT, on_continue)

    def _terminate(self) -> None:
        """SIGTERM: quit as ctrl+q does, after the queued saves."""
        self.call_later(self._finish_and_exit, 128 + signal.SIGTERM)

    def _hang_up(self) -> None:
        """SIGHUP: the terminal is gone (SSH dropped, tmux killed). Stop talking to it, let every
        queued save finish, then end; a watchdog ends the process if the database never answers."""
        if self._shutting_down or self._hung_up:  # the server and the kernel both send it
            return
        self._hung_up = True
        self._detach_terminal()
        watchdog = threading.Timer(HANGUP_DEADLINE_SECONDS, os._exit, (128 + signal.SIGHUP,))
        watchdog.daemon = True
        watchdog.start()
        self.call_later(self._finish_and_exit, 128 + signal.SIGHUP)

    def _detach_terminal(self) -> None:
        """Point the standard streams at /dev/null (output) and an idle pipe (input): writes to a
        hung-up terminal fail and reads spin, and Textual must be able to shut down normally.
        The pipe is closed on the way out (``_unplug_stdin``): a read that was already waiting on
        it then returns, and Textual's input thread can end."""
        try:
            read_end, self._stdin_plug = os.pipe()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(read_end, 0)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.close(read_end)
            os.close(null)
        except OSError:
            log.exception("could not detach from the terminal")
        from overload_tui.widgets.textual_private import unblock_output

        unblock_output(self)  # its writer thread may have died on the dead terminal: never block on it

    def _unplug_stdin(self) -> None:
        if self._stdin_plug is not None:
            try:
                os.close(self._stdin_plug)
            except OSError:
                pass
            self._stdin_plug = None

    async def on_unmount(self) -> None:
        # Let a set whose Enter was pressed reach the database before the process ends. Awaited,
        # not blocked on: the database thread hands its answers to this (still running) loop.
        if self.services is not None:
            await self.wait_for_service()
        self._shutting_down = True
        if self._ping_timer is not None:
            self._ping_timer.stop()
        loop = asyncio.get_running_loop()
        for signum in self._signals:
            loop.remove_signal_handler(signum)
        self._signals.clear()
        if self._resume_handler is not None:
            signal.signal(signal.SIGCONT, self._resume_handler)
            self._resume_handler = None
        self._db.stop()
        self._restore_gc()
        self._unplug_stdin()


def _terminal_alive() -> bool:
    """Whether standard input is a terminal that has not hung up (a hung-up one fails even
    tcgetattr, with EIO)."""
    import termios

    try:
        termios.tcgetattr(0)
    except (termios.error, OSError):
        return False
    return True


def run_app(
    services: Services | None = None, *, open_services: Callable[[], Services] | None = None,
    glance: Glance | None = None,
) -> str | None:
    """Run the app in this terminal until it ends; the one-line reason if it could not start.

    With ``open_services`` the first frame is drawn before the database is opened (the
    ``overload`` command); the services are closed on the way out either way.
    """
    app = OverloadApp(services, open_services=open_services, standalone=True, glance=glance)
    try:
        app.run()
    finally:
        if hasattr(signal, "SIGHUP"):  # the terminal may be gone now: finish the saves regardless
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
        app.flush()
        if app.services is not None:
            app.services.close()
    return app.fatal_error
