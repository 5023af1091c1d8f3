"""Running a program: what the next day prescribes, and how results move its state on (issue 18).

Pure. The state (``ProgramState``: how many program days are done, each lift's max, stage and
failures in a row) is JSON in ``programs.state``. Weights in the state are in the lifter's unit
(``state.unit``, kg or lbs), exact (never rounded): rounding to what the plates allow happens
when a set is prescribed, through the ``round_weight(lift, value)`` function the caller passes,
and every prescribed weight carries its explanation ("85% × TM 100 kg = 85 → 85 kg").

Rules, as the program's ``lift`` blocks write them (see ``format``):

* a **success** of a lift in a day: every working set reached its reps (the top of a range;
  ``all sets``), or every AMRAP set its minimum (``amrap sets``), or the last set N reps
  (``last set N+``). A set not done counts as 0 reps. Warm-up sets and deload weeks never count.
* ``increase ... per session``: a success adds the increase at once; ``per cycle``: at the end of
  the cycle (the last day of the last week) if no day of the cycle failed.
* a failure: with ``failure: next stage`` the lift moves to its next stage at the same weight;
  failing the last stage resets it to the first stage (``reset: 85%`` of the weight, or
  ``reset: +7.5 kg`` on the weight last used at the first stage). Otherwise failures in a row
  are counted and ``deload: 10% after 3`` takes 10% off at the third (per cycle: failed cycles).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plan import PlannedSet
from overload_tui.domain.programs.format import Lift, Program, SetGroup
from overload_tui.domain.units import LB, from_kg, label

Rounder = Callable[[str, float], float]  # (lift name, weight in the lifter's unit) -> loadable weight
STATE_VERSION = 1


def round_to(step: float) -> Rounder:
    """Round to the nearest multiple of ``step`` (the lighter on a tie): a rounder without plates."""

    def rounder(lift: str, value: float) -> float:
        if step <= 0:
            return value
        down = math.floor(value / step + 1e-9) * step
        up = down + step
        return round(down if value - down <= up - value + 1e-9 else up, 4)

    return rounder


def _fmt(value: float) -> str:
    return f"{round(value, 2):g}"


@dataclass(frozen=True, slots=True)
class LiftState:
    weight: float                 # the max (TM or working weight), in the state's unit
    stage: int = 0                # 0-based
    failures: int = 0             # in a row (per cycle lifts: failed cycles in a row)
    first_stage_weight: float | None = None  # the weight last used at stage 0 (reset: +W)
    cycle_failed: bool = False    # a day of the current cycle failed (per cycle lifts)


@dataclass(frozen=True, slots=True)
class ProgramState:
    unit: str                               # 'kg' or 'lbs': what the weights are in
    done: int = 0                           # program days done since the start
    lifts: Mapping[str, LiftState] = field(default_factory=lambda: MappingProxyType({}))

    def to_json(self) -> str:
        return json.dumps({
            "version": STATE_VERSION, "unit": self.unit, "done": self.done,
            "lifts": {k: {"weight": v.weight, "stage": v.stage, "failures": v.failures,
                          "first_stage_weight": v.first_stage_weight, "cycle_failed": v.cycle_failed}
                      for k, v in self.lifts.items()},
        }, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ProgramState:
        try:
            data = json.loads(text)
            lifts = {str(k): LiftState(float(v["weight"]), int(v.get("stage", 0)), int(v.get("failures", 0)),
                                       None if v.get("first_stage_weight") is None else float(v["first_stage_weight"]),
                                       bool(v.get("cycle_failed", False)))
                     for k, v in data["lifts"].items()}
            unit = data["unit"] if data["unit"] in ("kg", "lbs") else "kg"
            return cls(unit, int(data["done"]), MappingProxyType(lifts))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError("The program's saved state cannot be read; start the program again.") from error


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One exercise of a program day: what the service turns into a PlannedExercise."""

    exercise: str                 # the exercise's name as the program writes it
    lift: str | None              # the lift it progresses (None: an exercise with no weight)
    sets: tuple[PlannedSet, ...]
    groups: tuple[SetGroup, ...]  # one per set (the group it came from), for judging results
    set_lifts: tuple[str | None, ...] = ()  # one per set: the lift its line progresses
    rule: str | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DayPlan:
    index: int            # program days done before this one
    cycle: int            # 1-based
    week: int             # 1-based, within the cycle
    week_number: int      # 1-based, since the start (cycle * weeks + week)
    day: int              # 1-based, within the week
    day_name: str
    title: str | None
    deload: bool
    items: tuple[PlannedItem, ...]

    @property
    def note(self) -> str:
        parts = [f"Cycle {self.cycle}"] if self.cycle > 1 else []
        parts += [f"Week {self.week}", f"Day {self.day}"]
        if self.title:
            parts.append(self.title)
        if self.deload:
            parts.append("deload")
        return " · ".join(parts)


