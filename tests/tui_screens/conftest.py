"""Fixtures for the templates, history and progress screen tests (helpers live in helpers.py)."""

from __future__ import annotations

import pytest

from overload_tui import clock
from tests.tui_screens.helpers import FIXED_NOW


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def sqlite_services(tmp_path, data_dir):
    """Services on a SQLite file (snapshot tests: one backend is enough for looks)."""
    from overload_tui.services import Services

    svc = Services.open(f"sqlite:///{tmp_path / 'snap.db'}", data_dir=data_dir, bcrypt_rounds=4)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def snap_user(sqlite_services):
    return sqlite_services.auth.register("alice", "alice@example.com", "correct horse", "Alice")


@pytest.fixture
def snap_ws(sqlite_services, snap_user):
    return sqlite_services.workouts(snap_user.id)
