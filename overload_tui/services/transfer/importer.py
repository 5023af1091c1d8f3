"""A parsed file against one user's data: what is new, where each exercise goes, and the write.

:func:`analyse` only reads (a plan, a dry run; :class:`Analyser` when the workouts come one at a
time, as a streamed backup's do, keeping counts only); :func:`write` inserts everything in the caller's
transaction with bulk INSERTs (executemany; RETURNING for the ids it needs), never one ORM
flush per row, so a 25,000-row export takes seconds.

Every kind of set goes in as the file measured it (weight, reps, and per rep a time and a
distance): a new custom exercise gets the kind its sets measure, and a set that does not fit
its exercise's kind (a timed row on a weight x reps lift) is stored as logged and counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from overload_tui import clock
from overload_tui.db.models import (
    BodyWeight,
    Exercise,
    ExerciseSession,
    Program,
    Session,
    Set,
    Template,
    User,
    UserSetting,
)
from overload_tui.domain.enums import Category, ExerciseKind
from overload_tui.domain.errors import NotFoundError
from overload_tui.services.plan import SKIPPED_PREFIX
from overload_tui.services.settings import EXERCISE_RULE_PREFIX, EXERCISE_UNIT_PREFIX, WARMUP_PREFIX, read_settings
from overload_tui.services.transfer.mapping import ExerciseMatcher, Known, Target
from overload_tui.services.transfer.model import (
    SKIP_REASONS,
    ExerciseMapping,
    ExerciseRef,
    ImportReport,
    ParsedBodyWeight,
    ParsedEntry,
    ParsedFile,
    ParsedProgram,
    ParsedSet,
    ParsedTemplate,
    ParsedWorkout,
    SkipCount,
)

Progress = Callable[[int, int], None]
SET_CHUNK = 5000


@dataclass
class Analysis:
    targets: dict[tuple[str, bool | None], Target] = field(default_factory=dict)
    mappings: list[ExerciseMapping] = field(default_factory=list)
    workouts: list[ParsedWorkout] = field(default_factory=list)  # the new ones
    duplicate_workouts: int = 0
    duplicate_sets: int = 0
    templates: list[ParsedTemplate] = field(default_factory=list)
    duplicate_templates: int = 0
    template_ids: dict[str, int] = field(default_factory=dict)  # a backup's template ref -> id
    kinds: dict[tuple[str, bool | None], ExerciseKind] = field(default_factory=dict)  # keyed as targets
    body_weights: list[ParsedBodyWeight] = field(default_factory=list)  # the days not logged yet
    duplicate_body_weights: int = 0
    weight_unit: str | None = None  # a backup's weight unit, when it is not the lifter's (told, not set)
    exercise_units: list[tuple[Target, str]] = field(default_factory=list)  # a backup's, not chosen yet
    programs: list[ParsedProgram] = field(default_factory=list)  # a backup's, the names the lifter has not
    duplicate_programs: int = 0
    program_ids: dict[str, int] = field(default_factory=dict)  # a backup's program ref -> the lifter's own
    untied_programs: set[str] = field(default_factory=set)  # refs of the lifter's running program's name
    program_kept_stopped: str | None = None  # the backup's running program, restored stopped
    exercise_rules: list[tuple[Target, str]] = field(default_factory=list)  # a backup's, not chosen yet
    warmups_off: list[Target] = field(default_factory=list)  # a backup's, not chosen yet

    # Counts of the new workouts (kept as they are met: a streamed backup keeps no workouts).
    sets: int = 0
    entries: int = 0
    new_workouts: int = 0
    unlinked_program_workouts: int = 0  # workouts of a program in untied_programs
    timed_sets: int = 0  # a time without a distance
    distance_sets: int = 0
    reps_only_sets: int = 0  # neither, and no weight


def _known_exercises(s: OrmSession, user_id: int) -> tuple[list[Known], dict[int, ExerciseKind]]:
    """The exercises a user's file may map to, and what each one's sets measure."""
    rows = s.execute(
        select(Exercise.id, Exercise.name, Exercise.category, Exercise.owner_id, Exercise.kind).where(
            or_(Exercise.owner_id.is_(None), Exercise.owner_id == user_id)
        )
    ).all()
    return [Known(i, n, Category(c), o is not None) for i, n, c, o, _ in rows], {r[0]: ExerciseKind(r[4]) for r in rows}


def measured_kind(sets: list[ParsedSet]) -> ExerciseKind:
    """The kind a new exercise gets from its sets when the file does not say (a distance, a
    time, else weight x reps)."""
    if any(st.distance_m is not None for st in sets):
        return ExerciseKind.DISTANCE
    if any(st.duration_s is not None for st in sets):
        return ExerciseKind.TIME
    return ExerciseKind.WEIGHT_REPS


def fits(kind: ExerciseKind, st: ParsedSet) -> bool:
    """Whether a set measures what its exercise does: a distance for distance exercises (a time
    too if it likes), a time and no distance for timed ones, neither for the others (and no
    load for reps-only ones)."""
    if kind is ExerciseKind.DISTANCE:
        return st.distance_m is not None
    if kind is ExerciseKind.TIME:
        return st.duration_s is not None and st.distance_m is None
    if st.duration_s is not None or st.distance_m is not None:
        return False
    return kind is not ExerciseKind.REPS_ONLY or st.weight == 0


def fits_shape(kind: ExerciseKind, shape: int) -> bool:
    """:func:`fits` for a set known by its :func:`~building.set_shape` (distance 1, time 2, no weight 4)."""
    distance, timed = bool(shape & 1), bool(shape & 2)
    if kind is ExerciseKind.DISTANCE:
        return distance
    if kind is ExerciseKind.TIME:
        return timed and not distance
    if timed or distance:
        return False
    return kind is not ExerciseKind.REPS_ONLY or bool(shape & 4)


def source_keys(s: OrmSession, user_id: int) -> set[str]:
    """The source keys of the user's imported workouts (a file's workout found here is a duplicate)."""
    return set(
        s.scalars(select(Session.source_key).where(Session.user_id == user_id, Session.source_key.is_not(None)))
    )


class Mapper:
    """Exercise names of a streamed CSV -> exercises, matched in the order given (the report's),
    each new custom exercise inserted when its first set is written (:meth:`exercise_id`)."""

    def __init__(self, known: list[Known], known_kinds: dict[int, ExerciseKind]) -> None:
        self.matcher = ExerciseMatcher(known)
        self.known_kinds = known_kinds
        self.targets: dict[str, Target] = {}
        self.kinds: dict[str, ExerciseKind] = {}
        self._shared: dict[int, ExerciseKind] = {}  # id(target) -> the kind of a new exercise

    @classmethod
    def load(
        cls, s: OrmSession, user_id: int, names: Iterable[tuple[str, str | None, ExerciseKind | None]] = ()
    ) -> Mapper:
        mapper = cls(*_known_exercises(s, user_id))
        for name, hint, kind in names:
            mapper.target(name, hint, kind)
        return mapper

    def target(
        self, name: str, category_hint: str | None, kind_hint: ExerciseKind | None
    ) -> tuple[Target, ExerciseKind]:
        target = self.targets.get(name)
        if target is None:
            target = self.targets[name] = self.matcher.match(name, category_hint=category_hint)
            if target.id is not None:
                kind = self.known_kinds[target.id]
            else:  # another spelling of a new exercise has the first one's kind
                kind = self._shared.setdefault(id(target), kind_hint or ExerciseKind.WEIGHT_REPS)
            self.kinds[name] = kind
        return target, self.kinds[name]

    def exercise_id(self, s: OrmSession, user_id: int) -> Callable[[ParsedEntry], int]:
        """The id of an entry's exercise, a new one inserted the first time it is asked for."""

        def exercise_id(entry: ParsedEntry) -> int:
            ref = entry.exercise
            target, kind = self.target(ref.name, ref.category_hint, ref.kind_hint)
            if target.id is None:
                (target.id,) = _insert_returning_ids(s, Exercise, [new_exercise_row(target, kind, user_id)])
            return target.id

        return exercise_id


def analyse(s: OrmSession, user_id: int, parsed: ParsedFile) -> Analysis:
    """What importing ``parsed`` (its workouts in hand) would do, read in ``s``."""
    analyser = Analyser(s, user_id, parsed, keep=True)
    for w in parsed.workouts:
        analyser.add(w)
    return analyser.finish(s)


class Analyser:
    """:func:`analyse` in three steps, for workouts met one at a time (a streamed backup):
    ``Analyser(s, ...)`` reads what the user has (the file's templates, programs and custom
    exercises known), :meth:`add` counts each workout without the database (keeping it only
    when ``keep``), :meth:`finish` maps the exercises and reads the rest (body weights and
    settings: they may come after the workouts in the file)."""

    def __init__(self, s: OrmSession, user_id: int, parsed: ParsedFile, *, keep: bool = False) -> None:
        self.user_id = user_id
        self.parsed = parsed
        self.keep = keep
        self.result = result = Analysis()
        self.known, self.known_kinds = _known_exercises(s, user_id)
        self.keys: set[str] = set()
        self.plain: set[tuple[datetime, str | None]] = set()
        for key, date, name in s.execute(
            select(Session.source_key, Session.date, Session.name).where(Session.user_id == user_id)
        ):
            if key is not None:
                self.keys.add(key)
            else:
                self.plain.add((date, name))
        if parsed.templates:
            existing = {
                n.casefold(): i
                for i, n in s.execute(select(Template.id, Template.name).where(Template.user_id == user_id))
            }
            for t in parsed.templates:
                if t.name.casefold() in existing:  # restored before: sessions link to the one there is
                    result.duplicate_templates += 1
                    result.template_ids[t.ref] = existing[t.name.casefold()]
                else:
                    result.templates.append(t)
        if parsed.programs:  # before the workouts: a workout of an untied program is counted
            _programs_to_restore(s, user_id, parsed, result)
        self.sets_per_name: Counter = Counter()
        self.shapes: dict[tuple[str, bool | None], list[int]] = {}  # set shapes (distance 1, time 2, no weight 4)
        self.hints: dict[tuple[str, bool | None], ExerciseKind] = {}
        self.order: list[tuple[str, bool | None, str | None]] = []
        self.defined_kinds = {d.name.casefold(): d.kind for d in parsed.custom_exercises}
        self.matcher: ExerciseMatcher | None = None
        self.matched = 0  # the names of ``order`` matched (the first ones)
        self.provisional: dict[tuple[str, bool | None], ExerciseKind] = {}  # kinds as first written
        self.created: dict[int, ExerciseKind] = {}  # id(target) of each exercise written -> its kind
        for d in parsed.custom_exercises:  # a backup restores its custom exercises, used or not
            k = (d.name, True)
            if k not in result.targets:
                result.targets[k] = None  # type: ignore[assignment]
                self.order.append((d.name, True, None))
        for t in result.templates:
            for e in t.entries:
                self._visit(e)

    def is_new(self, w: ParsedWorkout) -> bool:
        """Whether the user has no such workout (a file's own workouts never clash: the readers
        group them)."""
        if w.source_key is not None:
            return w.source_key not in self.keys
        # a backup's session logged in the app: the same date and name is the same workout
        return (w.date, w.name) not in self.plain

    def add(self, w: ParsedWorkout) -> None:
        result = self.result
        if not self.is_new(w):
            result.duplicate_workouts += 1
            result.duplicate_sets += w.set_count
            return
        if self.keep:
            result.workouts.append(w)
        result.new_workouts += 1
        result.entries += len(w.entries)
        if w.program_ref is not None and w.program_ref in result.untied_programs:
            result.unlinked_program_workouts += 1
        for e in w.entries:
            result.sets += len(e.sets)
            for st in e.sets:
                if st.distance_m is not None:
                    result.distance_sets += 1
                elif st.duration_s is not None:
                    result.timed_sets += 1
                elif st.weight == 0:
                    result.reps_only_sets += 1
            self._visit(e)

    def _visit(self, entry: ParsedEntry) -> None:
        ref = entry.exercise
        k = (ref.name, ref.custom)
        if k not in self.result.targets:
            self.result.targets[k] = None  # type: ignore[assignment]  # filled by finish, in file order
            self.order.append((ref.name, ref.custom, ref.category_hint))
        self.sets_per_name[k] += len(entry.sets)
        shapes = self.shapes.get(k)
        if shapes is None:
            shapes = self.shapes[k] = [0] * 8
        for st in entry.sets:
            shapes[(st.distance_m is not None) | (st.duration_s is not None) << 1 | (st.weight == 0) << 2] += 1
        if ref.kind_hint is not None:
            self.hints.setdefault(k, ExerciseKind(ref.kind_hint))

    def _kind(self, k: tuple[str, bool | None], target: Target, kinds: dict) -> ExerciseKind:
        """What key ``k``'s sets measure, its earlier keys' kinds in ``kinds`` (from the sets counted
        so far: final once every workout is counted)."""
        name, custom = k
        if target.id is not None and id(target) not in self.created:
            return self.known_kinds[target.id]
        if any(target is self.result.targets[other] for other in kinds):  # another spelling of it
            return next(kinds[o] for o in kinds if self.result.targets[o] is target)
        if custom and name.casefold() in self.defined_kinds:
            return self.defined_kinds[name.casefold()]
        return self.hints.get(k) or _measured_kind(self.shapes.get(k, [0] * 8))

    def _match(self, s: OrmSession | None = None) -> None:
        """Match the exercise names met since the last call, in the order met; when writing
        (``s``), insert each new exercise at once, with the kind its sets so far measure
        (:meth:`finish` corrects it when later sets measure another)."""
        if self.matcher is None:
            self.matcher = ExerciseMatcher(self.known)
        definitions = {d.name.casefold(): (d.category, d.subcategory, d.equipment) for d in self.parsed.custom_exercises}
        for name, custom, hint in self.order[self.matched:]:
            target = self.matcher.match(
                name, custom=custom, category_hint=hint,
                definition=definitions.get(name.casefold()) if custom else None,
            )  # fmt: skip
            k = (name, custom)
            self.result.targets[k] = target
            if s is not None:
                kind = self._kind(k, target, self.provisional)
                self.provisional[k] = kind
                if target.id is None:
                    self.created[id(target)] = kind
                    (target.id,) = _insert_returning_ids(s, Exercise, [new_exercise_row(target, kind, self.user_id)])
        self.matched = len(self.order)

    def writing(
        self, s: OrmSession, on_progress: Progress | None = None, total: int = 0
    ) -> tuple[WorkoutWriter, Callable[[ParsedWorkout], None]]:
        """Write as the workouts are counted (one pass, in ``s``'s transaction): the exercises met
        so far, templates and programs now; the writer, and ``add(w)`` that counts a workout and
        hands it to the writer when it is new (:meth:`finish`, then :func:`write_tail`, after the
        last). ``total``: the sets expected, for progress."""
        self._match(s)
        writer = write_head(s, self.user_id, self.result, on_progress, total)

        def add(w: ParsedWorkout) -> None:
            self.add(w)
            if self.matched < len(self.order):
                self._match(s)
            if self.is_new(w):
                writer.add(w)

        return writer, add

    def finish(self, s: OrmSession) -> Analysis:
        result, parsed, user_id = self.result, self.parsed, self.user_id
        if parsed.body_weights:
            logged = set(s.scalars(select(BodyWeight.measured_on).where(BodyWeight.user_id == user_id)))
            for bw in parsed.body_weights:  # a day already logged keeps its weight
                if bw.measured_on in logged:
                    result.duplicate_body_weights += 1
                else:
                    result.body_weights.append(bw)
        self._match()
        result.kinds = {}
        for name, custom, _ in self.order:
            k = (name, custom)
            target = result.targets[k]
            shapes = self.shapes.get(k, [0] * 8)
            kind = result.kinds[k] = self._kind(k, target, result.kinds)
            if self.created.get(id(target), kind) is not kind:  # written with the kind its first sets measured
                s.execute(update(Exercise).where(Exercise.id == target.id).values(kind=kind.value))
                self.created[id(target)] = kind
            result.mappings.append(
                ExerciseMapping(
                    name, target.name, target.how, target.category, target.note, self.sets_per_name[k],
                    kind=kind, off_kind=sum(n for shape, n in enumerate(shapes) if n and not fits_shape(kind, shape)),
                )
            )  # fmt: skip
        if parsed.weight_unit or parsed.exercise_units:
            _settings_to_restore(s, user_id, parsed, result)
        if parsed.exercise_rules or parsed.warmups_off:
            _exercise_settings_to_restore(s, user_id, parsed, result, self.matcher)
        return result


def _measured_kind(shapes: list[int]) -> ExerciseKind:
    """:func:`measured_kind` of sets counted by shape."""
    if any(n for shape, n in enumerate(shapes) if shape & 1):
        return ExerciseKind.DISTANCE
    if any(n for shape, n in enumerate(shapes) if shape & 2):
        return ExerciseKind.TIME
    return ExerciseKind.WEIGHT_REPS


def _programs_to_restore(s: OrmSession, user_id: int, parsed: ParsedFile, result: Analysis) -> None:
    """A backup's programs, as templates are restored: a name the lifter already has keeps the
    lifter's program (text, state, running or not) and the backup's workouts of it are tied to
    that one; except when it is the one running, whose position a workout of its day could move
    on (the programs service records finished workouts of its next day): those workouts are
    restored untied from any program, and counted. The backup's running program is restored
    running only when the lifter runs none; else it is restored stopped (its state kept) and
    the report says so: a restore never changes which program the lifter runs."""
    existing = {
        name.casefold(): (i, bool(active))
        for i, name, active in s.execute(
            select(Program.id, Program.name, Program.active).where(Program.user_id == user_id)
        )
    }
    running = any(active for _, active in existing.values())
    for p in parsed.programs:
        found = existing.get(p.name.casefold())
        if found is not None:
            result.duplicate_programs += 1
            if found[1]:
                result.untied_programs.add(p.ref)
            else:
                result.program_ids[p.ref] = found[0]
            continue
        result.programs.append(p)
        if p.active and running:
            result.program_kept_stopped = p.name


def _exercise_settings_to_restore(
    s: OrmSession, user_id: int, parsed: ParsedFile, result: Analysis, matcher: ExerciseMatcher
) -> None:
    """A backup's progression rules and warm-ups off per exercise, as its exercise units: set
    where the importing lifter has chosen none for that exercise (a restore never overrides a
    choice). An exercise the backup neither logs nor defines, and the lifter does not have,
    is left out."""
    chosen = set(s.scalars(select(UserSetting.key).where(UserSetting.user_id == user_id)))
    new = {id(t) for t in result.targets.values() if t is not None and t.id is None}

    def target_of(ref: ExerciseRef, prefix: str, done: set[int]) -> Target | None:
        target = result.targets.get((ref.name, ref.custom))
        if target is None:
            target = matcher.match(ref.name, custom=ref.custom)
            if target.id is None and id(target) not in new:
                return None
        if id(target) in done or (target.id is not None and f"{prefix}{target.id}" in chosen):
            return None
        done.add(id(target))
        return target

    ruled: set[int] = set()
    for ref, rule in parsed.exercise_rules:
        if (target := target_of(ref, EXERCISE_RULE_PREFIX, ruled)) is not None:
            result.exercise_rules.append((target, rule))
    off: set[int] = set()
    for ref in parsed.warmups_off:
        if (target := target_of(ref, WARMUP_PREFIX, off)) is not None:
            result.warmups_off.append(target)


def _settings_to_restore(s: OrmSession, user_id: int, parsed: ParsedFile, result: Analysis) -> None:
    """The units a backup's lifter chose for exercises (kg dumbbells in a pounds gym, a machine's
    stacks), restored where the importing lifter has chosen none and reads in another unit; a
    restore never overrides a choice. The lifter's own weight unit is never changed: a backup's
    other unit is only told (each set reads as logged whatever the lifter's unit)."""
    own = read_settings(s, user_id)
    if parsed.weight_unit and parsed.weight_unit != own.weight_unit:
        result.weight_unit = parsed.weight_unit
    done: set[int] = set()
    for ref, unit in parsed.exercise_units:
        target = result.targets.get((ref.name, ref.custom))
        if target is None or id(target) in done or unit == own.weight_unit:
            continue
        if target.id is not None and own.unit_for(target.id) is not None:
            continue
        done.add(id(target))
        result.exercise_units.append((target, unit))


def build_report(
    source: str,
    parsed: ParsedFile,
    analysis: Analysis,
    *,
    written: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    timed, distance, reps_only = analysis.timed_sets, analysis.distance_sets, analysis.reps_only_sets
    skipped = skip_counts(parsed)
    notes = list(parsed.warnings)
    if analysis.programs:
        notes.append(f"programs: {len(analysis.programs)} {'restored' if written else 'to restore'}")
    if analysis.duplicate_programs:
        notes.append(f"programs: {analysis.duplicate_programs} already there (same name), left alone")
    if analysis.program_kept_stopped:
        notes.append(f"programs: {analysis.program_kept_stopped} restored stopped (you run another program)")
    if analysis.unlinked_program_workouts:
        notes.append(f"programs: {analysis.unlinked_program_workouts} workouts of your running program's name "
                     "restored untied from it")
    return ImportReport(
        source=source,
        format=parsed.format,
        variant=parsed.variant,
        unit_note=parsed.unit_note,
        rows=parsed.rows,
        workouts=analysis.new_workouts,
        entries=analysis.entries,
        sets=analysis.sets,
        duplicate_workouts=analysis.duplicate_workouts,
        duplicate_sets=analysis.duplicate_sets,
        empty_workouts=parsed.empty_workouts,
        templates=len(analysis.templates),
        duplicate_templates=analysis.duplicate_templates,
        skipped=skipped,
        invalid=tuple(parsed.invalid),
        mappings=tuple(analysis.mappings),
        warnings=tuple(notes),
        timed_sets=timed,
        distance_sets=distance,
        reps_only_sets=reps_only,
        off_kind_sets=sum(m.off_kind for m in analysis.mappings),
        body_weights=len(analysis.body_weights),
        duplicate_body_weights=analysis.duplicate_body_weights,
        weight_unit=analysis.weight_unit,
        exercise_units=len(analysis.exercise_units),
        programs=len(analysis.programs),
        duplicate_programs=analysis.duplicate_programs,
        program_kept_stopped=analysis.program_kept_stopped,
        unlinked_program_workouts=analysis.unlinked_program_workouts,
        exercise_settings=len(analysis.exercise_rules) + len(analysis.warmups_off),
        written=written,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )


def skip_counts(parsed: ParsedFile) -> tuple[SkipCount, ...]:
    return tuple(
        SkipCount(reason, SKIP_REASONS.get(reason, reason), n)
        for reason, n in sorted(parsed.skipped.items(), key=lambda kv: list(SKIP_REASONS).index(kv[0]))
        if n
    )


def lock_user(s: OrmSession, user_id: int) -> None:
    """Two imports for one user wait for each other (SQLite: BEGIN IMMEDIATE already does)."""
    if s.scalar(select(User.id).where(User.id == user_id).with_for_update()) is None:
        raise NotFoundError("That user was not found.")


def _insert_returning_ids(s: OrmSession, model, rows: list[dict]) -> list[int]:
    """One executemany (batched by SQLAlchemy's insertmanyvalues), ids in the order of ``rows``.

    Core INSERTs on the table, not the ORM's bulk path: that one splits the rows into a new
    batch wherever the set of NULL columns changes (an RPE here and not there), which on
    PostgreSQL meant thousands of round trips.
    """
    if not rows:
        return []
    table = model.__table__
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(s.execute(stmt, rows).scalars())


def write(
    s: OrmSession,
    user_id: int,
    analysis: Analysis,
    on_progress: Progress | None = None,
) -> None:
    """Insert the analysed file for ``user_id`` in ``s``'s transaction."""
    writer = write_head(s, user_id, analysis, on_progress)
    for w in analysis.workouts:
        writer.add(w)
    write_tail(s, user_id, analysis, writer, on_progress)


def write_head(
    s: OrmSession, user_id: int, analysis: Analysis, on_progress: Progress | None = None, total: int | None = None
) -> WorkoutWriter:
    """What goes in before the workouts (new exercises, templates, programs); the writer the new
    workouts are then handed to (:func:`write_tail` after the last). ``total``: the sets to
    write, when the analysis has not counted them yet."""
    total = analysis.sets if total is None else total
    if on_progress:
        on_progress(0, total)

    # New custom exercises, once each even when several spellings lead to one.
    new: list[Target] = []
    new_kinds: list[ExerciseKind] = []
    for k, target in analysis.targets.items():
        if target.id is None and all(target is not t for t in new):
            new.append(target)
            new_kinds.append(analysis.kinds[k])
    ids = _insert_returning_ids(
        s, Exercise, [new_exercise_row(t, kind, user_id) for t, kind in zip(new, new_kinds, strict=True)]
    )
    for target, new_id in zip(new, ids, strict=True):
        target.id = new_id

    def exercise_id(entry: ParsedEntry) -> int:
        return analysis.targets[(entry.exercise.name, entry.exercise.custom)].id  # type: ignore[return-value]

    # Templates (backups only; a handful): plain ORM is fine here.
    template_ids = dict(analysis.template_ids)
    for t in analysis.templates:
        tpl = Template(user_id=user_id, name=t.name, description=t.description)
        for i, e in enumerate(t.entries, start=1):
            tpl.exercise_sessions.append(
                ExerciseSession(
                    exercise_id=exercise_id(e),
                    order=e.order if e.order is not None else i,
                    notes=e.notes,
                    progression=e.progression,
                    sets=[Set(**set_row(st, j)) for j, st in enumerate(e.sets, start=1)],
                )
            )
        s.add(tpl)
        s.flush()
        template_ids[t.ref] = tpl.id

    # Programs (backups only; a handful), before the workouts that point at them.
    program_ids = dict(analysis.program_ids)
    if analysis.programs:
        now = clock.now()
        ids = _insert_returning_ids(s, Program, [
            {
                "user_id": user_id,
                "name": p.name,
                "source": p.source,
                "active": p.active and analysis.program_kept_stopped is None,
                "started_on": p.started_on,
                "state": p.state,
                "created_at": p.created_at or now,
                "updated_at": p.updated_at,
            }
            for p in analysis.programs
        ])  # fmt: skip
        program_ids.update((p.ref, i) for p, i in zip(analysis.programs, ids, strict=True))

    return WorkoutWriter(s, user_id, exercise_id, on_progress, total, template_ids, program_ids)


def write_tail(
    s: OrmSession, user_id: int, analysis: Analysis, writer: WorkoutWriter, on_progress: Progress | None = None
) -> None:
    """The last workouts, then what goes in after them (body weights, settings)."""
    writer.close()
    done, total = writer.done, analysis.sets
    if analysis.body_weights:
        s.execute(
            insert(BodyWeight.__table__),
            [{"user_id": user_id, "measured_on": bw.measured_on, "weight": bw.weight} for bw in analysis.body_weights],
        )
    if analysis.exercise_units:
        s.execute(insert(UserSetting.__table__), [
            {"user_id": user_id, "key": f"{EXERCISE_UNIT_PREFIX}{target.id}", "value": unit}
            for target, unit in analysis.exercise_units
        ])  # fmt: skip
    if analysis.exercise_rules or analysis.warmups_off:
        s.execute(insert(UserSetting.__table__), [
            *({"user_id": user_id, "key": f"{EXERCISE_RULE_PREFIX}{target.id}", "value": rule}
              for target, rule in analysis.exercise_rules),
            *({"user_id": user_id, "key": f"{WARMUP_PREFIX}{target.id}", "value": "off"}
              for target in analysis.warmups_off),
        ])  # fmt: skip
    if on_progress:
        on_progress(done, total)


def new_exercise_row(target: Target, kind: ExerciseKind, user_id: int) -> dict:
    return {
        "name": target.name,
        "category": target.category,
        "subcategory": target.subcategory,
        "equipment": target.equipment,
        "owner_id": user_id,
        "kind": kind.value,
    }


class WorkoutWriter:
    """Workouts inserted in chunks of about SET_CHUNK sets: their sessions, then their entries,
    then their sets, each by one executemany. Holds one chunk at a time; ``on_progress(done,
    total)`` after each chunk (the caller says 0 before the first and the total after the last)."""

    def __init__(
        self,
        s: OrmSession,
        user_id: int,
        exercise_id: Callable[[ParsedEntry], int],
        on_progress: Progress | None,
        total: int,
        template_ids: dict[str, int] | None = None,
        program_ids: dict[str, int] | None = None,
    ) -> None:
        self.s = s
        self.user_id = user_id
        self.exercise_id = exercise_id
        self.on_progress = on_progress
        self.total = total
        self.template_ids = template_ids or {}
        self.program_ids = program_ids or {}
        self.done = 0
        self._pending: list[ParsedWorkout] = []
        self._pending_sets = 0

    def add(self, w: ParsedWorkout) -> None:
        self._pending.append(w)
        self._pending_sets += w.set_count
        if self._pending_sets >= SET_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        workouts, self._pending, self._pending_sets = self._pending, [], 0
        session_ids = _insert_returning_ids(self.s, Session, [
            {
                "user_id": self.user_id,
                "date": w.date,
                "name": w.name,
                "notes": w.notes,
                "finished_at": w.finished_at,
                "source_key": w.source_key,
                "template_id": self.template_ids.get(w.template_ref) if w.template_ref else None,
                **self._program_day(w),
            }
            for w in workouts
        ])  # fmt: skip
        entries: list[ParsedEntry] = []
        entry_rows: list[dict] = []
        for w, sid in zip(workouts, session_ids, strict=True):
            for i, e in enumerate(w.entries, start=1):
                entries.append(e)
                entry_rows.append({
                    "exercise_id": self.exercise_id(e),
                    "session_id": sid,
                    "order": e.order if e.order is not None else i,
                    "notes": e.notes,
                    "progression": e.progression,
                })  # fmt: skip
        entry_ids = _insert_returning_ids(self.s, ExerciseSession, entry_rows)
        self._skipped(entries, entry_rows, entry_ids)
        batch: list[dict] = []
        chunk: list[ParsedSet] = []
        for e, eid in zip(entries, entry_ids, strict=True):
            for j, st in enumerate(e.sets, start=1):
                row = set_row(st, j, measures=False)
                row["exercise_session_id"] = eid
                batch.append(row)
                chunk.append(st)
            if len(batch) >= SET_CHUNK:
                self.done += _insert_sets(self.s, batch, chunk)
                batch, chunk = [], []
        if batch:
            self.done += _insert_sets(self.s, batch, chunk)
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def close(self) -> None:
        self.flush()

    def _program_day(self, w: ParsedWorkout) -> dict:
        """A backup's workout's program day, tied to its program when that one was restored or
        is the lifter's (else, as when a program is deleted, no program day)."""
        program_id = self.program_ids.get(w.program_ref) if w.program_ref is not None else None
        if program_id is None:
            return {"program_id": None, "program_week": None, "program_day": None}
        return {"program_id": program_id, "program_week": w.program_week, "program_day": w.program_day}

    def _skipped(self, entries: list[ParsedEntry], rows: list[dict], ids: list[int]) -> None:
        """A backup's planned rows skipped, kept as the plan service keeps them
        (``plan.skipped.<session id>``: {"<entry id>": [row index, ...]})."""
        by_session: dict[int, dict[int, list[int]]] = {}
        for e, row, entry_id in zip(entries, rows, ids, strict=True):
            if e.skipped:
                by_session.setdefault(row["session_id"], {})[entry_id] = sorted(e.skipped)
        if by_session:
            self.s.execute(insert(UserSetting.__table__), [
                {"user_id": self.user_id, "key": f"{SKIPPED_PREFIX}{sid}",
                 "value": json.dumps({str(k): v for k, v in sorted(skipped.items())})}
                for sid, skipped in by_session.items()
            ])  # fmt: skip


def set_row(st: ParsedSet, number: int, measures: bool = True) -> dict:
    """A parsed set as the columns of ``sets`` (``number``: its place when the file gave none;
    ``measures``: with the time, distance and display unit columns)."""
    row = {
        "weight": st.weight,
        "reps": st.reps,
        "unit": st.unit,
        "order": st.order if st.order is not None else number,
        "set_type": st.set_type,
        "rpe": st.rpe,
        "logged_at": st.logged_at,
    }
    if measures:
        row.update(duration_s=st.duration_s, distance_m=st.distance_m, distance_unit=st.distance_unit,
                   display_unit=st.display_unit)
    return row


def _insert_sets(s: OrmSession, rows: list[dict], sets: list[ParsedSet]) -> int:
    """Insert a chunk of sets, with the time and distance columns only when one of its sets has
    one, and the display unit only when one is in pounds (most chunks of a history have neither:
    four columns fewer to bind for each set)."""
    if any(st.duration_s is not None or st.distance_m is not None for st in sets):
        for row, st in zip(rows, sets, strict=True):
            row.update(duration_s=st.duration_s, distance_m=st.distance_m, distance_unit=st.distance_unit)
    if any(st.display_unit is not None for st in sets):
        for row, st in zip(rows, sets, strict=True):
            row["display_unit"] = st.display_unit
    s.execute(insert(Set.__table__), rows)
    return len(rows)
