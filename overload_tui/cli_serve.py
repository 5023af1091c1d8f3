"""``overload serve`` (the app over SSH) and ``overload user key add|list|remove`` (whose keys
open which account)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _command_error(message: str) -> Exception:
    """A one-line error the command prints (``overload: error: ...``)."""
    from overload_tui.domain.errors import OverloadError

    return OverloadError(message)


def _services(args: argparse.Namespace):
    from overload_tui import launch

    return launch.open_services(args.database)


def _user(services, username: str):
    wanted = username.strip().lower()
    for user in services.auth.list_users():
        if user.username.lower() == wanted:
            return user
    raise _command_error(f"there is no user called {username!r} (see: overload user list)")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


# -- overload user key ... ---------------------------------------------------------------------------
def cmd_key_add(args: argparse.Namespace) -> int:
    from overload_tui.services.ssh_keys import SshKeyService

    if args.path == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.path).expanduser()
        if not path.name.endswith(".pub") and path.with_name(path.name + ".pub").is_file():
            raise _command_error(f"{path} looks like a private key; give {path}.pub")
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise _command_error(f"cannot read {path}: {error.strerror or error}") from None
    services = _services(args)
    try:
        user = _user(services, args.username)
        key = SshKeyService(services.db, user.id).add(text, comment=args.comment)
        print(f"Added {key.algorithm} key {key.fingerprint} for {user.username} (key id {key.id}): "
              "they can now connect with it, e.g. ssh -p 2222 HOST")
    finally:
        services.close()
    return 0


def cmd_key_list(args: argparse.Namespace) -> int:
    from overload_tui.services.ssh_keys import SshKeyService

    services = _services(args)
    try:
        users = [_user(services, args.username)] if args.username else services.auth.list_users()
        shown = 0
        for user in users:
            for key in SshKeyService(services.db, user.id).keys():
                shown += 1
                print(f"{key.id}\t{user.username}\t{key.fingerprint}\t{key.algorithm}\t{key.comment or ''}"
                      f"\tadded {_when(key.created_at)}\tlast used {_when(key.last_used_at)}")
        if not shown:
            who = f"{args.username} has" if args.username else "nobody has"
            print(f"{who} an SSH key yet. Add one with: overload user key add USERNAME PATH_TO.pub",
                  file=sys.stderr)
    finally:
        services.close()
    return 0


def cmd_key_remove(args: argparse.Namespace) -> int:
    from overload_tui.domain.errors import NotFoundError
    from overload_tui.services.ssh_keys import SshKeyService

    services = _services(args)
    try:
        user = _user(services, args.username)
        svc = SshKeyService(services.db, user.id)
        wanted = args.key.strip()
        fingerprint = wanted if wanted.startswith("SHA256:") else f"SHA256:{wanted}"
        matches = [k for k in svc.keys() if str(k.id) == wanted or k.fingerprint == fingerprint]
        if not matches:
            raise NotFoundError(f"{user.username} has no SSH key {wanted!r} (see: overload user key list "
                                f"{user.username})")
        key = svc.remove(matches[0].id)
        print(f"Removed key {key.fingerprint} of {user.username}; new connections with it are refused "
              "(sessions open with it go on until they end).")
    finally:
        services.close()
    return 0


# -- overload serve ------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from overload_tui import launch, paths

    if args.print_fingerprint:
        from overload_tui.serve import hostkey

        key = hostkey.load_host_key()
        print(f"{hostkey.fingerprint(key)} (ED25519) {hostkey.host_key_path()}")
        print(hostkey.public_line(key))
        return 0
    from overload_tui.serve.server import ServeConfig, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s overload-serve: %(message)s", stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)  # its lines hold no more than ours
    config = ServeConfig(
        host=args.host, port=args.port, database_url=args.database, allow_password=args.allow_password,
        max_sessions=args.max_sessions, max_sessions_per_user=args.max_sessions_per_user,
        idle_timeout=args.idle_timeout * 60.0,
    )
    try:
        asyncio.run(serve(config))
    except OSError as error:  # the data directory, the host key file
        if isinstance(error, paths.InsecureFileError):
            raise
        raise _command_error(launch.os_error_line(error)) from None
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _minutes(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (never) or more")
    return value


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError("no subcommands")


def register(sub: argparse._SubParsersAction) -> None:
    from overload_tui.serve import limits

    serve = sub.add_parser(
        "serve",
        help="serve the app over SSH: each lifter connects with their own key",
        description=(
            "An SSH server: each connection gets its own app, opened on the dashboard of the lifter whose "
            "key it is (register keys with 'overload user key add'). The SSH username is ignored. The host "
            "key is made once in the data directory."
        ),
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0: all)")
    serve.add_argument("--port", type=int, default=2222, help="port to listen on (default 2222)")
    serve.add_argument("--allow-password", action="store_true",
                       help="a client with no registered key gets the login screen (username and password) "
                            "instead of being refused")
    serve.add_argument("--print-fingerprint", action="store_true",
                       help="print the host key's fingerprint (and its public line) and exit")
    serve.add_argument("--max-sessions", type=_positive, default=limits.MAX_SESSIONS, metavar="N",
                       help=f"sessions at once in all (default {limits.MAX_SESSIONS})")
    serve.add_argument("--max-sessions-per-user", type=_positive, default=limits.MAX_SESSIONS_PER_USER,
                       metavar="N", help=f"sessions at once per lifter (default {limits.MAX_SESSIONS_PER_USER})")
    serve.add_argument("--idle-timeout", type=_minutes, default=limits.IDLE_TIMEOUT / 60, metavar="MINUTES",
                       help=f"end a session after this long without a key (default {limits.IDLE_TIMEOUT / 60:g}; "
                            "0: never)")
    serve.set_defaults(handler=cmd_serve)

    user = sub.choices.get("user")
    if user is None:  # no 'user' command to hang it under: 'overload key ...' instead
        key = sub.add_parser("key", help="manage the SSH keys that open accounts")
    else:
        key = _subparsers(user).add_parser("key", help="manage the SSH keys that open accounts over overload serve")
    key_sub = key.add_subparsers(title="key commands", metavar="COMMAND", required=True)
    add = key_sub.add_parser("add", help="register a public key (.pub) for a user",
                             description="Register a public key for a user: connecting to 'overload serve' "
                                         "with it opens their dashboard. One key belongs to one user.")
    add.add_argument("username")
    add.add_argument("path", help="the public key file (e.g. id_ed25519.pub), or - for standard input")
    add.add_argument("--comment", help="a note to tell keys apart (default: the key's own comment)")
    add.set_defaults(handler=cmd_key_add)
    lst = key_sub.add_parser("list", help="list keys (id, user, fingerprint, type, comment, dates)")
    lst.add_argument("username", nargs="?")
    lst.set_defaults(handler=cmd_key_list)
    rm = key_sub.add_parser("remove", help="remove one of a user's keys (by its id or fingerprint)")
    rm.add_argument("username")
    rm.add_argument("key", help="the key's id (see 'key list') or its fingerprint (SHA256:...)")
    rm.set_defaults(handler=cmd_key_remove)
