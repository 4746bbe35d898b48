"""Invite links: created and revoked by an admin, used by a signed-in person to join."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from app.extensions import db
from app.models import Institution, Membership, User
from app.models.base import utcnow
from app.models.org import Invite
from app.services import audit
from app.services.institutions.common import InstitutionError, InstitutionNotFound, aware
from app.services.institutions.departments import department_of


def create_invite(
    org: Institution,
    actor: User,
    *,
    department_id: int | None = None,
    days_valid: int = 14,
    max_uses: int | None = None,
    now: datetime | None = None,
) -> Invite:
    """A new join code (about 128 random bits, so codes cannot be guessed)."""
    if not 1 <= days_valid <= 365:
        raise InstitutionError("An invite can be valid for 1 to 365 days.", "days_valid")
    if max_uses is not None and max_uses < 1:
        raise InstitutionError("Allow at least one use, or leave the limit empty.", "max_uses")
    dept = department_of(org, department_id)
    now = now or utcnow()
    invite = Invite(
        institution_id=org.id,
        department_id=dept.id if dept else None,
        code=secrets.token_urlsafe(16),
        expires_at=now + timedelta(days=days_valid),
        max_uses=max_uses,
        uses=0,
        created_by_id=actor.id,
    )
    db.session.add(invite)
    db.session.flush()
    audit.record("org.invite", actor=actor, subject=f"invite:{invite.id}", institution_id=org.id)
    return invite


def list_invites(org: Institution) -> list[Invite]:
    """The institution's invites, newest first."""
    return list(
        db.session.scalars(
            select(Invite).where(Invite.institution_id == org.id).order_by(Invite.id.desc())
        )
    )


def revoke_invite(org: Institution, actor: User, invite_id: int) -> None:
    """Stop an invite working; another institution's invite is InstitutionNotFound."""
    invite = db.session.get(Invite, invite_id)
    if invite is None or invite.institution_id != org.id:
        raise InstitutionNotFound(f"invite {invite_id}")
    invite.revoked_at = utcnow()
    audit.record("org.invite_revoke", actor=actor, subject=f"invite:{invite.id}")
    db.session.flush()


def invite_problem(invite: Invite | None, now: datetime | None = None) -> str | None:
    """Why an invite cannot be used, or None if it can."""
    now = now or utcnow()
    if invite is None or invite.revoked_at is not None:
        return "This invite link is not valid. Ask your institution for a new one."
    if aware(invite.expires_at) <= now:
        return "This invite link has expired. Ask your institution for a new one."
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return "This invite link has been used as many times as allowed."
    return None


def invite_by_code(code: str) -> Invite | None:
    """The invite with this code, if any (over-long codes are not looked up)."""
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Invite).where(Invite.code == code))


def join_with_invite(user: User, code: str, now: datetime | None = None) -> Membership:
    """Make `user` a member of the invite's institution; a use is counted atomically.

    Raises InstitutionError when the invite cannot be used; nothing has been written then.
    """
    now = now or utcnow()
    invite = invite_by_code(code)
    problem = invite_problem(invite, now)
    if problem:
        raise InstitutionError(problem)
    assert invite is not None
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.institution_id == invite.institution_id
        )
    )
    if existing is not None:
        return existing
    # Count the use with a guarded UPDATE so two people cannot both take the last place.
    # An UPDATE always gives a CursorResult; Session.execute() is typed for any statement.
    claim = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Invite)
            .where(
                Invite.id == invite.id,
                Invite.revoked_at.is_(None),
                Invite.expires_at > now,
                (Invite.max_uses.is_(None)) | (Invite.uses < Invite.max_uses),
            )
            .values(uses=Invite.uses + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    counted = claim.rowcount
    db.session.expire(invite, ["uses"])  # the UPDATE bypassed the identity map
    if counted != 1:
        raise InstitutionError("This invite link has been used as many times as allowed.")
    membership = Membership(
        user_id=user.id, institution_id=invite.institution_id, department_id=invite.department_id
    )
    db.session.add(membership)
    db.session.flush()
    audit.record("org.join", actor=user, subject=f"invite:{invite.id}")
    return membership
