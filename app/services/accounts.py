"""Account rules: registration, sign-in, passwords and reset tokens.

Views call these functions and never touch password hashes or tokens themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, User
from app.models.base import utcnow
from app.services import audit
from app.services.mail import send_mail
from app.services.profile import clean_print_name
from app.urls import external_url

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


def normalize_email(email: str) -> str:
    return email.strip().lower()


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


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


@dataclass(frozen=True, slots=True)
class NewAccount:
    email: str
    password: str
    print_name: str
    credentials: str = ""
    profession: str = "other"
    licence_number: str | None = None
    licence_state: str | None = None


def register(data: NewAccount, roles: tuple[Role, ...] = (Role.LEARNER,)) -> User:
    """Create a learner account in one transaction; raises AccountError if the email is taken."""
    email = normalize_email(data.email)
    check_password_rules(data.password, email=email)
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this email already exists. Sign in instead.", "email")
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        print_name=clean_print_name(data.print_name),
        credentials=data.credentials.strip(),
        profession=data.profession,
        licence_number=(data.licence_number or "").strip() or None,
        licence_state=(data.licence_state or "").strip() or None,
    )
    for role in roles:
        user.grant(role)
    db.session.add(user)
    db.session.flush()
    audit.record("account.register", actor=user, subject=f"user:{user.id}")
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches an active account; None otherwise, in equal time."""
    user = find_user_by_email(email)
    stored = user.password_hash if user else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, new_password: str, *, actor: User | None, reason: str) -> None:
    check_password_rules(new_password, email=user.email)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    audit.record("account.password", actor=actor, subject=f"user:{user.id}", reason=reason)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    try:
        _hasher.verify(user.password_hash, current)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise AccountError("Your current password is not correct.", "current_password") from None
    set_password(user, new, actor=user, reason="changed")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A signed token that stops working once the password changes (so it is single-use)."""
    return _serializer().dumps({"uid": user.id, "pw": user.password_hash[-16:]})


def reset_url(user: User) -> str:
    return external_url("auth.reset_password", token=reset_token(user))


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_hash[-16:] != data.get("pw") or not user.is_active:
        return None
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way to the requester."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_mail(
        user.email,
        "Reset your PostRx password",
        f"Hello {user.print_name},\n\nSomeone asked to reset the password of your PostRx "
        f"account. If it was you, open this link within {minutes} minutes:\n\n"
        f"{reset_url(user)}\n\nIf it was not you, ignore this message; your password stays "
        "the same.\n",
    )
