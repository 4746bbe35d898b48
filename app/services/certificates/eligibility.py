"""Eligibility: every module, every quiz and the evaluation before a certificate is released;
the time recorded and the credit a learner can attest."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrollment, LessonProgress
from app.models.certificate import CourseEvaluation
from app.services.certificates.settings import _learning, _path, _quizzes, get_course
from certificates.model import claimable_credit

# ------------------------------------------------------------------ eligibility


@dataclass(frozen=True, slots=True)
class Missing:
    """A requirement not yet met, with where to go to meet it."""

    text: str
    url: str | None = None
    kind: str = ""  # start | module | quiz | review | evaluation


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether the certificate can be released for an enrollment, and what is still missing."""

    met: bool
    missing: list[Missing]
    modules_done: bool = False
    quizzes_passed: bool = False
    evaluation_submitted: bool = False

    @property
    def ready_for_evaluation(self) -> bool:
        """Modules and quizzes done: the evaluation and attestation form may be shown."""
        return self.modules_done and self.quizzes_passed and not self.evaluation_submitted


def evaluation_for(enrollment: Enrollment) -> CourseEvaluation | None:
    return db.session.scalar(
        select(CourseEvaluation).where(CourseEvaluation.enrollment_id == enrollment.id)
    )


def eligibility(enrollment: Enrollment | None) -> Eligibility:
    """Every module complete, every module quiz and the final assessment passed, and the
    evaluation (with the time attestation) submitted: only then is a certificate released."""
    if enrollment is None:
        return Eligibility(
            False, [Missing("Start the course.", _path("learn.overview", "/course/"), "start")]
        )
    course = get_course()
    done = _learning().modules_completed(enrollment)
    missing: list[Missing] = []
    for module in course.modules:
        if module.slug not in done:
            missing.append(
                Missing(
                    f"Complete module {module.position}: {module.title}.",
                    _path("learn.module", "/course/", module_slug=module.slug),
                    "module",
                )
            )
    modules_done = not missing
    quizzes_passed = bool(_quizzes().required_quizzes_passed(enrollment))
    if not quizzes_passed:
        missing.extend(_quiz_reasons(enrollment))
    evaluation_submitted = evaluation_for(enrollment) is not None
    if not evaluation_submitted:
        missing.append(
            Missing(
                "Submit the course evaluation and attest the time you spent.",
                _path("certify.claim", "/certificates/claim"),
                "evaluation",
            )
        )
    return Eligibility(
        met=not missing,
        missing=missing,
        modules_done=modules_done,
        quizzes_passed=quizzes_passed,
        evaluation_submitted=evaluation_submitted,
    )


def _quiz_reasons(enrollment: Enrollment) -> list[Missing]:
    """One reason per quiz not yet passed, linking to it; a general one if none is named."""
    reasons = []
    for quiz in _quizzes().quiz_summary(enrollment):
        if not quiz.passed and quiz.awaiting_review:
            since = f" (submitted {quiz.awaiting_since:%d %b %Y})" if quiz.awaiting_since else ""
            reasons.append(
                Missing(
                    f"Your answers to {quiz.title} are awaiting an educator's review{since}. "
                    "Your certificate unlocks once the grade is confirmed.",
                    _path("quiz.landing", "/quiz/", quiz_key=quiz.quiz_key),
                    "review",
                )
            )
        elif not quiz.passed:
            what = "the final assessment" if quiz.is_final else "the module quiz"
            reasons.append(
                Missing(
                    f"Pass {what}: {quiz.title}.",
                    _path("quiz.landing", "/quiz/", quiz_key=quiz.quiz_key),
                    "quiz",
                )
            )
    return reasons or [
        Missing(
            "Pass every module quiz and the final assessment.",
            _path("quiz.index", "/quiz/"),
            "quiz",
        )
    ]


def recorded_minutes(enrollment: Enrollment) -> int:
    """Time on task the site recorded for this cycle (lesson time), shown as a guide only."""
    seconds = db.session.scalar(
        select(func.coalesce(func.sum(LessonProgress.seconds_spent), 0)).where(
            LessonProgress.enrollment_id == enrollment.id
        )
    )
    return int(seconds or 0) // 60


def max_minutes(course: Any) -> int:
    """The longest time a learner can attest: the course's maximum credit in minutes."""
    return int(Decimal(str(course.max_credit_hours)) * 60)


def credit_for(minutes: int, course: Any) -> Decimal:
    """Credit claimable for the attested minutes: nearest 0.25 hour, capped at the maximum."""
    return claimable_credit(max(0, min(int(minutes), max_minutes(course))), course.max_credit_hours)
