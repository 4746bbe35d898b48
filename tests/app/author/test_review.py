"""The review queue: low-confidence written answers wait; an educator's decision is audited and
finalises the attempt."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.services.quiz import review

VAGUE = "I would have a quiet word with her later in the shift when things are calm."


def test_a_low_confidence_answer_waits_and_the_override_finalises_the_attempt(
    client, take, as_educator
):
    attempt = take({"night-shift-selfie": ["a"], "selfie-advice": VAGUE})
    assert attempt.status == "awaiting_review" and attempt.score is None
    (item,) = review.queue()
    assert set(item.low) == {"confidentiality", "escalation"}
    page = client.get(f"/author/review/{item.answer_id}").get_data(as_text=True)
    assert "quiet word with her" in page and "low confidence" in page

    resp = client.post(
        f"/author/review/{item.answer_id}",
        data={
            "level-confidentiality": "partial",
            "level-escalation": "met",
            "note": "Says she will talk to her; no report, but the manager is implied.",
        },
    )
    assert resp.status_code == 302
    db.session.refresh(attempt)
    assert attempt.status == "graded" and attempt.score is not None
    answer = next(a for a in attempt.answers if a.text == VAGUE)
    assert not answer.needs_review and answer.reviewer_id == as_educator.id
    levels = {c["criterion_id"]: c["level_id"] for c in answer.result["criteria"]}
    assert levels == {"confidentiality": "partial", "escalation": "met"}
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quiz.review")))
    assert {(e.detail["criterion"], e.detail["new_level"]) for e in events} == {
        ("confidentiality", "partial"),
        ("escalation", "met"),
    }
    assert all(e.actor_id == as_educator.id and e.detail["note"] for e in events)
    assert review.queue() == []


def test_a_review_without_a_note_changes_nothing(client, take, as_educator):
    attempt = take({"selfie-advice": VAGUE})
    (item,) = review.queue()
    resp = client.post(
        f"/author/review/{item.answer_id}",
        data={"level-confidentiality": "met", "level-escalation": "met", "note": ""},
    )
    assert resp.status_code == 200 and "Write a note saying why." in resp.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.status == "awaiting_review"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.review")) is None


def test_an_unknown_level_is_refused_before_anything_is_stored(take, educator):
    take({"selfie-advice": VAGUE})
    (item,) = review.queue()
    answer = review.reviewable_answer(item.answer_id)
    try:
        review.submit_review(
            answer, {"confidentiality": "met", "escalation": "nope"}, "x", educator
        )
    except review.ReviewError as err:
        assert "Tells the right person" in str(err)
    else:  # pragma: no cover
        raise AssertionError("expected ReviewError")
    assert answer.needs_review
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.review")) is None


def test_a_confident_answer_is_not_queued(take):
    attempt = take(
        {"selfie-advice": "Please delete the story now; I will tell the privacy officer too."}
    )
    assert attempt.status == "graded"
    assert review.queue() == []
