"""The learner's path through the course: progress, resume point and time on task, kept in
Enrollment / LessonProgress rows (flushed; the caller's transaction commits them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User
from app.models.learning import Enrollment, LessonProgress
from app.services.enrollment import current_enrollment, ensure_enrollment
from app.services.learning.content import get_course
from modules import Course, Lesson, Module
from vocab import COURSE_SLUG

TIME_CAP_FACTOR = 3  # time on task per lesson is capped at 3 × its estimated minutes
HEARTBEAT_MAX_SECONDS = 90  # one heartbeat never adds more than this


@dataclass(frozen=True, slots=True)
class CourseProgress:
    """A learner's standing in the course at one moment (read-only snapshot for templates)."""

    enrollment: Enrollment | None
    completed: frozenset[tuple[str, str]]
    modules_completed: frozenset[str]
    lessons_total: int
    lessons_done: int
    percent: int
    resume: tuple[str, str] | None
    seconds_spent: int
    all_lessons_done: bool
    opened: frozenset[tuple[str, str]] = frozenset()

    def is_done(self, lesson: Lesson) -> bool:
        return lesson.key in self.completed

    def status(self, lesson: Lesson) -> str:
        """'done', 'started' or 'new' — for the lesson list."""
        if lesson.key in self.completed:
            return "done"
        return "started" if lesson.key in self.opened else "new"

    def done_in(self, module: Module) -> int:
        return sum(1 for lesson in module.lessons if lesson.key in self.completed)

    @property
    def minutes_spent(self) -> int:
        return self.seconds_spent // 60


def _rows(enrollment: Enrollment | None) -> list[LessonProgress]:
    if enrollment is None or enrollment.id is None:
        return []
    return list(
        db.session.scalars(
            select(LessonProgress).where(LessonProgress.enrollment_id == enrollment.id)
        )
    )


def _completed_keys(rows: Iterable[LessonProgress], course: Course) -> frozenset[tuple[str, str]]:
    """Completed lessons that still exist in the course (stale rows are ignored)."""
    return frozenset(
        (row.module_slug, row.lesson_slug)
        for row in rows
        if row.completed_at is not None and course.lesson(row.module_slug, row.lesson_slug)
    )


def _modules_done(course: Course, completed: frozenset[tuple[str, str]]) -> frozenset[str]:
    return frozenset(
        module.slug
        for module in course.modules
        if module.lessons and all(lesson.key in completed for lesson in module.lessons)
    )


def modules_completed(enrollment: Enrollment | None) -> frozenset[str]:
    """Slugs of modules whose every lesson is complete in this enrollment."""
    course = get_course()
    return _modules_done(course, _completed_keys(_rows(enrollment), course))


def resume_point(
    course: Course, last: tuple[str, str] | None, completed: frozenset[tuple[str, str]]
) -> tuple[str, str] | None:
    """Where "Continue" goes: the first incomplete lesson from the last one seen onwards.

    If everything from there on is done, the first incomplete lesson earlier in the course;
    if the whole course is done, the last lesson seen. None when nothing was seen yet.
    """
    if last is None or course.lesson(*last) is None:
        return None
    keys = [lesson.key for lesson in course.iter_lessons()]
    start = keys.index(last)
    for key in keys[start:] + keys[:start]:
        if key not in completed:
            return key
    return last


