"""A lifter's own PostgreSQL role, from raw SQL (what psql gives them): it reads and writes its own
rows only, and cannot put a row in another lifter's hands nor take one from them."""

from __future__ import annotations

import hashlib

import psycopg2
import pytest
from psycopg2 import errors

pytestmark = pytest.mark.postgres

# table -> SQL selecting the ids (or keys) of one user's rows, %(uid)s being the user's id.
OWNED = {
    "users": "SELECT id FROM users WHERE id = %(uid)s",
    "sessions": "SELECT id FROM sessions WHERE user_id = %(uid)s",
    "templates": "SELECT id FROM templates WHERE user_id = %(uid)s",
    "exercise_sessions": "SELECT es.id FROM exercise_sessions es LEFT JOIN sessions s ON s.id = es.session_id"
    " LEFT JOIN templates t ON t.id = es.template_id WHERE coalesce(s.user_id, t.user_id) = %(uid)s",
    "sets": "SELECT st.id FROM sets st JOIN exercise_sessions es ON es.id = st.exercise_session_id"
    " JOIN sessions s ON s.id = es.session_id WHERE s.user_id = %(uid)s",
    "user_settings": "SELECT user_id || key FROM user_settings WHERE user_id = %(uid)s",
    "body_weights": "SELECT id FROM body_weights WHERE user_id = %(uid)s",
    "exercises": "SELECT id FROM exercises WHERE owner_id = %(uid)s OR owner_id IS NULL",
}
ALL = {
    "users": "SELECT id FROM users", "sessions": "SELECT id FROM sessions", "templates": "SELECT id FROM templates",
    "exercise_sessions": "SELECT id FROM exercise_sessions", "sets": "SELECT id FROM sets",
    "user_settings": "SELECT user_id || key FROM user_settings", "body_weights": "SELECT id FROM body_weights",
    "exercises": "SELECT id FROM exercises",
}


def _rows(conn, sql, params=None) -> set:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return {r[0] for r in cur.fetchall()}


def _run(conn, sql, params=None) -> int:
    """Run one statement in its own transaction; its rowcount (the change is rolled back)."""
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.rowcount
    finally:
        conn.rollback()


def _refused(conn, sql, params=None) -> type:
    """The statement fails; the error's class (its SQLSTATE)."""
    try:
        with pytest.raises(psycopg2.Error) as info:
            with conn.cursor() as cur:
                cur.execute(sql, params)
        return type(info.value)
    finally:
        conn.rollback()


@pytest.mark.parametrize("table", sorted(OWNED))
def test_each_lifter_sees_exactly_their_own_rows(world, table):
    owner = world.owner()
    try:
        for lifter, other in ((world.alice, world.bob), (world.bob, world.alice)):
            mine = _rows(owner, OWNED[table], {"uid": lifter.id})
            theirs = _rows(owner, OWNED[table], {"uid": other.id}) - mine
            assert mine and theirs or table == "exercises" and mine
            conn = lifter.connect()
            try:
                seen = _rows(conn, ALL[table])
            finally:
                conn.close()
            assert seen == mine
            assert not seen & theirs
    finally:
        owner.close()


def test_another_lifters_account_is_invisible_even_by_name(world):
    conn = world.alice.connect()
    try:
        assert _rows(conn, "SELECT username FROM users") == {"alice"}
        assert _rows(conn, "SELECT password_hash FROM users WHERE username = 'bob' OR id = %s", (world.bob.id,)) == set()
        assert _rows(conn, "SELECT count(*) FROM users") == {1}
        assert _rows(conn, "SELECT id FROM sessions WHERE id = %s", (world.bob.session_id,)) == set()
        assert _rows(conn, "SELECT id FROM sets WHERE id = %s", (world.bob.set_id,)) == set()
        # The planner's statistics do not leak other rows' values either.
        assert _rows(conn, "SELECT attname FROM pg_stats WHERE tablename = 'users'") == set()
    finally:
        conn.close()


