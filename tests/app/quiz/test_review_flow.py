"""A written answer that waits for an educator never strands the learner.

The learner is told where she looks (dashboard, quiz page, certificate card) with the date she
submitted; educators see the queue on their dashboard and get a daily digest; a quiz may release
the certificate on a clear provisional pass.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role
from app.services import quiz as svc
from app.services.quiz import review
from tests.app.quiz.conftest import NOW, answer_all
from tests.app.quiz.helpers import no_findings

QUIZ = "quiz-04-risks"


@pytest.fixture
def awaiting(bank, learner, enrollment):
    """A good attempt at a quiz whose written answers all go to review."""

    def do(release: str = "confirmed"):
        qd = svc.quiz_definition(QUIZ)
        qd.review, qd.release = "all", release
        db.session.commit()
        attempt = svc.start_attempt(learner, enrollment, QUIZ, NOW)
        answer_all(attempt, good=True)
        attempt = svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
        assert attempt.status == "awaiting_review"
        return attempt

    return do


def test_the_learner_sees_awaiting_review_with_the_date_on_dashboard_quiz_page_and_certificate(
    client, login, learner, awaiting
):
    awaiting()
    login(learner)
    dashboard = unescape(client.get("/dashboard").get_data(as_text=True))
    assert "Awaiting an educator's review · submitted 01 Mar 2025" in dashboard
    assert "are awaiting an educator's review (submitted 01 Mar 2025)" in dashboard
    assert "Pass the module quiz: Module 4" not in dashboard
    landing = client.get(f"/quiz/{QUIZ}").get_data(as_text=True)
    assert "Educators aim to review within 3 working days" in landing
    assert "your certificate unlocks once the grade is confirmed" in landing


def test_an_educator_sees_the_queue_count_on_the_dashboard(client, login, make_user, awaiting):
    awaiting()
    educator = make_user(Role.EDUCATOR, email="ed@example.org")
    login(educator)
    html = client.get("/dashboard").get_data(as_text=True)
    count = review.queue_summary().count
    assert count >= 1
    assert f"<strong>{count}</strong> written answer" in html
    assert "the oldest was submitted 01 Mar 2025" in html


def test_a_learner_does_not_see_the_review_queue_card(client, login, learner, awaiting):
    awaiting()
    login(learner)
    assert "review-card-heading" not in client.get("/dashboard").get_data(as_text=True)


def test_the_daily_digest_mails_each_educator_once_a_day(app, make_user, awaiting, runner):
    awaiting()
    ed1 = make_user(Role.EDUCATOR, email="ed1@example.org")
    make_user(Role.EDUCATOR, email="ed2@example.org")
    make_user(email="learner2@example.org")
    result = runner.invoke(args=["author", "review-digest"])
    assert result.exit_code == 0, result.output
    assert "sent to 2 educator(s)" in result.output
    outbox = app.extensions["postrx_outbox"]
    assert sorted(to for to, _, _ in outbox) == ["ed1@example.org", "ed2@example.org"]
    _to, subject, body = outbox[0]
    assert "to review" in subject and "/author/review" in body
    again = runner.invoke(args=["author", "review-digest"])
    assert "No digest sent" in again.output and len(outbox) == 2
    forced = runner.invoke(args=["author", "review-digest", "--force"])
    assert forced.exit_code == 0 and len(outbox) == 4
    assert ed1.email in {to for to, _, _ in outbox}
    digests = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "review.digest")
    )
    assert digests == 2


def test_no_digest_is_sent_for_an_empty_queue(app, make_user):
    make_user(Role.EDUCATOR, email="ed@example.org")
    assert review.send_digest("http://x", NOW) == []
    assert app.extensions.get("postrx_outbox", []) == []


def test_a_clear_provisional_pass_releases_the_certificate_when_the_quiz_allows_it(
    awaiting, enrollment
):
    attempt = awaiting(release="provisional")
    assert attempt.result["provisional_clear_pass"] is True
    status = svc.quiz_status(enrollment, QUIZ, NOW + timedelta(minutes=1))
    assert status.passed and status.provisional_pass and status.awaiting_review


def test_without_provisional_release_the_quiz_waits_for_the_review(awaiting, enrollment):
    awaiting()
    status = svc.quiz_status(enrollment, QUIZ, NOW + timedelta(minutes=1))
    assert not status.passed and not status.provisional_pass and status.awaiting_review
    assert status.awaiting_since == NOW


def test_a_critical_criterion_in_doubt_is_not_a_clear_pass(awaiting, enrollment):
    attempt = awaiting(release="provisional")
    answer = next(a for a in attempt.answers if a.needs_review)
    result = dict(answer.result)
    result["criteria"] = [
        {**c, "confidence": 0.3} if c.get("critical") else c for c in result["criteria"]
    ]
    assert any(c.get("critical") for c in result["criteria"])
    answer.result = result
    qr = svc.quiz_result(attempt, svc.scenario_rows(attempt))
    assert svc.clear_provisional_pass(attempt, qr) is False
