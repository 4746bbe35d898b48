"""The web side of server-side sessions: Flask-Login's user loader and the per-request check.

The loader runs once per request (forced early by ``_load_signed_in_user``, before any view
opens its own transaction), checks the ``user_session`` row behind the cookie and, at most once
a minute, notes the session as seen in a transaction of its own.
"""

from __future__ import annotations

from flask import g, request, session
from flask_login import current_user

from app.auth import bp
from app.db_tx import transaction
from app.models import User
from app.services import accounts


def load_user(ident: str) -> User | None:
    """Flask-Login's user loader for both the session cookie and the remember-me cookie.

    A cookie whose session has ended is forgotten: the session keys go and the remember-me
    cookie is cleared, so the browser stops presenting it.
    """
    user, due = accounts.user_for_session(ident)
    if user is None:
        session.pop("_user_id", None)
        session.pop("_fresh", None)
        session["_remember"] = "clear"
        return None
    if due:
        with transaction():
            accounts.touch_session(user)
    return user


@bp.before_app_request
def _load_signed_in_user() -> None:
    """Check the session at the start of every request, not lazily inside a view."""
    if request.endpoint != "static":
        current_user._get_current_object()


@bp.teardown_app_request
def _forget_signed_in_user(_exc: BaseException | None) -> None:
    """The signed-in user belongs to one request: never reuse it from an outer app context
    (as tests and CLI code hold one), where it would carry another request's session key."""
    g.pop("_login_user", None)
