"""Grading does not trust a weak "none": a post the checker could not read, or a low risk that
rests on patient-context cues alone, goes to an educator instead of being credited outright."""

from __future__ import annotations

from dataclasses import dataclass

from quizzes import Response, grade
from quizzes.model import LOW_CONFIDENCE

TEXT = "Thank you, team, for a hard week. Post checked with my manager first."


@dataclass(frozen=True)
class _Finding:
    category: str
    start: int
    end: int
    text: str
    explanation: str = "a phrase that shows the post is about a real patient"
    guideline: int = 2


@dataclass(frozen=True)
class _Report:
    risk: str
    findings: tuple = ()
    confidence: float = 0.9


def _confidentiality(bank, report):
    s = bank.scenarios["thank-you-post"]
    result = grade(s, bank.rubric_for(s), Response(text=TEXT), privacy_check=lambda _t: report)
    return result, result.criterion("confidentiality")


def test_a_post_the_checker_cannot_read_goes_to_review_at_the_middle_level(bank):
    result, crit = _confidentiality(bank, _Report("unknown", (), 0.2))
    assert crit.level_id == bank.scenarios["thank-you-post"].privacy_level_for("medium")
    assert crit.confidence < LOW_CONFIDENCE and result.needs_review
    assert any("reads English only" in e.detail for e in crit.evidence)


def test_a_low_risk_resting_on_patient_cues_goes_to_review(bank):
    cue = _Finding("patient-context", 0, 9, "Thank you")
    result, crit = _confidentiality(bank, _Report("low", (cue,), 0.6))
    assert crit.level_id == "met"
    assert crit.confidence < LOW_CONFIDENCE and result.needs_review
    assert any("talks about someone in care" in e.detail for e in crit.evidence)


def test_a_none_the_checker_is_unsure_of_goes_to_review(bank):
    result, crit = _confidentiality(bank, _Report("none", (), 0.5))
    assert crit.confidence < LOW_CONFIDENCE and result.needs_review


def test_a_confident_none_is_credited_without_review(bank):
    result, crit = _confidentiality(bank, _Report("none", (), 0.9))
    assert crit.level_id == "met" and crit.confidence >= LOW_CONFIDENCE
    assert not result.needs_review


def test_the_real_checker_sends_a_spanish_post_to_review(bank):
    s = bank.scenarios["thank-you-post"]
    text = "Gracias al equipo por una semana muy dura, y a la paciente de la cama cuatro."
    result = grade(s, bank.rubric_for(s), Response(text=text))
    assert result.criterion("confidentiality").confidence < LOW_CONFIDENCE
    assert result.needs_review
