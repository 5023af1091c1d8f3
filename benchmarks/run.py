"""The benchmark command: one table of figures against the issue's targets.

    python -m benchmarks.run [--backends sqlite,postgresql] [--scales 1,20] [--quick]

For each backend it makes a throwaway database per scale (an SQLite file in a temporary
directory, or ``CREATE DATABASE bench_...`` on PostgreSQL, dropped at the end), fills it with
:mod:`benchmarks.generate` (1x = one user with ten years of training, 20x = twenty users, user #1
being the 1x user) and measures, for user #1:

1. start-up to the first screen drawn, against a bare Textual app drawing one label (the floor):
   separate processes, interleaved, median of several;
2. logging a set, from the Enter key to the row committed and drawn (the real logging screen),
   and the service call alone (``add_set``);
3. opening the history (first page) and a workout of 20 exercises: through the screens and
   through the service, with the number of SQL statements of each;
4. the progress data of one exercise over ten years (``exercise_history`` and
   ``ProgressService.progress_series``) against one hand-written SQL query (the floor);
5. peak memory (ru_maxrss) of a process running the app on the database with the history, a
   workout and a progress series opened.

Scales below 1 (``--scales 0.05``) mean one user with fewer sessions: quick smoke runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks import generate as gen
from benchmarks.measure import ServiceFigures, Stat, Subjects, find_subjects, measure_services
from benchmarks.probes import RESULT_PREFIX

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = os.environ.get("OVERLOAD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "overload-benchmark-secret-key-not-for-real-use-0123456789"

TARGET_STARTUP_RATIO = 1.3
# What each start-up probe reports: row name -> the prefix of its seconds/cpu fields.
STARTUP_PHASES = {
    "bare": {"bare": ""},
    "login": {"login": "", "login_ready": "ready_"},
    "dashboard": {"dashboard": "", "dashboard_ready": "ready_"},
}
TARGET_SET_P95_MS = 30.0
TARGET_OPEN_MS = 100.0
TARGET_PROGRESS_RATIO = 1.5
TARGET_MEMORY_MB = 150.0


@dataclass(frozen=True)
class Settings:
    startup_reps: int = 7
    ui_reps: int = 10
    ui_sets: int = 60
    service_reps: int = 30
    set_reps: int = 200
    seed: int = gen.DEFAULT_SEED
    probe_timeout: float = 120.0

    @classmethod
    def quick(cls, seed: int = gen.DEFAULT_SEED) -> Settings:
        return cls(startup_reps=3, ui_reps=3, ui_sets=12, service_reps=8, set_reps=40, seed=seed)


# -- throwaway databases ------------------------------------------------------------------------
def _pg_admin():
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN_DSN, connect_timeout=5)
    conn.autocommit = True
    return conn


@contextmanager
def throwaway_database(backend: str, label: str, workdir: Path) -> Iterator[str]:
    """The URL of a new empty database, dropped (or deleted) afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench_{label}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for p in workdir.glob(f"bench_{label}.db*"):
                p.unlink(missing_ok=True)
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}")
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}".replace(".", "_")
    conn = _pg_admin()
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    try:
        yield f"{PG_ADMIN_DSN.rsplit('/', 1)[0]}/{name}"
    finally:
        conn = _pg_admin()
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()


# -- child processes ----------------------------------------------------------------------------
@dataclass
class ProbeResult:
    ok: bool
    data: dict = field(default_factory=dict)
    reason: str = ""
    wall: float = 0.0


def run_probe(kind: str, args: dict, env: dict[str, str], timeout: float) -> ProbeResult:
    child_env = {**os.environ, **env}
    t0 = time.time()
    child_env["BENCH_T0"] = repr(t0)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.probes", kind, json.dumps(args)],
            cwd=REPO, env=child_env, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return ProbeResult(False, reason=f"{kind} probe timed out after {timeout:.0f} s")
    wall = time.time() - t0
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line[len(RESULT_PREFIX):])
            ok = data.pop("ok", False)
            return ProbeResult(ok, data, data.pop("reason", ""), wall)
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return ProbeResult(False, reason=f"{kind} probe exited {proc.returncode}: {tail}"[:300], wall=wall)


