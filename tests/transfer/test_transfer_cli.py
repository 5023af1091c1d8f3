"""``overload import`` and ``overload export`` as a user runs them (the real command, a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.transfer.helpers import db_counts, fixture_file, write
from tests.transfer.test_transfer_malformed import GOOD, STRONG_HEAD
from tests.transfer.test_transfer_variants import BAD_VALUES

ROOT = Path(__file__).resolve().parents[2]


def overload(database_url: str, data_dir: Path, *args: str):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OVERLOAD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "overload_tui", "--database", database_url, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _one_line_error(out) -> str:
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.strip().splitlines() if not line.startswith("overload: admin:")]
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("overload: error: ")
    return lines[0]


def test_import_dry_run_then_import_then_again(services, alice, database_url, data_dir):
    path = str(fixture_file("strong_sample.csv"))
    dry = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would import 15 workouts, 87 exercise entries, 250 sets." in dry.stdout
    assert "Dry run: nothing was written." in dry.stdout
    assert "weights read as kg" in dry.stdout
    assert "Leg Press                      -> Leg Press (Machine) [catalogue (alias)]  (12 sets)" in dry.stdout
    assert db_counts(services, alice.id)["sessions"] == 0

    done = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice")
    assert done.returncode == 0, done.stderr
    assert "Imported 15 workouts, 87 exercise entries, 250 sets." in done.stdout
    again = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice", "--format", "strong")
    assert again.returncode == 0, again.stderr
    assert "Imported 0 workouts" in again.stdout and "Already imported, left alone: 15 workouts (250 sets)." in again.stdout
    assert db_counts(services, alice.id)["sets"] == 250


def test_refused_values_need_skip_invalid(services, alice, database_url, data_dir, tmp_path):
    path = str(write(tmp_path, "bad.csv", BAD_VALUES))
    out = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice")
    line = _one_line_error(out)
    assert "5 rows hold values the app refuses (line 3, line 4, line 5, line 6, line 7)" in line
    assert "Use --skip-invalid" in line
    assert "line 3: Squat (Barbell): Reps must be at most 1000 (the file says 877777)." in out.stdout
    assert db_counts(services, alice.id)["sessions"] == 0

    out = overload(database_url, data_dir, "import", path, "--admin", "--user", "alice", "--skip-invalid")
    assert out.returncode == 0, out.stderr
    assert "Imported 2 workouts, 2 exercise entries, 2 sets." in out.stdout
    assert "5 rows left out (--skip-invalid):" in out.stdout


def test_unreadable_file_is_one_line_with_the_line_number(services, alice, database_url, data_dir, tmp_path):
    path = str(write(tmp_path, "bad.csv", STRONG_HEAD + GOOD + GOOD.replace("2024-01-01", "2024-02-31")))
    line = _one_line_error(overload(database_url, data_dir, "import", path, "--admin", "--user", "alice"))
    assert line == (
        "overload: error: bad.csv: line 3: cannot read the date '2024-02-31 08:00:00' "
        "(expected a date like 2024-11-28 17:36:08). Nothing was imported."
    )
    assert db_counts(services, alice.id)["sessions"] == 0
    assert "no such file" in _one_line_error(overload(database_url, data_dir, "import", "nope.csv", "--admin", "--user", "alice"))
    assert "no user called 'zed'" in _one_line_error(overload(database_url, data_dir, "import", path, "--admin", "--user", "zed"))


def test_export_json_and_restore_into_another_user(services, alice, bob, database_url, data_dir, tmp_path):
    assert overload(database_url, data_dir, "import", str(fixture_file("fitnotes_sample.csv")), "--admin", "--user", "alice").returncode == 0
    backup = tmp_path / "backup.json"
    out = overload(database_url, data_dir, "export", "--admin", "--user", "alice", "--format", "json", "-o", str(backup))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Exported 141 workouts, 0 templates, 0 custom exercises to {backup}."
    restored = overload(database_url, data_dir, "import", str(backup), "--admin", "--user", "bob")
    assert restored.returncode == 0, restored.stderr
    assert "overload JSON backup" in restored.stdout and "Imported 141 workouts" in restored.stdout
    a = json.loads(backup.read_text())
    out = overload(database_url, data_dir, "export", "--admin", "--user", "bob", "--format", "json")
    b = json.loads(out.stdout)
    assert out.stderr.splitlines()[-1].startswith("Exported 141 workouts")
    assert a["sessions"] == b["sessions"]


def test_export_strong_csv_to_stdout(services, alice, database_url, data_dir, tmp_path):
    overload(database_url, data_dir, "import", str(fixture_file("strong_sample.csv")), "--admin", "--user", "alice")
    out = overload(database_url, data_dir, "export", "--admin", "--user", "alice", "--format", "strong-csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
    assert lines[1] == "2024-11-28 17:36:08,B,35m,Bent Over Row (Barbell),1,10.0,13,0,0,,,"
    assert len(lines) == 251
    assert "Exported 15 workouts, 250 sets (weights in kg)." in out.stderr
    bad = overload(database_url, data_dir, "export", "--admin", "--user", "alice", "--format", "strong-csv", "-o", str(tmp_path / "missing-dir" / "x.csv"))
    assert "does not exist" in _one_line_error(bad)
