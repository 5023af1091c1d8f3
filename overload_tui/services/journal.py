"""The local journal of sets typed but not yet in the database: nothing typed is lost to a kill.

One append-only file per lifter and database in the data directory (``journal/<database>-<user
id>.jsonl``, 0600 in a 0700 directory). Each line is one JSON record:

* ``{"op": "add", "client_id", "session_id", "entry_id", "values": {...}}``: a set typed, written
  and fsync'd *before* the logbook shows it pending;
* ``{"op": "edit", "client_id", "values": {...}}``: the lifter changed it while it waited;
* ``{"op": "done", "client_id"}``: the database has it (or it was dropped: deleted while it
  waited, refused, or its exercise removed).

``waiting()`` folds the file into the sets still waiting, in the order typed. ``resend_waiting``
sends them with their client ids (``WorkoutService.add_set(client_id=...)`` returns the set
already saved with that id, so a resend is exactly once whatever happened before), then
compacts the file. A torn last line (a kill mid-write) is skipped: its set was never shown as
pending. Writers (several terminals of one lifter) take an flock on ``<file>.lock``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from overload_tui import paths
from overload_tui.db.engine import Database
from overload_tui.domain.enums import Unit
from overload_tui.domain.errors import DatabaseUnavailableError, OverloadError
from overload_tui.services.dto import SetInfo

_VALUES = ("weight", "reps", "unit", "set_type", "rpe", "duration_s", "distance_m", "distance_unit", "display_unit")


@dataclass(frozen=True, slots=True)
class JournalSet:
    client_id: str
    session_id: int
    entry_id: int
    values: SetInfo


@dataclass(frozen=True, slots=True)
class Resent:
    saved: int = 0
    dropped: int = 0
    waiting: int = 0      # still waiting: the database did not answer


def database_identity(db: Database) -> str:
    """A short stable name for the database: its URL without the password (an SQLite file by
    its resolved path)."""
    url = db.url
    if db.is_sqlite and url.database not in (None, "", ":memory:"):
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    text = url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _values(s: SetInfo) -> dict[str, object]:
    out = {name: getattr(s, name) for name in _VALUES}
    out["unit"] = s.unit.value if isinstance(s.unit, Unit) else s.unit
    return out


def _set_info(values: dict[str, object]) -> SetInfo:
    known = {f.name for f in fields(SetInfo)}
    kept = {k: v for k, v in values.items() if k in known}
    kept["unit"] = Unit(kept["unit"])
    return SetInfo(0, 0, **kept)  # type: ignore[arg-type]


class Journal:
    """The journal file of one lifter on one database (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @classmethod
    def for_user(cls, db: Database, user_id: int, directory: Path | None = None) -> Journal:
        """The journal of ``user_id`` on ``db``, in ``directory`` (default: the data directory)."""
        base = paths.private_dir((directory or paths.data_dir()) / "journal")
        return cls(base / f"{database_identity(db)}-{int(user_id)}.jsonl")

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _append(self, record: dict[str, object], *, sync: bool = True) -> None:
        """One line, under the lock; fsync'd unless ``sync`` is False."""
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        with self._locked():
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if created:
                    paths.check_trusted(self.path)
                os.write(fd, line)
                if sync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)

    def add(self, client_id: str, session_id: int, entry_id: int, values: SetInfo) -> None:
        """A set typed: on disk (fsync'd) when this returns."""
        self._append({"op": "add", "client_id": client_id, "session_id": session_id, "entry_id": entry_id,
                      "values": _values(values)})

    def edit(self, client_id: str, values: SetInfo) -> None:
        self._append({"op": "edit", "client_id": client_id, "values": _values(values)})

    def done(self, client_id: str, *, saved: bool) -> None:
        """The set is in the database (``saved``) or dropped: never sent again. A saved set's line
        is not fsync'd: lost in a crash, it only makes the set be sent once more, which its client
        id makes a no-op; a dropped set's is (sent again, it would come back)."""
        self._append({"op": "done", "client_id": client_id}, sync=not saved)

    # -- reading -------------------------------------------------------------------------------
    def waiting(self) -> list[JournalSet]:
        """The sets typed and not done, in the order typed."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        found: dict[str, JournalSet] = {}
        for line in raw.splitlines():
            try:
                record = json.loads(line)
                op, cid = record["op"], str(record["client_id"])
                if op == "add":
                    found[cid] = JournalSet(cid, int(record["session_id"]), int(record["entry_id"]),
                                            _set_info(record["values"]))
                elif op == "edit" and cid in found:
                    old = found[cid]
                    found[cid] = JournalSet(cid, old.session_id, old.entry_id, _set_info(record["values"]))
                elif op == "done":
                    found.pop(cid, None)
            except (ValueError, KeyError, TypeError):  # a torn last line: never shown as pending
                continue
        return list(found.values())

    def compact(self) -> None:
        """Rewrite the file with only the sets still waiting (none: the file goes)."""
        with self._locked():
            left = self.waiting()
            if not left:
                self.path.unlink(missing_ok=True)
                return
            tmp = self.path.with_name(f".{self.path.name}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                for item in left:
                    os.write(fd, (json.dumps({"op": "add", "client_id": item.client_id, "session_id": item.session_id,
                                              "entry_id": item.entry_id, "values": _values(item.values)},
                                             separators=(",", ":")) + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)


def send(workouts, item_entry_id: int, values: SetInfo, client_id: str) -> SetInfo:
    """Save a set with its client id (the same call the logbook makes)."""
    s = values
    return workouts.add_set(item_entry_id, s.amount, s.reps, s.load_unit, set_type=s.set_type, rpe=s.rpe,
                            duration_s=s.duration_s, distance_m=s.distance_m, distance_unit=s.distance_unit,
                            client_id=client_id)


def resend_waiting(workouts, journal: Journal, *, skip: frozenset[str] = frozenset()) -> Resent:
    """Send the journal's waiting sets (a run killed or quit with sets pending), in order, each
    exactly once; stop at the first the database does not answer. ``skip``: client ids a live
    logbook holds and sends itself. Compacts the journal."""
    saved = dropped = 0
    left = [item for item in journal.waiting() if item.client_id not in skip]
    for n, item in enumerate(left):
        try:
            send(workouts, item.entry_id, item.values, item.client_id)
        except DatabaseUnavailableError:
            return Resent(saved, dropped, len(left) - n)
        except OverloadError:  # its exercise or workout was removed meanwhile, or the set refused
            dropped += 1
            journal.done(item.client_id, saved=False)
        else:
            saved += 1
            journal.done(item.client_id, saved=True)
    journal.compact()
    return Resent(saved, dropped, 0)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
