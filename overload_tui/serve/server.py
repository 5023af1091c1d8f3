"""The SSH server of ``overload serve`` (asyncssh): each lifter by their own key, each connection
its own app process.

Log-in
------
Only public keys open an account: the key's SHA-256 fingerprint is looked up in ``ssh_keys``
(``SshKeyDirectory.owner``), and asyncssh checks the client's signature with it. The SSH username
is never looked at (it is only logged, quoted): the key alone says whose account it is. A key
nobody registered is refused like a wrong one, so that a client holding several keys goes on to
the next; when none is left, keyboard-interactive shows the lifter a message saying which keys were
tried and how to register one, then the connection ends. SSH password log-in is never offered.
With ``allow_password``, a client with no registered key gets, instead of that message, the app's
own login screen (the app's password check, with its per-account throttle).

The key that logged in: asyncssh asks ``validate_public_key`` for each key tried and checks the
signature right after it returns, with no await in between, and takes no other request once a
signature has succeeded; so the identity recorded by the last ``validate_public_key`` call before
``auth_completed`` is the key whose signature logged in (a later request cancels an earlier one).

Isolation
---------
Each session channel runs ``python -m overload_tui.serve.child`` on the slave side of a new
pseudo-terminal sized as the client's, in a session of its own (the pty is its controlling
terminal, so window-size changes send it SIGWINCH and a closed master side SIGHUP). Its only
identity is a token the server signs for the logged-in lifter (``AuthService.issue_token``, valid
``TOKEN_TTL``), handed over through a pipe (its read end's number in ``OVERLOAD_SSH_TOKEN_FD``; the
token itself is never in the environment); it reads no saved log-in (see ``child``). Children share the
``ssh-sessions`` directory of the data directory (its secret key, which signs the tokens, and the
lifters' journals, one file per lifter), never the server's own saved log-ins.

Bytes are relayed both ways unchanged (keys, paste, colours); the client's TERM (and COLORTERM, if
it sends it) goes to the child. A client that goes away (closed, dropped, keepalives unanswered)
hangs the child up: it lets its queued saves finish and exits. A session idle for
``idle_timeout`` seconds, and every session when the server stops, is ended like ctrl+q
(SIGTERM): the app restores the client's terminal, then a line says why.

Limits: sessions in all and per lifter, connections still logging in, failed connections per
source address (``limits.FailureLimiter``), tries per connection, the time to log in. Every
connection is logged in one line as it ends: address, quoted SSH username, key fingerprint,
lifter, outcome; never a token, a key or a password.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import re
import signal
import struct
import sys
import termios
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from overload_tui import paths
from overload_tui.domain.errors import OverloadError
from overload_tui.serve import limits
from overload_tui.services.ssh_keys import asyncssh_module

asyncssh = asyncssh_module()
log = logging.getLogger("overload.serve")

TOKEN_TTL = timedelta(minutes=5)  # the child checks it as it starts; nothing else uses it
SESSIONS_DIR = "ssh-sessions"
KEEPALIVE_INTERVAL = 30.0
KEEPALIVE_COUNT_MAX = 4
STOP_GRACE_SECONDS = 30.0
# A hung-up app that has not ended after this long is killed: its committed sets are in the
# database and the rest in the lifter's journal (sent at the next connection, exactly once by
# client id), so a kill loses nothing, and a lingering process would hold a session slot.
HANGUP_KILL_SECONDS = 15.0
READ_CHUNK = 65536
WRITE_BUFFER_MAX = 256 * 1024
_TERM_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
_LOCALE_OK = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
# The server's own terminal and desktop: never a child's.
_ENV_DROP = {"TERM", "COLORTERM", "COLUMNS", "LINES", "TMUX", "TMUX_PANE", "STY", "DISPLAY", "WAYLAND_DISPLAY",
             "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "LANG", "LANGUAGE", "LC_ALL", "NO_COLOR", "OLDPWD",
             "SSH_AUTH_SOCK", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "DATABASE_URL", "OVERLOAD_DATA_DIR"}
REPO_ROOT = Path(__file__).resolve().parents[2]


def _client_text(text: object, limit: int = 40) -> str:
    """Something the client chose (its username), quoted and cut for a log line."""
    return repr(str(text)[:limit])


@dataclass
class ServeConfig:
    host: str = "0.0.0.0"
    port: int = 2222
    database_url: str | None = None
    data_dir: Path | None = None
    allow_password: bool = False
    max_sessions: int = limits.MAX_SESSIONS
    max_sessions_per_user: int = limits.MAX_SESSIONS_PER_USER
    idle_timeout: float = limits.IDLE_TIMEOUT
    login_timeout: float = limits.LOGIN_TIMEOUT
    max_failures: int = limits.MAX_FAILURES
    failure_window: float = limits.FAILURE_WINDOW
    max_auth_attempts: int = limits.MAX_AUTH_ATTEMPTS
    max_unauthenticated: int = limits.MAX_UNAUTHENTICATED
    child_argv: list[str] = field(default_factory=lambda: [sys.executable, "-m", "overload_tui.serve.child"])


@dataclass(frozen=True)
class Identity:
    """Who a connection logged in as: a lifter (by key), or nobody yet (the login screen)."""

    user_id: int | None
    username: str | None
    fingerprint: str | None


ANONYMOUS = Identity(None, None, None)


class Gym:
    """What every connection shares: the database, the limits, the sessions running."""

    def __init__(self, config: ServeConfig) -> None:
        from overload_tui import launch
        from overload_tui.db.engine import resolve_url
        from overload_tui.serve.hostkey import load_host_key
        from overload_tui.services.auth import AuthService, load_secret
        from overload_tui.services.ssh_keys import SshKeyDirectory

        self.config = config
        data = config.data_dir if config.data_dir is not None else paths.data_dir()
        self.data_dir = paths.private_dir(data)
        self.sessions_dir = paths.private_dir(self.data_dir / SESSIONS_DIR)
        # The URL as resolved here (the default SQLite file is in the server's data directory,
        # not the children's), handed to every child.
        self.database_url = resolve_url(config.database_url).render_as_string(hide_password=False)
        self.host_key = load_host_key(self.data_dir)
        self.services = launch.open_services(self.database_url, data_dir=self.sessions_dir)
        self.keys = SshKeyDirectory(self.services.db)
        self.auth = AuthService(self.services.db, load_secret(self.sessions_dir), token_ttl=TOKEN_TTL)
        self.limiter = limits.FailureLimiter(config.max_failures, config.failure_window)
        self.sessions = limits.SessionCounter(config.max_sessions, config.max_sessions_per_user)
        self.unauthenticated = 0
        self.running: set[_Session] = set()
        self.server: Any = None
        self.stopping = False

    # -- the children ----------------------------------------------------------------------------
    def child_env(self, term: str | None, client_env: dict[str, str], token_fd: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in _ENV_DROP and not k.startswith(("LC_", "OVERLOAD_SSH_"))}
        python_path = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env.update({
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(python_path)),
            "OVERLOAD_DATA_DIR": str(self.sessions_dir),
            "OVERLOAD_SSH_TOKEN_FD": str(token_fd),
            "DATABASE_URL": self.database_url,
            "TERM": term if term and _TERM_OK.match(term) else "xterm-256color",
            "LANG": "C.UTF-8",
            "OVERLOAD_SSH_PASSWORD": "1" if self.config.allow_password else "0",
        })
        colorterm = client_env.get("COLORTERM", "")
        if colorterm in ("truecolor", "24bit"):
            env["COLORTERM"] = colorterm
        lang = client_env.get("LANG", "")
        if _LOCALE_OK.match(lang) and lang.lower().replace("-", "").endswith("utf8"):
            env["LANG"] = lang
        return env

    # -- the server ------------------------------------------------------------------------------
    async def start(self) -> None:
        self.server = await asyncssh.create_server(
            lambda: _Connection(self), self.config.host, self.config.port,
            server_host_keys=[self.host_key], encoding=None, line_editor=False,
            login_timeout=self.config.login_timeout, keepalive_interval=KEEPALIVE_INTERVAL,
            keepalive_count_max=KEEPALIVE_COUNT_MAX, agent_forwarding=False, x11_forwarding=False,
            allow_scp=False, sftp_factory=None, allow_pty=True, password_auth=False,
            kbdint_auth=True, public_key_auth=True, host_based_auth=False, gss_host=None,
        )

    @property
    def port(self) -> int:
        return self.server.sockets[0].getsockname()[1]

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop listening; end every session as ctrl+q would (its saves finish), wait for them
        (at most ``grace`` seconds), then close the database."""
        self.stopping = True
        if self.server is not None:
            self.server.close()
        for session in list(self.running):
            session.end("the server is stopping")
        waits = [s.exited for s in list(self.running)]
        if waits:
            await asyncio.wait(waits, timeout=grace)
        for session in list(self.running):
            session.kill()
        if self.server is not None:
            await self.server.wait_closed()
        self.services.close()