# -- one backend at one scale -------------------------------------------------------------------
@dataclass
class CellResult:
    """Everything measured on one database (one backend, one scale)."""

    backend: str
    scale: float
    generation: gen.GenerationReport | None = None
    subjects: Subjects | None = None
    services: ServiceFigures | None = None
    startup: dict[str, list[float] | str] = field(default_factory=dict)  # kind -> seconds, or a reason
    startup_cpu: dict[str, list[float]] = field(default_factory=dict)  # kind -> CPU seconds
    ui: dict[str, dict | str] = field(default_factory=dict)
    gc: dict | None = None
    memory: dict | str = ""
    bare_memory: float | None = None
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.backend} {scale_label(self.scale)}"


def scale_label(scale: float) -> str:
    return f"{scale:g}x"


def bench_cell(backend: str, scale: float, settings: Settings, workdir: Path,
               log: Callable[[str], None]) -> CellResult:
    cell = CellResult(backend, scale)
    users, sessions = gen.scale_shape(scale)
    label = f"{backend[:2]}_{scale:g}x".replace(".", "_")
    try:
        with throwaway_database(backend, label, workdir) as url:
            log(f"[{cell.label}] generating {users} user(s) x {sessions} sessions ...")
            cell.generation = gen.generate(url, users=users, sessions=sessions, seed=settings.seed)
            log(f"[{cell.label}] {cell.generation.summary()}")
            measure_cell(cell, url, settings, workdir / label, log)
    except Exception as error:  # noqa: BLE001 - a backend that fails is reported, not fatal
        cell.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"[:300]
        log(f"[{cell.label}] failed: {cell.error}")
    return cell


def open_services(url: str, data_dir: Path):
    """The app's services on the benchmark's database, with the benchmark's secret key: tokens
    issued here verify in the probes (set only while opening: the key never leaks into the rest
    of this process, where tests run)."""
    from overload_tui.services import Services

    previous = os.environ.get("OVERLOAD_SECRET_KEY")
    os.environ["OVERLOAD_SECRET_KEY"] = SECRET
    try:
        return Services.open(url, data_dir=data_dir, bcrypt_rounds=4)
    finally:
        if previous is None:
            os.environ.pop("OVERLOAD_SECRET_KEY", None)
        else:
            os.environ["OVERLOAD_SECRET_KEY"] = previous


