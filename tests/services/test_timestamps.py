"""The fast reading of SQLite's timestamps gives what SQLAlchemy's DateTime gives."""

from datetime import datetime

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite

from overload_tui.services.base import timestamp_parser


@pytest.mark.parametrize("text", [
    "2025-03-04 18:30:00.000000", "2025-03-04 18:30:00.123456", "2025-03-04 18:30:00", "2025-03-04 18:30",
    "1900-01-01 00:00:00.000000", "2100-12-31 23:59:59.999999",
])
def test_sqlite_text_reads_as_sqlalchemy_reads_it(text):
    dialect = sqlite.dialect()
    general = DateTime().dialect_impl(dialect).result_processor(dialect, None)
    fast = timestamp_parser(dialect)
    assert fast(text) == general(text) and isinstance(fast(text), datetime)
    assert fast(None) is None


def test_postgresql_needs_no_parsing():
    assert timestamp_parser(postgresql.psycopg2.dialect()) is None
