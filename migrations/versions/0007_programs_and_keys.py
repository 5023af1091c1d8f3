"""Programs, per-template progression rules and SSH keys (issues 18 and 19).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

- ``programs``: a lifter's training programs as the plain text they are written in (a built-in
  program is copied here when the lifter starts or edits it), whether it is the one running,
  the day it started and its running state (training maxes, position: JSON text).
- ``sessions.program_id``/``program_week``/``program_day``: the program day a workout was
  started from (NULL: not from a program). No foreign key (see upgrade); the service clears
  ``program_id`` when a program is deleted.
- ``exercise_sessions.progression``: a template exercise's own progression rule ("double 8-12",
  "linear 5"); NULL means the exercise's or the lifter's rule.
- ``ssh_keys``: public keys that open a lifter's account over ``overload serve``; a key's
  fingerprint is unique across all users, so one key can never open two accounts.

All new columns are nullable and the tables are new: nothing the spec says changes.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE",
                  name="fk_programs_user_id_users"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("state", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_programs"),
    )
    op.create_index("uq_programs_user_id_name", "programs", ["user_id", "name"], unique=True)
    # Plain columns, no foreign key: SQLite cannot add one without copying the table (whose drop
    # would cascade into every set). Deleting a program clears its sessions' program_id.
    op.add_column("sessions", sa.Column("program_id", sa.Integer(), nullable=True))
    op.add_column("sessions", sa.Column("program_week", sa.Integer(), nullable=True))
    op.add_column("sessions", sa.Column("program_day", sa.Integer(), nullable=True))
    op.create_index("ix_sessions_program_id", "sessions", ["program_id"])
    op.add_column("exercise_sessions", sa.Column("progression", sa.String(length=60), nullable=True))
    op.create_table(
        "ssh_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE",
                  name="fk_ssh_keys_user_id_users"), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("comment", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ssh_keys"),
    )
    op.create_index("uq_ssh_keys_fingerprint", "ssh_keys", ["fingerprint"], unique=True)
    op.create_index("ix_ssh_keys_user_id", "ssh_keys", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_ssh_keys_user_id", table_name="ssh_keys")
    op.drop_index("uq_ssh_keys_fingerprint", table_name="ssh_keys")
    op.drop_table("ssh_keys")
    op.drop_column("exercise_sessions", "progression")
    op.drop_index("ix_sessions_program_id", table_name="sessions")
    for column in ("program_day", "program_week", "program_id"):
        op.drop_column("sessions", column)
    op.drop_index("uq_programs_user_id_name", table_name="programs")
    op.drop_table("programs")
