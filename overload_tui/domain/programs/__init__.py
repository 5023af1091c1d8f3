"""Training programs as plain text: the format, the built-in programs and the engine (issue 18).

Pure (no database, no UI): ``format.parse`` reads a program, ``engine`` runs it. The built-in
programs are text files beside this module, written in the same format as a lifter's own.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from overload_tui.domain.programs.engine import (
    DayPlan,
    LiftState,
    PlannedItem,
    ProgramState,
    Rounder,
    SimulatedDay,
    advance,
    as_prescribed,
    initial_state,
    prescribe,
    round_to,
    simulate,
)
from overload_tui.domain.programs.format import (
    Program,
    ProgramIssue,
    ProgramSyntaxError,
    parse,
)

BUILTIN_FILES = ("531_bbb.program", "gzclp.program", "stronglifts_5x5.program", "ppl_double.program")

__all__ = [
    "BUILTIN_FILES", "DayPlan", "LiftState", "PlannedItem", "Program", "ProgramIssue", "ProgramState",
    "ProgramSyntaxError", "Rounder", "SimulatedDay", "advance", "as_prescribed", "builtin_source",
    "builtins", "initial_state", "parse", "prescribe", "round_to", "simulate",
]


def builtin_source(filename: str) -> str:
    return resources.files(__package__).joinpath("builtin", filename).read_text(encoding="utf-8")


@cache
def builtins() -> tuple[Program, ...]:
    """The built-in programs, parsed (in BUILTIN_FILES order)."""
    return tuple(parse(builtin_source(f)) for f in BUILTIN_FILES)
