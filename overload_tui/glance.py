"""The dashboard as it was last shown, kept on disk so that the next start draws it at once.

With a saved log-in, the app would otherwise show "opening..." for as long as loading the
database layer, opening the database and checking the log-in take (about a second on a two-core
home server, three times the bare Textual start). The glance is drawn as the first frame instead,
with the keys typed meanwhile held; once the log-in is checked the dashboard reads everything
afresh and the keys run (see ``OverloadApp``, "Start-up").

One file per data directory and database, ``glance-<key>``, only its owner may read (0600), like
the token beside it. The key is how the database was named at launch (``--database``, else
``$DATABASE_URL``, else the default file): telling which token file that is needs SQLAlchemy.
The glance holds the name of the token file it was written with and a digest of that token, and
is ignored unless that token is still the one saved, and still unexpired: logging out, or logging
in as someone else, retires it, and a stale log-in goes straight to the login screen. Anything
unreadable, malformed or from another version is ignored, never an error.

Over ``overload serve`` no token file is kept: the server hands each connection a token it signed
for the lifter whose key logged in. There each lifter has a glance of their own
(``glance-<key>-user<id>``, :meth:`Glance.for_lifter`), named by that token's user and drawn only
for that user; the account is still the token's, checked as the database opens (a glance is only
ever a first frame).

No SQLAlchemy, Textual or JWT library here: this is read before any of them is needed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overload_tui import paths
from overload_tui.domain.errors import OverloadError
from overload_tui.launch import raw_url

log = logging.getLogger(__name__)
VERSION = 2  # 2: the dashboard holds the lifter's weight unit (a glance without it would read kg)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _claims(token: str) -> dict[str, Any]:
    """The JWT's claims, read, not verified (the database check does that); {} if unreadable."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _unexpired(token: str, now: float) -> bool:
    """Whether the JWT's ``exp`` is ahead."""
    try:
        return float(_claims(token)["exp"]) > now
    except (KeyError, ValueError, TypeError):
        return False


@dataclass(frozen=True)
class Glance:
    path: Path
    user_id: int | None = None  # a lifter's own glance (``for_lifter``): no token file goes with it

    @classmethod
    def for_launch(cls, database_url: str | None = None, data_dir: Path | None = None) -> Glance | None:
        """The glance of the database named so at launch; None if the data directory cannot be
        made (the app then says so itself, as it opens the database)."""
        raw, _ = raw_url(database_url)
        key = hashlib.sha256((raw or "").strip().encode()).hexdigest()[:12]
        try:
            return cls((data_dir or paths.data_dir()) / f"glance-{key}")
        except OSError:
            return None

    @classmethod
    def for_lifter(cls, token: str | None, database_url: str | None = None,
                   data_dir: Path | None = None) -> Glance | None:
        """The glance of the lifter ``token`` names (over ``overload serve``: a token the server
        signed and handed over in private); None without a token naming one."""
        sub = _claims(token).get("sub") if token else None
        if not isinstance(sub, str) or not sub.isdigit():
            return None
        base = cls.for_launch(database_url, data_dir)
        return cls(base.path.with_name(f"{base.path.name}-user{int(sub)}"), int(sub)) if base else None

    def load(self, now: float | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(the user, the dashboard) as saved, if they still go with the saved log-in."""
        try:
            text = paths.read_private_file(self.path)
            if not text:
                return None
            saved = json.loads(text)
            if saved["version"] != VERSION:
                return None
            if self.user_id is not None:
                if saved["user_id"] != self.user_id or saved["user"]["id"] != self.user_id:
                    return None
            else:
                token = paths.read_private_file(self.path.with_name(saved["token_file"]))
                if (not token or _digest(token) != saved["token_digest"]
                        or not _unexpired(token, time.time() if now is None else now)):
                    return None
            user, dashboard = saved["user"], saved["dashboard"]
        except (OSError, OverloadError, ValueError, KeyError, TypeError) as error:  # e.g. InsecureFileError
            log.info("dashboard glance ignored: %s", error)
            return None
        if not isinstance(user, dict) or not isinstance(dashboard, dict):
            return None
        return user, dashboard

    def save(self, token_path: Path, token: str, user: dict[str, Any], dashboard: dict[str, Any]) -> None:
        if self.user_id is not None:  # a lifter's own: only ever their dashboard
            if user.get("id") == self.user_id:
                paths.write_private_file(self.path, json.dumps({
                    "version": VERSION, "user_id": self.user_id, "user": user, "dashboard": dashboard,
                }))
            return
        if token_path.parent != self.path.parent:
            return  # a token kept elsewhere: the glance could not find it again
        paths.write_private_file(self.path, json.dumps({
            "version": VERSION, "token_file": token_path.name, "token_digest": _digest(token),
            "user": user, "dashboard": dashboard,
        }))

    def clear(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("could not remove %s: %s", self.path, error)
