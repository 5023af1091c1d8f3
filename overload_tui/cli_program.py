"""``overload program``: list, show (a dry run of the next weeks), check, start and save programs."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from overload_tui.services.format import plural

WIDTH = 80


class _Failed(Exception):
    """Exit 1 after what was printed (check's errors)."""


def _services(args: argparse.Namespace):
    from overload_tui import launch

    return launch.open_services(args.database)


def _lifter(args: argparse.Namespace, services):
    """The lifter acting, proven (``cli_common.lifter``: their saved log-in, a password, or
    ``--admin --user``); without cli_common, ``--user`` as ``overload bodyweight`` once did."""
    try:
        from overload_tui.cli_common import lifter
    except ImportError:
        lifter = None
    if lifter is not None:
        return lifter(args, services)
    from overload_tui.domain.errors import ValidationError as CommandError

    users = services.auth.list_users()
    if getattr(args, "user", None):
        users = [u for u in users if u.username == args.user]
        if not users:
            raise CommandError(f"there is no user called {args.user!r} (see: overload user list)")
    elif len(users) != 1:
        raise CommandError("say whose programs with --user USERNAME" if users else "no users yet")
    return users[0]


def _service(args: argparse.Namespace, services):
    from overload_tui.services.programs import ProgramService

    return ProgramService(services.db, _lifter(args, services).id)


def _maxes(items: list[str] | None) -> dict[str, float]:
    from overload_tui.domain.errors import ValidationError as CommandError

    out: dict[str, float] = {}
    for item in items or ():
        name, sep, value = item.rpartition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = None
        if not sep or not name.strip() or weight is None:
            raise CommandError(f"--max takes LIFT=WEIGHT, e.g. --max \"Squat=100\" (got {item!r})")
        out[name.strip()] = weight
    return out


def cmd_list(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        programs = _service(args, services).list_programs()
    finally:
        services.close()
    for p in programs:
        kind = "built-in" if p.builtin else "yours"
        running = f", running since {p.started_on:%Y-%m-%d}" if p.active and p.started_on else ""
        print(f"{p.name}  ({kind}; {plural(p.weeks, 'week')}, {p.cycle}{running})")
        first = p.description.splitlines()[0] if p.description else ""
        if first:
            print(textwrap.fill(first, WIDTH, initial_indent="    ", subsequent_indent="    "))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        run = _service(args, services).dry_run(args.name, weeks=args.weeks, maxes=_maxes(args.max))
    finally:
        services.close()
    from overload_tui.services.programs import render_dry_run

    print(render_dry_run(run))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from overload_tui.domain.programs import ProgramSyntaxError, parse

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        from overload_tui.domain.errors import ValidationError

        raise ValidationError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    try:
        if args.database_check:
            services = _services(args)
            try:
                program = _service(args, services).check(text)
            finally:
                services.close()
        else:
            program = parse(text)
    except ProgramSyntaxError as error:
        for issue in error.errors:
            column = f"{issue.column}:" if issue.column else ""
            print(f"{path}:{issue.line}:{column} {issue.message}", file=sys.stderr)
        raise _Failed() from None
    print(f"{path}: {program.name}: {plural(len(program.weeks), 'week')}, "
          f"{plural(program.days_per_cycle, 'day')} a cycle, {plural(len(program.lifts), 'lift')}: OK")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        svc = _service(args, services)
        maxes = svc.starting_maxes(args.name, _maxes(args.max))
        summary = svc.start(args.name, {m.lift: m.weight for m in maxes})
    finally:
        services.close()
    print(f"Started {summary.name}.")
    for m in maxes:
        print(textwrap.fill(f"{m.lift}: {m.weight:g} — {m.how}", WIDTH, subsequent_indent="    "))
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8")
    services = _services(args)
    try:
        summary = _service(args, services).save(text)
    finally:
        services.close()
    print(f"Saved {summary.name}.")
    return 0


def cmd_source(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        text = _service(args, services).source(args.name)
    finally:
        services.close()
    sys.stdout.write(text)
    return 0


def _run(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _Failed:
            return 1

    return run


def register(sub: argparse._SubParsersAction) -> None:
    program = sub.add_parser(
        "program",
        help="training programs: list, show the next weeks, check a program file, start one",
        description="Training programs written as plain text (5/3/1 BBB, GZCLP, StrongLifts 5x5 and a "
        "PPL double progression are built in). 'show' is a dry run from your own history: every weight "
        "with how it was reached.",
    )
    p_sub = program.add_subparsers(title="program commands", metavar="COMMAND", required=True)

    def user(p: argparse.ArgumentParser) -> None:
        try:
            from overload_tui.cli_common import add_lifter_arguments
        except ImportError:
            p.add_argument("--user", metavar="USERNAME", help="whose programs (needed when there are several accounts)")
        else:
            add_lifter_arguments(p, "whose programs")

    lst = p_sub.add_parser("list", help="the built-in programs and your own")
    user(lst)
    lst.set_defaults(handler=_run(cmd_list))

    show = p_sub.add_parser("show", help="what the next weeks would prescribe (a dry run)")
    show.add_argument("name", nargs="?", help="the program (default: the one running)")
    show.add_argument("--weeks", type=int, default=8, help="how many weeks (default 8)")
    show.add_argument("--max", action="append", metavar="LIFT=WEIGHT",
                      help="a lift's starting max in your unit instead of one from your history (repeatable)")
    user(show)
    show.set_defaults(handler=_run(cmd_show))

    check = p_sub.add_parser("check", help="validate a program file: errors as FILE:LINE: message")
    check.add_argument("file")
    check.add_argument("--exercises", dest="database_check", action="store_true",
                       help="also check that every exercise exists (opens the database)")
    user(check)
    check.set_defaults(handler=_run(cmd_check))

    start = p_sub.add_parser("start", help="start a program from its first day (maxes from your history)")
    start.add_argument("name")
    start.add_argument("--max", action="append", metavar="LIFT=WEIGHT", help="a lift's starting max (repeatable)")
    user(start)
    start.set_defaults(handler=_run(cmd_start))

    save = p_sub.add_parser("save", help="save a program file as one of your programs")
    save.add_argument("file")
    user(save)
    save.set_defaults(handler=_run(cmd_save))

    src = p_sub.add_parser("source", help="print a program's text (to copy and edit)")
    src.add_argument("name")
    user(src)
    src.set_defaults(handler=_run(cmd_source))
