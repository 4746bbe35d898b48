"""Attempt policy, windows and the learner's quiz status and summaries.

Attempt policy (documented for learners on the quiz page): a learner may start `max_attempts`
attempts per window. When the last attempt of a window has been submitted, a cool-down of
`cooldown_hours` starts; once it is over, the counter resets and a new window of `max_attempts`
begins. Attempts in earlier windows keep counting for the score: `keep=best` reports the best
graded attempt, `keep=latest` the latest one. Passing does not block a retake."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select

from app.extensions import db
from app.models import Enrollment, User
from app.models.quiz import (
    Attempt,
    QuizDefinition,
)
from app.services.quiz.bank import quiz_object
from app.services.quiz.common import QuizError, _aware, _now
from vocab import COURSE_SLUG

# --------------------------------------------------------------------------- status and policy


@dataclass(frozen=True, slots=True)
class QuizStatus:
    quiz_key: str
    title: str
    module_slug: str | None
    is_final: bool
    pass_mark: float
    max_attempts: int
    cooldown_hours: float
    keep: str
    best_score: float | None
    passed: bool
    attempts_used: int
    attempts_left: int
    next_allowed_at: datetime | None
    in_progress_attempt_id: int | None
    awaiting_review: bool
    scenario_count: int = 0  # scenarios one attempt presents
    awaiting_since: datetime | None = None  # submission of the oldest attempt under review
    provisional_pass: bool = False  # passed on a clear provisional grade (release: provisional)

    @property
    def can_start(self) -> bool:
        return self.in_progress_attempt_id is not None or self.attempts_left > 0


def quiz_definition(quiz_key: str) -> QuizDefinition | None:
    return db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == quiz_key))


def quiz_for_module(module_slug: str) -> QuizDefinition | None:
    return db.session.scalar(
        select(QuizDefinition)
        .where(QuizDefinition.module_slug == module_slug, QuizDefinition.is_final.is_(False))
        .order_by(QuizDefinition.id)
        .limit(1)
    )


def _attempts(enrollment: Enrollment, quiz_key: str) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.enrollment_id == enrollment.id, Attempt.quiz_key == quiz_key)
            .order_by(Attempt.started_at, Attempt.id)
        )
    )


def _window(
    attempts: Iterable[Attempt], qd: QuizDefinition, now: datetime
) -> tuple[int, datetime | None]:
    """(attempts used in the current window, end of the cool-down if locked)."""
    used = 0
    lock_until: datetime | None = None
    for a in attempts:
        started = _aware(a.started_at)
        if used >= qd.max_attempts and lock_until is not None and started >= lock_until:
            used, lock_until = 0, None
        used += 1
        if used >= qd.max_attempts and a.submitted_at is not None:
            lock_until = _aware(a.submitted_at) + timedelta(hours=qd.cooldown_hours)
    if used >= qd.max_attempts and lock_until is not None and now >= lock_until:
        return 0, None
    if used >= qd.max_attempts:
        return used, lock_until
    return used, None


def _status(qd: QuizDefinition, attempts: list[Attempt], now: datetime) -> QuizStatus:
    used, lock = _window(attempts, qd, now)
    graded = [a for a in attempts if a.status == "graded"]
    if qd.keep == "latest" and graded:
        latest = max(graded, key=lambda a: (_aware(a.graded_at) or now, a.id))
        best, passed = latest.score, bool(latest.passed)
    else:
        best = max((a.score for a in graded if a.score is not None), default=None)
        passed = any(a.passed for a in graded)
    in_progress = next((a.id for a in attempts if a.status == "in_progress"), None)
    waiting = [a for a in attempts if a.status == "awaiting_review"]
    provisional = (
        not passed
        and qd.release == "provisional"
        and any((a.result or {}).get("provisional_clear_pass") for a in waiting)
    )
    return QuizStatus(
        quiz_key=qd.quiz_key,
        title=qd.title,
        module_slug=qd.module_slug,
        is_final=qd.is_final,
        pass_mark=qd.pass_mark,
        max_attempts=qd.max_attempts,
        cooldown_hours=qd.cooldown_hours,
        keep=qd.keep,
        best_score=best,
        passed=passed or provisional,
        attempts_used=used,
        attempts_left=max(0, qd.max_attempts - used),
        next_allowed_at=lock,
        in_progress_attempt_id=in_progress,
        awaiting_review=bool(waiting),
        scenario_count=quiz_object(qd).shown,
        awaiting_since=min(
            (_aware(a.submitted_at) for a in waiting if a.submitted_at), default=None
        ),
        provisional_pass=provisional,
    )


def quiz_status(enrollment: Enrollment, quiz_key: str, now: datetime | None = None) -> QuizStatus:
    qd = quiz_definition(quiz_key)
    if qd is None:
        raise QuizError(f"there is no quiz {quiz_key!r}")
    return _status(qd, _attempts(enrollment, quiz_key), _now(now))


def all_definitions() -> list[QuizDefinition]:
    defs = list(db.session.scalars(select(QuizDefinition)))
    return sorted(defs, key=lambda d: (d.is_final, d.module_slug or "", d.quiz_key))


def quiz_summary(enrollment: Enrollment, now: datetime | None = None) -> list[QuizStatus]:
    """Every quiz (module quizzes in module order, then the final) with this learner's status."""
    now = _now(now)
    by_quiz: dict[str, list[Attempt]] = {}
    for a in db.session.scalars(
        select(Attempt)
        .where(Attempt.enrollment_id == enrollment.id)
        .order_by(Attempt.started_at, Attempt.id)
    ):
        by_quiz.setdefault(a.quiz_key, []).append(a)
    return [_status(qd, by_quiz.get(qd.quiz_key, []), now) for qd in all_definitions()]


