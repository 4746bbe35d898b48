"""Pure grading: a response against a scenario and its rubric, a quiz over scenario results,
and the educator's override of one criterion's level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .learned import GradingModel, apply_model, bundled_model
from .model import (
    LOW_CONFIDENCE,
    Criterion,
    CriterionResult,
    OptionFeedback,
    PrivacyChecker,
    Quiz,
    QuizResult,
    Response,
    Rubric,
    Scenario,
    ScenarioResult,
)
from .scorers import SCORERS, Assessment

__all__ = ["apply_override", "grade", "grade_quiz", "option_score"]

_EPS = 1e-9


def _criterion_result(crit: Criterion, a: Assessment) -> CriterionResult:
    level = crit.level(a.level_id)
    return CriterionResult(
        criterion_id=crit.id,
        level_id=level.id,
        points=level.points,
        max_points=crit.max_points,
        weight=crit.weight,
        guidelines=crit.guidelines,
        feedback=level.feedback,
        evidence=a.evidence,
        confidence=a.confidence,
        critical=crit.critical,
        is_lowest=level is crit.levels[0],
    )


def _summarise(
    scenario_id: str,
    version: int,
    rubric: Rubric,
    criteria: tuple[CriterionResult, ...],
    option_feedback: tuple[OptionFeedback, ...],
) -> ScenarioResult:
    got = sum(c.weight * c.points for c in criteria)
    best = sum(c.weight * c.max_points for c in criteria)
    score = min(1.0, max(0.0, got / best)) if best > 0 else 0.0
    failures = tuple(c.criterion_id for c in criteria if c.critical_failure)
    review = any(c.confidence < LOW_CONFIDENCE and c.override_note is None for c in criteria)
    return ScenarioResult(
        scenario_id=scenario_id,
        version=version,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        score=score,
        passed_criticals=not failures,
        critical_failures=failures,
        criteria=criteria,
        option_feedback=option_feedback,
        needs_review=review,
    )


def option_score(scenario: Scenario, rubric: Rubric, option_id: str) -> float:
    """The score a single-choice option earns (0..1); used to tell the best option."""
    opt = scenario.option(option_id)
    got = best = 0.0
    for cid in scenario.criteria:
        crit = rubric.criterion(cid)
        lid = opt.level_for(cid)
        got += crit.weight * (crit.level(lid).points if lid else 0)
        best += crit.weight * crit.max_points
    return got / best if best else 0.0


_BEST: dict[tuple[str, int, str, int], tuple[Scenario, Rubric, dict[str, bool]]] = {}


def _best_options(scenario: Scenario, rubric: Rubric) -> dict[str, bool]:
    """Which single-choice options earn the top score (cached per scenario and rubric version)."""
    key = (scenario.id, scenario.version, rubric.id, rubric.version)
    hit = _BEST.get(key)
    if hit is not None and hit[0] is scenario and hit[1] is rubric:
        return hit[2]
    scores = {o.id: option_score(scenario, rubric, o.id) for o in scenario.options}
    top = max(scores.values())
    correct = {oid: s >= top - _EPS for oid, s in scores.items()}
    if len(_BEST) > 4096:
        _BEST.clear()
    _BEST[key] = (scenario, rubric, correct)
    return correct


def _option_feedback(
    scenario: Scenario, rubric: Rubric, selected: frozenset[str]
) -> tuple[OptionFeedback, ...]:
    if not scenario.options:
        return ()
    if scenario.type == "single" and any(o.correct is None for o in scenario.options):
        correct = _best_options(scenario, rubric)
    else:
        correct = {o.id: bool(o.correct) for o in scenario.options}
    return tuple(
        OptionFeedback(o.id, o.text, o.feedback, o.id in selected, correct[o.id])
        for o in scenario.options
    )


def grade(
    scenario: Scenario,
    rubric: Rubric,
    response: Response,
    *,
    privacy_check: PrivacyChecker | None = None,
    model: GradingModel | None = None,
) -> ScenarioResult:
    """Grade one response. Pure; post_draft uses `privacy_check` or `privacy.check_post`.

    Written answers are combined with the learned layer (`quizzes.learned`): `model`, or the
    bundled one; `learned.RULES_ONLY` grades by the phrase rules alone."""
    if rubric.id != scenario.rubric:
        raise ValueError(
            f"scenario {scenario.id!r} uses rubric {scenario.rubric!r}, not {rubric.id!r}"
        )
    try:
        scorer = SCORERS[scenario.type]
    except KeyError:
        raise ValueError(f"unknown scenario type {scenario.type!r}") from None
    assessments = scorer(scenario, rubric, response, privacy_check)
    if scenario.type in ("free_text", "post_draft"):
        chosen = bundled_model() if model is None else model
        assessments = apply_model(scenario, rubric, response, assessments, chosen)
    results = []
    for cid in scenario.criteria:
        if cid not in assessments:
            raise ValueError(f"scenario {scenario.id!r} gives no level for criterion {cid!r}")
        results.append(_criterion_result(rubric.criterion(cid), assessments[cid]))
    feedback = _option_feedback(scenario, rubric, frozenset(response.selected))
    return _summarise(scenario.id, scenario.version, rubric, tuple(results), feedback)


def grade_quiz(
    quiz: Quiz, results: Iterable[ScenarioResult] | Mapping[str, ScenarioResult]
) -> QuizResult:
    """Quiz score = mean scenario score; a scenario with no result counts 0.

    Passes at `pass_mark` only with no critical failure in any scenario.
    """
    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    by_id: dict[str, ScenarioResult] = {}
    for r in items:
        if r.scenario_id not in quiz.scenarios:
            raise ValueError(f"quiz {quiz.id!r} has no scenario {r.scenario_id!r}")
        if r.scenario_id in by_id:
            raise ValueError(f"two results for scenario {r.scenario_id!r}")
        by_id[r.scenario_id] = r
    ordered = tuple(by_id[s] for s in quiz.scenarios if s in by_id)
    missing = tuple(s for s in quiz.scenarios if s not in by_id)
    n = len(quiz.scenarios)
    score = sum(r.score for r in ordered) / n if n else 0.0
    failures = tuple(r.scenario_id for r in ordered if not r.passed_criticals)
    passed = not missing and not failures and score >= quiz.pass_mark - _EPS
    return QuizResult(
        quiz_id=quiz.id,
        score=score,
        passed=passed,
        pass_mark=quiz.pass_mark,
        scenarios=ordered,
        critical_failures=failures,
        missing=missing,
        needs_review=any(r.needs_review for r in ordered),
    )


def apply_override(
    result: ScenarioResult, criterion_id: str, level_id: str, note: str, rubric: Rubric
) -> ScenarioResult:
    """An educator confirms or changes one criterion's level; the score is recomputed."""
    if (rubric.id, rubric.version) != (result.rubric_id, result.rubric_version):
        raise ValueError(
            f"result was graded with rubric {result.rubric_id!r} v{result.rubric_version}, "
            f"not {rubric.id!r} v{rubric.version}"
        )
    if not note or not note.strip():
        raise ValueError("an override needs a note saying why")
    crit = rubric.criterion(criterion_id)
    level = crit.level(level_id)
    old = result.criterion(criterion_id)
    new = CriterionResult(
        criterion_id=old.criterion_id,
        level_id=level.id,
        points=level.points,
        max_points=crit.max_points,
        weight=crit.weight,
        guidelines=crit.guidelines,
        feedback=level.feedback,
        evidence=old.evidence,
        confidence=1.0,
        critical=crit.critical,
        is_lowest=level is crit.levels[0],
        override_note=note.strip(),
    )
    criteria = tuple(new if c.criterion_id == criterion_id else c for c in result.criteria)
    return _summarise(result.scenario_id, result.version, rubric, criteria, result.option_feedback)
