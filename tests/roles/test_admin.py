"""The admin's side: ``overload admin pg-setup/pg-lifter/pg-lifters``, re-running the setup, the
roles it refuses, SQLite's one line, and a lifter's role meeting a database behind its overload."""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from psycopg2 import errors

from overload_tui.__main__ import main
from overload_tui.db import migrate, roles
from overload_tui.db.engine import Database
from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from tests.roles.conftest import drop_roles, role_url

pg = pytest.mark.postgres


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _policies(world) -> list[tuple]:
    conn = world.owner()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies ORDER BY 1, 2")
            return cur.fetchall()
    finally:
        conn.close()


@pytest.fixture
def carol(world, lifter_data_dir):
    """A third account, and a fresh role name for it (dropped afterwards)."""
    from overload_tui.services import Services

    services = Services.open(world.url, data_dir=lifter_data_dir, bcrypt_rounds=4)
    name = f"carol_{uuid.uuid4().hex[:6]}"
    role = f"ovl_t_{name}"
    try:
        services.auth.register(name, f"{name}@example.com", "carol's password")
        yield name, role
    finally:
        services.close()
        conn = world.owner()
        try:
            with conn, conn.cursor() as cur:
                cur.execute("DELETE FROM users WHERE username = %s", (name,))
        finally:
            conn.close()
        drop_roles(role)


@pg
def test_setup_again_changes_nothing_and_still_holds(world, capsys):
    before = _policies(world)
    code, out, err = _cli(capsys, "--database", world.url, "admin", "pg-setup")
    assert code == 0, err
    assert _policies(world) == before
    assert "local   " in out and " all   peer" in out
    assert "users" in out and "sets" in out
    conn = world.alice.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT username FROM users")
            assert cur.fetchall() == [("alice",)]
    finally:
        conn.close()


@pg
def test_bind_list_and_remove_from_the_command_line(world, carol, capsys):
    name, role = carol
    code, out, err = _cli(capsys, "--database", world.url, "admin", "pg-lifter", name, "--role", role)
    assert code == 0, err
    assert role in out and "created" in out and "host=/var/run/postgresql" in out
    code, out, _ = _cli(capsys, "--database", world.url, "admin", "pg-lifters")
    assert f"{name}\t{role}" in out.splitlines()
    assert f"alice\t{world.alice.role}" in out.splitlines()
    conn = psycopg2.connect(role_url(world.url, role))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT username FROM users")
            assert cur.fetchall() == [(name,)]
    finally:
        conn.close()
    jit = "SELECT count(*) FROM pg_db_role_setting WHERE setrole = %s::regrole AND 'jit=off' = ANY(setconfig)"
    assert world.owner_count(jit, (role,)) == 1  # no JIT for the policies' costly-looking plans
    # Binding again is a no-op; the same role for someone else is refused.
    assert _cli(capsys, "--database", world.url, "admin", "pg-lifter", name, "--role", role)[0] == 0
    code, _, err = _cli(capsys, "--database", world.url, "admin", "pg-lifter", "alice", "--role", role)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "already acts for" in err
    code, out, err = _cli(capsys, "--database", world.url, "admin", "pg-lifter", name, "--remove")
    assert code == 0, err
    assert role in out
    assert world.owner_count(jit, (role,)) == 0
    conn = psycopg2.connect(role_url(world.url, role))  # the role stays, with nothing to read
    try:
        with conn.cursor() as cur, pytest.raises(errors.InsufficientPrivilege):
            cur.execute("SELECT username FROM users")
    finally:
        conn.close()
    assert f"{name}\t-" in _cli(capsys, "--database", world.url, "admin", "pg-lifters")[1].splitlines()


@pg
def test_roles_that_would_see_everything_are_refused(world, carol):
    name, _ = carol
    db = Database.connect(world.url)
    try:
        with pytest.raises(roles.UnsafeRoleError) as info:
            roles.bind(db, name, "postgres")  # a superuser (and the tables' owner here)
        assert info.value.reason == "superuser"
        with pytest.raises(ConflictError):
            roles.bind(db, name, world.alice.role)
        with pytest.raises(NotFoundError):
            roles.bind(db, "nobody_here", "ovl_t_nobody")
    finally:
        db.dispose()
    assert world.owner_count("SELECT count(*) FROM users WHERE username = %s AND db_role IS NULL", (name,)) == 1


@pytest.mark.parametrize("name", ['x"; DROP TABLE users; --', "pg_monitor", "public", "", "9lives",
                                  "a" * 64, "overload_lifter", "bob smith"])
def test_role_names_are_checked(name):
    with pytest.raises(ValidationError) as info:
        roles.check_role_name(name)
    assert info.value.field == "role"


def test_role_names_unix_logins_use_are_fine():
    for name in ("bob", "alice.smith", "j-doe", "_svc", "Bob2"):
        assert roles.check_role_name(name) == name


def test_sqlite_is_refused_in_one_line(tmp_path, capsys, data_dir):
    url = f"sqlite:///{tmp_path / 'o.db'}"
    db = Database.connect(url)
    try:
        for call in (lambda: roles.setup(db), lambda: roles.bind(db, "alice", "alice"), lambda: roles.bindings(db)):
            with pytest.raises(roles.NotPostgresError) as info:
                call()
            assert info.value.backend == "sqlite"
    finally:
        db.dispose()
    for argv in (["admin", "pg-setup"], ["admin", "pg-lifter", "alice", "--role", "alice"], ["admin", "pg-lifters"]):
        code, out, err = _cli(capsys, "--database", url, *argv)
        assert code == 1 and out == ""
        assert len(err.strip().splitlines()) == 1 and "need PostgreSQL" in err and "sqlite" in err


