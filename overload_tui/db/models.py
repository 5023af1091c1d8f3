"""SQLAlchemy 2.0 models: the tables of spec/database-schema.md, plus nullable extensions.

Extensions beyond the spec (all nullable, in migration 0001 whose docstring lists them):
exercises.owner_id (custom exercises), sessions.name/finished_at/source_key/template_id,
exercise_sessions.notes, sets.set_type/rpe/logged_at, and unique (parent, order) indexes.
Migration 0003 (kinds of set): exercises.kind (defaulted), sets.duration_s/distance_m/
distance_unit (nullable) and the body_weights table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from overload_tui.domain.enums import Category, DistanceUnit, Equipment, ExerciseKind, Unit

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type, name: str) -> Enum:
    # Store the lower-case values ("chest"), and let SQLite enforce them with a CHECK.
    return Enum(
        cls,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        create_constraint=True,
        validate_strings=True,
    )


CategoryType = _enum(Category, "exercise_category")
EquipmentType = _enum(Equipment, "equipment_type")
UnitType = _enum(Unit, "weight_unit")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("uq_users_db_role", "db_role", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(50), unique=True, nullable=False, index=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, nullable=False, index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    oauth_provider: Mapped[str | None] = mapped_column(String(50))
    oauth_id: Mapped[str | None] = mapped_column(String(255))
    # The PostgreSQL role whose connections act as this user only (migration 0006; row-level
    # security, see overload_tui.db.roles). NULL: no role of its own.
    db_role: Mapped[str | None] = mapped_column(String(63))

    sessions: Mapped[list[Session]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    templates: Mapped[list[Template]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


_KINDS = ", ".join(f"'{k.value}'" for k in ExerciseKind)
_DISTANCE_UNITS = ", ".join(f"'{u.value}'" for u in DistanceUnit)


class Exercise(Base):
    __tablename__ = "exercises"
    __table_args__ = (CheckConstraint(f"kind IN ({_KINDS})", name="kind_valid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[Category] = mapped_column(CategoryType, nullable=False)
    subcategory: Mapped[str | None] = mapped_column(String(100))
    equipment: Mapped[Equipment | None] = mapped_column(EquipmentType)
    image_url: Mapped[str | None] = mapped_column(String)
    # Extension: NULL for the shared catalogue, the owner for a user's custom exercise.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )

    # Extension (0003): what its sets measure; the catalogue sets it, a custom exercise chooses.
    kind: Mapped[str] = mapped_column(
        String(16), nullable=False, default=ExerciseKind.WEIGHT_REPS.value,
        server_default=ExerciseKind.WEIGHT_REPS.value,
    )

    exercise_sessions: Mapped[list[ExerciseSession]] = relationship(
        back_populates="exercise", passive_deletes="all"
    )


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    date: Mapped[datetime] = mapped_column(DateTime, nullable=False, server_default=func.now())
    notes: Mapped[str | None] = mapped_column(Text)
    # Extensions
    name: Mapped[str | None] = mapped_column(String(100))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    source_key: Mapped[str | None] = mapped_column(String(128))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("templates.id", ondelete="SET NULL"), index=True
    )
    # Migration 0007: the program day it was started from (no foreign key: see the migration).
    program_id: Mapped[int | None] = mapped_column(Integer, index=True)
    program_week: Mapped[int | None] = mapped_column(Integer)
    program_day: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="sessions")
    exercise_sessions: Mapped[list[ExerciseSession]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExerciseSession.order",
    )


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )

    user: Mapped[User] = relationship(back_populates="templates")
    exercise_sessions: Mapped[list[ExerciseSession]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExerciseSession.order",
    )


class ExerciseSession(Base):
    __tablename__ = "exercise_sessions"
    __table_args__ = (
        CheckConstraint(
            "(session_id IS NULL) <> (template_id IS NULL)", name="one_parent"
        ),
        Index("uq_exercise_sessions_session_id_order", "session_id", "order", unique=True),
        Index("uq_exercise_sessions_template_id_order", "template_id", "order", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("templates.id", ondelete="CASCADE"), index=True
    )
    order: Mapped[int] = mapped_column(Integer, nullable=False)
    # Extension: the exercise's note in this workout (kept from imports, editable).
    notes: Mapped[str | None] = mapped_column(Text)
    # Migration 0007: a template exercise's own progression rule ("double 8-12"); NULL: the
    # exercise's or the lifter's rule.
    progression: Mapped[str | None] = mapped_column(String(60))

    exercise: Mapped[Exercise] = relationship(back_populates="exercise_sessions")
    session: Mapped[Session | None] = relationship(back_populates="exercise_sessions")
    template: Mapped[Template | None] = relationship(back_populates="exercise_sessions")
    sets: Mapped[list[Set]] = relationship(
        back_populates="exercise_session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Set.order",
    )


class Set(Base):
    __tablename__ = "sets"
    __table_args__ = (
        CheckConstraint("weight >= 0", name="weight_non_negative"),
        CheckConstraint("reps > 0", name="reps_positive"),
        CheckConstraint(
            "set_type IS NULL OR set_type IN ('warmup', 'drop', 'failure')", name="set_type_valid"
        ),
        CheckConstraint("duration_s IS NULL OR duration_s > 0", name="duration_positive"),
        CheckConstraint("distance_m IS NULL OR distance_m > 0", name="distance_positive"),
        CheckConstraint(
            f"distance_unit IS NULL OR distance_unit IN ({_DISTANCE_UNITS})", name="distance_unit_valid"
        ),
        CheckConstraint("display_unit IS NULL OR display_unit IN ('kg', 'lbs')", name="display_unit_valid"),
        Index("uq_sets_exercise_session_id_order", "exercise_session_id", "order", unique=True),
        Index("uq_sets_client_id", "client_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    weight: Mapped[float] = mapped_column(Float, nullable=False)
    reps: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[Unit] = mapped_column(UnitType, nullable=False)
    exercise_session_id: Mapped[int] = mapped_column(
        ForeignKey("exercise_sessions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    order: Mapped[int] = mapped_column(Integer, nullable=False)
    # Extensions: warm-up/drop/failure marker (NULL = a normal working set), RPE, when logged.
    set_type: Mapped[str | None] = mapped_column(String(16))
    rpe: Mapped[float | None] = mapped_column(Float)
    logged_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Extensions (0003), per rep: seconds (timed and distance sets), metres, and the unit the
    # distance was typed in (so 5 mi reads back as 5 mi, not 8046.72 m).
    duration_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    distance_unit: Mapped[str | None] = mapped_column(String(8))
    # Extension (0004): the unit the set reads in, 'lbs' for a set typed or imported in pounds
    # (``weight`` keeps its exact kilograms); NULL or 'kg': kilograms (see domain/units.py).
    display_unit: Mapped[str | None] = mapped_column(String(3))
    # Extension (0005): the id the app gave the set when it was typed (a uuid4), unique, so a
    # resend of a set that may have been saved returns that set instead of a second copy.
    # NULL (earlier sets, imports, the CLI) any number of times.
    client_id: Mapped[str | None] = mapped_column(String(36))

    exercise_session: Mapped[ExerciseSession] = relationship(back_populates="sets")


class UserSetting(Base):
    """One setting of one user (e1RM formula, progression, bar and plates, rest times...).

    Key/value rows, so a new setting needs no migration; the service types and validates them.
    """

    __tablename__ = "user_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class LoginAttempt(Base):
    """A failed log-in, kept briefly so repeated failures slow down across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_subject_at", "subject", "attempted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # A hash of the normalised username or email: no plain identifiers or passwords stored.
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class BodyWeight(Base):
    """A lifter's body weight on a day (kg): the load of weighted and assisted bodyweight sets."""

    __tablename__ = "body_weights"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        Index("uq_body_weights_user_id_measured_on", "user_id", "measured_on", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    measured_on: Mapped[date] = mapped_column(Date, nullable=False)
    weight: Mapped[float] = mapped_column(Float, nullable=False)


class Program(Base):
    """A lifter's training program, as the plain text it is written in (migration 0007)."""

    __tablename__ = "programs"
    __table_args__ = (Index("uq_programs_user_id_name", "user_id", "name", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())
    started_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str | None] = mapped_column(Text)  # JSON: training maxes, position
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, server_default=func.now())
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class SshKey(Base):
    """A public key that opens a lifter's account over ``overload serve`` (migration 0007)."""

    __tablename__ = "ssh_keys"
    __table_args__ = (
        Index("uq_ssh_keys_fingerprint", "fingerprint", unique=True),
        Index("ix_ssh_keys_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(100), nullable=False)  # SHA256:...
    public_key: Mapped[str] = mapped_column(Text, nullable=False)
    comment: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
