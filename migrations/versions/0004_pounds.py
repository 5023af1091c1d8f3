"""Pounds (issue 16): the unit each set reads in.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

``sets.weight`` stays what spec/database-schema.md says (kilograms, or stacks); a set a lifter
typed or imported in pounds keeps its exact kilograms there, and ``sets.display_unit`` says it
reads in pounds ('lbs'), so 225 reads back as 225 and every sum and comparison stays in kg.
NULL (every earlier set) and 'kg' read in kilograms. Nullable: nothing the spec says changes.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    ddl = "display_unit VARCHAR(3)"
    check, condition = "ck_sets_display_unit_valid", "display_unit IS NULL OR display_unit IN ('kg', 'lbs')"
    if op.get_bind().dialect.name == "sqlite":  # see 0003: no constraint can be added to a table
        op.execute(f"ALTER TABLE sets ADD COLUMN {ddl} CONSTRAINT {check} CHECK ({condition})")
    else:
        op.add_column("sets", sa.Column("display_unit", sa.String(length=3), nullable=True))
        op.create_check_constraint(op.f(check), "sets", condition)


def downgrade() -> None:
    op.drop_column("sets", "display_unit")
