"""What a scorer returns for one criterion, how far to trust it, and the scorers' errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Evidence, PrivacyChecker, Response, Rubric, Scenario

CONFIDENCE_CERTAIN = 1.0  # an option, a combination rule, an answer with nothing to grade
CONFIDENCE_PHRASE = 0.9  # a listed phrase matched exactly
CONFIDENCE_PRIVACY = 0.9  # the privacy checker set the level
CONFIDENCE_FUZZY = 0.7  # a phrase matched only thanks to typo tolerance
CONFIDENCE_OTHER_WORD = 0.45  # ... where the "typo" is a common word itself ("content"/"consent")
CONFIDENCE_CONFLICT = 0.4  # phrases of rules with different levels matched (the lowest wins)
CONFIDENCE_HEDGED = 0.35  # a fault matched only in a hedged or quoted clause
CONFIDENCE_DEFAULT = 0.3  # nothing matched; the default rule applied
CONFIDENCE_NO_RULE = 0.2  # nothing matched and there is no default rule
CONFIDENCE_OFF_TOPIC = 0.25  # the answer does not engage the scenario (capped, to review)
CONFIDENCE_SHORT = 0.3  # shorter than min_words, graded on what it says (to review)


class InvalidResponse(ValueError):
    """The response does not fit the scenario (unknown option, not exactly one choice...)."""


class PrivacyCheckerUnavailable(RuntimeError):
    """post_draft grading needs `privacy.check_post` and it could not be imported."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """A scorer's verdict on one criterion."""

    level_id: str
    evidence: tuple[Evidence, ...]
    confidence: float = CONFIDENCE_CERTAIN
    by_rule: bool = True  # False when only a default (no rule held, or too short) set it


Scorer = Callable[[Scenario, Rubric, Response, "PrivacyChecker | None"], dict[str, Assessment]]


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


PEOPLE = wordset("he she him her his hers himself herself")
IMAGE_WORDS = re.compile(r"\b(?:photo|image|picture|video)s?\b", re.I)
SELFIE = re.compile(r"\bselfies?\b", re.I)
SENTENCE_END = re.compile(r"[.!?\n]")
