"""A CSV export read as a stream, twice: the plan's pass keeps counts, the commit's pass writes.

Memory does not grow with the file: neither pass holds the file, its text or its rows.

* :func:`check` reads the file's bytes once (in chunks): its size and digest, its encoding
  (UTF-8, with or without a byte order mark, or UTF-16 with one; a byte that is not UTF-8 is
  refused with its line, before any row is read), its first line (the header) and whether it
  looks like a JSON backup. A JSON backup is streamed too, by :mod:`.backupstream` (its
  sessions one object at a time, with the same two passes and digest check), and may be bigger
  than a CSV export (``json_cap``).
* :func:`scan` (the plan) reads the rows with :class:`~building.CountingGrouper`: every row is
  read and checked as an import would, but each workout keeps only a few numbers (is it already
  imported, how many sets, its last line) and each exercise name its counts.
* :func:`commit` reads the rows again inside the import's one transaction, with
  :class:`~building.EmittingGrouper`: a workout goes to :class:`~importer.WorkoutWriter` when
  its last row (known from the plan) is read, and is written in chunks of sets. The bytes read
  are checked against the plan's digest before the transaction commits: a file changed since it
  was planned writes nothing (:class:`FileChangedError`).
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session as OrmSession

from overload_tui.domain.enums import ExerciseKind
from overload_tui.services.transfer import importer
from overload_tui.services.transfer.building import CountingGrouper, EmittingGrouper, Tally
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.formats import Options, read_lines
from overload_tui.services.transfer.model import ExerciseMapping, ImportReport, ParsedFile, ParsedWorkout

CHUNK = 1 << 20
FIRST_LINE_MAX = 1 << 20  # a "header" longer than this is not one (detect shows its first 80 characters)


class FileChangedError(ImportFormatError):
    """The file is not what was planned (it was changed or replaced since, or while it was read).
    Nothing was written."""

    def __init__(self, reason: str = "", line: int | None = None, *, source: str | None = None, problems=()) -> None:
        super().__init__(
            reason or "the file changed after it was checked: check it again before importing it",
            line,
            source=source,
            problems=problems,
        )

    def with_source(self, source: str) -> FileChangedError:
        return FileChangedError(self.reason, self.line, source=source, problems=self.problems)


@dataclass(frozen=True)
class Fingerprint:
    size: int
    digest: str


@dataclass(frozen=True)
class Checked:
    """What the first pass over the bytes found."""

    fingerprint: Fingerprint
    encoding: str  # for io.TextIOWrapper: "utf-8", "utf-8-sig" or "utf-16"
    blank: bool  # nothing but whitespace (or nothing)
    looks_json: bool  # the text starts with { or [
    first_line: str


def _hash():
    return hashlib.blake2b(digest_size=20)


def check(
    fh: BinaryIO, cap: int, too_big: Callable[[int, int], None], json_cap: int | None = None
) -> Checked:
    """Read ``fh`` from its start to its end in chunks. ``too_big(size, limit)`` is called (and
    raises) once more than ``limit`` bytes have been read: ``cap``, or ``json_cap`` for text that
    starts with ``{`` (a JSON backup, whose sessions are streamed). Raises ImportFormatError for
    text that cannot be decoded (UTF-8: with the line)."""
    digest = _hash()
    size = 0
    blank = True
    chunk = fh.read(CHUNK)
    encoding = "utf-8"
    data = chunk
    if chunk.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8-sig", chunk[len(codecs.BOM_UTF8):]
    elif chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    opening = (
        chunk[:4096].decode("utf-16", errors="ignore").lstrip()[:1] if encoding == "utf-16"
        else data.lstrip()[:1].decode("latin-1")
    )  # fmt: skip
    limit = json_cap if json_cap is not None and opening == "{" else cap
    utf16 = codecs.getincrementaldecoder("utf-16")() if encoding == "utf-16" else None
    carry = b""
    lines_before = 0
    head: list[str] = []
    head_len = 0
    head_done = False
    first_char = ""

    def see(text: str) -> None:
        nonlocal head_len, head_done, first_char
        if not head_done:
            cut = text.find("\n")
            part = text if cut < 0 else text[:cut]
            head.append(part[: FIRST_LINE_MAX - head_len])
            head_len += len(part)
            head_done = cut >= 0 or head_len >= FIRST_LINE_MAX
        if not first_char:
            first_char = text.lstrip()[:1]

    def utf8(piece: bytes) -> str:
        try:
            return piece.decode("utf-8")
        except UnicodeDecodeError as error:
            line = lines_before + piece[: error.start].count(b"\n") + 1
            raise ImportFormatError(
                f"the file is not UTF-8 text (byte 0x{piece[error.start]:02x} cannot be read); "
                "export it again, or save it as UTF-8",
                line,
            ) from None

    while chunk:
        size += len(chunk)
        if size > limit:
            too_big(size, limit)
        digest.update(chunk)
        if blank and chunk.strip():
            blank = False
        if utf16 is not None:
            try:
                see(utf16.decode(data))
            except UnicodeDecodeError:
                raise ImportFormatError("the file says it is UTF-16 text but cannot be read as such") from None
        else:
            # A newline byte is never part of another character in UTF-8: cut there, so that a
            # character is never split between two pieces, and an error has its line.
            cut = data.rfind(b"\n") + 1
            if cut:
                piece, carry = carry + data[:cut], data[cut:]
                see(utf8(piece))
                lines_before += piece.count(b"\n")
            else:
                carry += data
        chunk = fh.read(CHUNK)
        data = chunk
    if utf16 is not None:
        try:
            see(utf16.decode(b"", final=True))
        except UnicodeDecodeError:
            raise ImportFormatError("the file says it is UTF-16 text but cannot be read as such") from None
    elif carry:
        see(utf8(carry))
    return Checked(
        Fingerprint(size, digest.hexdigest()),
        encoding,
        blank,
        first_char in ("{", "["),
        "".join(head).rstrip("\r"),
    )


class _Hashing(io.RawIOBase):
    """``fh`` from where it is, at most ``limit`` bytes, hashed as they are read."""

    def __init__(self, fh: BinaryIO, limit: int) -> None:
        super().__init__()
        self.fh = fh
        self.left = limit
        self.count = 0
        self.digest = _hash()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        if n <= 0:
            return 0
        data = self.fh.read(n)
        buffer[: len(data)] = data
        self.digest.update(data)
        self.left -= len(data)
        self.count += len(data)
        return len(data)

    def verify(self, expected: Fingerprint) -> None:
        """Read what is left, then check the bytes are the ones checked before."""
        buffer = bytearray(CHUNK)
        while self.readinto(buffer):
            pass
        more = self.fh.read(1)
        if self.count != expected.size or more or self.digest.hexdigest() != expected.digest:
            raise FileChangedError()


def _lines(fh: BinaryIO, checked: Checked) -> tuple[_Hashing, io.TextIOWrapper]:
    fh.seek(0)
    raw = _Hashing(fh, checked.fingerprint.size)
    return raw, io.TextIOWrapper(io.BufferedReader(raw, CHUNK), encoding=checked.encoding, newline="")


@dataclass(frozen=True)
class StreamPlan:
    """What the commit's pass needs from the plan's (never the rows)."""

    checked: Checked
    family: str | None  # None: detected from the header
    options: Options
    last_lines: frozenset[int]  # the line of each workout's last row
    names: tuple[tuple[str, str | None, ExerciseKind | None], ...]  # (name, category, kind) in report order
    hints: dict[str, ExerciseKind]  # each exercise name's kind, from the sets of the whole file
    sets: int  # the sets the plan would write (for progress)


def scan(
    fh: BinaryIO, checked: Checked, family: str | None, options: Options, existing: Collection[str]
) -> tuple[ParsedFile, CountingGrouper]:
    """The plan's pass over the rows (no database access: ``existing`` are the user's source keys)."""
    raw, text = _lines(fh, checked)
    try:
        out, grouper = read_lines(
            checked.first_line, text, family, options, lambda fam, o: CountingGrouper(fam, o, existing)
        )
    except UnicodeDecodeError:
        raise FileChangedError() from None
    raw.verify(checked.fingerprint)
    return out, grouper


def plan_of(checked: Checked, family: str | None, options: Options, grouper: CountingGrouper) -> StreamPlan:
    names = tuple(
        (n.name, n.category_hint, grouper.kind_hint(n.name)) for n in grouper.tally.in_order()
    )
    return StreamPlan(
        checked, family, options, frozenset(grouper.last_lines), names,
        {name: kind for name, _, kind in names if kind is not None}, grouper.tally.sets,
    )  # fmt: skip


def commit(
    s: OrmSession,
    user_id: int,
    fh: BinaryIO,
    plan: StreamPlan,
    on_progress: importer.Progress | None,
) -> tuple[ParsedFile, Tally, importer.Mapper]:
    """The commit's pass, in ``s``'s transaction: every new workout written, in chunks."""
    existing = importer.source_keys(s, user_id)
    mapper = importer.Mapper.load(s, user_id, plan.names)
    tally = Tally()
    writer = importer.WorkoutWriter(s, user_id, mapper.exercise_id(s, user_id), on_progress, plan.sets)
    if on_progress:
        on_progress(0, plan.sets)

    def emit(w: ParsedWorkout, line: int) -> None:
        duplicate = w.source_key in existing
        tally.add_workout(w, line, duplicate)
        if not duplicate:
            writer.add(w)

    raw, text = _lines(fh, plan.checked)
    try:
        out, _ = read_lines(
            plan.checked.first_line, text, plan.family, plan.options,
            lambda fam, o: EmittingGrouper(fam, o, plan.last_lines, plan.hints, emit),
        )  # fmt: skip
    except UnicodeDecodeError:
        raise FileChangedError() from None
    writer.close()
    raw.verify(plan.checked.fingerprint)
    return out, tally, mapper


def report(
    source: str,
    out: ParsedFile,
    tally: Tally,
    mapper: importer.Mapper,
    *,
    written: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    mappings: list[ExerciseMapping] = []
    timed = distance = reps_only = 0
    for stats in tally.in_order():
        target, kind = mapper.target(stats.name, stats.category_hint, None)
        off = sum(n for shape, n in enumerate(stats.shapes) if n and not importer.fits_shape(kind, shape))
        mappings.append(
            ExerciseMapping(stats.name, target.name, target.how, target.category, target.note, stats.sets,
                            kind=kind, off_kind=off)
        )  # fmt: skip
        for shape, n in enumerate(stats.shapes):
            if shape & 1:
                distance += n
            elif shape & 2:
                timed += n
            elif shape & 4:
                reps_only += n
    return ImportReport(
        source=source,
        format=out.format,
        variant=out.variant,
        unit_note=out.unit_note,
        rows=out.rows,
        workouts=tally.workouts,
        entries=tally.entries,
        sets=tally.sets,
        duplicate_workouts=tally.duplicate_workouts,
        duplicate_sets=tally.duplicate_sets,
        empty_workouts=out.empty_workouts,
        templates=0,
        duplicate_templates=0,
        skipped=importer.skip_counts(out),
        invalid=tuple(out.invalid),
        mappings=tuple(mappings),
        warnings=tuple(out.warnings),
        timed_sets=timed,
        distance_sets=distance,
        reps_only_sets=reps_only,
        off_kind_sets=sum(m.off_kind for m in mappings),
        written=written,
        skip_invalid=skip_invalid,
    )
