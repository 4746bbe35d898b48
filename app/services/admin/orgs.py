"""Institutions as a site admin manages them: list, create, rename, admins, archive.

An institution admin is a `Membership` with `is_admin` set plus the site-wide
`Role.INSTITUTION_ADMIN` (which shows the "Institution" link); appointing sets both, and
removing the last admin place also removes the role. An archived institution is read-only:
hidden from lists by default, its invites stop working and its admins cannot change it, while
its staff's certificates stay verifiable (nothing is deleted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.models.base import utcnow
from app.services import audit
from app.services import institutions as org_service
from app.services.accounts import find_user_by_email
from app.services.admin.common import (
    PER_PAGE,
    AdminError,
    Page,
    ensure_writable,
    like_pattern,
    page_number,
)
from app.services.admin.users import ResetDelivery, check_email, deliver_reset_link

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"join", "new", "admin"})  # /org/join/<code> is a page of its own
MAX_NAME = 200


class UnknownInstitution(AdminError):
    """No institution has that slug (the web layer answers 404, the CLI exits 1)."""


@dataclass(frozen=True, slots=True)
class InstitutionSummary:
    """A row of the institutions list."""

    org: Institution
    members: int
    admins: int


@dataclass(frozen=True, slots=True)
class Appointment:
    """The outcome of appointing an admin: who, whether the account is new, how they got in."""

    user: User
    created: bool
    delivery: ResetDelivery | None


def institution_by_slug(slug: str) -> Institution:
    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None:
        raise UnknownInstitution(f"No institution has the slug {slug!r}.", "slug")
    return org


def list_institutions(
    search: str = "", *, archived: bool = False, page: int = 1, per_page: int = PER_PAGE
) -> Page[InstitutionSummary]:
    """Institutions by name; archived ones only when asked for (`archived=True` lists all)."""
    members = (
        select(func.count(Membership.id))
        .where(Membership.institution_id == Institution.id)
        .scalar_subquery()
    )
    admins = (
        select(func.count(Membership.id))
        .where(Membership.institution_id == Institution.id, Membership.is_admin.is_(True))
        .scalar_subquery()
    )
    query = select(Institution, members, admins)
    if not archived:
        query = query.where(Institution.archived_at.is_(None))
    if search.strip():
        like = like_pattern(search)
        query = query.where(
            or_(
                func.lower(Institution.name).like(like, escape="\\"),
                func.lower(Institution.slug).like(like, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number(page)
    rows = db.session.execute(
        query.order_by(func.lower(Institution.name), Institution.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [InstitutionSummary(org, m or 0, a or 0) for org, m, a in rows]
    return Page(items, total, page, per_page)


def admins_of(org: Institution) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.institution_id == org.id, Membership.is_admin.is_(True))
            .order_by(func.lower(User.email))
        )
    )


def clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise AdminError(f"Give the institution a name (up to {MAX_NAME} characters).", "name")
    return cleaned


def clean_slug(slug: str) -> str:
    """A valid, unused slug, or AdminError naming the field."""
    cleaned = (slug or "").strip().lower()
    if not 2 <= len(cleaned) <= 64 or not SLUG.match(cleaned):
        raise AdminError(
            "Use 2 to 64 lower-case letters, digits and single hyphens for the slug, "
            "e.g. riverside-general.",
            "slug",
        )
    if cleaned in RESERVED_SLUGS:
        raise AdminError(f"The slug {cleaned!r} is reserved; choose another.", "slug")
    if db.session.scalar(select(Institution.id).where(Institution.slug == cleaned)) is not None:
        raise AdminError(f"An institution already uses the slug {cleaned!r}.", "slug")
    return cleaned


def create_institution(
    actor: User | None,
    *,
    name: str,
    slug: str,
    admin_email: str | None = None,
    admin_name: str | None = None,
) -> tuple[Institution, Appointment | None]:
    """A new institution and, optionally, its first admin (a new account if need be).

    Everything is checked before anything is added, so a refusal changes nothing.
    """
    name, slug = clean_name(name), clean_slug(slug)
    email = check_email(admin_email) if admin_email and admin_email.strip() else None
    org = Institution(name=name, slug=slug)
    db.session.add(org)
    db.session.flush()
    audit.record(
        "admin.institution.create",
        actor=actor,
        subject=f"institution:{org.id}",
        name=name,
        slug=slug,
    )
    appointment = appoint_admin(org, actor, email, name=admin_name) if email else None
    return org, appointment


def rename_institution(org: Institution, actor: User | None, name: str) -> None:
    ensure_writable(org)
    new = clean_name(name)
    if new == org.name:
        raise AdminError("That is already its name.", "name")
    audit.record(
        "admin.institution.rename",
        actor=actor,
        subject=f"institution:{org.id}",
        old=org.name,
        new=new,
    )
    org.name = new


def appoint_admin(
    org: Institution, actor: User | None, email: str, *, name: str | None = None
) -> Appointment:
    """Make the account with `email` an admin of `org` (creating the account if there is
    none, with a link to set its password, mailed or handed back to show once)."""
    ensure_writable(org)
    email = check_email(email)
    user = find_user_by_email(email)
    created = user is None
    if user is None:
        display = " ".join((name or "").split())[:200] or email.split("@", 1)[0]
        user = User(
            email=email,
            password_hash=org_service.unusable_password_hash(),
            print_name=display,
        )
        user.grant(Role.LEARNER)
        db.session.add(user)
        db.session.flush()
        audit.record(
            "user.create", actor=actor, subject=f"user:{user.id}", email=email, via="admin"
        )
    elif not user.is_active_account:
        raise AdminError(f"{email} is disabled; enable the account first.", "email")
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.institution_id == org.id)
    )
    if membership is not None and membership.is_admin:
        raise AdminError(f"{email} is already an admin of {org.name}.", "email")
    if membership is None:
        membership = Membership(user_id=user.id, institution_id=org.id)
        db.session.add(membership)
    membership.is_admin = True
    user.grant(Role.INSTITUTION_ADMIN)
    db.session.flush()
    audit.record(
        "admin.institution.add_admin",
        actor=actor,
        subject=f"institution:{org.id}",
        user_id=user.id,
        email=email,
    )
    delivery = (
        deliver_reset_link(actor, user, subject=f"You administer {org.name} on PostRx")
        if created
        else None
    )
    return Appointment(user, created, delivery)


def remove_admin(org: Institution, actor: User | None, email: str) -> User:
    """End `email`'s admin place at `org` (they stay a member); the role goes with the last."""
    user = find_user_by_email(email)
    membership = (
        db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.institution_id == org.id
            )
        )
        if user
        else None
    )
    if user is None or membership is None or not membership.is_admin:
        raise AdminError(f"{email} is not an admin of {org.name}.", "email")
    membership.is_admin = False
    db.session.flush()
    elsewhere = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.user_id == user.id, Membership.is_admin.is_(True)
        )
    )
    if not elsewhere:
        user.revoke(Role.INSTITUTION_ADMIN)
    audit.record(
        "admin.institution.remove_admin",
        actor=actor,
        subject=f"institution:{org.id}",
        user_id=user.id,
        email=user.email,
    )
    return user


def archive_institution(org: Institution, actor: User | None) -> None:
    if org.is_archived:
        raise AdminError(f"{org.name} is already archived.")
    org.archived_at = utcnow()
    audit.record("admin.institution.archive", actor=actor, subject=f"institution:{org.id}")


def unarchive_institution(org: Institution, actor: User | None) -> None:
    if not org.is_archived:
        raise AdminError(f"{org.name} is not archived.")
    org.archived_at = None
    audit.record("admin.institution.unarchive", actor=actor, subject=f"institution:{org.id}")
