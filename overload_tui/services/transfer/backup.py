"""The JSON backup: everything a user owns, written and read back exactly (ids aside).

Shape (version 4)::

    {"format": "overload-backup", "version": 4, "exported_at": "...", "user": "alice",
     "settings": {"weight_unit": "lbs",                                         # kg or lbs
                  "exercise_units": [{"exercise", "custom", "unit"}],           # kg, lbs, stacks
                  "exercise_progressions": [{"exercise", "custom", "rule"}],    # "double 8-12"
                  "warmups_off": [{"exercise", "custom"}]},                     # no warm-up ramp
     "exercises": [{"name", "category", "subcategory", "equipment", "kind"}],  # custom ones
     "templates": [{"ref": "t1", "name", "description", "entries": [ENTRY]}],
     "programs":  [{"ref": "p1", "name", "source", "active", "started_on": "2026-11-02"|null,
                    "state": {...}|null, "created_at", "updated_at"}],
     "sessions":  [{"date", "name", "notes", "finished_at", "source_key", "template": "t1"|null,
                    ["program": "p1", "program_week": 1, "program_day": 2,] "entries": [ENTRY]}],
     "body_weights": [{"date": "2025-01-06", "weight": 82.5}]}                  # kg, one a day
    ENTRY = {"order", "exercise", "custom", "notes"[, "progression", "skipped": [0, 3]],
             "sets": [{"order", "weight", "reps", "unit", "set_type", "rpe", "logged_at"[,
             "duration_s", "distance_m", "distance_unit", "display_unit"]}]}

A set's ``weight`` is what the database keeps (kg, or stacks, as ``unit`` says; full precision).
``display_unit`` "lbs", written only for a set typed or imported in pounds, says it reads in
pounds: restored, it reads back as the number typed (225, not 224.99). A set's ``duration_s``
(seconds) and ``distance_m`` (metres) are per rep, and written only when the set has them, with
the unit the distance was typed in. ``settings`` are the lifter's weight unit and the units
chosen for exercises (ctrl+t): a restore sets an exercise's unit where the importing lifter has
chosen none and reads in another unit, and never changes the lifter's own weight unit.

Version 4 (programs, migration 0007) adds what a lifter keeps since: ``programs``, each the
text it is written in (``source``), whether it is the one running, the day it started and its
running ``state`` (training maxes, stages, position: the JSON the programs service keeps);
a workout started from a program day names the program by ``ref`` with that day's week and
day (written only for such a workout); an entry's own ``progression`` rule (template
exercises; written only when set) and, in a workout, the indexes of its planned rows the
lifter ``skipped`` (written only when some are); and in ``settings`` the progression rules
and the warm-ups turned off per exercise (each list written only when the lifter has some).
Exercises are named, never numbered, everywhere. A restore treats programs as templates: a
name the lifter already has keeps the lifter's program, and the backup's workouts of it are
tied to the lifter's one, unless that one is running (a workout of its next day would move it
on): then they are restored untied and counted. A restore never changes which program the
lifter runs, as it never changes their weight unit: the backup's running program is restored
running only when the lifter runs none, else stopped (its state kept; the report says so).
Per-exercise rules and warm-ups are set where the lifter has chosen none for that exercise. A
program whose text or state the app cannot read is an invalid row (``programs[0].source``):
refused with the rest, or left out with --skip-invalid (its workouts then tied to none).

Version 3 (before programs) had none of these, version 2 (before pounds) no display units or
settings, version 1 (before kinds of set) no kinds, times, distances or body weights either: all
still restore, version 1's exercises as weight x reps. Dates are ISO 8601 wall-clock times
without an offset, as the database keeps them.

Reading is in three parts, so that a restore from a file holds one session at a time
(:mod:`.backupstream` reads the ``sessions`` array an object at a time, in passes like a CSV
stream's): :func:`read_head` (format, version, settings, custom exercises, templates,
programs: small, read whole), :func:`read_session` (one ``sessions[i]``) and
:func:`read_body_weights`. :func:`read_backup` reads a whole text with them (the same checks,
field paths such as ``sessions[12].entries[0].sets[3].reps``, and order of checks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from overload_tui import clock
from overload_tui.db.models import (
    BodyWeight,
    Exercise,
    ExerciseSession,
    Program,
    Session,
    Template,
    User,
    UserSetting,
)
from overload_tui.domain.enums import DistanceUnit, ExerciseKind, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.programs import ProgramState, parse
from overload_tui.domain.progression import RuleSource, parse_rule
from overload_tui.domain.units import LoadUnit, display_column, from_stored, load_unit, set_unit, to_stored, weight_unit
from overload_tui.domain.validation import (
    SET_TYPES,
    SUBCATEGORY_MAX,
    clean_name,
    parse_category,
    parse_equipment,
    parse_kind,
    parse_unit,
    validate_distance,
    validate_duration,
    validate_reps,
    validate_weight,
)
from overload_tui.services.plan import SKIPPED_PREFIX
from overload_tui.services.settings import EXERCISE_RULE_PREFIX, WARMUP_PREFIX, read_settings
from overload_tui.services.transfer.building import validate_rpe
from overload_tui.services.transfer.errors import ImportFormatError
from overload_tui.services.transfer.model import (
    CustomExerciseDef,
    ExerciseRef,
    InvalidRow,
    ParsedBodyWeight,
    ParsedEntry,
    ParsedFile,
    ParsedProgram,
    ParsedSet,
    ParsedTemplate,
    ParsedWorkout,
)
from overload_tui.services.transfer.values import FIRST_YEAR, LAST_YEAR, clean_notes, short

FORMAT_NAME = "overload-backup"
VERSION = 4
READS = (1, 2, 3, 4)  # the versions this overload restores
MEASURES = (("duration_s", validate_duration), ("distance_m", validate_distance))  # per rep
MAX_INDEX = 999  # a planned row's index (a skipped row)
MAX_WEEK, MAX_DAY = 10_000, 100  # a program day a workout came from


# -- export -------------------------------------------------------------------------------------
def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _set(st) -> dict[str, Any]:
    out = {
        "order": st.order,
        "weight": st.weight,
        "reps": st.reps,
        "unit": Unit(st.unit).value,
        "set_type": st.set_type,
        "rpe": st.rpe,
        "logged_at": _iso(st.logged_at),
    }
    for key in ("duration_s", "distance_m", "distance_unit"):
        if getattr(st, key) is not None:
            out[key] = getattr(st, key)
    if (shown := display_column(set_unit(st.unit, st.display_unit))) is not None:
        out["display_unit"] = shown
    return out


def _settings(s: OrmSession, user_id: int) -> dict[str, Any]:
    """The lifter's weight unit and the units chosen for exercises, by exercise name."""
    settings = read_settings(s, user_id)
    chosen = settings.exercise_units
    names = (
        s.execute(select(Exercise.id, Exercise.name, Exercise.owner_id).where(Exercise.id.in_(list(chosen))))
        if chosen
        else []
    )
    out: dict[str, Any] = {
        "weight_unit": settings.weight_unit.value,
        "exercise_units": [
            {"exercise": name, "custom": owner is not None, "unit": chosen[i].value}
            for i, name, owner in sorted(names, key=lambda row: row[1].casefold())
        ],
    }
    # Per-exercise rules and warm-ups off as stored (a rule's text exactly, even one that no
    # longer reads), each written only when the lifter has some.
    rules: dict[int, str] = {}
    off: set[int] = set()
    for key, value in s.execute(
        select(UserSetting.key, UserSetting.value).where(
            UserSetting.user_id == user_id,
            UserSetting.key.startswith(EXERCISE_RULE_PREFIX) | UserSetting.key.startswith(WARMUP_PREFIX),
        )
    ):
        prefix = EXERCISE_RULE_PREFIX if key.startswith(EXERCISE_RULE_PREFIX) else WARMUP_PREFIX
        try:
            exercise_id = int(key[len(prefix):])
        except ValueError:
            continue
        if prefix == WARMUP_PREFIX:
            if value == "off":
                off.add(exercise_id)
        elif value.strip():
            rules[exercise_id] = value
    named = _exercise_names(s, user_id, set(rules) | off)
    if rules:
        out["exercise_progressions"] = [
            {"exercise": name, "custom": custom, "rule": rules[i]}
            for i, (name, custom) in sorted(named.items(), key=lambda kv: kv[1][0].casefold())
            if i in rules
        ]
    if off:
        out["warmups_off"] = [
            {"exercise": name, "custom": custom}
            for i, (name, custom) in sorted(named.items(), key=lambda kv: kv[1][0].casefold())
            if i in off
        ]
    return out


