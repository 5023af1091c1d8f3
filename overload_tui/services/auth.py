"""Accounts, passwords (bcrypt) and log-in tokens (JWT, HS256).

Brute force: every password check is first counted in ``login_attempts`` under a *subject*: for
an existing account the SHA-256 of its id (``account_subject``: username and email share one
counter), for a name no account has the SHA-256 of the lower-cased identifier typed (never the
password, never the name in clear). The
row is written before the password is checked and deleted when it was right, so what stays are
failures (and checks cut short by a crash). Counting and recording happen in one transaction
that is serialised per subject (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
processes hammering one account in parallel each see the others' attempts.

Failures count as one run until the subject has been quiet for ``THROTTLE_WINDOW`` (15 min).
From the ``THROTTLE_FREE_FAILURES``-th (5th) failure of a run on, the subject is refused for
2^(n-5) s after its latest failure, capped at ``THROTTLE_MAX_DELAY`` (5 min); since the cap is
shorter than the window, a patient guesser stays at one guess per 5 minutes. Refusals do not
look at the password or the account, so unknown names are throttled exactly like real ones. A
right password clears the subject; runs that ended more than a window ago are pruned as
attempts come in.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bcrypt
import jwt
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import aliased

from overload_tui import paths
from overload_tui.paths import InsecureFileError, read_private_file, write_private_file
from overload_tui.db import roles
from overload_tui.db.engine import Database
from overload_tui.db.models import LoginAttempt, Session, Template, User, UserSetting
from overload_tui.domain.errors import AuthError, ConflictError, NotFoundError, OverloadError, ValidationError
from overload_tui.domain.units import WeightUnit
from overload_tui.domain.validation import (
    DISPLAY_NAME_MAX,
    clean_name,
    validate_email,
    validate_password,
    validate_username,
)
from overload_tui.services.base import ServiceBase
from overload_tui.services.dto import LoginResult, UserInfo
from overload_tui.services.settings import SettingsValidationError, initial_rows

BCRYPT_ROUNDS = 12
SECRET_MIN_BYTES = 32
TOKEN_TTL = timedelta(days=30)
ALGORITHM = "HS256"
LOGIN_FAILED = "Wrong username, email or password."
TOKEN_INVALID = "Your saved log-in is no longer valid. Please log in again."
LOGIN_THROTTLED = "Too many failed log-ins for this account; try again in {wait}."
PASSWORD_THROTTLED = "Too many wrong passwords for this account; try again in {wait}."
THROTTLE_FREE_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_MAX_DELAY = timedelta(minutes=5)
_PRUNE_BATCH = 500
# A cost-12 hash of a random password: checked against when the user does not exist, so an
# unknown name takes as long as a wrong password.
_DUMMY_HASH = b"$2b$12$rlZh9FDda.qf2AHQTdZZ1e7UdUStTRL1.qwNOYwC4vsnI9DH18CpW"


def utc_now() -> datetime:
    """Naive UTC: the throttle compares times written by processes that may use other time zones."""
    return datetime.now(UTC).replace(tzinfo=None)


def login_subject(identifier: object) -> str:
    """What failed attempts are counted under: a hash of the identifier as the lookup reads it."""
    text = "" if identifier is None else str(identifier)
    return hashlib.sha256(text.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def account_subject(user_id: int) -> str:
    """What failed attempts on an existing account are counted under, whichever identifier
    (username or email) was typed: one counter per account."""
    return hashlib.sha256(f"account:{int(user_id)}".encode()).hexdigest()


def throttle_delay(failures: int) -> timedelta:
    """How long after its latest failure a subject with ``failures`` recent failures must wait."""
    if failures < THROTTLE_FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - THROTTLE_FREE_FAILURES, 30)), THROTTLE_MAX_DELAY)


def _wait_text(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _storable(text: str) -> bool:
    """False for text no account can have, and some drivers refuse (NUL, lone surrogates)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _to_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, email=user.email, name=user.name)


def _fingerprint(secret: str, password_hash: str | None) -> str:
    """The password version a token carries: changes whenever the password does, so older
    tokens stop working. Keyed with the secret (which is not in the database), so what the
    database holds is not enough to make a token's claims."""
    key = secret.encode("utf-8", "surrogatepass")
    return hmac.new(key, (password_hash or "").encode(), hashlib.sha256).hexdigest()[:32]


