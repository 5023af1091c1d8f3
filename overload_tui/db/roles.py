"""One PostgreSQL role per lifter, and row-level security keyed to it (issue 17). No UI here.

The admin, connected as the database's owner (or a superuser), runs ``setup`` once: a group role
(``GROUP_ROLE``, NOLOGIN) gets the privileges the app needs, and every table a lifter touches
gets row-level security with policies that keep each row to the user whose ``users.db_role`` is
``current_user``. ``bind`` then makes a lifter's LOGIN role (no password: peer authentication
over the Unix socket), puts it in the group and writes it into ``users.db_role``.

What a lifter's role may do, table by table (``_POLICIES``):

- ``users``: read, update and delete its own row only; never ``id`` or ``db_role`` (column
  privileges), never insert (the admin makes accounts). Other rows, and their password hashes,
  are invisible.
- ``sessions``, ``templates``, ``user_settings``, ``body_weights`` and every other table with a
  ``user_id`` column (``programs``, ``ssh_keys``...): its own rows. A workout may only name its
  own template.
- ``exercise_sessions``: those of its own workouts and templates, naming an exercise it can see;
  ``sets``: those of such exercise_sessions. (A subquery inside a policy is itself filtered by
  that table's policies: ``EXISTS (SELECT 1 FROM sessions s WHERE s.id = ...)`` means "one of
  my sessions".)
- ``exercises``: reads the catalogue (``owner_id`` NULL) and its own custom exercises; writes
  only its own. Catalogue rows cannot be inserted, changed or deleted.
- ``login_attempts``: only the rows counting failures on its own account (``subject`` =
  ``account_subject(its id)``, computed in SQL). It can neither see nor forge another account's
  counter (no lock-out of someone else, no clearing of one). Names no account has are not
  counted on a lifter's connection (``rows_limited``): through it no other account exists, so
  there is nothing to guess.
- ``alembic_version``: read (start-up checks the revision). Tables this module does not know
  and that have no ``user_id`` column get nothing (they are listed by ``setup``).

Every policy has USING and WITH CHECK, so a row can neither be read nor written, nor moved to
another user. Row-level security is ENABLEd, not FORCEd: the tables' owner (the admin's role,
which migrates, seeds the catalogue, adds accounts and binds roles) still sees everything, as do
superusers whatever FORCE says. So a lifter's role must be none of those: ``bind`` refuses a
superuser, a role with BYPASSRLS and a member of the owner's role.

Policies and grants are not schema: ``setup`` re-applies them all (idempotent: it drops and
re-creates its own policies, revokes and re-grants the group's privileges), and
``migrate.upgrade`` calls ``reapply`` so tables a new migration adds are covered at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from overload_tui.db.engine import Database
from overload_tui.domain.errors import ConflictError, NotFoundError, OverloadError, ValidationError

log = logging.getLogger(__name__)

GROUP_ROLE = "overload_lifter"
POLICY_PREFIX = "overload_"
HBA_LINE = "local   {database}   all   peer"
# Unix login names (letters, digits, _ . -), at most PostgreSQL's 63 bytes; pg_ is reserved.
_ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,62}")
_RESERVED = {"public", "none", "current_user", "session_user", "current_role", GROUP_ROLE}

# The id of the user this connection acts for (NULL for any role not bound to one).
ME = "(SELECT u.id FROM users u WHERE u.db_role = CURRENT_USER)"
_OWN = f"user_id = {ME}"
_ACCOUNT_SUBJECT = f"encode(sha256(convert_to('account:' || {ME}::text, 'UTF8')), 'hex')"

# Rows with no user_id are checked by probing their parent, row by row (the parent's own policy
# applies to the probe): the work grows with the rows a query reads, not with the lifter's
# history. "IN (SELECT id FROM exercise_sessions)" built the set of every exercise_session of
# the lifter for each query and led the planner to scan every set of every lifter (a workout
# 0.2 ms for the owner, 70 ms for the lifter; see benchmarks/bench_roles.py).
_OWN_PARENT = ("EXISTS (SELECT 1 FROM sessions s WHERE s.id = exercise_sessions.session_id)"
               " OR EXISTS (SELECT 1 FROM templates t WHERE t.id = exercise_sessions.template_id)")
_OWN_ENTRY = "EXISTS (SELECT 1 FROM exercise_sessions es WHERE es.id = sets.exercise_session_id)"

# table -> [(policy suffix, command, USING, WITH CHECK)]: tables with a user_id column and no
# entry here get [("own", "ALL", _OWN, _OWN)].
_POLICIES: dict[str, list[tuple[str, str, str, str | None]]] = {
    "users": [("own", "ALL", "db_role = CURRENT_USER", "db_role = CURRENT_USER")],
    "sessions": [("own", "ALL", _OWN,
                  f"{_OWN} AND (template_id IS NULL OR template_id IN (SELECT id FROM templates))")],
    "exercises": [
        ("catalogue", "SELECT", "owner_id IS NULL", None),
        ("own", "ALL", f"owner_id = {ME}", f"owner_id = {ME}"),
    ],
    "exercise_sessions": [("own", "ALL", _OWN_PARENT,
                           f"({_OWN_PARENT}) AND exercise_id IN (SELECT id FROM exercises)")],
    "sets": [("own", "ALL", _OWN_ENTRY, _OWN_ENTRY)],
    "login_attempts": [("own", "ALL", f"subject = {_ACCOUNT_SUBJECT}", f"subject = {_ACCOUNT_SUBJECT}")],
}
_READ_ONLY = ("alembic_version",)
# users: columns a lifter may never change (which user a row is, and whose role acts for it).
_USERS_FIXED = ("id", "db_role")


class RolesError(OverloadError):
    """Base of this module's errors; the message is one line for the admin."""


