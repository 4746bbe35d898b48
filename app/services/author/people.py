"""Who is an educator: the list, granting and revoking the role."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.services.accounts import find_user_by_email
from app.services.audit import record
from app.services.author.content import AuthoringError, FieldProblem

# --------------------------------------------------------------------------- people


def educators() -> list[User]:
    from app.models import UserRole

    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.EDUCATOR.value)
            .order_by(User.email)
        )
    )


def set_educator(email: str, grant: bool, actor: User) -> User:
    """Grant or revoke the educator role (site admins only; audited)."""
    if Role.SITE_ADMIN not in actor.roles:
        raise AuthoringError("Only site administrators can change the educator role.")
    user = find_user_by_email(email)
    if user is None:
        raise AuthoringError([FieldProblem("email", "there is no account with that email")])
    has = Role.EDUCATOR in user.roles
    if grant == has:
        raise AuthoringError(
            [FieldProblem("email", "already an educator" if grant else "not an educator")]
        )
    if grant:
        user.grant(Role.EDUCATOR)
    else:
        user.revoke(Role.EDUCATOR)
    record(
        "role.granted" if grant else "role.revoked",
        actor=actor,
        subject=f"user:{user.id}",
        role=Role.EDUCATOR.value,
        email=user.email,
    )
    db.session.flush()
    return user
