"""Each custom widget against Textual's stock one, on the paths the targets cover.

    python -m benchmarks.stock_widgets [--rounds 3] [--reps 6] [--sets 30] [--startup-reps 7]
                                       [--no-instructions] [--ireps 3] [--isets 6]
                                       [--variants custom,rows,...] [--json FILE]

The app replaced Textual widgets with its own for benchmark figures: ``RowView`` (``OptionRows``,
``TextRows``: the dashboard's lists, the history list, the workout's exercise list) for
``OptionList``; ``SetTable`` for ``DataTable``; ``KeysFooter`` for ``Footer``; and ``StyledOnce``
(a screen styled once as it appears) for Textual's own styling. A custom widget should stay only
where a target fails without it (a fifth, ``TitleHeader`` for ``Header``, failed that test on
2026-12-06 and was replaced by Textual's Header). This measures the same paths with
each custom widget and with the stock one swapped in (``benchmarks.stock_adapters``: one swap per
variant, every other widget left as it is; ``stock``: all four at once), on the same database
(``benchmarks.generate``, scale 1: one lifter, ten years), in the same way:

* **start-up** to the login form and to the dashboard as last shown (a saved log-in and its
  glance), each its first frame drawn, against the bare Textual app (the floor), as
  ``benchmarks.run`` does: a new process per start, interleaved, medians; the ratio of the
  medians to the floor's, target 1.3x. Also in instructions (valgrind callgrind, the whole
  process up to the first frame, as ``benchmarks.instructions``).
* **history**: the dashboard's ``h`` to the first page laid out and drawn (target p95 100 ms);
  **workout**: ``open_session`` of the 20-exercise workout to its sets and "last time" drawn,
  each after an untimed opening of another workout (p95 100 ms); **log a set**: Enter to the new
  row in the table and drawn (p95 30 ms), four sets an exercise round the workout. The same
  steps as ``benchmarks.probes`` (its helpers), in one process per variant per round, the
  variants' processes interleaved; wall and CPU time of the app process per step. Instructions
  of the same steps: the same probe under callgrind, counts zeroed before each step and dumped
  after it (a client request from a small C helper built with gcc on the spot).

Where the steps differ from ``benchmarks.probes``: a step ends when its condition holds *and the
app's loop has nothing ready to run* (checked after every loop iteration, not polled every half
millisecond: under valgrind a step lasts seconds, and polling would count). Timers that tick by
the clock are slowed in every variant alike (the rest timer's quarter-second reading, the
database health check), so a step that lasts longer under valgrind does not count more of them.
Each variant's layout is recorded (the region of every widget with an id on the dashboard, the
history and the workout) and compared with the custom one's: a swap that changed the layout
would not be doing equal work, and is reported.

Verdicts: a custom widget is *needed* (keep) if, with the stock one in its place, a target it
covers and the custom one meets is missed. On a loaded machine the wall time also counts waiting
for a core, so the judged figure is the app's own cost: the CPU p95 of the screen steps, the
instruction ratio for start-up; each with a cross-check (the custom widget's CPU p95 scaled by the
two variants' instruction ratio; the CPU ratio), and a miss by one estimate only is reported as
noise. ``benchmarks.run``'s wall-clock verdict is shown where it differs.

A screen step here runs from the key to the screen *settled* (its condition holds, the loop has
nothing ready, and the screen has nothing left to lay out, draw or call after its refresh), a
little later than ``benchmarks.probes`` stops its clock (at the first poll that sees the data):
deferred work, such as Textual's Footer rebuilding its keys after the next refresh, is counted.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCH-RESULT "
VARIANTS: dict[str, frozenset[str]] = {
    "custom": frozenset(),
    "rows": frozenset({"rows"}),
    "table": frozenset({"table"}),
    "footer": frozenset({"footer"}),
    "styled": frozenset({"styled"}),
    "stock": frozenset({"rows", "table", "footer", "styled"}),
}
# The custom widget each variant swaps, what stands in for it, and the paths it is on.
WIDGETS = {
    "rows": ("RowView (OptionRows/TextRows)", "OptionList", ("dashboard", "history", "session", "log_set")),
    "table": ("SetTable", "DataTable", ("session", "log_set")),
    "footer": ("KeysFooter", "Footer", ("login", "dashboard", "history", "session", "log_set")),
    "styled": ("StyledOnce", "(none: Textual's styling)", ("login", "dashboard", "history", "session", "log_set")),
    "stock": ("all four", "all four stock", ("login", "dashboard", "history", "session", "log_set")),
}
STARTUP_KINDS = ("login", "dashboard")
UI_KEYS = ("history", "session", "log_set")
PATH_NAMES = {
    "login": "start-up: login form",
    "dashboard": "start-up: dashboard (glance)",
    "history": "history: first page",
    "session": "workout of 20 exercises",
    "log_set": "log a set",
}
# Textual draws a screen at most MAX_FPS times a second, on a timer: under valgrind, fifty times
# slower, every refresh would get a frame of its own where the real app coalesces them. At this
# rate (the screen probes only; both variants, both clocks) a frame is drawn as soon as the screen
# has nothing else to do, whatever the speed: the same frames under valgrind as without it.
UI_FPS = 10000
TARGET_STARTUP_RATIO = 1.3
TARGETS_MS = {"history": 100.0, "session": 100.0, "log_set": 30.0}
MARKS_C = r"""
#include <valgrind/callgrind.h>
void bench_zero(void) { CALLGRIND_ZERO_STATS; }
void bench_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


