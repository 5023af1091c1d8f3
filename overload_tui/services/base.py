"""Transactions for the services: one SQLAlchemy Session per call, database errors made readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc
from sqlalchemy.orm import Session

from overload_tui.db.engine import Database
from overload_tui.domain.errors import ConflictError, DatabaseUnavailableError, ValidationError


def _describe(error: exc.DBAPIError) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "check" in text:
        return "That value is not allowed by the database."
    if "foreign key" in text or "restrict" in text:
        return "That is still in use, or refers to something that no longer exists."
    if "unique" in text or "duplicate" in text:
        return "That already exists (someone may have saved it at the same moment). Try again."
    return "The database refused that change."


class ServiceBase:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Session]:
        factory = self.db.write if write else self.db.read
        try:
            with factory() as session, session.begin():
                yield session
        except exc.IntegrityError as error:
            raise ConflictError(_describe(error)) from error
        except (exc.OperationalError, exc.InterfaceError) as error:
            if isinstance(error, exc.OperationalError) and _is_constraint(error):
                raise ValidationError(_describe(error)) from error
            raise DatabaseUnavailableError(
                "The database cannot be reached right now; nothing was lost. Try again in a moment."
            ) from error
        except exc.DataError as error:
            raise ValidationError("That value does not fit in the database.") from error


def _is_constraint(error: exc.OperationalError) -> bool:
    return "constraint" in str(getattr(error, "orig", "")).lower()
