"""Password resets: signed, time-limited, single-use links sent by mail."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User
from app.services.accounts.passwords import set_password
from app.services.accounts.users import find_user_by_email
from app.urls import external_url


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


def reset_password(user: User, new_password: str) -> None:
    """Set the password from a reset link: every session of the account ends, and an account
    still waiting for its confirmation link is confirmed (the reset link proves the address)."""
    set_password(user, new_password, actor=user, reason="reset")
    user.awaiting_confirmation = False


def request_password_reset(email: str) -> None:
    """Queue a reset link if the account exists; say nothing either way to the requester.

    The message goes out from a worker after the caller commits (app.services.jobs.queue_mail).
    """
    from app.services.jobs import queue_mail

    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    queue_mail(
        user.email,
        "Reset your PostRx password",
        f"Hello {user.print_name},\n\nSomeone asked to reset the password of your PostRx "
        f"account. If it was you, open this link within {minutes} minutes:\n\n"
        f"{reset_url(user)}\n\nIf it was not you, ignore this message; your password stays "
        "the same.\n",
    )
