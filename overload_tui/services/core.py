"""``Services``: the database, the auth service and this terminal's token store, opened together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from overload_tui import paths
from overload_tui.db import migrate
from overload_tui.db.engine import Database
from overload_tui.services.auth import AuthService, TokenStore, load_secret
from overload_tui.services.body import BodyWeightService
from overload_tui.services.progress import ProgressService
from overload_tui.services.settings import SettingsService
from overload_tui.services.workouts import WorkoutService


@dataclass
class Services:
    """What the app is handed: the database, the auth service and this terminal's token store."""

    db: Database
    auth: AuthService
    tokens: TokenStore
    _workouts: dict[int, WorkoutService] = field(default_factory=dict, repr=False)

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        data_dir: Path | None = None,
        upgrade: bool = True,
        bcrypt_rounds: int | None = None,
    ) -> Services:
        """Connect, migrate an empty or old database to head, and seed the catalogue."""
        directory = data_dir or paths.data_dir()
        db = Database.connect(database_url)
        if upgrade:
            if migrate.needs_upgrade(db):
                migrate.upgrade(db)
            migrate.ensure_statistics(db)  # SQLite only; two cheap statements once analysed
        extra = {"bcrypt_rounds": bcrypt_rounds} if bcrypt_rounds else {}
        auth = AuthService(db, load_secret(directory), **extra)
        return cls(db=db, auth=auth, tokens=TokenStore.for_database(db, directory))

    def workouts(self, user_id: int) -> WorkoutService:
        if user_id not in self._workouts:
            self._workouts[user_id] = WorkoutService(self.db, user_id)
        return self._workouts[user_id]

    def settings(self, user_id: int) -> SettingsService:
        return SettingsService(self.db, user_id)

    def progress(self, user_id: int) -> ProgressService:
        return ProgressService(self.db, user_id)

    def body(self, user_id: int) -> BodyWeightService:
        return BodyWeightService(self.db, user_id)

    def close(self) -> None:
        migrate.optimize_on_close(self.db)  # SQLite: PRAGMA optimize as each connection closes
        self.db.dispose()