def measure_cell(cell: CellResult, url: str, settings: Settings, home: Path, log: Callable[[str], None]) -> None:
    data_dir, fresh_dir = home / "data", home / "fresh"
    for d in (data_dir, fresh_dir):
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {"OVERLOAD_SECRET_KEY": SECRET, "OVERLOAD_DATA_DIR": str(data_dir)}
    services = open_services(url, data_dir)
    try:
        user_id = cell.generation.user_ids[0]
        subj = cell.subjects = find_subjects(services, user_id)
        services.tokens.save(services.auth.issue_token(user_id))

        log(f"[{cell.label}] service calls ...")
        cell.services = measure_services(services, subj, reps=settings.service_reps,
                                         set_reps=settings.set_reps, now=gen.DEFAULT_END)

        log(f"[{cell.label}] start-up x{settings.startup_reps} ...")
        base = {"url": url, "data_dir": str(data_dir)}
        kinds = {
            "bare": ({}, env),
            "login": ({"url": url, "data_dir": str(fresh_dir)}, {**env, "OVERLOAD_DATA_DIR": str(fresh_dir)}),
            "dashboard": (base, env),
        }
        times: dict[str, list[float]] = {name: [] for phases in STARTUP_PHASES.values() for name in phases}
        cell.startup_cpu = {name: [] for name in times}
        reasons: dict[str, str] = {}
        # As a lifter's second start: the first one, untimed, leaves the dashboard's glance.
        res = run_probe("dashboard", base, env, settings.probe_timeout)
        if not res.ok or not any(data_dir.glob("glance-*")):
            reasons.update((name, res.reason if not res.ok else "the app left no glance")
                           for name in STARTUP_PHASES["dashboard"])
        for _ in range(settings.startup_reps):  # interleaved: machine noise hits all alike
            for kind, (args, kind_env) in kinds.items():
                if kind in reasons:
                    continue
                res = run_probe(kind, args, kind_env, settings.probe_timeout)
                if not res.ok:
                    reasons.update((name, res.reason) for name in STARTUP_PHASES[kind])
                    continue
                for name, prefix in STARTUP_PHASES[kind].items():
                    times[name].append(res.data[f"{prefix}seconds"])
                    cell.startup_cpu[name].append(res.data.get(f"{prefix}cpu", 0.0))
                if kind == "bare":
                    cell.bare_memory = max(cell.bare_memory or 0.0, res.data.get("maxrss_mb", 0.0))
        cell.startup = {k: reasons.get(k, v) for k, v in times.items()}

        log(f"[{cell.label}] screens: history, workout, {settings.ui_sets} sets ...")
        ws = services.workouts(user_id)
        fresh = ws.start_session(template_id=subj.template_id)
        try:
            res = run_probe("ui", {**base, "user_id": user_id, "big_session_id": subj.big_session_id,
                                   "other_session_id": subj.small_session_id,
                                   "log_session_id": fresh.id, "reps": settings.ui_reps,
                                   "sets": settings.ui_sets}, env, settings.probe_timeout * 3)
        finally:
            ws.delete_session(fresh.id)
        if res.ok:
            cell.ui = {k: (v if "error" not in v else v["error"]) for k, v in res.data.items()
                       if k in ("history", "session", "log_set")}
            cell.gc = res.data.get("gc")
        else:
            cell.ui = {k: res.reason for k in ("history", "session", "log_set")}

        log(f"[{cell.label}] peak memory ...")
        res = run_probe("memory", {**base, "user_id": user_id, "exercise_id": subj.exercise_id,
                                   "big_session_id": subj.big_session_id}, env, settings.probe_timeout)
        cell.memory = res.data if res.ok else res.reason
    finally:
        services.close()


# -- the table ----------------------------------------------------------------------------------
@dataclass
class Mark:
    text: str
    ok: bool | None = None  # None: no target, or not measured


def _na(reason: str) -> Mark:
    return Mark(f"n/a: {reason}", None)


def _ms(v: float) -> str:
    return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"


def _stat_text(s: Stat) -> str:
    return f"{s.median:.1f} / {s.p95:.1f} ms"


def _ui(key: str, limit: float) -> Callable[[CellResult], Mark]:
    """p50 / p95 of a screen timing, with the median CPU time the app spent on it."""

    def mark(cell: CellResult) -> Mark:
        v = cell.ui.get(key)
        if v is None:
            return _na(cell.error or "not measured")
        if isinstance(v, str):
            return _na(v)
        stat = Stat(v["median"] * 1000, v["p95"] * 1000, v["n"])
        cpu = v.get("cpu_median")
        suffix = f" (cpu {cpu * 1000:.0f})" if cpu is not None else ""
        return Mark(_stat_text(stat) + suffix, stat.p95 <= limit)

    return mark


def _gc(cell: CellResult) -> Mark:
    if not cell.gc:
        return _na(cell.error or "not measured")
    g = cell.gc
    return Mark(f"{g['gen2']} x gen-2, longest {g['gen2_max'] * 1000:.0f} ms; all {g['all_total'] * 1000:.0f} ms")


