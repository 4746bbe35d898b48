"""Grade answers outside an attempt, exactly as an attempt grades them (`postrx scenarios grade`).

Educators use it to try answers against the live key, and to regrade a file of answers (one JSON
object per line) after changing a scenario. The scenarios come from where an attempt takes them:
the latest published versions in the database once a bank has been imported, otherwise the
bundled bank files (the same rule as `bank_listing`). Each scenario is loaded once, however many
answers name it. An answer is checked the way the answer page checks it (known options, one
option for `single`, text for written items) and graded with `quizzes.grade`, as
`submit_attempt` grades it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import quizzes
from app.models.quiz import ScenarioVersion
from app.services.quiz.bank import load_rubric, load_scenario, stored_scenarios
from app.services.quiz.common import MAX_TEXT, TEXT_TYPES
from quizzes import Problem, Response, Rubric, Scenario, ScenarioResult


@dataclass
class ScenarioSource:
    """The scenarios (and rubrics) an attempt would be graded with, loaded on first use."""

    name: str  # "database" | "files"
    rows: dict[str, ScenarioVersion] = field(default_factory=dict)
    bank: quizzes.Bank | None = None
    _loaded: dict[str, tuple[Scenario, Rubric]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return sorted(self.rows) if self.bank is None else sorted(self.bank.scenarios)

    def get(self, scenario_id: str) -> tuple[Scenario, Rubric] | None:
        hit = self._loaded.get(scenario_id)
        if hit is not None:
            return hit
        if self.bank is not None:
            s = self.bank.scenarios.get(scenario_id)
            if s is None:
                return None
            hit = (s, self.bank.rubric_for(s))
        else:
            row = self.rows.get(scenario_id)
            if row is None:
                return None
            hit = (load_scenario(row), load_rubric(row.rubric_version))
        self._loaded[scenario_id] = hit
        return hit


def scenario_source() -> ScenarioSource:
    """Database once a bank has been imported (latest published versions), else the files."""
    rows = stored_scenarios()
    if rows:
        return ScenarioSource("database", rows={r.scenario_key: r for r in rows})
    return ScenarioSource("files", bank=quizzes.load_bank(quizzes.default_bank_root()))


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer to grade: option ids for a choice item, text for a written one."""

    scenario: str
    options: tuple[str, ...] | None = None
    text: str | None = None
    file: str = "<answer>"
    line: int = 1


class AnswerError(Exception):
    """Bad input; `problems` name FILE:LINE and nothing was graded."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


def read_jsonl(lines: Iterable[str], file: str) -> tuple[list[Answer], list[Problem]]:
    """`{"scenario": ..., "text": ...}` or `{"scenario": ..., "options": [...]}` per line.

    Blank lines are skipped and other keys ignored; returns the answers and the problems.
    """
    answers: list[Answer] = []
    problems: list[Problem] = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, n, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(file, n, "each line must be a JSON object"))
            continue
        sid = data.get("scenario")
        if not isinstance(sid, str) or not sid:
            problems.append(Problem(file, n, "'scenario' must be a scenario id"))
            continue
        options = data.get("options")
        if options is not None and not (
            isinstance(options, list) and all(isinstance(o, str) for o in options)
        ):
            problems.append(Problem(file, n, "'options' must be a list of option ids"))
            continue
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            problems.append(Problem(file, n, "'text' must be a string"))
            continue
        answers.append(Answer(sid, tuple(options) if options is not None else None, text, file, n))
    return answers, problems


def answer_problem(answer: Answer, source: ScenarioSource) -> str | None:
    """Why this answer cannot be graded (None: it can), as the answer page would refuse it."""
    pair = source.get(answer.scenario)
    if pair is None:
        hint = difflib.get_close_matches(answer.scenario, source.ids(), n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"unknown scenario {answer.scenario!r} in the {source.name} bank{extra}"
    scenario = pair[0]
    if scenario.type in TEXT_TYPES:
        if answer.options is not None:
            return f"options given for {scenario.type} item {scenario.id!r}: it takes a text"
        if answer.text is None or not answer.text.strip():
            return f"{scenario.type} item {scenario.id!r} needs a non-empty text"
        if len(answer.text) > MAX_TEXT:
            return f"the text is longer than {MAX_TEXT} characters"
        return None
    if answer.text is not None:
        return f"text given for {scenario.type} item {scenario.id!r}: it takes option ids"
    known = [o.id for o in scenario.options]
    if not answer.options:
        return f"{scenario.type} item {scenario.id!r} needs option ids ({', '.join(known)})"
    unknown = [o for o in answer.options if o not in known]
    if unknown:
        return (
            f"scenario {scenario.id!r} has no option {unknown[0]!r} (options: {', '.join(known)})"
        )
    if scenario.type == "single" and len(set(answer.options)) != 1:
        return f"single item {scenario.id!r} takes exactly one option"
    return None


def grade_answer(answer: Answer, source: ScenarioSource) -> tuple[Scenario, ScenarioResult]:
    """Grade a valid answer as `submit_attempt` would (options in the scenario's order)."""
    pair = source.get(answer.scenario)
    if pair is None:
        raise AnswerError([Problem(answer.file, answer.line, "unknown scenario")])
    scenario, rubric = pair
    chosen = set(answer.options or ())
    selected = tuple(o.id for o in scenario.options if o.id in chosen)
    text = (answer.text or "").replace("\r\n", "\n") if scenario.type in TEXT_TYPES else ""
    return scenario, quizzes.grade(scenario, rubric, Response(selected=selected, text=text))


def grade_answers(answers: Sequence[Answer], source: ScenarioSource) -> list[dict[str, Any]]:
    """Every answer checked first (AnswerError lists each bad one), then graded in order."""
    return _grade_checked(answers, [], source)


def grade_jsonl(lines: Iterable[str], file: str, source: ScenarioSource) -> list[dict[str, Any]]:
    """Grade a JSONL file of answers: nothing is graded unless every line is good."""
    answers, problems = read_jsonl(lines, file)
    return _grade_checked(answers, problems, source)


def _grade_checked(
    answers: Sequence[Answer], problems: list[Problem], source: ScenarioSource
) -> list[dict[str, Any]]:
    problems = problems + [
        Problem(a.file, a.line, msg)
        for a in answers
        if (msg := answer_problem(a, source)) is not None
    ]
    if problems:
        raise AnswerError(sorted(problems, key=lambda p: p.line))
    return [result_record(*grade_answer(a, source)) for a in answers]


def result_record(scenario: Scenario, result: ScenarioResult) -> dict[str, Any]:
    """The JSON line for one graded answer.

    `needs_review` is what a quiz with the default `review: low-confidence` would send to the
    educators (written items only); `confidence` is the lowest criterion confidence.
    """
    return {
        "scenario": scenario.id,
        "score": result.score,
        "critical_failed": not result.passed_criticals,
        "needs_review": scenario.type in TEXT_TYPES and result.needs_review,
        "confidence": min((c.confidence for c in result.criteria), default=1.0),
        "criteria": [
            {
                "id": c.criterion_id,
                "level": c.level_id,
                "points": c.points,
                "max_points": c.max_points,
                "evidence": [e.to_dict() for e in c.evidence],
            }
            for c in result.criteria
        ],
    }
