"""Registration that tells a prober nothing: the same answer, the same work, for any e-mail.

A new address gets an account that waits for its e-mail link (``confirm_email``) before it can
sign in; an address that already has an account gets a message saying so, with a reset link.
Either way the caller shows "check your e-mail", and both paths hash the password, so neither
the page nor its timing says which happened. Without the wait, "register, then sign in with the
password just chosen" would still tell whether the address was free.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import Role, User
from app.services import audit
from app.services.accounts.passwords import check_password_rules, hash_password
from app.services.accounts.profile import clean_print_name
from app.services.accounts.resets import reset_url
from app.services.accounts.users import NewAccount, find_user_by_email, normalize_email
from app.urls import external_url

CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link works


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def confirm_url(user: User) -> str:
    return external_url("auth.confirm_email", token=_serializer().dumps({"uid": user.id}))


def register(data: NewAccount, roles: tuple[Role, ...] = (Role.LEARNER,)) -> None:
    """Register `data` (flushed) or, if the e-mail has an account, mail its owner; returns
    nothing, so no caller can answer differently. Raises AccountError / ProfileError for a bad
    password or name, checked before the e-mail is looked up."""
    from app.services.jobs import queue_mail

    email = normalize_email(data.email)
    check_password_rules(data.password, email=email)
    print_name = clean_print_name(data.print_name)
    password_hash = hash_password(data.password)  # on both paths: equal time
    existing = find_user_by_email(email)
    if existing is not None:
        audit.record("account.register_existing", actor=None, subject=f"user:{existing.id}")
        if existing.is_active_account:
            queue_mail(
                existing.email,
                "You already have a PostRx account",
                f"Hello {existing.print_name},\n\nSomeone tried to register a new PostRx "
                "account with this e-mail address, but you already have one. If you have "
                f"forgotten its password, reset it here:\n\n{reset_url(existing)}\n\n"
                "If it was not you, ignore this message; nothing has changed.\n",
            )
        return
    user = User(
        email=email,
        password_hash=password_hash,
        print_name=print_name,
        credentials=data.credentials.strip(),
        profession=data.profession,
        licence_number=(data.licence_number or "").strip() or None,
        licence_state=(data.licence_state or "").strip() or None,
        awaiting_confirmation=True,
    )
    for role in roles:
        user.grant(role)
    db.session.add(user)
    db.session.flush()
    audit.record("account.register", actor=user, subject=f"user:{user.id}")
    days = CONFIRM_MAX_AGE // 86400
    queue_mail(
        user.email,
        "Confirm your PostRx account",
        f"Hello {user.print_name},\n\nWelcome to PostRx. Open this link within {days} days "
        f"to confirm your e-mail address and sign in:\n\n{confirm_url(user)}\n\n"
        "If you did not register, ignore this message; the account stays unusable.\n",
    )


def confirm_email(token: str) -> User | None:
    """The account a confirmation link unlocks (now confirmed), or None if the link is
    invalid, expired or already used (a used link is not a sign-in link)."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.awaiting_confirmation or not user.is_active_account:
        return None
    user.awaiting_confirmation = False
    audit.record("account.confirm", actor=user, subject=f"user:{user.id}")
    return user
