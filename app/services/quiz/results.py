"""The result page: review items per scenario and what the quiz's review options show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

import quizzes
from app.extensions import db
from app.models.quiz import (
    Attempt,
)
from app.services.quiz.attempts import _is_answered, _shown_order, scenario_rows
from app.services.quiz.bank import load_rubric, load_scenario, quiz_object
from app.services.quiz.common import QuizError, _now
from app.services.quiz.status import _status, quiz_definition
from quizzes import (
    Rubric,
    Scenario,
    ScenarioResult,
)
from vocab import guideline_wording


@dataclass(frozen=True, slots=True)
class CriterionView:
    title: str
    level_id: str
    level_descriptor: str
    points: float
    max_points: float
    feedback: str
    guidelines: tuple[tuple[int, str], ...]
    evidence: tuple[quizzes.Evidence, ...]
    critical_failure: bool
    override_note: str | None


@dataclass(frozen=True, slots=True)
class ScenarioReview:
    """After submission: the whole scenario, the answer and its graded result."""

    index: int
    scenario: Scenario
    selected: tuple[str, ...]
    text: str
    answered: bool
    result: ScenarioResult | None
    criteria: tuple[CriterionView, ...]
    needs_review: bool
    guideline_names: tuple[tuple[int, str], ...]


def _criterion_views(rubric: Rubric, result: ScenarioResult) -> tuple[CriterionView, ...]:
    out = []
    for cr in result.criteria:
        crit = rubric.criterion(cr.criterion_id)
        level = crit.level(cr.level_id)
        out.append(
            CriterionView(
                title=crit.title,
                level_id=cr.level_id,
                level_descriptor=level.descriptor,
                points=cr.points,
                max_points=cr.max_points,
                feedback=cr.feedback,
                guidelines=tuple((g, guideline_wording(g)) for g in cr.guidelines),
                evidence=cr.evidence,
                critical_failure=cr.critical_failure,
                override_note=cr.override_note,
            )
        )
    return tuple(out)


def review_items(attempt: Attempt) -> list[ScenarioReview]:
    """Per presented scenario, everything the result page may show. Only after submission.

    Options (in the scenario and in the option feedback) come in the order the learner saw."""
    if attempt.status in ("in_progress", "grading"):
        raise QuizError("The result is shown after the attempt is submitted.")
    out = []
    for i, row in enumerate(scenario_rows(attempt), start=1):
        scenario = load_scenario(row)
        rubric = load_rubric(row.rubric_version)
        answer = attempt.answer_for(row.id)
        result = ScenarioResult.from_dict(answer.result) if answer and answer.result else None
        order = {oid: n for n, oid in enumerate(_shown_order(attempt, scenario))}
        if scenario.options:
            scenario = replace(
                scenario, options=tuple(sorted(scenario.options, key=lambda o: order[o.id]))
            )
        if result is not None and result.option_feedback:
            result = replace(
                result,
                option_feedback=tuple(
                    sorted(result.option_feedback, key=lambda f: order.get(f.option_id, 0))
                ),
            )
        out.append(
            ScenarioReview(
                index=i,
                scenario=scenario,
                selected=tuple(answer.selected) if answer else (),
                text=answer.text if answer else "",
                answered=_is_answered(scenario, answer),
                result=result,
                criteria=_criterion_views(rubric, result) if result else (),
                needs_review=bool(answer and answer.needs_review),
                guideline_names=tuple((g, guideline_wording(g)) for g in scenario.guidelines),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class ResultPage:
    """The result page: the items and how much of them the review options let it show."""

    items: list[ScenarioReview]
    shows: str  # score | feedback | answers (quizzes.REVIEW_SHOWS)
    why: str  # one sentence for the learner: why the model answers are (not) shown


def result_page(attempt: Attempt, now: datetime | None = None) -> ResultPage:
    """Apply the quiz's review options (Moodle's anchor): after a failed attempt, feedback that
    teaches without revealing the keyed options of scenarios that may be drawn again; all of it
    after a pass, or when no attempt is left."""
    items = review_items(attempt)
    qd = quiz_definition(attempt.quiz_key)
    if qd is None:
        return ResultPage(items, "answers", "")
    opts = quiz_object(qd).review_options
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.enrollment_id == attempt.enrollment_id)
            .where(Attempt.quiz_key == attempt.quiz_key)
            .order_by(Attempt.started_at, Attempt.id)
        )
    )
    status = _status(qd, attempts, _now(now))
    if attempt.passed or status.passed:
        shows, why = opts.passed, "You have passed this quiz."
    elif status.attempts_left == 0 and status.in_progress_attempt_id is None:
        shows, why = opts.exhausted, "You have used the attempts for this window."
    else:
        shows = opts.failed
        why = (
            "The right options and the model answers are shown once you pass or have used "
            "your attempts: these scenarios may come up again on a retake."
        )
    if shows != "answers":
        items = [_without_key_evidence(item) for item in items]
    return ResultPage(items, shows, why)


def _without_key_evidence(item: ScenarioReview) -> ScenarioReview:
    """Drop evidence that names options the learner did not choose (it reveals the key)."""
    criteria = tuple(
        replace(c, evidence=tuple(e for e in c.evidence if not e.detail.startswith("did not")))
        for c in item.criteria
    )
    return replace(item, criteria=criteria)


def quiz_title(quiz_key: str) -> str:
    qd = quiz_definition(quiz_key)
    return qd.title if qd else quiz_key
