"""A learner takes a module quiz end to end in Chromium: one pass, one fail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, User
from app.services import quiz as svc
from app.services.accounts import hash_password
from quizzes import default_bank_root
from tests.app.quiz.helpers import bad_response, good_response
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

QUIZ = "quiz-04-risks"


@pytest.fixture
def quiz_answers(live_app):
    """Import the bank, create a learner; returns {scenario title: (good, bad) responses}."""
    with live_app.app_context():
        svc.import_bank([default_bank_root()])
        user = User(
            email="quinn@example.org",
            password_hash=hash_password(PASSWORD),
            print_name="Quinn Learner",
            credentials="RN",
            profession="nurse",
        )
        user.grant(Role.LEARNER)
        db.session.add(user)
        db.session.commit()
        answers = {}
        for key in svc.quiz_definition(QUIZ).scenario_keys:
            row = svc.latest_scenario(key)
            scenario, rubric = svc.load_scenario(row), svc.load_rubric(row.rubric_version)
            answers[scenario.title] = (
                scenario.type,
                good_response(scenario, rubric),
                bad_response(scenario, rubric),
            )
        return answers


def _sign_in(page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("quinn@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _take(page, answers, *, good: bool) -> None:
    """Answer the drawn scenarios (a pool holds more than one attempt shows)."""
    page.goto(f"/quiz/{QUIZ}")
    page.get_by_role("button", name="Start").click()
    shown = int(re.search(r"Scenario 1 of (\d+)", page.content()).group(1))
    assert shown < len(answers)
    for n in range(1, shown + 1):
        title = page.get_by_role("heading", level=1).inner_text()
        kind, right, wrong = answers[title]
        response = right if good else wrong
        assert page.get_by_text(f"Scenario {n} of {shown}").is_visible()
        if kind in ("single", "multi"):
            for option_id in response.selected:
                page.locator(f"#opt-{option_id}").check()
        else:
            page.get_by_role("textbox").fill(response.text)
            expect(page.locator("#word-count")).to_contain_text("(enough)")
        last = n == shown
        page.get_by_role(
            "button", name="Save and review answers" if last else "Save and next"
        ).click()
    assert page.get_by_role("heading", name="Review your answers").is_visible()
    assert page.get_by_text("Not answered").count() == 0
    page.get_by_role("button", name="Submit answers").click()
    assert page.get_by_role("heading", name="Your result").is_visible()


def _option_order(page) -> list[str]:
    return page.locator(".option input").evaluate_all("els => els.map(e => e.value)")


def test_a_learner_answers_every_scenario_well_and_passes(page, quiz_answers):
    _sign_in(page)
    _take(page, quiz_answers, good=True)
    summary = page.locator(".result-summary")
    assert "100%" in summary.inner_text() and "Passed" in summary.inner_text()
    assert page.get_by_text("Guideline 2: Keep strict confidentiality").first.is_visible()
    page.screenshot(path="/tmp/quiz-result-pass.png", full_page=True)


def test_a_learner_who_chooses_the_distractors_fails_and_sees_why(page, quiz_answers):
    _sign_in(page)
    _take(page, quiz_answers, good=False)
    assert "Not passed" in page.locator(".result-summary").inner_text()
    assert page.get_by_text("Critical error").first.is_visible()
    page.get_by_role("link", name="Back to the quiz page").click()
    assert page.get_by_text("2 of 3").is_visible()
    assert page.get_by_role("button", name="Start a new attempt").is_visible()
    page.screenshot(path="/tmp/quiz-landing.png", full_page=True)


def test_a_failed_attempt_hides_the_keyed_options_and_a_retake_brings_new_scenarios(
    page, quiz_answers
):
    _sign_in(page)
    page.goto(f"/quiz/{QUIZ}")
    page.get_by_role("button", name="Start").click()
    first_title = page.get_by_role("heading", level=1).inner_text()
    page.goto(f"/quiz/{QUIZ}")
    page.get_by_role("link", name="Continue your attempt").click()
    _finish_badly(page, quiz_answers)
    assert "Not passed" in page.locator(".result-summary").inner_text()
    assert page.get_by_text("The right options and the model answers are shown").is_visible()
    assert page.locator(".opt-mark").count() == 0
    assert page.get_by_text("Debrief: the model answer").count() == 0
    page.screenshot(path="/tmp/quiz-result-failed.png", full_page=True)
    page.get_by_role("link", name="Back to the quiz page").click()
    page.get_by_role("button", name="Start a new attempt").click()
    assert page.get_by_role("heading", level=1).inner_text() != first_title


def _finish_badly(page, answers) -> None:
    shown = int(re.search(r"Scenario \d+ of (\d+)", page.content()).group(1))
    for n in range(1, shown + 1):
        title = page.get_by_role("heading", level=1).inner_text()
        kind, _right, wrong = answers[title]
        if kind in ("single", "multi"):
            for option_id in wrong.selected:
                page.locator(f"#opt-{option_id}").check()
        else:
            page.get_by_role("textbox").fill(wrong.text)
        page.get_by_role(
            "button", name="Save and review answers" if n == shown else "Save and next"
        ).click()
    page.get_by_role("button", name="Submit answers").click()


def test_an_answer_page_fits_a_320px_phone(page, quiz_answers):
    _sign_in(page)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/quiz/{QUIZ}")
    page.get_by_role("button", name="Start").click()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path="/tmp/quiz-question-320.png", full_page=True)
    assert overflow <= 0
