"""Kills in a real terminal: a set typed is never lost and never saved twice (issue 17).

The real ``overload`` command runs in a private tmux server at 80x24, on SQLite and on
PostgreSQL, and is killed the hard way: SIGKILL (nothing of the app runs after it), or SIGHUP (the
tmux server killed: its terminal closes under it). Then it is launched again and THE DATABASE is
read directly: it must hold exactly the sets typed, with the same values, in the order typed,
each exactly once.

How the database goes away for the one app process under test (``tests/e2e/outage.py``):
PostgreSQL through a TCP forwarder run by the test (cut: connections reset, new ones refused;
it can also hold one save half-way on the wire), SQLite by another connection holding the write
lock (the app's writes wait their busy timeout and fail, "database is locked").

* ``test_sets_typed_while_the_database_is_away_survive_a_kill``: one set saved, the database
  made unreachable, four sets typed (each line in one ``send-keys``) and shown waiting (…), the
  app killed, the database back, the app launched again: the four go in at the log-in, before
  the dashboard is read, exactly once, after the first.
* ``test_a_set_killed_in_flight_is_saved_exactly_once``: the database up the whole time, the
  app killed in the middle of saving a set: its INSERT sent but not committed (PostgreSQL: held
  on the wire; SQLite: waiting for a lock), its COMMIT done but the answer not back
  (PostgreSQL), or the moment the set is in the journal (SQLite: before or after the commit,
  whichever comes). Launched again: the set is there, once.
* ``test_resume_is_offered_after_each_kill``: kill after kill on one database, at a different
  moment each round (a workout's logging screen up, empty; the moment its row is committed, its
  screen still opening; a set saved; a set in flight; SIGHUP every fifth round, else SIGKILL):
  each relaunch offers ▶ Resume of the workout killed, with its sets counted.

Nothing waits a fixed time: the screen (``capture-pane``), the journal file and the database are
polled until they show what is expected, at most ``TIMEOUT`` (60 s: SQLite's busy timeout is 10
s per failed write). Run::

    pytest -m tmux tests/e2e/test_kills.py            # 1 round of each kill, 4 Resume rounds (CI)
    OVERLOAD_KILL_ROUNDS=20 OVERLOAD_RESUME_ROUNDS=20 pytest tests/e2e/test_kills.py -n 4
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.outage import SqliteLock, TcpProxy
from tests.e2e.tmux import ENTER, PASSWORD, Key, Tmux, wait_process_gone


def _rounds(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default)).strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise pytest.UsageError(f"{name} must be a whole number from 1 up, not {raw!r}")
    return int(raw)


KILL_ROUNDS = _rounds("OVERLOAD_KILL_ROUNDS", 1)
RESUME_ROUNDS = _rounds("OVERLOAD_RESUME_ROUNDS", 4)
TIMEOUT = 60.0
USER = "lifter"
SQUAT = "Squat (Barbell)"
WAITING_ROW = re.compile(r"\b\d+[A-Z]*…")  # a set's number marked waiting for the database, in the table

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

Set = tuple[float, int, str | None, float | None]  # weight (kg), reps, set type, RPE


def text(sets: list[Set]) -> str:
    return ", ".join(f"{w:g}x{r}" + (f" {t}" if t else "") + (f" @{e:g}" if e is not None else "")
                     for w, r, t, e in sets) or "no sets"


class Rig:
    """The lifter's terminal (the app in tmux, launched again after each kill), the database
    read directly, the journal file, and the switch that makes the database unreachable."""

    def __init__(self, backend: str, env: dict[str, str], cwd: Path, services, user_id: int,
                 outage: TcpProxy | SqliteLock) -> None:
        self.backend = backend
        self.env = env
        self.cwd = cwd
        self.services = services
        self.user_id = user_id
        self.outage = outage
        self.tmux: Tmux | None = None
        self.launches = 0
        self.journal_dir = Path(env["OVERLOAD_DATA_DIR"]) / "journal"

    # -- the app -------------------------------------------------------------------------------
    def launch(self) -> None:
        self.tmux = Tmux(self.env, str(self.cwd), (80, 24), keep_dead_pane=True)
        self.launches += 1
        self.tmux.start(f"overload{self.launches}")
        self.pid = self.tmux.pid()

    def burst(self, *items: str) -> None:
        assert self.tmux is not None
        self.tmux.burst(*items)

    def look(self) -> str:
        assert self.tmux is not None
        status = self.tmux.exit_status()
        if status is not None:
            self.fail(f"the app ended (exit status {status})")
        return self.tmux.screen()

    def wait_screen(self, check: Callable[[str], object], what: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.look()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                self.fail(f"waited {timeout:.0f} s in vain for {what}")
            time.sleep(0.05)

    def shows(self, text_: str, within: float) -> bool:
        """Whether ``text_`` shows on the screen within ``within`` seconds."""
        try:
            self.wait_screen(lambda screen: text_ in screen, repr(text_), timeout=within)
        except AssertionError:
            return False
        return True

    def wait_for(self, text_: str) -> str:
        return self.wait_screen(lambda screen: text_ in screen, repr(text_))

    def log_in(self) -> None:
        assert self.tmux is not None
        self.tmux.log_in(USER)

    def kill(self, how: str) -> None:
        """End the app: ``"SIGKILL"`` (kill -9) or ``"SIGHUP"`` (its tmux server killed, the
        terminal closing under it: the app finishes its queued calls and ends); wait until the
        process is gone."""
        assert self.tmux is not None
        pid = self.pid
        if how == "SIGKILL":
            os.kill(pid, signal.SIGKILL)
            wait_process_gone(pid)
            self.tmux.kill()
        else:
            self.tmux.kill()  # the server goes, and with it the app's terminal: SIGHUP
            wait_process_gone(pid, timeout=150)  # the app's own deadline after a hang-up is 120 s
        self.tmux = None

    def quit(self) -> None:
        """ctrl+q, and wait until the app has ended by itself, with status 0."""
        assert self.tmux is not None
        self.burst(Key("C-q"))
        deadline = time.monotonic() + TIMEOUT
        while (status := self.tmux.exit_status()) is None:
            if time.monotonic() > deadline:
                self.fail("ctrl+q: the app did not end")
            time.sleep(0.05)
        if status != 0:
            self.fail(f"ctrl+q: the app ended with exit status {status}")
        self.tmux.kill()
        self.tmux = None

    def stop(self) -> None:
        """Clean-up: whatever is still running goes (it was started here)."""
        if self.tmux is not None:
            pid = self.pid
            self.tmux.kill()
            try:
                wait_process_gone(pid, timeout=10)
            except AssertionError:
                os.kill(pid, signal.SIGKILL)

    # -- what is stored ----------------------------------------------------------------------
    def workouts(self) -> list[tuple[bool, list[tuple[str, list[Set]]]]]:
        """Every workout of the lifter, oldest first: (finished, [(exercise, sets in order)])."""
        ws = self.services.workouts(self.user_id)
        result = []
        for summary in reversed(ws.list_sessions(limit=200)):
            session = ws.get_session(summary.id)
            result.append((session.finished_at is not None, [
                (e.exercise.name, [(round(s.weight, 3), s.reps, s.set_type, s.rpe) for s in e.sets])
                for e in session.entries]))
        return result

    def sets(self) -> list[Set]:
        """The sets of the lifter's one workout, in order (it must have exactly one, of Squat)."""
        workouts = self.workouts()
        if not workouts:
            return []
        if len(workouts) != 1 or len(workouts[0][1]) != 1 or workouts[0][1][0][0] != SQUAT:
            self.fail(f"the database holds something else than one workout of {SQUAT}: {workouts}")
        return workouts[0][1][0][1]

    def session_count(self) -> int:
        """How many workouts the lifter has, straight from the table."""
        from sqlalchemy import text as sql

        with self.services.db.engine.connect() as conn:
            return conn.execute(sql("SELECT count(*) FROM sessions WHERE user_id = :u"), {"u": self.user_id}).scalar_one()

    def latest_sets(self) -> list[Set]:
        """The sets of the lifter's latest workout (all its exercises), in order."""
        workouts = self.workouts()
        return [s for _, sets in workouts[-1][1] for s in sets] if workouts else []

    def client_ids(self) -> list[str | None]:
        """The client ids of every set of the lifter, straight from the table."""
        from sqlalchemy import text as sql

        with self.services.db.engine.connect() as conn:
            return list(conn.execute(sql(
                "SELECT s.client_id FROM sets s JOIN exercise_sessions e ON e.id = s.exercise_session_id "
                "JOIN sessions w ON w.id = e.session_id WHERE w.user_id = :u"), {"u": self.user_id}).scalars())

    def wait_sets(self, expected: list[Set], what: str) -> None:
        """Read the database until the workout holds exactly ``expected``; fail at once when it
        holds what cannot lead there (a set twice, one never typed, one out of order)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            if self.tmux is not None:
                self.look()
            seen = self.sets()
            if seen == expected:
                return
            if seen != expected[:len(seen)]:
                self.fail(f"{what}: the database holds {text(seen)}, which never leads to {text(expected)}")
            if time.monotonic() > deadline:
                self.fail(f"{what}: waited {TIMEOUT:.0f} s in vain for {text(expected)}; the database holds {text(seen)}")
            time.sleep(0.1)

    def journaled(self) -> list[Set]:
        """The sets the journal file(s) hold as waiting, in order."""
        from overload_tui.services.journal import Journal

        found = []
        for path in sorted(self.journal_dir.glob("*.jsonl")) if self.journal_dir.is_dir() else ():
            found += [(item.values.weight, item.values.reps, item.values.set_type, item.values.rpe)
                      for item in Journal(path).waiting()]
        return found

    def journal_adds(self) -> int:
        """How many ``add`` lines the journal file(s) hold (written, whatever happened next)."""
        count = 0
        for path in self.journal_dir.glob("*.jsonl") if self.journal_dir.is_dir() else ():
            try:
                count += path.read_bytes().count(b'"op":"add"')
            except FileNotFoundError:  # compacted away meanwhile
                continue
        return count

    def fail(self, why: str) -> None:
        try:
            rows = self.workouts()
        except Exception as error:  # noqa: BLE001 - the message must still say what was seen
            rows = f"(could not read the database: {error})"
        try:
            journal = text(self.journaled())
        except Exception as error:  # noqa: BLE001
            journal = f"(could not read the journal: {error})"
        frames = self.tmux.last_frames(3) if self.tmux is not None else "(the app is not running)"
        raise AssertionError(f"{why} [{self.backend}, launch {self.launches}]\nthe database holds: {rows}\n"
                             f"the journal holds as waiting: {journal}\nthe last screens:\n{frames}")


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(params=range(1, KILL_ROUNDS + 1), ids=lambda n: f"round{n}")
def kill_round(request) -> int:
    return request.param


@pytest.fixture
def rig(database_url, tmp_path):
    """A fresh database with the user ``lifter`` (``overload user add``), the app pointed at it
    through the outage switch (PostgreSQL: the forwarder's port), read directly by the test."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    base = {
        "OVERLOAD_DATA_DIR": str(data),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]),
                                                   os.environ.get("PYTHONPATH")])),
        "TERM": "tmux-256color",
    }
    added = subprocess.run(
        [sys.executable, "-m", "overload_tui", "user", "add", USER, "--email", "l@x.io"],
        input=PASSWORD + "\n", text=True, capture_output=True, env={**os.environ, **base, "DATABASE_URL": database_url},
        timeout=60,
    )
    assert added.returncode == 0, f"overload user add failed:\n{added.stdout}{added.stderr}"

    from overload_tui.services import Services

    if database_url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        target = make_url(database_url)
        outage: TcpProxy | SqliteLock = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
        app_url, backend = outage.url(database_url), "postgresql"
    else:
        outage = SqliteLock(database_url.removeprefix("sqlite:///"))
        app_url, backend = database_url, "sqlite"
    services = Services.open(database_url, data_dir=data, upgrade=False)
    person = None
    try:
        user_id = next(u.id for u in services.auth.list_users() if u.username == USER)
        person = Rig(backend, {**base, "DATABASE_URL": app_url}, tmp_path, services, user_id, outage)
        yield person
    finally:
        if person is not None:
            person.stop()
        outage.close()
        services.close()