def _p95_within(stat: Stat | str, limit: float) -> Mark:
    if isinstance(stat, str):
        return _na(stat)
    return Mark(_stat_text(stat), stat.p95 <= limit)


def _startup(cell: CellResult, kind: str, targeted: bool = True) -> Mark:
    if cell.error and not cell.startup:
        return _na(cell.error)
    bare, real = cell.startup.get("bare"), cell.startup.get(kind)
    if isinstance(real, str):
        return _na(real)
    if isinstance(bare, str):
        return _na(f"no floor: {bare}")
    if not real or not bare:
        return _na("not measured")
    ratio = median(real) / median(bare)
    text = f"{median(real) * 1000:.0f} ms ({ratio:.2f}x)"
    cpu_real, cpu_bare = cell.startup_cpu.get(kind), cell.startup_cpu.get("bare")
    if cpu_real and cpu_bare and median(cpu_bare) > 0:
        text += f", cpu {median(cpu_real) / median(cpu_bare):.2f}x"
    return Mark(text, ratio <= TARGET_STARTUP_RATIO if targeted else None)


def _bare(cell: CellResult) -> Mark:
    bare = cell.startup.get("bare")
    if isinstance(bare, str):
        return _na(bare)
    if not bare:
        return _na(cell.error or "not measured")
    cpu = cell.startup_cpu.get("bare")
    return Mark(f"{median(bare) * 1000:.0f} ms" + (f" (cpu {median(cpu) * 1000:.0f} ms)" if cpu else ""))


def _svc(cell: CellResult) -> ServiceFigures | None:
    return cell.services


def _svc_p95(attr: str, limit: float) -> Callable[[CellResult], Mark]:
    def mark(cell: CellResult) -> Mark:
        s = _svc(cell)
        if s is None:
            return _na(cell.error or "not measured")
        return _p95_within(getattr(s, attr), limit)

    return mark


def _ratio(attr: str, floor_attr: str) -> Callable[[CellResult], Mark]:
    def mark(cell: CellResult) -> Mark:
        s = _svc(cell)
        if s is None:
            return _na(cell.error or "not measured")
        value, floor = getattr(s, attr), getattr(s, floor_attr)
        if value is None or floor is None:
            return _na("no progress_series in overload_tui/services/progress.py")
        ratio = value.median / floor.median
        return Mark(f"{_ms(value.median)} vs {_ms(floor.median)} ({ratio:.1f}x)", ratio <= TARGET_PROGRESS_RATIO)

    return mark


def _statements(attrs: Sequence[str], constant: bool) -> Callable[[CellResult], Mark]:
    def mark(cell: CellResult) -> Mark:
        s = _svc(cell)
        if s is None:
            return _na(cell.error or "not measured")
        values = [getattr(s, a) for a in attrs]
        text = " / ".join("-" if v is None else str(v) for v in values)
        # Constant within the cell (page 1 = a deep page, ...), and (build_table) across scales.
        return Mark(text, len(set(values)) == 1 if constant else True)

    return mark


def _memory(cell: CellResult) -> Mark:
    if isinstance(cell.memory, str):
        return _na(cell.memory or cell.error or "not measured")
    mb = cell.memory["maxrss_mb"]
    notes = cell.memory.get("notes") or []
    suffix = f" ({'; '.join(notes)})" if notes else ""
    return Mark(f"{mb:.0f} MB{suffix}", mb < TARGET_MEMORY_MB)


def _bare_memory(cell: CellResult) -> Mark:
    return Mark(f"{cell.bare_memory:.0f} MB") if cell.bare_memory else _na(cell.error or "not measured")


def _last(cell: CellResult) -> Mark:
    s = _svc(cell)
    return Mark(_stat_text(s.last_performance)) if s else _na(cell.error or "not measured")


