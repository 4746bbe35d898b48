"""Frozen dataclasses for rubrics, scenarios, quizzes, responses and grading results.

Everything here is immutable and hashable (mappings are stored as tuples of pairs with small
accessors) so a scenario can key a cache and a result can be stored and compared as data.
Results convert to and from plain JSON-ready dicts because the web app stores them as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import vocab

ScenarioType = Literal["single", "multi", "free_text", "post_draft"]
EvidenceKind = Literal["option", "phrase", "identifier", "default"]
Risk = Literal["none", "low", "medium", "high"]

SCENARIO_TYPES: tuple[str, ...] = ("single", "multi", "free_text", "post_draft")
# The shared vocabulary, re-exported under the names bank.py validates against.
PROFESSIONS: tuple[str, ...] = tuple(p.value for p in vocab.SCENARIO_PROFESSIONS)
RISKS: tuple[str, ...] = tuple(r.slug for r in vocab.RISKS)
GUIDELINES: tuple[int, ...] = tuple(g.number for g in vocab.GUIDELINES)
MODULES: tuple[str, ...] = (
    "01-social-media-today",
    "02-benefits",
    "03-qr-codes",
    "04-risks",
    "05-seven-guidelines",
    "06-putting-it-together",
)
PRIVACY_RISKS: tuple[str, ...] = ("none", "low", "medium", "high")

#: Confidence below this sends a free-text answer to the educators' review queue.
LOW_CONFIDENCE = 0.5


# --------------------------------------------------------------------------- privacy protocol


@runtime_checkable
class PrivacyFinding(Protocol):
    """One identifier or context cue the privacy checker found in a post."""

    @property
    def category(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def explanation(self) -> str: ...
    @property
    def guideline(self) -> int: ...


@runtime_checkable
class PrivacyReport(Protocol):
    """What `privacy.check_post` returns: an overall risk and the findings behind it."""

    @property
    def risk(self) -> str: ...
    @property
    def findings(self) -> Sequence[PrivacyFinding]: ...


class PrivacyChecker(Protocol):
    """A callable text -> PrivacyReport; `privacy.check_post` is the production one."""

    def __call__(self, text: str, /) -> PrivacyReport: ...


# --------------------------------------------------------------------------- rubric


@dataclass(frozen=True, slots=True)
class Level:
    """One performance level of a criterion (ordered lowest -> highest in the criterion)."""

    id: str
    points: float
    descriptor: str
    feedback: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """A measurable part of good practice, tied to guidelines, with ordered levels."""

    id: str
    title: str
    guidelines: tuple[int, ...]
    weight: float
    levels: tuple[Level, ...]
    critical: bool = False

    def level(self, level_id: str) -> Level:
        for lvl in self.levels:
            if lvl.id == level_id:
                return lvl
        raise KeyError(f"criterion {self.id!r} has no level {level_id!r}")

    def has_level(self, level_id: str) -> bool:
        return any(lvl.id == level_id for lvl in self.levels)

    @property
    def lowest(self) -> Level:
        return self.levels[0]

    @property
    def highest(self) -> Level:
        return self.levels[-1]

    @property
    def max_points(self) -> float:
        return self.levels[-1].points


@dataclass(frozen=True, slots=True)
class Rubric:
    id: str
    version: int
    title: str
    description: str
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        raise KeyError(f"rubric {self.id!r} has no criterion {criterion_id!r}")

    def has_criterion(self, criterion_id: str) -> bool:
        return any(c.id == criterion_id for c in self.criteria)


# --------------------------------------------------------------------------- scenario


@dataclass(frozen=True, slots=True)
class Option:
    """A choice in a single or multi scenario.

    `levels` (single only) is a tuple of (criterion id, level id) pairs; `correct` is required
    for multi and optional for single (single derives it from the best-scoring option).
    """

    id: str
    text: str
    feedback: str
    levels: tuple[tuple[str, str], ...] = ()
    correct: bool | None = None
    pinned: bool = False  # keeps its written position when options are shuffled

    def level_for(self, criterion_id: str) -> str | None:
        for cid, lid in self.levels:
            if cid == criterion_id:
                return lid
        return None


@dataclass(frozen=True, slots=True)
class MultiRule:
    """`when` keys all/any/none (ANDed); a rule with none of them is the default."""

    level: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    is_default: bool = False

    def holds(self, selected: frozenset[str]) -> bool:
        if self.is_default:
            return True
        if self.all and not selected.issuperset(self.all):
            return False
        if self.any and selected.isdisjoint(self.any):
            return False
        return not (self.none and not selected.isdisjoint(self.none))


@dataclass(frozen=True, slots=True)
class ConceptRule:
    """Free-text rule: any of `phrases` and one phrase from each `all_of` group.

    A rule with neither is the default.
    """

    level: str
    phrases: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()

    @property
    def is_default(self) -> bool:
        return not self.phrases and not self.all_of


@dataclass(frozen=True, slots=True)
class PublicOption:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class PublicScenario:
    """What a learner may see before submitting: no levels, answers, feedback or debrief."""

    id: str
    version: int
    title: str
    type: str
    profession: str
    platform: str
    module: str
    situation: str
    prompt: str
    options: tuple[PublicOption, ...] = ()
    min_words: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "type": self.type,
            "profession": self.profession,
            "platform": self.platform,
            "module": self.module,
            "situation": self.situation,
            "prompt": self.prompt,
            "options": [{"id": o.id, "text": o.text} for o in self.options],
            "min_words": self.min_words,
        }


@dataclass(frozen=True, slots=True)
class Scenario:
    """One vignette of any type; type-specific fields stay empty for other types."""

    id: str
    version: int
    title: str
    type: str
    rubric: str
    profession: str
    platform: str
    module: str
    guidelines: tuple[int, ...]
    risks: tuple[str, ...]
    situation: str
    prompt: str
    debrief: str
    criteria: tuple[str, ...]
    options: tuple[Option, ...] = ()
    mapping: tuple[tuple[str, tuple[MultiRule, ...]], ...] = ()
    min_words: int = 0
    concepts: tuple[tuple[str, tuple[ConceptRule, ...]], ...] = ()
    privacy_criterion: str | None = None
    privacy_levels: tuple[tuple[str, str], ...] = ()

    def option(self, option_id: str) -> Option:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(f"scenario {self.id!r} has no option {option_id!r}")

    def concept_rules_for(self, criterion_id: str) -> tuple[ConceptRule, ...]:
        for cid, rules in self.concepts:
            if cid == criterion_id:
                return rules
        return ()

    def privacy_level_for(self, risk: str) -> str | None:
        for r, lid in self.privacy_levels:
            if r == risk:
                return lid
        return None

    def public_view(self) -> PublicScenario:
        return PublicScenario(
            id=self.id,
            version=self.version,
            title=self.title,
            type=self.type,
            profession=self.profession,
            platform=self.platform,
            module=self.module,
            situation=self.situation,
            prompt=self.prompt,
            options=tuple(PublicOption(o.id, o.text) for o in self.options),
            min_words=self.min_words,
        )


# --------------------------------------------------------------------------- quiz config


@dataclass(frozen=True, slots=True)
class Attempts:
    max: int = 3
    cooldown_hours: float = 0
    keep: str = "best"  # best | latest


REVIEW_SHOWS: tuple[str, ...] = ("score", "feedback", "answers")
RELEASE_MODES: tuple[str, ...] = ("confirmed", "provisional")


@dataclass(frozen=True, slots=True)
class Slot:
    """One place in a quiz: `pick` scenarios drawn from `candidates` for each attempt."""

    candidates: tuple[str, ...]
    pick: int = 1
    title: str = ""


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """What the result page shows (Moodle's "review options"), by the attempt's outcome.

    `score`: the score and pass/fail only; `feedback`: plus each criterion's level and rubric
    feedback, but not which option was keyed, the option feedback or the model answer (the
    scenario may be drawn again); `answers`: everything.
    """

    failed: str = "feedback"
    passed: str = "answers"
    exhausted: str = "answers"  # failed with no attempt left in the current window


@dataclass(frozen=True, slots=True)
class Quiz:
    """A module quiz (`module` set) or the final assessment (`final` true).

    `scenarios` is the whole pool; `slots` say how an attempt draws from it (a quiz written
    with a plain `scenarios` list has one fixed slot per scenario).
    """

    id: str
    title: str
    scenarios: tuple[str, ...]
    module: str | None = None
    final: bool = False
    pass_mark: float = 0.8
    order: str = "fixed"  # fixed | random
    attempts: Attempts = field(default_factory=Attempts)
    review: str = "low-confidence"  # low-confidence | all | none
    slots: tuple[Slot, ...] = ()
    review_options: ReviewOptions = field(default_factory=ReviewOptions)
    release: str = "confirmed"  # confirmed | provisional (a clear provisional pass releases)

    @property
    def draw_slots(self) -> tuple[Slot, ...]:
        """The slots, or one fixed slot per scenario when none were written."""
        return self.slots or tuple(Slot((sid,)) for sid in self.scenarios)

    @property
    def shown(self) -> int:
        """How many scenarios one attempt presents."""
        return sum(s.pick for s in self.draw_slots)


# --------------------------------------------------------------------------- responses/results


@dataclass(frozen=True, slots=True)
class Response:
    selected: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a level was given: the option chosen, the phrase or identifier found, or the default."""

    kind: str  # option | phrase | identifier | default
    text: str
    start: int | None = None
    end: int | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(d["kind"], d["text"], d.get("start"), d.get("end"), d.get("detail", ""))


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion_id: str
    level_id: str
    points: float
    max_points: float
    weight: float
    guidelines: tuple[int, ...]
    feedback: str
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0
    critical: bool = False
    is_lowest: bool = False
    override_note: str | None = None

    @property
    def critical_failure(self) -> bool:
        return self.critical and self.is_lowest

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion_id": self.criterion_id,
            "level_id": self.level_id,
            "points": self.points,
            "max_points": self.max_points,
            "weight": self.weight,
            "guidelines": list(self.guidelines),
            "feedback": self.feedback,
            "evidence": [e.to_dict() for e in self.evidence],
            "confidence": self.confidence,
            "critical": self.critical,
            "is_lowest": self.is_lowest,
            "override_note": self.override_note,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CriterionResult:
        return cls(
            criterion_id=d["criterion_id"],
            level_id=d["level_id"],
            points=d["points"],
            max_points=d["max_points"],
            weight=d["weight"],
            guidelines=tuple(d["guidelines"]),
            feedback=d["feedback"],
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", ())),
            confidence=d.get("confidence", 1.0),
            critical=d.get("critical", False),
            is_lowest=d.get("is_lowest", False),
            override_note=d.get("override_note"),
        )


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    """After submission: each option, whether it was chosen, whether it was right, and why."""

    option_id: str
    text: str
    feedback: str
    selected: bool
    correct: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "text": self.text,
            "feedback": self.feedback,
            "selected": self.selected,
            "correct": self.correct,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OptionFeedback:
        return cls(d["option_id"], d["text"], d["feedback"], d["selected"], d["correct"])


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    scenario_id: str
    version: int
    rubric_id: str
    rubric_version: int
    score: float
    passed_criticals: bool
    critical_failures: tuple[str, ...]
    criteria: tuple[CriterionResult, ...]
    option_feedback: tuple[OptionFeedback, ...] = ()
    needs_review: bool = False

    def criterion(self, criterion_id: str) -> CriterionResult:
        for cr in self.criteria:
            if cr.criterion_id == criterion_id:
                return cr
        raise KeyError(f"result has no criterion {criterion_id!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario_id": self.scenario_id,
            "version": self.version,
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "score": self.score,
            "passed_criticals": self.passed_criticals,
            "critical_failures": list(self.critical_failures),
            "criteria": [c.to_dict() for c in self.criteria],
            "option_feedback": [o.to_dict() for o in self.option_feedback],
            "needs_review": self.needs_review,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ScenarioResult:
        return cls(
            scenario_id=d["scenario_id"],
            version=d["version"],
            rubric_id=d["rubric_id"],
            rubric_version=d["rubric_version"],
            score=d["score"],
            passed_criticals=d["passed_criticals"],
            critical_failures=tuple(d["critical_failures"]),
            criteria=tuple(CriterionResult.from_dict(c) for c in d["criteria"]),
            option_feedback=tuple(
                OptionFeedback.from_dict(o) for o in d.get("option_feedback", ())
            ),
            needs_review=d.get("needs_review", False),
        )


@dataclass(frozen=True, slots=True)
class QuizResult:
    quiz_id: str
    score: float
    passed: bool
    pass_mark: float
    scenarios: tuple[ScenarioResult, ...]
    critical_failures: tuple[str, ...] = ()  # scenario ids that failed a critical criterion
    missing: tuple[str, ...] = ()  # quiz scenario ids with no result (scored 0)
    needs_review: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "quiz_id": self.quiz_id,
            "score": self.score,
            "passed": self.passed,
            "pass_mark": self.pass_mark,
            "scenarios": [s.to_dict() for s in self.scenarios],
            "critical_failures": list(self.critical_failures),
            "missing": list(self.missing),
            "needs_review": self.needs_review,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> QuizResult:
        return cls(
            quiz_id=d["quiz_id"],
            score=d["score"],
            passed=d["passed"],
            pass_mark=d["pass_mark"],
            scenarios=tuple(ScenarioResult.from_dict(s) for s in d["scenarios"]),
            critical_failures=tuple(d.get("critical_failures", ())),
            missing=tuple(d.get("missing", ())),
            needs_review=d.get("needs_review", False),
        )