def position(program: Program, done: int) -> tuple[int, int, int]:
    """(cycle, week index, day index), 0-based, of the day after ``done`` days."""
    per_cycle = program.days_per_cycle
    cycle, rest = divmod(done, per_cycle)
    for w, week in enumerate(program.weeks):
        if rest < len(week.days):
            return cycle, w, rest
        rest -= len(week.days)
    raise AssertionError("unreachable")


def initial_state(program: Program, maxes: Mapping[str, float], unit: str) -> ProgramState:
    """The state on day one: each lift's max (in ``unit``) from ``maxes``."""
    missing = [name for name in program.lifts if name not in maxes]
    if missing:
        raise ValidationError(f"Give a starting weight for {', '.join(missing)}.", field="maxes")
    lifts = {}
    for name in program.lifts:
        value = maxes[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 2500:
            raise ValidationError(f"{name}'s starting weight must be more than 0.", field="maxes")
        lifts[name] = LiftState(float(value), first_stage_weight=float(value))
    return ProgramState(unit, 0, MappingProxyType(lifts))


def describe_rule(program: Program, lift: Lift, state: LiftState | None, unit: str) -> str:
    """'TM +2.5 kg per cycle; -10% after 1 failed cycle', 'stage 2 of 3; ...'."""
    parts = []
    stages = program.stages(lift.name)
    if stages > 1 and state is not None:
        parts.append(f"stage {state.stage + 1} of {stages}")
    if lift.increase is not None:
        per = "cycle" if lift.per_cycle else "success"
        when = {"all": "", "amrap": " (AMRAP sets hit)", "last": f" (last set {lift.success_reps}+)"}[lift.success]
        parts.append(f"{'TM ' if lift.training_max else ''}+{_fmt(lift.increase.in_unit(unit))} {label(unit)} per {per}{when}")
    if lift.next_stage:
        reset = (f"{_fmt(lift.reset_percent)}%" if lift.reset_percent is not None else
                 f"+{_fmt(lift.reset_add.in_unit(unit))} {label(unit)} on stage 1" if lift.reset_add else "same weight")
        parts.append(f"failure: next stage, then reset to {reset}")
    if lift.deload_percent is not None:
        what = "failed cycle" if lift.per_cycle else "failure"
        parts.append(f"-{_fmt(lift.deload_percent)}% after {lift.deload_after} {what}{'s' if lift.deload_after > 1 else ''}")
    return f"{lift.name}: " + "; ".join(parts) if parts else lift.name


def prescribe(program: Program, state: ProgramState, round_weight: Rounder | None = None) -> DayPlan:
    """The day after ``state.done`` days, every weight rounded and explained."""
    rounder = round_weight or round_to(2.5 if state.unit == "kg" else 5.0)
    cycle, w, d = position(program, state.done)
    week = program.weeks[w]
    day = week.days[d]
    unit = state.unit
    shown_unit = label(unit)
    items: dict[str, tuple[list[PlannedSet], list[SetGroup], list[int], str | None]] = {}
    set_lifts: dict[str, list[str | None]] = {}
    for line in day.lines:
        lift = program.lifts.get(line.name)
        lstate = state.lifts.get(line.name) if lift else None
        stage = min(lstate.stage, len(line.stages) - 1) if lstate else 0
        exercise = lift.exercise if lift else line.name
        sets, groups, lines, _ = items.setdefault(exercise, ([], [], [], None))
        lines.append(line.line)
        if lift:
            items[exercise] = (sets, groups, lines, describe_rule(program, lift, lstate, unit))
        for group in line.stages[stage]:
            for i in range(group.count):
                amrap = group.amrap and i == group.count - 1
                weight = explanation = None
                if lift and lstate:
                    pct = group.percent if group.percent is not None else 100.0
                    raw = lstate.weight * pct / 100.0
                    shown = rounder(lift.name, raw)
                    name = lift.max_label
                    if pct == 100.0:
                        explanation = f"{name} {_fmt(lstate.weight)} {shown_unit}"
                        explanation += f" → {_fmt(shown)} {shown_unit}" if round(shown, 2) != round(raw, 2) else ""
                    else:
                        explanation = (f"{_fmt(pct)}% × {name} {_fmt(lstate.weight)} {shown_unit} = {_fmt(raw)}"
                                       f" → {_fmt(shown)} {shown_unit}")
                    weight = shown * LB if unit == "lbs" else shown
                sets.append(PlannedSet(
                    set_type="warmup" if group.warmup else None,
                    weight=weight,
                    reps=group.reps,
                    amrap=amrap,
                    display_unit="lbs" if unit == "lbs" and weight is not None else None,
                    explanation=explanation,
                ))
                groups.append(group)
                set_lifts.setdefault(exercise, []).append(lift.name if lift else None)
    planned = tuple(
        PlannedItem(exercise, next((l.name for l in day.lines if program.lifts.get(l.name) and
                                    program.lifts[l.name].exercise == exercise), None),
                    tuple(sets), tuple(groups), tuple(set_lifts.get(exercise, ())), rule, tuple(lines))
        for exercise, (sets, groups, lines, rule) in items.items()
    )
    return DayPlan(state.done, cycle + 1, w + 1, cycle * len(program.weeks) + w + 1, d + 1, day.name,
                   day.title, week.deload, planned)


def shown_weight(planned: PlannedSet) -> float | None:
    """A planned weight as the lifter reads it (pounds when prescribed in pounds)."""
    if planned.weight is None:
        return None
    return from_kg(planned.weight, "lbs") if planned.display_unit == "lbs" else round(planned.weight, 3)


Results = Mapping[int, Sequence[int | None]]  # item index -> reps done per planned set (None: not done)


def _success(lift: Lift, done: list[tuple[SetGroup, bool, int]]) -> bool | None:
    """Judge one lift's sets of a day: (group, is the AMRAP set, reps); None: nothing to judge."""
    working = [(g, a, r) for g, a, r in done if not g.warmup]
    if not working:
        return None
    if lift.success == "amrap":
        amraps = [(g, r) for g, a, r in working if a]
        if not amraps:
            return None
        return all(r >= g.reps for g, r in amraps)
    if lift.success == "last":
        return working[-1][2] >= (lift.success_reps or 0)
    return all(r >= g.target for g, _, r in working)


def advance(
    program: Program, state: ProgramState, plan: DayPlan, results: Results
) -> tuple[ProgramState, list[str]]:
    """The state after the day ``plan`` (made from ``state``) was done with ``results``; and what
    changed, in words ("Squat: TM 100 → 105 kg")."""
    if plan.index != state.done:
        raise ValidationError("These results are for another day of the program.")
    unit = label(state.unit)
    lifts = dict(state.lifts)
    events: list[str] = []
    judged: dict[str, list[tuple[SetGroup, bool, int]]] = {}
    for i, item in enumerate(plan.items):
        reps = list(results.get(i, ()))
        for j, (planned, group, line_lift) in enumerate(zip(item.sets, item.groups, item.set_lifts)):
            if line_lift is None:
                continue
            got = reps[j] if j < len(reps) else None
            judged.setdefault(line_lift, []).append((group, planned.amrap, got or 0))
    for name, sets in judged.items():
        lift, ls = program.lifts[name], lifts[name]
        if plan.deload:
            continue
        ok = _success(lift, sets)
        if ok is None:
            continue
        stage_before = ls.stage
        if ls.stage == 0:
            ls = replace(ls, first_stage_weight=ls.weight)
        if lift.per_cycle:
            if not ok:
                ls = replace(ls, cycle_failed=True)
        elif ok:
            if lift.increase is not None:
                new = round(ls.weight + lift.increase.in_unit(state.unit), 4)
                events.append(f"{name}: {_fmt(ls.weight)} → {_fmt(new)} {unit}")
                ls = replace(ls, weight=new, failures=0)
            else:
                ls = replace(ls, failures=0)
        elif lift.next_stage:
            if ls.stage + 1 < program.stages(name):
                ls = replace(ls, stage=ls.stage + 1, failures=0)
                events.append(f"{name}: failed, stage {stage_before + 1} → {ls.stage + 1}")
            else:
                if lift.reset_percent is not None:
                    new = round(ls.weight * lift.reset_percent / 100.0, 4)
                elif lift.reset_add is not None:
                    new = round((ls.first_stage_weight or ls.weight) + lift.reset_add.in_unit(state.unit), 4)
                else:
                    new = ls.weight
                events.append(f"{name}: failed the last stage, reset to stage 1 at {_fmt(new)} {unit}")
                ls = replace(ls, weight=new, stage=0, failures=0, first_stage_weight=new)
        else:
            ls = replace(ls, failures=ls.failures + 1)
            if lift.deload_percent is not None and ls.failures >= lift.deload_after:
                new = round(ls.weight * (1 - lift.deload_percent / 100.0), 4)
                events.append(f"{name}: failed {ls.failures} in a row, deload {_fmt(ls.weight)} → {_fmt(new)} {unit}")
                ls = replace(ls, weight=new, failures=0)
            elif lift.deload_percent is not None:
                events.append(f"{name}: failed ({ls.failures} in a row)")
        lifts[name] = ls
    done = state.done + 1
    if done % program.days_per_cycle == 0:  # the cycle is over
        for name, lift in program.lifts.items():
            if not lift.per_cycle:
                continue
            ls = lifts[name]
            if ls.cycle_failed:
                failures = ls.failures + 1
                if lift.deload_percent is not None and failures >= lift.deload_after:
                    new = round(ls.weight * (1 - lift.deload_percent / 100.0), 4)
                    events.append(f"{name}: cycle missed, TM {_fmt(ls.weight)} → {_fmt(new)} {unit}")
                    ls = replace(ls, weight=new, failures=0)
                else:
                    events.append(f"{name}: cycle missed, TM stays {_fmt(ls.weight)} {unit}")
                    ls = replace(ls, failures=failures)
            elif lift.increase is not None:
                new = round(ls.weight + lift.increase.in_unit(state.unit), 4)
                events.append(f"{name}: TM {_fmt(ls.weight)} → {_fmt(new)} {unit}")
                ls = replace(ls, weight=new, failures=0)
            lifts[name] = replace(ls, cycle_failed=False)
    return ProgramState(state.unit, done, MappingProxyType(lifts)), events


def as_prescribed(plan: DayPlan) -> dict[int, list[int | None]]:
    """Results where every set is done as written: the top of a range, an AMRAP set's minimum."""
    return {i: [g.target for g in item.groups] for i, item in enumerate(plan.items)}


@dataclass(frozen=True, slots=True)
class SimulatedDay:
    plan: DayPlan
    results: Mapping[int, Sequence[int | None]]
    events: tuple[str, ...]
    state_after: ProgramState


def simulate(
    program: Program,
    state: ProgramState,
    *,
    days: int | None = None,
    weeks: int | None = None,
    round_weight: Rounder | None = None,
    outcome: Callable[[DayPlan], Results] = as_prescribed,
) -> list[SimulatedDay]:
    """Run the program on: ``days`` days, or every day of the next ``weeks`` weeks (from the
    week of the next day), each done with ``outcome(plan)``'s results (default: as written)."""
    out: list[SimulatedDay] = []
    first_week = None
    limit = days if days is not None else 10_000
    while len(out) < limit:
        plan = prescribe(program, state, round_weight)
        if first_week is None:
            first_week = plan.week_number
        if weeks is not None and plan.week_number >= first_week + weeks:
            break
        results = outcome(plan)
        state, events = advance(program, state, plan, results)
        out.append(SimulatedDay(plan, results, tuple(events), state))
    return out
