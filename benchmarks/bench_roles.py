"""What row-level security costs a lifter (issue 17): the same service calls over the owner's
connection and over lifter #1's own role, on a throwaway PostgreSQL database of ``--users``
ten-year lifters (each ~50,000 sets). Prints median milliseconds; asserts nothing.

    python -m benchmarks.bench_roles --users 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import psycopg2

ADMIN = os.environ.get("OVERLOAD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin(sql: str) -> None:
    conn = psycopg2.connect(ADMIN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _calls(services, user_id: int) -> dict[str, Callable[[], object]]:
    ws = services.workouts(user_id)
    progress = services.progress(user_id)
    squat = next(e for e in ws.search_exercises("Squat (Barbell)") if e.name == "Squat (Barbell)")
    latest = ws.list_sessions(limit=1)[0].id
    return {
        "login": lambda: services.auth.authenticate("lifter01", "benchmark-password"),
        "list_sessions (first page)": lambda: ws.list_sessions(),
        "get_session (latest)": lambda: ws.get_session(latest),
        "exercise_history (squat, 10 years)": lambda: ws.exercise_history(squat.id),
        "records (squat)": lambda: progress.records(squat.id),
        "weekly_volume": lambda: progress.weekly_volume(date(2024, 6, 3)),
        "search_exercises ('')": lambda: ws.search_exercises("", limit=None),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_roles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    from benchmarks.generate import generate
    from overload_tui.db import roles
    from overload_tui.db.engine import Database
    from overload_tui.services import Services

    name = f"overload_bench_{uuid.uuid4().hex[:8]}"
    role = f"ovl_bench_{uuid.uuid4().hex[:8]}"
    base = ADMIN.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    lifter_url = f"postgresql://{role}@{base.split('@', 1)[1]}/{name}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        report = generate(url, users=args.users, log=lambda m: print(m, file=sys.stderr))
        print(report.summary())
        db = Database.connect(url)
        try:
            roles.setup(db)
            roles.bind(db, "lifter01", role)
        finally:
            db.dispose()
        os.environ.setdefault("OVERLOAD_SECRET_KEY", "b" * 48)
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp).chmod(0o700)
            owner = Services.open(url, data_dir=Path(tmp), bcrypt_rounds=4)
            lifter = Services.open(lifter_url, data_dir=Path(tmp), bcrypt_rounds=4)
            try:
                user_id = lifter.auth.list_users()[0].id
                by_owner, by_lifter = _calls(owner, user_id), _calls(lifter, user_id)
                print(f"{'median ms of ' + str(args.runs):<38}{'owner':>9}{'lifter role':>13}")
                for label in by_owner:
                    a = _median_ms(by_owner[label], args.runs)
                    b = _median_ms(by_lifter[label], args.runs)
                    print(f"{label:<38}{a:>9.1f}{b:>13.1f}")
            finally:
                owner.close()
                lifter.close()
    finally:
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'DROP ROLE IF EXISTS "{role}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
