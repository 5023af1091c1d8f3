"""Personal records of one exercise, kept per unit (kg and machine stacks never compare).

Feed these functions the working sets of ONE exercise (leave warm-ups out). Records:

* heaviest weight lifted,
* best estimated 1RM,
* most reps at each exact weight,
* best session volume (sum of weight x reps of a session).

Other kinds of exercise (``ExerciseKind``) have their own records, from ``kind_records``:
longest hold (time), most reps (reps only, weighted, assisted), longest distance and the best
pace at each distance (distance), heaviest added load (weighted), least assistance (assisted).
Weighted and assisted sets also hold the four records above on their effective load (body
weight plus the load, or minus the assistance), counting only sets whose body weight is known.

Ties go to the earlier set: a record is only taken by *strictly* beating it.

Weights are compared in what is stored: kilograms (a set typed in pounds holds its exact kg,
``display_unit`` 'lbs'), or stacks. A set and a record keep the unit the set reads in
(``load_unit``, ``amount``: 225 for a 225 lb set), and a record's value is shown in the
exercise's unit by the caller (``units.from_stored``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from overload_tui.domain.e1rm import Formula, estimate_1rm
from overload_tui.domain.enums import ExerciseKind, Unit
from overload_tui.domain.measures import BODYWEIGHT_KINDS, effective_load, pace_per_km
from overload_tui.domain.units import ReadsInUnit
from overload_tui.domain.validation import validate_set
from overload_tui.domain.volume import session_volume


@dataclass(frozen=True, slots=True)
class SetRecord(ReadsInUnit):
    session_id: int
    date: datetime
    weight: float
    reps: int
    unit: Unit
    set_id: int | None = None
    duration_s: float | None = None   # per rep (see ExerciseKind)
    distance_m: float | None = None   # per rep
    distance_unit: str | None = None
    body_weight: float | None = None  # weighted and assisted sets: the body weight of the day
    display_unit: str | None = None   # 'lbs': typed in pounds (``weight`` is still kg)


class RecordKind(StrEnum):
    HEAVIEST = "heaviest"
    E1RM = "e1rm"
    REPS_AT_WEIGHT = "reps_at_weight"
    SESSION_VOLUME = "session_volume"
    LONGEST_HOLD = "longest_hold"          # time: seconds
    MOST_REPS = "most_reps"                # reps only, weighted, assisted: reps in one set
    LONGEST_DISTANCE = "longest_distance"  # distance: metres in one go (one rep)
    BEST_PACE = "best_pace"                # distance: seconds per km at one distance (lower is better)
    HEAVIEST_ADDED = "heaviest_added"      # weighted: the added load
    LEAST_ASSISTANCE = "least_assistance"  # assisted: the assistance (lower is better)


@dataclass(frozen=True, slots=True)
class Record(ReadsInUnit):  # load_unit, amount: the set behind the record, as it reads (225 lb)
    kind: RecordKind
    value: float                 # the weight, the e1RM, the reps, the session volume, seconds, metres, s/km
    unit: Unit
    date: datetime
    session_id: int
    weight: float | None = None  # the set behind the record (None for session volume)
    reps: int | None = None
    set_id: int | None = None
    duration_s: float | None = None
    distance_m: float | None = None
    distance_unit: str | None = None
    body_weight: float | None = None
    display_unit: str | None = None  # of the set behind the record: 'lbs' when typed in pounds


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
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS
    # Other kinds: their own records (see the module's docstring), in RecordKind order, and for
    # distance the best pace at each distance, longest first. Weighted and assisted ``units``
    # are on the effective load.
    measures: tuple[Record, ...] = ()
    pace_at: tuple[Record, ...] = ()
    without_body_weight: int = 0  # weighted/assisted sets left out of ``units``: no body weight known

    def for_unit(self, unit: Unit | str) -> UnitRecords | None:
        return next((u for u in self.units if u.unit == unit), None)

    def measure(self, kind: RecordKind) -> Record | None:
        return next((r for r in self.measures if r.kind is kind), None)


@dataclass(frozen=True, slots=True)
class BestSet:
    record: SetRecord
    e1rm: float  # weight kinds: the estimated 1RM (of the effective load for weighted and
    # assisted); time, distance and reps only: the measure the set is ranked by (s, m, reps)


def _weight_key(weight: float) -> float:
    return round(weight, 3)


def _beats(new: float, old: float) -> bool:
    """Strictly greater, ignoring float noise."""
    return new > old and not math.isclose(new, old, rel_tol=1e-9, abs_tol=1e-9)


def _clean(s: SetRecord) -> SetRecord:
    w, r, u = validate_set(s.weight, s.reps, s.unit)
    if s.unit is u and (w, r) == (s.weight, s.reps):
        return s
    return replace(s, weight=w, reps=r, unit=u)


def _chronological(history: Iterable[SetRecord]) -> list[SetRecord]:
    # sorted() is stable: sets with the same date and session keep the order given.
    return sorted((_clean(s) for s in history), key=lambda s: (s.date, s.session_id))


def _set_record(kind: RecordKind, value: float, s: SetRecord) -> Record:
    return Record(
        kind, value, s.unit, s.date, s.session_id, s.weight, s.reps, s.set_id,
        s.duration_s, s.distance_m, s.distance_unit, s.body_weight, s.display_unit,
    )


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


# -- other kinds of exercise ---------------------------------------------------------------------
def _hold(s: SetRecord) -> float | None:
    return s.duration_s


def _reps(s: SetRecord) -> float | None:
    return float(s.reps)


def _distance(s: SetRecord) -> float | None:
    return s.distance_m


def _load(s: SetRecord) -> float | None:
    return s.weight


# Per kind: (record, the set's value for it, higher is better).
MEASURES: dict[ExerciseKind, tuple[tuple[RecordKind, Callable[[SetRecord], float | None], bool], ...]] = {
    ExerciseKind.WEIGHT_REPS: (),
    ExerciseKind.TIME: ((RecordKind.LONGEST_HOLD, _hold, True),),
    ExerciseKind.REPS_ONLY: ((RecordKind.MOST_REPS, _reps, True),),
    ExerciseKind.DISTANCE: ((RecordKind.LONGEST_DISTANCE, _distance, True),),
    ExerciseKind.WEIGHTED: ((RecordKind.MOST_REPS, _reps, True), (RecordKind.HEAVIEST_ADDED, _load, True)),
    ExerciseKind.ASSISTED: ((RecordKind.MOST_REPS, _reps, True), (RecordKind.LEAST_ASSISTANCE, _load, False)),
}
_ORDER = {k: i for i, k in enumerate(RecordKind)}


def _better(new: float, old: float, higher: bool) -> bool:
    return _beats(new, old) if higher else _beats(-new, -old)


def _pace(s: SetRecord) -> float | None:
    return pace_per_km(s.distance_m, s.duration_s)


def _distance_key(s: SetRecord) -> float:
    return round(s.distance_m or 0.0, 1)


_LOADS = (RecordKind.HEAVIEST_ADDED, RecordKind.LEAST_ASSISTANCE)  # compared within one unit


def effective_sets(kind: ExerciseKind | str, history: Iterable[SetRecord]) -> list[SetRecord]:
    """Weighted and assisted sets with their effective load as the weight (body weight plus the
    load, or minus the assistance), leaving out those whose body weight is not known and those
    in stacks (a pin's help has no kg); the sets themselves for the other kinds."""
    kind = ExerciseKind(kind)
    if kind not in BODYWEIGHT_KINDS:
        return list(history)
    out = []
    for s in history:
        if s.unit is not Unit.KG:
            continue
        load = effective_load(kind, s.weight, s.body_weight)
        if load is not None:
            out.append(replace(s, weight=round(load, 3)))
    return out


def kind_records(
    kind: ExerciseKind | str, history: Iterable[SetRecord], formula: Formula | str = Formula.EPLEY
) -> Records:
    """The records of one exercise of any kind (``compute_records`` for weight x reps)."""
    kind, formula = ExerciseKind(kind), Formula(formula)
    sets = _chronological(history)
    if kind is ExerciseKind.WEIGHT_REPS:
        return compute_records(sets, formula)
    loaded = effective_sets(kind, sets) if kind in BODYWEIGHT_KINDS else []
    measures: list[Record] = []
    for record_kind, value_of, higher in MEASURES[kind]:
        best: tuple[float, SetRecord] | None = None
        unit = sets[-1].unit if sets else None
        for s in sets:
            if record_kind in _LOADS and s.unit is not unit:
                continue  # the added load or the help: in the unit of the latest set
            value = value_of(s)
            if value is not None and (best is None or _better(value, best[0], higher)):
                best = (value, s)
        if best is not None:
            measures.append(_set_record(record_kind, best[0], best[1]))
    paces: dict[float, tuple[float, SetRecord]] = {}
    for s in sets if kind is ExerciseKind.DISTANCE else ():
        pace = _pace(s)
        key = _distance_key(s)
        if pace is not None and (key not in paces or _better(pace, paces[key][0], False)):
            paces[key] = (pace, s)
    pace_at = tuple(
        _set_record(RecordKind.BEST_PACE, pace, s) for _, (pace, s) in sorted(paces.items(), reverse=True)
    )
    return Records(
        formula,
        compute_records(loaded, formula).units,
        kind,
        tuple(sorted(measures, key=lambda r: _ORDER[r.kind])),
        pace_at,
        len(sets) - len(loaded) if kind in BODYWEIGHT_KINDS else 0,
    )


def new_kind_records(
    kind: ExerciseKind | str,
    previous: Iterable[SetRecord],
    new_set: SetRecord,
    session_sets: Sequence[SetRecord] = (),
    formula: Formula | str = Formula.EPLEY,
) -> list[RecordKind]:
    """``new_records`` for an exercise of any kind: the records ``new_set`` strictly beats, in
    RecordKind order, against the sets of earlier sessions (``previous``) and those logged
    before it in its own session (``session_sets``). As for weight x reps, a record needs a
    value from an earlier session to beat (the first session announces nothing), and the best
    pace is compared at the same distance only. Weighted and assisted sets also take the weight
    records on their effective load when their body weight and earlier ones are known.
    """
    kind, formula = ExerciseKind(kind), Formula(formula)
    prior = [s for s in previous if s.session_id != new_set.session_id]
    if kind is ExerciseKind.WEIGHT_REPS:
        return new_records(prior, new_set, session_sets, formula)
    new = _clean(new_set)
    earlier = [
        _clean(s)
        for s in session_sets
        if s is not new_set and not (new_set.set_id is not None and s.set_id == new_set.set_id)
    ]
    found: list[RecordKind] = []
    if kind in BODYWEIGHT_KINDS:
        loaded_new = effective_sets(kind, [new])
        if loaded_new:
            found += new_records(effective_sets(kind, prior), loaded_new[0], effective_sets(kind, earlier), formula)
    checks = [
        (rk, value_of, higher, (lambda s: s.unit is new.unit) if rk in _LOADS else (lambda s: True))
        for rk, value_of, higher in MEASURES[kind]
    ]
    if kind is ExerciseKind.DISTANCE:
        key = _distance_key(new)
        checks.append((RecordKind.BEST_PACE, _pace, False, lambda s: _distance_key(s) == key))
    for record_kind, value_of, higher, comparable in checks:
        value = value_of(new)
        before = [v for s in prior if comparable(s) and (v := value_of(s)) is not None]
        if value is None or not before:
            continue
        before += [v for s in earlier if comparable(s) and (v := value_of(s)) is not None]
        best = max(before) if higher else min(before)
        if _better(value, best, higher):
            found.append(record_kind)
    return sorted(set(found), key=_ORDER.__getitem__)


def _score(kind: ExerciseKind, s: SetRecord, formula: Formula) -> float | None:
    """What ranks a set among the best: the e1RM of its (effective) load, or its measure."""
    if kind is ExerciseKind.WEIGHT_REPS or kind in BODYWEIGHT_KINDS:
        load = effective_load(kind, s.weight, s.body_weight)
        return None if load is None else estimate_1rm(load, s.reps, formula)
    if kind is ExerciseKind.TIME:
        return s.duration_s
    if kind is ExerciseKind.DISTANCE:
        return s.distance_m
    return float(s.reps)


def kind_best_sets(
    kind: ExerciseKind | str,
    history: Iterable[SetRecord],
    n: int = 10,
    formula: Formula | str = Formula.EPLEY,
    one_per_session: bool = True,
) -> list[BestSet]:
    """``best_sets`` for any kind: ranked by the e1RM of the effective load (weighted, assisted;
    sets without a known body weight are left out), the longest hold, the longest distance (ties:
    the faster) or the most reps. ``BestSet.e1rm`` is that value. Ties go to the earlier set."""
    kind, formula = ExerciseKind(kind), Formula(formula)
    if kind is ExerciseKind.WEIGHT_REPS:
        return best_sets(history, n, formula, one_per_session=one_per_session)
    ranked: list[tuple[tuple[float, float], BestSet]] = []
    seen: dict[int, int] = {}
    for s in _chronological(history):
        score = _score(kind, s, formula)
        if score is None:
            continue
        key = (score, -(_pace(s) or math.inf))
        entry = (key, BestSet(s, score))
        if one_per_session:
            if s.session_id in seen:
                i = seen[s.session_id]
                (old_score, old_pace), _ = ranked[i]
                if _beats(score, old_score) or (not _beats(old_score, score) and key[1] > old_pace):
                    ranked[i] = entry
                continue
            seen[s.session_id] = len(ranked)
        ranked.append(entry)
    order = sorted(range(len(ranked)), key=lambda i: (-ranked[i][0][0], -ranked[i][0][1], i))
    return [ranked[i][1] for i in order[: max(n, 0)]]