def _exercise_names(s: OrmSession, user_id: int, ids: set[int]) -> dict[int, tuple[str, bool]]:
    """Exercise id -> (name, custom) for the ids the lifter can see (a deleted one is left out)."""
    if not ids:
        return {}
    rows = s.execute(
        select(Exercise.id, Exercise.name, Exercise.owner_id).where(
            Exercise.id.in_(ids), (Exercise.owner_id.is_(None)) | (Exercise.owner_id == user_id)
        )
    )
    return {i: (name, owner is not None) for i, name, owner in rows}


def _entry(es: ExerciseSession, skipped: dict[int, list[int]] | None = None) -> dict[str, Any]:
    out = {
        "order": es.order,
        "exercise": es.exercise.name,
        "custom": es.exercise.owner_id is not None,
        "notes": es.notes,
        "sets": [_set(st) for st in es.sets],
    }
    if es.progression is not None:
        out["progression"] = es.progression
    if skipped and skipped.get(es.id):
        out["skipped"] = skipped[es.id]
    return out


def _skipped(s: OrmSession, user_id: int) -> dict[int, dict[int, list[int]]]:
    """Session id -> entry id -> the indexes of its planned rows skipped (``plan.skipped.<id>``);
    what does not read is nothing skipped, as the plan service reads it."""
    out: dict[int, dict[int, list[int]]] = {}
    for key, value in s.execute(
        select(UserSetting.key, UserSetting.value).where(
            UserSetting.user_id == user_id, UserSetting.key.startswith(SKIPPED_PREFIX)
        )
    ):
        try:
            data = json.loads(value)
            out[int(key[len(SKIPPED_PREFIX):])] = {
                int(k): sorted({int(i) for i in v}) for k, v in data.items()
            }
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def _programs(s: OrmSession, user_id: int) -> list[Program]:
    return list(s.scalars(select(Program).where(Program.user_id == user_id).order_by(Program.id)))