def start_squat(rig: Rig, first_set: str = "100x5") -> None:
    """Launch, log in, and from the dashboard: n, squat barbell⏎, the first set⏎ (one burst);
    wait until the database has it."""
    rig.launch()
    rig.log_in()
    rig.wait_for("0 workouts this week")
    rig.burst("n", "squat barbell", ENTER, first_set, ENTER)
    rig.wait_for("Set 2")


def relaunch_and_check(rig: Rig, expected: list[Set], workouts_this_week: int = 1) -> None:
    """Launch again (the saved log-in: no password), and: the database comes to hold exactly
    ``expected`` (the journal's sets go in at the log-in, before the dashboard is read), the
    dashboard offers ▶ Resume with them counted, r opens the workout with nothing waiting, and
    ctrl+q ends the app cleanly; then the database still holds exactly ``expected`` and the
    journal nothing."""
    rig.launch()
    n = len(expected)
    count = f"{workouts_this_week} workout{'s' if workouts_this_week != 1 else ''} this week"
    # The glance (the dashboard as the killed run last showed it) comes first: the live one has
    # this week's count with the killed workout in it, and is read after the journal is sent.
    screen = rig.wait_screen(lambda s: count in s, f"the live dashboard ({count})")
    resume = f"▶ Resume today's workout · {n} set{'s' if n != 1 else ''}"
    if resume not in screen:  # drawn with the count: a screen read half-way through its drawing at most
        rig.wait_screen(lambda s: resume in s, f"the live dashboard to offer {resume!r}", timeout=5)
    rig.wait_sets(expected, "after the relaunch")
    rig.burst("r")
    rig.wait_screen(lambda s: re.search(rf"Set {n + 1}\b", s) and not WAITING_ROW.search(s),
                    f"the workout resumed, set {n + 1} next and nothing waiting")
    rig.quit()
    got = rig.sets()
    if got != expected:
        rig.fail(f"after ctrl+q the database holds {text(got)}, not {text(expected)}")
    if rig.journaled():
        rig.fail("the journal still holds sets as waiting")
    ids = rig.client_ids()
    if None in ids or len(ids) != len(set(ids)):
        rig.fail(f"every set saved by the app has a client id of its own, not so: {ids}")


