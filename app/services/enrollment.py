"""Finding a learner's current enrollment (cycle) in a course."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Enrollment, User


def current_enrollment(user: User, course_slug: str) -> Enrollment | None:
    """The learner's latest cycle in the course, or None if they never started it."""
    return db.session.scalar(
        select(Enrollment)
        .where(Enrollment.user_id == user.id, Enrollment.course_slug == course_slug)
        .order_by(Enrollment.cycle.desc())
        .limit(1)
    )


def ensure_enrollment(user: User, course_slug: str, course_version: str) -> Enrollment:
    """The current cycle, created on first visit (flushes; the caller commits)."""
    enrollment = current_enrollment(user, course_slug)
    if enrollment is None:
        enrollment = Enrollment(
            user_id=user.id, course_slug=course_slug, course_version=course_version, cycle=1
        )
        db.session.add(enrollment)
        db.session.flush()
    return enrollment


def start_new_cycle(user: User, course_slug: str, course_version: str) -> Enrollment:
    """Open the next cycle (retake after a certificate expired); earlier cycles are kept."""
    latest = current_enrollment(user, course_slug)
    enrollment = Enrollment(
        user_id=user.id,
        course_slug=course_slug,
        course_version=course_version,
        cycle=(latest.cycle + 1) if latest else 1,
    )
    db.session.add(enrollment)
    db.session.flush()
    return enrollment
