"""Due dates and statuses: which cycle of an assignment is in force, and where a person stands.

`current_cycle` and `status_for` are pure; `app.services.reports` has their SQL twin, and the
tests check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, User
from app.models.base import utcnow
from app.models.learning import Enrollment
from app.models.org import Assignment
from app.services.institutions.assignments import list_assignments
from app.services.institutions.common import aware

STATUSES = ("not_started", "in_progress", "completed", "overdue")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "overdue": "Overdue",
}


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _midnight_after(d: date) -> datetime:
    return datetime.combine(d + timedelta(days=1), time(0), UTC)


@dataclass(frozen=True, slots=True)
class Cycle:
    """What counts for one assignment today, as datetimes both Python and SQL compare against.

    - completed: a completion at or after `complete_from` (None: any completion counts);
    - overdue: not completed, `overdue_possible`, and no completion at or after `overdue_from`
      (None: no completion at all);
    - the due date shown is `due`, or `missed_due` when overdue.
    """

    due: date
    complete_from: datetime | None
    overdue_possible: bool
    overdue_from: datetime | None
    missed_due: date


def current_cycle(due_date: date, recurrence: str, today: date) -> Cycle:
    """The cycle in force today.

    One-off: complete with any completion; overdue once the due date has passed.
    Yearly: due dates fall on each anniversary. The current cycle runs from the day after the
    previous due date to the next one; a person who completed in the 12 months before a due
    date that has passed, or since, is only "due"; one who did not is overdue until they do.
    """
    if recurrence != "yearly":
        return Cycle(due_date, None, today > due_date, None, due_date)
    k = 0
    while _add_years(due_date, k) < today:
        k += 1
    due = _add_years(due_date, k)
    previous = _add_years(due, -1)
    if k == 0:
        return Cycle(due, _midnight_after(previous), False, None, due)
    return Cycle(
        due, _midnight_after(previous), True, _midnight_after(_add_years(previous, -1)), previous
    )


def status_for(
    cycle: Cycle | None, last_completed: datetime | None, started: datetime | None
) -> tuple[str, date | None]:
    """(status, due date shown) from the cycle and the person's latest completion and start."""
    if last_completed is not None:
        last_completed = aware(last_completed)
    if started is not None:
        started = aware(started)
    if cycle is None:
        if last_completed is not None:
            return "completed", None
        return ("in_progress" if started else "not_started"), None
    if last_completed is not None and (
        cycle.complete_from is None or last_completed >= cycle.complete_from
    ):
        return "completed", cycle.due
    if cycle.overdue_possible and (
        last_completed is None or cycle.overdue_from is None or last_completed < cycle.overdue_from
    ):
        return "overdue", cycle.missed_due
    if started is not None and (cycle.complete_from is None or started >= cycle.complete_from):
        return "in_progress", cycle.due
    return "not_started", cycle.due


def effective_assignment(assignments: list[Assignment], dept: int | None) -> Assignment | None:
    """A department's own assignment wins over the institution-wide one."""
    own = [a for a in assignments if a.department_id is not None and a.department_id == dept]
    if own:
        return own[0]
    wide = [a for a in assignments if a.department_id is None]
    return wide[0] if wide else None


@dataclass(frozen=True, slots=True)
class LearnerDue:
    """One assignment as a learner sees it on the dashboard."""

    institution_name: str
    course_slug: str
    due_date: date | None
    recurrence: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _last_completion(user_id: int, course_slug: str) -> tuple[datetime | None, datetime | None]:
    """(latest completion, latest start) of the course for one person."""
    completed, started = db.session.execute(
        select(func.max(Enrollment.completed_at), func.max(Enrollment.started_at)).where(
            Enrollment.user_id == user_id, Enrollment.course_slug == course_slug
        )
    ).one()
    cert = _latest_certificate_issued(user_id)
    if cert is not None and (completed is None or aware(cert) > aware(completed)):
        completed = cert
    return completed, started


def _latest_certificate_issued(user_id: int) -> datetime | None:
    try:
        from app.models.certificate import Certificate
    except ImportError:  # pragma: no cover - the certificate model lands separately
        return None
    if not hasattr(Certificate, "__table__"):
        return None
    return db.session.scalar(
        select(func.max(Certificate.issued_at)).where(
            Certificate.user_id == user_id, Certificate.status == "valid"
        )
    )


def assignments_for_user(user: User, today: date | None = None) -> list[LearnerDue]:
    """The learner's due dates across their institutions, soonest first."""
    today = today or utcnow().date()
    memberships = list(db.session.scalars(select(Membership).where(Membership.user_id == user.id)))
    if not memberships:
        return []
    result: list[LearnerDue] = []
    cache: dict[str, tuple[datetime | None, datetime | None]] = {}
    for m in memberships:
        assignments = list_assignments(m.institution)
        by_course: dict[str, list[Assignment]] = {}
        for assignment in assignments:
            by_course.setdefault(assignment.course_slug, []).append(assignment)
        for course, items in by_course.items():
            a = effective_assignment(items, m.department_id)
            if a is None:
                continue
            if course not in cache:
                cache[course] = _last_completion(user.id, course)
            last, started = cache[course]
            status, due = status_for(current_cycle(a.due_date, a.recurrence, today), last, started)
            result.append(LearnerDue(m.institution.name, course, due, a.recurrence, status))
    result.sort(key=lambda d: (d.due_date or date.max, d.institution_name))
    return result
