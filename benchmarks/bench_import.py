"""Import benchmark: a deterministic Strong export into SQLite and PostgreSQL, time and peak memory.

    python benchmarks/bench_import.py [--rows 25000] [--backends sqlite,postgresql]
                                      [--pg postgresql://postgres@127.0.0.1:5432/postgres]
    python benchmarks/bench_import.py --rows 1200000          # the 1.2M-set export of issue 17
    python benchmarks/bench_import.py --rows 100000 --backup  # and its JSON backup restored

The export is written to a file (as a lifter's would be) and imported by its path, in a child
process per backend, so that the figures are that process's alone. Each backend gets a throwaway
database (an SQLite file in a temporary folder; a PostgreSQL database it creates and drops).
Prints, for reading + planning (parse, map, duplicate check), for the write (one transaction)
and for importing the same file again (adds nothing): the seconds, and the peak resident memory
of the process during that step (``VmHWM``, reset before each step by writing 5 to
``/proc/self/clear_refs``; where that cannot be done, the peak so far). ``base`` is the resident
memory of the process with the app loaded and the database open, before the import. A JSON
backup's sessions are streamed too (``--backup`` exports the imported sets as one and restores
it into SQLite, with the same figures). ``cpu``: the seconds of CPU the importing
process spent (on a shared machine the wall time also counts waiting for a core; a PostgreSQL
server's own work is not in it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE".split(",")
RESULT = "BENCH_IMPORT_RESULT "
TARGET_PEAK_MB = 300


def _rows(rows: int, seed: int):
    """``rows`` data rows: workouts of 5 exercises x 5 sets, with warm-up and failure markers."""
    from overload_tui.db.catalogue import CATALOGUE

    rng = random.Random(seed)
    names = [e.name for e in CATALOGUE][:60] + ["Bench Press, Paused (Custom)", "My Odd Lift"]
    day = n = 0
    while n < rows:
        day += 1
        # 80 years of 336 days from 2010, then again at another hour (dates stay within 1900..2100).
        year, hour = 2010 + (day // 336) % 80, 18 - day // (336 * 80)
        date = f"{year}-{(day // 28) % 12 + 1:02d}-{day % 28 + 1:02d} {hour:02d}:{day % 60:02d}:00"
        workout = rng.choice(["Push", "Pull", "Legs", "Upper", "Lower"])
        note = rng.choice(["", "", "Felt strong", 'Tired, "meh"'])
        for exercise in rng.sample(names, 5):
            for s in range(5):
                if n >= rows:
                    break
                order = "W" if s == 0 else ("F" if s == 4 and rng.random() < 0.2 else str(s))
                weight = round(rng.uniform(5, 200) * 2) / 2
                reps = rng.randint(1, 15)
                rpe = rng.choice(["", "7", "8.5", "9"])
                yield (date, workout, "1h 5m", exercise, order, weight, reps, 0, 0, "", note, rpe)
                n += 1


def write_strong_export(path: Path, rows: int, seed: int = 20241128) -> int:
    """Write the export to ``path``; its size in bytes."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(_rows(rows, seed))
    return path.stat().st_size


def strong_export(rows: int, seed: int = 20241128) -> bytes:
    """The same export as bytes (for tests and small runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        write_strong_export(path, rows, seed)
        return path.read_bytes()


# -- the child: one backend, one process ----------------------------------------------------------
def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    kb = _status_kb("VmHWM")
    if not kb:  # no /proc: ru_maxrss is this process's peak in KiB on Linux
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def child(url: str, path: Path, again: bool = True) -> dict:
    from overload_tui.services import Services
    from overload_tui.services.transfer import TransferService

    out: dict = {}
    with tempfile.TemporaryDirectory() as home:
        services = Services.open(url, data_dir=Path(home), bcrypt_rounds=4)
        try:
            user = services.auth.register("bench", "bench@example.com", "bench-password")
            svc = TransferService(services.db, user.id)
            svc.weight_unit()
            out["base_mb"] = _status_kb("VmRSS") / 1024
            out["reset"] = _reset_peak()
            t0, c0 = time.perf_counter(), time.process_time()
            plan = svc.plan_import(path)
            t1, c1 = time.perf_counter(), time.process_time()
            out["plan_s"], out["plan_cpu"], out["plan_peak_mb"] = t1 - t0, c1 - c0, _peak_mb()
            _reset_peak()
            t1, c1 = time.perf_counter(), time.process_time()
            report = svc.commit_import(plan)
            t2, c2 = time.perf_counter(), time.process_time()
            out["write_s"], out["write_cpu"], out["write_peak_mb"] = t2 - t1, c2 - c1, _peak_mb()
            del plan
            if again:
                _reset_peak()
                t2 = time.perf_counter()
                repeat = svc.import_file(path)
                t3 = time.perf_counter()
                out["again_s"], out["again_peak_mb"], out["again_sets"] = t3 - t2, _peak_mb(), repeat.sets
            out.update(rows=report.rows, workouts=report.workouts, sets=report.sets)
        finally:
            services.close()
    return out


def export_backup(url: str, out: Path) -> None:
    """The benchmark lifter's JSON backup of ``url`` written to ``out`` (in a child process)."""
    from overload_tui.services import Services
    from overload_tui.services.transfer import TransferService

    with tempfile.TemporaryDirectory() as home:
        services = Services.open(url, data_dir=Path(home), bcrypt_rounds=4)
        try:
            TransferService.for_username(services.db, "bench").export_to("json", out)
        finally:
            services.close()


