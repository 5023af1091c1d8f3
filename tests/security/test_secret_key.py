"""Issue 17: a secret key under 32 bytes (``OVERLOAD_SECRET_KEY=a``, an empty variable, an empty
or short key file) is refused with a one-line reason (``WeakSecretError``: source, length,
minimum); the key generated on first use is long, and its file 0600 whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest

from overload_tui import launch
from overload_tui.services.auth import SECRET_MIN_BYTES, WeakSecretError, load_secret


@pytest.fixture
def data(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    monkeypatch.setenv("OVERLOAD_DATA_DIR", str(d))
    monkeypatch.delenv("OVERLOAD_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return d


@pytest.mark.parametrize("key", ["a", "", "x" * 31, "é" * 15])
def test_a_short_key_in_the_environment_is_refused(data, monkeypatch, key):
    monkeypatch.setenv("OVERLOAD_SECRET_KEY", key)
    with pytest.raises(WeakSecretError) as info:
        load_secret(data)
    error = info.value
    assert (error.source, error.length, error.minimum) == ("OVERLOAD_SECRET_KEY", len(key.encode()), 32)
    assert "\n" not in str(error)
    assert not (data / "secret.key").exists()


@pytest.mark.parametrize("text", ["", "\n", "short-key", "y" * 31])
def test_a_short_key_file_is_refused(data, text):
    path = data / "secret.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, text.encode())
    os.close(fd)
    with pytest.raises(WeakSecretError) as info:
        load_secret(data)
    assert info.value.source == str(path) and info.value.length == len(text.strip())
    assert path.read_text() == text  # refused, never replaced behind the lifter's back


def test_keys_of_32_bytes_and_more_are_taken(data, monkeypatch):
    (data / "secret.key").write_text("k" * 32)
    os.chmod(data / "secret.key", 0o600)
    assert load_secret(data) == "k" * 32
    monkeypatch.setenv("OVERLOAD_SECRET_KEY", "e" * 32)
    assert load_secret(data) == "e" * 32


def test_the_generated_key_is_long_and_its_file_0600(data):
    old = os.umask(0)
    try:
        key = load_secret(data)
    finally:
        os.umask(old)
    path = data / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key.encode()) >= SECRET_MIN_BYTES and path.read_text() == key
    assert load_secret(data) == key
    assert [p.name for p in data.iterdir()] == ["secret.key"]  # no temporary file left


def test_start_up_refuses_a_short_key_in_one_line(data, monkeypatch, database_url):
    monkeypatch.setenv("OVERLOAD_SECRET_KEY", "a")
    with pytest.raises(launch.StartupError) as info:
        launch.open_services(database_url)
    assert isinstance(info.value.cause, WeakSecretError)
    assert "at least 32 bytes" in str(info.value) and "\n" not in str(info.value)
