"""What the ``overload`` subcommands share: one-line errors, password prompts, and who a
command acts for (a lifter proven by their saved log-in or password, or an admin)."""

from __future__ import annotations

import argparse
import getpass
import sys


class CommandError(Exception):
    """A one-line error for the command line."""


def read_password(prompt: str, confirm: bool) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise CommandError("expected the password on standard input")
        return line.rstrip("\r\n")
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the password: ") != password:
        raise CommandError("the two passwords differ")
    return password


def saved_lifter(services):
    """The lifter whose saved log-in (made by logging in to the app as this Unix user) is valid
    for this database, or None."""
    from overload_tui.domain.errors import AuthError

    token = services.tokens.load()  # UnreadableFileError: one line, the path and what to do
    if not token:
        return None
    try:
        return services.auth.verify_token(token)
    except AuthError:
        return None


def lifter(args: argparse.Namespace, services):
    """Who a command acts for, proven: this Unix user's saved log-in, or a password.

    - ``--admin --user NAME``: an admin command, acting for NAME without their password (said
      on standard error). Whoever holds the database URL can already read every row; with
      PostgreSQL roles per lifter (``overload admin pg-setup``) a lifter's connection cannot
      see another's account, so this works only on the owner's connection.
    - ``--user NAME``: NAME's saved log-in if it is this terminal's, else NAME's password
      (prompted, or the first line of standard input).
    - neither: the saved log-in, else the username or email and password, prompted.
    Wrong passwords count against the account like log-ins in the app (and are slowed down)."""
    wanted = getattr(args, "user", None)
    if getattr(args, "admin", False):
        if wanted is None:
            raise CommandError("--admin needs --user USERNAME: whose account to act for")
        user = services.auth.find_user(wanted)
        print(f"overload: admin: acting for {user.username} without their password", file=sys.stderr)
        return user
    saved = saved_lifter(services)
    if saved is not None and (wanted is None or wanted.strip().lower() in (saved.username.lower(), saved.email)):
        return saved
    if wanted is None:
        if not sys.stdin.isatty():
            raise CommandError(
                "not logged in: log in to the app once (run overload), or give --user USERNAME "
                "and the password on standard input")
        wanted = input("Username or email: ").strip()
    password = read_password(f"Password for {wanted}: ", confirm=False)
    return services.auth.authenticate(wanted, password)


def add_lifter_arguments(parser: argparse.ArgumentParser, whose: str) -> None:
    """``--user`` and ``--admin`` for a command that acts for one lifter (see ``lifter``)."""
    parser.add_argument(
        "--user", metavar="USERNAME",
        help=f"{whose} (default: the lifter logged in to the app here); asks their password "
             "unless that is their saved log-in")
    parser.add_argument(
        "--admin", action="store_true",
        help="admin: act for --user USERNAME without their password (needs the database owner's access)")
