"""`generate()`: one call of `postrx demo-data`, in the caller's transaction."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from app.extensions import db
from app.models import Membership
from app.services import records
from app.services.demo_data.activity import add_assessments, add_progress, enrol
from app.services.demo_data.common import DemoStats
from app.services.demo_data.institution import add_people, ensure_institution, member_count
from app.services.institutions import COURSE_SLUG

# The tables a bulk load fills, analysed afterwards (PostgreSQL only, see `_analyze`).
_ANALYZED = (
    "user",
    "membership",
    "enrollment",
    "lesson_progress",
    "attempt",
    "certificate",
    "completion_record",
)


def generate(slug: str, learners: int, *, seed: int = 2026, today: date | None = None) -> DemoStats:
    """Create the institution if needed and add `learners` synthetic members with progress.

    Does not commit: the CLI wraps it in `transaction()`, so a failure leaves nothing behind."""
    from modules import default_content_root, load_course

    today = today or datetime.now(UTC).date()
    now = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12)
    course = load_course(default_content_root() / COURSE_SLUG)
    lessons = [(m.slug, lesson.slug) for m in course.modules for lesson in m.lessons]

    org, dept_ids = ensure_institution(slug, today)
    start = member_count(org)
    rng = random.Random(f"{seed}-{slug}-{start}-{learners}")  # extending never repeats
    user_ids, people, pattern = add_people(
        org, dept_ids, rng, start=start, learners=learners, now=now
    )
    plans, enrollment_ids = enrol(
        rng, user_ids, lessons, now=now, course_version=course.version, pattern=pattern
    )
    add_progress(plans, enrollment_ids, lessons)
    attempts, certificates = add_assessments(
        rng,
        plans,
        enrollment_ids,
        user_ids,
        people,
        lessons=len(lessons),
        now=now,
        course_version=course.version,
    )
    # Core inserts bypass the session hook that keeps completion records current.
    records.refresh(select(Membership.user_id).where(Membership.institution_id == org.id))
    _analyze()
    return DemoStats(org.slug, len(user_ids), len(enrollment_ids), attempts, certificates)


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, in the same transaction.

    Without them the planner misjudges the report's aggregates after a bulk load (PostgreSQL
    picked nested loops: 220 s instead of 3 s for 100,000 learners). ANALYZE runs inside a
    transaction block and samples that transaction's own new rows; its statistics are
    committed with them. (Not on SQLite: with sqlite_stat1 present it chose a worse join
    order, 7 s -> 212 s.)"""
    if db.engine.dialect.name == "postgresql":
        for table in _ANALYZED:
            db.session.execute(text(f'ANALYZE "{table}"'))
