"""The body-weight log: one weight (kg) per user and day, so that weighted and assisted
bodyweight sets have a real load (see ``domain/bodyweight.py`` for which entry a set uses).

A lifter in pounds types and reads pounds: ``log(180.4, unit="lbs")`` stores the exact kg of
180.4 lb, and ``entry.in_unit("lbs")`` (or ``fmt.weight_in(entry.weight, "lbs")``) reads 180.4
back. ``weight`` is always kg.

Logging a second weight on a day replaces the first (one statement, an upsert, so two
terminals logging the same day at once cannot clash).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession

from overload_tui import clock
from overload_tui.db.engine import Database
from overload_tui.db.models import BodyWeight
from overload_tui.domain.bodyweight import BodyWeightLog, validate_body_weight
from overload_tui.domain.errors import NotFoundError, ValidationError
from overload_tui.domain.units import WeightUnit, from_kg
from overload_tui.services.base import ServiceBase

EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class BodyWeightEntry:
    measured_on: date
    weight: float  # kg

    def in_unit(self, unit: WeightUnit | str) -> float:
        """The weight as a lifter in ``unit`` reads it (what they typed: 180.4 lb)."""
        return from_kg(self.weight, unit)


def parse_day(value: date | datetime | str | None) -> date:
    """A day for the log: a date, 'YYYY-MM-DD', 'today' or 'yesterday' (None: today). Not after
    today nor before 1900: ValidationError (field "date") otherwise."""
    today = clock.now().date()
    if value is None:
        return today
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value).strip().lower()
        words = {"": today, "today": today, "yesterday": date.fromordinal(today.toordinal() - 1)}
        if text in words:
            day = words[text]
        else:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    f"The date must look like {today.isoformat()}, not {str(value)[:20]!r}.", field="date"
                ) from None
    if day > today:
        raise ValidationError("That day has not come yet.", field="date")
    if day < EARLIEST:
        raise ValidationError(f"The date must be {EARLIEST.year} or later.", field="date")
    return day


def read_body_weights(s: OrmSession, user_id: int) -> BodyWeightLog:
    """The user's whole log inside a caller's transaction (one query): for other services."""
    rows = s.execute(
        select(BodyWeight.measured_on, BodyWeight.weight).where(BodyWeight.user_id == user_id)
    ).all()
    return BodyWeightLog((d, w) for d, w in rows)


class BodyWeightService(ServiceBase):
    """The body weights of one user."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    def log(
        self, weight: float | str, on: date | datetime | str | None = None, unit: WeightUnit | str = WeightUnit.KG
    ) -> BodyWeightEntry:
        """Record ``weight`` (in ``unit``: kg, or lbs stored as its exact kg) on the day ``on``
        (default today), replacing that day's entry. ValidationError (field "weight" or "date")
        for a weight not in (0, 500] kg (1102.31 lb) or a bad day; a bad ``unit`` is the
        ValidationError of ``units.weight_unit``."""
        kg = validate_body_weight(weight, unit)
        day = parse_day(on)
        dialect = postgresql if self.db.engine.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(BodyWeight).values(user_id=self.user_id, measured_on=day, weight=kg)
        stmt = stmt.on_conflict_do_update(index_elements=["user_id", "measured_on"], set_={"weight": kg})
        with self._tx(write=True) as s:
            s.execute(stmt)
        return BodyWeightEntry(day, kg)

    def entries(self, since: date | None = None) -> list[BodyWeightEntry]:
        """The log, oldest first (from ``since`` on, when given). One query."""
        q = select(BodyWeight.measured_on, BodyWeight.weight).where(BodyWeight.user_id == self.user_id)
        if since is not None:
            q = q.where(BodyWeight.measured_on >= since)
        with self._tx() as s:
            rows = s.execute(q.order_by(BodyWeight.measured_on)).all()
        return [BodyWeightEntry(d, float(w)) for d, w in rows]

    def latest(self) -> BodyWeightEntry | None:
        """The most recent entry, or None before the first. One query."""
        with self._tx() as s:
            row = s.execute(
                select(BodyWeight.measured_on, BodyWeight.weight)
                .where(BodyWeight.user_id == self.user_id)
                .order_by(BodyWeight.measured_on.desc())
                .limit(1)
            ).first()
        return None if row is None else BodyWeightEntry(row[0], float(row[1]))

    def on(self, day: date | datetime) -> float | None:
        """The body weight that applies to ``day``: the latest on or before it, else the earliest
        after it; None when nothing is logged."""
        with self._tx() as s:
            return read_body_weights(s, self.user_id).on(day)

    def remove(self, on: date | datetime | str) -> None:
        """Delete the entry of that day; NotFoundError when there is none."""
        day = parse_day(on)
        with self._tx(write=True) as s:
            gone = s.execute(
                delete(BodyWeight).where(BodyWeight.user_id == self.user_id, BodyWeight.measured_on == day)
            ).rowcount
        if not gone:
            raise NotFoundError("No body weight is logged on that day.")