class _Connection(asyncssh.SSHServer):
    """One client connection: its log-in, and the one line logged when it ends."""

    def __init__(self, gym: Gym) -> None:
        self.gym = gym
        self.conn: Any = None
        self.address = "?"
        self.peer = "?"
        self.ssh_user = ""
        self.attempts = 0
        self.offered: list[str] = []
        self.lookup_failed = False
        self._pending: Identity | None = None
        self.identity: Identity | None = None
        self.refusal: str | None = None     # why it is turned away before log-in
        self.outcome: str | None = None
        self.counted = False
        self.started = time.monotonic()
        self.sessions = 0
        self.exit_statuses: list[int] = []

    # -- connection ------------------------------------------------------------------------------
    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address = str(peer[0])
        self.peer = f"[{peer[0]}]:{peer[1]}" if ":" in self.address else f"{peer[0]}:{peer[1]}"
        wait = self.gym.limiter.blocked_for(self.address)
        if wait:
            self.refusal = f"too many failed log-ins from {self.address}; try again in {int(wait) + 1} s"
            self.outcome = "refused: too many failed log-ins from this address"
        elif self.gym.unauthenticated >= self.gym.config.max_unauthenticated:
            self.refusal = "too many connections are logging in at once; try again in a moment"
            self.outcome = "refused: too many connections logging in at once"
        elif self.gym.stopping:
            self.refusal = "the server is stopping"
            self.outcome = "refused: the server is stopping"
        else:
            self.gym.unauthenticated += 1
            self.counted = True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.counted and self.identity is None:
            self.gym.unauthenticated -= 1
            self.counted = False
        if self.identity is None and self.refusal is None:
            self.gym.limiter.failed(self.address)  # ended without logging in
        self._log_line(exc)

    def _log_line(self, exc: Exception | None) -> None:
        took = time.monotonic() - self.started
        parts = [f"ssh {self.peer}", f"ssh-user={_client_text(self.ssh_user)}"]
        ident = self.identity
        if ident is not None and ident.fingerprint:
            parts.append(f"key={ident.fingerprint}")
        elif self.offered:
            parts.append(f"keys-offered={','.join(self.offered[:4])}{',...' if len(self.offered) > 4 else ''}")
        if ident is not None:
            parts.append(f"user={ident.username}(id {ident.user_id})" if ident.user_id is not None
                         else "user=(login screen)")
        outcome = self.outcome
        if outcome is None:
            if ident is None:
                outcome = "refused: no registered key" if self.offered else "closed before logging in"
                if self.lookup_failed:
                    outcome = "refused: the database did not answer"
            else:
                outcome = f"ok: {self.sessions} session{'s' if self.sessions != 1 else ''}"
                if self.exit_statuses:
                    outcome += f", app exit {','.join(map(str, self.exit_statuses))}"
        if exc is not None and ident is not None:
            outcome += f", dropped ({type(exc).__name__})"
        parts.append(outcome)
        parts.append(f"{took:.1f} s")
        log.info(" ".join(parts))

    # -- log-in ----------------------------------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        self.ssh_user = username  # logged, quoted; never used to choose the account
        if self.refusal is not None:
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, f"overload: {self.refusal}")
        return True

    def password_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def _too_many_tries(self) -> bool:
        self.attempts += 1
        if self.attempts <= self.gym.config.max_auth_attempts:
            return False
        self.outcome = "refused: too many tries on one connection"
        self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, "overload: too many tries")
        return True

    def validate_ca_key(self, username: str, key: Any) -> bool:
        return False  # certificates open nothing: only the registered keys themselves

    async def validate_public_key(self, username: str, key: Any) -> bool:
        self._pending = None
        if self.refusal is not None or self._too_many_tries():
            return False
        fingerprint = key.get_fingerprint("sha256")
        if fingerprint not in self.offered and len(self.offered) < 16:
            self.offered.append(fingerprint)
        try:
            owner = await asyncio.to_thread(self.gym.keys.owner, fingerprint)
        except OverloadError:
            self.lookup_failed = True
            return False
        if owner is None:
            return False
        # Last, with no await after it: see the module's docstring ("The key that logged in").
        self._pending = Identity(owner.user_id, owner.username, fingerprint)
        return True

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        self._pending = None
        if self.refusal is not None or self._too_many_tries():
            return False
        if self.gym.config.allow_password and not self.lookup_failed:
            self._pending = ANONYMOUS  # the app's login screen asks for a password
            return True
        return ("overload", self.no_key_message(), "", [])

    def validate_kbdint_response(self, username: str, responses: Any) -> bool:
        # The message was shown; end here, or clients would show it again for every try.
        self.outcome = ("refused: the database did not answer" if self.lookup_failed
                        else "refused: no registered key" if self.offered else "refused: no key offered")
        reason = "overload: the database is not answering" if self.lookup_failed else "overload: no registered key"
        asyncio.get_running_loop().call_soon(self.conn.disconnect, asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                             reason)
        return False

    def no_key_message(self) -> str:
        if self.lookup_failed:
            return "The gym's database is not answering; try again in a moment."
        if not self.offered:
            return ("This server lets you in with an SSH key only, and your client offered none. "
                    "Make one (ssh-keygen -t ed25519) and ask the admin to register its .pub file: "
                    "overload user key add YOUR_NAME your_key.pub")
        keys = ", ".join(self.offered[:4])
        return (f"Your SSH key is not registered here ({keys}). Ask the admin to register its .pub file: "
                "overload user key add YOUR_NAME your_key.pub")

    def auth_completed(self) -> None:
        identity = self._pending
        if identity is None:  # cannot happen (see the docstring); never let it in unnamed
            self.outcome = "refused: no identity"
            self.conn.disconnect(asyncssh.DISC_BY_APPLICATION, "overload: log-in failed")
            return
        self.identity = identity
        if self.counted:
            self.gym.unauthenticated -= 1
            self.counted = False
        if identity.fingerprint:
            keys = self.gym.keys

            def stamp() -> None:
                try:
                    keys.mark_used(identity.fingerprint)
                except OverloadError:
                    pass  # only the "last used" date is lost

            asyncio.get_running_loop().run_in_executor(None, stamp)

    def session_requested(self) -> Any:
        if self.identity is None:
            return False
        return _Session(self)


