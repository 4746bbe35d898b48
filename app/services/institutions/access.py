"""Who administers which institution, and an admin's view of its members.

Every function takes the institution the caller was authorised for (`admin_institution()`) and
scopes its queries by that id; another institution's ids raise InstitutionNotFound.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.services import audit
from app.services.accounts import reset_url
from app.services.institutions.common import InstitutionError, InstitutionNotFound
from app.services.institutions.roster import UNUSABLE_PREFIX


def admin_institutions(user: User) -> list[Institution]:
    """Institutions `user` administers (site admins: all of them)."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(Institution).order_by(Institution.name)
    if not user.has_role(Role.SITE_ADMIN):
        query = query.join(Membership, Membership.institution_id == Institution.id).where(
            Membership.user_id == user.id, Membership.is_admin.is_(True)
        )
    return list(db.session.scalars(query))


def admin_institution(user: User, slug: str) -> Institution:
    """The institution with `slug` if `user` administers it; InstitutionNotFound otherwise."""
    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None or not getattr(user, "is_authenticated", False):
        raise InstitutionNotFound(slug)
    if user.has_role(Role.SITE_ADMIN):
        return org
    is_admin = db.session.scalar(
        select(Membership.is_admin).where(
            Membership.user_id == user.id, Membership.institution_id == org.id
        )
    )
    if not is_admin:
        raise InstitutionNotFound(slug)
    return org


def member_of(org: Institution, membership_id: int) -> Membership:
    """A membership of `org` by id; another institution's id is InstitutionNotFound."""
    m = db.session.get(Membership, membership_id)
    if m is None or m.institution_id != org.id:
        raise InstitutionNotFound(f"membership {membership_id}")
    return m


def members_page(
    org: Institution, *, search: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[Membership], int]:
    """One page of an institution's members (by name) and the total count."""
    query = (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.institution_id == org.id)
    )
    if search.strip():
        like = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(User.print_name).like(like) | func.lower(User.email).like(like)
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(User.print_name, Membership.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(rows), total


def member_reset_link(org: Institution, actor: User, membership_id: int) -> str | None:
    """A password-set link for the admin to pass on, or None: the reset e-mail was queued.

    A link is a way into the account, so an admin gets one only for an account this
    institution provisioned (a roster row) whose owner has never set a password and that
    belongs to no other institution. For anyone else — people who joined with their own
    account — the normal reset e-mail goes to the member's own address. Refused outright for
    accounts with powers beyond this institution (site admins, educators, other admins).
    """
    m = member_of(org, membership_id)
    user = db.session.get(User, m.user_id)
    assert user is not None
    admin_elsewhere = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.user_id == user.id,
            Membership.institution_id != org.id,
            Membership.is_admin.is_(True),
        )
    )
    if (
        Role.SITE_ADMIN in user.roles
        or Role.EDUCATOR in user.roles
        or admin_elsewhere
        or (user.id == actor.id)
    ):
        raise InstitutionError(
            "This account has access beyond your institution; ask a site administrator to reset "
            "its password."
        )
    elsewhere = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.user_id == user.id, Membership.institution_id != org.id)
    )
    if user.password_hash.startswith(UNUSABLE_PREFIX) and not elsewhere:
        audit.record(
            "org.reset_link", actor=actor, subject=f"user:{user.id}", institution_id=org.id
        )
        return reset_url(user)
    from app.services.accounts.resets import request_password_reset

    request_password_reset(user.email)
    audit.record("org.reset_email", actor=actor, subject=f"user:{user.id}", institution_id=org.id)
    return None
