"""``overload admin pg-setup``, ``pg-lifter`` and ``pg-lifters``: one PostgreSQL role per lifter.

Admin commands, run against the database as its owner (or a superuser); the work is done by
``overload_tui.db.roles``. Other modules add their admin commands to the same group with
``admin_commands(sub)``.
"""

from __future__ import annotations

import argparse

SOCKET_DIR = "/var/run/postgresql"


def admin_commands(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The subcommands of ``overload admin``, made on first call (by whichever module asks first)."""
    admin = sub.choices.get("admin")
    if admin is None:
        admin = sub.add_parser(
            "admin", help="admin commands for a shared server (run as the database's owner)",
            description="Commands for the admin of a shared server, run with a database URL of the "
            "database's owner or a superuser.")
        admin.overload_commands = admin.add_subparsers(title="admin commands", metavar="COMMAND", required=True)
    return admin.overload_commands


def _db(args: argparse.Namespace):
    from overload_tui.db.engine import Database

    return Database.connect(args.database)


def lifter_url(database: str) -> str:
    return f"postgresql:///{database}?host={SOCKET_DIR}"


def cmd_pg_setup(args: argparse.Namespace) -> int:
    from overload_tui.db import migrate, roles

    db = _db(args)
    try:
        if db.is_sqlite:
            raise roles.NotPostgresError(db.url.get_backend_name())
        if migrate.needs_upgrade(db):
            migrate.upgrade(db)
            print(f"Upgraded the database to revision {migrate.HEAD}.")
        report = roles.setup(db)
    finally:
        db.dispose()
    made = "created" if report.created_group else "already there"
    print(f"Row-level security is on in {report.database}: a lifter's role reads and writes only "
          f"their own rows in {', '.join(report.policed)}.")
    print(f"Group role {report.group} ({made}) holds the lifters' privileges; "
          f"read-only for them: {', '.join(report.read_only) or 'nothing'}; "
          f"not granted: {', '.join(report.not_granted) or 'nothing'}.")
    print("For peer authentication (no passwords), pg_hba.conf needs this line before other 'local' "
          "lines, then reload PostgreSQL:")
    print(f"    {report.hba_line}")
    print("Then give each lifter their role: overload admin pg-lifter USERNAME --role UNIXNAME")
    return 0


def cmd_pg_lifter(args: argparse.Namespace) -> int:
    from overload_tui.db import roles
    from overload_tui.domain.errors import ValidationError

    if (args.role is None) == (not args.remove):
        raise ValidationError("give --role UNIXNAME to bind a role, or --remove to unbind")
    db = _db(args)
    try:
        if args.remove:
            done = roles.unbind(db, args.username)
            if done.previous:
                print(f"{done.username} has no role of their own any more; the role {done.previous} "
                      "left the lifters' group (it was not dropped).")
            else:
                print(f"{done.username} had no role of their own.")
            return 0
        done = roles.bind(db, args.username, args.role)
    finally:
        db.dispose()
    made = "created, no password" if done.created else "existing role"
    print(f"The role {done.role} ({made}) now acts as {done.username} and only them.")
    if done.previous and done.previous != done.role:
        print(f"Their earlier role {done.previous} left the lifters' group.")
    if not done.can_login:
        print(f"Warning: the role {done.role} cannot log in (ALTER ROLE ... LOGIN to let it).")
    print(f"They connect as the Unix user {done.role} with "
          f"DATABASE_URL='{lifter_url(db.url.database)}' (peer authentication).")
    return 0


def cmd_pg_lifters(args: argparse.Namespace) -> int:
    from overload_tui.db import roles

    db = _db(args)
    try:
        rows = roles.bindings(db)
    finally:
        db.dispose()
    for row in rows:
        state = "" if row.role is None else ("" if row.role_exists else "\t(role missing)")
        print(f"{row.username}\t{row.role or '-'}{state}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    admin = admin_commands(sub)
    admin.add_parser(
        "pg-setup", help="PostgreSQL: turn on row-level security and the lifters' group role",
        description="Admin command (run as the database's owner with CREATEROLE, or a superuser): "
        "upgrades the database if needed, makes the group role the lifters' roles join, grants it "
        "what the app needs and turns on row-level security so that a lifter's role reads and writes "
        "only that lifter's rows, from the app or psql. Safe to run again (after upgrades too); "
        "prints the pg_hba.conf line for peer authentication.",
    ).set_defaults(handler=cmd_pg_setup)
    lifter = admin.add_parser(
        "pg-lifter", help="PostgreSQL: give a lifter a database role of their own (or --remove it)",
        description="Admin command: the role (usually the lifter's Unix login name; created without a "
        "password if missing, for peer authentication) acts as USERNAME and only them.",
    )
    lifter.add_argument("username", help="the account (see: overload user list)")
    lifter.add_argument("--role", metavar="UNIXNAME", help="the database role: the lifter's Unix login name")
    lifter.add_argument("--remove", action="store_true", help="the account has no role of its own any more")
    lifter.set_defaults(handler=cmd_pg_lifter)
    admin.add_parser(
        "pg-lifters", help="PostgreSQL: list accounts and their database roles",
        description="Admin command: every account and the role that acts as it ('-': none).",
    ).set_defaults(handler=cmd_pg_lifters)