def required_quizzes_passed(enrollment: Enrollment) -> bool:
    """Every module quiz and the final passed (False while no final assessment is defined)."""
    summary = quiz_summary(enrollment)
    return any(s.is_final for s in summary) and all(s.passed for s in summary)


# --------------------------------------------------------------------------- enrollment


@lru_cache(maxsize=1)
def _course_version() -> str:
    try:
        from modules import default_content_root, load_course

        return load_course(default_content_root() / COURSE_SLUG).version
    except Exception:  # the quiz works without the course content
        return "1"


def learner_enrollment(user: User) -> Enrollment:
    """The learner's current cycle in the course, created (flushed) on first use."""
    from app.services.enrollment import ensure_enrollment

    return ensure_enrollment(user, COURSE_SLUG, _course_version())


def current_learner_enrollment(user: User) -> Enrollment | None:
    from app.services.enrollment import current_enrollment

    return current_enrollment(user, COURSE_SLUG)


@dataclass(frozen=True, slots=True)
class LandingPage:
    definition: QuizDefinition
    status: QuizStatus
    attempts: list[Attempt]


def landing(user: User, quiz_key: str, now: datetime | None = None) -> LandingPage | None:
    """The quiz page: definition, the learner's status and previous attempts (None: no quiz).

    Reads only; a learner who has not started the course sees a fresh status."""
    now = _now(now)
    qd = quiz_definition(quiz_key)
    if qd is None:
        return None
    enrollment = current_learner_enrollment(user)
    attempts = _attempts(enrollment, quiz_key) if enrollment else []
    return LandingPage(qd, _status(qd, attempts, now), list(reversed(attempts)))


def learner_summary(user: User, now: datetime | None = None) -> list[QuizStatus]:
    enrollment = current_learner_enrollment(user)
    if enrollment is None:
        return [_status(qd, [], _now(now)) for qd in all_definitions()]
    return quiz_summary(enrollment, now)


def module_quiz_card(
    user: User | None, module_slug: str, now: datetime | None = None
) -> QuizStatus | None:
    """The module's quiz and (for a signed-in learner) their status, for the module page."""
    qd = quiz_for_module(module_slug)
    if qd is None:
        return None
    enrollment = current_learner_enrollment(user) if user is not None else None
    attempts = _attempts(enrollment, qd.quiz_key) if enrollment else []
    return _status(qd, attempts, _now(now))
