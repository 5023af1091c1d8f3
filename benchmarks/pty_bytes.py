"""What the app writes to the terminal, measured through a real pty: what a slow link carries.

    python -m benchmarks.pty_bytes [--database URL] [--json FILE] [--idle SECONDS] [--explain]

Each program runs in a pseudo-terminal of 80x24 (TERM=xterm-256color) and a thread reads the
master side, counting every byte with the time it came. Three programs:

* ``bare``: a Textual app with one focused Input and nothing else (the floor; its cursor blinks,
  as Textual's Input does by default);
* ``overload``: the real ``overload`` command on a throwaway SQLite database, logged in through
  its login screen by typing, then ``n`` (an empty workout) and Squat (Barbell) added;
* ``overload, no blink``: the same, with Textual's ``Input.cursor_blink`` defaulting to False
  (patched in before the app starts): what the logging screen would write with its set box not
  blinking, the rest being the app as it is.

The figures:

* per char: each character of ``102.5x10`` typed into the set box (the Input for ``bare``), one at
  a time, counted from the key to the screen quiet again (no byte for 300 ms), averaged;
* per set: ``100x5`` typed key by key (each waiting for the screen to settle, as a person's
  typing is slower than the frame rate) and Enter, from the first key until the screen is quiet
  after the set shows in the table, averaged over three sets (the box is emptied with ctrl+u
  before each: not counted). "(Enter)" is the part from the Enter key on (what a repeated set
  costs: the box is pre-filled, one Enter logs it again);
* idle: the bytes per second while the logging screen sits with the rest timer running (started
  by the last set), over ``--idle`` seconds (10).

Nothing waits a fixed time where a condition exists: text on the screen (a small terminal
emulator, :class:`Screen`, follows the output) or the screen quiet (when two timers leave no gap
of 300 ms, one of 200 ms after 3 s: the table says how often). ``--explain`` prints where the
bytes of the last typed character, the last Enter and the idle window went on the screen (by the
line and column of each cursor move), with the text written there.
The terminal answers no queries (like an xterm that lacks synchronized output): Textual then
wraps no frame in ``?2026h``/``?2026l`` (16 bytes a frame more where a terminal supports it).

The driver gets to a logging screen with an exercise in :func:`open_logging_screen` (the exercise
picker of today's logging screen, or ``>squat`` typed in the set box of the one being rebuilt),
and tells a logged set by :func:`set_shown`: the two places to change with the screen.
"""

from __future__ import annotations

import argparse
import codecs
import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COLS, ROWS = 80, 24
QUIET = 0.3  # the screen is quiet after this long without a byte
PATIENCE = 3.0  # ... or, when no such gap comes in this long,
SHORT_QUIET = 0.2  # after this long (see PtyProgram.wait_quiet)
TIMEOUT = 30.0  # the longest wait for any one condition
PASSWORD = "benchmark-password"
CHARS = "102.5x10"  # typed one at a time for the per-char figure
SET_TEXT = "100x5"  # typed for each logged set
SETS = 3
IDLE_SECONDS = 10.0

TARGET_IDLE = 250.0  # B/s
TARGET_SET = 1000.0  # B per logged set
TARGET_CHAR_MARGIN = 0.10  # per char: at most the bare Input's figure + 10 %

# Run by the harness as ``python -c``: the real command with the Input's cursor not blinking.
NO_BLINK = (
    "import sys\n"
    "from textual.widgets import Input\n"
    "Input.cursor_blink._default = False\n"
    "Input._default_cursor_blink = False\n"
    "from overload_tui.__main__ import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


class HarnessError(Exception):
    """The program did not get where the driver expected (the screen is in the message)."""


# -- a small terminal emulator: enough to see text on the screen ---------------------------------
_ESCAPE = re.compile(
    r"\x1b\[(?P<csi>[0-?]*[ -/]*)(?P<final>[@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[P_^X][^\x1b]*\x1b\\"  # DCS, APC, PM, SOS
    r"|\x1b[ -/]*(?![\[\]P_^X])[0-~]"  # ESC with intermediates (ESC 7, ESC ( B, ...)
)
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|\][^\x07]*\x1b|[P_^X][^\x1b]*\x1b?|[ -/]*)?\Z")


