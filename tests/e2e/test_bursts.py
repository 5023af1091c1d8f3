"""Bursts in a real terminal: the "done means" test of the logging rebuild (issue 14).

The real ``overload`` command runs in a private tmux server (``tmux -L <unique> -f /dev/null``) at
80x24 and at 45x20, on SQLite and on PostgreSQL. Each burst of keys is sent in ONE ``tmux
send-keys`` call (key names such as ``Enter``, ``BTab``, ``C-f`` with the literal text between
them, all in one argv), so the app gets it all at once, as from a laggy link or a paste. Then THE
DATABASE is checked: it must come to hold exactly what was typed, in order, with the marks.

Nothing waits a fixed time: the tests wait for what the screen shows (``capture-pane``) and for
rows in the database (read with the app's services every 0.1 s), for at most ``TIMEOUT`` (30 s).
They fail at once when the app ends, when another screen (settings, history...) shows up, or
when the database holds something the keys could never lead to (another exercise, a set that was
not typed); the message gives the last screens and the rows.

Run::

    pytest -m tmux tests/e2e/test_bursts.py                          # 1 round (as in CI)
    OVERLOAD_BURST_ROUNDS=20 pytest tests/e2e/test_bursts.py -n 4    # each test 20 times

PostgreSQL tests get the ``postgres`` marker and skip with a reason when the server is
unreachable (``database_url`` in tests/conftest.py; mandatory with OVERLOAD_REQUIRE_POSTGRES=1).
Every test (and every round) has its own database, data directory and tmux server; the server is
killed, the app's end waited for and the PostgreSQL database dropped afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.tmux import BTAB, CTRL_F, ENTER, PASSWORD, TAB, TIMEOUT, Key, Tmux


def _rounds() -> int:
    raw = os.environ.get("OVERLOAD_BURST_ROUNDS", "1").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise pytest.UsageError(f"OVERLOAD_BURST_ROUNDS must be a whole number from 1 up, not {raw!r}")
    return int(raw)


ROUNDS = _rounds()
SIZES = [(80, 24), (45, 20)]
POLL = 0.1  # seconds between two reads of the database
USER = "lifter"

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

# The dashboard once it shows what it read from the database (there is no glance on a first start,
# so it is never drawn before that).
LIVE_DASHBOARD = re.compile(r"\b0 workouts this week")
# Screens that no burst here may open, by their header (the first line, left of a key panel).
OTHER_SCREEN = re.compile(r"\b(Settings|Templates|History|Progress|Import|Edit template)\b")
HEADER_ICON = "⭘"  # on the first line of every screen but the splash
F1 = Key("F1")  # the panel of every key of the screen in front, on the right


def key_panel_column(screen: str) -> int | None:
    """The column of the left edge of F1's panel of keys (a ▏ on at least two thirds of the
    lines, from the header down), None when there is none."""
    lines = screen.split("\n")
    counts: dict[int, int] = {}
    for line in lines:
        for column in {m.start() for m in re.finditer("▏", line)}:
            counts[column] = counts.get(column, 0) + 1
    columns = [c for c, n in counts.items() if n >= len(lines) * 2 // 3]
    return min(columns) if columns else None


# -- what the database holds -----------------------------------------------------------------------
@dataclass(frozen=True)
class Logged:
    """One set as the database holds it."""

    weight: float
    reps: int
    set_type: str | None = None  # warmup, drop, failure; None: a normal set
    rpe: float | None = None
    unit: str = "kg"

    def __str__(self) -> str:
        text = f"{self.weight:g}x{self.reps} {self.unit}"
        return text + (f" {self.set_type}" if self.set_type else "") + (f" @{self.rpe:g}" if self.rpe is not None else "")


Entry = tuple[str, tuple[Logged, ...]]  # an exercise's name and its sets, in order


@dataclass(frozen=True)
class Workout:
    entries: tuple[Entry, ...]
    finished: bool = False

    def __str__(self) -> str:
        lines = [f"workout ({'finished' if self.finished else 'unfinished'}):"]
        lines += [f"  {name}: " + ("; ".join(map(str, sets)) or "no sets") for name, sets in self.entries]
        if not self.entries:
            lines.append("  no exercises")
        return "\n".join(lines)


def workout(*entries: tuple[str, Sequence[Logged]]) -> Workout:
    return Workout(tuple((name, tuple(sets)) for name, sets in entries))


def describe(workouts: Sequence[Workout]) -> str:
    return "\n".join(map(str, workouts)) if workouts else "no workouts at all"


def could_become(seen: Sequence[Workout], expected: Sequence[Workout]) -> bool:
    """Whether ``seen`` can be a moment on the way to ``expected``: the same exercises in the same
    order and the same sets (weight, reps, unit) in the same order, with maybe some still to come.
    Marks are not compared: a set may be logged first and marked afterwards (shift+Tab, t)."""
    if len(seen) > len(expected):
        return False
    for got, want in zip(seen, expected):
        if (got.finished and not want.finished) or len(got.entries) > len(want.entries):
            return False
        for (name, sets), (want_name, want_sets) in zip(got.entries, want.entries):
            if name != want_name or len(sets) > len(want_sets):
                return False
            if any((a.weight, a.reps, a.unit) != (b.weight, b.reps, b.unit) for a, b in zip(sets, want_sets)):
                return False
    return True


# -- the app in tmux, and its database -------------------------------------------------------------
class Lifter:
    """The lifter at the terminal: launches ``overload`` in tmux, types bursts, and reads the
    screen and the database (through the app's services) until they show what is expected."""

    def __init__(self, tmux: Tmux, services, user_id: int, backend: str) -> None:
        self.tmux = tmux
        self.services = services
        self.user_id = user_id
        self.backend = backend
        self.app_pid: int | None = None
        self.launched_at = 0.0

    # the app
    def launch(self) -> None:
        self.tmux.start("overload")
        self.launched_at = time.monotonic()

    def burst(self, *items: str) -> None:
        self.tmux.burst(*items)

    def stop(self) -> None:
        """Kill the tmux server (the app gets SIGHUP, as when a terminal closes) and wait until the
        app has ended; a process that will not end is killed (it was started here)."""
        pid = self.app_pid
        if pid is None:
            try:
                pid = self.tmux.pid()
            except (subprocess.CalledProcessError, ValueError, AttributeError):
                pid = None
        self.tmux.kill()
        if pid is None:
            return
        deadline = time.monotonic() + 10
        while not _process_gone(pid):
            if time.monotonic() > deadline:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return
            time.sleep(0.05)

    # the database
    def workouts(self) -> list[Workout]:
        """Every workout of the lifter, oldest first, with its exercises and sets in order."""
        ws = self.services.workouts(self.user_id)
        result = []
        for summary in reversed(ws.list_sessions(limit=100)):
            session = ws.get_session(summary.id)
            result.append(Workout(
                tuple((e.exercise.name, tuple(
                    Logged(round(s.weight, 3), s.reps, s.set_type, s.rpe, s.unit.value) for s in e.sets
                )) for e in session.entries),
                finished=session.finished_at is not None,
            ))
        return result

    # looking
    def look(self) -> str:
        """The screen now; fails at once when the app has ended or another screen is in front."""
        status = self.tmux.exit_status()
        if status is not None:
            self.fail(f"the app ended (exit status {status})")
        if self.app_pid is None:
            self.app_pid = self.tmux.pid()
        screen = self.tmux.screen()
        header = screen.split("\n", 1)[0].split("▏", 1)[0]
        if OTHER_SCREEN.search(header) or "Export your log" in screen:
            self.fail("another screen opened")
        return screen

    def fail(self, why: str, expected: str | None = None) -> None:
        try:
            rows = describe(self.workouts())
        except Exception as error:  # noqa: BLE001 - the message must still say what was seen
            rows = f"(could not read the database: {error})"
        want = f"\nexpected in the database:\n{expected}" if expected is not None else ""
        raise AssertionError(
            f"{why} [{self.backend}, {self.tmux.width}x{self.tmux.height}, "
            f"{time.monotonic() - self.launched_at:.1f} s after launch]{want}\n"
            f"the database holds:\n{rows}\nthe last screens:\n{self.tmux.last_frames(3)}"
        )

    def wait_screen(self, check: Callable[[str], object], what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.look()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                self.fail(f"waited {TIMEOUT:.0f} s in vain for {what}")
            time.sleep(0.05)

    def wait_dashboard(self) -> str:
        return self.wait_screen(LIVE_DASHBOARD.search, "the dashboard")

    def wait_db(self, expected: Sequence[Workout], what: str) -> None:
        """Read the database until it holds exactly ``expected``; fail at once when it holds what
        cannot lead there, or after ``TIMEOUT``."""
        expected = list(expected)
        deadline = time.monotonic() + TIMEOUT
        while True:
            self.look()
            seen = self.workouts()
            if seen == expected:
                return
            if not could_become(seen, expected):
                self.fail(f"{what}: the database holds what the keys typed cannot lead to", describe(expected))
            if time.monotonic() > deadline:
                self.fail(f"{what}: waited {TIMEOUT:.0f} s in vain for the database", describe(expected))
            time.sleep(POLL)

    def quit(self) -> None:
        """ctrl+q, and wait until the app has ended (it finishes every queued save first)."""
        self.look()
        self.burst(Key("C-q"))
        deadline = time.monotonic() + TIMEOUT
        while (status := self.tmux.exit_status()) is None:
            if time.monotonic() > deadline:
                state = _process_state(self.app_pid) if self.app_pid else "unknown"
                self.fail(f"ctrl+q: the app did not end within {TIMEOUT:.0f} s (its terminal "
                          f"{'closed' if self.tmux.pane_dead() else 'still open'}, process {self.app_pid}: {state})")
            time.sleep(0.05)
        if status != 0:
            self.fail(f"ctrl+q: the app ended with exit status {status}")


def _process_state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
    except OSError:
        return "gone"
    return f"{fields.get('State', '?').strip()}, parent {fields.get('PPid', '?').strip()}"


def _process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return True
    except OSError:
        return True


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(params=range(1, ROUNDS + 1), ids=lambda n: f"round{n}")
def burst_round(request) -> int:
    """OVERLOAD_BURST_ROUNDS=N runs every test N times, each time from scratch."""
    return request.param


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def size(request) -> tuple[int, int]:
    return request.param


@pytest.fixture
def lifter(database_url, size, burst_round, tmp_path):
    """A fresh database with the user ``lifter`` (made by ``overload user add``, the password on
    stdin) and this terminal's saved log-in (a token made with the services, in the data directory
    the app is given), and the app ready to be launched in its own tmux server."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {
        "OVERLOAD_DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]),
                                                   os.environ.get("PYTHONPATH")])),
        "TERM": "tmux-256color",
    }
    added = subprocess.run(
        [sys.executable, "-m", "overload_tui", "user", "add", USER, "--email", "l@x.io"],
        input=PASSWORD + "\n", text=True, capture_output=True, env={**os.environ, **env}, timeout=60,
    )
    assert added.returncode == 0, f"overload user add failed:\n{added.stdout}{added.stderr}"

    from overload_tui.services import Services

    services = Services.open(database_url, data_dir=data, upgrade=False)
    try:
        login = services.auth.login(USER, PASSWORD)
        services.tokens.save(login.token)
        backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
        tmux = Tmux(env, str(tmp_path), size, keep_dead_pane=True)
        person = Lifter(tmux, services, login.user.id, backend)
        try:
            yield person
        finally:
            person.stop()
    finally:
        services.close()


# -- the scenarios ---------------------------------------------------------------------------------
SQUAT = "Squat (Barbell)"
BENCH = "Bench Press (Barbell)"
SQUAT_3_SETS = workout((SQUAT, [Logged(20, 10, "warmup"), Logged(60, 5), Logged(60, 3)]))


def test_rows_mode_burst_from_the_dashboard(lifter):
    """n, an exercise, a set, shift+Tab and t (warm-up), Tab, two more sets: one burst."""
    lifter.launch()
    lifter.wait_dashboard()
    lifter.burst("n", "squat barbell", ENTER, "20x10", ENTER, BTAB, "t", TAB, "60x5", ENTER, "x3", ENTER)
    lifter.wait_db([SQUAT_3_SETS], "n, squat barbell, 20x10, shift+Tab t, Tab, 60x5, x3")


def test_grammar_burst_from_the_dashboard(lifter):
    """The same workout with the marks typed after the set: n squat barbell⏎20x10 w⏎60x5⏎x3⏎."""
    lifter.launch()
    lifter.wait_dashboard()
    lifter.burst("n", "squat barbell", ENTER, "20x10 w", ENTER, "60x5", ENTER, "x3", ENTER)
    lifter.wait_db([SQUAT_3_SETS], "n squat barbell⏎20x10 w⏎60x5⏎x3⏎")


def test_ctrl_f_exercise_and_set_in_one_burst(lifter):
    """In the open workout: ctrl+f, bench press⏎50x8⏎ in one burst adds Bench Press (Barbell)."""
    lifter.launch()
    lifter.wait_dashboard()
    lifter.burst("n", "squat barbell", ENTER, "20x10 w", ENTER, "60x5", ENTER, "x3", ENTER)
    lifter.wait_db([SQUAT_3_SETS], "the workout of the grammar burst")
    lifter.burst(CTRL_F, "bench press", ENTER, "50x8", ENTER)
    lifter.wait_db([workout(*SQUAT_3_SETS.entries, (BENCH, [Logged(50, 8)]))], "ctrl+f bench press⏎50x8⏎")


def twenty_sets() -> list[tuple[str, Logged]]:
    """20 different sets, as typed and as saved: 40.5 kg up by 0.5, reps 3..12 round, some marked."""
    marks = {1: " @8", 3: " w", 6: " @8", 9: " d", 11: " @8.5", 14: " w", 16: " f @9", 19: " @8"}
    sets = []
    for i in range(20):
        weight, reps, mark = 40.5 + 0.5 * i, 3 + i % 10, marks.get(i, "")
        set_type = {"w": "warmup", "d": "drop", "f": "failure"}.get(mark.split()[0] if mark.strip() else "")
        rpe = float(mark.split("@")[1]) if "@" in mark else None
        sets.append((f"{weight:g}x{reps}{mark}", Logged(weight, reps, set_type, rpe)))
    return sets


def test_twenty_sets_typed_ahead_in_one_burst(lifter):
    """n, the exercise and 20 sets, all typed ahead in one burst: the 20 sets in order."""
    sets = twenty_sets()
    lifter.launch()
    lifter.wait_dashboard()
    keys: list[str] = ["n", "squat barbell", ENTER]
    for typed, _ in sets:
        keys += [typed, ENTER]
    lifter.burst(*keys)
    lifter.wait_db([workout((SQUAT, [saved for _, saved in sets]))], "20 sets typed ahead")


@pytest.mark.parametrize("moment", ["at-launch", "first-frame"])
def test_burst_while_the_app_starts(lifter, moment):
    """n squat barbell⏎100x5⏎ typed while the app starts (right after launching it, or as soon as
    its first frame shows, before the dashboard): either exactly that workout, or nothing at all
    (the keys dropped), and never another screen (settings...) or a set somewhere else.

    Whether the keys were dropped or are still to act cannot be told by waiting. So once a real
    screen is up, F1 is typed: keys act in the order typed, so when its panel of keys shows, every
    key of the burst has acted; then ctrl+q, which ends the app once every queued save is done,
    and the database is final."""
    lifter.launch()
    if moment == "first-frame":
        early = lifter.wait_screen(lambda screen: screen.strip(), "the app's first frame")
        assert not LIVE_DASHBOARD.search(early), "the dashboard was the first frame: the burst is not early"
    lifter.burst("n", "squat barbell", ENTER, "100x5", ENTER)
    typed = [workout((SQUAT, [Logged(100, 5)]))]

    # A real screen up (with its header: not the terminal the keys were echoed on before the app
    # took it, nor the splash), then the probe.
    before = lifter.wait_screen(lambda s: HEADER_ICON in s.split("\n", 1)[0], "a screen after the splash")
    lifter.burst(F1)
    shown = lifter.wait_screen(lambda s: key_panel_column(s) not in (None, key_panel_column(before)),
                               "F1's panel of keys (typed after the burst: it shows once the burst has acted)")
    dashboard_in_front = "Empty workout" in shown
    lifter.quit()
    seen = lifter.workouts()
    if seen == typed:  # the keys acted, in order, on the screen they were typed at
        print(f"start-up burst ({moment}): acted")  # which of the two: pytest -rP shows it
        return
    if not seen and dashboard_in_front:  # dropped: nothing at all, and the dashboard still in front
        print(f"start-up burst ({moment}): dropped")
        return
    lifter.fail(f"a burst typed at start-up ({moment}): neither exactly that workout nor nothing at all"
                + ("" if seen else " (nothing saved, but the dashboard was not in front)"), describe(typed))
