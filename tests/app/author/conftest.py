"""Fixtures for the authoring tests: a small bank (the guide's examples), an educator, a learner
who has taken the quiz."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.db_tx import transaction
from app.extensions import db
from app.models import Role, User
from app.models.quiz import Attempt
from app.services import quiz as svc
from app.services.enrollment import ensure_enrollment
from vocab import COURSE_SLUG

BANK = Path(__file__).parent / "bank"
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class _NoFindings:
    risk = "none"
    findings = ()


def no_findings(_text: str) -> _NoFindings:
    return _NoFindings()


@pytest.fixture
def bank(app):
    with transaction():  # as the CLI does
        return svc.import_bank([BANK])


@pytest.fixture
def educator(make_user) -> User:
    return make_user(Role.EDUCATOR, email="edu@example.org", name="Eda Educator")


@pytest.fixture
def as_educator(educator, login):
    login(educator)
    return educator


@pytest.fixture
def take(bank, make_user) -> Callable[..., Attempt]:
    """A new learner answers quiz-04-risks (answers: scenario key -> option ids or text)."""

    def do(answers: dict[str, list[str] | str], now: datetime = NOW) -> Attempt:
        learner = make_user()
        enrollment = ensure_enrollment(learner, COURSE_SLUG, "1")
        db.session.commit()
        with transaction():
            attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", now)
        for row in svc.scenario_rows(attempt):
            a = answers.get(row.scenario_key)
            if a is None:
                continue
            if isinstance(a, str):
                with transaction():
                    svc.save_answer(attempt, row.id, [], a, now)
            else:
                with transaction():
                    svc.save_answer(attempt, row.id, a, "", now)
        with transaction():
            return svc.submit_attempt(attempt.id, learner, now, privacy_check=no_findings)

    return do
