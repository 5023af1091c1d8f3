"""pytest-alembic's built-in tests on SQLite and PostgreSQL, plus the shipped-package upgrade path."""

from __future__ import annotations

import pytest
from pytest_alembic.config import Config
from pytest_alembic.tests import (  # noqa: F401 - collected as tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect

from overload_tui.db import migrate
from overload_tui.db.engine import Database


@pytest.fixture
def alembic_config():
    return Config(config_options={"script_location": migrate.alembic_config().get_main_option("script_location")})


@pytest.fixture
def alembic_engine(database_url):
    db = Database.connect(database_url)
    try:
        yield db.engine
    finally:
        db.dispose()


def test_downgrade_to_base_removes_everything(database_url):
    from alembic import command

    db = Database.connect(database_url)
    try:
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(db)  # and back up again (PostgreSQL enum types were dropped too)
        assert "sets" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()
