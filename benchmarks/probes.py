"""What the benchmark runs in child processes: start-up, the UI timings and peak memory.

    python -m benchmarks.probes KIND 'JSON ARGS'

KIND is one of ``bare`` (a Textual app that draws one label: the floor), ``login`` and
``dashboard`` (the real app up to its first screen drawn, without and with a saved log-in),
``ui`` (open history, open a workout, log sets, from the key press to the row drawn) and
``memory`` (the app on a database, history and a progress series opened, then the peak
resident memory: see :func:`maxrss_mb`).

Each prints one line ``BENCH-RESULT {json}``. With ``"first_frame_only": true`` in its arguments a
start-up probe (bare, login, dashboard) prints it as its first screen is drawn and exits at once
(``benchmarks.instructions`` counts the instructions up to there). Start-up is measured from the
parent's clock (``BENCH_T0``, set just before it spawns us) to the first screen drawn, so it
covers the interpreter, every import, opening the database and the first screen's data. Nothing but the
standard library is imported at module level: the bare probe must not pay for the app's imports.

Timed paths never use ``pilot.pause()`` or ``pilot.press()``: both sleep at least 20 ms waiting
for the CPU to go idle. A key goes to the driver the way a terminal's would, and "drawn" means the
widget holds the new data and the screen's compositor has been refreshed (what Textual does on
its next frame).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCH-RESULT "
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "30"))  # longer under valgrind
SIZE = (120, 40)


class ProbeError(Exception):
    """The app did not get where the probe expected: reported as n/a with this reason."""


def emit(**data: Any) -> None:
    data.setdefault("maxrss_mb", maxrss_mb())
    sys.stdout.write(RESULT_PREFIX + json.dumps(data) + "\n")
    sys.stdout.flush()


def maxrss_mb() -> float:
    """Peak resident memory of this program, in MiB.

    ``VmHWM`` from /proc (the high-water mark of this process's own address space) where there
    is one: ``ru_maxrss`` is inherited across fork and exec on Linux, so a child spawned by a
    100 MB parent would report at least 100 MB whatever it used. Elsewhere, ``ru_maxrss``.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def since_spawn() -> float:
    return time.time() - float(os.environ.get("BENCH_T0", time.time()))


def cpu_seconds() -> float:
    """CPU time of this process so far (every thread, user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class GcPauses:
    """Python's garbage collector pauses (every thread stops while it runs), by generation."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0

    def __enter__(self) -> GcPauses:
        import gc

        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        import gc

        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((info["generation"], time.perf_counter() - self._start))

    def summary(self) -> dict:
        gen2 = [p for g, p in self.pauses if g == 2]
        return {"collections": len(self.pauses), "gen2": len(gen2),
                "gen2_max": max(gen2, default=0.0), "gen2_total": sum(gen2),
                "all_total": sum(p for _, p in self.pauses)}


# -- waiting without sleeping ---------------------------------------------------------------------
async def until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    """Poll ``condition`` every half millisecond while the app's loop runs."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise ProbeError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.0005)


def screen_name(app) -> str:
    try:
        return type(app.screen).__name__
    except Exception:  # noqa: BLE001 - no screen yet
        return ""


def service_idle(app) -> bool:
    future = getattr(app, "_last_future", None)
    workers_busy = any(not w.is_finished for w in app.workers)
    return (future is None or future.done()) and not workers_busy


async def settled(app) -> None:
    """Until the database thread is idle twice in a row (a callback may queue another call)."""
    for _ in range(3):
        await until(lambda: service_idle(app), "the database thread to go idle")
        await asyncio.sleep(0)
    await until(lambda: service_idle(app), "the database thread to go idle")


async def at_rest(app) -> None:
    """Until the app has done what it does by itself once the dashboard is up (as a lifter
    reading it would let it): the database thread idle."""
    await settled(app)


def draw(app) -> None:
    """Refresh the screen's compositor now, as Textual's next frame would."""
    app.screen._on_timer_update()


async def send_key(app, key: str, char: str | None = None) -> None:
    from textual import events

    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)
    await asyncio.sleep(0)


async def wait_for_screen(app, name: str, extra: Callable[[], bool] = lambda: True,
                          since: Any = None) -> None:
    """Until ``name`` is in front, has asked the database something (since ``since``) and
    every answer has arrived; then draw."""

    def ready() -> bool:
        if screen_name(app) != name or not extra():
            return False
        if since is not None and getattr(app, "_last_future", None) is since:
            return False  # its first service call is not queued yet
        return service_idle(app)

    await until(ready, f"{name} with its data")
    await asyncio.sleep(0)
    await until(ready, f"{name} with its data")
    draw(app)


# -- probes -------------------------------------------------------------------------------------
async def first_drawn(app, expected: str, extra: Callable[[], bool] = lambda: True) -> tuple[float, float]:
    """Seconds since spawn and CPU seconds once ``expected`` is in front, mounted and laid
    out, ``extra()`` holds and the screen is drawn: the same test for the floor and the app."""

    def shown() -> bool:
        screen = app.screen_stack[-1] if app.screen_stack else None
        return (type(screen).__name__ == expected and screen.is_mounted
                and screen.size == app.size and extra())

    await until(shown, f"{expected} on screen")
    draw(app)
    return since_spawn(), cpu_seconds()


def probe_bare(args: dict) -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("overload")

    async def main() -> tuple[float, float]:
        app = Bare()
        async with app.run_test(size=SIZE):
            shown = await first_drawn(app, "Screen", lambda: bool(app.screen.query(Label)))
            stop_if_first_frame_only(args, shown)
            return shown

    seconds, cpu = asyncio.run(main())
    return {"seconds": seconds, "cpu": cpu}


def stop_if_first_frame_only(args: dict, shown: tuple[float, float]) -> None:
    """With ``first_frame_only``: report the first frame and end the process now (nothing after
    it counts: not the database opening, not the app's teardown)."""
    if args.get("first_frame_only"):
        emit(ok=True, seconds=shown[0], cpu=shown[1])
        os._exit(0)


def _open_services(args: dict):
    from overload_tui.services import Services

    data_dir = args.get("data_dir")
    return Services.open(args["url"], data_dir=Path(data_dir) if data_dir else None)


def _probe_first_screen(args: dict, expected: str, extra: Callable[[Any], bool],
                        ready: Callable[[Any], bool] = lambda app: True) -> dict:
    """The ``overload`` command's own path: the app opens the database itself, on its database
    thread, after its first frame. ``frame_*``: the first frame drawn, whatever it shows;
    ``seconds``/``cpu``: ``expected`` in front, laid out, ``extra(app)`` true, and drawn;
    ``ready_*``: then the database open, ``ready(app)`` true and every queued call answered."""
    import gc

    from overload_tui import launch

    gc.set_threshold(*launch.GC_THRESHOLD)  # as the command does (cmd_run) before importing the app
    from overload_tui.app import OverloadApp
    from overload_tui.glance import Glance

    data_dir = Path(args["data_dir"]) if args.get("data_dir") else None
    app = OverloadApp(open_services=lambda: launch.open_services(args["url"], data_dir=data_dir),
                      glance=Glance.for_launch(args["url"], data_dir))

    async def main() -> dict:
        async with app.run_test(size=SIZE):
            await until(lambda: bool(app.screen_stack) and app.screen.size == app.size, "the first frame")
            draw(app)
            frame = since_spawn(), cpu_seconds()
            shown = await first_drawn(app, expected, lambda: extra(app))
            stop_if_first_frame_only(args, shown)
            await until(lambda: app.services is not None and ready(app), "the database to open")
            await settled(app)
            draw(app)
            return {"frame_seconds": frame[0], "frame_cpu": frame[1], "seconds": shown[0], "cpu": shown[1],
                    "ready_seconds": since_spawn(), "ready_cpu": cpu_seconds()}

    try:
        return asyncio.run(main())
    finally:
        if app.services is not None:
            app.services.close()


def probe_login(args: dict) -> dict:
    return _probe_first_screen(args, "LoginScreen", lambda app: True)


def probe_dashboard(args: dict) -> dict:
    # The dashboard keeps what it shows in ``data``, from its glance (overload_tui.glance) or
    # read afresh: ``fresh`` once the log-in is checked and the data read.
    return _probe_first_screen(
        args, "DashboardScreen", lambda app: getattr(app.screen, "data", True) is not None,
        ready=lambda app: getattr(app.screen, "fresh", True),
    )


def _percentiles(samples: list[tuple[float, float]]) -> dict:
    """Median and 95th percentile (nearest rank) of the wall times; median CPU time."""
    from statistics import median

    ordered = sorted(wall for wall, _ in samples)
    rank = max(1, min(len(ordered), -(-len(ordered) * 95 // 100)))
    return {"median": median(ordered), "p95": ordered[rank - 1], "n": len(ordered),
            "cpu_median": median(cpu for _, cpu in samples),
            "samples_ms": [[round(w * 1000, 1), round(c * 1000, 1)] for w, c in samples]}


class Clock:
    """Wall and process CPU time of one timed step, from its creation to ``stop()``."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


async def leave(app) -> None:
    """Back to the screen below, as a lifter would: not within a millisecond of it appearing
    (a screen's widgets finish mounting after its first frame)."""
    await asyncio.sleep(0.05)
    await settled(app)
    app.pop_screen()
    await asyncio.sleep(0.02)
    await settled(app)
    await asyncio.sleep(0.02)
    draw(app)  # what the screen below draws with its new data, before the next timed step


def laid_out(app, selector: str, filled: Callable[[Any], bool]) -> bool:
    """Whether the screen in front has placed ``selector`` (its first layout comes after the
    screen has mounted) and ``filled(widget)``: then drawing the screen draws the data."""
    try:
        widget = app.screen.query_one(selector)
    except Exception:  # noqa: BLE001 - not composed yet
        return False
    return widget.region.area > 0 and filled(widget)


def resumed(app, before: dict) -> bool:
    """Whether the screen in front has handled its ScreenResume (Textual counts them in
    ``stack_updates``) since ``before`` (screen -> count) was taken: a screen shown again is
    laid out and drawn then, and would otherwise look ready before it is."""
    screen = app.screen
    return screen.stack_updates > before.get(screen, 0)


def _workout_shown(app, before: dict) -> bool:
    view = getattr(app.screen, "view", None)
    return (view is not None and view.context_known and resumed(app, before)
            and laid_out(app, "#sets", lambda t: t.row_count == len(view.rows) + planned_rows(view)))


def planned_rows(view) -> int:
    """Rows the table shows for planned sets not yet done (a template workout plans its sets)."""
    return sum(row.state != "done" for row in getattr(view, "plan", ()))


async def _open_history(app, reps: int) -> list[tuple[float, float]]:
    times = []
    for _ in range(reps):
        before = getattr(app, "_last_future", None)
        clock = Clock()
        await send_key(app, "h", "h")
        await wait_for_screen(app, "HistoryScreen", lambda: laid_out(app, "#history-list", lambda o: o.row_count > 0),
                              since=before)
        times.append(clock.stop())
        await leave(app)
    return times


async def _show_workout(app, session_id: int) -> tuple[float, float]:
    """Open a workout and wait until it is drawn with its data; (wall, CPU) seconds."""
    before = getattr(app, "_last_future", None)
    clock = Clock()
    app.open_session(session_id)
    await wait_for_screen(app, "SessionScreen", lambda: _workout_shown(app, {}), since=before)
    return clock.stop()


async def _open_session(app, session_id: int, reps: int, other_id: int | None = None) -> list[tuple[float, float]]:
    """Each timed opening follows an untimed one of ``other_id`` (a lifter rarely opens the same
    workout twice in a row)."""
    times = []
    for _ in range(reps):
        if other_id is not None:
            await _show_workout(app, other_id)
            await leave(app)
        times.append(await _show_workout(app, session_id))
        await leave(app)
    return times


async def _log_sets(app, services, user_id: int, session_id: int, count: int,
                   per_exercise: int) -> list[tuple[float, float]]:
    from textual.widgets import Input

    from overload_tui.widgets.set_table import SetTable

    await _show_workout(app, session_id)
    await settled(app)
    times = []
    for i in range(count):
        screen = app.screen
        if i and i % per_exercise == 0:  # the next exercise, round the workout again after the last
            entries = screen.query_one("#entries")
            entries.highlighted = ((entries.highlighted or 0) + 1) % entries.row_count
            await settled(app)
        table = screen.query_one("#sets", SetTable)
        box = screen.query_one("#set-input", Input)
        box.focus()
        box.value = f"{20 + i % 3 * 2.5:g}x{8 - i % 3}"
        await asyncio.sleep(0)
        rows, logged, planned = table.row_count, len(screen.view.rows), planned_rows(screen.view)
        clock = Clock()
        await send_key(app, "enter", "\r")
        # A set that fills a planned row replaces it: the table grows by one less per row filled.
        await until(lambda: len(screen.view.rows) == logged + 1 and table.row_count
                    == rows + 1 - (planned - planned_rows(screen.view)), "the new set in the table")
        draw(app)
        times.append(clock.stop())
        await settled(app)
    logged = services.workouts(user_id).get_session(session_id).set_count
    if logged != count:
        raise ProbeError(f"the table showed {count} sets but the database holds {logged}")
    return times


def probe_ui(args: dict) -> dict:
    """History, a workout of 20 exercises, and logging sets, through the real screens."""
    from overload_tui.app import OverloadApp

    services = _open_services(args)
    out: dict[str, Any] = {}

    async def main() -> None:
        app = OverloadApp(services)
        async with app.run_test(size=SIZE):
            await wait_for_screen(app, "DashboardScreen", lambda: getattr(app.screen, "data", True) is not None)
            await at_rest(app)
            with GcPauses() as gc_pauses:
                await _measure_screens(app, services, args, out)
            out["gc"] = gc_pauses.summary()

    try:
        asyncio.run(main())
    finally:
        services.close()
    return out


async def _measure_screens(app, services, args: dict, out: dict) -> None:
    """Each part on its own: one failing must not hide the others."""
    for key, run in (
        ("history", lambda: _open_history(app, args["reps"])),
        ("session", lambda: _open_session(app, args["big_session_id"], args["reps"], args.get("other_session_id"))),
        ("log_set", lambda: _log_sets(app, services, args["user_id"], args["log_session_id"],
                                      args["sets"], args.get("per_exercise", 4))),
    ):
        try:
            out[key] = _percentiles(await run())
        except Exception as error:  # noqa: BLE001 - one part failing must not hide the others
            out[key] = {"error": f"{type(error).__name__}: {error}"[:300]}
            while len(app.screen_stack) > 2:
                app.pop_screen()
            await settled(app)


def probe_memory(args: dict) -> dict:
    """The app on the database: dashboard, history, a workout, then a progress series."""
    from overload_tui.app import OverloadApp

    services = _open_services(args)
    notes: list[str] = []

    async def main() -> None:
        app = OverloadApp(services)
        async with app.run_test(size=SIZE):
            await wait_for_screen(app, "DashboardScreen", lambda: getattr(app.screen, "data", True) is not None)
            await settled(app)
            try:
                await _open_history(app, 1)
            except Exception as error:  # noqa: BLE001
                notes.append(f"history screen: {error}")
            try:
                await _open_session(app, args["big_session_id"], 1)
            except Exception as error:  # noqa: BLE001
                notes.append(f"session screen: {error}")
            user_id, exercise_id = args["user_id"], args["exercise_id"]
            services.workouts(user_id).exercise_history(exercise_id)
            progress = getattr(services, "progress", None)
            if progress is not None:
                progress(user_id).progress_series(exercise_id)
            else:
                notes.append("no progress service")

    try:
        asyncio.run(main())
    finally:
        services.close()
    return {"notes": notes}


PROBES: dict[str, Callable[[dict], dict]] = {
    "bare": probe_bare,
    "login": probe_login,
    "dashboard": probe_dashboard,
    "ui": probe_ui,
    "memory": probe_memory,
}


def main(argv: list[str]) -> int:
    kind, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    try:
        result = PROBES[kind](args)
    except ProbeError as error:
        emit(ok=False, reason=str(error))
        return 0
    except Exception as error:  # noqa: BLE001 - the parent prints "n/a: <reason>"
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f" ({os.path.basename(last.filename)}:{last.lineno})"
        emit(ok=False, reason=f"{type(error).__name__}: {error}"[:300] + where)
        return 0
    emit(ok=True, **result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
