"""A set's client id (issue 17): made when the set is typed, so a resend never duplicates it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

``sets.client_id`` is a uuid4 (36 characters) the app makes the moment a lifter types a set and
keeps in its local journal until the database has the set. A resend (after "may or may not have
been saved", or on the next launch) carries the same id, and the unique index makes a second
copy impossible. NULL (every earlier set, and sets made by import or the CLI) is allowed any
number of times on both databases. Nullable: nothing the spec says changes.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sets", sa.Column("client_id", sa.String(length=36), nullable=True))
    op.create_index("uq_sets_client_id", "sets", ["client_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_sets_client_id", table_name="sets")
    op.drop_column("sets", "client_id")