def bench(url: str, path: Path, label: str, again: bool = True) -> dict:
    command = [sys.executable, __file__, "--child", url, str(path)] + ([] if again else ["--no-again"])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    results = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not results:
        print(f"{label}: the child failed ({done.returncode})\n{done.stdout}\n{done.stderr}")
        return {}
    r = json.loads(results[-1][len(RESULT):])
    total = r["plan_s"] + r["write_s"]
    peak = max(r["plan_peak_mb"], r["write_peak_mb"])
    print(
        f"{label:<10} {r['rows']:,} rows -> {r['workouts']:,} workouts, {r['sets']:,} sets | "
        f"read+plan {r['plan_s']:.2f} s (cpu {r['plan_cpu']:.2f}), write {r['write_s']:.2f} s "
        f"(cpu {r['write_cpu']:.2f}), total {total:.2f} s = "
        f"{r['rows'] / total:,.0f} rows/s"
        + (f" | re-import (adds {r['again_sets']}) {r['again_s']:.2f} s" if "again_s" in r else "")
    )
    print(
        f"{'':<10} peak RSS: base {r['base_mb']:.0f} MB, read+plan {r['plan_peak_mb']:.0f} MB, "
        f"write {r['write_peak_mb']:.0f} MB"
        + (f", re-import {r['again_peak_mb']:.0f} MB" if "again_peak_mb" in r else "")
        + " "
        f"(target < {TARGET_PEAK_MB} MB: {'met' if peak < TARGET_PEAK_MB else 'NOT MET'})"
        + ("" if r["reset"] else " [peaks cumulative: /proc/self/clear_refs not writable]")
    )
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--pg",
        default=os.environ.get("OVERLOAD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an admin URL of a PostgreSQL server (a throwaway database is created there and dropped)",
    )
    parser.add_argument(
        "--backup", action="store_true",
        help="also export the imported sets as a JSON backup and restore that (SQLite)",
    )  # fmt: skip
    parser.add_argument("--no-again", action="store_true", help="do not import the file a second time")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-export", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(RESULT + json.dumps(child(args.child[0], Path(args.child[1]), not args.no_again)), flush=True)
        return 0
    if args.child_export:
        export_backup(args.child_export[0], Path(args.child_export[1]))
        return 0

    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "strong_export.csv"
        size = write_strong_export(path, args.rows)
        print(f"Strong export: {args.rows:,} rows, {size / 1e6:.1f} MB")
        if "sqlite" in backends or args.backup:
            bench(f"sqlite:///{tmp}/bench.db", path, "SQLite", not args.no_again)
        if args.backup:
            backup = Path(tmp) / "backup.json"
            subprocess.run(
                [sys.executable, __file__, "--child-export", f"sqlite:///{tmp}/bench.db", str(backup)], check=True
            )
            print(f"JSON backup of it: {backup.stat().st_size / 1e6:.1f} MB")
            bench(f"sqlite:///{tmp}/restore.db", backup, "JSON->SQLite")
        if "postgresql" in backends:
            bench_pg(args.pg, path, not args.no_again)
    return 0


def bench_pg(admin_url: str, path: Path, again: bool = True) -> None:
    try:
        import psycopg2

        admin = psycopg2.connect(admin_url, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure: no PostgreSQL here
        print(f"PostgreSQL skipped: {str(error).strip().splitlines()[0]}")
        return
    admin.autocommit = True
    name = f"overload_bench_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        bench(f"{admin_url.rsplit('/', 1)[0]}/{name}", path, "PostgreSQL", again)
    finally:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