# -- the tests -------------------------------------------------------------------------------------
AWAY = [("102.5x5", (102.5, 5, None, None)), ("x4", (102.5, 4, None, None)),
        ("105x3 @9", (105.0, 3, None, 9.0)), ("60x8 w", (60.0, 8, "warmup", None))]


@pytest.mark.parametrize("how", ["SIGKILL", "SIGHUP"])
def test_sets_typed_while_the_database_is_away_survive_a_kill(rig, how, kill_round):
    first: Set = (100.0, 5, None, None)
    start_squat(rig)
    rig.wait_sets([first], "the first set, the database up")

    rig.outage.cut()
    for line, _ in AWAY:
        rig.burst(line, ENTER)  # a whole line and its Enter in one send-keys
    rig.wait_screen(lambda s: len(WAITING_ROW.findall(s)) == len(AWAY), f"the {len(AWAY)} sets shown waiting (…)")
    typed = [saved for _, saved in AWAY]
    if rig.journaled() != typed:  # on disk before shown waiting
        rig.fail(f"the journal holds {text(rig.journaled())} as waiting, not {text(typed)}")

    rig.kill(how)
    if rig.sets() != [first]:
        rig.fail("the database changed while it could not be reached")
    rig.outage.restore()
    relaunch_and_check(rig, [first, *typed])


