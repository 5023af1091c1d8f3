"""Instructions executed up to the first frame: start-up compared where the clock is too noisy.

    python -m benchmarks.instructions [--sessions 200]

On a shared two-core machine the clock moves by several per cent between runs of the same code,
and by 30-50 % between days. valgrind's callgrind counts the instructions a program executes: the
same to about 0.05 % run after run, whatever else the machine is doing. This runs the start-up
probes of ``benchmarks.probes`` (the bare Textual app, the login form, the dashboard as last
shown) under ``valgrind --tool=callgrind``, each ending as its first screen is drawn, on a small
SQLite database with a saved log-in, and prints the instructions of each and their ratio to the
bare app's. Instructions are not time (a cache miss costs more than an addition), but a change
that saves 3 % of them saves about 3 % of the start-up. Each probe takes 5-15 s under valgrind.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import generate as gen
from benchmarks.probes import RESULT_PREFIX
from benchmarks.run import REPO, SECRET, compile_app, open_services, run_probe, throwaway_database

KINDS = ("bare", "login", "dashboard")


def instructions(kind: str, args: dict, env: dict[str, str]) -> int:
    """Instructions ``kind``'s probe executes up to its first frame (then it exits at once)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
               "-m", "benchmarks.probes", kind, json.dumps({**args, "first_frame_only": True})]
    proc = subprocess.run(command, cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=900)
    result = next((json.loads(line[len(RESULT_PREFIX):]) for line in proc.stdout.splitlines()
                   if line.startswith(RESULT_PREFIX)), {"ok": False, "reason": proc.stderr.strip()[-300:]})
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if not result.get("ok") or found is None:
        raise RuntimeError(f"{kind} probe failed: {result.get('reason') or proc.stderr.strip()[-300:]}")
    return int(found.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="workouts of the one lifter (default 200)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    compile_app()
    with tempfile.TemporaryDirectory(prefix="overload-instructions-") as tmp, \
            throwaway_database("sqlite", "instructions", Path(tmp)) as url:
        data_dir, fresh_dir = Path(tmp, "data"), Path(tmp, "fresh")
        for d in (data_dir, fresh_dir):
            d.mkdir(mode=0o700)
        report = gen.generate(url, users=1, sessions=args.sessions)
        env = {"OVERLOAD_SECRET_KEY": SECRET, "OVERLOAD_DATA_DIR": str(data_dir)}
        saved_login = {"url": url, "data_dir": str(data_dir)}
        _save_login(url, data_dir, report.user_ids[0])
        first = run_probe("dashboard", saved_login, env, 120)  # a lifter's first start leaves the glance
        if not first.ok or not any(data_dir.glob("glance-*")):
            print(f"the first start left no glance: {first.reason}", file=sys.stderr)
            return 1
        probes = {
            "bare": ({}, env),
            "login": ({"url": url, "data_dir": str(fresh_dir)}, {**env, "OVERLOAD_DATA_DIR": str(fresh_dir)}),
            "dashboard": (saved_login, env),
        }
        counts = {kind: instructions(kind, *probes[kind]) for kind in KINDS}
    print(f"$ python -m benchmarks.instructions --sessions {args.sessions}")
    print("instructions executed up to the first frame (valgrind --tool=callgrind)")
    for kind in KINDS:
        print(f"  {kind:10} {counts[kind] / 1e6:9,.1f} M  {counts[kind] / counts['bare']:.3f}x")
    return 0


def _save_login(url: str, data_dir: Path, user_id: int) -> None:
    services = open_services(url, data_dir)
    try:
        services.tokens.save(services.auth.issue_token(user_id))
    finally:
        services.close()


if __name__ == "__main__":
    raise SystemExit(main())
