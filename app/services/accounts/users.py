"""Accounts: finding users by email and sign-in (registration is in ``registration``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.services.accounts.passwords import (
    _dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.services.accounts.sessions import start_session


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


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches an active account; None otherwise, in equal time.

    Notes the sign-in (and upgrades an old hash) in the caller's transaction.
    """
    user = find_user_by_email(email)
    stored = user.password_hash if user else _dummy_hash()
    if not verify_password(stored, password):
        return None
    if user is None or not user.is_active or user.awaiting_confirmation:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def sign_in(email: str, password: str) -> User | None:
    """Authenticate and, on success, start a server-side session (``user.session_key``)."""
    user = authenticate(email, password)
    if user is not None:
        start_session(user)
    return user