MOMENTS = [
    pytest.param("postgresql", "insert", marks=pytest.mark.postgres, id="postgresql-insert-sent-not-committed"),
    pytest.param("postgresql", "commit-answer", marks=pytest.mark.postgres, id="postgresql-committed-answer-lost"),
    pytest.param("sqlite", "locked", id="sqlite-insert-waiting-for-the-lock"),
    pytest.param("sqlite", "journaled", id="sqlite-killed-once-journaled"),
]


@pytest.mark.parametrize(("database_url", "moment"), MOMENTS, indirect=["database_url"])
def test_a_set_killed_in_flight_is_saved_exactly_once(rig, moment, kill_round):
    first: Set = (100.0, 5, None, None)
    second: Set = (102.5, 5, None, None)
    start_squat(rig)
    rig.wait_sets([first], "the first set")
    adds = rig.journal_adds()

    if moment in ("insert", "commit-answer"):
        rig.outage.hold(moment)
    elif moment == "locked":
        rig.outage.cut()
    rig.burst("102.5x5", ENTER)
    if moment in ("insert", "commit-answer"):
        if not rig.outage.held.wait(TIMEOUT):
            rig.fail(f"the save of 102.5x5 never reached the {moment} moment")
    else:
        deadline = time.monotonic() + TIMEOUT
        while rig.journal_adds() == adds:  # polled tightly: the kill lands as soon as it is on disk
            if time.monotonic() > deadline:
                rig.fail("102.5x5 never reached the journal")
            time.sleep(0.001)
    rig.kill("SIGKILL")

    if moment == "insert":
        rig.outage.cut()  # the held INSERT never reaches the server
        if rig.sets() != [first]:
            rig.fail("a set whose INSERT was held back is in the database")
    elif moment == "commit-answer":
        rig.outage.release()
        rig.wait_sets([first, second], "the COMMIT sent before the kill")  # saved, the app never knew
    rig.outage.restore()
    relaunch_and_check(rig, [first, second])