def test_admin_commands_are_listed_as_admin(capsys):
    with pytest.raises(SystemExit):
        main(["admin", "--help"])
    out = capsys.readouterr().out
    assert "pg-setup" in out and "pg-lifter" in out and "pg-lifters" in out
    with pytest.raises(SystemExit):
        main(["admin", "pg-setup", "--help"])
    assert "Admin command" in capsys.readouterr().out


@pg
def test_a_lifter_role_meeting_an_older_database_asks_for_the_admin(world, lifter_data_dir):
    from overload_tui import launch

    conn = world.owner()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("UPDATE alembic_version SET version_num = %s", (migrate.REVISIONS[-2],))
        with pytest.raises(launch.StartupError) as info:
            launch.open_services(world.alice.url, data_dir=lifter_data_dir)
        assert isinstance(info.value.cause, migrate.UpgradeByAdminError)
        line = str(info.value)
        assert len(line.splitlines()) == 1 and "overload db upgrade" in line and "admin" in line
        with conn.cursor() as cur:  # and nothing was changed
            cur.execute("SELECT version_num FROM alembic_version")
            assert cur.fetchall() == [(migrate.REVISIONS[-2],)]
    finally:
        with conn, conn.cursor() as cur:
            cur.execute("UPDATE alembic_version SET version_num = %s", (migrate.HEAD,))
        conn.close()


@pg
def test_db_upgrade_covers_a_table_a_migration_added(world, capsys):
    """A new table with a user_id column (as a migration would add) is out of a lifter's reach
    until the policies are re-applied, which ``overload db upgrade`` does."""
    conn = world.owner()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE goals (id serial PRIMARY KEY, user_id integer NOT NULL, what text)")
            cur.execute("INSERT INTO goals (user_id, what) VALUES (%s, 'alice''s'), (%s, 'bob''s')",
                        (world.alice.id, world.bob.id))
        lifter = world.alice.connect()
        try:
            with lifter.cursor() as cur, pytest.raises(errors.InsufficientPrivilege):
                cur.execute("SELECT what FROM goals")
            lifter.rollback()
            code, _, err = _cli(capsys, "--database", world.url, "db", "upgrade")
            assert code == 0, err
            with lifter.cursor() as cur:
                cur.execute("SELECT what FROM goals")
                assert cur.fetchall() == [("alice's",)]
                cur.execute("INSERT INTO goals (user_id, what) VALUES (%s, 'x')", (world.alice.id,))
            lifter.rollback()
            with lifter.cursor() as cur, pytest.raises(errors.InsufficientPrivilege):
                cur.execute("INSERT INTO goals (user_id, what) VALUES (%s, 'x')", (world.bob.id,))
        finally:
            lifter.close()
    finally:
        with conn, conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS goals")
        conn.close()


@pg
def test_a_lifter_running_db_upgrade_at_head_changes_nothing(world, capsys, lifter_data_dir):
    before = _policies(world)
    db = Database.connect(world.alice.url)
    try:
        assert migrate.upgrade(db) == 0
    finally:
        db.dispose()
    assert _policies(world) == before


@pg
def test_a_non_superuser_owner_sees_everything_and_re_applies_on_upgrade(tmp_path, monkeypatch):
    """The usual server: the tables belong to an ordinary role (the app's owner), a superuser ran
    pg-setup. Row-level security is not FORCEd, so the owner still reads every lifter's rows;
    its own 'db upgrade' re-applies the policies; it can never be a lifter's role."""
    from tests.conftest import PG_ADMIN_DSN, _pg_admin

    from overload_tui.services import Services

    tag = uuid.uuid4().hex[:8]
    owner, lifter, name = f"ovl_t_owner_{tag}", f"ovl_t_al_{tag}", f"overload_test_own_{tag}"
    admin_url = f"{PG_ADMIN_DSN.rsplit('/', 1)[0]}/{name}"
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE ROLE "{owner}" LOGIN')
            cur.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        data = tmp_path / "d"
        data.mkdir(mode=0o700)
        monkeypatch.setenv("OVERLOAD_SECRET_KEY", "k" * 40)
        services = Services.open(role_url(admin_url, owner), data_dir=data, bcrypt_rounds=4)
        try:
            services.auth.register("alice", "alice@example.com", "correct horse")
            services.auth.register("bob", "bob@example.com", "battery staple")
        finally:
            services.close()
        db = Database.connect(admin_url)  # the superuser
        try:
            roles.setup(db)
            roles.bind(db, "alice", lifter)
            with pytest.raises(roles.UnsafeRoleError) as info:
                roles.bind(db, "bob", owner)
            assert info.value.reason == "owner"
        finally:
            db.dispose()
        as_owner = Database.connect(role_url(admin_url, owner))
        try:
            assert migrate.upgrade(as_owner) == 0  # at head: re-applies, as the tables' owner
            with as_owner.engine.begin() as c:
                assert roles.reapply(c)  # (which the owner may: it did not fall back)
            with as_owner.engine.connect() as c:
                assert sorted(c.exec_driver_sql("SELECT username FROM users").scalars()) == ["alice", "bob"]
                assert c.exec_driver_sql(
                    "SELECT count(*) FROM pg_policies WHERE tablename = 'sets'").scalar() == 1
        finally:
            as_owner.dispose()
        c = psycopg2.connect(role_url(admin_url, lifter))
        try:
            with c.cursor() as cur:
                cur.execute("SELECT username FROM users")
                assert cur.fetchall() == [("alice",)]
        finally:
            c.close()
    finally:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()
        drop_roles(lifter, owner)
