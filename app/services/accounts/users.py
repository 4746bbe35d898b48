"""Accounts: finding users by email, registration and sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, User
from app.models.base import utcnow
from app.services import audit
from app.services.accounts.passwords import (
    AccountError,
    _dummy_hash,
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.services.accounts.profile import clean_print_name


def normalize_email(email: str) -> str:
    return email.strip().lower()


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
    """Create a learner account (flushed); raises AccountError if the email is taken."""
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
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches an active account; None otherwise, in equal time.

    Notes the sign-in (and upgrades an old hash) in the caller's transaction.
    """
    user = find_user_by_email(email)
    stored = user.password_hash if user else _dummy_hash()
    if not verify_password(stored, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