def _cell_width(char: str) -> int:
    from rich.cells import get_character_cell_size

    return get_character_cell_size(char)


class Screen:
    """A grid of characters fed the program's output: cursor moves, erases and text (styles,
    modes and queries are read and ignored)."""

    def __init__(self, cols: int = COLS, rows: int = ROWS) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.saved = (0, 0)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        pos = 0
        while pos < len(text):
            esc = text.find("\x1b", pos)
            if esc < 0:
                self._text(text[pos:])
                return
            self._text(text[pos:esc])
            match = _ESCAPE.match(text, esc)
            if match is None:
                if _INCOMPLETE.match(text, esc):  # the rest comes with the next read
                    self._pending = text[esc:]
                    return
                pos = esc + 1  # not a sequence known here: skip the ESC
                continue
            if match.group("final"):
                self._csi(match.group("csi"), match.group("final"))
            elif match.group(0) in ("\x1b7", "\x1b8"):
                if match.group(0) == "\x1b7":
                    self.saved = (self.x, self.y)
                else:
                    self.x, self.y = self.saved
            pos = match.end()

    def _text(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif char == "\b":
                self.x = max(self.x - 1, 0)
            elif char == "\t":
                self.x = min((self.x // 8 + 1) * 8, self.cols - 1)
            elif char >= " ":
                width = _cell_width(char)
                if width == 0:
                    continue
                if self.x < self.cols:
                    self.grid[self.y][self.x] = char
                    for extra in range(1, width):
                        if self.x + extra < self.cols:
                            self.grid[self.y][self.x + extra] = ""
                self.x = min(self.x + width, self.cols)

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            return  # modes and queries
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(i: int, default: int = 1) -> int:
            return numbers[i] if len(numbers) > i and numbers[i] else default

        if final in "Hf":
            self.y = min(max(arg(0) - 1, 0), self.rows - 1)
            self.x = min(max(arg(1) - 1, 0), self.cols - 1)
        elif final == "A":
            self.y = max(self.y - arg(0), 0)
        elif final == "B":
            self.y = min(self.y + arg(0), self.rows - 1)
        elif final == "C":
            self.x = min(self.x + arg(0), self.cols - 1)
        elif final == "D":
            self.x = max(self.x - arg(0), 0)
        elif final == "G":
            self.x = min(max(arg(0) - 1, 0), self.cols - 1)
        elif final == "d":
            self.y = min(max(arg(0) - 1, 0), self.rows - 1)
        elif final == "J":
            mode = arg(0, 0)
            rows = {0: range(self.y + 1, self.rows), 1: range(0, self.y), 2: range(self.rows), 3: range(self.rows)}
            for y in rows.get(mode, ()):
                self.grid[y] = [" "] * self.cols
            if mode in (0, 1):
                self._erase_line(mode)
        elif final == "K":
            self._erase_line(arg(0, 0))

    def _erase_line(self, mode: int) -> None:
        row = self.grid[self.y]
        span = {0: range(self.x, self.cols), 1: range(0, self.x + 1), 2: range(self.cols)}.get(mode, ())
        for x in span:
            row[x] = " "

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.grid)


def segments(data: bytes) -> Iterator[tuple[int, int, str, int]]:
    """The output cut at each cursor positioning: (row, column, the text written, bytes)."""
    text = data.decode("utf-8", errors="replace")
    row = col = -1
    written: list[str] = []
    start = 0
    pos = 0
    for match in _ESCAPE.finditer(text):
        written.append(text[pos:match.start()])
        pos = match.end()
        if match.group("final") in ("H", "f"):
            if match.start() > start:
                yield row, col, "".join(written), len(text[start:match.start()].encode())
            params = [int(p) if p.isdigit() else 1 for p in match.group("csi").split(";")]
            row, col = params[0] if params else 1, params[1] if len(params) > 1 else 1
            written, start = [], match.start()
    written.append(text[pos:])
    if len(text) > start:
        yield row, col, "".join(written), len(text[start:].encode())


# -- a program in a pty ------------------------------------------------------------------------
class PtyProgram:
    """A child process on the slave side of a new pty; a thread reads the master side."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: Path = REPO,
                 cols: int = COLS, rows: int = ROWS) -> None:
        self.chunks: list[tuple[float, bytes]] = []
        self.screen = Screen(cols, rows)
        self.last_output = 0.0
        self.short_settles = 0
        self._changed = threading.Condition()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        try:
            self.proc = subprocess.Popen(
                list(argv), stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                start_new_session=True, close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child has gone and the slave is closed
                data = b""
            now = time.monotonic()
            with self._changed:
                if data:
                    self.chunks.append((now, data))
                    self.last_output = now
                    self.screen.feed(data)
                else:
                    self.chunks.append((now, b""))  # the end
                self._changed.notify_all()
            if not data:
                return

    # -- keys ----------------------------------------------------------------------------------
    def send(self, data: str | bytes) -> float:
        """Write keys to the program; returns the time they went."""
        now = time.monotonic()
        os.write(self.master, data.encode() if isinstance(data, str) else data)
        return now

    # -- waiting -------------------------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return bool(self.chunks) and self.chunks[-1][1] == b""

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                screen = self.screen.text()
                if check(screen):
                    return screen
                left = deadline - time.monotonic()
                if left <= 0 or self.ended:
                    why = "the program ended" if self.ended else f"{timeout:.0f} s passed"
                    raise HarnessError(f"waited in vain for {what} ({why}); the screen was:\n{screen}")
                self._changed.wait(left)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def wait_quiet(self, after: float, quiet: float = QUIET, timeout: float = TIMEOUT,
                   need_output: bool = True) -> float:
        """Wait for output after ``after`` (unless not ``need_output``: a key that may change
        nothing) and then ``quiet`` seconds without any; returns the time of the last byte after
        ``after`` (where a measured window ends), or ``after`` if none came.

        Two timers writing at once (a cursor blinking every 0.5 s and a countdown once a second)
        can leave no gap of 300 ms: after ``PATIENCE`` seconds a gap of ``SHORT_QUIET`` will do
        (one is sure to come), counted in ``short_settles``."""
        start = time.monotonic()
        deadline = start + timeout
        with self._changed:
            while True:
                now = time.monotonic()
                gap = quiet if now - start < PATIENCE else min(quiet, SHORT_QUIET)
                came = self.last_output > after
                since = now - max(self.last_output, after)
                if (came or not need_output) and since >= gap:
                    if gap < quiet:
                        self.short_settles += 1
                    return max(self.last_output, after)
                if now >= deadline or self.ended:
                    why = "the program ended" if self.ended else f"{timeout:.0f} s passed"
                    raise HarnessError(f"the screen did not settle after the keys ({why}); "
                                       f"the screen was:\n{self.screen.text()}")
                wait = gap - since if came or not need_output else deadline - now
                if now - start < PATIENCE:
                    wait = min(wait, start + PATIENCE - now)
                self._changed.wait(max(min(wait, deadline - now), 0.001))

    def sleep_until(self, when: float) -> None:
        """A measured idle window: nothing to wait for but the clock."""
        with self._changed:
            while (left := when - time.monotonic()) > 0 and not self.ended:
                self._changed.wait(left)

    # -- counting -------------------------------------------------------------------------------
    def output(self, start: float, end: float) -> bytes:
        with self._changed:
            return b"".join(data for t, data in self.chunks if start <= t <= end)

    def count(self, start: float, end: float) -> int:
        return len(self.output(start, end))

    def type_key(self, key: str, need_output: bool = True) -> tuple[float, float]:
        """One key, then the screen settled: (sent at, last byte at)."""
        sent = self.send(key)
        return sent, self.wait_quiet(sent, need_output=need_output)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("\x11")  # ctrl+q
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reader.join(timeout=5)
        os.close(self.master)


# -- the programs --------------------------------------------------------------------------------
def bare_app() -> None:
    """The floor: a Textual app with one focused Input (run in the pty by ``--bare-app``)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(placeholder="bare input")

        def on_mount(self) -> None:
            self.query_one(Input).focus()

    Bare().run()


def _overload_argv() -> list[str]:
    command = Path(sys.executable).with_name("overload")
    return [str(command)] if command.exists() else [sys.executable, "-m", "overload_tui"]


def _child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS), **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    return env


@dataclass
class Figures:
    program: str
    per_char: list[int] = field(default_factory=list)
    per_set: list[int] = field(default_factory=list)
    per_enter: list[int] = field(default_factory=list)
    idle_bytes: int = 0
    idle_seconds: float = 0.0
    explained: dict[str, list[dict]] = field(default_factory=dict)  # window -> where its bytes went
    short_settles: int = 0  # windows that ended on a gap of SHORT_QUIET (see PtyProgram.wait_quiet)
    error: str = ""

    @staticmethod
    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    @property
    def char(self) -> float | None:
        return self.mean(self.per_char)

    @property
    def set(self) -> float | None:
        return self.mean(self.per_set)

    @property
    def enter(self) -> float | None:
        return self.mean(self.per_enter)

    @property
    def idle(self) -> float | None:
        return self.idle_bytes / self.idle_seconds if self.idle_seconds else None

    def as_json(self) -> dict:
        return {**asdict(self), "char_mean": self.char, "set_mean": self.set,
                "enter_mean": self.enter, "idle_bps": self.idle}


def measure_typing(term: PtyProgram, figures: Figures) -> None:
    for char in CHARS:
        sent, end = term.type_key(char)
        figures.per_char.append(term.count(sent, end))
    figures.explained["a typed char"] = explain(term.output(sent, end), 1.0)


def measure_idle(term: PtyProgram, figures: Figures, seconds: float) -> None:
    start = time.monotonic()
    term.sleep_until(start + seconds)
    end = time.monotonic()
    if term.ended:
        raise HarnessError("the program ended while idle")
    figures.idle_bytes = term.count(start, end)
    figures.idle_seconds = end - start
    figures.explained["idle"] = explain(term.output(start, end), seconds)


def explain(data: bytes, seconds: float) -> list[dict]:
    """Where the bytes went: by screen line and column, most first, with what was written last
    there; ``per_s`` is per second of ``seconds``."""
    places: dict[tuple[int, int], dict] = defaultdict(lambda: {"bytes": 0, "writes": 0, "text": ""})
    for row, col, text, size in segments(data):
        place = places[(row, col)]
        place["bytes"] += size
        place["writes"] += 1
        place["text"] = text
    out = [{"row": row, "col": col, **place, "per_s": place["bytes"] / seconds if seconds else 0.0}
           for (row, col), place in places.items()]
    return sorted(out, key=lambda p: -p["bytes"])


def run_bare(idle: float) -> Figures:
    figures = Figures("bare Textual Input")
    term = PtyProgram([sys.executable, "-m", "benchmarks.pty_bytes", "--bare-app"], _child_env({}))
    try:
        term.wait_for("bare input")
        term.wait_quiet(0.0)
        measure_typing(term, figures)
        term.type_key("\x15", need_output=False)  # ctrl+u: emptied, as the set box before a set
        measure_idle(term, figures, idle)
    except HarnessError as error:
        figures.error = str(error)
    finally:
        figures.short_settles = term.short_settles
        term.close()
    return figures


# -- the real command ------------------------------------------------------------------------------
def create_user(env: dict[str, str], username: str) -> None:
    proc = subprocess.run(
        [*_overload_argv(), "user", "add", username, "--email", f"{username}@x.io"],
        input=PASSWORD + "\n", text=True, capture_output=True, env=env, cwd=REPO, timeout=120,
    )
    if proc.returncode:
        raise HarnessError(f"overload user add failed: {proc.stderr.strip() or proc.stdout.strip()}")


def log_in(term: PtyProgram, username: str) -> None:
    term.wait_for("Username")
    for char in username:
        term.send(char)
    term.wait_for(username)  # the cursor is in the field: Enter goes to the password
    term.type_key("\r")
    term.send(PASSWORD + "\r")
    term.wait_for("this week")  # the dashboard ("0 workouts this week")


def open_logging_screen(term: PtyProgram) -> None:
    """From the dashboard to a logging screen with Squat (Barbell), its set box focused and the
    screen quiet. Today ``n`` opens an exercise picker over the empty workout; the logging screen
    being rebuilt has none: ``>squat`` and Enter in its set box add the exercise."""
    sent = term.send("n")
    screen = term.wait_until(lambda s: "Add an exercise" in s or "this week" not in s,
                             "the exercise picker or the dashboard gone")
    if "Add an exercise" not in screen:  # no picker (yet?): wait until the screen is drawn
        term.wait_quiet(sent)
        screen = term.screen.text()
    if "Add an exercise" in screen:  # today's exercise picker
        for char in "squat":
            term.send(char)
        term.wait_for("found")
        term.send("\r")
    else:  # the rebuilt screen: the set box takes ">name"
        for char in ">squat":
            term.send(char)
        term.wait_for(">squat")
        term.send("\r")
    term.wait_until(lambda s: "Squat (Barbell)" in s and "Add an exercise" not in s, "Squat (Barbell) added")
    term.wait_quiet(0.0)


def set_shown(screen: str, n: int) -> bool:
    """Set ``n`` of 100 kg x 5 is in the table (or the box offers set n + 1)."""
    return re.search(rf"\b{n}\s+100 kg\s+5\b", screen) is not None or f"Set {n + 1}" in screen


def log_sets(term: PtyProgram, figures: Figures, sets: int) -> None:
    for n in range(1, sets + 1):
        term.type_key("\x15", need_output=False)  # ctrl+u: the box is pre-filled with the last set; not counted
        first = None
        for char in SET_TEXT:
            sent, _ = term.type_key(char)
            first = first if first is not None else sent
        enter = term.send("\r")
        term.wait_until(lambda s, n=n: set_shown(s, n), f"set {n} in the table")
        end = term.wait_quiet(enter)
        figures.per_set.append(term.count(first, end))
        figures.per_enter.append(term.count(enter, end))
    figures.explained["Enter (the last set)"] = explain(term.output(enter, end), 1.0)
    term.wait_for("Rest ")


def run_overload(label: str, idle: float, database: str | None, blink: bool) -> Figures:
    figures = Figures(label)
    with tempfile.TemporaryDirectory(prefix="overload-pty-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir(mode=0o700)
        url = database or f"sqlite:///{Path(tmp) / 'overload.db'}"
        env = _child_env({"DATABASE_URL": url, "OVERLOAD_DATA_DIR": str(data)})
        username = "bench" if database is None else f"bench-{uuid.uuid4().hex[:8]}"
        try:
            create_user(env, username)
        except HarnessError as error:
            figures.error = str(error)
            return figures
        argv = _overload_argv() if blink else [sys.executable, "-c", NO_BLINK]
        term = PtyProgram(argv, env)
        try:
            log_in(term, username)
            open_logging_screen(term)
            measure_typing(term, figures)
            log_sets(term, figures, SETS)
            measure_idle(term, figures, idle)
        except HarnessError as error:
            figures.error = str(error)
        finally:
            figures.short_settles = term.short_settles
            term.close()
    return figures


# -- the table -------------------------------------------------------------------------------------
def measure(idle: float = IDLE_SECONDS, database: str | None = None, no_blink: bool = True) -> list[Figures]:
    results = [run_bare(idle), run_overload("overload", idle, database, blink=True)]
    if no_blink:
        results.append(run_overload("overload, set box not blinking", idle, database, blink=False))
    return results


def _b(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def table(results: list[Figures], idle: float = IDLE_SECONDS) -> str:
    bare = results[0].char
    char_target = bare * (1 + TARGET_CHAR_MARGIN) if bare else None
    lines = [
        f"{'program':<32} {'B/char':>7} {'B/set':>7} {'(Enter)':>7} {'idle B/s':>9}",
        f"{'-' * 32} {'-' * 7} {'-' * 7} {'-' * 7} {'-' * 9}",
    ]
    for f in results:
        if f.error and f.char is None:
            lines.append(f"{f.program:<32} n/a: {f.error.splitlines()[0]}")
            continue
        lines.append(f"{f.program:<32} {_b(f.char):>7} {_b(f.set):>7} {_b(f.enter):>7} {_b(f.idle):>9}")
        if f.error:
            lines.append(f"{'':<32} (stopped: {f.error.splitlines()[0]})")
    lines.append(f"{'target':<32} {'<= ' + _b(char_target):>7} {'<= ' + _b(TARGET_SET):>7} {'':>7} "
                 f"{'<= ' + _b(TARGET_IDLE):>9}")
    lines.append(f"(B/char: mean of {CHARS!r} typed one at a time; B/set: {SET_TEXT!r} and Enter, "
                 f"mean of {SETS}; (Enter): of which the Enter key; idle: {idle:g} s, "
                 "rest timer running; target B/char: the bare Input + 10 %)")
    short = [f"{f.program}: {f.short_settles}" for f in results if f.short_settles]
    if short:
        lines.append(f"(windows that ended on a {SHORT_QUIET * 1000:.0f} ms gap, never "
                     f"{QUIET * 1000:.0f} ms: {', '.join(short)})")
    return "\n".join(lines)


def explanation(results: list[Figures], top: int = 8) -> str:
    out = []
    for f in results:
        for window, places in f.explained.items():
            idle = window == "idle"
            total = sum(p["per_s" if idle else "bytes"] for p in places)
            unit = "B/s" if idle else "B"
            out.append(f"\n{f.program}, {window}: {total:,.0f} {unit}, by where it was written "
                       "(row;col of the cursor move, 1-based)")
            for p in places[:top]:
                sample = p["text"].strip()[:44]
                where = "(no move)" if p["row"] < 0 else f"{p['row']};{p['col']}"
                out.append(f"  {where:>9} {p['per_s' if idle else 'bytes']:7.0f} {unit:<3} "
                           f"{p['writes']:3d}x  {sample!r}")
            if len(places) > top:
                rest = sum(p["per_s" if idle else "bytes"] for p in places[top:])
                out.append(f"  {'others':>9} {rest:7.0f} {unit:<3} ({len(places) - top} places)")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pty_bytes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="the app's database URL (default: a throwaway SQLite database); "
                        "a user bench-<random> is added to it and left there")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS, help="seconds idle on the logging screen (10)")
    parser.add_argument("--explain", action="store_true", help="where the idle bytes went on the screen")
    parser.add_argument("--bare-app", action="store_true", help=argparse.SUPPRESS)  # run in the pty
    args = parser.parse_args(argv)
    if args.bare_app:
        bare_app()
        return 0
    results = measure(args.idle, args.database)
    print(table(results, args.idle))
    if args.explain:
        print(explanation(results))
    if args.json:
        args.json.write_text(json.dumps([r.as_json() for r in results], indent=2))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
