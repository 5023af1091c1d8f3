"""Errors the domain and service layers raise. Their messages are written for the user."""

from __future__ import annotations


class OverloadError(Exception):
    """Base class: the message is safe and meant to be shown to the user as is."""


class ValidationError(OverloadError, ValueError):
    """Input that breaks a rule (a weight out of range, a name too long...)."""


class NotFoundError(OverloadError, LookupError):
    """The thing does not exist, or belongs to another user (never say which)."""


class ConflictError(OverloadError):
    """The operation clashes with existing data (a taken username, an exercise in use...)."""


class AuthError(OverloadError):
    """Log-in failed, or a token is not valid any more."""


class DatabaseUnavailableError(OverloadError):
    """The database cannot be reached; the caller may retry."""
