"""Accounts as a site admin sees them: search, roles, disable/enable and reset links.

The last active site admin always stays: nobody can disable or demote themself, and no one can
disable or demote the only remaining site admin. Disabling keeps every row (certificates stay
valid and verifiable); the web layer ends the disabled user's sessions at their next request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select

from app.extensions import db
from app.models import Institution, Membership, Role, User, UserRole
from app.services import audit
from app.services.accounts import find_user_by_email, normalize_email, reset_url
from app.services.accounts.sessions import end_all_sessions
from app.services.admin.common import PER_PAGE, AdminError, Page, like_pattern, page_number
from app.services.mail import mail_configured, send_mail

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class UnknownUser(AdminError):
    """No account has that id or email (the web layer answers 404, the CLI exits 1)."""


@dataclass(frozen=True, slots=True)
class UserDetail:
    """A user page: the account, its roles and its memberships with their institutions."""

    user: User
    roles: list[Role]
    memberships: list[Membership]


@dataclass(frozen=True, slots=True)
class ResetDelivery:
    """How a reset link reached its owner: mailed, or `link` to be shown to the admin once."""

    mailed: bool
    link: str | None


def check_email(email: str) -> str:
    """The normalised email, or AdminError naming the field."""
    cleaned = normalize_email(email or "")
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise AdminError(f"{email!r} is not an email address.", "email")
    return cleaned


def user_by_email(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise UnknownUser(f"No account uses the email {email!r}.", "email")
    return user


def user_by_id(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise UnknownUser(f"No account has id {user_id}.")
    return user


def search_users(search: str = "", *, page: int = 1, per_page: int = PER_PAGE) -> Page[User]:
    """Accounts whose name, email or institution (name or slug) contains `search`."""
    query = select(User)
    if search.strip():
        like = like_pattern(search)
        in_org = exists().where(
            Membership.user_id == User.id,
            Membership.institution_id == Institution.id,
            or_(
                func.lower(Institution.name).like(like, escape="\\"),
                func.lower(Institution.slug).like(like, escape="\\"),
            ),
        )
        query = query.where(
            or_(
                func.lower(User.print_name).like(like, escape="\\"),
                func.lower(User.email).like(like, escape="\\"),
                in_org,
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number(page)
    rows = db.session.scalars(
        query.order_by(func.lower(User.email)).limit(per_page).offset((page - 1) * per_page)
    )
    return Page(list(rows), total, page, per_page)


def user_detail(user: User) -> UserDetail:
    memberships = db.session.scalars(
        select(Membership)
        .join(Institution, Institution.id == Membership.institution_id)
        .where(Membership.user_id == user.id)
        .order_by(Institution.name)
    )
    return UserDetail(user, sorted(user.roles, key=list(Role).index), list(memberships))


def _active_site_admins() -> int:
    return (
        db.session.scalar(
            select(func.count(User.id))
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SITE_ADMIN.value, User.is_active_account.is_(True))
        )
        or 0
    )


def _keep_a_site_admin(actor: User | None, user: User, doing: str) -> None:
    """Refuse to take site-admin powers from oneself or from the last active site admin."""
    if Role.SITE_ADMIN not in user.roles or not user.is_active_account:
        return
    if actor is not None and actor.id == user.id:
        raise AdminError(f"You cannot {doing} your own account; ask another site admin.")
    if _active_site_admins() <= 1:
        raise AdminError(f"{user.email} is the last site admin; appoint another one first.")


def grant_role(actor: User | None, user: User, role: Role) -> None:
    """Give a site-wide role. Institution admins are appointed per institution instead, so
    the role never exists without an institution to administer."""
    if role is Role.INSTITUTION_ADMIN:
        raise AdminError(
            "Make someone an institution admin from that institution's page, so they have an "
            "institution to administer.",
            "role",
        )
    if role in user.roles:
        raise AdminError(f"{user.email} already holds the role {role.label}.", "role")
    user.grant(role)
    audit.record("role.grant", actor=actor, subject=f"user:{user.id}", role=role.value)


def revoke_role(actor: User | None, user: User, role: Role) -> None:
    """Take a role away; revoking institution admin also ends every institution admin place."""
    if role not in user.roles:
        raise AdminError(f"{user.email} does not hold the role {role.label}.", "role")
    if role is Role.SITE_ADMIN:
        _keep_a_site_admin(actor, user, "remove site admin from")
    if role is Role.INSTITUTION_ADMIN:
        for m in db.session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.is_admin.is_(True))
        ):
            m.is_admin = False
    user.revoke(role)
    audit.record("role.revoke", actor=actor, subject=f"user:{user.id}", role=role.value)


def disable_user(actor: User | None, user: User) -> None:
    """The account can no longer sign in; open sessions end at their next request."""
    if not user.is_active_account:
        raise AdminError(f"{user.email} is already disabled.")
    _keep_a_site_admin(actor, user, "disable")
    user.is_active_account = False
    end_all_sessions(user)  # its cookies stop working on every web host at once
    audit.record("user.disable", actor=actor, subject=f"user:{user.id}", email=user.email)


def enable_user(actor: User | None, user: User) -> None:
    if user.is_active_account:
        raise AdminError(f"{user.email} is not disabled.")
    user.is_active_account = True
    audit.record("user.enable", actor=actor, subject=f"user:{user.id}", email=user.email)


def deliver_reset_link(
    actor: User | None, user: User, *, subject: str = "Reset your PostRx password"
) -> ResetDelivery:
    """Mail a password link when mail is configured; otherwise hand it back to show once."""
    if not user.is_active_account:
        raise AdminError(f"{user.email} is disabled; enable the account first.")
    link = reset_url(user)
    mailed = mail_configured()
    if mailed:
        send_mail(
            user.email,
            subject,
            f"Hello {user.print_name},\n\nA PostRx site administrator sent you this link to set "
            f"the password of your account ({user.email}):\n\n{link}\n\nIt works once and for a "
            "limited time.\n",
        )
    audit.record("admin.reset_link", actor=actor, subject=f"user:{user.id}", mailed=mailed)
    return ResetDelivery(mailed=mailed, link=None if mailed else link)