@pytest.mark.parametrize("sql", [
    "UPDATE users SET name = 'owned' WHERE id = %(uid)s",
    "DELETE FROM users WHERE id = %(uid)s",
    "UPDATE sessions SET notes = 'owned' WHERE id = %(session)s",
    "DELETE FROM sessions WHERE user_id = %(uid)s",
    "UPDATE templates SET name = 'owned' WHERE id = %(template)s",
    "DELETE FROM templates WHERE id = %(template)s",
    "UPDATE exercise_sessions SET notes = 'owned' WHERE id = %(entry)s",
    "DELETE FROM exercise_sessions WHERE id = %(entry)s",
    "UPDATE sets SET reps = 99 WHERE id = %(set)s",
    "DELETE FROM sets WHERE id = %(set)s",
    "UPDATE user_settings SET value = 'lbs' WHERE user_id = %(uid)s",
    "DELETE FROM user_settings WHERE user_id = %(uid)s",
    "UPDATE body_weights SET weight = 1 WHERE user_id = %(uid)s",
    "DELETE FROM body_weights WHERE user_id = %(uid)s",
    "UPDATE exercises SET name = 'owned' WHERE id = %(exercise)s",
    "DELETE FROM exercises WHERE id = %(exercise)s",
    "UPDATE exercises SET name = 'owned' WHERE owner_id IS NULL",  # the catalogue
    "DELETE FROM exercises WHERE owner_id IS NULL",
])
def test_another_lifters_rows_cannot_be_changed_or_deleted(world, sql):
    bob = world.bob
    params = {"uid": bob.id, "session": bob.session_id, "template": bob.template_id, "entry": bob.entry_id,
              "set": bob.set_id, "exercise": bob.custom_exercise_id}
    conn = world.alice.connect()
    try:
        assert _run(conn, sql, params) == 0
    finally:
        conn.close()


@pytest.mark.parametrize("sql", [
    "INSERT INTO sessions (user_id, date) VALUES (%(uid)s, now())",
    "INSERT INTO templates (user_id, name) VALUES (%(uid)s, 'planted')",
    "INSERT INTO exercise_sessions (session_id, exercise_id, \"order\") VALUES (%(session)s, %(exercise)s, 9)",
    "INSERT INTO sets (exercise_session_id, weight, reps, unit, \"order\") VALUES (%(entry)s, 1, 1, 'kg', 9)",
    "INSERT INTO user_settings (user_id, key, value) VALUES (%(uid)s, 'planted', 'x')",
    "INSERT INTO body_weights (user_id, measured_on, weight) VALUES (%(uid)s, '2020-01-01', 70)",
    "INSERT INTO exercises (name, category, owner_id) VALUES ('planted', 'chest', %(uid)s)",
    "INSERT INTO exercises (name, category) VALUES ('planted', 'chest')",  # a catalogue row
    "INSERT INTO users (username, email) VALUES ('planted', 'p@example.com')",
    "INSERT INTO login_attempts (subject, attempted_at) VALUES (%(subject)s, now() + interval '1 year')",
    "INSERT INTO programs (user_id, name, source) VALUES (%(uid)s, 'planted', 'x')",
    "INSERT INTO ssh_keys (user_id, fingerprint, public_key) VALUES (%(uid)s, 'SHA256:planted', 'x')",
])
def test_rows_cannot_be_made_for_another_lifter(world, sql):
    bob = world.bob
    subject = hashlib.sha256(f"account:{bob.id}".encode()).hexdigest()
    params = {"uid": bob.id, "session": bob.session_id, "entry": bob.entry_id,
              "exercise": bob.custom_exercise_id, "subject": subject}
    conn = world.alice.connect()
    try:
        assert issubclass(_refused(conn, sql, params), errors.InsufficientPrivilege)
    finally:
        conn.close()


