"""Issue 17: an import reads only a regular file, and at most MAX_FILE_BYTES of it. A FIFO once
hung the command (and the app's database thread); /dev/zero grew memory without bound."""

from __future__ import annotations

import os
import threading

import pytest

from overload_tui.services.transfer import service as transfer_service
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.service import read_source
from tests.environment.helpers import DATA, add_alice, env_for, one_line_error, overload


def _in_thread(fn, timeout: float = 10.0):
    """Run ``fn`` in a thread; its result or exception, failing the test if it is still running
    after ``timeout`` seconds (it would hang forever without the fix)."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            out["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still reading after {timeout:.0f} s"
    return out


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "export.csv"
    os.mkfifo(path)
    yield path
    # Unblock a reader left behind by a failing run (a thread stuck in open()).
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


def test_a_fifo_is_refused_without_waiting(fifo):
    out = _in_thread(lambda: read_source(fifo))
    error = out.get("error")
    assert isinstance(error, ImportFormatError), out
    assert "FIFO" in error.reason and "not a regular file" in error.reason


def test_a_file_over_the_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(transfer_service, "MAX_FILE_BYTES", 1024 * 1024)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(ImportFormatError) as info:
        read_source(big)
    assert "size limit of 1 MB" in info.value.reason


def test_a_file_at_the_limit_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(transfer_service, "MAX_FILE_BYTES", 4096)
    path = tmp_path / "exact.csv"
    path.write_bytes(b"y" * 4096)
    assert read_source(path) == (b"y" * 4096, "exact.csv")


def test_a_regular_file_still_imports_by_its_path():
    data, name = read_source(DATA / "strong_sample.csv")
    assert name == "strong_sample.csv" and data.startswith(b"Date,")


def test_the_command_refuses_a_fifo_in_one_line(tmp_path, fifo):
    env = env_for(tmp_path, f"sqlite:///{tmp_path / 'gym.db'}")
    add_alice(env)
    done = overload(env, "import", str(fifo), "--admin", "--user", "alice", timeout=60)  # TimeoutExpired if it hangs
    assert "is a pipe (FIFO), not a regular file" in one_line_error(done)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_the_command_refuses_dev_zero_in_one_line(tmp_path):
    env = env_for(tmp_path, f"sqlite:///{tmp_path / 'gym.db'}")
    add_alice(env)
    # Without the fix this read /dev/zero until memory ran out (5 GB in 6 s): capped at 3 GB here.
    done = overload(env, "import", "/dev/zero", "--admin", "--user", "alice", timeout=60, memory_limit=3 << 30)
    assert "/dev/zero is a device, not a regular file" in one_line_error(done)


def test_a_file_that_grows_past_the_limit_while_read_is_cut_at_the_limit(tmp_path, monkeypatch):
    """The cap holds whatever the size said when it was checked (a log still being written)."""
    monkeypatch.setattr(transfer_service, "MAX_FILE_BYTES", 4096)
    path = tmp_path / "growing.csv"
    path.write_bytes(b"z" * 100)
    real_fstat = os.fstat

    def fstat_before_it_grew(fd):
        info = real_fstat(fd)
        with open(path, "ab") as fh:
            fh.write(b"z" * 10_000)
        return info

    monkeypatch.setattr(transfer_service.os, "fstat", fstat_before_it_grew)
    with pytest.raises(ImportFormatError) as info:
        read_source(path)
    assert "size limit" in info.value.reason
