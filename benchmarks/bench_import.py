"""Import benchmark: a deterministic 25,000-row Strong export into SQLite and PostgreSQL.

    python benchmarks/bench_import.py [--rows 25000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Each backend gets a throwaway database (an SQLite file in a temporary folder; a PostgreSQL
database it creates and drops). Prints seconds and rows per second for reading + planning
(parse, map, duplicate check) and for the write (one transaction, bulk INSERTs).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overload_tui.db.catalogue import CATALOGUE  # noqa: E402

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE".split(",")


def strong_export(rows: int, seed: int = 20241128) -> bytes:
    """``rows`` data rows: workouts of 5 exercises x 5 sets, with warm-up and failure markers."""
    rng = random.Random(seed)
    names = [e.name for e in CATALOGUE][:60] + ["Bench Press, Paused (Custom)", "My Odd Lift"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    day = n = 0
    while n < rows:
        day += 1
        date = f"{2010 + day // 336}-{(day // 28) % 12 + 1:02d}-{day % 28 + 1:02d} 18:{day % 60:02d}:00"
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
                writer.writerow((date, workout, "1h 5m", exercise, order, weight, reps, 0, 0, "", note, rpe))
                n += 1
    return buffer.getvalue().encode()


def bench(url: str, data: bytes, label: str) -> None:
    from overload_tui.services import Services
    from overload_tui.services.transfer import TransferService

    with tempfile.TemporaryDirectory() as home:
        services = Services.open(url, data_dir=Path(home), bcrypt_rounds=4)
        try:
            user = services.auth.register("bench", "bench@example.com", "bench-password")
            svc = TransferService(services.db, user.id)
            t0 = time.perf_counter()
            plan = svc.plan_import(data, name="bench.csv")
            t1 = time.perf_counter()
            report = svc.commit_import(plan)
            t2 = time.perf_counter()
            again = svc.import_file(data, name="bench.csv")
            t3 = time.perf_counter()
        finally:
            services.close()
    rows = report.rows
    total = t2 - t0
    print(
        f"{label:<10} {rows:,} rows -> {report.workouts:,} workouts, {report.sets:,} sets | "
        f"read+plan {t1 - t0:.2f} s, write {t2 - t1:.2f} s, total {total:.2f} s = {rows / total:,.0f} rows/s | "
        f"re-import (adds {again.sets}) {t3 - t2:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument(
        "--pg",
        default=os.environ.get("OVERLOAD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an admin URL of a PostgreSQL server (a throwaway database is created there and dropped)",
    )
    args = parser.parse_args()
    data = strong_export(args.rows)
    print(f"Strong export: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.db", data, "SQLite")

    try:
        import psycopg2

        admin = psycopg2.connect(args.pg, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure: no PostgreSQL here
        print(f"PostgreSQL skipped: {str(error).strip().splitlines()[0]}")
        return 0
    admin.autocommit = True
    name = f"overload_bench_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        bench(f"{args.pg.rsplit('/', 1)[0]}/{name}", data, "PostgreSQL")
    finally:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
