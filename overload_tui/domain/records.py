"""Personal records of one exercise, kept per unit (kg and machine stacks never compare).

Feed these functions the working sets of ONE exercise (leave warm-ups out). Records:

* heaviest weight lifted,
* best estimated 1RM,
* most reps at each exact weight,
* best session volume (sum of weight x reps of a session).

Ties go to the earlier set: a record is only taken by *strictly* beating it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import Unit
from overload_tui.domain.validation import validate_set
from overload_tui.domain.volume import session_volume


@dataclass(frozen=True, slots=True)
class SetRecord:
    session_id: int
    date: datetime
    weight: float
    reps: int
    unit: Unit
    set_id: int | None = None


class RecordKind(StrEnum):
    HEAVIEST = "heaviest"
    E1RM = "e1rm"
    REPS_AT_WEIGHT = "reps_at_weight"
    SESSION_VOLUME = "session_volume"


@dataclass(frozen=True, slots=True)
class Record:
    kind: RecordKind
    value: float                 # the weight, the e1RM, the reps, or the session volume
    unit: Unit
    date: datetime
    session_id: int
    weight: float | None = None  # the set behind the record (None for session volume)
    reps: int | None = None
    set_id: int | None = None


@dataclass(frozen=True, slots=True)
class UnitRecords:
    unit: Unit
    heaviest: Record
    best_e1rm: Record
    best_volume: Record
    reps_at_weight: tuple[Record, ...]  # one per distinct weight, heaviest first

    def most_reps_at(self, weight: float) -> Record | None:
        key = _weight_key(weight)
        return next((r for r in self.reps_at_weight if _weight_key(r.weight or 0.0) == key), None)


@dataclass(frozen=True, slots=True)
class Records:
    formula: Formula
    units: tuple[UnitRecords, ...]  # kg first, then stacks; only units with sets

    def for_unit(self, unit: Unit | str) -> UnitRecords | None:
        return next((u for u in self.units if u.unit == unit), None)


@dataclass(frozen=True, slots=True)
class BestSet:
    record: SetRecord
    e1rm: float


def _weight_key(weight: float) -> float:
    return round(weight, 3)


def _beats(new: float, old: float) -> bool:
    """Strictly greater, ignoring float noise."""
    return new > old and not math.isclose(new, old, rel_tol=1e-9, abs_tol=1e-9)


def _clean(s: SetRecord) -> SetRecord:
    w, r, u = validate_set(s.weight, s.reps, s.unit)
    if s.unit is u and (w, r) == (s.weight, s.reps):
        return s
    return SetRecord(s.session_id, s.date, w, r, u, s.set_id)


def _chronological(history: Iterable[SetRecord]) -> list[SetRecord]:
    # sorted() is stable: sets with the same date and session keep the order given.
    return sorted((_clean(s) for s in history), key=lambda s: (s.date, s.session_id))


def _set_record(kind: RecordKind, value: float, s: SetRecord) -> Record:
    return Record(kind, value, s.unit, s.date, s.session_id, s.weight, s.reps, s.set_id)


def compute_records(history: Iterable[SetRecord], formula: Formula | str = Formula.EPLEY) -> Records:
    """All records of one exercise's history, per unit, each with the date it was set."""
    formula = Formula(formula)
    heaviest: dict[Unit, Record] = {}
    best_e1rm: dict[Unit, Record] = {}
    reps_at: dict[Unit, dict[float, Record]] = {}
    sessions: dict[tuple[Unit, int], list[SetRecord]] = {}
    for s in _chronological(history):
        u = s.unit
        if u not in heaviest or _beats(s.weight, heaviest[u].value):
            heaviest[u] = _set_record(RecordKind.HEAVIEST, s.weight, s)
        e = estimate_1rm(s.weight, s.reps, formula)
        if u not in best_e1rm or _beats(e, best_e1rm[u].value):
            best_e1rm[u] = _set_record(RecordKind.E1RM, e, s)
        at = reps_at.setdefault(u, {})
        key = _weight_key(s.weight)
        if key not in at or s.reps > at[key].value:
            at[key] = _set_record(RecordKind.REPS_AT_WEIGHT, s.reps, s)
        sessions.setdefault((u, s.session_id), []).append(s)

    best_volume: dict[Unit, Record] = {}
    for (u, session_id), sets in sessions.items():  # insertion order is chronological
        volume = session_volume(sets).get(u, 0.0)
        if u not in best_volume or _beats(volume, best_volume[u].value):
            best_volume[u] = Record(RecordKind.SESSION_VOLUME, volume, u, sets[0].date, session_id)

    units = tuple(
        UnitRecords(
            unit=u,
            heaviest=heaviest[u],
            best_e1rm=best_e1rm[u],
            best_volume=best_volume[u],
            reps_at_weight=tuple(sorted(reps_at[u].values(), key=lambda r: -(r.weight or 0.0))),
        )
        for u in Unit
        if u in heaviest
    )
    return Records(formula, units)


