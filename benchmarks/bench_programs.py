"""Programs (issue 18): parsing the built-ins, a year's dry run, and 'overload program show'.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/bench_programs.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from overload_tui.domain.programs import BUILTIN_FILES, builtin_source, initial_state, parse, simulate


def timed(fn, repeat=20):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    for filename in BUILTIN_FILES:
        text = builtin_source(filename)
        program = parse(text)
        state = initial_state(program, {k: 100.0 for k in program.lifts}, "kg")
        parse_ms = timed(lambda: parse(text))
        year_ms = timed(lambda: simulate(program, state, weeks=52), repeat=5)
        print(f"{program.name:<24} parse {parse_ms:6.2f} ms   52-week dry run (engine) {year_ms:7.1f} ms")

    from overload_tui.services import Services
    from overload_tui.services.programs import ProgramService

    with tempfile.TemporaryDirectory() as folder:
        services = Services.open(f"sqlite:///{folder}/bench.db", data_dir=Path(folder), bcrypt_rounds=4)
        try:
            user = services.auth.register("bench", "bench@example.com", "correct horse", "Bench")
            ws = services.workouts(user.id)
            names = ("Squat (Barbell)", "Bench Press (Barbell)", "Deadlift (Barbell)", "Overhead Press (Barbell)")
            for week in range(150):  # three years of the four lifts, three sets each
                sess = ws.start_session(datetime.now().replace(microsecond=0) - timedelta(days=7 * week + 1))
                for name in names:
                    ex = next(e for e in ws.search_exercises(name) if e.name == name)
                    entry = ws.add_entry(ex.id, session_id=sess.id)
                    for _ in range(3):
                        ws.add_set(entry.id, 100, 5)
            ps = ProgramService(services.db, user.id)
            for name in ("5/3/1 Boring But Big", "GZCLP"):
                maxes = {"Lat Pulldown T3": 40, "Row T3": 20} if name == "GZCLP" else None
                ms = timed(lambda: ps.dry_run(name, weeks=8, maxes=maxes), repeat=10)
                print(f"ProgramService.dry_run({name!r}, weeks=8) over 1,800 sets of history: {ms:6.1f} ms (SQLite)")
        finally:
            services.close()


if __name__ == "__main__":
    main()
