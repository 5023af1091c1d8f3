"""Kinds of set (issue 15): timed, distance, reps-only and bodyweight sets, and body weight.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

All additions are nullable or defaulted, so nothing spec/database-schema.md says changes:
- exercises.kind: what the exercise's sets measure (weight_reps by default; the catalogue
  seeding sets it for the catalogue, a custom exercise chooses it);
- sets.duration_s, sets.distance_m (per rep) and sets.distance_unit (how it was typed);
- body_weights: a lifter's dated body weight, the load of weighted and assisted sets.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = "'weight_reps', 'reps_only', 'weighted', 'assisted', 'time', 'distance'"
_DISTANCE_UNITS = "'m', 'km', 'mi', 'yd', 'ft'"


def _add_checked_column(table: str, column: sa.Column, ddl: str, check: str, condition: str) -> None:
    """Add a column with its CHECK, in place. SQLite cannot add a constraint to a table, and
    recreating it (Alembic's batch mode) fails on a table others reference: there the CHECK goes
    into the column's own definition, which ALTER TABLE ADD COLUMN takes."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {ddl} CONSTRAINT {check} CHECK ({condition})")
    else:
        op.add_column(table, column)
        op.create_check_constraint(op.f(check), table, condition)


def upgrade() -> None:
    _add_checked_column(
        "exercises",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="weight_reps"),
        "kind VARCHAR(16) DEFAULT 'weight_reps' NOT NULL",
        "ck_exercises_kind_valid",
        f"kind IN ({_KINDS})",
    )
    _add_checked_column(
        "sets", sa.Column("duration_s", sa.Float(), nullable=True), "duration_s FLOAT",
        "ck_sets_duration_positive", "duration_s IS NULL OR duration_s > 0",
    )
    _add_checked_column(
        "sets", sa.Column("distance_m", sa.Float(), nullable=True), "distance_m FLOAT",
        "ck_sets_distance_positive", "distance_m IS NULL OR distance_m > 0",
    )
    _add_checked_column(
        "sets", sa.Column("distance_unit", sa.String(length=8), nullable=True), "distance_unit VARCHAR(8)",
        "ck_sets_distance_unit_valid", f"distance_unit IS NULL OR distance_unit IN ({_DISTANCE_UNITS})",
    )
    op.create_table(
        "body_weights",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.CheckConstraint("weight > 0", name=op.f("ck_body_weights_weight_positive")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_body_weights_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_weights")),
    )
    op.create_index(
        "uq_body_weights_user_id_measured_on", "body_weights", ["user_id", "measured_on"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_body_weights_user_id_measured_on", table_name="body_weights")
    op.drop_table("body_weights")
    # The CHECKs go with their columns (on SQLite they are the columns' own constraints).
    for table, column in (
        ("sets", "distance_unit"), ("sets", "distance_m"), ("sets", "duration_s"), ("exercises", "kind")
    ):
        op.drop_column(table, column)
