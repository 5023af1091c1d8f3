"""A second terminal, as a process: log sets into one workout entry as fast as it can.

Usage: python set_worker.py DATABASE_URL USER_ID ENTRY_ID WEIGHT COUNT GO_FILE
Waits until GO_FILE exists (so several workers start together), then logs COUNT sets of
WEIGHT kg with reps 1..COUNT, and prints 'ready', then one JSON line: the ids and orders it was given, and
any error (class and message) instead of a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> int:
    url, user_id, entry_id, weight, count, go = sys.argv[1:7]
    from overload_tui.db.engine import Database
    from overload_tui.services.workouts import WorkoutService

    db = Database.connect(url)
    ws = WorkoutService(db, int(user_id))
    ws.get_entry(int(entry_id))  # connect (and warm up) before the start signal
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    while not Path(go).exists():
        if time.monotonic() > deadline:
            print(json.dumps({"error": "no start signal"}))
            return 1
        time.sleep(0.005)
    done, error = [], None
    try:
        for reps in range(1, int(count) + 1):
            st = ws.add_set(int(entry_id), float(weight), reps, "kg")
            done.append([st.id, st.order, reps])
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        error = f"{type(exc).__name__}: {exc}"
    finally:
        db.dispose()
    print(json.dumps({"sets": done, "error": error}))
    return 0 if error is None else 1


if __name__ == "__main__":
    sys.exit(main())
