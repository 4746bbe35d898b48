"""Versioned scenario bank rows, quiz definitions and learners' attempts.

Published content is immutable: an edit to a rubric or scenario makes a new version row, and an
attempt stores the ids of exactly the scenario versions it presented (each pinned to the rubric
version it is graded with), so a later edit never changes what a learner saw or was graded on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow

CONTENT_STATUSES = ("draft", "published", "archived")
ATTEMPT_STATUSES = ("in_progress", "grading", "awaiting_review", "graded")


class RubricVersion(Model):
    """One immutable version of a rubric; `data` is the rubric as the bank dumps it."""

    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("rubric_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_key: Mapped[str] = mapped_column(String(96), index=True)
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="published")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScenarioVersion(Model):
    """One immutable version of a scenario, pinned to the rubric version that grades it."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_key: Mapped[str] = mapped_column(String(96), index=True)
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    module_slug: Mapped[str] = mapped_column(String(64), index=True)
    guidelines: Mapped[list[int]] = mapped_column(JSON)
    risks: Mapped[list[str]] = mapped_column(JSON)
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_version.id", ondelete="RESTRICT"), index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="published")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    rubric_version: Mapped[RubricVersion] = relationship(lazy="joined")


class QuizDefinition(Model):
    """A module quiz or the final assessment. Editable (bumps `version`); attempts copy what
    they need (pass mark, presented scenario versions) when they start."""

    __tablename__ = "quiz_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_key: Mapped[str] = mapped_column(String(96), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    module_slug: Mapped[str | None] = mapped_column(String(64), index=True)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    pass_mark: Mapped[float] = mapped_column(Float, default=0.8)
    order: Mapped[str] = mapped_column(String(16), default="fixed")
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    cooldown_hours: Mapped[float] = mapped_column(Float, default=0)
    keep: Mapped[str] = mapped_column(String(16), default="best")
    review: Mapped[str] = mapped_column(String(16), default="low-confidence")
    scenario_keys: Mapped[list[str]] = mapped_column(JSON)  # the whole pool
    # Slots an attempt draws from ([{"title", "from": [...], "pick"}]); None: every scenario.
    draw: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Review options: what the result page shows after a failed attempt, a pass, or a failed
    # attempt with no attempt left (score | feedback | answers).
    review_failed: Mapped[str] = mapped_column(String(16), default="feedback")
    review_passed: Mapped[str] = mapped_column(String(16), default="answers")
    review_exhausted: Mapped[str] = mapped_column(String(16), default="answers")
    release: Mapped[str] = mapped_column(String(16), default="confirmed")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Attempt(Model):
    """One sitting of a quiz in one enrollment (cycle)."""

    __tablename__ = "attempt"
    __table_args__ = (
        Index("ix_attempt_enrollment_quiz", "enrollment_id", "quiz_key"),
        Index("ix_attempt_user_quiz", "user_id", "quiz_key"),
        Index("ix_attempt_quiz_status", "quiz_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    quiz_key: Mapped[str] = mapped_column(String(96))
    quiz_version: Mapped[int] = mapped_column(Integer, default=1)
    pass_mark: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="in_progress", index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    graded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # Seeds the draw and the option order: pages show exactly the order the learner saw.
    shuffle_seed: Mapped[int | None] = mapped_column(Integer)
    scenario_version_ids: Mapped[list[int]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptAnswer.id"
    )

    def answer_for(self, scenario_version_id: int) -> AttemptAnswer | None:
        for answer in self.answers:
            if answer.scenario_version_id == scenario_version_id:
                return answer
        return None


class AttemptAnswer(Model):
    """The learner's answer to one presented scenario version, and its graded result."""

    __tablename__ = "attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "scenario_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    scenario_version_id: Mapped[int] = mapped_column(
        ForeignKey("scenario_version.id", ondelete="RESTRICT")
    )
    selected: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    scenario_version: Mapped[ScenarioVersion] = relationship(lazy="joined")
