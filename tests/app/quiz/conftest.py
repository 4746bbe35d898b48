"""Fixtures for the quiz web layer: the bundled bank imported, a learner and their cycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.db_tx import transaction
from app.models import Enrollment, User
from app.models.quiz import Attempt
from app.services import quiz as svc
from app.services.enrollment import ensure_enrollment
from quizzes import default_bank_root
from tests.app.quiz.helpers import bad_response, good_response, no_findings
from vocab import COURSE_SLUG

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank(app):
    with transaction():  # as the CLI does
        return svc.import_bank([default_bank_root()])


@pytest.fixture
def learner(make_user) -> User:
    return make_user(name="Quinn Learner")


@pytest.fixture
def enrollment(learner: User) -> Enrollment:
    from app.extensions import db

    e = ensure_enrollment(learner, COURSE_SLUG, "1")
    db.session.commit()
    return e


def answer_all(attempt: Attempt, *, good: bool = True, skip: int = 0) -> None:
    """Save an answer to every scenario of the attempt (but the last `skip`)."""
    rows = svc.scenario_rows(attempt)
    for row in rows[: len(rows) - skip]:
        scenario = svc.load_scenario(row)
        rubric = svc.load_rubric(row.rubric_version)
        resp = (good_response if good else bad_response)(scenario, rubric)
        with transaction():
            svc.save_answer(attempt, row.id, list(resp.selected), resp.text)


@pytest.fixture
def take_quiz(bank, learner, enrollment) -> Callable[..., Attempt]:
    """Start, answer and submit an attempt; returns the graded attempt."""

    def do(quiz_key: str = "quiz-04-risks", *, good: bool = True, now: datetime = NOW) -> Attempt:
        with transaction():
            attempt = svc.start_attempt(learner, enrollment, quiz_key, now)
        answer_all(attempt, good=good)
        with transaction():
            return svc.submit_attempt(attempt.id, learner, now, privacy_check=no_findings)

    return do
