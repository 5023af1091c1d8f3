"""Bytes to text to CSV records, with the physical line number where each record starts."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from overload_tui.services.transfer.errors import ImportFormatError

MAX_PROBLEMS = 50  # a file broken on every row stops after this many, listing them
csv.field_size_limit(1 << 20)  # a note of up to 1 MiB; longer is not an export, it is an accident


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) or UTF-16 with one; anything else is refused."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFormatError("the file says it is UTF-16 text but cannot be read as such") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFormatError(
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read); "
            "export it again, or save it as UTF-8",
            line,
        ) from None


def first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def split_header(line: str, delimiter: str) -> list[str]:
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [c.strip().lstrip("\ufeff").strip() for c in cells]


def header_key(cell: str) -> str:
    """A header cell as compared: lower case, single spaces, a typographic apostrophe as "'"."""
    return " ".join(cell.lower().replace("\u2019", "'").split())


def _csv_reason(error: csv.Error, delimiter: str) -> str:
    text = str(error)
    if "unexpected end of data" in text or "EOF" in text:
        return "a quoted field is never closed (a broken quote, or the file was cut short)"
    if "expected after" in text:
        return f"a quote in the middle of a field (a broken quote: a field must be quoted whole, then {delimiter!r})"
    if "field larger than field limit" in text:
        return "a field is longer than 1 MiB"
    return f"cannot read the row as CSV ({text})"


def records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record after the header, with the line it starts on (header = line 1).
    ``lines``: the file's lines from its start, as ``open(newline="")`` gives them (read once)."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    first = True
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFormatError(_csv_reason(error, delimiter), start) from None
        if first:
            first = False
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        yield start, row


@dataclass
class Problems:
    """Format problems met while reading: reading goes on to list them all (up to a cap)."""

    items: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, error: ImportFormatError) -> None:
        self.items.extend(error.problems)

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS

    def raise_if_any(self) -> None:
        if self.items:
            line, reason = self.items[0]
            raise ImportFormatError(reason, line, problems=self.items)


def field_count_reason(found: list[str], expected: int, delimiter: str) -> str:
    reason = f"expected {expected} fields, found {len(found)}"
    others = [d for d in (",", ";", "\t") if d != delimiter]
    if len(found) == 1 and expected > 1:
        for other in others:
            if found[0].count(other) >= expected - 1:
                return f"{reason}: the row is delimited with {other!r} but the header with {delimiter!r}"
        return f"{reason} (a truncated or wrongly delimited row)"
    if len(found) > expected:
        return f"{reason} (an unquoted {delimiter!r} inside a name or note?)"
    return f"{reason} (a truncated row, or a missing {delimiter!r}?)"


@dataclass
class Table:
    """A CSV file whose header is known: column lookup by canonical key. ``lines``: the file's
    lines from its start (the header's first), read once by :meth:`rows`."""

    lines: Iterable[str]
    delimiter: str
    header: list[str]
    columns: dict[str, int]  # canonical key -> index

    def rows(self, problems: Problems, handle: Callable[[int, Callable[[str], str]], None]) -> int:
        """Call ``handle(line, get)`` for each well-formed row; count the rows read."""
        expected = len(self.header)
        n = 0
        try:
            for line, fields in records(self.lines, self.delimiter):
                n += 1
                if len(fields) != expected:  # never guessed: a shifted row would put values in the wrong columns
                    problems.add(ImportFormatError(field_count_reason(fields, expected, self.delimiter), line))
                    if problems.full:
                        break
                    continue

                def get(key: str, _fields: list[str] = fields) -> str:
                    i = self.columns.get(key)
                    return _fields[i] if i is not None else ""

                try:
                    handle(line, get)
                except ImportFormatError as error:
                    problems.add(error)
                    if problems.full:
                        break
        except ImportFormatError as error:  # the CSV itself broke (a quote): reading stops here
            problems.add(error)
        return n
