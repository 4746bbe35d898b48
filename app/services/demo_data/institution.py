"""The demo institution itself (departments, assignments, the final quiz) and its members."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Department, Institution, Membership, User, UserRole
from app.models.org import Assignment
from app.models.quiz import QuizDefinition
from app.services.accounts import hash_password
from app.services.demo import DEMO_PASSWORD
from app.services.demo_data.common import (
    DEPARTMENTS,
    FAMILY,
    FINAL_QUIZ,
    GIVEN,
    PROFESSIONS,
    SCENARIOS,
    bulk,
)
from app.services.institutions import COURSE_SLUG


def ensure_institution(slug: str, today: date) -> tuple[Institution, list[int]]:
    """The institution with `slug` (created if missing), its department ids, and what a report
    needs around it: assignments (once) and the final quiz's definition (once)."""
    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None:
        org = Institution(slug=slug, name=slug.replace("-", " ").title())
        db.session.add(org)
        db.session.flush()
    existing_depts = {d.name for d in org.departments}
    for name in DEPARTMENTS:
        if name not in existing_depts:
            db.session.add(Department(institution_id=org.id, name=name))
    db.session.flush()
    dept_ids = list(
        db.session.scalars(select(Department.id).where(Department.institution_id == org.id))
    )
    if not db.session.scalar(select(Assignment.id).where(Assignment.institution_id == org.id)):
        _add_assignments(org, dept_ids, today)
    final = select(QuizDefinition.id).where(QuizDefinition.quiz_key == FINAL_QUIZ)
    if db.session.scalar(final) is None:
        db.session.add(
            QuizDefinition(
                quiz_key=FINAL_QUIZ,
                title="Final assessment",
                is_final=True,
                pass_mark=0.8,
                scenario_keys=list(SCENARIOS),
            )
        )
    db.session.flush()
    return org, dept_ids


def _add_assignments(org: Institution, dept_ids: list[int], today: date) -> None:
    """Everyone: yearly, next due in two months. Two departments: a one-off deadline that
    passed a month ago, so their unfinished people show as overdue."""
    db.session.add(
        Assignment(
            institution_id=org.id,
            course_slug=COURSE_SLUG,
            due_date=today + timedelta(days=60),
            recurrence="yearly",
        )
    )
    for dept_id in dept_ids[:2]:
        db.session.add(
            Assignment(
                institution_id=org.id,
                department_id=dept_id,
                course_slug=COURSE_SLUG,
                due_date=today - timedelta(days=30),
                recurrence="none",
            )
        )


def member_count(org: Institution) -> int:
    """How many members `org` has already (new ones are numbered after them)."""
    count = select(func.count()).select_from(Membership)
    return int(db.session.scalar(count.where(Membership.institution_id == org.id)) or 0)


def add_people(
    org: Institution,
    dept_ids: list[int],
    rng: random.Random,
    *,
    start: int,
    learners: int,
    now: datetime,
) -> tuple[list[int], list[tuple[str, str]], str]:
    """`learners` new learner accounts, members of `org` in random departments.

    Returns their user ids, (name, credentials) in the same order, and a LIKE pattern that
    matches exactly their emails (a random token in each, so extending never collides)."""
    password = hash_password(DEMO_PASSWORD)  # one hash for everyone: the slow part, once
    weights = [w for _, _, w in PROFESSIONS]
    token = secrets.token_hex(3)
    users: list[dict[str, Any]] = []
    people: list[tuple[str, str]] = []
    for i in range(start, start + learners):
        prof, cred, _ = rng.choices(PROFESSIONS, weights)[0]
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        name = f"{given} {family}"
        created = now - timedelta(days=rng.randint(30, 700))
        users.append(
            {
                "email": f"{given.lower()}.{i}.{token}@{org.slug}.demo.example.org".replace(
                    "'", ""
                ),
                "password_hash": password,
                "print_name": name,
                "credentials": cred,
                "profession": prof,
                "created_at": created,
                "password_changed_at": created,
            }
        )
        people.append((name, cred))
    bulk(User, users)
    pattern = f"%.{token}@{org.slug}.demo.example.org"
    by_email = dict(
        db.session.execute(select(User.email, User.id).where(User.email.like(pattern))).all()
    )
    user_ids = [by_email[u["email"]] for u in users]
    bulk(UserRole, [{"user_id": uid, "role": "learner"} for uid in user_ids])
    bulk(
        Membership,
        [
            {
                "user_id": uid,
                "institution_id": org.id,
                "department_id": rng.choice(dept_ids),
                "employee_id": f"E{start + n + 1:07d}",
                "is_admin": False,
                "joined_at": users[n]["created_at"],
                "updated_at": users[n]["created_at"],
            }
            for n, uid in enumerate(user_ids)
        ],
    )
    return user_ids, people, pattern
