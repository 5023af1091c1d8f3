"""Errors the domain and service layers raise. Their messages are written for the user.

A message is for reading only: code never looks at its words to decide what to do (which title
to show, whether to retry, which field to put the cursor in). What callers need to act on is an
attribute of the error: its class, ``field``, ``maybe_saved``, ``retry_safe``.
"""

from __future__ import annotations


class OverloadError(Exception):
    """Base class: the message is safe and meant to be shown to the user as is."""

    field: str | None = None
    """The input the error is about, for a form to put the cursor there: "username", "email",
    "password", "name", or a form's own name for one of its inputs; None when it is about no
    single input. Set by ValidationError and ConflictError."""


class ValidationError(OverloadError, ValueError):
    """Input that breaks a rule (a weight out of range, a name too long...)."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(OverloadError, LookupError):
    """The thing does not exist, or belongs to another user (never say which)."""


class ConflictError(OverloadError):
    """The operation clashes with existing data (a taken username, an exercise in use...)."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AuthError(OverloadError):
    """Log-in failed, or a token is not valid any more."""


class NotPermittedError(OverloadError):
    """The database refused the connection's role the change (PostgreSQL's insufficient_privilege):
    a lifter's own role may not make accounts, nor touch other lifters' rows. Nothing was saved."""


class DatabaseUnavailableError(OverloadError):
    """The database cannot be reached, or failed in the middle of a call.

    ``maybe_saved``: the failure happened while COMMIT was in flight, so the write may or may not
    have been applied; whoever shows it must read the data again before offering to redo it.
    When False, nothing of the failed call's last transaction was saved.

    ``retry_safe``: the call can be run again without applying a change twice (the connection
    was lost or refused, or the server rolled the transaction back, before COMMIT was sent).
    The services' own retry (overload_tui.services.base) reads it; it is never True together
    with ``maybe_saved``.
    """

    def __init__(self, message: str = "", *, maybe_saved: bool = False, retry_safe: bool = False) -> None:
        super().__init__(message)
        self.maybe_saved = maybe_saved
        self.retry_safe = retry_safe and not maybe_saved
