"""Accounts, passwords (bcrypt) and log-in tokens (JWT, HS256)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bcrypt
import jwt
from sqlalchemy import delete, func, or_, select

from overload_tui import paths
from overload_tui.db.engine import Database
from overload_tui.db.models import Session, Template, User
from overload_tui.domain.errors import AuthError, ConflictError, NotFoundError, OverloadError
from overload_tui.domain.validation import (
    DISPLAY_NAME_MAX,
    clean_name,
    validate_email,
    validate_password,
    validate_username,
)
from overload_tui.services.base import ServiceBase
from overload_tui.services.dto import LoginResult, UserInfo

BCRYPT_ROUNDS = 12
TOKEN_TTL = timedelta(days=30)
ALGORITHM = "HS256"
LOGIN_FAILED = "Wrong username, email or password."
TOKEN_INVALID = "Your saved log-in is no longer valid. Please log in again."
# A cost-12 hash of a random password: checked against when the user does not exist, so an
# unknown name takes as long as a wrong password.
_DUMMY_HASH = b"$2b$12$rlZh9FDda.qf2AHQTdZZ1e7UdUStTRL1.qwNOYwC4vsnI9DH18CpW"


class InsecureFileError(OverloadError):
    """A secret or token file that others can read."""


def _to_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, email=user.email, name=user.name)


def _fingerprint(password_hash: str | None) -> str:
    """Changes whenever the password does, so older tokens stop working."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def write_private_file(path: Path, data: str) -> None:
    """Write a file only its owner can read (0600), replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_private_file(path: Path) -> str | None:
    """The file's text, or None if absent. Refuses a file that group or others can read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureFileError(
            f"{path} can be read by other users; refusing to use it. Run: chmod 600 {path}"
        )
    return path.read_text().strip()


