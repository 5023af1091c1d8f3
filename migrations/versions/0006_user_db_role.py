"""A lifter's own PostgreSQL role (issue 17): row-level security keys every row to it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

``users.db_role`` names the database role (a PostgreSQL login role, usually the lifter's Unix
name, reached by peer authentication) whose connections act as this user and only this user.
``overload admin pg-setup`` turns on row-level security; its policies compare each row's owner
with the user whose ``db_role`` is ``current_user``. NULL (every account on SQLite, and accounts
used through the shared owner connection) means no role of its own. Unique where set, on both
databases. Nullable: nothing the spec says changes.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("db_role", sa.String(length=63), nullable=True))
    op.create_index("uq_users_db_role", "users", ["db_role"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_users_db_role", table_name="users")
    op.drop_column("users", "db_role")
