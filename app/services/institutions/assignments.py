"""Assignments: the course assigned to a whole institution or one department, with a due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Institution, User
from app.models.base import utcnow
from app.models.org import Assignment
from app.services import audit
from app.services.institutions.common import COURSE_SLUG, InstitutionError, InstitutionNotFound
from app.services.institutions.departments import department_of


def create_assignment(
    org: Institution,
    actor: User,
    *,
    due_date: date,
    department_id: int | None = None,
    recurrence: str = "none",
    course_slug: str = COURSE_SLUG,
) -> Assignment:
    """Assign the course to the institution or one department; again = new due date."""
    if recurrence not in ("none", "yearly"):
        raise InstitutionError("Recurrence is either none or yearly.", "recurrence")
    dept = department_of(org, department_id)
    existing = db.session.scalar(
        select(Assignment).where(
            Assignment.institution_id == org.id,
            Assignment.course_slug == course_slug,
            Assignment.department_id.is_(None)
            if dept is None
            else Assignment.department_id == dept.id,
        )
    )
    if existing is None:
        existing = Assignment(
            institution_id=org.id,
            department_id=dept.id if dept else None,
            course_slug=course_slug,
            created_by_id=actor.id,
        )
        db.session.add(existing)
    existing.due_date = due_date
    existing.recurrence = recurrence
    existing.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "org.assign",
        actor=actor,
        subject=f"assignment:{existing.id}",
        due=due_date.isoformat(),
        recurrence=recurrence,
    )
    return existing


def list_assignments(org: Institution) -> list[Assignment]:
    """The institution-wide assignment first, then the departments' own."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.institution_id == org.id)
            .order_by(Assignment.department_id.is_not(None), Assignment.id)
        )
    )


def delete_assignment(org: Institution, actor: User, assignment_id: int) -> None:
    """Remove an assignment; another institution's is InstitutionNotFound."""
    a = db.session.get(Assignment, assignment_id)
    if a is None or a.institution_id != org.id:
        raise InstitutionNotFound(f"assignment {assignment_id}")
    audit.record("org.unassign", actor=actor, subject=f"assignment:{a.id}")
    db.session.delete(a)
    db.session.flush()
