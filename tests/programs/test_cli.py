"""``overload program``: list, show (a dry run at 80 columns), check (FILE:LINE: message)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.programs.test_format import README_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse"


def run(args, env, stdin=""):
    return subprocess.run([sys.executable, "-m", "overload_tui", *args], input=stdin, capture_output=True,
                          text=True, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, cwd=ROOT, timeout=120)


@pytest.fixture
def env(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "OVERLOAD_DATA_DIR": str(data)}


@pytest.fixture
def lifter(env, tmp_path):
    """A lifter with a few weeks of squat, bench, deadlift and press in their history."""
    from overload_tui.services import Services

    services = Services.open(env["DATABASE_URL"], data_dir=Path(env["OVERLOAD_DATA_DIR"]), bcrypt_rounds=4)
    try:
        user = services.auth.register("lifter", "lifter@example.com", PASSWORD, "Lifter")
        ws = services.workouts(user.id)
        for name, weight in (("Squat (Barbell)", 120), ("Bench Press (Barbell)", 90),
                             ("Deadlift (Barbell)", 150), ("Overhead Press (Barbell)", 55)):
            ex = next(e for e in ws.search_exercises(name) if e.name == name)
            for week in range(3):
                sess = ws.start_session(datetime.now().replace(microsecond=0) - timedelta(days=7 * week + 1))
                entry = ws.add_entry(ex.id, session_id=sess.id)
                ws.add_set(entry.id, weight - 5 * week, 5)
    finally:
        services.close()
    return "lifter"


def test_check_a_good_file_and_a_bad_one(env, tmp_path):
    good = tmp_path / "mine.program"
    good.write_text(README_EXAMPLE)
    out = run(["program", "check", str(good)], env)
    assert out.returncode == 0, out.stderr
    assert "My 3x5" in out.stdout and "OK" in out.stdout
    bad = tmp_path / "bad.program"
    bad.write_text("program: Bad\nweek 1\n  day 1\n    Squat: 3x\n    Chin Up: 3x5 @ 50%\n")
    out = run(["program", "check", str(bad)], env)
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        f"{bad}:4:12: Cannot read '3x': write sets as 3x5, 5x3+, 3x8-12, 1x5 @ 65% or 1x5 @ 40% warmup.",
        f"{bad}:5:14: 'Chin Up' is not a lift: a percentage needs 'lift Chin Up: EXERCISE' above.",
    ]


def test_list_and_show_from_the_lifters_history(env, lifter):
    listed = run(["program", "list", "--user", lifter], env, PASSWORD + "\n")
    assert listed.returncode == 0, listed.stderr
    for name in ("5/3/1 Boring But Big", "GZCLP", "StrongLifts 5x5", "PPL Double Progression"):
        assert name in listed.stdout
    out = run(["program", "show", "5/3/1 Boring But Big", "--weeks", "8", "--user", lifter], env, PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = out.stdout
    assert "Squat (Squat (Barbell)): 125 kg — 90% of e1RM 140.0 kg = 126.0 → 125 kg" in text
    assert "== Week 8 " in text and "== Week 9 " not in text
    assert "1×5+ @ 105 kg" in text and "85% × TM 125 kg = 106.25 → 105 kg" in text
    assert "Squat: TM 125 → 130 kg" in text  # the end of the first cycle


def test_show_with_maxes_given_and_unknown_program(env, lifter):
    out = run(["program", "show", "StrongLifts 5x5", "--weeks", "1", "--user", lifter, "--max", "Row=60"],
              env, PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert "Row (Bent Over Row (Barbell)): 60 kg — given" in out.stdout
    missing = run(["program", "show", "Nope", "--user", lifter], env, PASSWORD + "\n")
    assert missing.returncode == 1 and "That program was not found." in missing.stderr
    assert "Traceback" not in missing.stderr
