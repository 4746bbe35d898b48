"""Fixtures for certificate tests: controllable course progress and a one-call issue helper.

Module and quiz completion belong to the learn and quiz areas; these tests pin them with
monkeypatch so each certificate rule can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from app.extensions import db
from app.models import Enrollment, User
from app.models.certificate import Certificate
from app.services import certificates as svc
from app.services.enrollment import ensure_enrollment

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ANSWERS = {"objectives_met": "5", "relevance": "4", "free_of_bias": "yes", "comments": "Useful."}


@dataclass
class FakeQuiz:
    quiz_key: str
    title: str
    is_final: bool
    passed: bool
    awaiting_review: bool = False
    awaiting_since: datetime | None = None


@dataclass
class Progress:
    """What the learn and quiz areas report; everything complete unless a test says otherwise."""

    modules_missing: set[str] = field(default_factory=set)
    quizzes_failed: set[str] = field(default_factory=set)

    def quizzes(self) -> list[FakeQuiz]:
        return [
            FakeQuiz(
                "module-4", "Spotting the four risks", False, "module-4" not in self.quizzes_failed
            ),
            FakeQuiz("final", "Final assessment", True, "final" not in self.quizzes_failed),
        ]


@pytest.fixture
def progress(app, monkeypatch) -> Progress:
    from app.services import learning
    from app.services import quiz as quizzes

    state = Progress()
    course = learning.get_course()

    def modules_completed(_enrollment: Any) -> frozenset[str]:
        return frozenset(m.slug for m in course.modules if m.slug not in state.modules_missing)

    monkeypatch.setattr(learning, "modules_completed", modules_completed)
    monkeypatch.setattr(quizzes, "quiz_summary", lambda _e, now=None: state.quizzes())
    monkeypatch.setattr(
        quizzes, "required_quizzes_passed", lambda _e: all(q.passed for q in state.quizzes())
    )
    return state


@pytest.fixture
def enroll(app) -> Callable[[User], Enrollment]:
    def do(user: User) -> Enrollment:
        from app.services.learning import get_course

        enrollment = ensure_enrollment(user, svc.COURSE_SLUG, get_course().version)
        db.session.commit()
        return enrollment

    return do


@pytest.fixture
def issue(app, progress, enroll) -> Callable[..., Certificate]:
    """Complete the course for `user` and claim the certificate (evaluation + attestation)."""

    def do(user: User, *, minutes: int = 90, now: datetime = NOW) -> Certificate:
        from app.services.enrollment import current_enrollment

        enrollment = current_enrollment(user, svc.COURSE_SLUG) or enroll(user)
        return svc.claim_certificate(
            enrollment, answers=ANSWERS, minutes=minutes, now=now, base_url="http://verify.test"
        )

    return do


def complete_course_for_real(user: User, *, now: datetime = NOW) -> Enrollment:
    """Every lesson complete and every quiz passed, written as the learn and quiz areas
    store them, so the real `modules_completed` and `required_quizzes_passed` say yes."""
    from app.models import LessonProgress
    from app.models.quiz import Attempt, QuizDefinition
    from app.services import learning
    from app.services import quiz as quizzes

    if db.session.scalar(db.select(QuizDefinition).limit(1)) is None:
        quizzes.setup_bank()
    enrollment = ensure_enrollment(user, svc.COURSE_SLUG, learning.get_course().version)
    for lesson in learning.get_course().iter_lessons():
        db.session.add(
            LessonProgress(
                enrollment_id=enrollment.id,
                module_slug=lesson.module_slug,
                lesson_slug=lesson.slug,
                first_opened_at=now,
                last_opened_at=now,
                completed_at=now,
                seconds_spent=lesson.minutes * 60,
            )
        )
    for qd in db.session.scalars(db.select(QuizDefinition)):
        db.session.add(
            Attempt(
                enrollment_id=enrollment.id,
                user_id=user.id,
                quiz_key=qd.quiz_key,
                pass_mark=qd.pass_mark,
                status="graded",
                started_at=now,
                submitted_at=now,
                graded_at=now,
                score=0.95,
                passed=True,
                scenario_version_ids=[],
            )
        )
    db.session.commit()
    return enrollment
