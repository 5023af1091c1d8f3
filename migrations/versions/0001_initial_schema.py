"""Initial schema: the six tables of spec/database-schema.md.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Beyond the spec, and all nullable so nothing the spec says changes:
- exercises.owner_id: NULL for the shared catalogue, the owner of a custom exercise;
- sessions.name (the workout's name), finished_at (set when the lifter finishes), source_key
  (identifies an imported workout so a second import of the same file adds nothing),
  template_id (the template it was started from; SET NULL when that template is deleted);
- exercise_sessions.notes (the exercise's note in that workout);
- sets.set_type (warmup, drop, failure; NULL is a normal working set), rpe, logged_at;
- ix_sessions_user_id_date for history paging, and unique (parent, order) indexes so two
  terminals logging into one workout can never give two sets the same place.
Nothing has been released before this revision, so these live in the first migration.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('oauth_provider', sa.String(length=50), nullable=True),
    sa.Column('oauth_id', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_users_username'), ['username'], unique=True)

    op.create_table('exercises',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.Enum('chest', 'back', 'legs', 'shoulders', 'arms', 'core', name='exercise_category', create_constraint=True), nullable=False),
    sa.Column('subcategory', sa.String(length=100), nullable=True),
    sa.Column('equipment', sa.Enum('machine', 'dumbbell', 'barbell', 'bodyweight', 'kettlebell', 'resistance_band', name='equipment_type', create_constraint=True), nullable=True),
    sa.Column('image_url', sa.String(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_exercises_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercises'))
    )
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercises_owner_id'), ['owner_id'], unique=False)

    op.create_table('templates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_templates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_templates'))
    )
    with op.batch_alter_table('templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_templates_user_id'), ['user_id'], unique=False)

    op.create_table('sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('source_key', sa.String(length=128), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name=op.f('fk_sessions_template_id_templates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_sessions_user_id_date', ['user_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sessions_template_id'), ['template_id'], unique=False)

    op.create_table('exercise_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('order', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint('(session_id IS NULL) <> (template_id IS NULL)', name=op.f('ck_exercise_sessions_one_parent')),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_exercise_sessions_exercise_id_exercises'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_exercise_sessions_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name=op.f('fk_exercise_sessions_template_id_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_sessions'))
    )
    with op.batch_alter_table('exercise_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_sessions_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_sessions_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_sessions_template_id'), ['template_id'], unique=False)
        batch_op.create_index('uq_exercise_sessions_session_id_order', ['session_id', 'order'], unique=True)
        batch_op.create_index('uq_exercise_sessions_template_id_order', ['template_id', 'order'], unique=True)

    op.create_table('sets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('unit', sa.Enum('kg', 'stacks', name='weight_unit', create_constraint=True), nullable=False),
    sa.Column('exercise_session_id', sa.Integer(), nullable=False),
    sa.Column('order', sa.Integer(), nullable=False),
    sa.Column('set_type', sa.String(length=16), nullable=True),
    sa.Column('rpe', sa.Float(), nullable=True),
    sa.Column('logged_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("set_type IS NULL OR set_type IN ('warmup', 'drop', 'failure')", name=op.f('ck_sets_set_type_valid')),
    sa.CheckConstraint('reps > 0', name=op.f('ck_sets_reps_positive')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_sets_weight_non_negative')),
    sa.ForeignKeyConstraint(['exercise_session_id'], ['exercise_sessions.id'], name=op.f('fk_sets_exercise_session_id_exercise_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sets'))
    )
    with op.batch_alter_table('sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sets_exercise_session_id'), ['exercise_session_id'], unique=False)
        batch_op.create_index('uq_sets_exercise_session_id_order', ['exercise_session_id', 'order'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('sets', schema=None) as batch_op:
        batch_op.drop_index('uq_sets_exercise_session_id_order')
        batch_op.drop_index(batch_op.f('ix_sets_exercise_session_id'))

    op.drop_table('sets')
    with op.batch_alter_table('exercise_sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_exercise_sessions_template_id_order')
        batch_op.drop_index('uq_exercise_sessions_session_id_order')
        batch_op.drop_index(batch_op.f('ix_exercise_sessions_template_id'))
        batch_op.drop_index(batch_op.f('ix_exercise_sessions_session_id'))
        batch_op.drop_index(batch_op.f('ix_exercise_sessions_exercise_id'))

    op.drop_table('exercise_sessions')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_template_id'))
        batch_op.drop_index('ix_sessions_user_id_date')
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))

    op.drop_table('sessions')
    with op.batch_alter_table('templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_templates_user_id'))

    op.drop_table('templates')
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercises_owner_id'))

    op.drop_table('exercises')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_username'))
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
    if op.get_bind().dialect.name == "postgresql":
        for enum_name in ("weight_unit", "equipment_type", "exercise_category"):
            op.execute(f"DROP TYPE IF EXISTS {enum_name}")
