"""The import report as plain text for a terminal (the CLI prints it; a screen may show it)."""

from __future__ import annotations

from overload_tui.domain.enums import ExerciseKind
from overload_tui.domain.units import label
from overload_tui.services.format import plural
from overload_tui.services.transfer.model import ExerciseMapping, ImportReport

_MAX_LISTED = 50  # invalid rows and warnings listed one by one before "... and N more"


def counts_line(report: ImportReport) -> str:
    """'Imported (or Would import) 15 workouts, 40 exercise entries, 250 sets.'"""
    verb = "Imported" if report.written else "Would import"
    parts = [
        plural(report.workouts, "workout"),
        plural(report.entries, "exercise entry", "exercise entries"),
        plural(report.sets, "set"),
    ]
    if report.templates:
        parts.append(plural(report.templates, "template"))
    return f"{verb} {', '.join(parts)}."


KIND_WORDS = {
    ExerciseKind.WEIGHT_REPS: "weight x reps",
    ExerciseKind.REPS_ONLY: "reps only",
    ExerciseKind.WEIGHTED: "body weight + load",
    ExerciseKind.ASSISTED: "assisted",
    ExerciseKind.TIME: "timed",
    ExerciseKind.DISTANCE: "distance",
}


def kinds_line(report: ImportReport) -> str | None:
    """'Of them: 12 timed sets, 30 distance sets, 8 reps-only sets.'; None when there are none."""
    counts = ((report.timed_sets, "timed"), (report.distance_sets, "distance"), (report.reps_only_sets, "reps-only"))
    parts = [plural(n, f"{word} set") for n, word in counts if n]
    return f"Of them: {', '.join(parts)}." if parts else None


def off_kind_line(report: ImportReport) -> str | None:
    """Sets kept as logged though their exercise measures something else."""
    n = report.off_kind_sets
    if not n:
        return None
    verb = "does" if n == 1 else "do"
    its = "its exercise does" if n == 1 else "their exercise does"
    return f"{plural(n, 'set')} {verb} not measure what {its}: stored as logged (see the exercises)."


def body_weights_line(report: ImportReport) -> str | None:
    if not (report.body_weights or report.duplicate_body_weights):
        return None
    verb = "Imported" if report.written else "Would import"
    line = f"Body weight: {verb.lower()} {plural(report.body_weights, 'day')}"
    if report.duplicate_body_weights:
        line += f"; {plural(report.duplicate_body_weights, 'day')} already logged, left alone"
    return line + "."


def settings_line(report: ImportReport) -> str | None:
    """A backup's units: the exercises' set where the lifter had chosen none; its lifter's
    weight unit told when it is not the importing lifter's."""
    lines = []
    if report.exercise_units:
        verb = "Set" if report.written else "Would set"
        lines.append(f"{verb} the units of {plural(report.exercise_units, 'exercise')} as the backup has them.")
    if report.weight_unit:
        lines.append(f"The backup read weights in {label(report.weight_unit)}: each set keeps the unit it was "
                     "logged in; your own unit is in Settings.")
    return " ".join(lines) or None


def kind_note(m: ExerciseMapping) -> str:
    """', timed' for a new exercise that is not weight x reps; '; 2 sets not timed' for misfits."""
    note = ""
    if m.is_new and m.kind not in (None, ExerciseKind.WEIGHT_REPS):
        note += f", {KIND_WORDS[m.kind]}"
    if m.off_kind:
        note += f"; {plural(m.off_kind, 'set')} not {KIND_WORDS[m.kind or ExerciseKind.WEIGHT_REPS]}"
    return note


def render_report(report: ImportReport) -> str:
    lines: list[str] = []
    add = lines.append
    add(f"{report.source}: {report.variant}")
    if report.unit_note:
        add(f"  Unit: {report.unit_note}")
    what = "sessions" if report.format == "json" else "data rows"
    add(f"  Read {report.rows:,} {what}.")

    add(f"  {counts_line(report)}")
    for extra in (kinds_line(report), off_kind_line(report), body_weights_line(report), settings_line(report)):
        if extra:
            add(f"  {extra}")
    if report.duplicate_workouts:
        add(
            f"  Already imported, left alone: {plural(report.duplicate_workouts, 'workout')} "
            f"({plural(report.duplicate_sets, 'set')})."
        )
    if report.duplicate_templates:
        add(f"  Templates already there (same name), left alone: {report.duplicate_templates:,}.")
    if report.empty_workouts:
        add(f"  Workouts with no sets, not imported: {report.empty_workouts:,}.")

    if report.skipped:
        n = report.skipped_rows
        add(f"  Skipped {plural(n, 'row')} ({'not a set' if n == 1 else 'not sets'}):")
        width = max(len(f"{s.count:,}") for s in report.skipped)
        for s in report.skipped:
            add(f"    {s.count:>{width},}  {s.label}")

    if report.invalid:
        if report.written:
            head = "left out (--skip-invalid)"
        elif report.skip_invalid:
            head = "will be left out (--skip-invalid)"
        else:
            head = "refused by the app's limits"
        add(f"  {plural(len(report.invalid), 'row')} {head}:")
        for row in report.invalid[:_MAX_LISTED]:
            add(f"    {row.where}: {row.exercise}: {row.reason}")
        if len(report.invalid) > _MAX_LISTED:
            add(f"    ... and {len(report.invalid) - _MAX_LISTED:,} more")

    if report.mappings:
        add("  Exercises (name in the file -> exercise in overload):")
        width = min(max(len(m.file_name) for m in report.mappings), 44)
        for m in report.mappings:
            if m.is_new:
                target = f"new custom exercise: {m.category.value}" + (f" ({m.note})" if m.note else "")
                if m.target != m.file_name:
                    target = f"{m.target}: {target}"
            else:
                target = f"{m.target} [{m.how}]"
            add(f"    {m.file_name:<{width}} -> {target}  ({plural(m.sets, 'set')}{kind_note(m)})")

    if report.warnings:
        add(f"  Notes ({len(report.warnings)}):")
        for w in report.warnings[:_MAX_LISTED]:
            add(f"    {w}")
        if len(report.warnings) > _MAX_LISTED:
            add(f"    ... and {len(report.warnings) - _MAX_LISTED:,} more")

    if report.dry_run:
        add("  Dry run: nothing was written.")
    elif not report.written:
        add("  Nothing written yet.")
    return "\n".join(lines)
