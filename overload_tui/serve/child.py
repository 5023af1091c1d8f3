"""The app as one SSH connection runs it (``python -m overload_tui.serve.child``, started by the
server on the slave side of a new pseudo-terminal, in a session of its own).

Who is logged in comes from one place only: a short-lived token the server signed for the lifter
whose key logged in, read once from the pipe whose descriptor ``OVERLOAD_SSH_TOKEN_FD`` names (so
the token is never in the environment, which /proc shows), and kept in memory
(``SessionTokens``): no token file is read or written, so nothing the server's Unix user saved,
and nothing another connection did, can choose the account. The first frame is the lifter's own
glance (the dashboard as last shown to them, ``Glance.for_lifter``), named by that token's user
and replaced as soon as the token is checked. Logging out ends the session. With an empty token
(the server's ``--allow-password`` and no registered key) the app opens on its login screen, and
a log-in there also lives in memory only.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import termios
from pathlib import Path

from overload_tui.app import OverloadApp

TOKEN_FD_VARIABLE = "OVERLOAD_SSH_TOKEN_FD"
TOKEN_MAX = 4096
PASSWORD_VARIABLE = "OVERLOAD_SSH_PASSWORD"


class SessionTokens:
    """A ``TokenStore`` kept in memory: the log-in of this one connection."""

    def __init__(self, token: str | None) -> None:
        self._token = token or None
        self.path = Path(os.devnull)  # no token file (a lifter's glance needs none)

    def load(self) -> str | None:
        return self._token

    def save(self, token: str) -> None:
        self._token = token

    def clear(self) -> None:
        self._token = None


class ServeApp(OverloadApp):
    """The app with the connection's identity only, and no login screen unless allowed."""

    def __init__(self, *args, token: str | None, allow_password: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ssh_token = token
        self._allow_password = allow_password

    def _may_have_saved_login(self) -> bool:  # the token, not files in the data directory
        return bool(self._ssh_token)

    def show_login(self, reason: str | None = None) -> None:
        if self._allow_password:
            super().show_login(reason)
            return
        self.fatal_error = reason or "log in with your SSH key."
        self.exit(return_code=1)


def _take_terminal() -> None:
    """Make the pty on stdin this session's controlling terminal: resizes then send SIGWINCH, and
    the master side closing sends SIGHUP."""
    try:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    except OSError:
        pass


def _read_token() -> str | None:
    """The token from the server's pipe (empty: nobody yet, the login screen); None without one."""
    text = os.environ.pop(TOKEN_FD_VARIABLE, "")
    if not text.isdigit():
        return None
    fd = int(text)
    chunks = []
    try:
        while chunk := os.read(fd, TOKEN_MAX):
            chunks.append(chunk)
            if sum(map(len, chunks)) > TOKEN_MAX:
                return None
    except OSError:
        return None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
    return b"".join(chunks).decode("ascii", "replace").strip() or None


def main() -> int:
    token = _read_token()
    allow_password = os.environ.pop(PASSWORD_VARIABLE, "") == "1"
    _take_terminal()
    if token is None and not allow_password:
        print("overload: no lifter for this connection.", file=sys.stderr)
        return 1

    import gc

    from overload_tui import launch
    from overload_tui.glance import Glance

    gc.set_threshold(*launch.GC_THRESHOLD)
    database_url = os.environ.get("DATABASE_URL")

    def open_services():
        services = launch.open_services(database_url)
        services.tokens = SessionTokens(token)
        return services

    glance = Glance.for_lifter(token, database_url)
    app = ServeApp(None, open_services=open_services, standalone=True, glance=glance, token=token,
                   allow_password=allow_password)
    try:
        app.run()
    finally:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the terminal may be gone: finish the saves
        app.flush()
        if app.services is not None:
            app.services.close()
    if app.fatal_error:
        try:
            print(f"overload: {app.fatal_error}", file=sys.stderr, flush=True)
        except OSError:
            pass
        return 1
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
