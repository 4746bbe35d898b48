"""The attempt policy, saving answers, idempotent grading and the review queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db_tx import transaction
from app.extensions import db
from app.models import AuditEvent
from app.models.quiz import Attempt
from app.services import quiz as svc
from tests.app.quiz.conftest import NOW, answer_all
from tests.app.quiz.helpers import FakeReport, no_findings


def _gradings(attempt_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "quiz.graded", AuditEvent.subject == f"attempt:{attempt_id}")
    ).scalar_one()


def test_starting_twice_returns_the_attempt_already_in_progress(bank, learner, enrollment):
    first = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    again = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW + timedelta(minutes=5))
    assert again.id == first.id
    assert svc.quiz_status(enrollment, "quiz-04-risks", NOW).in_progress_attempt_id == first.id


def test_an_attempt_presents_the_draw_its_stored_seed_gives(bank, learner, enrollment):
    import quizzes

    for key in ("quiz-04-risks", "final-assessment"):
        attempt = svc.start_attempt(learner, enrollment, key, NOW)
        quiz = svc.quiz_object(svc.quiz_definition(key))
        drawn = quizzes.draw(quiz, attempt.shuffle_seed, {})
        assert [r.scenario_key for r in svc.scenario_rows(attempt)] == list(drawn)
        assert len(drawn) == quiz.shown


def test_correct_answers_pass_and_every_scenario_scores_full_marks(take_quiz):
    attempt = take_quiz(good=True)
    assert attempt.status == "graded"
    assert attempt.passed is True and attempt.score == pytest.approx(1.0)
    assert all(a.result["score"] == pytest.approx(1.0) for a in attempt.answers)


def test_wrong_answers_fail_with_the_critical_errors_listed(take_quiz):
    attempt = take_quiz(good=False)
    assert attempt.status == "graded"
    assert attempt.passed is False and attempt.score < 0.5
    drawn = [r.scenario_key for r in svc.scenario_rows(attempt)]
    assert attempt.result["critical_failures"]
    assert set(attempt.result["critical_failures"]) <= set(drawn)


def test_an_unanswered_scenario_scores_zero_and_blocks_a_pass(bank, learner, enrollment):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    answer_all(attempt, skip=1)
    attempt = svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
    shown = len(attempt.scenario_version_ids)
    assert attempt.passed is False
    assert attempt.score == pytest.approx((shown - 1) / shown)
    assert attempt.result["missing"] == [svc.scenario_rows(attempt)[-1].scenario_key]


def test_submitting_the_same_attempt_twice_grades_it_once(bank, learner, enrollment):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    answer_all(attempt)
    with transaction():  # each post is its own request
        first = svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
    graded_at = first.graded_at
    with transaction():
        second = svc.submit_attempt(
            attempt.id, learner, NOW + timedelta(seconds=3), privacy_check=no_findings
        )
    assert second.id == first.id and second.graded_at == graded_at
    assert _gradings(attempt.id) == 1


def test_answers_cannot_change_after_submission(take_quiz):
    attempt = take_quiz()
    row_id = attempt.scenario_version_ids[0]
    with pytest.raises(svc.QuizError):
        svc.save_answer(attempt, row_id, ["a"], "")


def test_an_option_that_is_not_in_the_scenario_is_refused(bank, learner, enrollment):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    with pytest.raises(svc.QuizError):
        svc.save_answer(attempt, attempt.scenario_version_ids[0], ["zz"], "")
    with pytest.raises(svc.QuizError):
        svc.save_answer(attempt, attempt.scenario_version_ids[0], ["a", "b"], "")
    with pytest.raises(svc.QuizError):
        svc.save_answer(attempt, 999_999, ["a"], "")


def test_saving_again_replaces_the_earlier_answer(bank, learner, enrollment):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    row_id = attempt.scenario_version_ids[0]
    svc.save_answer(attempt, row_id, ["a"], "")
    svc.save_answer(attempt, row_id, ["b"], "")
    assert [a.selected for a in attempt.answers] == [["b"]]


def test_after_the_last_attempt_the_learner_waits_for_the_cooldown_then_gets_a_fresh_set(
    take_quiz, enrollment, learner
):
    for i in range(3):
        take_quiz(good=False, now=NOW + timedelta(hours=i))
    last_submit = NOW + timedelta(hours=2)
    status = svc.quiz_status(enrollment, "quiz-04-risks", last_submit + timedelta(hours=1))
    assert (status.attempts_used, status.attempts_left) == (3, 0)
    assert status.next_allowed_at == last_submit + timedelta(hours=24)
    with pytest.raises(svc.AttemptNotAllowed) as err:
        svc.start_attempt(learner, enrollment, "quiz-04-risks", last_submit + timedelta(hours=23))
    assert err.value.next_allowed_at == last_submit + timedelta(hours=24)

    later = last_submit + timedelta(hours=24)
    status = svc.quiz_status(enrollment, "quiz-04-risks", later)
    assert (status.attempts_used, status.attempts_left, status.next_allowed_at) == (0, 3, None)
    fourth = take_quiz(good=True, now=later)
    status = svc.quiz_status(enrollment, "quiz-04-risks", later)
    assert fourth.passed and (status.attempts_used, status.attempts_left) == (1, 2)


def test_keep_best_reports_the_best_attempt_and_keep_latest_the_latest(take_quiz, enrollment):
    take_quiz(good=True, now=NOW)
    take_quiz(good=False, now=NOW + timedelta(hours=1))
    best = svc.quiz_status(enrollment, "quiz-04-risks", NOW + timedelta(hours=2))
    assert best.passed and best.best_score == pytest.approx(1.0)
    svc.quiz_definition("quiz-04-risks").keep = "latest"
    db.session.commit()
    latest = svc.quiz_status(enrollment, "quiz-04-risks", NOW + timedelta(hours=2))
    assert not latest.passed and latest.best_score < 0.5


def test_every_module_quiz_and_the_final_must_pass(take_quiz, enrollment):
    keys = [s.quiz_key for s in svc.quiz_summary(enrollment)]
    assert keys[-1] == "final-assessment" and len(keys) == 6
    for key in keys[:-1]:
        take_quiz(key)
    assert not svc.required_quizzes_passed(enrollment)
    take_quiz("final-assessment")
    assert svc.required_quizzes_passed(enrollment)


def test_a_post_draft_is_graded_with_the_injected_privacy_checker(bank, learner, enrollment):
    attempt = svc.start_attempt(learner, enrollment, "quiz-02-benefits", NOW)
    answer_all(attempt)
    attempt = svc.submit_attempt(
        attempt.id, learner, NOW, privacy_check=lambda _t: FakeReport("high")
    )
    post = next(a for a in attempt.answers if a.scenario_version.type == "post_draft")
    scenario = svc.load_scenario(post.scenario_version)
    crit = next(
        c for c in post.result["criteria"] if c["criterion_id"] == scenario.privacy_criterion
    )
    assert crit["level_id"] == scenario.privacy_level_for("high")
    assert attempt.passed is False


def test_a_low_confidence_answer_waits_for_review_and_the_review_finalises_it(
    bank, learner, enrollment, make_user
):
    from app.models import Role

    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    answer_all(attempt)
    free = next(a for a in attempt.answers if a.scenario_version.type == "free_text")
    svc.save_answer(attempt, free.scenario_version_id, [], "Hmm. " * 30)
    attempt = svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
    assert attempt.status == "awaiting_review"
    assert attempt.score is None and attempt.passed is None
    status = svc.quiz_status(enrollment, "quiz-04-risks", NOW)
    assert status.awaiting_review and not status.passed
    assert free in svc.answers_needing_review()

    educator = make_user(Role.EDUCATOR)
    rubric = svc.load_rubric(free.scenario_version.rubric_version)
    first, *rest = list(free.result["criteria"])
    lowest = rubric.criterion(first["criterion_id"]).lowest.id
    svc.apply_review(free, first["criterion_id"], lowest, "Would still post it.", educator)
    assert attempt.status == "awaiting_review"
    for crit in rest:
        svc.apply_review(free, crit["criterion_id"], crit["level_id"], "Confirmed.", educator)
    assert not free.needs_review and free.reviewer_id == educator.id
    assert attempt.status == "graded" and attempt.passed is False
    assert free.result["criteria"][0]["override_note"] == "Would still post it."
    reviews = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "quiz.review")
    )
    assert reviews == len(free.result["criteria"])


def test_review_all_sends_every_written_answer_to_the_queue(bank, learner, enrollment):
    svc.quiz_definition("quiz-04-risks").review = "all"
    db.session.commit()
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    answer_all(attempt)
    attempt = svc.submit_attempt(attempt.id, learner, NOW, privacy_check=no_findings)
    assert attempt.status == "awaiting_review"
    assert [a.scenario_version.type for a in attempt.answers if a.needs_review] == ["free_text"]


def test_someone_elses_attempt_cannot_be_submitted(bank, learner, enrollment, make_user):
    attempt = svc.start_attempt(learner, enrollment, "quiz-04-risks", NOW)
    other = make_user()
    with pytest.raises(svc.QuizError):
        svc.submit_attempt(attempt.id, other, NOW)
    assert db.session.get(Attempt, attempt.id).status == "in_progress"
