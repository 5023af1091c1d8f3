"""The domain service every screen and command calls. No Textual here.

Importing the package, or one of its light modules (``dto``), does not import SQLAlchemy: the
names below are loaded on first use. So the app can draw its first screen, even the dashboard
from its snapshot (``overload_tui.glance``), before the database layer is loaded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from overload_tui.services.auth import AuthService, TokenStore
    from overload_tui.services.body import BodyWeightService
    from overload_tui.services.core import Services
    from overload_tui.services.progress import ProgressService
    from overload_tui.services.settings import SettingsService
    from overload_tui.services.workouts import WorkoutService

_MODULES = {
    "Services": "core", "AuthService": "auth", "TokenStore": "auth", "WorkoutService": "workouts",
    "SettingsService": "settings", "ProgressService": "progress", "BodyWeightService": "body",
}
__all__ = list(_MODULES)


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value