ROWS: list[tuple[str, str, Callable[[CellResult], Mark]]] = [
    ("1. start-up: bare Textual app, one label (floor)", "-", _bare),
    ("1. start-up to the login screen", f"<= {TARGET_STARTUP_RATIO}x floor", lambda c: _startup(c, "login")),
    ("   ... and the database open (Enter logs in at once)", "-", lambda c: _startup(c, "login_ready", False)),
    ("1. start-up to the dashboard (saved log-in, as last shown)", f"<= {TARGET_STARTUP_RATIO}x floor",
     lambda c: _startup(c, "dashboard")),
    ("   ... log-in checked, data read afresh", "-", lambda c: _startup(c, "dashboard_ready", False)),
    ("2. log a set: Enter -> row committed and drawn (p50 / p95)", f"p95 <= {TARGET_SET_P95_MS:g} ms",
     _ui("log_set", TARGET_SET_P95_MS)),
    ("2. log a set: add_set, service only (p50 / p95)", f"p95 <= {TARGET_SET_P95_MS:g} ms",
     _svc_p95("add_set", TARGET_SET_P95_MS)),
    ("3. history: key -> first page drawn (p50 / p95)", f"p95 <= {TARGET_OPEN_MS:g} ms",
     _ui("history", TARGET_OPEN_MS)),
    ("3. history: list_sessions first page, service (p50 / p95)", f"p95 <= {TARGET_OPEN_MS:g} ms",
     _svc_p95("history", TARGET_OPEN_MS)),
    ("3. workout of 20 exercises: open -> drawn, with last time (p50 / p95)", f"p95 <= {TARGET_OPEN_MS:g} ms",
     _ui("session", TARGET_OPEN_MS)),
    ("3. workout of 20 exercises: get_session, service (p50 / p95)", f"p95 <= {TARGET_OPEN_MS:g} ms",
     _svc_p95("session_big", TARGET_OPEN_MS)),
    ("3. SQL statements: history first page / a page 10 deep", "constant",
     _statements(["history_statements", "history_deep_statements"], True)),
    ("3. SQL statements: workout of 20 exercises / of 6-7", "constant",
     _statements(["session_big_statements", "session_small_statements"], True)),
    ("3. SQL statements: add_set / exercise_history / progress_series", "same at every scale",
     _statements(["add_set_statements", "progress_statements", "series_statements"], False)),
    ("4. progress, 10 years: exercise_history vs SQL floor (median)", f"<= {TARGET_PROGRESS_RATIO}x floor",
     _ratio("progress", "progress_floor")),
    ("4. progress, all years: progress_series vs SQL floor (median)", f"<= {TARGET_PROGRESS_RATIO}x floor",
     _ratio("series", "series_floor")),
    ("   \"last time\": last_performance, service (p50 / p95)", "-", _last),
    ("   Python GC pauses during the screen timings (rows 2-3)", "-", _gc),
    ("5. peak memory: app + history + workout + progress series", f"< {TARGET_MEMORY_MB:g} MB", _memory),
    ("5. peak memory: bare Textual app (floor)", "-", _bare_memory),
]


def build_table(cells: Sequence[CellResult]) -> list[list[str]]:
    header = ["metric", "target", *[c.label for c in cells], "result"]
    table = [header]
    for title, target, fn in ROWS:
        marks = [fn(c) for c in cells]
        if title.startswith("3. SQL statements"):
            # Constant also means: the same at every scale on one backend.
            for backend in {c.backend for c in cells}:
                texts = {m.text for c, m in zip(cells, marks) if c.backend == backend and m.ok is not None}
                if len(texts) > 1:
                    for c, m in zip(cells, marks):
                        if c.backend == backend and m.ok:
                            m.ok = False
        judged = [(c, m) for c, m in zip(cells, marks) if m.ok is not None]
        if target == "-" or not judged:
            result = "-" if target == "-" else "n/a"
        else:
            missed = [c.label for c, m in judged if not m.ok]
            result = "pass" if not missed else "MISS: " + ", ".join(missed)
        row = [title, target]
        for m in marks:
            row.append(m.text + ("" if m.ok is None else ("" if m.ok else " !")))
        row.append(result)
        table.append(row)
    return table