# == in the probe process ========================================================================
class Marks:
    """Callgrind's counts zeroed before a step and dumped after it (``BENCH_MARKS``: the helper's
    path); without it (not under valgrind) nothing."""

    def __init__(self) -> None:
        path = os.environ.get("BENCH_MARKS")
        self._lib = None
        if path:
            import ctypes

            self._lib = ctypes.CDLL(path)
            self._lib.bench_dump.argtypes = [ctypes.c_char_p]

    def zero(self) -> None:
        if self._lib is not None:
            self._lib.bench_zero()

    def dump(self, label: str) -> None:
        if self._lib is not None:
            self._lib.bench_dump(label.encode())


class Waits:
    """Wait for a condition without polling: it is checked after each iteration of the app's
    loop that leaves nothing ready to run (the app idle, or waiting for its database thread); a
    job of the database thread wakes the loop as it finishes (its answer reaches the loop before
    the job counts as done)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.get_running_loop()
        self._cond: Any = None
        self._waiter: asyncio.Future | None = None
        self._watched: Any = None  # the database job whose end wakes the loop
        run_once = self.loop._run_once  # type: ignore[attr-defined]

        def hooked() -> None:
            run_once()
            waiter = self._waiter
            if waiter is None or waiter.done() or self.loop._ready:  # type: ignore[attr-defined]
                return
            try:
                holds = self._cond()
            except Exception:  # noqa: BLE001 - a screen half way through changing
                holds = False
            if holds:
                waiter.set_result(None)
                return
            job = getattr(self.app, "_last_future", None)
            if job is not None and job is not self._watched and not job.done():
                self._watched = job
                job.add_done_callback(lambda _: self.loop.call_soon_threadsafe(_nothing))

        self.loop._run_once = hooked  # type: ignore[attr-defined]

    async def until(self, cond: Any, what: str, timeout: float = 120.0) -> None:
        from benchmarks.probes import ProbeError

        waiter = self.loop.create_future()
        self._cond, self._waiter = cond, waiter

        def expired() -> None:
            if not waiter.done():
                waiter.set_exception(ProbeError(
                    f"timed out after {timeout:.0f} s waiting for {what} ({screen_state(self.app)})"))

        timer = self.loop.call_later(timeout, expired)
        self.loop.call_soon(_nothing)  # an iteration now: a condition that holds already is seen
        try:
            await waiter
        finally:
            timer.cancel()
            self._cond = self._waiter = None

    async def settled(self) -> None:
        from benchmarks.probes import service_idle

        for _ in range(3):
            await self.until(lambda: service_idle(self.app), "the database thread to go idle")
            await asyncio.sleep(0)


def _nothing() -> None:
    pass


def screen_quiet(app: Any) -> bool:
    """Whether the screen in front has nothing left to lay out, draw, recompose or call after its
    refresh (Textual's private flags: benchmark only). Textual's Footer, for one, rebuilds its
    keys in a callback after the next refresh: a step that stopped at the first frame would leave
    that out."""
    s = app.screen
    return not (s._callbacks or s._dirty_widgets or s._layout_required or s._repaint_required
                or s._recompose_required or s._scroll_required)


def screen_state(app: Any) -> str:
    s = app.screen
    return (f"{type(s).__name__}: callbacks {s._callbacks}, dirty {s._dirty_widgets}, layout "
            f"{s._layout_required}, repaint {s._repaint_required}, recompose {s._recompose_required}, "
            f"scroll {s._scroll_required}; view {getattr(getattr(s, 'view', None), 'context_known', '-')}, "
            f"updates {s.stack_updates}, sets {[t.row_count for t in s.query('#sets')]} of "
            f"{len(getattr(getattr(s, 'view', None), 'rows', ()) or ())}, region {[t.region for t in s.query('#sets')]}, "
            f"job done {getattr(getattr(app, '_last_future', None), 'done', lambda: '-')()}, "
            f"workers {[w for w in app.workers if not w.is_finished]}")[:1500]


def _layout(app: Any) -> dict[str, list[int]]:
    """Where each widget with an id is on the screen in front."""
    return {f"#{w.id}": list(w.region) for w in app.screen.walk_children() if w.id and w.display}


def _patch_clock_timers() -> None:
    """The timers that tick by the clock, slowed alike in every variant (see the docstring)."""
    import overload_tui.app as app_module
    from overload_tui.widgets.rest_timer import RestTimer

    app_module.PING_ONLINE_SECONDS = 3600.0
    RestTimer.__init__.__kwdefaults__["tick"] = 60.0


def probe_ui(args: dict) -> dict:
    from benchmarks import probes as P

    _patch_clock_timers()
    from overload_tui.app import OverloadApp

    marks = Marks()
    services = P._open_services(args)
    out: dict[str, Any] = {"layout": {}, "checks": {}}

    async def step(waits: Waits, label: str, start: Any, ready: Any, what: str,
                   twice: bool = True) -> tuple[float, float]:
        def done() -> bool:
            return ready() and screen_quiet(app)

        marks.zero()
        clock = P.Clock()
        await start()
        await waits.until(done, what)
        if twice:  # as benchmarks.probes.wait_for_screen
            await asyncio.sleep(0)
            await waits.until(done, what)
        P.draw(app)
        times = clock.stop()
        marks.dump(label)
        return times

    def screen_ready(name: str, extra: Any, since: Any) -> Any:
        def ready() -> bool:
            if P.screen_name(app) != name or not extra():
                return False
            if getattr(app, "_last_future", None) is since:
                return False
            return P.service_idle(app)

        return ready

    async def leave(waits: Waits) -> None:
        """benchmarks.probes.leave, then the left screen's garbage collected (the app does it
        COLLECT_DELAY after a screen closes) before the next step, in every variant."""
        from overload_tui.app import COLLECT_DELAY

        await P.leave(app)
        await asyncio.sleep(COLLECT_DELAY + 0.1)
        await waits.settled()
        await waits.until(lambda: screen_quiet(app), "the screen quiet")
        P.draw(app)

    async def history(waits: Waits, reps: int) -> list:
        times = []
        for n in range(reps):
            before = getattr(app, "_last_future", None)
            times.append(await step(
                waits, "history", lambda: P.send_key(app, "h", "h"),
                screen_ready("HistoryScreen", lambda: P.laid_out(app, "#history-list", lambda o: o.row_count > 0),
                             before), "the history's first page"))
            if n == 0:
                out["layout"]["history"] = _layout(app)
                out["checks"]["history_rows"] = app.screen.query_one("#history-list").row_count
            await leave(waits)
        return times

    async def show_workout(waits: Waits, session_id: int, label: str) -> tuple[float, float]:
        before = getattr(app, "_last_future", None)

        async def start() -> None:
            app.open_session(session_id)

        return await step(waits, label, start,
                          screen_ready("SessionScreen", lambda: P._workout_shown(app, {}), before),
                          "the workout drawn")

    async def workout(waits: Waits, reps: int) -> list:
        times = []
        for n in range(reps):
            await show_workout(waits, args["other_session_id"], "untimed")
            await leave(waits)
            times.append(await show_workout(waits, args["big_session_id"], "session"))
            if n == 0:
                out["layout"]["session"] = _layout(app)
            await leave(waits)
        return times

    async def log_sets(waits: Waits, count: int, per_exercise: int = 4) -> list:
        from textual.widgets import Input

        await show_workout(waits, args["log_session_id"], "untimed")
        await waits.settled()
        times, after = [], []
        for i in range(count):
            screen = app.screen
            if i and i % per_exercise == 0:  # the next exercise, round the workout again after the last
                entries = screen.query_one("#entries")
                entries.highlighted = ((entries.highlighted or 0) + 1) % entries.row_count
                await waits.settled()
                await P.settled(app)
            table = screen.query_one("#sets")
            box = screen.query_one("#set-input", Input)
            box.focus()
            box.value = f"{20 + i % 3 * 2.5:g}x{8 - i % 3}"
            await asyncio.sleep(0)
            rows, logged, planned = table.row_count, len(screen.view.rows), P.planned_rows(screen.view)
            # A set that fills a planned row replaces it: the table grows by one less per row filled.
            times.append(await step(
                waits, "log_set", lambda: P.send_key(app, "enter", "\r"),
                lambda: len(screen.view.rows) == logged + 1
                and table.row_count == rows + 1 - (planned - P.planned_rows(screen.view)),
                "the new set in the table", twice=False))
            # What the Enter causes after that (the record check, the rest timer...), counted apart.
            marks.zero()
            clock = P.Clock()
            await waits.settled()
            await waits.until(lambda: screen_quiet(app), "the screen quiet")
            P.draw(app)
            after.append(clock.stop())
            marks.dump("log_set_after")
        out["checks"]["rows_mode_after_logging"] = bool(app.screen.query_one("#sets").has_class("-rows"))
        logged = services.workouts(args["user_id"]).get_session(args["log_session_id"]).set_count
        if logged != count:
            raise P.ProbeError(f"the table showed {count} sets but the database holds {logged}")
        out["log_set_after"] = P._percentiles(after)
        return times

    app = OverloadApp(services)

    async def main() -> None:
        async with app.run_test(size=P.SIZE):
            await P.wait_for_screen(app, "DashboardScreen", lambda: getattr(app.screen, "data", True) is not None)
            await P.at_rest(app)
            out["layout"]["dashboard"] = _layout(app)
            waits = Waits(app)
            for key, run in (("history", lambda: history(waits, args["reps"])),
                             ("session", lambda: workout(waits, args["reps"])),
                             ("log_set", lambda: log_sets(waits, args["sets"]))):
                try:
                    out[key] = P._percentiles(await run())
                except Exception as error:  # noqa: BLE001 - one part failing must not hide the others
                    out[key] = {"error": f"{type(error).__name__}: {error}"[:300]}
                    while len(app.screen_stack) > 2:
                        app.pop_screen()
                    await P.settled(app)

    try:
        asyncio.run(main())
    finally:
        services.close()
    return out


def probe_main(argv: list[str]) -> int:
    """``--probe KIND VARIANT JSON``: the variant's swaps installed before anything imports the
    app, then one of ``benchmarks.probes``' start-up probes (bare, login, dashboard) or ``ui``."""
    kind, variant, args = argv[0], argv[1], json.loads(argv[2]) if len(argv) > 2 else {}
    from benchmarks import stock_adapters

    stock_adapters.install(VARIANTS[variant])
    from benchmarks import probes

    if kind == "ui":
        probes.PROBES["ui"] = probe_ui
    return probes.main([kind, json.dumps(args)])