def new_records(
    previous: Records | Iterable[SetRecord],
    new_set: SetRecord,
    session_sets: Sequence[SetRecord] = (),
    formula: Formula | str | None = None,
) -> list[RecordKind]:
    """The records that `new_set`, just logged, strictly beats (in RecordKind order).

    * `previous`: the records of EARLIER sessions, or their sets (sets of new_set's own
      session found there are ignored: they come from `session_sets`).
    * `session_sets`: the sets of the current session logged before new_set (new_set
      itself is skipped if it is in there, matched by set_id when it has one).

    A record needs a baseline from an earlier session in the same unit: the very first
    session of an exercise (so its very first set) announces nothing, because every set
    in it would otherwise be a "record" (including warm-up ramps). Likewise "most reps at
    a weight" is only announced for a weight already lifted in an earlier session. Within
    a session the earlier sets raise the bar, and the session-volume record is announced
    once, by the set that takes the session past the old best.
    """
    if isinstance(previous, Records):
        if formula is not None and Formula(formula) is not previous.formula:
            raise ValueError("formula differs from the one the previous records were computed with")
        formula = previous.formula
        prior_records = previous
    else:
        formula = Formula(formula or Formula.EPLEY)
        prior_records = compute_records(
            (s for s in previous if s.session_id != new_set.session_id), formula
        )
    new = _clean(new_set)
    prior = prior_records.for_unit(new.unit)
    if prior is None:
        return []
    earlier = [
        _clean(s)
        for s in session_sets
        if s is not new_set and not (new_set.set_id is not None and s.set_id == new_set.set_id)
    ]
    earlier = [s for s in earlier if s.unit is new.unit]

    found: list[RecordKind] = []
    heaviest = max([prior.heaviest.value, *(s.weight for s in earlier)])
    if _beats(new.weight, heaviest):
        found.append(RecordKind.HEAVIEST)

    e1rm = estimate_1rm(new.weight, new.reps, formula)
    best = max([prior.best_e1rm.value, *(estimate_1rm(s.weight, s.reps, formula) for s in earlier)])
    if _beats(e1rm, best):
        found.append(RecordKind.E1RM)

    at_weight = prior.most_reps_at(new.weight)
    if at_weight is not None:
        key = _weight_key(new.weight)
        most = max([at_weight.value, *(s.reps for s in earlier if _weight_key(s.weight) == key)])
        if new.reps > most:
            found.append(RecordKind.REPS_AT_WEIGHT)

    before = session_volume(earlier).get(new.unit, 0.0)
    after = session_volume([*earlier, new]).get(new.unit, 0.0)
    old_best = prior.best_volume.value
    if _beats(after, old_best) and not _beats(before, old_best):
        found.append(RecordKind.SESSION_VOLUME)
    return found


def best_sets(
    history: Iterable[SetRecord],
    n: int = 10,
    formula: Formula | str = Formula.EPLEY,
    unit: Unit | str | None = None,
    one_per_session: bool = True,
) -> list[BestSet]:
    """The top `n` sets by e1RM, best first (ties: the earlier set first).

    Pass `unit` when the exercise has sets in both units: kg and stacks do not compare.
    With `one_per_session` (the default) each session contributes only its best set, so
    three identical sets of one day do not fill the table.
    """
    formula = Formula(formula)
    ranked: list[BestSet] = []
    seen: dict[tuple[Unit, int], int] = {}
    for s in _chronological(history):
        if unit is not None and s.unit != unit:
            continue
        entry = BestSet(s, estimate_1rm(s.weight, s.reps, formula))
        if one_per_session:
            key = (s.unit, s.session_id)
            if key in seen:
                if _beats(entry.e1rm, ranked[seen[key]].e1rm):
                    ranked[seen[key]] = entry
                continue
            seen[key] = len(ranked)
        ranked.append(entry)
    order = sorted(range(len(ranked)), key=lambda i: (-ranked[i].e1rm, i))
    return [ranked[i] for i in order[: max(n, 0)]]