class NotPostgresError(RolesError):
    """Database roles need PostgreSQL. ``backend``: the database's type ("sqlite")."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        super().__init__(
            f"Database roles and row-level security need PostgreSQL; this database is {backend} "
            "(there, only the file's permissions keep lifters apart)."
        )


class NotSetUpError(RolesError):
    """``bind`` before ``setup``: row-level security is not on in this database."""

    def __init__(self, database: str) -> None:
        self.database = database
        super().__init__(
            f"Row-level security is not set up in {database}: run 'overload admin pg-setup' first."
        )


class UnsafeRoleError(RolesError):
    """The role would see every row whatever the policies say. ``role``; ``reason``:
    "superuser", "bypassrls" or "owner" (it is, or is a member of, the tables' owner)."""

    def __init__(self, role: str, reason: str) -> None:
        self.role, self.reason = role, reason
        what = {"superuser": "is a superuser", "bypassrls": "has BYPASSRLS",
                "owner": "owns the tables (or is a member of their owner's role)"}[reason]
        super().__init__(
            f"The role {role!r} {what}, so row-level security would not apply to it; "
            "bind a lifter to a role of their own."
        )


def check_role_name(name: str) -> str:
    """``name`` if it can be a lifter's role (a Unix login name), else ValidationError."""
    name = (name or "").strip()
    if not _ROLE_NAME.fullmatch(name) or len(name.encode()) > 63:
        raise ValidationError(
            f"{name!r} is not a role name overload makes: letters, digits, _ . - (at most 63), "
            "not starting with a digit, '.' or '-'.", field="role")
    if name.lower().startswith("pg_") or name.lower() in _RESERVED:
        raise ValidationError(f"{name!r} is reserved; use the lifter's Unix login name.", field="role")
    return name


def _require_pg(db: Database) -> None:
    if db.is_sqlite:
        raise NotPostgresError(db.url.get_backend_name())


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


# -- setup ----------------------------------------------------------------------------------------
@dataclass
class SetupReport:
    database: str
    group: str
    created_group: bool
    policed: list[str] = field(default_factory=list)  # tables with row-level security
    read_only: list[str] = field(default_factory=list)
    not_granted: list[str] = field(default_factory=list)  # tables lifters cannot touch

    @property
    def hba_line(self) -> str:
        return HBA_LINE.format(database=self.database)


def setup(db: Database) -> SetupReport:
    """Create the group role if missing and (re)apply every grant and policy, in one transaction.
    Run as the tables' owner with CREATEROLE (or as a superuser)."""
    _require_pg(db)
    with db.engine.begin() as conn:
        created = _ensure_group(conn)
        group = _q(conn, GROUP_ROLE)
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {_q(conn, _database(conn))} TO {group}")
        schema = _q(conn, conn.scalar(text("SELECT current_schema()")))
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {group}")
        report = apply(conn)
        report.created_group = created
        return report


def _ensure_group(conn: Connection) -> bool:
    if _role_exists(conn, GROUP_ROLE):
        return False
    from sqlalchemy.exc import DBAPIError

    try:
        with conn.begin_nested():  # another database of this cluster may make it at the same time
            conn.exec_driver_sql(f"CREATE ROLE {_q(conn, GROUP_ROLE)} NOLOGIN")
    except DBAPIError as error:
        if getattr(error.orig, "pgcode", None) not in ("42710", "23505") and not _role_exists(conn, GROUP_ROLE):
            raise
        return False
    return True


def _role_exists(conn: Connection, role: str) -> bool:
    return bool(conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}))


