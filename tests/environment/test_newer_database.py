"""Issue 17: a database upgraded by a newer overload (a revision this version does not know)
is refused in one line that says which revision it is at and which this version knows, by the
services, every command and the app's start-up; nothing in it is changed. It was a traceback
("Can't locate revision identified by ...")."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from overload_tui.db import migrate
from overload_tui.db.engine import Database
from overload_tui.services import Services
from tests.environment.helpers import DATA, add_alice, env_for, one_line_error, overload

NEWER = "0099"
SAYS = f"This database was upgraded by a newer overload (revision {NEWER}); this one knows up to {migrate.HEAD}: upgrade overload."


def _made_by_a_newer_overload(url: str) -> None:
    db = Database.connect(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    finally:
        db.dispose()


def _stored(url: str) -> set[str]:
    db = Database.connect(url)
    try:
        with db.engine.connect() as conn:
            return set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        db.dispose()


def test_revisions_list_every_migration():
    """REVISIONS (what a database may be at) must be Alembic's own list, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert list(migrate.REVISIONS) == [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert migrate.HEAD == migrate.REVISIONS[-1]


def test_the_services_refuse_it_and_change_nothing(database_url, data_dir):
    Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4).close()
    _made_by_a_newer_overload(database_url)
    with pytest.raises(migrate.NewerDatabaseError) as info:
        Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    assert str(info.value) == SAYS
    assert (info.value.revision, info.value.known) == (NEWER, migrate.HEAD)
    db = Database.connect(database_url)
    try:
        with pytest.raises(migrate.NewerDatabaseError):
            migrate.upgrade(db)  # an explicit upgrade refuses it too, before Alembic
    finally:
        db.dispose()
    assert _stored(database_url) == {NEWER}


@pytest.mark.parametrize("args", [
    ("user", "list"),
    ("db", "upgrade"),
    ("import", str(DATA / "strong_sample.csv"), "--admin", "--user", "alice"),
    ("export", "--admin", "--user", "alice", "--format", "json"),
], ids=["user-list", "db-upgrade", "import", "export"])
def test_every_command_says_it_in_one_line(database_url, tmp_path, args):
    env = env_for(tmp_path, database_url)
    add_alice(env)
    _made_by_a_newer_overload(database_url)
    assert one_line_error(overload(env, *args)) == f"overload: error: {SAYS}"
    assert _stored(database_url) == {NEWER}


def test_the_app_says_it_in_one_line_at_start_up(database_url, tmp_path):
    from tests.lifecycle.helpers import Pty

    env = env_for(tmp_path, database_url)
    add_alice(env)
    _made_by_a_newer_overload(database_url)
    term = Pty({k: env[k] for k in ("OVERLOAD_DATA_DIR", "DATABASE_URL", "PYTHONPATH")})
    try:
        assert term.wait() == 1
    finally:
        term.kill()
    lines = [line for line in term.after_app().splitlines() if line.strip()]
    assert lines == [f"overload: error: {SAYS}"], term.after_app()
    assert "Traceback" not in term.text