def _program(p: Program, ref: str) -> dict[str, Any]:
    try:
        state = json.loads(p.state) if p.state is not None else None
    except ValueError:
        state = None  # unreadable (the app asks to start it again): nothing to keep
    if not isinstance(state, dict):
        state = None
    return {
        "ref": ref,
        "name": p.name,
        "source": p.source,
        "active": bool(p.active),
        "started_on": p.started_on.isoformat() if p.started_on is not None else None,
        "state": state,
        # to the microsecond (PostgreSQL's now() has them): restored exactly
        "created_at": p.created_at.isoformat() if p.created_at is not None else None,
        "updated_at": p.updated_at.isoformat() if p.updated_at is not None else None,
    }


def _from_program(sess: Session, refs: dict[int, str]) -> dict[str, Any]:
    """A workout's program day (written only for a workout from a program still there)."""
    ref = refs.get(sess.program_id) if sess.program_id is not None else None
    if ref is None:
        return {}
    return {"program": ref, "program_week": sess.program_week, "program_day": sess.program_day}


_ENTRIES = selectinload(ExerciseSession.exercise), selectinload(ExerciseSession.sets)


def export_backup(s: OrmSession, user_id: int) -> dict[str, Any]:
    username = s.scalar(select(User.username).where(User.id == user_id))
    exercises = s.scalars(select(Exercise).where(Exercise.owner_id == user_id).order_by(Exercise.id))
    templates = list(
        s.scalars(
            select(Template)
            .where(Template.user_id == user_id)
            .order_by(Template.id)
            .options(selectinload(Template.exercise_sessions).options(*_ENTRIES))
        )
    )
    refs = {t.id: f"t{i}" for i, t in enumerate(templates, start=1)}
    programs = _programs(s, user_id)
    program_refs = {p.id: f"p{i}" for i, p in enumerate(programs, start=1)}
    skipped = _skipped(s, user_id)
    sessions = s.scalars(
        select(Session)
        .where(Session.user_id == user_id)
        .order_by(Session.date, Session.id)
        .options(selectinload(Session.exercise_sessions).options(*_ENTRIES))
    )
    return {
        "format": FORMAT_NAME,
        "version": VERSION,
        "exported_at": _iso(clock.now()),
        "user": username,
        "settings": _settings(s, user_id),
        "exercises": [
            {
                "name": ex.name,
                "category": ex.category.value if hasattr(ex.category, "value") else ex.category,
                "subcategory": ex.subcategory,
                "equipment": (ex.equipment.value if hasattr(ex.equipment, "value") else ex.equipment)
                if ex.equipment
                else None,
                "kind": ExerciseKind(ex.kind).value,
            }
            for ex in exercises
        ],
        "templates": [
            {
                "ref": refs[t.id],
                "name": t.name,
                "description": t.description,
                "entries": [_entry(es) for es in t.exercise_sessions],
            }
            for t in templates
        ],
        "programs": [_program(p, program_refs[p.id]) for p in programs],
        "sessions": [
            {
                "date": _iso(sess.date),
                "name": sess.name,
                "notes": sess.notes,
                "finished_at": _iso(sess.finished_at),
                "source_key": sess.source_key,
                "template": refs.get(sess.template_id) if sess.template_id else None,
                **_from_program(sess, program_refs),
                "entries": [_entry(es, skipped.get(sess.id)) for es in sess.exercise_sessions],
            }
            for sess in sessions
        ],
        "body_weights": [
            {"date": day.isoformat(), "weight": weight}
            for day, weight in s.execute(
                select(BodyWeight.measured_on, BodyWeight.weight)
                .where(BodyWeight.user_id == user_id)
                .order_by(BodyWeight.measured_on)
            )
        ],
    }