def _set_size(fd: int, cols: int, rows: int, width_px: int = 0, height_px: int = 0) -> None:
    cols, rows = max(int(cols) or 80, 1), max(int(rows) or 24, 1)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", min(rows, 9999), min(cols, 9999),
                                                    min(width_px, 65535), min(height_px, 65535)))


class _Session(asyncssh.SSHServerSession):
    """One session channel: one app process in a pseudo-terminal of its own."""

    def __init__(self, owner: _Connection) -> None:
        self.owner = owner
        self.gym = owner.gym
        self.chan: Any = None
        self.term: str | None = None
        self.size = (80, 24, 0, 0)
        self.proc: asyncio.subprocess.Process | None = None
        self.master: int | None = None
        self.counted = False
        self.closed = False
        self.ending: str | None = None  # why the server ends it (idle, stopping)
        self.exited: asyncio.Future = asyncio.get_running_loop().create_future()
        self._to_child = bytearray()
        self._reading = False
        self._paused = False
        self._last_input = time.monotonic()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._kill_armed = False  # a kill is due HANGUP_KILL_SECONDS after the hang-up

    # -- the channel -----------------------------------------------------------------------------
    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.term = term_type
        self.size = term_size
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False  # the app only, never a command

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        asyncio.ensure_future(self._start())

    def _say(self, text: str) -> None:
        if not self.closed:
            try:
                self.chan.write(f"\r\noverload: {text}\r\n".encode())
            except Exception:  # noqa: BLE001 - the client may be gone
                pass

    def _finish(self, status: int) -> None:
        if not self.closed:
            self.closed = True
            try:
                self.chan.exit(status)
            except Exception:  # noqa: BLE001 - the client may be gone
                pass

    async def _start(self) -> None:
        identity = self.owner.identity
        if self.term is None:
            self._say("the app needs a terminal: connect with ssh -t (most clients do by default).")
            self._finish(1)
            return
        user_id = identity.user_id if identity else None
        try:
            self.gym.sessions.acquire(user_id)
        except limits.SessionsFull as full:
            who = f"{identity.username} has" if full.scope == "user" else "the server has"
            self._say(f"{who} {full.limit} sessions open already, the most allowed; close one and connect again.")
            self.owner.outcome = f"refused: sessions full ({full.limit} {'for this lifter' if full.scope == 'user' else 'in all'})"
            self._finish(1)
            return
        self.counted = True
        self.gym.running.add(self)
        try:
            token = "" if user_id is None else await asyncio.to_thread(self.gym.auth.issue_token, user_id)
            if self.closed:
                raise _Gone()
            await self._spawn(token)
        except _Gone:
            self._release()
            return
        except (OverloadError, OSError) as error:
            self._say(f"could not start the app: {error}")
            self._release()
            self._finish(1)
            return
        self.owner.sessions += 1
        self._arm_idle()
        asyncio.ensure_future(self._wait_child())
        if self.closed:  # the client left while the app was starting
            self._hang_up()

    async def _spawn(self, token: str) -> None:
        # The token goes through a pipe, read once by the child: never in its environment (which
        # /proc/PID/environ shows for as long as it runs).
        token_read, token_write = os.pipe()
        try:
            os.write(token_write, token.encode())  # a few hundred bytes: the pipe holds them
        finally:
            os.close(token_write)
        master, slave = os.openpty()
        try:
            cols, rows, width, height = self.size
            _set_size(slave, cols, rows, width, height)
            env = self.gym.child_env(self.term, dict(self.chan.get_environment() or {}), token_read)
            self.proc = await asyncio.create_subprocess_exec(
                *self.gym.config.child_argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                start_new_session=True, close_fds=True, pass_fds=(token_read,), cwd=str(self.gym.sessions_dir),
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
            os.close(token_read)
        os.set_blocking(master, False)
        self.master = master
        self._resume_reading()
        if self._to_child:
            self._flush_to_child()

    # -- bytes both ways -------------------------------------------------------------------------
    def _resume_reading(self) -> None:
        if self.master is not None and not self._reading and not self._paused:
            asyncio.get_running_loop().add_reader(self.master, self._from_child)
            self._reading = True

    def _stop_reading(self) -> None:
        if self.master is not None and self._reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self._reading = False

    def _from_child(self) -> None:
        try:
            data = os.read(self.master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:  # EIO: the app closed its terminal (it is ending)
            data = b""
        if not data:
            self._stop_reading()
            return
        if not self.closed:
            try:
                self.chan.write(data)
            except Exception:  # noqa: BLE001 - the client is gone; connection_lost follows
                pass

    def pause_writing(self) -> None:  # the client reads slower than the app writes
        self._paused = True
        self._stop_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._resume_reading()

    def data_received(self, data: bytes, datatype: Any) -> None:
        self._last_input = time.monotonic()
        self._to_child += data
        if self.master is not None:
            self._flush_to_child()
        if len(self._to_child) > WRITE_BUFFER_MAX:
            self.chan.pause_reading()

    def _flush_to_child(self) -> None:
        loop = asyncio.get_running_loop()
        while self._to_child and self.master is not None:
            try:
                written = os.write(self.master, self._to_child[:READ_CHUNK])
            except BlockingIOError:
                loop.add_writer(self.master, self._writable)
                return
            except OSError:  # the app has ended
                self._to_child.clear()
                return
            del self._to_child[:written]
        if self.master is not None:
            loop.remove_writer(self.master)
        if self.chan is not None and not self.closed:
            self.chan.resume_reading()

    def _writable(self) -> None:
        if self.master is not None:
            asyncio.get_running_loop().remove_writer(self.master)
        self._flush_to_child()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = (width, height, pixwidth, pixheight)
        if self.master is not None:
            try:
                _set_size(self.master, width, height, pixwidth, pixheight)  # the kernel sends SIGWINCH
            except OSError:
                pass

    def break_received(self, msec: int) -> bool:
        return False

    def eof_received(self) -> bool:
        self._hang_up()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._hang_up()

    # -- the app's life --------------------------------------------------------------------------
    def _arm_idle(self) -> None:
        timeout = self.gym.config.idle_timeout
        if timeout and timeout > 0:
            left = self._last_input + timeout - time.monotonic()
            self._idle_timer = asyncio.get_running_loop().call_later(max(left, 0.05), self._check_idle)

    def _check_idle(self) -> None:
        self._idle_timer = None
        if self.proc is None or self.proc.returncode is not None:
            return
        if time.monotonic() - self._last_input >= self.gym.config.idle_timeout:
            seconds = self.gym.config.idle_timeout
            after = f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
            self.end(f"closed after {after} without a key; every set you saved is kept.")
        else:
            self._arm_idle()

    def end(self, why: str) -> None:
        """End the app as ctrl+q would (its queued saves finish, the client's terminal is
        restored), then say ``why`` and close the channel."""
        self.ending = why
        self._signal(signal.SIGTERM)

    def _signal(self, signum: int) -> None:
        if self.proc is not None and self.proc.returncode is None:
            try:
                self.proc.send_signal(signum)
            except ProcessLookupError:
                pass

    def _hang_up(self) -> None:
        """The client is gone: hang the app up (it finishes its queued saves and exits), and
        kill it if it is still there HANGUP_KILL_SECONDS later."""
        self._signal(signal.SIGHUP)
        self._close_master()
        if self.proc is not None and self.proc.returncode is None and not self._kill_armed:
            self._kill_armed = True
            asyncio.get_running_loop().call_later(HANGUP_KILL_SECONDS, self.kill)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _close_master(self) -> None:
        if self.master is not None:
            self._stop_reading()
            loop = asyncio.get_running_loop()
            loop.remove_writer(self.master)
            os.close(self.master)
            self.master = None

    async def _wait_child(self) -> None:
        assert self.proc is not None
        status = await self.proc.wait()
        if self.master is not None:  # what it wrote last (restoring the terminal, a message)
            while True:
                try:
                    data = os.read(self.master, READ_CHUNK)
                except OSError:
                    break
                if not data:
                    break
                if not self.closed:
                    try:
                        self.chan.write(data)
                    except Exception:  # noqa: BLE001
                        break
        self._close_master()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        code = status if status >= 0 else 128 - status
        self.owner.exit_statuses.append(code)
        self._release()
        if self.ending:
            self._say(self.ending)
        self._finish(code & 0xFF)

    def _release(self) -> None:
        if self.counted:
            self.counted = False
            identity = self.owner.identity
            self.gym.sessions.release(identity.user_id if identity else None)
        self.gym.running.discard(self)
        if not self.exited.done():
            self.exited.set_result(None)


class _Gone(Exception):
    """The client left while its session was being set up."""


async def serve(config: ServeConfig, ready: Any = None) -> None:
    """Run the server until SIGTERM or SIGINT; ``ready(gym)`` once it listens."""
    gym = Gym(config)
    try:
        await gym.start()
    except OSError as error:
        gym.services.close()
        raise OverloadError(f"cannot listen on {config.host}:{config.port}: {error.strerror or error}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info(f"listening on {config.host}:{gym.port}; host key {gym.host_key.get_fingerprint('sha256')};"
             f" password log-in {'on (login screen)' if config.allow_password else 'off'}")
    if ready is not None:
        ready(gym)
    try:
        await stop.wait()
    finally:
        log.info("stopping: ending every session (their saves finish first)")
        await gym.stop()
        log.info("stopped")
