"""The import/export service for one user: plan (parse + report, no writes), commit, export.

An import screen calls, from a worker thread::

    svc = TransferService(services.db, user_id)
    plan = svc.plan_import(path)                 # ImportFormatError: show e.line / e.reason
    show(plan.report)                            # counts, skips, refused rows, exercise mapping
    report = svc.commit_import(plan, skip_invalid=..., on_progress=lambda done, total: ...)

``commit_import`` re-checks the database inside its one transaction (a workout imported in the
meantime is left alone), so a plan may be shown for as long as the user likes.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from overload_tui.db import migrate
from overload_tui.db.engine import Database
from overload_tui.db.models import User
from overload_tui.domain.errors import NotFoundError
from overload_tui.domain.units import WeightUnit, label
from overload_tui.services.base import ServiceBase
from overload_tui.services.format import plural
from overload_tui.services.settings import read_settings
from overload_tui.services.transfer import backup, backupstream, importer, stream
from overload_tui.services.transfer.backupstream import BackupPlan
from overload_tui.services.transfer.csvfile import decode
from overload_tui.services.transfer.errors import ImportFormatError, InvalidRowsError, TransferError
from overload_tui.services.transfer.export import CsvExport, export_strong_csv
from overload_tui.services.transfer.formats import Options, read_csv
from overload_tui.services.transfer.importer import Progress
from overload_tui.services.transfer.model import ImportReport, ParsedFile
from overload_tui.services.transfer.stream import StreamPlan

FORMATS = ("auto", "strong", "hevy", "fitnotes", "json")
UNITS = ("kg", "lbs")
# The most an import reads: a bigger file (or a device that never ends) is refused, never read whole.
MAX_FILE_BYTES = 200 * 1024 * 1024
# A JSON backup (text that starts with "{") streams its sessions: memory does not grow with them,
# so a backup may be bigger (about 5M sets; time, not memory, grows with it).
MAX_BACKUP_BYTES = 1024 * 1024 * 1024


def parse_bytes(data: bytes, fmt: str = "auto", unit: str | None = None, default_unit: str = "kg") -> ParsedFile:
    """Any supported export, as bytes -> a ParsedFile. Raises only ImportFormatError.

    The weights of a file that does not say its unit are read in ``unit`` (--unit), else in
    ``default_unit`` (the importing lifter's own); a file that says its unit is read in it."""
    _check_options(fmt, unit, default_unit)
    if not data.strip():
        raise ImportFormatError("the file is empty", 1)
    text = decode(data)
    looks_json = text.lstrip().startswith(("{", "["))
    if fmt == "json" or (fmt == "auto" and looks_json):
        return backup.read_backup(text)
    return read_csv(text, None if fmt == "auto" else fmt, Options(unit=unit, default=default_unit))


def _check_options(fmt: str, unit: str | None, default_unit: str | None = None) -> None:
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    for given in (unit, default_unit):
        if given is not None and given not in UNITS:
            raise ImportFormatError(f"unknown unit {given!r} (expected kg or lbs)")


class Source:
    """An export opened for reading: a regular file (checked as :func:`read_source` checks it) or
    bytes given as such. ``mtime_ns``: the file's when opened (None for bytes)."""

    def __init__(self, fh: BinaryIO, name: str, mtime_ns: int | None = None, fd: int | None = None) -> None:
        self.fh = fh
        self.name = name
        self.mtime_ns = mtime_ns
        self._fd = fd

    def size_now(self) -> int | None:
        return os.fstat(self._fd).st_size if self._fd is not None else None

    def read_all(self, size: int) -> bytes:
        """The file from its start: ``size`` bytes, and what it has grown by up to the cap."""
        self.fh.seek(0)
        data = self.fh.read(size + 1)
        if len(data) > size:
            data += self.fh.read(MAX_FILE_BYTES + 1 - len(data))
        _check_size(len(data))
        return data

    def close(self) -> None:
        self.fh.close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_source(source: Path | str | bytes) -> Source:
    """An export to read in chunks: only a regular file is opened (as :func:`read_source`), and
    a file over ``MAX_BACKUP_BYTES`` (a JSON backup's cap; a CSV's, ``MAX_FILE_BYTES``, holds as
    it is read) is refused before a byte is read."""
    if isinstance(source, bytes):
        return Source(io.BytesIO(source), "(data)")
    path = Path(source)
    with _opening(path):
        fd = _open_regular(path)
        try:
            info = os.fstat(fd)
            _check_size(info.st_size, MAX_BACKUP_BYTES)  # the larger cap; a CSV's holds as it is read
            return Source(os.fdopen(os.dup(fd), "rb", buffering=0), path.name, info.st_mtime_ns, fd)
        except BaseException:
            os.close(fd)
            raise


def _open_regular(path: Path) -> int:
    """A descriptor of ``path``, a regular file (checked before opening and on the open
    descriptor, never waited on), in blocking mode."""
    kind = _not_regular(os.stat(path).st_mode)
    if kind:
        raise ImportFormatError(f"{path} is {kind}, not a regular file")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind:
            raise ImportFormatError(f"{path} is {kind}, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    try:
        yield
    except IsADirectoryError:
        raise ImportFormatError(f"{path} is a folder, not a file") from None
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFormatError(f"{path}: permission denied") from None
    except OSError as error:
        raise ImportFormatError(f"{path}: cannot read it ({error.strerror or error})") from None


def read_source(source: Path | str | bytes) -> tuple[bytes, str]:
    """The bytes of a file (or bytes given as such) and a name for messages.

    Only a regular file is read: a FIFO, a device (``/dev/zero``), a socket or a folder is refused
    before a byte is read, and never waited on (it is opened non-blocking and checked on the open
    descriptor, so nothing can be swapped in between). At most ``MAX_FILE_BYTES`` are read,
    whatever the file's size said when it was checked."""
    if isinstance(source, bytes):
        return source, "(data)"
    path = Path(source)
    with _opening(path):
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            raise ImportFormatError(f"{path} is {kind}, not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        try:
            info = os.fstat(fd)
            kind = _not_regular(info.st_mode)
            if kind:
                raise ImportFormatError(f"{path} is {kind}, not a regular file")
            _check_size(info.st_size)
            os.set_blocking(fd, True)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                # The size it had (a buffer of MAX_FILE_BYTES for a small file is avoided)...
                data = fh.read(info.st_size + 1)
                if len(data) > info.st_size:  # ...and whatever it has grown by, up to the cap
                    data += fh.read(MAX_FILE_BYTES + 1 - len(data))
            _check_size(len(data))
            return data, path.name
        finally:
            os.close(fd)


def _not_regular(mode: int) -> str | None:
    """What a file is when it is not a regular file (for the message), else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _check_size(size: int, cap: int | None = None) -> None:
    cap = MAX_FILE_BYTES if cap is None else cap
    if size > cap:
        raise ImportFormatError(
            f"the file is over the size limit of {cap // (1024 * 1024)} MB "
            f"({size / (1024 * 1024):,.0f} MB or more); exports this big are not supported"
        )


@dataclass(frozen=True)
class ImportPlan:
    """A parsed file and what importing it would do, as of planning. Writes nothing.

    A CSV export or a JSON backup read from a file or bytes is planned as a stream (``stream``:
    a StreamPlan, or a BackupPlan for a backup; ``parsed`` then holds what the file says, counts
    and refused rows, but no workouts) and read again by the commit; a file parsed by the caller
    (:meth:`TransferService.plan_parsed`), or a JSON file that is not an object, is held whole
    in ``parsed``."""

    source: str
    parsed: ParsedFile
    report: ImportReport
    stream: StreamPlan | BackupPlan | None = None
    origin: Path | bytes | None = None  # what the commit reads again (a stream plan's)
    mtime_ns: int | None = None  # the file's when planned

    @property
    def can_commit(self) -> bool:
        """False when there is nothing new to write."""
        r = self.report
        return (r.workouts > 0 or r.templates > 0 or r.body_weights > 0 or bool(r.new_exercises)
                or r.programs > 0 or r.exercise_settings > 0)


class TransferService(ServiceBase):
    """Import and export for one user."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    @classmethod
    def for_username(cls, db: Database, username: str) -> TransferService:
        base = ServiceBase(db)
        with base._tx() as s:
            user_id = s.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            raise NotFoundError(f"There is no user called {username!r} (see: overload user list).")
        return cls(db, user_id)

    def weight_unit(self) -> WeightUnit:
        """The lifter's own weight unit: what a file that does not say is read in, and what the
        Strong CSV export writes."""
        with self._tx() as s:
            return read_settings(s, self.user_id).weight_unit

    # -- import -------------------------------------------------------------------------------
    def plan_import(
        self,
        source: Path | str | bytes,
        *,
        fmt: str = "auto",
        unit: str | None = None,
        name: str | None = None,
    ) -> ImportPlan:
        """Read and check the file, and report what an import would do. Nothing is written.

        Raises ImportFormatError (with ``line`` and ``reason``) when the file cannot be read.
        A CSV export is read as a stream (:mod:`.stream`), a JSON backup's sessions one at a time
        (:mod:`.backupstream`): memory does not grow with the file's size.
        """
        with open_source(source) as src:
            label = name or src.name
            with migrate.refusing_damage(self.db):
                default_unit = self.weight_unit().value
            try:
                _check_options(fmt, unit, default_unit)
                checked = stream.check(src.fh, MAX_FILE_BYTES, _check_size, MAX_BACKUP_BYTES)
                if checked.blank:
                    raise ImportFormatError("the file is empty", 1)
                if fmt == "json" or (fmt == "auto" and checked.looks_json):  # a backup: its sessions streamed
                    planned = backupstream.scan_keys(src.fh, checked)
                    if planned is None:  # not a JSON object (not a backup): read whole, to say so
                        parsed = parse_bytes(src.read_all(checked.fingerprint.size), fmt, unit, default_unit)
                        return self.plan_parsed(parsed, label)
                    return self._plan_backup(src, planned, label, source)
                family = None if fmt == "auto" else fmt
                options = Options(unit=unit, default=default_unit)
                with migrate.refusing_damage(self.db), self._tx() as s:
                    existing = importer.source_keys(s, self.user_id)
                out, grouper = stream.scan(src.fh, checked, family, options, existing)
                del existing
                plan = stream.plan_of(checked, family, options, grouper)
                with migrate.refusing_damage(self.db), self._tx() as s:
                    mapper = importer.Mapper.load(s, self.user_id, plan.names)
            except ImportFormatError as error:
                raise error.with_source(label) from None
            origin = source if isinstance(source, bytes) else Path(source)
            return ImportPlan(label, out, stream.report(label, out, grouper.tally, mapper), plan, origin, src.mtime_ns)

    def _plan_backup(self, src: Source, planned: BackupPlan, label: str, source: Path | str | bytes) -> ImportPlan:
        """A JSON backup's plan: its sessions read one at a time and counted (:mod:`.backupstream`)."""

        def analyser(parsed: ParsedFile) -> importer.Analyser:
            with migrate.refusing_damage(self.db), self._tx() as s:
                return importer.Analyser(s, self.user_id, parsed)

        out, counted = backupstream.plan_parts(src.fh, planned, analyser)
        with migrate.refusing_damage(self.db), self._tx() as s:
            analysis = counted.finish(s)
        origin = source if isinstance(source, bytes) else Path(source)
        return ImportPlan(label, out, importer.build_report(label, out, analysis), planned, origin, src.mtime_ns)

    def plan_parsed(self, parsed: ParsedFile, source: str) -> ImportPlan:
        """What importing an already read file (named ``source`` in the report) would do."""
        with migrate.refusing_damage(self.db), self._tx() as s:
            analysis = importer.analyse(s, self.user_id, parsed)
        return ImportPlan(source, parsed, importer.build_report(source, parsed, analysis))

    def commit_import(
        self,
        plan: ImportPlan,
        *,
        skip_invalid: bool = False,
        on_progress: Progress | None = None,
    ) -> ImportReport:
        """Write the plan in one transaction: all of it, or (on any error) nothing.

        Rows the app refuses stop it with InvalidRowsError unless ``skip_invalid``; a damaged
        database file stops it with migrate.DamagedDatabaseError, before anything is written.
        ``on_progress(done, total)`` is called with the sets written so far (from this thread).
        """
        if plan.report.invalid and not skip_invalid:
            raise InvalidRowsError(plan.report)
        # A damaged SQLite file is refused before anything is written into it (writing into it
        # could spread the damage, and it may read well enough to seem to take the import).
        migrate.check_integrity(self.db)
        if plan.stream is not None:
            return self._commit_stream(plan, plan.stream, skip_invalid, on_progress)
        with migrate.refusing_damage(self.db), self._tx(write=True) as s:
            importer.lock_user(s, self.user_id)
            analysis = importer.analyse(s, self.user_id, plan.parsed)
            importer.write(s, self.user_id, analysis, on_progress)
        # A large import changes the tables' shape: fresh planner statistics (never raises).
        migrate.analyze_after_import(self.db, analysis.sets)
        return importer.build_report(plan.source, plan.parsed, analysis, written=True, skip_invalid=skip_invalid)

    def _commit_stream(
        self, plan: ImportPlan, planned: StreamPlan | BackupPlan, skip_invalid: bool, on_progress: Progress | None
    ) -> ImportReport:
        """The file read again and written as it is read, in one transaction; a file that is not
        the one planned (its size, time or bytes) writes nothing."""
        assert plan.origin is not None
        try:
            with open_source(plan.origin) as src:
                if src.size_now() not in (None, planned.checked.fingerprint.size) or src.mtime_ns != plan.mtime_ns:
                    raise stream.FileChangedError()
                with migrate.refusing_damage(self.db), self._tx(write=True) as s:
                    importer.lock_user(s, self.user_id)
                    if isinstance(planned, BackupPlan):
                        out, analysis = backupstream.commit(
                            s, self.user_id, src.fh, planned, on_progress, plan.report.sets
                        )
                    else:
                        out, tally, mapper = stream.commit(s, self.user_id, src.fh, planned, on_progress)
                        if on_progress:
                            on_progress(tally.sets, tally.sets)
        except ImportFormatError as error:
            raise error.with_source(plan.source) from None
        if isinstance(planned, BackupPlan):
            migrate.analyze_after_import(self.db, analysis.sets)
            return importer.build_report(plan.source, out, analysis, written=True, skip_invalid=skip_invalid)
        migrate.analyze_after_import(self.db, tally.sets)
        return stream.report(plan.source, out, tally, mapper, written=True, skip_invalid=skip_invalid)

    def import_file(
        self,
        source: Path | str | bytes,
        *,
        fmt: str = "auto",
        unit: str | None = None,
        dry_run: bool = False,
        skip_invalid: bool = False,
        on_progress: Progress | None = None,
        name: str | None = None,
    ) -> ImportReport:
        """Plan, then commit unless ``dry_run`` (which returns the plan's report)."""
        plan = self.plan_import(source, fmt=fmt, unit=unit, name=name)
        if dry_run:
            return replace(plan.report, dry_run=True, skip_invalid=skip_invalid)
        return self.commit_import(plan, skip_invalid=skip_invalid, on_progress=on_progress)

    # -- export -------------------------------------------------------------------------------
    def export_strong_csv(self) -> CsvExport:
        """Every logged set in the lifter's unit as a Strong CSV (sets in stacks are left out and
        counted): kg in Strong's current layout, lbs in its layout with a Weight Unit column."""
        with self._tx() as s:
            return export_strong_csv(s, self.user_id, read_settings(s, self.user_id).weight_unit)

    def export_backup(self) -> dict:
        """Everything the user owns, as the JSON-ready dict that ``import`` restores."""
        with self._tx() as s:
            return backup.export_backup(s, self.user_id)

    def export_json(self) -> str:
        return backup.dumps(self.export_backup())

    def export(self, fmt: str) -> tuple[str, str]:
        """The export file's text in ``fmt`` ("json" or "strong-csv") and a one-line summary."""
        if fmt == "json":
            data = self.export_backup()
            summary = (
                f"{plural(len(data['sessions']), 'workout')}, {plural(len(data['templates']), 'template')}, "
                f"{plural(len(data['exercises']), 'custom exercise')}"
            )
            if data["body_weights"]:
                summary += f", {plural(len(data['body_weights']), 'body weight')}"
            if data["programs"]:
                summary += f", {plural(len(data['programs']), 'program')}"
            return backup.dumps(data), summary
        result = self.export_strong_csv()
        units = f"weights in {label(result.unit)}" + (", distances in km" if result.distance_sets else "")
        summary = f"{plural(result.workouts, 'workout')}, {plural(result.sets, 'set')} ({units})"
        if result.stacks_sets_left_out:
            summary += (
                f"; {plural(result.stacks_sets_left_out, 'set')} logged in stacks left out "
                "(Strong has no such unit; the JSON backup keeps them)"
            )
        return result.text, summary

    def export_to(self, fmt: str, path: Path) -> str:
        """Export to ``path``, whole or not at all; returns the summary."""
        text, summary = self.export(fmt)
        try:
            write_atomic(path, text)
        except OSError as error:
            raise TransferError(f"Cannot write {path}: {error.strerror or error}") from None
        return summary


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
