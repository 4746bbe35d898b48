"""The learner's quiz pages: landing, answer pages, review, submit and the result."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from app.models.quiz import Attempt
from app.services import quiz as svc
from tests.app.quiz.helpers import bad_response, good_response
from vocab import guideline_wording


@pytest.fixture
def signed_in(client, bank, learner, login):
    login(learner)
    return client


def _start(client, quiz_key: str = "quiz-04-risks") -> Attempt:
    resp = client.post(f"/quiz/{quiz_key}/start")
    assert resp.status_code == 302
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)/1$", resp.headers["Location"]).group(1))
    return db.session.get_one(Attempt, attempt_id)


def _answer_through_pages(client, attempt: Attempt, *, good: bool = True) -> list[str]:
    """GET and POST every answer page the way a browser would; returns the pages' HTML."""
    pages = []
    rows = svc.scenario_rows(attempt)
    for n, row in enumerate(rows, start=1):
        page = client.get(f"/quiz/attempt/{attempt.id}/{n}")
        assert page.status_code == 200
        pages.append(htmllib.unescape(page.get_data(as_text=True)))
        scenario = svc.load_scenario(row)
        resp = (good_response if good else bad_response)(
            scenario, svc.load_rubric(row.rubric_version)
        )
        action = "next" if n < len(rows) else "review"
        data = {"selected": list(resp.selected), "text": resp.text, "action": action}
        post = client.post(f"/quiz/attempt/{attempt.id}/{n}", data=data)
        assert post.status_code == 302
    assert post.headers["Location"].endswith(f"/quiz/attempt/{attempt.id}/review")
    return pages


def test_the_quiz_page_shows_the_pass_mark_attempts_and_cooldown_rule(signed_in):
    html = signed_in.get("/quiz/quiz-04-risks").get_data(as_text=True)
    assert "Module 4 quiz: Risks and challenges" in html
    assert "80%" in html and "3 of 3" in html and "24 hours" in html
    assert "Start the quiz" in html


def test_an_unknown_quiz_is_a_404(signed_in):
    assert signed_in.get("/quiz/no-such-quiz").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, bank):
    resp = client.get("/quiz/quiz-04-risks")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_answer_pages_never_reveal_answers_feedback_or_rubric_mappings(signed_in):
    attempt = _start(signed_in)
    pages = _answer_through_pages(signed_in, attempt)
    review = htmllib.unescape(
        signed_in.get(f"/quiz/attempt/{attempt.id}/review").get_data(as_text=True)
    )
    for row, html in zip(svc.scenario_rows(attempt), pages, strict=True):
        scenario = svc.load_scenario(row)
        rubric = svc.load_rubric(row.rubric_version)
        assert scenario.prompt in html
        public = " ".join(
            [scenario.title, scenario.situation, scenario.prompt]
            + [o.text for o in scenario.options]
        )
        secrets = [o.feedback for o in scenario.options]
        secrets += [lvl.feedback for c in rubric.criteria for lvl in c.levels]
        secrets += [lvl.descriptor for c in rubric.criteria for lvl in c.levels]
        secrets += [scenario.debrief[:60]]
        phrases = [p for _, rules in scenario.concepts for r in rules for p in r.phrases]
        for secret in secrets + phrases:
            # a phrase may legitimately occur in the situation itself; short ones in any word
            if len(secret) > 8 and secret not in public:
                assert secret not in html, f"{scenario.id}: leaked {secret!r}"
        for secret in secrets:  # the review page quotes the learner's own text, not ours
            assert secret not in review, f"{scenario.id}: leaked {secret!r} on review"
        levels = {lid for o in scenario.options for _, lid in o.levels}
        for lid in levels:
            assert f'value="{lid}"' not in html and f'"{lid}"' not in html
        assert "correct" not in html.lower()