MOMENTS_OF_A_ROUND = ("its logging screen up, empty", "as soon as it is committed (its screen opening)",
                      "a set saved", "a set in flight (killed the moment it is in the journal)")


def test_resume_is_offered_after_each_kill(rig):
    """RESUME_ROUNDS kill rounds on one database. Each launch (the saved log-in after the first)
    must show the live dashboard offering ▶ Resume of the workout killed last, with its sets
    counted; then workout k is started with n and killed at round k's moment (in turn, see
    MOMENTS_OF_A_ROUND): its logging screen up, empty; the moment its row is committed (while
    its screen opens); a set saved; a set in flight. SIGHUP every fifth round, SIGKILL
    otherwise."""
    killed_sets: int | None = None
    history: list[str] = []
    for k in range(1, RESUME_ROUNDS + 2):
        rig.launch()
        if k == 1:
            rig.log_in()
        week = k - 1
        count = f"{week} workout{'s' if week != 1 else ''} this week"
        # The glance (as the killed run last showed the dashboard) comes first, with one workout
        # fewer this week: the count tells the live dashboard.
        screen = rig.wait_screen(lambda s: count in s, f"round {k}: the live dashboard ({count})")
        if killed_sets is not None:
            n = killed_sets
            resume = f"▶ Resume today's workout · {n} set{'s' if n != 1 else ''}"
            if resume not in screen and not rig.shows(resume, within=5):  # drawn with the count
                rig.fail(f"round {k}: the live dashboard does not offer {resume!r} after the kill of round "
                         f"{k - 1} (the rounds: {'; '.join(history)})")
        if k == RESUME_ROUNDS + 1:
            rig.quit()
            break
        moment, how = (k - 1) % len(MOMENTS_OF_A_ROUND), "SIGHUP" if k % 5 == 0 else "SIGKILL"
        history.append(f"{k}: {MOMENTS_OF_A_ROUND[moment]}, {how}")
        if moment == 0:
            rig.burst("n")
            rig.wait_for("No exercises yet")
            killed_sets = 0
        elif moment == 1:  # the kill lands the moment the workout's row is committed
            rig.burst("n")
            deadline = time.monotonic() + TIMEOUT
            while rig.session_count() < k:
                if time.monotonic() > deadline:
                    rig.fail(f"round {k}: workout {k} never reached the database")
                time.sleep(0.002)
            killed_sets = 0
        else:
            rig.burst("n", "squat barbell", ENTER)
            rig.wait_for("Set 1")
            adds = rig.journal_adds()
            rig.burst("100x5", ENTER)
            deadline = time.monotonic() + TIMEOUT
            while not (rig.latest_sets() if moment == 2 else rig.journal_adds() > adds):
                if time.monotonic() > deadline:
                    rig.fail(f"round {k}: 100x5 never reached the {'database' if moment == 2 else 'journal'}")
                time.sleep(0.05 if moment == 2 else 0.001)
            killed_sets = 1
        if len(rig.workouts()) != k:  # a workout is committed before its logging screen shows
            rig.fail(f"round {k}: workout {k} is not in the database before the kill")
        rig.kill(how)
    print(f"resume after kills: {RESUME_ROUNDS} rounds on {rig.backend}, Resume offered each time")
