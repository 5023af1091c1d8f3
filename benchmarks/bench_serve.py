"""``overload serve`` against ``overload`` run directly in a terminal (issue 19).

    python -m benchmarks.bench_serve                       # SQLite and PostgreSQL: ~3-5 min
    python -m benchmarks.bench_serve --backends sqlite --sessions 4 --sets 3 --starts 2   # a smoke run

For each database (a throwaway one; PostgreSQL's admin URL is ``OVERLOAD_BENCH_PG``), ``--sessions``
lifters are made, each with an SSH key and a saved log-in of their own for the direct runs.

* **ssh to dashboard**: from just before the SSH connection is opened (asyncssh client, key log-in,
  a pty session) to the dashboard on the client's screen ("this week"), one connection at a time,
  median of ``--starts``. Direct: from spawning ``overload`` in a new pty (the lifter's saved
  log-in and the glance its previous run left, as at a terminal every day) to the same text; and
  without the glance (the dashboard read from the database first, as a lifter's first SSH session does:
  later ones draw the glance their previous connection left).
* **memory per session**: with ``--sessions`` connected at once, each on its dashboard: the app
  processes' RSS and PSS (``/proc/PID/smaps_rollup``: shared pages split between the processes
  that share them), mean per session; the server's own RSS apart. Direct: the same number of
  ``overload`` processes, each in its own pty.
* **set latency**: the ``--sessions`` lifters, each in a workout with Squat (Barbell), all log
  ``--sets`` sets at once (each lifter sends the next set as soon as the last one shows): from the
  keys sent (ctrl+u, ``100x5``, Enter) to "Set N logged" on that lifter's screen; p50 and p95 over
  every set. Direct: the same with the apps in their own ptys.

The server runs as the ``overload serve`` command (its own process, its children the apps); the
SSH clients run in this process on one event loop, so the relay's cost is in the figures, and so
is the clients' (small: they only parse the screen).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.pty_bytes import PtyProgram, Screen, _child_env, _overload_argv
from benchmarks.run import throwaway_database
from overload_tui.services.ssh_keys import asyncssh_module

asyncssh = asyncssh_module()
REPO = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark-password"
COLS, ROWS = 100, 30
TIMEOUT = 120.0


@dataclass
class Figures:
    label: str
    start_s: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    pss_kb: list[int] = field(default_factory=list)
    set_s: list[float] = field(default_factory=list)
    server_rss_kb: int | None = None
    start_no_glance_s: list[float] = field(default_factory=list)


def _proc_kb(pid: int, name: str, file: str = "status") -> int:
    with open(f"/proc/{pid}/{file}") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise LookupError(name)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            found += [int(p) for p in fh.read().split()]
    return found


def _measure_memory(pids: list[int], figures: Figures) -> None:
    for pid in pids:
        figures.rss_kb.append(_proc_kb(pid, "VmRSS"))
        figures.pss_kb.append(_proc_kb(pid, "Pss", "smaps_rollup"))


# -- the world -------------------------------------------------------------------------------------
@dataclass
class Lifter:
    username: str
    user_id: int
    key: object
    data_dir: Path  # the direct runs' data directory, with the lifter's saved log-in


def make_lifters(url: str, work: Path, count: int) -> list[Lifter]:
    from overload_tui.services import Services
    from overload_tui.services.auth import TokenStore
    from overload_tui.services.ssh_keys import SshKeyService

    serve_dir = work / "serve"
    serve_dir.mkdir(mode=0o700)
    services = Services.open(url, data_dir=serve_dir, bcrypt_rounds=4)
    lifters = []
    try:
        for n in range(1, count + 1):
            name = f"lifter{n:02d}"
            user = services.auth.register(name, f"{name}@example.com", PASSWORD, name.title())
            key = asyncssh.generate_private_key("ssh-ed25519")
            SshKeyService(services.db, user.id).add(key.export_public_key().decode())
            direct = work / f"direct-{name}"
            direct.mkdir(mode=0o700)
            TokenStore.for_database(services.db, direct).save(services.auth.issue_token(user.id))
            # the direct app checks the token with the secret of its own data directory
            (direct / "secret.key").write_text((serve_dir / "secret.key").read_text())
            (direct / "secret.key").chmod(0o600)
            lifters.append(Lifter(name, user.id, key, direct))
    finally:
        services.close()
    return lifters


# -- over SSH -----------------------------------------------------------------------------------------
class Term(asyncssh.SSHClientSession):
    def __init__(self) -> None:
        self.screen = Screen(COLS, ROWS)
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype: object) -> None:
        self.screen.feed(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.changed.set()


class SshSession:
    def __init__(self, conn, chan, term: Term) -> None:
        self.conn, self.chan, self.term = conn, chan, term

    @classmethod
    async def open(cls, port: int, key) -> SshSession:
        conn = await asyncssh.connect("127.0.0.1", port, username="bench", client_keys=[key], known_hosts=None,
                                      agent_path=None)
        chan, term = await conn.create_session(Term, term_type="xterm-256color", term_size=(COLS, ROWS),
                                               encoding=None)
        return cls(conn, chan, term)

    async def wait_until(self, check, what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not check(self.term.screen.text()):
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"waited in vain for {what}:\n{self.term.screen.text()}")
            self.term.changed.clear()
            try:
                await asyncio.wait_for(self.term.changed.wait(), min(left, 1.0))
            except asyncio.TimeoutError:
                pass

    def send(self, text: str) -> None:
        self.chan.write(text.encode())

    async def close(self) -> None:
        self.send("\x11")
        try:
            await asyncio.wait_for(self.chan.wait_closed(), 30)
        except asyncio.TimeoutError:
            pass
        self.conn.close()


async def _open_workout(s) -> None:
    """From the dashboard: a new workout with Squat (Barbell), its set box ready."""
    s.send("n")
    await s.wait_until(lambda t: "Add an exercise" in t or "No exercises yet" in t, "a new workout")
    s.send("squat")
    await s.wait_until(lambda t: "found" in t or "squat" in t, "squat typed")
    s.send("\r")
    await s.wait_until(lambda t: "Squat (Barbell)" in t and "Set 1" in t, "Squat added")


class Server:
    def __init__(self, url: str, data_dir: Path, sessions: int) -> None:
        env = {**os.environ, "OVERLOAD_DATA_DIR": str(data_dir)}
        env.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "overload_tui", "--database", url, "serve", "--host", "127.0.0.1", "--port", "0",
             "--max-sessions", str(sessions + 2), "--max-sessions-per-user", "3"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
            cwd=REPO,
        )
        self.lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            for line in self.proc.stderr:
                self.lines.append(line)
                if "listening on" in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(TIMEOUT):
            self.stop()
            raise RuntimeError(f"the server did not start: {''.join(self.lines)}")
        self.port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", "".join(self.lines)).group(1))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)


async def bench_ssh(url: str, work: Path, lifters: list[Lifter], sets: int, starts: int) -> Figures:
    figures = Figures("overload serve (ssh)")
    server = Server(url, work / "serve", len(lifters))
    try:
        for _ in range(starts):  # one at a time
            began = time.monotonic()
            s = await SshSession.open(server.port, lifters[0].key)
            await s.wait_until(lambda t: "this week" in t, "the dashboard")
            figures.start_s.append(time.monotonic() - began)
            await s.close()
        sessions = [await SshSession.open(server.port, lifter.key) for lifter in lifters]
        await asyncio.gather(*(s.wait_until(lambda t: "this week" in t, "the dashboard") for s in sessions))
        _measure_memory(_children(server.proc.pid), figures)
        figures.server_rss_kb = _proc_kb(server.proc.pid, "VmRSS")
        for s in sessions:
            await _open_workout(s)

        async def log(s: SshSession) -> None:
            for n in range(1, sets + 1):
                sent = time.monotonic()
                s.send("\x15100x5\r")
                await s.wait_until(lambda t, n=n: f"Set {n} logged" in t, f"set {n}")
                figures.set_s.append(time.monotonic() - sent)

        await asyncio.gather(*(log(s) for s in sessions))
        for s in sessions:
            await s.close()
    finally:
        server.stop()
    return figures


# -- directly in a terminal ----------------------------------------------------------------------------
class DirectSession:
    def __init__(self, url: str, lifter: Lifter) -> None:
        env = _child_env({"DATABASE_URL": url, "OVERLOAD_DATA_DIR": str(lifter.data_dir)})
        env.update(COLUMNS=str(COLS), LINES=str(ROWS))
        self.term = PtyProgram(_overload_argv(), env, cols=COLS, rows=ROWS)

    def wait_until(self, check, what: str) -> None:
        self.term.wait_until(check, what, timeout=TIMEOUT)

    def send(self, text: str) -> None:
        self.term.send(text)

    def close(self) -> None:
        self.term.close()


def _open_workout_direct(s: DirectSession) -> None:
    s.send("n")
    s.wait_until(lambda t: "Add an exercise" in t or "No exercises yet" in t, "a new workout")
    s.send("squat")
    s.wait_until(lambda t: "found" in t or "squat" in t, "squat typed")
    s.send("\r")
    s.wait_until(lambda t: "Squat (Barbell)" in t and "Set 1" in t, "Squat added")


def bench_direct(url: str, lifters: list[Lifter], sets: int, starts: int) -> Figures:
    figures = Figures("overload in a terminal")
    first = DirectSession(url, lifters[0])  # leaves the glance, as yesterday's session would
    first.wait_until(lambda t: "this week" in t, "the dashboard")
    first.close()
    for _ in range(starts):
        began = time.monotonic()
        s = DirectSession(url, lifters[0])
        s.wait_until(lambda t: "this week" in t, "the dashboard")
        figures.start_s.append(time.monotonic() - began)
        s.close()
    for _ in range(starts):  # without the glance: what the SSH session has to do too
        for glance in lifters[0].data_dir.glob("glance-*"):
            glance.unlink()
        began = time.monotonic()
        s = DirectSession(url, lifters[0])
        s.wait_until(lambda t: "this week" in t, "the dashboard")
        figures.start_no_glance_s.append(time.monotonic() - began)
        s.close()
    sessions = [DirectSession(url, lifter) for lifter in lifters]
    for s in sessions:
        s.wait_until(lambda t: "this week" in t and "Hello" in t, "the dashboard")
    _measure_memory([s.term.proc.pid for s in sessions], figures)
    for s in sessions:
        _open_workout_direct(s)
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def log(s: DirectSession) -> None:
        barrier.wait()
        for n in range(1, sets + 1):
            sent = time.monotonic()
            s.send("\x15100x5\r")
            s.wait_until(lambda t, n=n: f"Set {n} logged" in t, f"set {n}")
            with lock:
                figures.set_s.append(time.monotonic() - sent)

    threads = [threading.Thread(target=log, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in sessions:
        s.close()
    return figures


# -- the table -------------------------------------------------------------------------------------
def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def render(backend: str, sessions: int, results: list[Figures]) -> str:
    rows = [f"\n{backend}: {sessions} lifters at once",
            f"{'':34} {'to dashboard':>13} {'RSS/session':>12} {'PSS/session':>12} {'set p50':>9} {'set p95':>9}"]
    for f in results:
        rows.append(
            f"{f.label:34} {statistics.median(f.start_s) * 1000:>10.0f} ms"
            f" {statistics.mean(f.rss_kb) / 1024:>9.1f} MB {statistics.mean(f.pss_kb) / 1024:>9.1f} MB"
            f" {_pct(f.set_s, 0.5) * 1000:>6.0f} ms {_pct(f.set_s, 0.95) * 1000:>6.0f} ms")
    for f in results:
        if f.start_no_glance_s:
            rows.append(f"{f.label + ', no glance':34} {statistics.median(f.start_no_glance_s) * 1000:>10.0f} ms"
                        "   (the dashboard read afresh, as a first SSH session does)")
    server = next((f.server_rss_kb for f in results if f.server_rss_kb), None)
    if server:
        rows.append(f"{'':34} (the server process itself: {server / 1024:.1f} MB RSS)")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--sets", type=int, default=10)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="overload-bench-serve-") as tmp:
            work = Path(tmp)
            with throwaway_database(backend, "serve", work) as url:
                lifters = make_lifters(url, work, args.sessions)
                ssh = asyncio.run(bench_ssh(url, work, lifters, args.sets, args.starts))
                direct = bench_direct(url, lifters, args.sets, args.starts)
                print(render(backend, args.sessions, [direct, ssh]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
