"""Question two: how many details single that person out? Then the risk and its confidence.

Each finding adds a weight: a name, a relative's name or a public role counts two, a room or an
age of 90+ one and a half, a place, a date, a distinctive look or a repeat visit one, a job
half, the time of day ("yesterday") 0.4. A second finding of the same kind adds half its
weight: "Monday" and "last night" say little more than either. For a post about a specific
person in care, a score of 1 is already a disclosure (medium) and 2 or more makes the person
recognisable (high). Direct identifiers (numbers) are high on their own wherever they appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from privacy.model import RISK_LEVELS, Finding
from privacy.scan import Candidate
from privacy.subject import Subject

_DIRECT_CATEGORIES = """phone fax email ssn mrn health-plan account licence vehicle device ip"""
DIRECT = frozenset(_DIRECT_CATEGORIES.split())
"""Categories that identify a person on their own (HIPAA's numbers and addresses)."""

CATEGORY_WEIGHTS: dict[str, float] = {
    "name": 2.0,
    "relative": 2.0,
    "unique-characteristic": 1.5,
    "room": 1.5,
    "age-over-89": 1.5,
    "media": 1.5,
    "condition": 1.5,
    "date": 1.0,
    "geography": 1.0,
    "facility": 1.0,
    "occupation": 1.0,
    "url": 1.0,
    "patient-context": 1.0,  # a condition told with its time ("stroke at 3am")
}
"""Default weight of a finding by category; detail detectors set their own."""

MEDIUM_AT = 1.0
HIGH_AT = 2.0
_RANK = {level: i for i, level in enumerate(RISK_LEVELS)}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Risk, how sure the checker is of it, and the singling-out score behind it."""

    risk: str
    confidence: float
    score: float


def singling_score(kept: list[Candidate]) -> float:
    """Sum of weights; within a category the first counts fully and the rest half."""
    by_category: dict[str, list[float]] = {}
    for cand in kept:
        if cand.is_cue and cand.category == "patient-context":
            continue
        weight = cand.weight if cand.weight is not None else CATEGORY_WEIGHTS.get(cand.category, 1)
        by_category.setdefault(cand.category, []).append(weight)
    score = 0.0
    for weights in by_category.values():
        weights.sort(reverse=True)
        score += weights[0] + 0.5 * sum(weights[1:])
    return score


def _worst(findings: list[Finding]) -> str:
    if not findings:
        return "none"
    return max((f.severity for f in findings), key=_RANK.__getitem__)


def _mosaic(findings: list[Finding]) -> bool:
    """Three or more different identifiers at medium or above identify even without a cue."""
    serious = {
        f.category
        for f in findings
        if f.category != "patient-context" and _RANK[f.severity] >= _RANK["medium"]
    }
    return len(serious) >= 3


def _confidence_specific(score: float) -> float:
    """Clear when far from the thresholds; a score near 1 or 2 could go either way."""
    if score >= MEDIUM_AT:
        return min(0.95, 0.55 + 0.12 * (score - MEDIUM_AT))
    return 0.5 + 0.2 * (MEDIUM_AT - score) - 0.1  # cues decide alone: never very sure


def assess(findings: list[Finding], kept: list[Candidate], subject: Subject) -> Verdict:
    """Combine question one and question two into a risk level and a confidence."""
    worst = _worst(findings)
    if any(f.category in DIRECT and f.severity == "high" for f in findings):
        return Verdict("high", 0.95, singling_score(kept))
    if subject.specific:
        score = singling_score(kept)
        level = "high" if score >= HIGH_AT else "medium" if score >= MEDIUM_AT else "low"
        risk = level if _RANK[level] > _RANK[worst] else worst
        return Verdict(risk, round(_confidence_specific(score), 2), score)
    if _mosaic(findings):
        return Verdict("high", 0.8, singling_score(kept))
    if worst == "none":
        return Verdict("none", 0.9, 0.0)
    confidence = 0.65 if subject.framed or worst == "medium" else 0.75
    return Verdict(worst, confidence, singling_score(kept))
