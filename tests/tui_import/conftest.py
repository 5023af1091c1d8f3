"""Import-screen fixtures: the real OverloadApp on a real database file (SQLite and PostgreSQL,
through the root conftest's ``database_url``), a fixed clock and Alice's saved log-in."""

from __future__ import annotations

import pytest

from overload_tui import clock
from overload_tui.app import OverloadApp
from tests.tui.helpers import FIXED_NOW, PASSWORD


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def make_app(services):
    return lambda: OverloadApp(services)


@pytest.fixture
def logged_in(services, alice):
    services.tokens.save(services.auth.login("alice", PASSWORD).token)
    return alice