def render(table: list[list[str]], max_cell: int = 44) -> str:
    def clip(s: str) -> str:
        return s if len(s) <= max_cell else s[: max_cell - 1] + "…"

    rows = [[clip(c) if i not in (0,) else c for i, c in enumerate(r)] for r in table]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        out.append(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def long_reasons(table: list[list[str]], max_cell: int = 44) -> list[str]:
    """The n/a reasons cut short in the table, in full."""
    seen, notes = set(), []
    for row in table[1:]:
        for cell in row[2:-1]:
            if cell.startswith("n/a: ") and len(cell) > max_cell and cell not in seen:
                seen.add(cell)
                notes.append(cell)
    return notes


def report(cells: Sequence[CellResult], settings: Settings, command: str, load: str = "") -> str:
    lines = [f"$ {command}", ""]
    if load:
        lines.append(load)
    for c in cells:
        if c.generation:
            lines.append(f"data {c.label}: {c.generation.summary()}")
        if c.subjects:
            s = c.subjects
            lines.append(f"  measured user #{s.user_id}: {s.sessions:,} sessions; progress of {s.exercise_name} "
                         f"({s.exercise_sets:,} sets); 20-exercise workout id {s.big_session_id}")
    lines.append(f"repetitions: start-up {settings.startup_reps} per kind (interleaved), screens {settings.ui_reps}, "
                 f"sets logged {settings.ui_sets} (UI) / {settings.set_reps} (service), service calls "
                 f"{settings.service_reps}; timings are warm, \"!\" marks a miss")
    lines.append("(cpu ...) = CPU time the app process itself spent (all threads, median): the wall time beside it "
                 "also counts waiting for a core")
    lines.append("")
    table = build_table(cells)
    lines.append(render(table))
    notes = long_reasons(table)
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines)


def compile_app() -> None:
    """Write the app's bytecode (``__pycache__``) as ``pip install`` does for an installed copy.

    The probes import the app from this checkout; with ``PYTHONDONTWRITEBYTECODE`` set (as on
    some machines) every start-up would otherwise compile the app's modules from source, about
    10 ms that no installed ``overload`` pays, while Textual (the floor) comes precompiled.
    """
    import compileall

    for package in ("overload_tui", "migrations"):
        compileall.compile_dir(REPO / package, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--scales", default="1,20", help="comma-separated: 1 = one ten-year user, 20 = twenty")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rough table in a minute or two)")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    settings = Settings.quick(args.seed) if args.quick else Settings(seed=args.seed)
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    compile_app()
    workdir = Path(tempfile.mkdtemp(prefix="overload-bench-"))
    load_before = os.getloadavg()
    cells = []
    try:
        for backend in backends:
            for scale in scales:
                cells.append(bench_cell(backend, scale, settings, workdir, log))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    load = (f"machine: {os.cpu_count()} cores; load average {load_before[0]:.1f} at the start, "
            f"{load_after[0]:.1f} at the end (other processes share these cores)")
    print(report(cells, settings, command.strip(), load))
    if args.json:
        args.json.write_text(json.dumps([_raw(c) for c in cells], indent=2, default=str))
    return 0


def _raw(cell: CellResult) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "backend": cell.backend, "scale": cell.scale, "error": cell.error,
        "generation": asdict(cell.generation) if cell.generation else None,
        "subjects": asdict(cell.subjects) if cell.subjects else None,
        "services": asdict(cell.services) if cell.services else None,
        "startup": cell.startup, "startup_cpu": cell.startup_cpu, "ui": cell.ui, "gc": cell.gc, "memory": cell.memory, "bare_memory": cell.bare_memory,
    }


if __name__ == "__main__":
    raise SystemExit(main())
