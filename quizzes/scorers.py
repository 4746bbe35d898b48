"""One scorer per scenario type, registered by name in SCORERS.

A scorer decides, for every criterion the scenario assesses, which level the response reaches,
with the evidence and a confidence. `grading.grade` turns that into points and a score.

The parts live in their own modules: `assessment` (what a scorer returns, confidences),
`choice` (single / multi), `concepts` (concept rules for written answers), `relevance` (the cap
on answers that do not engage the scenario), `published` (what a written answer publishes) and
`postdraft` (the privacy checker on a post).
"""

from __future__ import annotations

from .assessment import (
    CONFIDENCE_CERTAIN,
    CONFIDENCE_CONFLICT,
    CONFIDENCE_DEFAULT,
    CONFIDENCE_FUZZY,
    CONFIDENCE_HEDGED,
    CONFIDENCE_OFF_TOPIC,
    CONFIDENCE_OTHER_WORD,
    CONFIDENCE_PHRASE,
    CONFIDENCE_SHORT,
    Assessment,
    InvalidResponse,
    PrivacyCheckerUnavailable,
    Scorer,
)
from .choice import score_multi, score_single
from .concepts import _compiled, _concept_assessments, _finish, compiled_matcher
from .model import PrivacyChecker, Response, Rubric, Scenario
from .postdraft import default_privacy_checker, score_post_draft
from .published import _quoted_post

__all__ = [
    "CONFIDENCE_CERTAIN",
    "CONFIDENCE_CONFLICT",
    "CONFIDENCE_DEFAULT",
    "CONFIDENCE_FUZZY",
    "CONFIDENCE_HEDGED",
    "CONFIDENCE_OFF_TOPIC",
    "CONFIDENCE_OTHER_WORD",
    "CONFIDENCE_PHRASE",
    "CONFIDENCE_SHORT",
    "SCORERS",
    "Assessment",
    "InvalidResponse",
    "PrivacyCheckerUnavailable",
    "Scorer",
    "compiled_matcher",
    "default_privacy_checker",
]


def score_free_text(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    """Concept rules on the whole answer; a post written out inside it is read as published."""
    compiled = _compiled(scenario)
    ms = compiled.matcher.find(response.text)
    posted = _quoted_post(compiled, response.text, ms.reading)
    out = _concept_assessments(scenario, rubric, ms, scenario.criteria, posted, response.text)
    return _finish(scenario, rubric, compiled, ms, out)


SCORERS: dict[str, Scorer] = {
    "single": score_single,
    "multi": score_multi,
    "free_text": score_free_text,
    "post_draft": score_post_draft,
}
