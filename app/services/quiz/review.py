"""The educators' review of written answers (free_text and post_draft): queue, decisions, digest.

The attempt service decides which answers wait for review (low confidence, or all of them per
the quiz's setting). `apply_reviews` records criterion decisions, audits each and grades the
attempt once nothing of it waits any more; `submit_review` turns one review form (a level per
criterion and a note) into those decisions; `send_digest` mails the queue once a day. The caller
owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

import quizzes
from app.extensions import db
from app.models import AuditEvent, Role, User, UserRole
from app.models.quiz import (
    Attempt,
    AttemptAnswer,
)
from app.services.audit import record
from app.services.mail import send_mail
from app.services.quiz.attempts import _finalise, scenario_rows
from app.services.quiz.bank import load_rubric, load_scenario
from app.services.quiz.common import TEXT_TYPES, QuizError, _now
from quizzes import (
    Criterion,
    Scenario,
    ScenarioResult,
)
from quizzes.model import LOW_CONFIDENCE, Evidence


def answers_needing_review() -> list[AttemptAnswer]:
    """The educators' review queue, oldest first."""
    return list(
        db.session.scalars(
            select(AttemptAnswer)
            .join(Attempt)
            .where(AttemptAnswer.needs_review.is_(True), Attempt.status == "awaiting_review")
            .order_by(AttemptAnswer.saved_at)
        )
    )


def apply_review(
    answer: AttemptAnswer,
    criterion_id: str,
    level_id: str,
    note: str,
    reviewer: User,
    now: datetime | None = None,
) -> AttemptAnswer:
    """An educator confirms or changes one criterion's level (with a note, audited)."""
    return apply_reviews(answer, {criterion_id: level_id}, note, reviewer, now)


def apply_reviews(
    answer: AttemptAnswer,
    levels: Mapping[str, str],
    note: str,
    reviewer: User,
    now: datetime | None = None,
) -> AttemptAnswer:
    """Apply an educator's decisions on several criteria as ONE transaction, each audited.

    When no answer of the attempt needs review any more, the attempt is graded. Any bad
    criterion or level raises QuizError before anything changes; the caller commits.
    """
    now = _now(now)
    if answer.result is None:
        raise QuizError("This answer has not been graded yet.")
    row = answer.scenario_version
    rubric = load_rubric(row.rubric_version)
    result = ScenarioResult.from_dict(answer.result)
    decisions = []
    for criterion_id, level_id in levels.items():  # every decision is checked before any is kept
        old_level = result.criterion(criterion_id).level_id
        try:
            result = quizzes.apply_override(result, criterion_id, level_id, note, rubric)
        except (KeyError, ValueError) as exc:
            raise QuizError(str(exc).strip("'\"")) from exc
        decisions.append((criterion_id, old_level, level_id))
    for criterion_id, old_level, level_id in decisions:
        record(
            "quiz.review",
            actor=reviewer,
            subject=f"attempt_answer:{answer.id}",
            attempt=answer.attempt_id,
            criterion=criterion_id,
            old_level=old_level,
            new_level=level_id,
            note=note.strip(),
        )
    answer.result = result.to_dict()
    answer.needs_review = result.needs_review
    answer.reviewed_at = now
    answer.reviewer_id = reviewer.id
    attempt = answer.attempt
    if attempt.status in ("awaiting_review", "graded"):
        _finalise(attempt, scenario_rows(attempt), now)
    db.session.flush()
    return answer


class ReviewError(Exception):
    """The review was refused (shown to the educator as is)."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    answer_id: int
    quiz_key: str
    scenario_title: str
    scenario_type: str
    saved_at: object
    low: tuple[str, ...]  # criteria with low confidence
    submitted_at: datetime | None = None  # when the learner submitted the attempt


def queue() -> list[QueueItem]:
    """Answers waiting for an educator, oldest first."""
    out = []
    for a in answers_needing_review():
        result = a.result or {}
        low = tuple(
            c["criterion_id"]
            for c in result.get("criteria", ())
            if c.get("confidence", 1.0) < LOW_CONFIDENCE and c.get("override_note") is None
        )
        out.append(
            QueueItem(
                a.id,
                a.attempt.quiz_key,
                a.scenario_version.title,
                a.scenario_version.type,
                a.saved_at,
                low,
                a.attempt.submitted_at,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CriterionToReview:
    criterion: Criterion
    level_id: str
    confidence: float
    evidence: tuple[Evidence, ...]
    override_note: str | None

    @property
    def low(self) -> bool:
        return self.confidence < LOW_CONFIDENCE and self.override_note is None


@dataclass(frozen=True, slots=True)
class AnswerReview:
    answer: AttemptAnswer
    scenario: Scenario
    result: ScenarioResult
    criteria: tuple[CriterionToReview, ...]


def reviewable_answer(answer_id: int) -> AttemptAnswer | None:
    """A written answer that has been graded (reviewable now or already reviewed)."""
    answer = db.session.get(AttemptAnswer, answer_id)
    if answer is None or answer.result is None or answer.scenario_version.type not in TEXT_TYPES:
        return None
    return answer


def answer_review(answer: AttemptAnswer) -> AnswerReview:
    """Everything the review page shows: the scenario, the text and each criterion's level."""
    row = answer.scenario_version
    scenario = load_scenario(row)
    rubric = load_rubric(row.rubric_version)
    result = ScenarioResult.from_dict(answer.result or {})
    items = tuple(
        CriterionToReview(
            rubric.criterion(cr.criterion_id),
            cr.level_id,
            cr.confidence,
            cr.evidence,
            cr.override_note,
        )
        for cr in result.criteria
    )
    return AnswerReview(answer, scenario, result, items)


