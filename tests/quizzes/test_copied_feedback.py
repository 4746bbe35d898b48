"""Pasting the rubric's feedback back on a retake does not pass a written item."""

from __future__ import annotations

from quizzes import Response, default_bank_root, grade, load_bank
from quizzes.model import LOW_CONFIDENCE

BANK = load_bank(default_bank_root())


def _grade(sid: str, text: str):
    s = BANK.scenarios[sid]
    return grade(s, BANK.rubric_for(s), Response(text=text))


def test_an_answer_made_of_the_rubric_feedback_is_capped_and_reviewed():
    s = BANK.scenarios["qr-feedback-survey"]
    rubric = BANK.rubric_for(s)
    pasted = " ".join(
        c.levels[-1].feedback for c in rubric.criteria if c.id in s.criteria
    )  # the top-level feedback: what a learner who failed would copy
    result = _grade("qr-feedback-survey", pasted)
    assert result.needs_review
    assert result.score <= 0.5
    assert any(
        "repeats the course's feedback" in e.detail for c in result.criteria for e in c.evidence
    )
    assert all(c.confidence < LOW_CONFIDENCE for c in result.criteria)


def test_an_answer_in_the_learners_own_words_is_not_taken_for_copied_feedback():
    text = (
        "Before the code goes on the bag labels I would make the survey anonymous: take out the "
        "name, date of birth and the list of medicines, and only ask about the review service. "
        "I would move it off the free app to our approved secure survey tool, add a short "
        "privacy notice, and ask our data protection officer to sign it off first."
    )
    result = _grade("qr-feedback-survey", text)
    assert not any(
        "repeats the course's feedback" in e.detail for c in result.criteria for e in c.evidence
    )
    assert result.score >= 0.75 and not result.needs_review
