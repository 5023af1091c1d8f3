"""A JSON backup restored as a stream: memory does not grow with the number of its sessions.

Everything in a backup but its ``sessions`` is small (settings, custom exercises, templates,
programs, body weights) and is read whole; the ``sessions`` array is read one session object at
a time, by :class:`_Reader`: the file's decoded text in chunks, each value decoded with
``json.JSONDecoder().raw_decode`` where it starts in a bounded buffer (read further when the
value is not complete in it). Python's ``json`` has no streaming parser of its own.

As a CSV stream (:mod:`.stream`), the file is read again for each pass and its bytes are checked
against the digest :func:`.stream.check` took (a file changed since writes nothing:
:class:`~.stream.FileChangedError`):

* :func:`scan_keys` (the plan, first): every top-level key but the sessions kept (last one wins,
  as ``json.loads`` keeps it), each session decoded and dropped. This pass reads the whole file,
  so that a backup whose keys come in any order (``"sessions"`` before ``"programs"``, say, in a
  file edited by hand) restores as one in the app's order (:func:`.backup.export_backup`), and
  a JSON syntax error anywhere is the one ``json.loads`` would report, with its line, before
  anything is checked, as when the file was read whole.
* :func:`read_sessions` (the plan, then the commit): the sessions again, each checked by
  :func:`.backup.read_session` (the same field paths, refused rows and warnings as a whole read)
  and handed on. The plan counts them (:class:`~.importer.Analyser`); the commit, in its one
  transaction, writes what goes before the workouts (the custom exercises and templates'
  exercises, templates, programs), then counts each session again (what is new is decided
  against the database as it is then) and hands each new one to
  :class:`~.importer.WorkoutWriter`, which writes them in chunks (an exercise first met in a
  workout is written then, its kind corrected at the end if later sets measure another, as a
  whole read would have given it); body weights and settings go in last.

What is held at once: the text of a chunk and of the value being decoded (a session, or one of
the small keys), the small keys, a chunk of workouts being written, the counts per exercise
name, refused rows and warnings, and (for duplicates) the keys of the workouts the lifter
already has, as the CSV stream holds them. A backup may be bigger than a CSV export
(``service.MAX_BACKUP_BYTES``). A file that is not a JSON object (a list, say: not a backup) is
read whole as before, under the CSV cap, to refuse it with the same message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, NoReturn, TextIO

from sqlalchemy.orm import Session as OrmSession

from overload_tui.services.transfer import backup, importer
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.model import ParsedFile, ParsedWorkout
from overload_tui.services.transfer.stream import Checked, FileChangedError, _lines

CHUNK = 1 << 20  # characters read at a time
NEAR_END = 1024  # a decoding error this close to the buffer's end may be a value cut by it
_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
_DECODER = json.JSONDecoder()
_KEY, _SESSION = 0, 1
_STREAMED = object()  # a "sessions" list, read an item at a time (data["sessions"] of a plan)


class _NotAnObject(Exception):
    """The text is not a JSON object (read it whole)."""


class _JsonError(ImportFormatError):
    """The text is not valid JSON (as ``json.loads`` says, with the line)."""


class _Reader:
    """A JSON object's top-level keys and values, from decoded text read in chunks; the elements
    of a ``"sessions"`` list one at a time. Holds the text of one chunk and of the value being
    decoded, never more."""

    def __init__(self, text: TextIO) -> None:
        self.text = text
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line of buf[0]
        self.eof = False

    def _more(self, want: int = 0) -> bool:
        """Drop what is read, then read at least ``want`` more characters (False at the end)."""
        if self.eof:
            return False
        if self.pos:
            self.line += self.buf.count("\n", 0, self.pos)
            self.buf = self.buf[self.pos:]
            self.pos = 0
        got = self.text.read(max(want, CHUNK))
        if not got:
            self.eof = True
            return False
        self.buf += got
        return True

    def _next(self) -> str:
        """The next character that is not whitespace ("" at the end), not consumed."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def _error(self, msg: str, pos: int) -> _JsonError:
        return _JsonError(f"not valid JSON: {msg}", self.line + self.buf.count("\n", 0, pos))

    def _fail(self, before: str) -> NoReturn:
        """The text at ``pos`` cannot follow ``before``: the error ``json`` gives for it there."""
        window = self.buf[self.pos:self.pos + 64]
        try:
            _DECODER.raw_decode(before + window)
        except json.JSONDecodeError as error:
            raise self._error(error.msg, self.pos + max(0, error.pos - len(before))) from None
        except RecursionError:
            pass
        raise self._error("Expecting value", self.pos)

    def _value(self) -> Any:
        """The value at ``pos`` (after whitespace), decoded whole."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                cut = error.pos >= len(self.buf) - NEAR_END or error.msg.startswith("Unterminated string")
                if cut and not self.eof:  # (twice the buffer: a long value is read in once)
                    self._more(len(self.buf))
                    continue  # (decoded again: at the end, its error is the one to report)
                raise self._error(error.msg, error.pos) from None
            except RecursionError:
                raise ImportFormatError("the JSON is nested too deeply") from None
            if end == len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self._more()
                continue
            self.pos = end
            return value

    def walk(self) -> Iterator[tuple]:
        """``(_KEY, key, value)`` for each top-level key, and for a ``"sessions"`` list
        ``(_SESSION, n, i, item)`` for each of its items (``n``: which ``"sessions"`` key, from
        0) followed by ``(_KEY, "sessions", _STREAMED)``. Raises _NotAnObject, or _JsonError."""
        if self._next() != "{":
            raise _NotAnObject()
        self.pos += 1
        before = "{"
        c = self._next()
        occurrence = 0
        if c == "}":
            self.pos += 1
        else:
            while True:
                if c != '"':
                    self._fail(before)
                key = self._value()
                if self._next() != ":":
                    self._fail('{"a"')
                self.pos += 1
                if key == "sessions" and self._next() == "[":
                    yield from self._sessions(occurrence)
                    occurrence += 1
                    yield _KEY, key, _STREAMED
                else:
                    self._next()
                    yield _KEY, key, self._value()
                c = self._next()
                if c == ",":
                    self.pos += 1
                    before = '{"a":0,'
                    c = self._next()
                    continue
                if c == "}":
                    self.pos += 1
                    break
                self._fail('{"a":0')
        if self._next():
            raise self._error("Extra data", self.pos)

    def _sessions(self, occurrence: int) -> Iterator[tuple]:
        self.pos += 1  # [
        c = self._next()
        if c == "]":
            self.pos += 1
            return
        i = 0
        while True:
            yield _SESSION, occurrence, i, self._value()
            i += 1
            c = self._next()
            if c == ",":
                self.pos += 1
                if self._next() == "]":
                    self._fail("[0,")
                continue
            if c == "]":
                self.pos += 1
                return
            self._fail("[0")


@dataclass(frozen=True)
class BackupPlan:
    """What the passes after :func:`scan_keys` need (never the sessions)."""

    checked: Checked
    data: dict  # the top-level keys, "sessions" as _STREAMED when it is a list
    streamed: int  # which "sessions" key holds the list read (the last one)
    not_object: int | None  # the first of its items that is not an object
    sessions: int  # how many items it has


def scan_keys(fh: BinaryIO, checked: Checked) -> BackupPlan | None:
    """The first pass: the small keys and the count of sessions (None: not a JSON object).
    Raises ImportFormatError for text that is not valid JSON."""
    raw, text = _lines(fh, checked)
    data: dict = {}
    counts: list[int] = []  # per "sessions" list: its items
    bad: list[int | None] = []  # per "sessions" list: its first item that is not an object
    streamed_lists = 0
    try:
        for event in _Reader(text).walk():
            if event[0] == _SESSION:
                _, n, i, item = event
                if n == len(counts):
                    counts.append(0)
                    bad.append(None)
                counts[n] += 1
                if bad[n] is None and not isinstance(item, dict):
                    bad[n] = i
                continue
            _, key, value = event
            if value is _STREAMED:
                if len(counts) < streamed_lists + 1:
                    counts.append(0)  # it was empty
                    bad.append(None)
                streamed_lists += 1
            data[key] = value
    except _NotAnObject:
        return None
    except UnicodeDecodeError:
        raise FileChangedError() from None
    raw.verify(checked.fingerprint)
    last = streamed_lists - 1
    return BackupPlan(checked, data, last, bad[last] if last >= 0 else None, counts[last] if last >= 0 else 0)


def read_sessions(
    fh: BinaryIO, plan: BackupPlan, program_refs: set[str], out: ParsedFile
) -> Iterator[ParsedWorkout]:
    """Each session, checked (raises inside :func:`.backup.reading`), as a workout; ``out``
    counts them (``rows``) and takes their refused sets and warnings."""
    if plan.data.get("sessions") is not _STREAMED:  # missing, or not a list: as a whole read
        for i, sess in enumerate(backup.sessions_value(plan.data)):
            out.rows += 1
            yield backup.read_session(sess, i, program_refs, out)
        return
    if plan.not_object is not None:
        backup.not_an_object(plan.not_object)
    raw, text = _lines(fh, plan.checked)
    try:
        for event in _Reader(text).walk():
            if event[0] == _SESSION and event[1] == plan.streamed:
                out.rows += 1
                yield backup.read_session(event[3], event[2], program_refs, out)
    except (_NotAnObject, _JsonError, UnicodeDecodeError):
        raise FileChangedError() from None
    raw.verify(plan.checked.fingerprint)


def plan_parts(fh: BinaryIO, plan: BackupPlan, analyser_for) -> tuple[ParsedFile, importer.Analyser]:
    """The plan's second pass: ``out`` (no workouts: its counts, refused rows and warnings) and
    the analyser that counted the sessions (``analyser_for(out)`` makes it once the small keys
    are read)."""
    out = backup.new_parsed()
    with backup.reading():
        refs = backup.read_head(plan.data, out)
        analyser = analyser_for(out)
        for w in read_sessions(fh, plan, refs, out):
            analyser.add(w)
        backup.read_body_weights(plan.data, out)
    return out, analyser


def commit(
    s: OrmSession,
    user_id: int,
    fh: BinaryIO,
    plan: BackupPlan,
    on_progress: importer.Progress | None,
    total: int = 0,
) -> tuple[ParsedFile, importer.Analysis]:
    """The commit's pass, in ``s``'s transaction: each session counted against the database as it
    is now and, when new, written (in chunks); ``total``: the sets the plan counted (progress)."""
    out = backup.new_parsed()
    with backup.reading():
        refs = backup.read_head(plan.data, out)
        analyser = importer.Analyser(s, user_id, out)
        writer, add = analyser.writing(s, on_progress, total)
        for w in read_sessions(fh, plan, refs, out):
            add(w)
        backup.read_body_weights(plan.data, out)
    analysis = analyser.finish(s)
    importer.write_tail(s, user_id, analysis, writer, on_progress)
    return out, analysis
