"""The OpenSSH ``ssh`` command in tmux against ``overload serve`` run as a command: log a set, kill
the client (-9, as a phone dropping off the network), restart the server, reconnect (same host key:
``StrictHostKeyChecking=yes`` passes) and resume the workout with the set in it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.e2e.tmux import Tmux
from tests.serve.helpers import TIMEOUT

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(not (shutil.which("ssh") and shutil.which("tmux")), reason="needs OpenSSH's ssh and tmux"),
]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Server:
    """``overload serve`` on 127.0.0.1, a free port (read from its log line)."""

    def __init__(self, env: dict[str, str], url: str) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "overload_tui", "--database", url, "serve", "--host", "127.0.0.1", "--port", "0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **env}, cwd=REPO,
        )
        self.listening = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.listening.wait(TIMEOUT):
            self.stop()
            raise AssertionError(f"the server did not start: {self.lines}")
        self.port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", "\n".join(self.lines)).group(1))

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            if "listening on" in line:
                self.listening.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=90)


def _ssh(port: int, key: str, known: str, strict: str) -> str:
    return " ".join(shlex.quote(a) for a in [
        "ssh", "-F", "/dev/null", "-tt", "-p", str(port), "-i", key, "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes", "-o", f"StrictHostKeyChecking={strict}", "-o", f"UserKnownHostsFile={known}",
        "-o", "HostKeyAlias=overload-test-gym", "-o", "SendEnv=COLORTERM", "somebody-else@127.0.0.1",
    ])


def _until(check, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_openssh_log_a_set_drop_reconnect_and_resume(world, tmp_path):
    key = tmp_path / "id_alice"
    key.write_bytes(world.keys.alice.export_private_key("openssh"))
    key.chmod(0o600)
    known = tmp_path / "known_hosts"
    env = {"OVERLOAD_DATA_DIR": str(world.data_dir)}
    server = Server(env, world.url)
    tmux = Tmux({}, REPO, size=(100, 30))
    try:
        tmux.new_session("first", "exec " + _ssh(server.port, str(key), str(known), "accept-new"))
        tmux.wait_for("Hello Alice")
        tmux.keys("n")
        tmux.wait_until(lambda s: "Add an exercise" in s or "No exercises yet" in s, "a new workout")
        tmux.type("squat")
        tmux.wait_until(lambda s: "found" in s or "squat" in s, "squat typed")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: "Squat (Barbell)" in s and "Set 1" in s, "Squat added")
        tmux.type("100x5")
        tmux.keys("Enter")
        tmux.wait_for("Set 1 logged")
        os.kill(tmux.pid(), signal.SIGKILL)  # the client dies: no goodbye

        ws = world.services.workouts(world.alice.id)
        _until(lambda: any(ws.get_session(s.id).set_count for s in ws.list_sessions()), "the set in the database")
        server.stop()  # and the server restarts: same host key
        assert "user=alice" in "\n".join(server.lines) and "dropped" in "\n".join(server.lines)
        server = Server(env, world.url)
        tmux.new_session("second", "exec " + _ssh(server.port, str(key), str(known), "yes"))
        tmux.wait_for("Resume today's workout · 1 set")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: "Squat (Barbell)" in s and "100 kg" in s, "the resumed workout")
        tmux.keys("C-q")
        tmux.wait_gone()  # ssh ends with the session
    finally:
        tmux.kill()
        server.stop()
    fingerprint = subprocess.run([sys.executable, "-m", "overload_tui", "serve", "--print-fingerprint"],
                                 capture_output=True, text=True, env={**os.environ, **env}, cwd=REPO).stdout
    assert fingerprint.splitlines()[1].split()[1] in known.read_text()