# == in the parent ===============================================================================
def _median(values: list[float]) -> float:
    from statistics import median

    return median(values)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * 95 // 100)))
    return ordered[rank - 1]


def run_probe(kind: str, variant: str, args: dict, env: dict[str, str], timeout: float = 600.0,
              valgrind: list[str] | None = None) -> tuple[dict, str]:
    """One probe process; (its result, valgrind's stderr)."""
    import subprocess

    from benchmarks.run import REPO

    command = [sys.executable, "-m", "benchmarks.stock_widgets", "--probe", kind, variant, json.dumps(args)]
    child_env = {**os.environ, **env, "BENCH_T0": repr(time.time())}
    proc = subprocess.run([*(valgrind or []), *command], cwd=REPO, env=child_env, capture_output=True,
                          text=True, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line[len(RESULT_PREFIX):])
            if not data.pop("ok", False):
                raise RuntimeError(f"{kind}/{variant}: {data.get('reason')}")
            return data, proc.stderr
    raise RuntimeError(f"{kind}/{variant} exited {proc.returncode}: {proc.stderr.strip()[-600:]}")


def build_marks(workdir: Path) -> Path | None:
    """The callgrind client-request helper, compiled here (None without gcc or valgrind's header)."""
    import shutil
    import subprocess

    if shutil.which("gcc") is None or not Path("/usr/include/valgrind/callgrind.h").exists():
        return None
    source, library = workdir / "marks.c", workdir / "marks.so"
    source.write_text(MARKS_C)
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def callgrind_dumps(prefix: Path) -> dict[str, list[int]]:
    """label -> instructions of each dump callgrind wrote at ``prefix``.N, in order."""
    import re

    found: dict[int, tuple[str, int]] = {}
    for path in prefix.parent.glob(prefix.name + ".*"):
        number = path.name.rsplit(".", 1)[1]
        if not number.isdigit():
            continue
        text = path.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        summary = re.search(r"^summary: (\d+)", text, re.M)
        if label and summary:
            found[int(number)] = (label.group(1).strip(), int(summary.group(1)))
        path.unlink()
    out: dict[str, list[int]] = {}
    for _, (label, count) in sorted(found.items()):
        out.setdefault(label, []).append(count)
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    import shutil
    import tempfile

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--probe":
        return probe_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stock_widgets",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="UI processes per variant, interleaved (default 3)")
    parser.add_argument("--reps", type=int, default=6, help="history and workout openings per process (default 6)")
    parser.add_argument("--sets", type=int, default=30, help="sets logged per process (default 30)")
    parser.add_argument("--startup-reps", type=int, default=7, help="starts per kind and variant (default 7)")
    parser.add_argument("--no-instructions", action="store_true", help="skip valgrind (instruction counts)")
    parser.add_argument("--ireps", type=int, default=3, help="openings per step under valgrind (default 3)")
    parser.add_argument("--isets", type=int, default=6, help="sets logged under valgrind (default 6)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, of: " + ",".join(VARIANTS))
    parser.add_argument("--scale", type=float, default=1.0, help="data scale (default 1: one lifter, ten years)")
    parser.add_argument("--fps", type=int, default=UI_FPS,
                        help=f"TEXTUAL_FPS for the screen probes (default {UI_FPS}: a frame as soon as the screen is idle)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    if "custom" not in variants:
        variants.insert(0, "custom")
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {sorted(unknown)}")
    use_valgrind = not args.no_instructions and shutil.which("valgrind") is not None

    from benchmarks import generate as gen
    from benchmarks.measure import find_subjects
    from benchmarks.run import SECRET, compile_app, open_services, throwaway_database

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    compile_app()
    results: dict[str, Any] = {"variants": variants, "startup": {}, "startup_cpu": {}, "startup_ir": {},
                               "ui": {v: {k: [] for k in UI_KEYS} for v in variants},
                               "ui_after": {v: [] for v in variants}, "ui_ir": {}, "layout": {}, "checks": {},
                               "settings": vars(args) | {"json": str(args.json)}}
    load_before = os.getloadavg()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="overload-stock-") as tmp, \
            throwaway_database("sqlite", "stock", Path(tmp)) as url:
        work = Path(tmp)
        data_dir, fresh_dir = work / "data", work / "fresh"
        for d in (data_dir, fresh_dir):
            d.mkdir(mode=0o700)
        users, sessions = gen.scale_shape(args.scale)
        log(f"generating scale {args.scale:g}: {users} user(s) x {sessions} sessions ...")
        report = gen.generate(url, users=users, sessions=sessions)
        log(report.summary())
        env = {"OVERLOAD_SECRET_KEY": SECRET, "OVERLOAD_DATA_DIR": str(data_dir)}
        ui_env = {**env, "TEXTUAL_FPS": str(args.fps)}
        login_env = {**env, "OVERLOAD_DATA_DIR": str(fresh_dir)}
        services = open_services(url, data_dir)
        user_id = report.user_ids[0]
        try:
            subj = find_subjects(services, user_id)
            services.tokens.save(services.auth.issue_token(user_id))
        finally:
            services.close()
        base = {"url": url, "data_dir": str(data_dir)}
        kinds = {"bare": ({}, env), "login": ({"url": url, "data_dir": str(fresh_dir)}, login_env),
                 "dashboard": (base, env)}
        # A lifter's previous session leaves the dashboard's glance (the same for every variant).
        run_probe("dashboard", "custom", base, env)
        if not any(data_dir.glob("glance-*")):
            raise SystemExit("the first start left no glance")

        startup_variants = {"bare": ["custom"], **{
            kind: [v for v in variants if v == "custom" or kind in WIDGETS[v][2]] for kind in STARTUP_KINDS}}
        runs = [(k, v) for k in ("bare", *STARTUP_KINDS) for v in startup_variants[k]]
        log(f"start-up: {len(runs)} kinds x {args.startup_reps}, interleaved ...")
        for name in (f"{k}/{v}" for k, v in runs):
            results["startup"][name], results["startup_cpu"][name] = [], []
        for _ in range(args.startup_reps):
            for kind, variant in runs:
                probe_args, kind_env = kinds[kind]
                data, _ = run_probe(kind, variant, {**probe_args, "first_frame_only": True}, kind_env)
                results["startup"][f"{kind}/{variant}"].append(data["seconds"])
                results["startup_cpu"][f"{kind}/{variant}"].append(data["cpu"])

        ws_services = open_services(url, data_dir)
        try:
            ws = ws_services.workouts(user_id)

            def ui_args(reps: int, sets: int) -> dict:
                fresh = ws.start_session(template_id=subj.template_id)
                return {**base, "user_id": user_id, "big_session_id": subj.big_session_id,
                        "other_session_id": subj.small_session_id, "log_session_id": fresh.id,
                        "reps": reps, "sets": sets}

            log(f"screens: {len(variants)} variants x {args.rounds} rounds ({args.reps} openings, "
                f"{args.sets} sets each) ...")
            for n in range(args.rounds):
                for variant in variants:
                    probe_args = ui_args(args.reps, args.sets)
                    try:
                        data, _ = run_probe("ui", variant, probe_args, ui_env)
                    finally:
                        ws.delete_session(probe_args["log_session_id"])
                    for key in UI_KEYS:
                        if "error" in data[key]:
                            raise RuntimeError(f"ui/{variant}/{key}: {data[key]['error']}")
                        results["ui"][variant][key].extend(data[key]["samples_ms"])
                    results["ui_after"][variant].extend(data["log_set_after"]["samples_ms"])
                    if n == 0:
                        results["layout"][variant] = data["layout"]
                        results["checks"][variant] = data["checks"]
                log(f"  round {n + 1}/{args.rounds} done")

            if use_valgrind:
                marks = build_marks(work)
                log(f"instructions (valgrind callgrind): start-up {len(runs)} probes, screens {len(variants)} "
                    f"probes ({args.ireps} openings, {args.isets} sets) ...")
                import re

                for kind, variant in runs:
                    probe_args, kind_env = kinds[kind]
                    _, err = run_probe(kind, variant, {**probe_args, "first_frame_only": True},
                                       {**kind_env, "BENCH_TIMEOUT": "900"},
                                       timeout=1800, valgrind=["valgrind", "--tool=callgrind",
                                                               "--callgrind-out-file=/dev/null"])
                    found = re.search(r"Collected : (\d+)", err)
                    results["startup_ir"][f"{kind}/{variant}"] = int(found.group(1)) if found else None
                    log(f"  {kind}/{variant}: {results['startup_ir'][f'{kind}/{variant}']:,}")
                if marks is None:
                    log("  no gcc or valgrind/callgrind.h: no instruction counts for the screens")
                else:
                    for variant in variants:
                        prefix = work / f"cg-{variant}.out"
                        probe_args = ui_args(args.ireps, args.isets)
                        try:
                            run_probe("ui", variant, probe_args,
                                      {**ui_env, "BENCH_MARKS": str(marks), "BENCH_TIMEOUT": "900"}, timeout=7200,
                                      valgrind=["valgrind", "--tool=callgrind", f"--callgrind-out-file={prefix}",
                                                "--dump-line=no"])
                        finally:
                            ws.delete_session(probe_args["log_session_id"])
                        results["ui_ir"][variant] = dumps = callgrind_dumps(prefix)
                        expected = {"history": args.ireps, "session": args.ireps, "log_set": args.isets}
                        short = {k: len(dumps.get(k, [])) for k, n in expected.items() if len(dumps.get(k, [])) != n}
                        if short:
                            log(f"  ui/{variant}: dumps missing, found {short} of {expected}")
                        log(f"  ui/{variant}: " + ", ".join(
                            f"{k} {_median(v) / 1e6:,.1f}M" for k, v in results["ui_ir"][variant].items()
                            if k != "untimed"))
        finally:
            ws_services.close()
    load_after = os.getloadavg()
    results["machine"] = {"cores": os.cpu_count(), "load_before": load_before[0], "load_after": load_after[0],
                          "minutes": (time.time() - started) / 60}
    command = "python -m benchmarks.stock_widgets " + " ".join(argv)
    print(render(results, command.strip()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


# == the report ==================================================================================
MARGIN = 0.9  # within 10 % of a target (either side): marginal, a verdict the machine's day can flip


def _startup_figures(results: dict, kind: str, variant: str) -> dict | None:
    name, bare = f"{kind}/{variant}", "bare/custom"
    if not results["startup"].get(name) or not results["startup"].get(bare):
        return None
    wall, cpu = results["startup"][name], results["startup_cpu"][name]
    f = {"wall_ms": _median(wall) * 1000, "cpu_ms": _median(cpu) * 1000,
         "ratio": _median(wall) / _median(results["startup"][bare]),
         "cpu_ratio": _median(cpu) / _median(results["startup_cpu"][bare])}
    ir, bare_ir = results["startup_ir"].get(name), results["startup_ir"].get(bare)
    if ir and bare_ir:
        f |= {"ir": ir, "ir_ratio": ir / bare_ir}
    # The judged figure: instructions where counted (the same run after run), else CPU time.
    f["judged"] = f.get("ir_ratio", f["cpu_ratio"])
    f["limit"] = TARGET_STARTUP_RATIO
    f["meets_wall"] = f["ratio"] <= TARGET_STARTUP_RATIO
    return f


def _ui_figures(results: dict, key: str, variant: str) -> dict | None:
    samples = results["ui"].get(variant, {}).get(key)
    if not samples:
        return None
    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    f = {"p50": _median(wall), "p95": _p95(wall), "cpu": _median(cpu), "cpu_p95": _p95(cpu), "n": len(wall)}
    ir = results["ui_ir"].get(variant, {}).get(key)
    if ir:
        f |= {"ir": _median(ir), "ir_spread": (min(ir), max(ir))}
    f["judged"], f["limit"] = f["cpu_p95"], TARGETS_MS[key]
    f["meets_wall"] = f["p95"] <= TARGETS_MS[key]
    return f


def figures(results: dict, path: str, variant: str) -> dict | None:
    return _startup_figures(results, path, variant) if path in STARTUP_KINDS else _ui_figures(results, path, variant)


def meets(f: dict) -> bool:
    return f["judged"] <= f["limit"]


def marginal(f: dict) -> bool:
    return MARGIN * f["limit"] <= f["judged"] <= f["limit"] / MARGIN


def _text(path: str, f: dict | None) -> str:
    if f is None:
        return "-"
    if path in STARTUP_KINDS:
        ir = f"{f['ir_ratio']:.2f}x ins ({f['ir'] / 1e6:,.0f}M), " if "ir" in f else ""
        return f"{ir}cpu {f['cpu_ratio']:.2f}x, wall {f['ratio']:.2f}x"
    ir = f"{f['ir'] / 1e6:,.0f}M ins, " if "ir" in f else ""
    return f"{ir}cpu {f['cpu']:.1f} / {f['cpu_p95']:.1f}, wall {f['p50']:.0f} / {f['p95']:.0f}"


def _delta(custom: dict | None, stock: dict | None) -> str:
    if not custom or not stock:
        return "-"
    parts = []
    if "ir" in custom and "ir" in stock:
        parts.append(f"{(stock['ir'] - custom['ir']) / 1e6:+,.0f}M ins ({(stock['ir'] / custom['ir'] - 1) * 100:+.0f}%)")
    key = "cpu_ms" if "cpu_ms" in custom else "cpu"
    if custom.get(key):
        parts.append(f"cpu {(stock[key] / custom[key] - 1) * 100:+.0f}%")
    return ", ".join(parts)


def _target(path: str) -> str:
    return f"<= {TARGET_STARTUP_RATIO}x floor" if path in STARTUP_KINDS else f"p95 <= {TARGETS_MS[path]:g} ms"


def cross_check(custom: dict | None, stock: dict) -> tuple[str, bool] | None:
    """The other estimate of the stock widget against its target: for a screen, the custom
    widget's CPU p95 scaled by the ratio of their instructions (the p95 of a few samples on a
    loaded machine is noisy; the ratio is not); for start-up, the CPU ratio."""
    if "cpu_ms" in stock:
        return f"cpu {stock['cpu_ratio']:.2f}x", stock["cpu_ratio"] <= stock["limit"]
    if custom is None or "ir" not in custom or "ir" not in stock:
        return None
    estimate = custom["cpu_p95"] * stock["ir"] / custom["ir"]
    return f"by ins {estimate:.0f} ms", estimate <= stock["limit"]


def _meets_text(custom: dict | None, f: dict | None) -> str:
    if f is None:
        return "-"
    text = "yes" if meets(f) else "NO"
    if marginal(f):
        text += " (marginal)"
    other = cross_check(custom, f)
    if other is not None and other[1] != meets(f):
        text += f" ({other[0]}: {'yes' if other[1] else 'no'})"
    if meets(f) != f["meets_wall"]:
        text += f" (wall: {'yes' if f['meets_wall'] else 'no'})"
    return text


def verdicts(results: dict) -> dict[str, tuple[str, list[str], list[str]]]:
    """variant -> (keep/replace, the paths whose target the stock widget misses, the paths where
    it misses by the judged figure but not by the cross-check: noise, not counted)."""
    out = {}
    for variant in results["variants"]:
        if variant == "custom":
            continue
        missed, noisy = [], []
        for path in WIDGETS[variant][2]:
            c, st = figures(results, path, "custom"), figures(results, path, variant)
            if c is None or st is None or not meets(c) or meets(st):
                continue
            other = cross_check(c, st)
            (noisy if other is not None and other[1] else missed).append(path)
        out[variant] = ("keep" if missed else "replace", missed, noisy)
    return out


def render(results: dict, command: str) -> str:
    lines = [f"$ {command}", ""]
    m = results.get("machine", {})
    if m:
        lines.append(f"machine: {m['cores']} cores, load average {m['load_before']:.1f} at the start and "
                     f"{m['load_after']:.1f} at the end (other work shares these cores); {m['minutes']:.0f} min")
    s = results["settings"]
    lines.append(f"start-up: {s['startup_reps']} starts per kind and variant, interleaved; ratios of medians to "
                 f"the floor's, first frame; ins: one start under callgrind, the whole process")
    lines.append(f"screens: {s['rounds']} processes per variant, interleaved, each {s['reps']} history, "
                 f"{s['reps']} workouts, {s['sets']} sets; ms of the app process: cpu p50 / p95, wall p50 / p95; "
                 f"ins: callgrind, median of {s['ireps']} openings and {s['isets']} sets (one process)")
    bare = results["startup"].get("bare/custom")
    if bare and results["startup_cpu"].get("bare/custom"):
        ir = results["startup_ir"].get("bare/custom")
        lines.append(f"floor (bare Textual app, one label): wall {_median(bare) * 1000:.0f} ms, cpu "
                     f"{_median(results['startup_cpu']['bare/custom']) * 1000:.0f} ms"
                     + (f", {ir / 1e6:,.0f}M instructions" if ir else ""))
    lines.append("")
    header = ["custom -> stock", "path", "custom", "stock", "stock - custom", "target", "stock meets?"]
    rows = [header]
    judged = verdicts(results)
    for variant, (verdict, missed, noisy) in judged.items():
        widget, stock_name, paths = WIDGETS[variant]
        for path in paths:
            c, st = figures(results, path, "custom"), figures(results, path, variant)
            if st is None:
                continue
            rows.append([f"{widget} -> {stock_name}", PATH_NAMES[path], _text(path, c), _text(path, st),
                         _delta(c, st), _target(path), _meets_text(c, st)])
        rows.append(None)
    widths = [max(len(r[i]) for r in rows if r) for i in range(len(header))]
    for n, r in enumerate(rows):
        if r is None:
            lines.append("-+-".join("-" * w for w in widths))
            continue
        lines.append(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    lines.append("")
    for variant, (verdict, missed, noisy) in judged.items():
        widget, stock_name, _ = WIDGETS[variant]
        why = [f"the stock one misses: {', '.join(PATH_NAMES[p] for p in missed)}"] if missed else []
        why += [f"a miss by the CPU p95 alone, not by the instructions: "
                f"{', '.join(PATH_NAMES[p] for p in noisy)}"] if noisy else []
        lines.append(f"{widget} -> {stock_name}: {verdict.upper()}" + (f" ({'; '.join(why)})" if why else ""))
    lines.append("")
    lines.append("stock meets?: judged on the app's own cost, which load does not inflate the way it does the "
                 "wall clock: the CPU p95 for the screens, the instruction ratio for start-up (the CPU ratio "
                 "without valgrind); (wall: ...) where benchmarks.run's wall-clock test disagrees; marginal: within "
                 f"{(1 - MARGIN) * 100:.0f} % of the target; (by ins ...: ...) where the custom widget's CPU p95 "
                 "scaled by the instruction ratio disagrees. keep: a target the custom widget meets is missed "
                 "with the stock one by both estimates; replace: every target still met.")
    custom_layout = results["layout"].get("custom", {})
    same = True
    for variant, layout in results["layout"].items():
        for screen, regions in layout.items():
            base = custom_layout.get(screen, {})
            differ = sorted(k for k in set(regions) | set(base) if regions.get(k) != base.get(k))
            if differ and variant != "custom":
                same = False
                lines.append(f"layout differs from custom: {variant} on {screen}: "
                             + ", ".join(f"{k} {base.get(k)} -> {regions.get(k)}" for k in differ[:6]))
    if same and len(results["layout"]) > 1:
        lines.append("layout: every variant placed every widget with an id where the custom one did "
                     "(dashboard, history, workout)")
    checks = {v: c for v, c in results["checks"].items() if c}
    if checks and len({json.dumps(c, sort_keys=True) for c in checks.values()}) == 1:
        lines.append(f"checks, the same in every variant: {next(iter(checks.values()))}")
    elif checks:
        lines.append("checks DIFFER: " + "; ".join(f"{v} {c}" for v, c in checks.items()))
    after = {v: _median([c for _, c in results["ui_after"][v]]) for v in results["variants"]
             if results["ui_after"].get(v)}
    if after:
        lines.append("after a set's row is drawn, to quiet (the record check...), median cpu ms: "
                     + ", ".join(f"{v} {ms:.1f}" for v, ms in after.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