class WeakSecretError(OverloadError):
    """A secret key too short to sign log-ins with. ``source``: "OVERLOAD_SECRET_KEY" or the key
    file's path; ``length``: its length in bytes; ``minimum``: SECRET_MIN_BYTES."""

    def __init__(self, source: str, length: int) -> None:
        self.source, self.length, self.minimum = source, length, SECRET_MIN_BYTES
        what = "is empty" if length == 0 else f"is {length} bytes long"
        super().__init__(" ".join(
            f"The secret key in {source} {what}; it must be at least {SECRET_MIN_BYTES} bytes."
            .split()))


def _strong(key: str, source: str) -> str:
    length = len(key.encode("utf-8", "surrogatepass"))
    if length < SECRET_MIN_BYTES:
        raise WeakSecretError(source, length)
    return key


def _secret_fix(path: Path) -> str:
    return (f"move it out of the way (mv {path} {path}.broken) and overload makes a new key (saved"
            f" log-ins then end), or set OVERLOAD_SECRET_KEY")


def load_secret(directory: Path | None = None) -> str:
    """$OVERLOAD_SECRET_KEY, else a key generated once into a 0600 file in the data directory.

    A key under SECRET_MIN_BYTES (32) bytes is refused (WeakSecretError), an empty one too (a
    set but empty variable, an empty key file). Without ``directory``, the data directory is
    made or refused by ``paths.data_dir``.
    """
    env = os.environ.get("OVERLOAD_SECRET_KEY")
    if env is not None:
        return _strong(env, "OVERLOAD_SECRET_KEY")
    directory = directory if directory is not None else paths.data_dir()
    path = directory / "secret.key"
    existing = read_private_file(path, _secret_fix(path))
    if existing is not None:
        return _strong(existing, str(path))
    key = secrets.token_urlsafe(48)
    # Written whole (0600, fsync'd) under another name, then linked into place: another process
    # never reads a half-written key, and of two racing processes one key wins.
    tmp = directory / f".secret.key.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    except FileExistsError:  # another process created it first: use theirs
        return _strong(read_private_file(path, _secret_fix(path)) or "", str(path))
    finally:
        tmp.unlink(missing_ok=True)
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
        """The saved token, None if there is none; UnreadableFileError (one line: the path and
        what to do) if the file is a directory, a FIFO or cannot be read."""
        return read_private_file(self.path, f"remove it (rm -r {self.path}) and log in again")

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
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(db)
        _strong(secret, "the secret key given")  # WeakSecretError under SECRET_MIN_BYTES, like load_secret
        self._secret = secret
        self._rounds = bcrypt_rounds
        self._ttl = token_ttl
        self._now = now  # naive UTC; None means utc_now (tests pass a fake clock)

    def __repr__(self) -> str:  # never the secret
        return f"{type(self).__name__}({self.db.url.render_as_string(hide_password=True)!r})"

    def _clock(self) -> datetime:
        return (self._now or utc_now)()

    # -- passwords -------------------------------------------------------------------------
    def _hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self._rounds)).decode()

    @staticmethod
    def _check(password: str, password_hash: str | None) -> bool:
        """Whether ``password`` is right. A password no account can have (a NUL in it: see
        validate_password) is wrong, after the same bcrypt work as any other."""
        text = str(password)
        target = password_hash.encode() if password_hash else _DUMMY_HASH
        if "\x00" in text:
            text, target = text.replace("\x00", ""), _DUMMY_HASH
        try:
            ok = bcrypt.checkpw(text.encode("utf-8", "surrogatepass")[:72], target)
        except ValueError:
            ok = False
        return ok and password_hash is not None and target is not _DUMMY_HASH

    # -- accounts --------------------------------------------------------------------------
    def register(
        self, username: str, email: str, password: str, name: str | None = None,
        unit: WeightUnit | str = WeightUnit.KG,
    ) -> UserInfo:
        """A new account; ``unit`` (kg or lbs: how they lift) is its ``weight_unit`` setting,
        written in the same transaction. ValidationError (with its field) or ConflictError."""
        username = validate_username(username)
        email = validate_email(email).lower()
        password = validate_password(password)
        display = clean_name(name, "Name", DISPLAY_NAME_MAX, field="name") if name and name.strip() else None
        try:
            settings = initial_rows(weight_unit=unit)
        except SettingsValidationError as error:
            raise ValidationError(str(error), field="weight_unit") from None
        password_hash = self._hash(password)
        with self._tx(write=True) as s:
            clash = s.scalar(
                select(User.username).where(
                    or_(func.lower(User.username) == username.lower(), User.email == email)
                )
            )
            if clash is not None:
                if clash.lower() == username.lower():
                    raise ConflictError(f"The username {username!r} is taken.", field="username")
                raise ConflictError("An account with that email already exists.", field="email")
            user = User(username=username, email=email, name=display, password_hash=password_hash)
            s.add(user)
            s.flush()
            s.add_all(UserSetting(user_id=user.id, key=key, value=value) for key, value in settings.items())
            return _to_info(user)

    # -- throttling ------------------------------------------------------------------------
    def _begin_attempt(self, subject: str, message: str) -> None:
        """Count a password check against ``subject``, or refuse it while the subject waits."""
        now = self._clock()
        cutoff = now - THROTTLE_WINDOW
        with self._tx(write=True) as s:
            if not self.db.is_sqlite:  # one attempt at a time per subject, across processes
                key = int.from_bytes(bytes.fromhex(subject[:16]), "big", signed=True)
                s.execute(select(func.pg_advisory_xact_lock(key)))
            failures, latest = s.execute(
                select(func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at)).where(
                    LoginAttempt.subject == subject
                )
            ).one()
            if latest is not None and latest < cutoff:  # quiet for a whole window: start afresh
                s.execute(delete(LoginAttempt).where(LoginAttempt.subject == subject))
                failures = 0
            delay = throttle_delay(failures)
            if delay and latest is not None:
                remaining = min(latest + delay - now, delay).total_seconds()
                if remaining > 0:
                    raise AuthError(message.format(wait=_wait_text(remaining)))
            s.add(LoginAttempt(subject=subject, attempted_at=now))
            # Other subjects' finished runs: old rows with no recent row of the same subject.
            old, recent = aliased(LoginAttempt), aliased(LoginAttempt)
            stale = (
                select(old.id)
                .where(
                    old.attempted_at < cutoff,
                    ~select(recent.id)
                    .where(recent.subject == old.subject, recent.attempted_at >= cutoff)
                    .exists(),
                )
                .limit(_PRUNE_BATCH)
                .with_for_update(of=old, skip_locked=True)
            )
            s.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(stale)))

    def _clear_attempts(self, *subjects: str) -> None:
        with self._tx(write=True) as s:
            s.execute(delete(LoginAttempt).where(LoginAttempt.subject.in_(subjects)))

    def _checked(self, subject: str, message: str, password: object, password_hash: str | None) -> bool:
        """A throttled password check: AuthError while throttled, else whether it is right."""
        self._begin_attempt(subject, message)
        ok = self._check("" if password is None else str(password), password_hash)
        if ok:
            self._clear_attempts(subject)
        return ok

    def _find(self, s, identifier: str) -> User | None:
        ident = ("" if identifier is None else str(identifier)).strip()
        if not _storable(ident):
            return None
        if "@" in ident:
            return s.scalar(select(User).where(User.email == ident.lower()))
        return s.scalar(select(User).where(func.lower(User.username) == ident.lower()))

    def authenticate(self, identifier: str, password: str) -> UserInfo:
        """The user for these credentials; one generic error for any failure.

        Failures are counted per account (``account_subject``: its username and its email share
        one counter), and per identifier typed for names no account has. The count is taken
        before the password is checked, and a refusal looks at neither the password nor
        whether the account exists."""
        with self._tx() as s:
            user = self._find(s, identifier)
            password_hash = user.password_hash if user else None
            info = _to_info(user) if user else None
            # A lifter's own PostgreSQL role (db.roles) sees no other account, so a name it does
            # not find has nothing to guess; its policy lets it count its own account only.
            uncounted = info is None and roles.rows_limited(s.connection())
        subject = account_subject(info.id) if info is not None else login_subject(identifier)
        if not uncounted:
            self._begin_attempt(subject, LOGIN_THROTTLED)
        if not self._check("" if password is None else str(password), password_hash) or info is None:
            raise AuthError(LOGIN_FAILED)
        self._clear_attempts(subject)
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
        subject = account_subject(user_id)
        if not self._checked(subject, PASSWORD_THROTTLED, old_password, current):
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
            # The account's counter, and those of its names from before counting per account.
            subjects = (account_subject(user.id), login_subject(user.username), login_subject(user.email))
        info = self._store_password(user_id, new_password)
        self._clear_attempts(*subjects)  # an admin reset also lifts a lock-out
        return info

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
        subject = account_subject(user_id)
        if not self._checked(subject, PASSWORD_THROTTLED, password, current):
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

    def find_user(self, username: str) -> UserInfo:
        """The account with this username or email (admin commands); NotFoundError if none."""
        with self._tx() as s:
            user = self._find(s, username)
            if user is None:
                raise NotFoundError(f"There is no user called {username!r} (see: overload user list).")
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
            pwv = _fingerprint(self._secret, user.password_hash)
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
                str(claims.get("pwv", "")), _fingerprint(self._secret, user.password_hash)
            ):
                raise AuthError(TOKEN_INVALID)
            return _to_info(user)
