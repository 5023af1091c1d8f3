"""How screens talk to the app without importing it: messages that bubble up to the app for
everything that moves between screens, and ``Host``, what a screen may ask of the app it runs in
(Textual's App API plus these members). ``overload_tui.app`` imports the screens; no screen
imports it (an import-linter contract keeps it so)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from overload_tui.domain.errors import OverloadError
    from overload_tui.services import Services
    from overload_tui.services.dto import LoginResult, UserInfo
    from overload_tui.services.workouts import WorkoutService


class Host(Protocol):
    """The app as screens see it: the lifter, the services, and the one way to reach them."""

    user: UserInfo | None
    services: Services | None
    db_online: bool

    @property
    def workouts(self) -> WorkoutService: ...

    def hold_keys(self) -> None:
        """Hold the keys typed from now on for the screen about to come (a key that opens one
        calls this as it acts, before the keys behind it are taken)."""

    def call_service(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], Any] | None = None,
                     on_error: Callable[[OverloadError], Any] | None = None, **kwargs: Any) -> Future: ...


class StartWorkout(Message):
    """Start a workout (empty, or from a template) and open it in the logging screen."""

    def __init__(self, template_id: int | None = None) -> None:
        super().__init__()
        self.template_id = template_id


class ShowWorkout(Message):
    """Open a workout (resumed, or from the history) in the logging screen."""

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id


class LoggedIn(Message):
    """The login screen logged the lifter in: remember it on this terminal and go in."""

    def __init__(self, result: LoginResult) -> None:
        super().__init__()
        self.result = result


class LogOut(Message):
    """Forget the saved log-in and go back to the login screen."""


class RetryStart(Message):
    """The unreachable-database screen asks to try the database again."""


class GiveUp(Message):
    """Quit from the unreachable-database screen; the command prints ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class DashboardShown(Message):
    """The dashboard drew data read afresh (``data``: what to keep as the next start's glance):
    the keys held since start-up can run on it."""

    def __init__(self, data: dict[str, Any] | None) -> None:
        super().__init__()
        self.data = data


class DatabaseStatusChanged(Message, bubble=False):
    """Posted by the app to every screen: the database went offline (``online`` False,
    ``reason`` says why) or came back."""

    def __init__(self, online: bool, reason: str = "") -> None:
        super().__init__()
        self.online = online
        self.reason = reason


class DatabaseTrouble(Message):
    """A screen could not reach the database (and kept what it could not save): the app checks
    the database now, and says when it answers (``DatabaseStatusChanged``), even if it never
    looked down to the app."""


class ReadyForKeys(Message):
    """The screen in front is up with its focus set: the keys typed while it came (held by the
    app since the key that opened it) can run on it now."""
