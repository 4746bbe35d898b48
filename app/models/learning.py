"""A learner's enrolment in a course (one per completion cycle), their lesson progress, and the
per-learner completion record that reports read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow


class Enrollment(Model):
    """One pass through a course. A retake after expiry opens a new cycle; history stays.

    Lesson progress, quiz attempts, the evaluation and the certificate all hang off an
    enrollment, which is what makes `issue_certificate()` idempotent per learner, course and cycle.
    """

    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("user_id", "course_slug", "cycle"),
        Index("ix_enrollment_course_user", "course_slug", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(32))
    cycle: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_module_slug: Mapped[str | None] = mapped_column(String(64))
    last_lesson_slug: Mapped[str | None] = mapped_column(String(96))
    lessons_completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User")
    lessons: Mapped[list[LessonProgress]] = relationship(
        back_populates="enrollment", cascade="all, delete-orphan"
    )


class LessonProgress(Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "module_slug", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), index=True
    )
    module_slug: Mapped[str] = mapped_column(String(64))
    lesson_slug: Mapped[str] = mapped_column(String(96))
    first_opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seconds_spent: Mapped[int] = mapped_column(default=0)

    enrollment: Mapped[Enrollment] = relationship(back_populates="lessons")


class CompletionRecord(Model):
    """One learner's standing in one course, as the completion report shows it.

    Derived data, never written by hand: `app.services.records` recomputes a learner's row in
    the same transaction whenever their enrollments, lesson progress, attempts or certificates
    change (a session hook), and `postrx reports rebuild` recomputes every row. It exists so a
    report of 100,000 learners reads one row per person instead of aggregating a million
    lesson-progress rows each time.
    """

    __tablename__ = "completion_record"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    course_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The later of the latest enrollment completion and the latest valid certificate.
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    modules_completed: Mapped[int] = mapped_column(default=0)
    quiz_scores: Mapped[str | None] = mapped_column(Text)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_number: Mapped[str | None] = mapped_column(String(32))
    certificate_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    certificate_credits: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # When any value above last changed (a recompute that finds nothing new leaves it alone):
    # what the API's `since` filter reads, so a sync also learns of a revoked certificate.
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
