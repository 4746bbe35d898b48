"""Preview a scenario with its rubric: item warnings and grading a trial answer."""

from __future__ import annotations

from collections.abc import Sequence

import quizzes
from app.services.author.content import AuthoringError, get_draft, rubric_for_key
from app.services.author.publish import scenario_version_row
from app.services.quiz.bank import data_to_yaml, load_rubric, load_scenario
from quizzes import Rubric, Scenario

# --------------------------------------------------------------------------- preview


def preview_pair(key: str, label: str) -> tuple[Scenario, Rubric] | None:
    """The scenario version (or draft) and the rubric it is graded with, for the preview."""
    if label == "draft":
        draft = get_draft("scenario", key)
        if draft is None:
            return None
        rubric = rubric_for_key(str(draft.data.get("rubric")))
        if rubric is None:
            return None
        return quizzes.loads_scenario(data_to_yaml(draft.data), rubric=rubric), rubric
    if not (label.isascii() and label.isdigit()) or len(label) > 18:  # not a version number
        return None
    row = scenario_version_row(key, int(label))
    if row is None:
        return None
    return load_scenario(row), load_rubric(row.rubric_version)


def preview_warnings(scenario: Scenario, rubric: Rubric) -> list[str]:
    """The item-writing warnings `postrx scenarios check` gives for this item, so the educator
    sees the cues (longest key, stem echoes, absolute words...) before publishing."""
    from quizzes.itemcheck import check_scenario

    return [w.message for w in check_scenario(scenario, rubric)]


def preview_grade(
    scenario: Scenario, rubric: Rubric, selected: Sequence[str], text: str
) -> quizzes.ScenarioResult:
    """Grade a tried answer exactly as a learner's would be; nothing is stored."""
    known = {o.id for o in scenario.options}
    chosen = tuple(o for o in selected if o in known)
    if scenario.type == "single" and len(chosen) != 1:
        raise AuthoringError("Choose one option.")
    if scenario.type == "multi" and not chosen:
        raise AuthoringError("Select at least one option.")
    if scenario.type in ("free_text", "post_draft") and not (text or "").strip():
        raise AuthoringError("Write an answer to try.")
    try:
        return quizzes.grade(scenario, rubric, quizzes.Response(selected=chosen, text=text or ""))
    except (quizzes.InvalidResponse, quizzes.PrivacyCheckerUnavailable, ValueError) as exc:
        raise AuthoringError(str(exc)) from exc
