"""Helpers for the import/export tests: the real export files, counts straight from SQL."""

from __future__ import annotations

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