def dumps(backup: dict[str, Any]) -> str:
    return json.dumps(backup, ensure_ascii=False, indent=1) + "\n"


# -- import -------------------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason


def _get(obj: dict, key: str, path: str, kinds: tuple[type, ...], *, required: bool = True) -> Any:
    if key not in obj:
        if required:
            raise _Bad(path, f"{key!r} is missing")
        return None
    value = obj[key]
    if value is None and not required:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise _Bad(f"{path}.{key}", f"expected {_kind_names(kinds)}, found {json.dumps(value)}")
    if not isinstance(value, kinds):
        shown = short(json.dumps(value, ensure_ascii=False))
        raise _Bad(f"{path}.{key}", f"expected {_kind_names(kinds)}, found {shown}")
    return value


def _kind_names(kinds: tuple[type, ...]) -> str:
    names = {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object", bool: "true/false"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


def _list_of_objects(obj: dict, key: str, path: str) -> list[dict]:
    items = _get(obj, key, path, (list,), required=False) or []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Bad(f"{path}.{key}[{i}]" if path else f"{key}[{i}]", "expected an object")
    return items


def _date(obj: dict, key: str, path: str, *, required: bool = True) -> datetime | None:
    text = _get(obj, key, path, (str,), required=required)
    if text is None:
        return None
    try:
        return _in_years(datetime.fromisoformat(text).replace(tzinfo=None), f"{path}.{key}", text)
    except ValueError:
        raise _Bad(f"{path}.{key}", f"cannot read the date {short(text)}") from None


def _in_years(day: D, path: str, text: str) -> D:
    """A date of the years a CSV may hold (values.FIRST_YEAR..LAST_YEAR), else refused at ``path``."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _Bad(path, f"the date {short(text)} is outside the years {FIRST_YEAR}..{LAST_YEAR}")
    return day


def _text(obj: dict, key: str, path: str, out: ParsedFile) -> str | None:
    value = _get(obj, key, path, (str,), required=False)
    notes, changed = clean_notes(value)
    if changed:
        out.warnings.append(f"{path}.{key}: shortened or cleaned")
    return notes


def _name(obj: dict, key: str, path: str, what: str, *, required: bool = True) -> str | None:
    value = _get(obj, key, path, (str,), required=required)
    if value is None or (not required and not value.strip()):
        return None
    try:
        return clean_name(value, what)
    except ValidationError as error:
        raise _Bad(f"{path}.{key}", str(error)) from None


def _entries(obj: dict, path: str, out: ParsedFile) -> list[ParsedEntry]:
    entries = []
    for i, e in enumerate(_list_of_objects(obj, "entries", path)):
        epath = f"{path}.entries[{i}]"
        name = _name(e, "exercise", epath, "Exercise name")
        custom = _get(e, "custom", epath, (bool,), required=False)
        order = _get(e, "order", epath, (int,), required=False)
        entry = ParsedEntry(ExerciseRef(name, bool(custom)), _text(e, "notes", epath, out), order=order,
                            progression=_rule(e, "progression", epath, RuleSource.TEMPLATE),
                            skipped=_indexes(e, "skipped", epath))
        for j, st in enumerate(_list_of_objects(e, "sets", epath)):
            spath = f"{epath}.sets[{j}]"
            weight = _get(st, "weight", spath, (int, float))
            reps = _get(st, "reps", spath, (int, float))
            unit_text = _get(st, "unit", spath, (str,), required=False) or "kg"
            set_type = _get(st, "set_type", spath, (str,), required=False)
            rpe = _get(st, "rpe", spath, (int, float), required=False)
            set_order = _get(st, "order", spath, (int,), required=False)
            logged_at = _date(st, "logged_at", spath, required=False)
            given = [_get(st, key, spath, (int, float), required=False) for key, _ in MEASURES]
            distance_unit = _get(st, "distance_unit", spath, (str,), required=False)
            shown = _get(st, "display_unit", spath, (str,), required=False)
            try:
                duration, distance = (_measure(v, check) for v, (_, check) in zip(given, MEASURES, strict=True))
                if distance_unit is not None:
                    if distance is None:
                        raise ValidationError("A distance unit needs a distance.")
                    if distance_unit not in DistanceUnit.__members__.values():
                        raise ValidationError("Distance unit must be m, km, mi, yd or ft.")
                unit = parse_unit(unit_text)
                load = _load(unit, shown)
                w = to_stored(validate_weight(from_stored(weight, load), load), load)
                r = validate_reps(reps)
                if set_type in ("", "normal"):
                    set_type = None
                if set_type is not None and set_type not in SET_TYPES:
                    raise ValidationError("Set type must be normal, warmup, drop or failure.")
                try:
                    p = validate_rpe(float(rpe)) if rpe is not None else None
                except OverflowError:
                    raise ValidationError("RPE must be from 1 to 10.") from None
            except ValidationError as error:
                out.invalid.append(InvalidRow(spath, None, name, str(error)))
                continue
            entry.sets.append(
                ParsedSet(spath, w, r, unit, set_type, p, set_order, logged_at, duration, distance, distance_unit,
                          display_column(load))
            )
        _unique_orders([st.order for st in entry.sets], f"{epath}.sets")
        entries.append(entry)
    _unique_orders([e.order for e in entries], f"{path}.entries")
    return entries


def _rule(obj: dict, key: str, path: str, source: RuleSource, *, required: bool = False) -> str | None:
    """A progression rule's text as saved ("double 8-12"), refused at ``path.key`` when the app
    cannot read it (version 4)."""
    text = _get(obj, key, path, (str,), required=required)
    if text is None:
        return None
    try:
        parse_rule(text, source)
    except ValidationError as error:
        raise _Bad(f"{path}.{key}", str(error)) from None
    return text


def _indexes(obj: dict, key: str, path: str) -> tuple[int, ...]:
    """A workout exercise's planned rows skipped: distinct indexes from 0 (version 4)."""
    items = _get(obj, key, path, (list,), required=False) or []
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= MAX_INDEX:
            raise _Bad(f"{path}.{key}[{i}]", f"expected a row index from 0 to {MAX_INDEX}")
    if len(set(items)) != len(items):
        raise _Bad(f"{path}.{key}", "a row is skipped twice")
    return tuple(sorted(items))


def _whole(obj: dict, key: str, path: str, low: int, high: int) -> int:
    value = _get(obj, key, path, (int,))
    if not low <= value <= high:
        raise _Bad(f"{path}.{key}", f"expected a number from {low} to {high}")
    return value


def _load(unit: Unit, shown: str | None) -> LoadUnit:
    """What a saved set reads in: its ``unit`` (kg, stacks) and ``display_unit`` (lbs, kg or none)."""
    if shown is not None and shown not in (LoadUnit.KG, LoadUnit.LBS):
        raise ValidationError("A set's display unit must be kg or lbs.", field="display_unit")
    if shown == LoadUnit.LBS and unit is Unit.STACKS:
        raise ValidationError("A set in stacks cannot read in pounds.", field="display_unit")
    return set_unit(unit, shown)


def _read_settings(data: dict, out: ParsedFile) -> None:
    """The lifter's weight unit and exercise units a backup saved (version 3)."""
    settings = _get(data, "settings", "", (dict,), required=False)
    if not settings:
        return
    text = _get(settings, "weight_unit", "settings", (str,), required=False)
    try:
        out.weight_unit = weight_unit(text).value if text is not None else None
    except ValidationError as error:
        raise _Bad("settings.weight_unit", str(error)) from None
    for i, item in enumerate(_list_of_objects(settings, "exercise_units", "settings")):
        path = f"settings.exercise_units[{i}]"
        name = _name(item, "exercise", path, "Exercise name")
        custom = bool(_get(item, "custom", path, (bool,), required=False))
        try:
            unit = load_unit(_get(item, "unit", path, (str,)))
        except ValidationError as error:
            raise _Bad(f"{path}.unit", str(error)) from None
        out.exercise_units.append((ExerciseRef(name, custom), unit.value))
    for i, item in enumerate(_list_of_objects(settings, "exercise_progressions", "settings")):
        path = f"settings.exercise_progressions[{i}]"
        custom = bool(_get(item, "custom", path, (bool,), required=False))
        ref = ExerciseRef(_name(item, "exercise", path, "Exercise name"), custom)
        out.exercise_rules.append((ref, _rule(item, "rule", path, RuleSource.EXERCISE, required=True)))
    for i, item in enumerate(_list_of_objects(settings, "warmups_off", "settings")):
        path = f"settings.warmups_off[{i}]"
        custom = bool(_get(item, "custom", path, (bool,), required=False))
        out.warmups_off.append(ExerciseRef(_name(item, "exercise", path, "Exercise name"), custom))


def _read_programs(data: dict, out: ParsedFile) -> set[str]:
    """The lifter's programs (version 4); their refs. A program whose text or state the app
    cannot read is refused as an invalid row (the rest of the backup restores without it)."""
    refs: set[str] = set()
    names: set[str] = set()
    running = None
    for i, item in enumerate(_list_of_objects(data, "programs", "")):
        path = f"programs[{i}]"
        given = _get(item, "ref", path, (str, int), required=False)
        ref = str(given if given is not None else path)
        if ref in refs:
            raise _Bad(f"{path}.ref", "a second program with this ref")
        refs.add(ref)
        name = _name(item, "name", path, "Program name")
        if name.casefold() in names:
            raise _Bad(f"{path}.name", "a second program with this name")
        names.add(name.casefold())
        source = _get(item, "source", path, (str,))
        active = bool(_get(item, "active", path, (bool,), required=False))
        if active:
            if running is not None:
                raise _Bad(f"{path}.active", f"a second running program (the first is {running})")
            running = path
        started = _get(item, "started_on", path, (str,), required=False)
        try:
            started_on = _in_years(date.fromisoformat(started), f"{path}.started_on", started) if started else None
        except ValueError:
            raise _Bad(f"{path}.started_on", f"cannot read the date {short(started)}") from None
        state = _get(item, "state", path, (dict,), required=False)
        program = ParsedProgram(
            path, ref, name, source, active, started_on,
            json.dumps(state) if state is not None else None,
            _date(item, "created_at", path, required=False),
            _date(item, "updated_at", path, required=False),
        )  # fmt: skip
        try:
            parse(source)
        except ValidationError as error:
            out.invalid.append(InvalidRow(f"{path}.source", None, name, str(error)))
            continue
        if state is not None and not _state_reads(state):
            out.invalid.append(InvalidRow(f"{path}.state", None, name, "The program's saved state cannot be read."))
            continue
        out.programs.append(program)
    return refs


def _state_reads(state: dict) -> bool:
    """Whether a program's saved state reads as the programs service reads it: the engine's
    state, and the states before the last days done keyed by day."""
    before = state.get("before", {})
    if not isinstance(before, dict) or "state" not in state:
        return False
    try:
        for value in (state["state"], *before.values()):
            ProgramState.from_json(json.dumps(value))
        for key in before:
            int(key)
    except (ValidationError, ValueError):
        return False
    return True


def _measure(value: float | None, check) -> float | None:
    """A set's time or distance per rep within the app's limits, kept exactly as saved (the
    check rounds, a restore does not)."""
    if value is None:
        return None
    check(value)
    return float(value)


def read_body_weights(data: dict, out: ParsedFile) -> None:
    seen: set[date] = set()
    for i, bw in enumerate(_list_of_objects(data, "body_weights", "")):
        path = f"body_weights[{i}]"
        text = _get(bw, "date", path, (str,))
        try:
            day = _in_years(date.fromisoformat(text), f"{path}.date", text)
        except ValueError:
            raise _Bad(f"{path}.date", f"cannot read the date {short(text)}") from None
        if day in seen:
            raise _Bad(path, f"a second body weight for {day.isoformat()}")
        seen.add(day)
        weight = _get(bw, "weight", path, (int, float))
        try:
            kg = validate_weight(weight, Unit.KG)
            if kg <= 0:
                raise ValidationError("A body weight must be more than 0 kg.")
        except ValidationError as error:
            out.invalid.append(InvalidRow(path, None, "(body weight)", str(error)))
            continue
        out.body_weights.append(ParsedBodyWeight(path, day, kg))


def _unique_orders(orders: list[int | None], path: str) -> None:
    given = [o for o in orders if o is not None]
    if len(given) != len(set(given)):
        raise _Bad(path, "two items have the same order")
    if given and len(given) != len(orders):
        raise _Bad(path, "some items have an order and some do not")


def read_head(data: Any, out: ParsedFile) -> set[str]:
    """What a backup holds before its sessions (all small): its format and version, settings,
    custom exercises, templates and programs, checked into ``out``; the programs' refs (a
    session names its program by one)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise _Bad("", f'not an overload backup (expected an object with "format": "{FORMAT_NAME}")')
    version = data.get("version")
    if isinstance(version, bool) or version not in READS:
        reads = " or ".join(map(str, READS))
        raise _Bad("version", f"backup version {short(str(version))} is not one this overload reads ({reads})")
    _read_settings(data, out)
    for i, ex in enumerate(_list_of_objects(data, "exercises", "")):
        path = f"exercises[{i}]"
        try:
            category = parse_category(_get(ex, "category", path, (str,)))
            equipment = parse_equipment(_get(ex, "equipment", path, (str,), required=False))
        except ValidationError as error:
            raise _Bad(path, str(error)) from None
        try:
            kind = parse_kind(_get(ex, "kind", path, (str,), required=False) or ExerciseKind.WEIGHT_REPS.value)
        except ValidationError as error:
            raise _Bad(f"{path}.kind", str(error)) from None
        sub = _name(ex, "subcategory", path, "Muscle", required=False)
        if sub is not None and len(sub) > SUBCATEGORY_MAX:
            raise _Bad(f"{path}.subcategory", "too long")
        out.custom_exercises.append(
            CustomExerciseDef(_name(ex, "name", path, "Exercise name"), category, sub, equipment, kind)
        )
    for i, t in enumerate(_list_of_objects(data, "templates", "")):
        path = f"templates[{i}]"
        ref = _get(t, "ref", path, (str, int), required=False)
        out.templates.append(
            ParsedTemplate(
                path,
                str(ref if ref is not None else path),
                _name(t, "name", path, "Template name"),
                _text(t, "description", path, out),
                _entries(t, path, out),
            )
        )
    return _read_programs(data, out)


def read_session(sess: dict, i: int, program_refs: set[str], out: ParsedFile) -> ParsedWorkout:
    """``sessions[i]`` checked (its invalid sets and warnings go to ``out``), as a workout."""
    path = f"sessions[{i}]"
    date = _date(sess, "date", path)
    name = _name(sess, "name", path, "Workout name", required=False)
    key = _get(sess, "source_key", path, (str,), required=False)
    if key is not None and len(key) > 128:
        raise _Bad(f"{path}.source_key", "longer than 128 characters")
    template = _get(sess, "template", path, (str, int), required=False)
    program = _get(sess, "program", path, (str, int), required=False)
    week = day = None
    if program is not None:
        if str(program) not in program_refs:
            raise _Bad(f"{path}.program", f"no program has the ref {short(str(program))}")
        week = _whole(sess, "program_week", path, 1, MAX_WEEK)
        day = _whole(sess, "program_day", path, 1, MAX_DAY)
    workout = ParsedWorkout(
        where=path,
        date=date,
        name=name,
        identity=f"{date.isoformat()}\x1f{name or ''}",
        source_key=key,
        notes=_text(sess, "notes", path, out),
        finished_at=_date(sess, "finished_at", path, required=False),
        entries=_entries(sess, path, out),
        template_ref=str(template) if template is not None else None,
        program_ref=str(program) if program is not None else None,
        program_week=week,
        program_day=day,
    )
    return workout


def _read(data: Any, out: ParsedFile) -> None:
    program_refs = read_head(data, out)
    for i, sess in enumerate(_list_of_objects(data, "sessions", "")):
        out.workouts.append(read_session(sess, i, program_refs, out))
        out.rows += 1
    read_body_weights(data, out)


def read_backup(text: str) -> ParsedFile:
    """A backup's whole text, read at once (a file that is not a JSON object, and callers with
    the text in hand; a restore from a file streams its sessions: :mod:`.backupstream`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"not valid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise ImportFormatError("the JSON is nested too deeply") from None
    out = new_parsed()
    with reading():
        _read(data, out)
    # Orders as saved; a session's sets keep theirs. Only sets that made it are kept.
    return out


def new_parsed() -> ParsedFile:
    return ParsedFile(format="json", variant="overload JSON backup", unit_note="weights as saved (kg, lbs or stacks)")


@contextmanager
def reading() -> Iterator[None]:
    """A backup's value refused inside (at its field path) as the ImportFormatError a restore shows."""
    try:
        yield
    except _Bad as bad:
        where = f"{bad.path}: " if bad.path else ""
        raise ImportFormatError(f"{where}{bad.reason}") from None


def sessions_value(data: dict) -> list[dict]:
    """``data["sessions"]`` as read whole: a list of objects (none when it is missing or null),
    else refused (in :func:`reading`)."""
    return _list_of_objects(data, "sessions", "")


def not_an_object(i: int) -> None:
    """``sessions[i]`` is not an object: refused as a whole read refuses it (in :func:`reading`)."""
    raise _Bad(f"sessions[{i}]", "expected an object")
