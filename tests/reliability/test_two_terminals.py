"""Issue 6: two terminals, one user, logging into the same exercise at the same moment.

Two processes each log 50 sets into one workout entry, started together. Afterwards every set is
there exactly once, the orders are 1..100 with no gap or repeat, and each process saw its own
sets' orders increase. Runs on SQLite (BEGIN IMMEDIATE serialises writers) and PostgreSQL (the
entry row is locked FOR UPDATE).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter

from tests.reliability.conftest import PYTHON, WORKER, python_env

PER_WORKER = 50
WEIGHTS = (20.0, 30.0)


def test_two_processes_log_sets_into_one_entry(services, alice, tmp_path):
    ws = services.workouts(alice.id)
    bench = ws.search_exercises("bench press")[0]
    session = ws.start_session()
    entry = ws.add_entry(bench.id, session_id=session.id)
    url = services.db.url.render_as_string(hide_password=False)
    go = tmp_path / "go"

    procs = [
        subprocess.Popen(
            [PYTHON, str(WORKER), url, str(alice.id), str(entry.id), str(w), str(PER_WORKER), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=python_env(),
        )
        for w in WEIGHTS
    ]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        outputs = [p.communicate(timeout=180) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    reports = []
    for (out, err), p in zip(outputs, procs, strict=True):
        assert p.returncode == 0, f"worker failed: {out} {err}"
        reports.append(json.loads(out.strip().splitlines()[-1]))

    sets = ws.get_entry(entry.id).sets
    # Nothing lost, nothing doubled.
    assert len(sets) == PER_WORKER * len(WEIGHTS)
    logged = Counter((st.weight, st.reps) for st in sets)
    assert logged == Counter((w, r) for w in WEIGHTS for r in range(1, PER_WORKER + 1))
    # Orders unique and gap-free (nothing was deleted), in the order the table lists them.
    assert [st.order for st in sets] == list(range(1, len(sets) + 1))
    by_id = {st.id: st for st in sets}
    for weight, report in zip(WEIGHTS, reports, strict=True):
        assert report["error"] is None
        assert len(report["sets"]) == PER_WORKER
        orders = [order for _, order, _ in report["sets"]]
        assert orders == sorted(orders) and len(set(orders)) == PER_WORKER  # each saw its own go up
        for set_id, order, reps in report["sets"]:
            assert (by_id[set_id].order, by_id[set_id].weight, by_id[set_id].reps) == (order, weight, reps)
