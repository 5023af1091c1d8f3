"""SSH public keys that open a lifter's account over ``overload serve`` (table ``ssh_keys``).

A key is known by its SHA-256 fingerprint (``SHA256:`` and unpadded base64, as OpenSSH prints it),
unique across all users: one key opens exactly one account, whatever SSH username the client
sends. ``SshKeyService`` is per lifter (add, list, remove their own keys; another lifter's key id
is ``NotFoundError``, like one that does not exist). ``SshKeyDirectory`` is the server's side:
whose key a fingerprint is, and when it was last used.

Keys are read with asyncssh (the library the server uses), so what is accepted here is exactly
what the server can verify. DSA keys and RSA keys under 2048 bits are refused.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from overload_tui.db.engine import Database
from overload_tui.db.models import SshKey, User
from overload_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from overload_tui.services.base import ServiceBase

COMMENT_MAX = 255
KEY_TEXT_MAX = 16 * 1024  # an RSA 16384-bit key is under 3 kB
RSA_MIN_BITS = 2048
NO_SUCH_KEY = "No such SSH key."


def asyncssh_module():
    """asyncssh, imported without cryptography's DSA deprecation warnings on stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import asyncssh

    return asyncssh


@dataclass(frozen=True, slots=True)
class ParsedKey:
    algorithm: str      # e.g. "ssh-ed25519"
    fingerprint: str    # "SHA256:..."
    public_key: str     # one OpenSSH line, "<algorithm> <base64>" (no comment)
    comment: str | None


@dataclass(frozen=True, slots=True)
class SshKeyInfo:
    id: int
    user_id: int
    algorithm: str
    fingerprint: str
    comment: str | None
    created_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class KeyOwner:
    """Whose a key is: what the server needs to open that lifter's account."""

    key_id: int
    user_id: int
    username: str


def parse_public_key(text: str) -> ParsedKey:
    """One public key, as a ``.pub`` file holds it (OpenSSH one-line, or RFC 4716); ValidationError
    (field ``public_key``) for anything else: a private key, a certificate, several keys, DSA,
    RSA under 2048 bits."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("The key is empty: give the .pub file of the key.", field="public_key")
    if len(text) > KEY_TEXT_MAX:
        raise ValidationError("That is too long to be one public key.", field="public_key")
    if "PRIVATE KEY" in text:
        raise ValidationError("That is a private key: give the .pub file next to it (never the private key).",
                              field="public_key")
    asyncssh = asyncssh_module()
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and not lines[0].startswith("---- BEGIN SSH2"):
        raise ValidationError("Give one key at a time (that text has several lines).", field="public_key")
    try:
        key = asyncssh.import_public_key(text.strip())
    except (asyncssh.KeyImportError, ValueError, TypeError, UnicodeError):
        raise ValidationError("That is not an SSH public key (expected a line like 'ssh-ed25519 AAAA... you@phone').",
                              field="public_key") from None
    algorithm = key.get_algorithm()
    if algorithm == "ssh-dss":
        raise ValidationError("DSA keys are not accepted: make an ed25519 key (ssh-keygen -t ed25519).",
                              field="public_key")
    pyca = getattr(getattr(key, "pyca_key", None), "key_size", None)
    if algorithm == "ssh-rsa" and isinstance(pyca, int) and pyca < RSA_MIN_BITS:
        raise ValidationError(f"This RSA key has {pyca} bits; at least {RSA_MIN_BITS} are needed "
                              "(or make an ed25519 key: ssh-keygen -t ed25519).", field="public_key")
    comment = key.get_comment()
    if comment is not None:
        comment = " ".join(comment.split())[:COMMENT_MAX] or None
    line = key.export_public_key("openssh").decode("ascii").split()
    return ParsedKey(algorithm=algorithm, fingerprint=key.get_fingerprint("sha256"),
                     public_key=f"{line[0]} {line[1]}", comment=comment)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _info(row: SshKey) -> SshKeyInfo:
    return SshKeyInfo(id=row.id, user_id=row.user_id, algorithm=row.public_key.split(" ", 1)[0],
                      fingerprint=row.fingerprint, comment=row.comment, created_at=row.created_at,
                      last_used_at=row.last_used_at)


class SshKeyService(ServiceBase):
    """One lifter's SSH keys."""

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self.user_id = user_id

    def add(self, public_key: str, comment: str | None = None) -> SshKeyInfo:
        """Register a public key for this lifter. ConflictError (field ``public_key``) if the
        key is registered already, to them or to anyone else."""
        parsed = parse_public_key(public_key)
        note = " ".join(comment.split())[:COMMENT_MAX] if comment and comment.strip() else parsed.comment
        with self._tx(write=True) as s:
            if s.get(User, self.user_id) is None:
                raise NotFoundError("That account no longer exists.")
            owner = s.scalar(select(SshKey.user_id).where(SshKey.fingerprint == parsed.fingerprint))
            if owner is not None:
                whose = "this account" if owner == self.user_id else "another account"
                raise ConflictError(f"That key ({parsed.fingerprint}) is already registered to {whose}.",
                                    field="public_key")
            row = SshKey(user_id=self.user_id, fingerprint=parsed.fingerprint, public_key=parsed.public_key,
                         comment=note, created_at=_now())
            s.add(row)
            s.flush()
            return _info(row)

    def keys(self) -> list[SshKeyInfo]:
        """This lifter's keys, oldest first."""
        with self._tx() as s:
            rows = s.scalars(select(SshKey).where(SshKey.user_id == self.user_id).order_by(SshKey.id))
            return [_info(row) for row in rows]

    def remove(self, key_id: int) -> SshKeyInfo:
        """Remove one of this lifter's keys; NotFoundError for a key that is not theirs. Sessions
        already open with it go on; new connections with it are refused."""
        with self._tx(write=True) as s:
            row = s.get(SshKey, key_id) if isinstance(key_id, int) and not isinstance(key_id, bool) else None
            if row is None or row.user_id != self.user_id:
                raise NotFoundError(NO_SUCH_KEY)
            info = _info(row)
            s.delete(row)
            return info


class SshKeyDirectory(ServiceBase):
    """The server's lookups: whose key a fingerprint is. Not per lifter: it answers for any key,
    and only with the owner's id and username."""

    def owner(self, fingerprint: str) -> KeyOwner | None:
        if not isinstance(fingerprint, str) or not fingerprint.startswith("SHA256:") or len(fingerprint) > 100:
            return None
        with self._tx() as s:
            row = s.execute(
                select(SshKey.id, SshKey.user_id, User.username)
                .join(User, User.id == SshKey.user_id)
                .where(SshKey.fingerprint == fingerprint)
            ).first()
            return KeyOwner(key_id=row[0], user_id=row[1], username=row[2]) if row else None

    def mark_used(self, fingerprint: str) -> None:
        """Stamp ``last_used_at`` on the key with this fingerprint (if it still exists)."""
        with self._tx(write=True) as s:
            row = s.scalar(select(SshKey).where(SshKey.fingerprint == fingerprint))
            if row is not None:
                row.last_used_at = _now()
