"""The quiz builder: quiz definitions, the scenarios they may use, saving a quiz."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import quizzes
from app.extensions import db
from app.models import User
from app.models.quiz import QuizDefinition, ScenarioVersion
from app.services.audit import record
from app.services.author.content import AuthoringError, FieldProblem
from app.services.quiz.bank import latest_scenarios
from quizzes.model import GUIDELINES

# --------------------------------------------------------------------------- quiz builder


@dataclass(frozen=True, slots=True)
class QuizFields:
    title: str
    module: str | None  # None = final assessment
    scenario_keys: tuple[str, ...]
    pass_mark: float
    order: str
    max_attempts: int
    cooldown_hours: float
    keep: str
    review: str


def quiz_definitions() -> list[QuizDefinition]:
    defs = list(db.session.scalars(select(QuizDefinition)))
    return sorted(defs, key=lambda d: (d.is_final, d.module_slug or "", d.quiz_key))


def available_scenarios() -> list[ScenarioVersion]:
    """Latest published (not archived) version of every scenario: what a quiz may use."""
    return latest_scenarios()


def _key_problems(quiz_key: str, qd: QuizDefinition | None, create: bool) -> list[FieldProblem]:
    """Problems with the quiz id itself; editing a quiz that does not exist raises at once."""
    problems: list[FieldProblem] = []
    if create and qd is not None:
        problems.append(FieldProblem("quiz_key", f"a quiz with id {quiz_key!r} exists"))
    if not create and qd is None:
        raise AuthoringError(f"There is no quiz {quiz_key!r}.")
    if create and not quizzes.bank._is_slug(quiz_key):
        problems.append(FieldProblem("quiz_key", "use a lowercase slug like 'quiz-04-risks'"))
    return problems


def _scenario_problems(f: QuizFields) -> tuple[list[FieldProblem], set[int]]:
    """Problems with the chosen scenarios, and the guidelines the usable ones cover."""
    problems: list[FieldProblem] = []
    latest = {r.scenario_key: r for r in available_scenarios()}
    if not f.scenario_keys:
        problems.append(FieldProblem("scenarios", "choose at least one scenario"))
    seen: set[str] = set()
    covered: set[int] = set()
    for k in f.scenario_keys:
        row = latest.get(k)
        if k in seen:
            problems.append(FieldProblem("scenarios", f"scenario {k!r} is listed twice"))
        elif row is None:
            problems.append(
                FieldProblem("scenarios", f"scenario {k!r} is not published (or is archived)")
            )
        elif f.module is not None and row.module_slug != f.module:
            problems.append(
                FieldProblem(
                    "scenarios",
                    f"scenario {k!r} belongs to module {row.module_slug!r}, not {f.module!r}",
                )
            )
        else:
            covered.update(row.guidelines)
        seen.add(k)
    return problems, covered


def _coverage_problems(covered: set[int]) -> list[FieldProblem]:
    """The final assessment must touch every guideline."""
    missing = [g for g in GUIDELINES if g not in covered]
    if not missing:
        return []
    return [
        FieldProblem(
            "scenarios",
            "the final assessment must cover all seven guidelines; missing "
            + ", ".join(map(str, missing)),
        )
    ]


def _quiz_values(f: QuizFields) -> dict[str, Any]:
    """The submitted fields as QuizDefinition column values."""
    return {
        "title": f.title.strip(),
        "module_slug": f.module,
        "is_final": f.module is None,
        "pass_mark": float(f.pass_mark),
        "order": f.order,
        "max_attempts": int(f.max_attempts),
        "cooldown_hours": float(f.cooldown_hours),
        "keep": f.keep,
        "review": f.review,
        "scenario_keys": list(f.scenario_keys),
    }


def _update_quiz(qd: QuizDefinition, values: dict[str, Any], actor: User) -> None:
    """Apply `values` as a new version of `qd`; refuses an edit that changes nothing."""
    before = {k: getattr(qd, k) for k in values}
    changes = {k: [before[k], v] for k, v in values.items() if before[k] != v}
    if not changes:
        raise AuthoringError("Nothing changed.")
    for k, v in values.items():
        setattr(qd, k, v)
    qd.version += 1
    record(
        "quiz.updated",
        actor=actor,
        subject=f"quiz:{qd.quiz_key}",
        version=qd.version,
        changes=_jsonable(changes),
    )


def save_quiz(quiz_key: str, f: QuizFields, actor: User, *, create: bool = False) -> QuizDefinition:
    """Create or edit a quiz definition; an edit bumps its version. Errors name the field."""
    qd = db.session.scalar(select(QuizDefinition).where(QuizDefinition.quiz_key == quiz_key))
    problems = _key_problems(quiz_key, qd, create)
    scenario_problems, covered = _scenario_problems(f)
    problems += scenario_problems
    if f.module is None and not problems:
        problems += _coverage_problems(covered)
    if not 0 <= f.pass_mark <= 1:
        problems.append(FieldProblem("pass_mark", "a fraction between 0 and 1"))
    if problems:
        raise AuthoringError(problems)
    values = _quiz_values(f)
    if qd is None:
        qd = QuizDefinition(quiz_key=quiz_key, version=1, **values)
        db.session.add(qd)
        record("quiz.created", actor=actor, subject=f"quiz:{quiz_key}", **_jsonable(values))
    else:
        _update_quiz(qd, values, actor)
    db.session.flush()
    return qd


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x
