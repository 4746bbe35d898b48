"""Pools in the web layer: what an attempt draws, the option order it serves and shows again on
the result page, and what the review options let a failed attempt reveal."""

from __future__ import annotations

import html as htmllib
import itertools
import re
import secrets

import pytest

from app.extensions import db
from app.models.quiz import Attempt
from app.services import quiz as svc
from tests.app.quiz.conftest import NOW
from tests.app.quiz.helpers import bad_response, good_response
from vocab import COURSE_SLUG

QUIZ = "quiz-04-risks"


@pytest.fixture
def seeds(monkeypatch):
    """Attempt seeds 1, 2, 3 … so the draws and option orders are reproducible."""
    counter = itertools.count(1)
    monkeypatch.setattr(secrets, "randbelow", lambda _n: next(counter))


@pytest.fixture
def signed_in(client, bank, learner, login, seeds):
    login(learner)
    return client


def _start(client) -> Attempt:
    resp = client.post(f"/quiz/{QUIZ}/start")
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)/1$", resp.headers["Location"]).group(1))
    return db.session.get_one(Attempt, attempt_id)


def _served_orders(client, attempt: Attempt) -> dict[str, list[str]]:
    out = {}
    for n, row in enumerate(svc.scenario_rows(attempt), start=1):
        page = client.get(f"/quiz/attempt/{attempt.id}/{n}").get_data(as_text=True)
        if row.type in ("single", "multi"):
            out[row.scenario_key] = re.findall(r'id="opt-([a-z0-9-]+)"', page)
    return out


def _answer_and_submit(client, attempt: Attempt, *, good: bool) -> str:
    rows = svc.scenario_rows(attempt)
    for n, row in enumerate(rows, start=1):
        scenario, rubric = svc.load_scenario(row), svc.load_rubric(row.rubric_version)
        resp = (good_response if good else bad_response)(scenario, rubric)
        data = {"selected": list(resp.selected), "text": resp.text, "action": "next"}
        client.post(f"/quiz/attempt/{attempt.id}/{n}", data=data)
    client.post(f"/quiz/attempt/{attempt.id}/submit")
    return htmllib.unescape(client.get(f"/quiz/attempt/{attempt.id}").get_data(as_text=True))


def test_the_served_option_order_varies_across_attempts(app, bank, make_user, seeds):
    from app.services.enrollment import ensure_enrollment

    orders: dict[str, set[tuple[str, ...]]] = {}
    for i in range(8):
        user = make_user(email=f"l{i}@example.org")
        enrollment = ensure_enrollment(user, COURSE_SLUG, "1")
        attempt = svc.start_attempt(user, enrollment, QUIZ, NOW)
        for q in svc.questions(attempt):
            if q.public.options:
                orders.setdefault(q.public.id, set()).add(tuple(o.id for o in q.public.options))
    assert any(len(seen) > 1 for seen in orders.values()), orders
    for seen in orders.values():
        assert len({tuple(sorted(o)) for o in seen}) == 1  # the same options, reordered


def test_the_answer_page_serves_the_order_the_attempt_seed_gives(signed_in):
    import quizzes

    attempt = _start(signed_in)
    served = _served_orders(signed_in, attempt)
    assert served
    for key, order in served.items():
        scenario = svc.load_scenario(svc.latest_scenario(key))
        assert tuple(order) == quizzes.option_order(scenario.options, attempt.shuffle_seed, key)


def test_the_result_page_shows_the_options_in_the_order_the_learner_saw(signed_in, make_user):
    # Pass first, so the result page shows every option (review option `passed: answers`).
    attempt = _start(signed_in)
    served = _served_orders(signed_in, attempt)
    html = _answer_and_submit(signed_in, attempt, good=True)
    assert "Passed" in html
    for key, order in served.items():
        scenario = svc.load_scenario(svc.latest_scenario(key))
        by_id = {o.id: o.text for o in scenario.options}
        section = html[html.index(scenario.title) :]
        section = section[section.index('class="option-feedback"') :]
        positions = [section.index(by_id[oid]) for oid in order]
        assert positions == sorted(positions), key


def test_a_retake_draws_scenarios_the_learner_has_not_seen(signed_in):
    first = _start(signed_in)
    _answer_and_submit(signed_in, first, good=False)
    second = _start(signed_in)
    assert second.id != first.id
    seen = {r.scenario_key for r in svc.scenario_rows(first)}
    quiz = svc.quiz_object(svc.quiz_definition(QUIZ))
    for slot in quiz.draw_slots:
        unseen = [s for s in slot.candidates if s not in seen]
        drawn = [
            r.scenario_key for r in svc.scenario_rows(second) if r.scenario_key in slot.candidates
        ]
        if len(unseen) >= slot.pick:
            assert set(drawn) <= set(unseen), slot.title


def test_every_attempt_records_the_exact_scenario_versions_it_drew(signed_in):
    attempt = _start(signed_in)
    rows = svc.scenario_rows(attempt)
    assert [r.id for r in rows] == attempt.scenario_version_ids
    assert all(r.id == svc.latest_scenario(r.scenario_key).id for r in rows)
    assert attempt.shuffle_seed == 1


def test_a_failed_attempt_teaches_without_revealing_the_keyed_options(signed_in):
    attempt = _start(signed_in)
    html = _answer_and_submit(signed_in, attempt, good=False)
    assert "Not passed" in html
    assert "How your answer was graded" in html
    assert "The right options and the model answers are shown once you pass" in html
    assert "Debrief: the model answer" not in html
    assert 'class="opt-mark"' not in html
    assert "You did not choose" not in html
    for row in svc.scenario_rows(attempt):
        scenario = svc.load_scenario(row)
        for option in scenario.options:
            assert option.feedback not in html, (scenario.id, option.id)


def test_after_a_pass_the_result_page_shows_every_option_and_the_debrief(signed_in):
    attempt = _start(signed_in)
    html = _answer_and_submit(signed_in, attempt, good=True)
    assert "Passed" in html and "Debrief: the model answer" in html
    assert 'class="opt-mark"' in html


def test_when_no_attempt_is_left_the_result_page_shows_everything(bank, learner, enrollment):
    from tests.app.quiz.conftest import answer_all
    from tests.app.quiz.helpers import no_findings

    for i in range(3):
        attempt = svc.start_attempt(learner, enrollment, QUIZ, NOW)
        answer_all(attempt, good=False)
        svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
        page = svc.result_page(attempt, NOW)
        assert page.shows == ("answers" if i == 2 else "feedback")


def test_a_quiz_can_show_the_score_only(bank, learner, enrollment):
    from tests.app.quiz.conftest import answer_all
    from tests.app.quiz.helpers import no_findings

    qd = svc.quiz_definition(QUIZ)
    qd.review_failed = "score"
    db.session.commit()
    attempt = svc.start_attempt(learner, enrollment, QUIZ, NOW)
    answer_all(attempt, good=False)
    svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
    assert svc.result_page(attempt, NOW).shows == "score"
