"""The educators' review queue for written answers (free_text and post_draft).

The quiz service decides which answers wait for review (low confidence, or all of them per the
quiz's setting) and `quizzes.apply_review` records one criterion decision, audits it and grades
the attempt once nothing of it waits any more. This module lists the queue and turns one review
form (a level per criterion and a note) into those decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.extensions import db
from app.models import User
from app.models.quiz import AttemptAnswer
from app.services import quizzes as quiz_service
from quizzes import Criterion, Scenario, ScenarioResult
from quizzes.model import LOW_CONFIDENCE

TEXT_TYPES = ("free_text", "post_draft")


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


def queue() -> list[QueueItem]:
    """Answers waiting for an educator, oldest first."""
    out = []
    for a in quiz_service.answers_needing_review():
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
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CriterionToReview:
    criterion: Criterion
    level_id: str
    confidence: float
    evidence: tuple
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
    scenario = quiz_service.load_scenario(row)
    rubric = quiz_service.load_rubric(row.rubric_version)
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
    quiz_service.apply_reviews(
        answer,
        {item.criterion.id: levels[item.criterion.id] for item in view.criteria},
        note,
        reviewer,
    )
    db.session.refresh(answer)
    return answer
