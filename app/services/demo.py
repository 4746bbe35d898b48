"""Demo institution and one account per role, for `postrx setup --demo` and `make run`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Department, Institution, Membership, Role, User
from app.services.accounts import find_user_by_email, hash_password

DEMO_PASSWORD = "postrx-demo-2026"
DEMO_ORG_SLUG = "riverside-general"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    name: str
    credentials: str
    profession: str
    roles: tuple[Role, ...]
    org_admin: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("learner@demo.example.org", "Maya Fernández", "RN", "nurse", (Role.LEARNER,)),
    DemoAccount(
        "educator@demo.example.org",
        "Dr. Samuel Okoye",
        "MD, MEd",
        "physician",
        (Role.LEARNER, Role.EDUCATOR),
    ),
    DemoAccount(
        "orgadmin@demo.example.org",
        "Priya Raman",
        "MSN, RN",
        "nurse",
        (Role.LEARNER, Role.INSTITUTION_ADMIN),
        org_admin=True,
    ),
    DemoAccount("admin@demo.example.org", "Alex Chen", "PharmD", "pharmacist", (Role.SITE_ADMIN,)),
)


def load_demo() -> list[DemoAccount]:
    """Create or refresh the demo institution and accounts (idempotent; the caller commits)."""
    org = db.session.scalar(select(Institution).where(Institution.slug == DEMO_ORG_SLUG))
    if org is None:
        org = Institution(slug=DEMO_ORG_SLUG, name="Riverside General Hospital")
        db.session.add(org)
        db.session.flush()
    for dept_name in ("Emergency Department", "Medical-Surgical Unit", "Pharmacy"):
        if not any(d.name == dept_name for d in org.departments):
            org.departments.append(Department(name=dept_name))
    db.session.flush()
    for acct in DEMO_ACCOUNTS:
        user = find_user_by_email(acct.email)
        if user is None:
            user = User(
                email=acct.email,
                password_hash=hash_password(DEMO_PASSWORD),
                print_name=acct.name,
                credentials=acct.credentials,
                profession=acct.profession,
            )
            db.session.add(user)
        for role in acct.roles:
            user.grant(role)
        db.session.flush()
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.institution_id == org.id
            )
        )
        if membership is None and Role.SITE_ADMIN not in acct.roles:
            db.session.add(
                Membership(
                    user_id=user.id,
                    institution_id=org.id,
                    department_id=org.departments[0].id,
                    is_admin=acct.org_admin,
                )
            )
    db.session.flush()
    return list(DEMO_ACCOUNTS)
