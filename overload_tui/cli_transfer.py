"""``overload import`` and ``overload export``: Strong, Hevy, FitNotes and JSON backups."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from overload_tui.cli_common import add_lifter_arguments, lifter

IMPORT_FORMATS = ("auto", "strong", "hevy", "fitnotes", "json")
EXPORT_FORMATS = ("strong-csv", "json")


def _services(args: argparse.Namespace):
    """The services, or a one-line error (see overload_tui.launch)."""
    from overload_tui import launch

    return launch.open_services(args.database)


def _transfer(args: argparse.Namespace, services):
    """The transfer service of the lifter the command acts for (proven: see cli_common.lifter)."""
    from overload_tui.services.transfer import TransferService

    return TransferService(services.db, lifter(args, services).id)


class _Progress:
    """A one-line counter on stderr when it is a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.tty and total:
            self.shown = True
            print(f"\rwriting sets: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    from overload_tui.services.transfer import InvalidRowsError

    services = _services(args)
    progress = _Progress()
    try:
        svc = _transfer(args, services)
        plan = svc.plan_import(Path(args.path), fmt=args.format, unit=args.unit)
        if args.dry_run:
            from dataclasses import replace

            print(replace(plan.report, dry_run=True, skip_invalid=args.skip_invalid).render())
            if plan.report.invalid and not args.skip_invalid:
                print(
                    f"overload: {len(plan.report.invalid)} row(s) would stop the import: "
                    "use --skip-invalid to import without them.",
                    file=sys.stderr,
                )
            return 0
        try:
            report = svc.commit_import(plan, skip_invalid=args.skip_invalid, on_progress=progress)
        except InvalidRowsError:
            progress.close()
            print(plan.report.render())
            raise
        progress.close()
        print(report.render())
        return 0
    finally:
        progress.close()
        services.close()


def cmd_export(args: argparse.Namespace) -> int:
    from overload_tui.services.transfer import TransferError as CommandError
    from overload_tui.services.transfer.service import write_atomic

    out = Path(args.output) if args.output and args.output != "-" else None
    if out is not None and out.is_dir():
        raise CommandError(f"{out} is a folder: give a file name")
    if out is not None and not out.expanduser().parent.exists():
        raise CommandError(f"{out.parent} does not exist")
    services = _services(args)
    try:
        svc = _transfer(args, services)
        text, summary = svc.export("json" if args.format == "json" else "strong-csv")
    finally:
        services.close()
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        print(f"Exported {summary}.", file=sys.stderr)
    else:
        try:
            write_atomic(out, text)
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
        print(f"Exported {summary} to {out}.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="import a Strong, Hevy or FitNotes export, or an overload JSON backup",
        description=(
            "Import a workout log into your account: Strong (all export variants), Hevy (kg or lbs), "
            "FitNotes (current and older), or a JSON backup made by 'overload export'. The whole file "
            "goes in, or nothing does; importing a file twice adds nothing the second time. Sets in "
            "pounds stay in pounds (they read back as the file has them)."
        ),
    )
    imp.add_argument("path", help="the export file (CSV or JSON)")
    add_lifter_arguments(imp, "whose account to import into")
    imp.add_argument("--format", choices=IMPORT_FORMATS, default="auto", help="the file's format (default: detect)")
    imp.add_argument(
        "--unit",
        choices=("kg", "lbs"),
        help="the weight unit, for files that do not say (Strong's current export; default: the user's own unit)",
    )
    imp.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the file without the rows the app refuses (listed in the report)",
    )
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser(
        "export",
        help="export your workouts as Strong-style CSV or a JSON backup",
        description=(
            "strong-csv: Strong's CSV layout with weights in the user's unit (kg: Strong's current layout; "
            "lbs: its layout with a Weight Unit column on every row), distances in km and times in "
            "seconds, readable by other tools. json: everything the user owns (workouts with every kind "
            "of set, templates, custom exercises and their kinds, the body-weight log, the units chosen, "
            "programs and progression rules), which 'overload import FILE' restores."
        ),
    )
    add_lifter_arguments(exp, "whose workouts to export")
    exp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exp.add_argument("-o", "--output", metavar="PATH", help="write to PATH (default: standard output)")
    exp.set_defaults(handler=cmd_export)