def course_progress(user: User) -> CourseProgress:
    """The learner's progress in their current enrollment (all zeros before they start)."""
    course = get_course()
    enrollment = current_enrollment(user, COURSE_SLUG) if user.is_authenticated else None
    rows = _rows(enrollment)
    completed = _completed_keys(rows, course)
    total = course.lesson_count
    done = len(completed)
    last = None
    if enrollment is not None and enrollment.last_module_slug and enrollment.last_lesson_slug:
        last = (enrollment.last_module_slug, enrollment.last_lesson_slug)
    return CourseProgress(
        enrollment=enrollment,
        completed=completed,
        modules_completed=_modules_done(course, completed),
        lessons_total=total,
        lessons_done=done,
        percent=(100 * done // total) if total else 0,
        resume=resume_point(course, last, completed),
        seconds_spent=sum(row.seconds_spent or 0 for row in rows),
        all_lessons_done=total > 0 and done == total,
        opened=frozenset((row.module_slug, row.lesson_slug) for row in rows),
    )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _now(now: datetime | None) -> datetime:
    return _aware(now) or datetime.now(UTC)


def _lesson_or_error(module_slug: str, lesson_slug: str) -> Lesson:
    lesson = get_course().lesson(module_slug, lesson_slug)
    if lesson is None:
        raise LookupError(f"no lesson {module_slug}/{lesson_slug}")
    return lesson


def _enrollment_for(user: User) -> Enrollment:
    """The current cycle, created on first use; a concurrent first request wins harmlessly."""
    course = get_course()
    try:
        with db.session.begin_nested():
            return ensure_enrollment(user, COURSE_SLUG, course.version)
    except IntegrityError:
        enrollment = current_enrollment(user, COURSE_SLUG)
        assert enrollment is not None
        return enrollment


def _progress_row(enrollment: Enrollment, lesson: Lesson, now: datetime) -> LessonProgress:
    query = select(LessonProgress).where(
        LessonProgress.enrollment_id == enrollment.id,
        LessonProgress.module_slug == lesson.module_slug,
        LessonProgress.lesson_slug == lesson.slug,
    )
    row = db.session.scalar(query)
    if row is not None:
        return row
    row = LessonProgress(
        enrollment_id=enrollment.id,
        module_slug=lesson.module_slug,
        lesson_slug=lesson.slug,
        first_opened_at=now,
        last_opened_at=now,
        seconds_spent=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same lesson opened twice at the same moment
        row = db.session.scalar(query)
        assert row is not None
    return row


def record_lesson_view(
    user: User, module_slug: str, lesson_slug: str, now: datetime | None = None
) -> LessonProgress:
    """Note that the learner opened a lesson: starts the clock and moves the resume point.

    Raises LookupError for an unknown lesson.
    """
    lesson = _lesson_or_error(module_slug, lesson_slug)
    moment = _now(now)
    enrollment = _enrollment_for(user)
    row = _progress_row(enrollment, lesson, moment)
    row.last_opened_at = moment
    enrollment.last_module_slug = lesson.module_slug
    enrollment.last_lesson_slug = lesson.slug
    enrollment.last_seen_at = moment
    return row


def time_cap_seconds(lesson: Lesson) -> int:
    return TIME_CAP_FACTOR * lesson.minutes * 60


def complete_lesson(
    user: User, module_slug: str, lesson_slug: str, now: datetime | None = None
) -> LessonProgress:
    """Mark a lesson complete (idempotent) and add the capped time since it was opened.

    When this completes the last lesson, enrollment.lessons_completed_at is set. Raises
    LookupError for an unknown lesson.
    """
    course = get_course()
    lesson = _lesson_or_error(module_slug, lesson_slug)
    moment = _now(now)
    enrollment = _enrollment_for(user)
    row = _progress_row(enrollment, lesson, moment)
    if row.completed_at is None:
        opened = _aware(row.last_opened_at) or moment
        elapsed = max(0, int((moment - opened).total_seconds()))
        room = max(0, time_cap_seconds(lesson) - (row.seconds_spent or 0))
        row.seconds_spent = (row.seconds_spent or 0) + min(elapsed, room)
        row.completed_at = moment
        db.session.flush()
        completed = _completed_keys(_rows(enrollment), course)
        if len(completed) == course.lesson_count and enrollment.lessons_completed_at is None:
            enrollment.lessons_completed_at = moment
    enrollment.last_module_slug = lesson.module_slug
    enrollment.last_lesson_slug = lesson.slug
    enrollment.last_seen_at = moment
    return row


def heartbeat(
    user: User, module_slug: str, lesson_slug: str, now: datetime | None = None
) -> int | None:
    """Credit time while a lesson page stays visible; returns the lesson's seconds so far.

    Adds the time since the last heartbeat (or opening), at most HEARTBEAT_MAX_SECONDS per
    beat and never beyond the lesson's cap; the clock then restarts so completion does not
    count the same time twice. Lessons already complete, or never opened, are left alone.
    """
    lesson = _lesson_or_error(module_slug, lesson_slug)
    moment = _now(now)
    enrollment = current_enrollment(user, COURSE_SLUG)
    if enrollment is None:
        return None
    row = db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.enrollment_id == enrollment.id,
            LessonProgress.module_slug == lesson.module_slug,
            LessonProgress.lesson_slug == lesson.slug,
        )
    )
    if row is None or row.completed_at is not None:
        return None
    opened = _aware(row.last_opened_at) or moment
    elapsed = max(0, int((moment - opened).total_seconds()))
    room = max(0, time_cap_seconds(lesson) - (row.seconds_spent or 0))
    row.seconds_spent = (row.seconds_spent or 0) + min(elapsed, HEARTBEAT_MAX_SECONDS, room)
    row.last_opened_at = moment
    return row.seconds_spent


def format_minutes(minutes: int) -> str:
    """180 -> '3 h', 95 -> '1 h 35 min', 40 -> '40 min'."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"
