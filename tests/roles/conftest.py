"""One PostgreSQL database per test module, with two lifters (alice, bob), each bound to a throwaway
LOGIN role of their own (roles are cluster-wide: unique names, dropped at the end, also on
failure). Lifters connect over TCP with the server's trust authentication here; on a real server
it is peer authentication over the Unix socket, which only changes who may claim the role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import psycopg2
import pytest

from tests.conftest import _pg_admin, make_pg_database

PASSWORDS = {"alice": "correct horse", "bob": "battery staple"}


@dataclass
class Lifter:
    name: str
    id: int
    role: str
    url: str  # postgresql://ROLE@host/db
    session_id: int
    template_id: int
    entry_id: int  # an exercise_session of the workout
    set_id: int
    custom_exercise_id: int

    def connect(self):
        """A raw psycopg2 connection as the lifter's role, as psql would have."""
        return psycopg2.connect(self.url.replace("postgresql+psycopg2://", "postgresql://"))


@dataclass
class World:
    url: str  # the owner's (superuser's) URL
    alice: Lifter
    bob: Lifter

    def owner(self):
        return psycopg2.connect(self.url)

    def owner_count(self, sql: str, params=()) -> int:
        conn = self.owner()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchone()[0]
        finally:
            conn.close()


def role_url(url: str, role: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def drop_roles(*names: str) -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            for name in names:
                cur.execute(f'DROP ROLE IF EXISTS "{name}"')
    finally:
        conn.close()


def _fill(services, name: str, email: str) -> tuple:
    user = services.auth.register(name, email, PASSWORDS[name], name.title())
    ws = services.workouts(user.id)
    bench = next(e for e in ws.search_exercises("Bench Press (Barbell)") if e.name == "Bench Press (Barbell)")
    custom = ws.create_exercise(f"{name.title()} Press", "chest", "barbell")
    template = ws.create_template(f"{name} day")
    ws.add_entry(bench.id, template_id=template.id)
    session = ws.start_session(datetime(2026, 11, 2, 18, 0), name=f"{name} workout")
    entry = ws.add_entry(custom.id, session_id=session.id)
    ws.add_entry(bench.id, session_id=session.id)
    first = ws.add_set(entry.id, 60, 5)
    ws.add_set(entry.id, 62.5, 5)
    services.settings(user.id).set_exercise_unit(custom.id, "lbs")
    services.body(user.id).log(80, on=date(2026, 11, 2))
    return user, session.id, template.id, entry.id, first.id, custom.id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from overload_tui.db import roles
    from overload_tui.db.engine import Database
    from overload_tui.services import Services

    url, drop = make_pg_database()
    tag = uuid.uuid4().hex[:8]
    names = {"alice": f"ovl_t_alice_{tag}", "bob": f"ovl_t_bob_{tag}"}
    data = tmp_path_factory.mktemp("owner")
    data.chmod(0o700)
    try:
        services = Services.open(url, data_dir=data, bcrypt_rounds=4)
        try:
            made = {n: _fill(services, n, f"{n}@example.com") for n in names}
        finally:
            services.close()
        db = Database.connect(url)
        try:
            roles.setup(db)
            for name, role in names.items():
                roles.bind(db, name, role)
        finally:
            db.dispose()
        lifters = {
            name: Lifter(name, made[name][0].id, names[name], role_url(url, names[name]), *made[name][1:])
            for name in names
        }
        yield World(url=url, alice=lifters["alice"], bob=lifters["bob"])
    finally:
        drop()
        drop_roles(*names.values())


@pytest.fixture
def lifter_data_dir(tmp_path, monkeypatch):
    d = tmp_path / "lifter"
    d.mkdir(mode=0o700)
    monkeypatch.setenv("OVERLOAD_DATA_DIR", str(d))
    monkeypatch.delenv("OVERLOAD_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return d


