"""Helpers for the import/export tests: the real export files, counts straight from SQL."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
# The shared copy beside the repository (/work/shared/... when the repo is /work/main).
SHARED = HERE.parents[2] / "shared" / "fixtures" / "imports"


def fixture_file(name: str) -> Path:
    """A real export: the copy in tests/transfer/data/, else the shared one; skip when neither."""
    for folder in (DATA, SHARED):
        path = folder / name
        if path.is_file():
            return path
    pytest.skip(f"fixture {name} not found in {DATA} or {SHARED}")


def db_counts(services, user_id: int) -> dict[str, int]:
    """How many sessions, entries, sets and custom exercises a user has, straight from SQL."""
    from overload_tui.db.models import Exercise, ExerciseSession, Session, Set, Template

    with services.db.read() as s:
        sessions = s.scalar(select(func.count()).select_from(Session).where(Session.user_id == user_id))
        entries = s.scalar(
            select(func.count())
            .select_from(ExerciseSession)
            .join(Session, Session.id == ExerciseSession.session_id)
            .where(Session.user_id == user_id)
        )
        sets = s.scalar(
            select(func.count())
            .select_from(Set)
            .join(ExerciseSession, ExerciseSession.id == Set.exercise_session_id)
            .join(Session, Session.id == ExerciseSession.session_id)
            .where(Session.user_id == user_id)
        )
        custom = s.scalar(select(func.count()).select_from(Exercise).where(Exercise.owner_id == user_id))
        templates = s.scalar(select(func.count()).select_from(Template).where(Template.user_id == user_id))
    return {"sessions": sessions, "entries": entries, "sets": sets, "custom": custom, "templates": templates}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _traced(fn):
    """``fn()``'s result and the most memory (bytes, traced by tracemalloc) it held at once beyond
    what was held when it started."""
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    return result, peak - start


def import_peaks(services, transfer, bob_transfer, small: Path, large: Path, warm: Path,
                 check_plan: Callable[[object], object] = lambda plan: None) -> dict[str, int]:
    """The most memory the plan and the commit of ``small`` (6,000 sets, by ``transfer``) and of
    ``large`` (24,000 sets, by ``bob_transfer``) each held, by tracemalloc; ``warm`` is imported
    first by a third lifter, so that caches and compiled statements are made outside the figures.
    Each commit is checked to have written its sets; ``check_plan`` sees each plan."""
    tracemalloc.start()
    try:
        carol = services.auth.register("carol", "carol@example.com", "correct horse")
        from overload_tui.services.transfer import TransferService

        TransferService(services.db, carol.id).import_file(warm)
        peaks = {}
        for who, svc, path in (("small", transfer, small), ("large", bob_transfer, large)):
            plan, peaks[f"{who} plan"] = _traced(lambda svc=svc, path=path: svc.plan_import(path))
            check_plan(plan)
            report, peaks[f"{who} commit"] = _traced(lambda svc=svc, plan=plan: svc.commit_import(plan))
            assert report.written and report.sets == (6_000 if who == "small" else 24_000)
            del plan
    finally:
        tracemalloc.stop()
    return peaks
