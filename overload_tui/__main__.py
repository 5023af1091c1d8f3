"""The ``overload`` command: launches the app, and admin subcommands for a home server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from overload_tui import __version__
from overload_tui.cli_common import CommandError, add_lifter_arguments, lifter, read_password

Handler = Callable[[argparse.Namespace], int]
UNITS = ("kg", "lbs")  # a lifter's weight units (domain.units.WeightUnit), kept light to import


def _services(args: argparse.Namespace, upgrade: bool = True):
    """The services, or a one-line error (see overload_tui.launch)."""
    from overload_tui import launch

    return launch.open_services(args.database, upgrade=upgrade)


def cmd_run(args: argparse.Namespace) -> int:
    """Open the app. Its first frame is drawn before the database layer is imported; the
    database is opened on the app's database thread (see overload_tui.app, "Start-up")."""
    import gc

    from overload_tui import launch

    gc.set_threshold(*launch.GC_THRESHOLD)  # fewer collections while importing and running

    from overload_tui.app import run_app
    from overload_tui.glance import Glance

    fatal = run_app(open_services=lambda: launch.open_services(args.database), glance=Glance.for_launch(args.database))
    if fatal:
        raise CommandError(fatal)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from overload_tui.db import migrate
    from overload_tui.db.engine import Database, safe_url

    db = Database.connect(args.database)
    try:
        added = migrate.upgrade(db)
        print(f"{safe_url(db.url)} is at revision {migrate.head_revision()}; {added} exercises added.")
    finally:
        db.dispose()
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        password = read_password(f"Password for {args.username}: ", confirm=True)
        user = services.auth.register(args.username, args.email, password, args.name, args.unit)
        print(f"Created user {user.username} (id {user.id}), lifting in {args.unit}.")
    finally:
        services.close()
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        users = services.auth.list_users()
        for user in users:
            unit = services.settings(user.id).get().weight_unit
            print(f"{user.id}\t{user.username}\t{user.email}\t{user.name or ''}\t{unit}")
        if not users:
            print("No users yet. Add one with: overload user add USERNAME --email EMAIL", file=sys.stderr)
    finally:
        services.close()
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        password = read_password(f"New password for {args.username}: ", confirm=True)
        user = services.auth.set_password(args.username, password)
        print(f"Password changed for {user.username}; their saved log-ins no longer work.")
    finally:
        services.close()
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Change your own password: the current one first, always (a saved log-in is not enough).
    Your other saved log-ins end; this terminal's is renewed."""
    from overload_tui.cli_common import saved_lifter

    services = _services(args)
    try:
        saved = saved_lifter(services)
        if args.user is not None:
            who = services.auth.find_user(args.user)
        elif saved is not None:
            who = saved
        else:
            raise CommandError("say whose password with --user USERNAME, or log in to the app here first")
        old = read_password(f"Current password for {who.username}: ", confirm=False)
        new = read_password("New password: ", confirm=True)
        token = services.auth.change_password(who.id, old, new)
        if saved is not None and saved.id == who.id:
            services.tokens.save(token)
        print(f"Password changed for {who.username}; their other saved log-ins no longer work.")
    finally:
        services.close()
    return 0


