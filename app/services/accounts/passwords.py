"""Passwords: hashing (argon2), the rules a new password must meet, and changing one.

A new password also ends every reset link issued before it (see ``resets``) and every other
signed-in session of the account (see ``sessions``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.models import User
from app.models.base import utcnow
from app.services import audit
from app.services.accounts.sessions import end_all_sessions

_hasher = PasswordHasher()
# Verifying against this keeps sign-in timing the same for unknown emails.
_dummy: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist (equal timing).

    Made on first use, not at import: an argon2 hash takes 64 MiB for a moment, which every
    process importing the app (CLI exports, workers) would otherwise pay at start-up.
    """
    params = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    key = repr(params)
    if key not in _dummy:
        _dummy[key] = _hasher.hash("postrx-timing-equaliser")
    return _dummy[key]


MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A rule about accounts was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, *, email: str = "") -> None:
    """Reject passwords that are short or obviously guessable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"Use at least {MIN_PASSWORD_LENGTH} characters for your password.", "password"
        )
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in password.lower():
        raise AccountError("Your password must not contain your email address.", "password")
    if len(set(password)) < 4:
        raise AccountError("Your password is too repetitive; mix more characters.", "password")


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches the argon2 `stored_hash` (False for a malformed hash)."""
    try:
        _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return True


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with older (weaker) parameters than the current ones."""
    return _hasher.check_needs_rehash(stored_hash)


def set_password(
    user: User,
    new_password: str,
    *,
    actor: User | None,
    reason: str,
    keep_session: str | None = None,
) -> None:
    """Set a new password (audited): reset links made before it stop working, and every
    session of the account ends except `keep_session` (whoever knew the old one is out)."""
    check_password_rules(new_password, email=user.email)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    ended = end_all_sessions(user, keep=keep_session)
    audit.record(
        "account.password", actor=actor, subject=f"user:{user.id}", reason=reason, ended=ended
    )


def change_password(user: User, current: str, new: str) -> None:
    """Change a signed-in user's password; the session that changed it stays signed in."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.", "current_password")
    set_password(user, new, actor=user, reason="changed", keep_session=user.session_key)