@pytest.mark.parametrize("sql", [
    "UPDATE sessions SET user_id = %(uid)s WHERE id = %(my_session)s",
    "UPDATE templates SET user_id = %(uid)s WHERE id = %(my_template)s",
    "UPDATE exercise_sessions SET session_id = %(session)s WHERE id = %(my_entry)s",
    "UPDATE sets SET exercise_session_id = %(entry)s WHERE id = %(my_set)s",
    "UPDATE body_weights SET user_id = %(uid)s",
    "UPDATE user_settings SET user_id = %(uid)s",
    "UPDATE exercises SET owner_id = %(uid)s WHERE id = %(my_exercise)s",
    "UPDATE exercises SET owner_id = NULL WHERE id = %(my_exercise)s",  # into the catalogue
    # Pointing one's own rows at another lifter's template or exercise:
    "UPDATE sessions SET template_id = %(template)s WHERE id = %(my_session)s",
    "UPDATE exercise_sessions SET exercise_id = %(exercise)s WHERE id = %(my_entry)s",
    # Which user a row is, and whose role acts for it, are not the lifter's to change:
    "UPDATE users SET db_role = 'someone_else' WHERE id = %(my_uid)s",
    "UPDATE users SET id = 999 WHERE id = %(my_uid)s",
])
def test_own_rows_cannot_be_moved_to_another_lifter(world, sql):
    alice, bob = world.alice, world.bob
    params = {"uid": bob.id, "session": bob.session_id, "entry": bob.entry_id, "template": bob.template_id,
              "exercise": bob.custom_exercise_id, "my_uid": alice.id, "my_session": alice.session_id,
              "my_template": alice.template_id, "my_entry": alice.entry_id, "my_set": alice.set_id,
              "my_exercise": alice.custom_exercise_id}
    conn = alice.connect()
    try:
        assert issubclass(_refused(conn, sql, params), errors.InsufficientPrivilege)
    finally:
        conn.close()


def test_own_rows_can_be_changed(world):
    alice = world.alice
    conn = alice.connect()
    try:
        assert _run(conn, "UPDATE sets SET reps = 6 WHERE id = %s", (alice.set_id,)) == 1
        assert _run(conn, "UPDATE users SET name = 'Al' WHERE id = %s", (alice.id,)) == 1
        assert _run(conn, "DELETE FROM sessions WHERE id = %s", (alice.session_id,)) == 1
        assert _run(conn, "INSERT INTO exercises (name, category, owner_id) VALUES ('Mine', 'chest', %s)",
                    (alice.id,)) == 1
    finally:
        conn.close()


def test_login_counters_of_other_accounts_are_out_of_reach(world):
    """A lifter's role counts failures on its own account only: it cannot read, clear or forge
    another account's counter (a lock-out of someone else)."""
    alice, bob = world.alice, world.bob
    bob_subject = hashlib.sha256(f"account:{bob.id}".encode()).hexdigest()
    alice_subject = hashlib.sha256(f"account:{alice.id}".encode()).hexdigest()
    owner = world.owner()
    try:
        with owner, owner.cursor() as cur:
            cur.execute("INSERT INTO login_attempts (subject, attempted_at) VALUES (%s, now())", (bob_subject,))
        conn = alice.connect()
        try:
            assert _rows(conn, "SELECT subject FROM login_attempts") <= {alice_subject}
            assert _run(conn, "DELETE FROM login_attempts WHERE subject = %s", (bob_subject,)) == 0
            assert _run(conn, "INSERT INTO login_attempts (subject, attempted_at) VALUES (%s, now())",
                        (alice_subject,)) == 1
        finally:
            conn.close()
        assert world.owner_count("SELECT count(*) FROM login_attempts WHERE subject = %s", (bob_subject,)) == 1
    finally:
        with owner, owner.cursor() as cur:
            cur.execute("DELETE FROM login_attempts WHERE subject = %s", (bob_subject,))
        owner.close()


def test_the_owner_still_sees_everything(world):
    assert world.owner_count("SELECT count(DISTINCT user_id) FROM sessions") == 2
    assert world.owner_count("SELECT count(*) FROM users") == 2