def test_the_review_page_flags_unanswered_scenarios(signed_in):
    attempt = _start(signed_in)
    signed_in.post(f"/quiz/attempt/{attempt.id}/1", data={"selected": ["a"], "action": "next"})
    html = signed_in.get(f"/quiz/attempt/{attempt.id}/review").get_data(as_text=True)
    shown = len(attempt.scenario_version_ids)
    assert f"{shown - 1} of {shown} scenarios have no answer" in html
    assert html.count("Not answered") == shown - 1


def test_a_learner_takes_a_quiz_and_sees_feedback_with_evidence_and_guidelines(signed_in):
    attempt = _start(signed_in)
    _answer_through_pages(signed_in, attempt)
    resp = signed_in.post(f"/quiz/attempt/{attempt.id}/submit")
    assert resp.headers["Location"].endswith(f"/quiz/attempt/{attempt.id}")
    html = htmllib.unescape(signed_in.get(f"/quiz/attempt/{attempt.id}").get_data(as_text=True))
    assert "100%" in html and "Passed" in html
    assert f"Guideline 2: {guideline_wording(2)}" in html
    assert "You chose:" in html and "We found" in html
    selfie = svc.load_scenario(svc.scenario_rows(attempt)[0])
    for option in selfie.options:  # why every distractor was wrong, after submission
        assert option.feedback in html
    assert "Debrief" in html


def test_a_failed_attempt_shows_not_passed_and_the_critical_error(signed_in):
    attempt = _start(signed_in)
    _answer_through_pages(signed_in, attempt, good=False)
    signed_in.post(f"/quiz/attempt/{attempt.id}/submit")
    html = signed_in.get(f"/quiz/attempt/{attempt.id}").get_data(as_text=True)
    assert "Not passed" in html and "Critical error" in html


def test_posting_submit_twice_grades_once(signed_in):
    attempt = _start(signed_in)
    _answer_through_pages(signed_in, attempt)
    first = signed_in.post(f"/quiz/attempt/{attempt.id}/submit")
    second = signed_in.post(f"/quiz/attempt/{attempt.id}/submit")
    assert first.status_code == second.status_code == 302
    gradings = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "quiz.graded")
    )
    assert gradings == 1


def test_another_learner_gets_404_for_every_page_of_an_attempt(
    client, bank, learner, login, make_user
):
    login(learner)
    attempt = _start(client)
    client.post("/logout")
    other = make_user(email="other@example.org")
    login(other)
    for url in (
        f"/quiz/attempt/{attempt.id}/1",
        f"/quiz/attempt/{attempt.id}/review",
        f"/quiz/attempt/{attempt.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/quiz/attempt/{attempt.id}/1", data={"action": "next"}).status_code == 404
    assert client.post(f"/quiz/attempt/{attempt.id}/submit").status_code == 404
    assert db.session.get(Attempt, attempt.id).status == "in_progress"


def test_a_submitted_attempt_redirects_its_answer_pages_to_the_result(signed_in):
    attempt = _start(signed_in)
    _answer_through_pages(signed_in, attempt)
    signed_in.post(f"/quiz/attempt/{attempt.id}/submit")
    resp = signed_in.get(f"/quiz/attempt/{attempt.id}/2")
    assert resp.headers["Location"].endswith(f"/quiz/attempt/{attempt.id}")


def test_the_module_card_and_dashboard_partials_show_the_learners_status(signed_in, app):
    from flask import render_template_string

    with app.test_request_context():
        from flask_login import login_user

        from app.models import User

        login_user(db.session.scalar(select(User).where(User.print_name == "Quinn Learner")))
        card = render_template_string(
            '{% set module_slug = "04-risks" %}{% include "quiz/_module_quiz_card.html" %}'
        )
        dash = render_template_string('{% include "quiz/_dashboard.html" %}')
    assert "Module 4 quiz: Risks and challenges" in card and "Take the quiz" in card
    assert "Your quizzes" in dash and "0 of 6 passed" in dash