def cmd_bodyweight(args: argparse.Namespace) -> int:
    """Log a body weight for a day, or list the log: in the user's unit (or --unit); stored in kg."""
    from overload_tui.domain.units import format_weight, from_kg

    if (args.weight is None) == (not args.list):
        raise CommandError("give a weight (e.g. overload bodyweight 82.5), or --list")
    services = _services(args)
    try:
        who = lifter(args, services)
        unit = args.unit or services.settings(who.id).get().weight_unit
        body = services.body(who.id)
        if args.list:
            for entry in body.entries():
                print(f"{entry.measured_on.isoformat()}\t{format_weight(from_kg(entry.weight, unit), unit)}")
        else:
            entry = body.log(args.weight, on=args.date, unit=unit)  # stored as its exact kg
            shown = format_weight(from_kg(entry.weight, unit), unit)
            print(f"Logged {shown} on {entry.measured_on.isoformat()} for {who.username}.")
    finally:
        services.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="overload",
        description="Progressive Overload Tracker: log your sets from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"overload {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $DATABASE_URL, else an SQLite file in your data directory)",
    )
    parser.set_defaults(handler=cmd_run)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    mine = sub.add_parser("passwd", help="change your own password (asks the current one)")
    mine.add_argument("--user", metavar="USERNAME", help="whose (default: the lifter logged in to the app here)")
    mine.set_defaults(handler=cmd_passwd)

    db = sub.add_parser("db", help="admin: database maintenance")
    db_sub = db.add_subparsers(title="db commands", metavar="COMMAND", required=True)
    db_sub.add_parser("upgrade", help="migrate the database to the latest schema and seed exercises").set_defaults(
        handler=cmd_db_upgrade
    )

    user = sub.add_parser(
        "user", help="admin: manage every lifter's account",
        description="Admin commands: they act for any lifter without their password, so they need "
        "the database owner's access (see README, Security).")
    user_sub = user.add_subparsers(title="user commands", metavar="COMMAND", required=True)
    add = user_sub.add_parser("add", help="create an account (password from stdin, or prompted)")
    add.add_argument("username")
    add.add_argument("--email", required=True)
    add.add_argument("--name")
    add.add_argument("--unit", choices=UNITS, default="kg", help="the unit they lift in (default kg)")
    add.set_defaults(handler=cmd_user_add)
    user_sub.add_parser("list", help="list accounts (id, username, email, name, unit)").set_defaults(
        handler=cmd_user_list)
    passwd = user_sub.add_parser("passwd", help="admin: set a user's password without the old one "
                                 "(a lifter changes their own with: overload passwd)")
    passwd.add_argument("username")
    passwd.set_defaults(handler=cmd_user_passwd)

    body = sub.add_parser(
        "bodyweight",
        help="log your body weight for a day (in your unit, kg or lbs), or list the log",
        description="Weighted and assisted bodyweight sets count body weight plus or minus their load. "
        "A second weight on the same day replaces the first. Weights are typed and listed in the "
        "user's unit (their setting), or in --unit.",
    )
    body.add_argument("weight", nargs="?", help="more than 0, at most 500 kg (1102.31 lb)")
    body.add_argument("--unit", choices=UNITS, help="the unit typed and listed (default: the user's)")
    body.add_argument("--date", help="the day (YYYY-MM-DD, 'yesterday'; default today)")
    body.add_argument("--list", action="store_true", help="print the log, oldest first")
    add_lifter_arguments(body, "whose log")
    body.set_defaults(handler=cmd_bodyweight)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Modules that add subcommands (import, export...) register here.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []
from overload_tui.cli_transfer import register as _register_transfer  # noqa: E402  (import, export)

_EXTRA_COMMANDS.append(_register_transfer)
from overload_tui.cli_roles import register as _register_roles  # noqa: E402  (admin pg-setup, pg-lifter)

_EXTRA_COMMANDS.append(_register_roles)
from overload_tui.cli_serve import register as _register_serve  # noqa: E402  (serve, user key)

_EXTRA_COMMANDS.append(_register_serve)
from overload_tui.cli_program import register as _register_program  # noqa: E402  (program)

_EXTRA_COMMANDS.append(_register_program)


def main(argv: Sequence[str] | None = None) -> int:
    # Nothing heavy here: `overload` draws its first frame before SQLAlchemy is imported.
    from overload_tui.domain.errors import OverloadError

    from overload_tui.launch import check_database_url

    args = build_parser().parse_args(argv)
    try:
        problem = check_database_url(args.database)  # before anything starts
        if problem:
            raise CommandError(problem)
        return args.handler(args)
    except (CommandError, OverloadError) as error:
        print(f"overload: error: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("overload: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if not type(error).__module__.startswith("sqlalchemy"):
            raise
        print(f"overload: error: database problem: {_db_reason(error)}", file=sys.stderr)
    return 1


def _db_reason(error: Exception) -> str:
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


if __name__ == "__main__":
    sys.exit(main())
