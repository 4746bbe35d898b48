"""Answers built from the bank itself: the best options and text that hits the top phrases."""

from __future__ import annotations

from dataclasses import dataclass

from quizzes import Response, Rubric, Scenario
from quizzes.grading import option_score


@dataclass(frozen=True)
class FakeReport:
    risk: str = "none"
    findings: tuple = ()


def no_findings(_text: str) -> FakeReport:
    """A privacy checker that finds nothing (service tests do not depend on its heuristics)."""
    return FakeReport("none")


def good_text(scenario: Scenario, rubric: Rubric, *, best: bool = True) -> str:
    """One phrase from the top (or lowest) level rule of every criterion, padded to min_words."""
    parts = []
    for cid, rules in scenario.concepts:
        crit = rubric.criterion(cid)
        wanted = crit.highest.id if best else crit.lowest.id
        listed = [r for r in rules if not r.is_default and r.level == wanted]
        if not listed:
            points = {lv.id: lv.points for lv in crit.levels}
            listed = [r for r in rules if not r.is_default and points[r.level] < crit.max_points]
            if best or not listed:
                continue
        rule = listed[0]
        if rule.phrases:
            parts.append(rule.phrases[0].replace("*", ""))
        parts.extend(group[0].replace("*", "") for group in rule.all_of)
    text = ". ".join(parts) + "."
    while len(text.split()) < scenario.min_words:
        text += " I would think it through carefully first."
    return text


def good_response(scenario: Scenario, rubric: Rubric) -> Response:
    if scenario.type == "single":
        best = max(scenario.options, key=lambda o: option_score(scenario, rubric, o.id))
        return Response(selected=(best.id,))
    if scenario.type == "multi":
        return Response(selected=tuple(o.id for o in scenario.options if o.correct))
    return Response(text=good_text(scenario, rubric))


def bad_response(scenario: Scenario, rubric: Rubric) -> Response:
    if scenario.type == "single":
        worst = min(scenario.options, key=lambda o: option_score(scenario, rubric, o.id))
        return Response(selected=(worst.id,))
    if scenario.type == "multi":
        return Response(selected=tuple(o.id for o in scenario.options if not o.correct))
    return Response(text=good_text(scenario, rubric, best=False))


def _bundled_scenario_count() -> int:
    from quizzes import default_bank_root, load_bank

    return len(load_bank(default_bank_root()).scenarios)


N_SCENARIOS = _bundled_scenario_count()  # the bundled bank, however many items it grows to
