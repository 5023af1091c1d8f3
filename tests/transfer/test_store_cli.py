"""``overload import`` / ``overload export`` with every kind of set: the printed report counts the
timed, distance and reps-only sets and lists the file's notes with their lines; the JSON export
carries the body-weight log back in."""

from __future__ import annotations

import json
from datetime import date

from tests.transfer.helpers import write
from tests.transfer.kinds import body_weights, log_body_weights, stored_sets
from tests.transfer.test_transfer_cli import overload
from tests.tui_import.test_import_kinds import NOTE, ROWS
from tests.tui_import.helpers import STRONG_HEAD


def test_the_printed_report_counts_the_kinds_and_lists_the_notes(services, alice, database_url, data_dir, tmp_path):
    path = str(write(tmp_path, "kinds.csv", STRONG_HEAD + ROWS))
    dry = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert "  Would import 2 workouts, 5 exercise entries, 6 sets." in lines
    assert "  Of them: 3 timed sets, 1 distance set, 1 reps-only set." in lines
    assert "  1 set does not measure what its exercise does: stored as logged (see the exercises)." in lines
    assert any(line.startswith("    Bench Press (Barbell) -> Bench Press (Barbell) [catalogue]  (2 sets; 1 set not weight x reps)") for line in lines)
    assert "  Notes (1):" in lines and any(line.startswith(f"    {NOTE}") for line in lines)
    assert stored_sets(services, alice.id) == {}

    done = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice")
    assert done.returncode == 0, done.stderr
    assert "  Of them: 3 timed sets, 1 distance set, 1 reps-only set." in done.stdout.splitlines()
    assert stored_sets(services, alice.id)["Running"] == [(0.0, 1, 1800.0, 5000.0, "km")]


def test_json_export_and_import_carry_the_body_weights(services, alice, bob, database_url, data_dir, tmp_path):
    days = {date(2025, 1, 1): 80.0, date(2025, 1, 8): 79.4}
    log_body_weights(services, alice.id, days)
    out = tmp_path / "alice.json"
    exported = overload(database_url, data_dir, "export", "--admin", "--user", "alice", "--format", "json", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == f"Exported 0 workouts, 0 templates, 0 custom exercises, 2 body weights to {out}."
    assert json.loads(out.read_text())["body_weights"] == [
        {"date": "2025-01-01", "weight": 80.0}, {"date": "2025-01-08", "weight": 79.4},
    ]  # fmt: skip
    restored = overload(database_url, data_dir, "import", str(out), "--admin", "--user", "bob")
    assert restored.returncode == 0, restored.stderr
    assert "  Body weight: imported 2 days." in restored.stdout.splitlines()
    assert body_weights(services, bob.id) == days