def submit_review(
    answer: AttemptAnswer, levels: Mapping[str, str], note: str, reviewer: User
) -> AttemptAnswer:
    """Confirm or override every criterion of the answer with one note.

    Everything is checked before the first decision is stored, so a bad level id or a missing
    note changes nothing. All decisions land in one transaction (`apply_reviews`), each audited;
    the attempt is graded when no other answer of it waits for review.
    """
    if not answer.needs_review:
        raise ReviewError("This answer is not waiting for review.")
    if not note or not note.strip():
        raise ReviewError("Write a note saying why (the learner and the audit trail see it).")
    view = answer_review(answer)
    for item in view.criteria:
        lid = levels.get(item.criterion.id)
        if lid is None or not item.criterion.has_level(lid):
            raise ReviewError(f"Choose a level for “{item.criterion.title}”.")
    apply_reviews(
        answer,
        {item.criterion.id: levels[item.criterion.id] for item in view.criteria},
        note,
        reviewer,
    )
    db.session.refresh(answer)
    return answer


# --------------------------------------------------------------------------- queue summary, digest


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """What an educator's dashboard and the daily digest say about the queue."""

    count: int
    oldest: datetime | None  # when the longest-waiting answer was submitted
    items: tuple[QueueItem, ...]


def queue_summary() -> QueueSummary:
    items = tuple(queue())
    oldest = min((_aware(i.submitted_at) for i in items if i.submitted_at), default=None)
    return QueueSummary(len(items), oldest, items)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _educators() -> list[User]:
    rows = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(UserRole.role.in_((Role.EDUCATOR.value, Role.SITE_ADMIN.value)))
        .where(User.is_active_account.is_(True))
        .order_by(User.id)
        .distinct()
    )
    return list(rows)


def _digest_body(summary: QueueSummary, base_url: str, now: datetime) -> str:
    lines = [
        f"{summary.count} written answer{'s' if summary.count != 1 else ''} "
        "waiting for an educator's review on PostRx.",
    ]
    if summary.oldest is not None:
        days = (now - summary.oldest).days
        lines.append(f"The oldest was submitted {summary.oldest:%d %b %Y} ({days} days ago).")
    lines.append("")
    for item in summary.items[:20]:
        when = f", submitted {item.submitted_at:%d %b}" if item.submitted_at else ""
        lines.append(f"- {item.scenario_title} ({item.quiz_key}){when}")
    if summary.count > 20:
        lines.append(f"- … and {summary.count - 20} more")
    lines += ["", f"Open the queue: {base_url}/author/review", ""]
    lines.append("Learners see 'awaiting an educator's review' until their answers are confirmed.")
    return "\n".join(lines)


def send_digest(base_url: str, now: datetime, *, force: bool = False) -> list[str]:
    """Mail every educator the state of the review queue, once a day.

    Nothing is sent when the queue is empty, or (unless `force`) when today's digest went out
    already — so a cron job or a retried task can run it as often as it likes. Returns the
    addresses mailed. The caller owns the transaction (the audit row marks the day as done).
    """
    summary = queue_summary()
    if summary.count == 0:
        return []
    day = now.date().isoformat()
    already = db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "review.digest", AuditEvent.subject == f"day:{day}"
        )
    )
    if already is not None and not force:
        return []
    subject = f"PostRx: {summary.count} answer{'s' if summary.count != 1 else ''} to review"
    body = _digest_body(summary, base_url, now)
    sent = []
    for educator in _educators():
        send_mail(educator.email, subject, body)
        sent.append(educator.email)
    record("review.digest", actor=None, subject=f"day:{day}", count=summary.count, to=len(sent))
    return sent