def load_secret(directory: Path | None = None) -> str:
    """$OVERLOAD_SECRET_KEY, else a key generated once into a 0600 file in the data directory."""
    env = os.environ.get("OVERLOAD_SECRET_KEY")
    if env:
        return env
    path = (directory or paths.data_dir()) / "secret.key"
    existing = read_private_file(path)
    if existing:
        return existing
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return read_private_file(path) or key
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class TokenStore:
    """The saved log-in of this terminal user, one per database."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_database(cls, db: Database, directory: Path | None = None) -> TokenStore:
        key = hashlib.sha256(db.url.render_as_string(hide_password=False).encode()).hexdigest()[:12]
        return cls((directory or paths.data_dir()) / f"token-{key}")

    def load(self) -> str | None:
        return read_private_file(self.path)

    def save(self, token: str) -> None:
        write_private_file(self.path, token)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class AuthService(ServiceBase):
    def __init__(
        self,
        db: Database,
        secret: str,
        *,
        bcrypt_rounds: int = BCRYPT_ROUNDS,
        token_ttl: timedelta = TOKEN_TTL,
    ) -> None:
        super().__init__(db)
        if not secret:
            raise ValueError("a secret key is required")
        self._secret = secret
        self._rounds = bcrypt_rounds
        self._ttl = token_ttl

    # -- passwords -------------------------------------------------------------------------
    def _hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self._rounds)).decode()

    @staticmethod
    def _check(password: str, password_hash: str | None) -> bool:
        target = password_hash.encode() if password_hash else _DUMMY_HASH
        try:
            ok = bcrypt.checkpw(password.encode()[:72], target)
        except ValueError:
            ok = False
        return ok and password_hash is not None

    # -- accounts --------------------------------------------------------------------------
    def register(self, username: str, email: str, password: str, name: str | None = None) -> UserInfo:
        username = validate_username(username)
        email = validate_email(email).lower()
        password = validate_password(password)
        display = clean_name(name, "Name", DISPLAY_NAME_MAX) if name and name.strip() else None
        password_hash = self._hash(password)
        with self._tx(write=True) as s:
            clash = s.scalar(
                select(User.username).where(
                    or_(func.lower(User.username) == username.lower(), User.email == email)
                )
            )
            if clash is not None:
                if clash.lower() == username.lower():
                    raise ConflictError(f"The username {username!r} is taken.")
                raise ConflictError("An account with that email already exists.")
            user = User(username=username, email=email, name=display, password_hash=password_hash)
            s.add(user)
            s.flush()
            return _to_info(user)

    def _find(self, s, identifier: str) -> User | None:
        ident = (identifier or "").strip()
        if "@" in ident:
            return s.scalar(select(User).where(User.email == ident.lower()))
        return s.scalar(select(User).where(func.lower(User.username) == ident.lower()))

    def authenticate(self, identifier: str, password: str) -> UserInfo:
        """The user for these credentials; one generic error for any failure."""
        with self._tx() as s:
            user = self._find(s, identifier)
            password_hash = user.password_hash if user else None
            info = _to_info(user) if user else None
        if not self._check(password or "", password_hash) or info is None:
            raise AuthError(LOGIN_FAILED)
        return info

    def login(self, identifier: str, password: str) -> LoginResult:
        user = self.authenticate(identifier, password)
        return LoginResult(user=user, token=self.issue_token(user.id))

    def change_password(self, user_id: int, old_password: str, new_password: str) -> str:
        """Change the password after checking the old one. Returns a fresh token."""
        new_password = validate_password(new_password)
        with self._tx() as s:
            user = s.get(User, user_id)
            current = user.password_hash if user else None
        if not self._check(old_password or "", current):
            raise AuthError("The current password is wrong.")
        self._store_password(user_id, new_password)
        return self.issue_token(user_id)

    def set_password(self, username: str, new_password: str) -> UserInfo:
        """Admin reset from the command line: no old password needed."""
        new_password = validate_password(new_password)
        with self._tx() as s:
            user = self._find(s, username)
            if user is None:
                raise NotFoundError(f"No user named {username!r}.")
            user_id = user.id
        return self._store_password(user_id, new_password)

    def _store_password(self, user_id: int, password: str) -> UserInfo:
        password_hash = self._hash(password)
        with self._tx(write=True) as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFoundError("That account no longer exists.")
            user.password_hash = password_hash
            return _to_info(user)

    def delete_account(self, user_id: int, password: str) -> None:
        """Delete the account and, by cascade, everything it owns."""
        with self._tx() as s:
            user = s.get(User, user_id)
            current = user.password_hash if user else None
        if not self._check(password or "", current):
            raise AuthError("The password is wrong; nothing was deleted.")
        with self._tx(write=True) as s:
            # Workouts and templates first: they may use the user's custom exercises, which the
            # user's row cascades to, and exercise_sessions.exercise_id is ON DELETE RESTRICT
            # (checked at once on PostgreSQL, whatever order the cascades would run in).
            s.execute(delete(Session).where(Session.user_id == user_id))
            s.execute(delete(Template).where(Template.user_id == user_id))
            s.execute(delete(User).where(User.id == user_id))

    def get_user(self, user_id: int) -> UserInfo:
        with self._tx() as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFoundError("That account no longer exists.")
            return _to_info(user)

    def list_users(self) -> list[UserInfo]:
        with self._tx() as s:
            return [_to_info(u) for u in s.scalars(select(User).order_by(User.username))]

    # -- tokens ----------------------------------------------------------------------------
    def issue_token(self, user_id: int) -> str:
        with self._tx() as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFoundError("That account no longer exists.")
            pwv = _fingerprint(user.password_hash)
        now = datetime.now(UTC)
        claims = {"sub": str(user_id), "iat": now, "exp": now + self._ttl, "pwv": pwv}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify_token(self, token: str) -> UserInfo:
        """The user a token stands for; AuthError if it is tampered, expired or out of date."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={"require": ["sub", "iat", "exp"]},
            )
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, ValueError, TypeError):
            raise AuthError(TOKEN_INVALID) from None
        with self._tx() as s:
            user = s.get(User, user_id)
            if user is None or not hmac.compare_digest(
                str(claims.get("pwv", "")), _fingerprint(user.password_hash)
            ):
                raise AuthError(TOKEN_INVALID)
            return _to_info(user)