def _tables(conn: Connection) -> dict[str, set[str]]:
    """This schema's tables and their columns."""
    rows = conn.execute(text(
        "SELECT c.relname, a.attname FROM pg_class c"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE c.relkind IN ('r', 'p') AND c.relnamespace = current_schema()::regnamespace"
    ))
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def apply(conn: Connection) -> SetupReport:
    """Every table's grants and policies, on ``conn`` (the tables' owner's, inside its
    transaction; the group role must exist). What only the database's owner may grant (CONNECT,
    USAGE on the schema) is ``setup``'s."""
    group = _q(conn, GROUP_ROLE)
    report = SetupReport(database=_database(conn), group=GROUP_ROLE, created_group=False)
    schema = _q(conn, conn.scalar(text("SELECT current_schema()")))
    for table, columns in sorted(_tables(conn).items()):
        t = _q(conn, table)
        conn.exec_driver_sql(f"REVOKE ALL ON {t} FROM {group}")
        policies = _POLICIES.get(table) or ([("own", "ALL", _OWN, _OWN)] if "user_id" in columns else None)
        if policies is None:
            if table in _READ_ONLY:
                conn.exec_driver_sql(f"GRANT SELECT ON {t} TO {group}")
                report.read_only.append(table)
            else:
                report.not_granted.append(table)
            continue
        if table == "users":
            updatable = ", ".join(_q(conn, c) for c in sorted(columns - set(_USERS_FIXED)))
            conn.exec_driver_sql(f"GRANT SELECT, DELETE, UPDATE ({updatable}) ON {t} TO {group}")
        else:
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {group}")
        conn.exec_driver_sql(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        for (name,) in conn.execute(
            text("SELECT policyname FROM pg_policies WHERE schemaname = current_schema()"
                 " AND tablename = :t AND policyname LIKE :p"), {"t": table, "p": POLICY_PREFIX + "%"}
        ).all():
            conn.exec_driver_sql(f"DROP POLICY {_q(conn, name)} ON {t}")
        for suffix, command, using, check in policies:
            with_check = f" WITH CHECK ({check})" if check else ""
            conn.exec_driver_sql(
                f"CREATE POLICY {_q(conn, POLICY_PREFIX + suffix)} ON {t} FOR {command} TO {group}"
                f" USING ({using}){with_check}"
            )
        report.policed.append(table)
    conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {group}")
    return report


def is_set_up(conn: Connection) -> bool:
    """Whether ``setup`` ran in this database: row-level security is on for ``users``."""
    return bool(conn.scalar(text(
        "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('users')")))


def can_administer(conn: Connection) -> bool:
    """Whether this connection may change the schema: a superuser or a member of the owner's role
    of alembic_version (or, in an empty database, one that may create tables)."""
    return bool(conn.scalar(text(
        "SELECT CASE WHEN to_regclass('alembic_version') IS NULL"
        " THEN has_schema_privilege(current_schema(), 'CREATE')"
        " ELSE pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass('alembic_version')), 'USAGE')"
        " END")))


def reapply(conn: Connection) -> bool:
    """After a migration (``migrate.upgrade``, same transaction): re-apply the grants and
    policies when ``setup`` ran here before and this connection may, so tables a migration added
    are covered at once (until then a lifter's role cannot touch them). True when it did."""
    if conn.dialect.name != "postgresql" or not is_set_up(conn) or not can_administer(conn):
        return False
    if not _role_exists(conn, GROUP_ROLE):
        return False
    from sqlalchemy.exc import DBAPIError

    try:
        with conn.begin_nested():  # never fail the migration over it: pg-setup can be run again
            apply(conn)
    except DBAPIError as error:
        log.warning("could not re-apply the lifters' policies (run 'overload admin pg-setup'): %s", error.orig)
        return False
    return True


def rows_limited(conn: Connection) -> bool:
    """Whether row-level security filters what this connection sees (a lifter's own role):
    False on SQLite, for the owner and for superusers."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.scalar(text(
        "SELECT CASE WHEN to_regclass('login_attempts') IS NULL THEN false"
        " ELSE row_security_active('login_attempts') END")))


# -- lifters --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Binding:
    username: str
    role: str | None
    role_exists: bool = False
    can_login: bool = False
    created: bool = False  # bind made the role
    previous: str | None = None  # the role the user had before (bind, unbind)


def _user(conn: Connection, username: str) -> tuple[int, str, str | None]:
    row = conn.execute(
        text("SELECT id, username, db_role FROM users WHERE lower(username) = lower(:u) FOR UPDATE"),
        {"u": (username or "").strip()},
    ).first()
    if row is None:
        raise NotFoundError(f"No user named {username!r} (see: overload user list).")
    return row[0], row[1], row[2]


def _check_safe(conn: Connection, role: str) -> tuple[bool, bool]:
    """(exists, can log in); UnsafeRoleError for a role row-level security would not apply to."""
    row = conn.execute(text(
        "SELECT rolsuper, rolbypassrls, rolcanlogin,"
        " pg_has_role(oid, (SELECT relowner FROM pg_class WHERE oid = to_regclass('users')), 'MEMBER')"
        " FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if row is None:
        return False, False
    superuser, bypass, login, owner = row
    for flag, reason in ((superuser, "superuser"), (bypass, "bypassrls"), (owner, "owner")):
        if flag:
            raise UnsafeRoleError(role, reason)
    return True, bool(login)


def bind(db: Database, username: str, role: str) -> Binding:
    """Make ``role`` (a LOGIN role without a password, created if missing) act as ``username``
    and only as them. ConflictError if the role acts for someone else; the user's earlier role,
    if any, leaves the group."""
    _require_pg(db)
    role = check_role_name(role)
    with db.engine.begin() as conn:
        if not is_set_up(conn) or not _role_exists(conn, GROUP_ROLE):
            raise NotSetUpError(_database(conn))
        user_id, name, previous = _user(conn, username)
        holder = conn.scalar(text("SELECT username FROM users WHERE db_role = :r AND id <> :i"),
                             {"r": role, "i": user_id})
        if holder is not None:
            raise ConflictError(f"The role {role!r} already acts for {holder!r}; unbind it first.", field="role")
        exists, can_login = _check_safe(conn, role)
        if not exists:
            conn.exec_driver_sql(f"CREATE ROLE {_q(conn, role)} LOGIN NOSUPERUSER NOBYPASSRLS INHERIT")
            can_login = True
        conn.exec_driver_sql(f"GRANT {_q(conn, GROUP_ROLE)} TO {_q(conn, role)}")
        # The policies' per-row checks raise the planner's cost estimates past jit_above_cost,
        # and compiling a query then takes longer (~0.2 s) than running it: no JIT here.
        conn.exec_driver_sql(f"ALTER ROLE {_q(conn, role)} IN DATABASE {_q(conn, _database(conn))} SET jit = off")
        if previous and previous != role:
            _leave_group(conn, previous)
        conn.execute(text("UPDATE users SET db_role = :r WHERE id = :i"), {"r": role, "i": user_id})
    return Binding(name, role, True, can_login, created=not exists, previous=previous)


def _leave_group(conn: Connection, role: str) -> None:
    if _role_exists(conn, role):
        conn.exec_driver_sql(f"REVOKE {_q(conn, GROUP_ROLE)} FROM {_q(conn, role)}")
        conn.exec_driver_sql(f"ALTER ROLE {_q(conn, role)} IN DATABASE {_q(conn, _database(conn))} RESET jit")


def _database(conn: Connection) -> str:
    return conn.scalar(text("SELECT current_database()"))


def unbind(db: Database, username: str) -> Binding:
    """The user has no role of their own any more: ``db_role`` cleared, the role out of the group
    (it is not dropped: it may be used for other databases)."""
    _require_pg(db)
    with db.engine.begin() as conn:
        user_id, name, previous = _user(conn, username)
        if previous:
            if _role_exists(conn, GROUP_ROLE):
                _leave_group(conn, previous)
            conn.execute(text("UPDATE users SET db_role = NULL WHERE id = :i"), {"i": user_id})
    return Binding(name, None, previous=previous)


def bindings(db: Database) -> list[Binding]:
    """Every user and their role (None: no role of their own), by username."""
    _require_pg(db)
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT u.username, u.db_role, r.rolname IS NOT NULL, coalesce(r.rolcanlogin, false)"
            " FROM users u LEFT JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.username"
        )).all()
    return [Binding(*row) for row in rows]
