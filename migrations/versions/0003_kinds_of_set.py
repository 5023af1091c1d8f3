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


def upgrade() -> None:
    with op.batch_alter_table("exercises") as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="weight_reps")
        )
        batch_op.create_check_constraint("kind_valid", f"kind IN ({_KINDS})")
    with op.batch_alter_table("sets") as batch_op:
        batch_op.add_column(sa.Column("duration_s", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("distance_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("distance_unit", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint("duration_positive", "duration_s IS NULL OR duration_s > 0")
        batch_op.create_check_constraint("distance_positive", "distance_m IS NULL OR distance_m > 0")
        batch_op.create_check_constraint(
            "distance_unit_valid", f"distance_unit IS NULL OR distance_unit IN ({_DISTANCE_UNITS})"
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
    with op.batch_alter_table("sets") as batch_op:
        batch_op.drop_constraint("distance_unit_valid", type_="check")
        batch_op.drop_constraint("distance_positive", type_="check")
        batch_op.drop_constraint("duration_positive", type_="check")
        batch_op.drop_column("distance_unit")
        batch_op.drop_column("distance_m")
        batch_op.drop_column("duration_s")
    with op.batch_alter_table("exercises") as batch_op:
        batch_op.drop_constraint("kind_valid", type_="check")
        batch_op.drop_column("kind")
