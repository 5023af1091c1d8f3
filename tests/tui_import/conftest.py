"""Import-screen fixtures: the same as the other TUI tests' (the real OverloadApp on a real database
file, SQLite and PostgreSQL through the root conftest's ``database_url``, a fixed clock and Alice's
saved log-in)."""

from tests.tui.conftest import fixed_clock, logged_in, make_app  # noqa: F401 - fixtures

