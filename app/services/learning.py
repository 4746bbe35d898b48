"""The learner's path through the course: content loading, progress, resume and time on task.

The course is read from disk once per app (content is immutable while the app runs) and lesson
HTML is rendered once per (module, lesson). Progress lives in Enrollment / LessonProgress rows;
every state change here is one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User
from app.models.learning import Enrollment, LessonProgress
from app.services.enrollment import current_enrollment, ensure_enrollment
from modules import Course, Lesson, Module, render_markdown
from modules.catalog import ContentError, check, default_content_root, load_course
from vocab import COURSE_SLUG

TIME_CAP_FACTOR = 3  # time on task per lesson is capped at 3 × its estimated minutes
HEARTBEAT_MAX_SECONDS = 90  # one heartbeat never adds more than this

_COURSE_KEY = "postrx_course"
_HTML_KEY = "postrx_lesson_html"


# --------------------------------------------------------------------------------------------
# Content


def content_path() -> Path:
    """Folder of the course; COURSE_CONTENT_PATH in config overrides the bundled copy."""
    configured = current_app.config.get("COURSE_CONTENT_PATH") if has_app_context() else None
    return Path(configured) if configured else default_content_root() / COURSE_SLUG


def get_course() -> Course:
    """The course, loaded once per app and shared by every request (it is immutable)."""
    course = current_app.extensions.get(_COURSE_KEY)
    if course is None:
        course = load_course(content_path())
        current_app.extensions[_COURSE_KEY] = course
    return course


def course_title(slug: str) -> str:
    """What to call the course `slug` on a page or in a report: its title, or the slug itself
    for a course this install no longer carries (an old assignment)."""
    course = get_course()
    return course.title if course.slug == slug else slug


def course_summary(course: Course) -> str:
    """One line naming the course, its version and its size (for setup and `content check`)."""
    return (
        f"Course {course.slug} {course.version}: {len(course.modules)} modules, "
        f"{course.lesson_count} lessons"
    )


def setup_content() -> str:
    """Validate the bundled content for `postrx setup`; raise ContentError (FILE:LINE) if bad.

    Nothing is written: the caller runs this before changing anything so invalid content stops
    setup cleanly. On success the freshly loaded course replaces the per-app cache.
    """
    path = content_path()
    problems = check([path])
    if problems:
        raise ContentError(problems)
    course = load_course(path)
    if has_app_context():
        current_app.extensions[_COURSE_KEY] = course
        current_app.extensions.pop(_HTML_KEY, None)
    return course_summary(course)


_ALIGN_STYLE = re.compile(r' style="text-align:\s*(left|center|right);?"')


def lesson_html(lesson: Lesson) -> Markup:
    """Sanitized HTML of a lesson body with working lesson links and image URLs (cached)."""
    cache: dict[tuple[str, str], Markup] = current_app.extensions.setdefault(_HTML_KEY, {})
    html = cache.get(lesson.key)
    if html is None:
        module_slug = lesson.module_slug

        def lesson_url(module: str, slug: str) -> str:
            return url_for("learn.lesson", module_slug=module, lesson_slug=slug)

        def image_url(src: str) -> str:
            filename = src.removeprefix("./").removeprefix("images/")
            return url_for("learn.image", module_slug=module_slug, filename=filename)

        rendered = render_markdown(lesson.body, lesson_url=lesson_url, image_url=image_url)
        # The CSP forbids style attributes: column alignment becomes a class instead.
        rendered = _ALIGN_STYLE.sub(r' class="align-\1"', rendered)
        # Wide tables scroll sideways on a phone: make the scroller reachable by keyboard.
        rendered = rendered.replace(
            '<div class="table-wrap">',
            '<div class="table-wrap" tabindex="0" role="region" aria-label="Table">',
        )
        html = Markup(rendered)
        cache[lesson.key] = html
    return html


IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def image_file(module_slug: str, filename: str) -> tuple[Path, str] | None:
    """(path, mimetype) of an SVG/PNG inside the module's images/ folder, else None.

    Anything that resolves outside that folder (../, absolute paths, symlinks), is not a
    regular file, or is not .svg/.png is refused the same way.
    """
    module = get_course().module(module_slug)
    if module is None or module.source_path is None:
        return None
    mimetype = IMAGE_TYPES.get(Path(filename).suffix.lower())
    if mimetype is None or "\\" in filename or "\x00" in filename:
        return None
    root = (module.source_path.parent / "images").resolve()
    try:
        target = (root / filename).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target, mimetype


# --------------------------------------------------------------------------------------------
# Credit types (from configuration)


@dataclass(frozen=True, slots=True)
class CreditType:
    """Credit awarded to some professions, e.g. Nursing: nursing contact hours."""

    label: str
    unit: str
    professions: tuple[str, ...]
    uan: str | None = None


DEFAULT_CREDIT_TYPES: tuple[dict[str, Any], ...] = (
    {"label": "Nursing", "unit": "nursing contact hours", "professions": ["nurse"]},
    {"label": "Physicians", "unit": "AMA PRA Category 1 Credit™", "professions": ["physician"]},
    {"label": "Pharmacy", "unit": "ACPE contact hours", "professions": ["pharmacist"]},
    {
        "label": "Other participants",
        "unit": "hours of participation",
        "professions": ["allied_health", "student", "other"],
    },
)


def credit_types() -> tuple[CreditType, ...]:
    """Credit table from app.config["CREDIT_TYPES"] (list of mappings), else the defaults."""
    raw: Iterable[Mapping[str, Any]] = current_app.config.get("CREDIT_TYPES", DEFAULT_CREDIT_TYPES)
    return tuple(
        CreditType(
            label=str(item["label"]),
            unit=str(item["unit"]),
            professions=tuple(item.get("professions", ())),
            uan=item.get("uan"),
        )
        for item in raw
    )


def credit_type_for(profession: str) -> CreditType | None:
    """The credit type a learner of `profession` can claim, if the course offers one."""
    for credit in credit_types():
        if profession in credit.professions:
            return credit
    return None


# --------------------------------------------------------------------------------------------
# Progress


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
    return _aware(now) or datetime.now(UTC)  # type: ignore[return-value]


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
    try:
        enrollment = _enrollment_for(user)
        row = _progress_row(enrollment, lesson, moment)
        row.last_opened_at = moment
        enrollment.last_module_slug = lesson.module_slug
        enrollment.last_lesson_slug = lesson.slug
        enrollment.last_seen_at = moment
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
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
    try:
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
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
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
    try:
        opened = _aware(row.last_opened_at) or moment
        elapsed = max(0, int((moment - opened).total_seconds()))
        room = max(0, time_cap_seconds(lesson) - (row.seconds_spent or 0))
        row.seconds_spent = (row.seconds_spent or 0) + min(elapsed, HEARTBEAT_MAX_SECONDS, room)
        row.last_opened_at = moment
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return row.seconds_spent


def format_minutes(minutes: int) -> str:
    """180 -> '3 h', 95 -> '1 h 35 min', 40 -> '40 min'."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


__all__ = [
    "COURSE_SLUG",
    "ContentError",
    "CourseProgress",
    "CreditType",
    "complete_lesson",
    "course_progress",
    "course_summary",
    "credit_type_for",
    "credit_types",
    "get_course",
    "heartbeat",
    "image_file",
    "lesson_html",
    "modules_completed",
    "record_lesson_view",
    "resume_point",
    "setup_content",
]
