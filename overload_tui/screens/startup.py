"""What the app shows before (and instead of) its real screens, and its database status.

* ``SplashScreen``: at the bottom of the stack; the first frame, drawn before the database layer is
  even imported, and what shows while a saved log-in is checked.
* ``DatabaseUnreachableScreen``: the database could not be reached at start-up. Says where and why,
  retries on its own every few seconds (r: now) and lets the lifter quit (q); the app carries on
  by itself as soon as the database answers.
* ``OfflineBanner``: a line above the footer of whatever screen is in front while the database is
  offline (the app mounts and removes it; see ``OverloadApp.db_online``).

Nothing here imports the services or the database layer: this module must load in a blink.
"""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from overload_tui.screens.messages import GiveUp, Host, RetryStart
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.screen_style import StyledOnce

class SplashScreen(StyledOnce, Screen[None]):
    """Under everything; the first frame, and shown while a saved log-in is checked."""

    DEFAULT_CSS = """
    SplashScreen { align: center middle; }
    SplashScreen #splash { width: auto; height: auto; content-align: center middle; }
    """

    def compose(self) -> ComposeResult:
        text = Text(justify="center")
        text.append("overload\n", style="bold")
        text.append("progressive overload tracker\n\n", style="dim")
        text.append("opening…", style="dim")
        yield Static(text, id="splash")


class DatabaseUnreachableScreen(StyledOnce, Screen[None]):
    """The database cannot be reached at start-up: where, why, retrying; r retries now, q quits."""

    app: Host

    DEFAULT_CSS = """
    DatabaseUnreachableScreen { align: center middle; }
    DatabaseUnreachableScreen #unreachable-box {
        width: 76; max-width: 100%; height: auto;
        border: round $error; border-title-color: $text; padding: 1 2;
    }
    DatabaseUnreachableScreen #unreachable-reason { height: auto; }
    DatabaseUnreachableScreen #unreachable-status { height: auto; margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("r", "retry", "Retry now"),
        Binding("q", "give_up", "Quit"),
    ]

    def __init__(self, reason: str, retry_seconds: float) -> None:
        super().__init__()
        self.reason = reason
        self.retry_seconds = retry_seconds
        self.attempts = 1
        self.trying = False
        self._left = retry_seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="unreachable-box"):
            yield Static(id="unreachable-reason", markup=False)
            yield Static(id="unreachable-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "overload"
        self.sub_title = "database unreachable"
        self.query_one("#unreachable-box").border_title = "Cannot reach the database"
        self.show_reason(self.reason)
        self.set_interval(1.0, self._tick)

    def show_reason(self, reason: str) -> None:
        self.reason = reason
        self.query_one("#unreachable-reason", Static).update(Text(f"{reason.rstrip('.')}. Retrying…"))
        self._show_status()

    def _show_status(self) -> None:
        if self.trying:
            status = f"Trying again (attempt {self.attempts + 1})…"
        else:
            tries = "once" if self.attempts == 1 else f"{self.attempts} times"
            status = f"Tried {tries}; next try in {max(1, round(self._left))} s."
        status += "  r: retry now · q: quit"
        self.query_one("#unreachable-status", Static).update(Text(status))

    def _tick(self) -> None:
        if self.trying:
            return
        self._left -= 1
        if self._left <= 0:
            self.action_retry()
        else:
            self._show_status()

    def action_retry(self) -> None:
        if self.trying:
            return
        self.trying = True
        self._show_status()
        self.post_message(RetryStart())

    def failed_again(self, reason: str) -> None:
        """Called by the app when a retry found the database still unreachable."""
        self.trying = False
        self.attempts += 1
        self._left = self.retry_seconds
        self.show_reason(reason)

    def action_give_up(self) -> None:
        self.post_message(GiveUp(self.reason))


class OfflineBanner(Static):
    """'Database offline: <why>. Retrying…' above the footer of the screen in front."""

    DEFAULT_CSS = """
    OfflineBanner {
        dock: bottom; height: auto; max-height: 3; margin-bottom: 1; padding: 0 1;
        background: $error; color: $text;
    }
    """

    def __init__(self, reason: str) -> None:
        super().__init__(markup=False)
        self.show_reason(reason)

    def show_reason(self, reason: str) -> None:
        text = Text()
        text.append("Database offline: ", style="bold")
        text.append(f"{reason.rstrip('.')}. Retrying every few seconds.")
        self.update(text)
