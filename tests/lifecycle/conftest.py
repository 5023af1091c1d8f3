"""Fixtures for the life-cycle tests: PostgreSQL through a TCP proxy that can be stopped (the
database "goes down") and started again, shared with tests/reliability."""

from tests.reliability.conftest import pg_proxy, pg_url  # noqa: F401 - fixtures
from tests.tui.conftest import logged_in  # noqa: E402, F401 - fixture: alice's saved log-in
