"""API tokens: created and revoked by an institution admin, shown once, stored as sha256.

A token is `prx_` + 43 url-safe characters (256 random bits). Only its sha256 is stored, so a
database leak does not leak working tokens; a high-entropy secret needs no slow hash.

Nothing here commits: the token views wrap each call in `app.db_tx.transaction()`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from app.extensions import db
from app.models import Institution, User
from app.models.base import utcnow
from app.models.org import ApiToken
from app.services import audit
from app.services.institutions import InstitutionError

TOKEN_PREFIX = "prx_"


class TokenNotFound(LookupError):
    """No such token in this institution (another institution's looks the same: a 404)."""


def hash_token(token: str) -> str:
    """What is stored and looked up: the token's sha256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewToken:
    """The stored row and the secret, which is shown to the admin exactly once."""

    row: ApiToken
    secret: str


def create_token(org: Institution, actor: User, name: str) -> NewToken:
    """A new token named `name` for `org`, audited; the caller commits, then shows the secret."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise InstitutionError("Name the token (up to 100 characters).", "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        institution_id=org.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record("api.token_create", actor=actor, subject=f"api_token:{row.id}")
    return NewToken(row, secret)


def list_tokens(org: Institution) -> list[ApiToken]:
    """The institution's tokens, newest first, revoked ones included (the admin page)."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.institution_id == org.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(org: Institution, actor: User, token_id: int) -> None:
    """Revoke one of `org`'s tokens (again is a no-op); TokenNotFound if it is not theirs."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.institution_id != org.id:
        raise TokenNotFound(f"No API token {token_id} in {org.slug}.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("api.token_revoke", actor=actor, subject=f"api_token:{row.id}")


def institution_for_token(secret: str) -> Institution | None:
    """The institution a live bearer token belongs to, or None; notes its use (at most once a
    minute) in the caller's transaction."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    row = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    now = utcnow()
    last = row.last_used_at
    if (
        last is None
        or (now - (last if last.tzinfo else last.replace(tzinfo=now.tzinfo))).total_seconds() > 60
    ):
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return db.session.get(Institution, row.institution_id)
