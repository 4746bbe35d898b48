"""Server-side sign-in sessions: start one at sign-in, check it on every request, end them.

The browser holds ``"<user id>:<key>"`` (Flask-Login's ``get_id()``) in the signed session cookie
and, with "keep me signed in", in the remember-me cookie; the ``user_session`` row holds only the
key's SHA-256. A cookie replayed after its row is gone signs nobody in, on any web host.

- lifetime: ``PERMANENT_SESSION_LIFETIME`` after sign-in, however active the session;
- idle: ``SESSION_IDLE_MINUTES`` (0: no idle limit) since the last request, where "last seen"
  is written at most once a minute (``TOUCH_EVERY``) so most requests cost no write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, update

from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow

TOUCH_EVERY = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _limits() -> tuple[timedelta, timedelta | None]:
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=int(lifetime))
    idle_minutes = float(current_app.config.get("SESSION_IDLE_MINUTES", 0) or 0)
    return lifetime, timedelta(minutes=idle_minutes) if idle_minutes > 0 else None


def start_session(user: User, *, now: datetime | None = None) -> str:
    """A new session for `user` (flushed) and its key, also set as ``user.session_key``.

    Removes the user's own expired sessions on the way, so the table does not grow forever.
    """
    now = now or utcnow()
    lifetime, idle = _limits()
    stale = UserSession.created_at < now - lifetime
    if idle is not None:
        stale = or_(stale, UserSession.last_seen_at < now - idle)
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, stale))
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(key_hash=_hash(key), user_id=user.id, created_at=now, last_seen_at=now)
    )
    db.session.flush()
    user.session_key = key
    return key


def user_for_session(ident: str, *, now: datetime | None = None) -> tuple[User | None, bool]:
    """The user a ``get_id()`` value signs in, and whether its "last seen" is due a write
    (``touch_session``); reads only. None for a malformed value (every cookie from before
    server-side sessions), an ended or expired session, or a disabled account."""
    user_id, sep, key = ident.partition(":")
    if not sep or not key or not user_id.isdigit():
        return None, False
    row = db.session.get(UserSession, _hash(key))
    if row is None or row.user_id != int(user_id):
        return None, False
    now = now or utcnow()
    lifetime, idle = _limits()
    last_seen = _aware(row.last_seen_at)
    if _aware(row.created_at) + lifetime < now or (idle is not None and last_seen + idle < now):
        return None, False
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active_account or user.awaiting_confirmation:
        return None, False
    user.session_key = key
    return user, now - last_seen >= TOUCH_EVERY


def touch_session(user: User, *, now: datetime | None = None) -> None:
    """Note that the session `user` was loaded for is in use (at most once a minute)."""
    if user.session_key:
        db.session.execute(
            update(UserSession)
            .where(UserSession.key_hash == _hash(user.session_key))
            .values(last_seen_at=now or utcnow())
        )


def end_session(user: User) -> None:
    """End the session `user` was loaded for (sign-out); its remember-me cookie dies with it."""
    if user.session_key:
        db.session.execute(
            delete(UserSession).where(UserSession.key_hash == _hash(user.session_key))
        )


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of the account, except the one with key `keep`; how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.key_hash != _hash(keep))
    result = db.session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired_sessions(*, now: datetime | None = None) -> int:
    """Delete every account's sessions past their lifetime or idle limit (the hourly cleanup
    job), so sessions of people who never sign in again do not pile up."""
    now = now or utcnow()
    lifetime, idle = _limits()
    stale = UserSession.created_at < now - lifetime
    if idle is not None:
        stale = or_(stale, UserSession.last_seen_at < now - idle)
    result = db.session.execute(delete(UserSession).where(stale))
    return int(getattr(result, "rowcount", 0) or 0)
