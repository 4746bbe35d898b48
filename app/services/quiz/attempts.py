"""Attempts: start (draw), save an answer, submit (graded exactly once), the question pages."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

import quizzes
from app.extensions import db
from app.models import Enrollment, User
from app.models.quiz import (
    Attempt,
    AttemptAnswer,
    ScenarioVersion,
)
from app.services.audit import record
from app.services.quiz.bank import latest_scenario, load_rubric, load_scenario, quiz_object
from app.services.quiz.common import MAX_TEXT, TEXT_TYPES, AttemptNotAllowed, QuizError, _now
from app.services.quiz.status import _attempts, _status, learner_enrollment, quiz_definition
from quizzes import (
    PrivacyChecker,
    Quiz,
    QuizResult,
    Response,
    Scenario,
    ScenarioResult,
)
from quizzes.model import LOW_CONFIDENCE

# --------------------------------------------------------------------------- attempts


def get_attempt_for(user: User, attempt_id: int) -> Attempt | None:
    """The attempt if it belongs to `user`; None otherwise (the view answers 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        return None
    return attempt


def start_attempt(
    user: User, enrollment: Enrollment, quiz_key: str, now: datetime | None = None
) -> Attempt:
    """Start an attempt (or return the one in progress) under the attempt policy.

    The enrollment row stays locked until the caller's transaction ends, so two tabs starting
    at the same moment get the same attempt."""
    now = _now(now)
    if enrollment.user_id != user.id:
        raise QuizError("this enrollment belongs to someone else")
    qd = quiz_definition(quiz_key)
    if qd is None:
        raise QuizError(f"there is no quiz {quiz_key!r}")
    # Serialise starts per enrollment (two tabs must not open two attempts).
    db.session.execute(
        select(Enrollment.id).where(Enrollment.id == enrollment.id).with_for_update()
    )
    attempts = _attempts(enrollment, quiz_key)
    for a in attempts:
        if a.status == "in_progress":
            return a
    status = _status(qd, attempts, now)
    if status.attempts_left <= 0:
        when = status.next_allowed_at
        raise AttemptNotAllowed(
            "You have used all your attempts for now."
            + (f" You can try again after {when:%d %b %Y %H:%M} UTC." if when else ""),
            when,
        )
    seed = secrets.randbelow(2**31)
    ids = []
    for key in quizzes.draw(quiz_object(qd), seed, _times_seen(attempts)):
        row = latest_scenario(key)
        if row is None:
            raise QuizError(f"quiz {quiz_key!r} uses scenario {key!r}, which is not stored")
        ids.append(row.id)
    attempt = Attempt(
        enrollment_id=enrollment.id,
        user_id=user.id,
        quiz_key=quiz_key,
        quiz_version=qd.version,
        pass_mark=qd.pass_mark,
        status="in_progress",
        started_at=now,
        shuffle_seed=seed,
        scenario_version_ids=ids,
    )
    db.session.add(attempt)
    record("quiz.start", actor=user, subject=f"quiz:{quiz_key}", enrollment=enrollment.id)
    db.session.flush()
    return attempt


def _times_seen(attempts: Iterable[Attempt]) -> dict[str, int]:
    """How often each scenario key was presented in these attempts (for the draw)."""
    ids = [i for a in attempts for i in a.scenario_version_ids]
    if not ids:
        return {}
    key_of = dict(
        db.session.execute(
            select(ScenarioVersion.id, ScenarioVersion.scenario_key).where(
                ScenarioVersion.id.in_(set(ids))
            )
        ).all()
    )
    seen: dict[str, int] = {}
    for i in ids:
        seen[key_of[i]] = seen.get(key_of[i], 0) + 1
    return seen


def scenario_rows(attempt: Attempt) -> list[ScenarioVersion]:
    """The attempt's scenario versions in presented order."""
    rows = {
        r.id: r
        for r in db.session.scalars(
            select(ScenarioVersion).where(ScenarioVersion.id.in_(attempt.scenario_version_ids))
        )
    }
    return [rows[i] for i in attempt.scenario_version_ids]


def _clean_response(
    scenario: Scenario, selected: Sequence[str], text: str
) -> tuple[list[str], str]:
    known = [o.id for o in scenario.options]
    chosen = [o for o in known if o in set(selected or ())]
    if scenario.type in ("single", "multi"):
        if len(set(selected or ())) != len(chosen):
            raise QuizError("That option is not part of this scenario.")
        if scenario.type == "single" and len(chosen) > 1:
            raise QuizError("Choose one option.")
        return chosen, ""
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise QuizError(f"Answers can be at most {MAX_TEXT} characters.")
    return [], text


def save_answer(
    attempt: Attempt,
    scenario_version_id: int,
    selected: Sequence[str],
    text: str,
    now: datetime | None = None,
) -> AttemptAnswer:
    """Save (or replace) the learner's answer to one scenario of an attempt in progress."""
    now = _now(now)
    if attempt.status != "in_progress":
        raise QuizError("This attempt has been submitted; answers can no longer change.")
    if scenario_version_id not in attempt.scenario_version_ids:
        raise QuizError("That scenario is not part of this attempt.")
    row = db.session.get_one(ScenarioVersion, scenario_version_id)
    chosen, clean_text = _clean_response(load_scenario(row), selected, text)
    answer = attempt.answer_for(scenario_version_id)
    if answer is None:
        try:
            with db.session.begin_nested():  # a clash rolls back to here, not the whole request
                answer = AttemptAnswer(
                    attempt=attempt,
                    scenario_version_id=scenario_version_id,
                    selected=chosen,
                    text=clean_text,
                    saved_at=now,
                )
                db.session.add(answer)
        except IntegrityError:  # the same answer saved at the same moment from another tab
            db.session.refresh(attempt)
            return save_answer(attempt, scenario_version_id, selected, text, now)
        return answer
    answer.selected = chosen
    answer.text = clean_text
    answer.saved_at = now
    db.session.flush()
    return answer


def _is_answered(scenario: Scenario, answer: AttemptAnswer | None) -> bool:
    if answer is None:
        return False
    if scenario.type in TEXT_TYPES:
        return bool(answer.text.strip())
    return bool(answer.selected)


def _needs_review(review: str, scenario: Scenario, result: ScenarioResult) -> bool:
    if review == "none" or scenario.type not in TEXT_TYPES:
        return False
    if review == "all":
        return True
    return result.needs_review


def quiz_result(attempt: Attempt, rows: list[ScenarioVersion]) -> QuizResult:
    results = [ScenarioResult.from_dict(a.result) for a in attempt.answers if a.result is not None]
    keys = [r.scenario_key for r in rows]
    quiz = Quiz(
        id=attempt.quiz_key,
        title=attempt.quiz_key,
        scenarios=tuple(keys),
        pass_mark=attempt.pass_mark,
    )
    return quizzes.grade_quiz(quiz, results)


def clear_provisional_pass(attempt: Attempt, qr: QuizResult) -> bool:
    """A provisional result that review cannot turn into a fail: it passes even if every
    criterion in doubt drops to nothing, and no answer waiting for review has a critical
    criterion at its lowest level or in doubt."""
    if not qr.passed:
        return False
    worst_total = 0.0
    for answer in attempt.answers:
        criteria = (answer.result or {}).get("criteria", ())
        if not answer.needs_review:
            worst_total += (answer.result or {}).get("score", 0.0)
            continue
        num = den = 0.0
        for c in criteria:
            doubtful = c.get("confidence", 1.0) < LOW_CONFIDENCE
            if c.get("critical") and (c.get("is_lowest") or doubtful):
                return False
            num += c["weight"] * (0.0 if doubtful else c["points"])
            den += c["weight"] * c["max_points"]
        worst_total += num / den if den else 0.0
    shown = len(attempt.scenario_version_ids) or 1
    return worst_total / shown >= qr.pass_mark - 1e-9


def _finalise(attempt: Attempt, rows: list[ScenarioVersion], now: datetime) -> None:
    qr = quiz_result(attempt, rows)
    attempt.result = qr.to_dict()
    if any(a.needs_review for a in attempt.answers):
        attempt.result["provisional_clear_pass"] = clear_provisional_pass(attempt, qr)
        attempt.status = "awaiting_review"
        attempt.score = None
        attempt.passed = None
    else:
        attempt.status = "graded"
        attempt.score = qr.score
        attempt.passed = qr.passed
        attempt.graded_at = now


def submit_attempt(
    attempt_id: int,
    user: User,
    now: datetime | None = None,
    *,
    privacy_check: PrivacyChecker | None = None,
) -> Attempt:
    """Grade the attempt exactly once, however many times it is posted at the same moment.

    A conditional UPDATE (in_progress -> grading) claims the attempt; it waits on the row lock
    of a concurrent claim until that transaction ends. Whoever does not get the row (rowcount 0)
    returns the attempt as it stands after the winner's commit. The caller commits.
    """
    now = _now(now)
    attempt = get_attempt_for(user, attempt_id)
    if attempt is None:
        raise QuizError("No such attempt.")
    # An UPDATE always gives a CursorResult; Session.execute() is typed for any statement.
    claim: CursorResult[Any] = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
            .values(status="grading")
            .execution_options(synchronize_session=False)
        ),
    )
    claimed = claim.rowcount
    if claimed != 1:
        # Someone else graded it: read it (and its answers) again as they committed it.
        db.session.expire_all()
        db.session.refresh(attempt)
        return attempt
    rows = scenario_rows(attempt)
    review = qd.review if (qd := quiz_definition(attempt.quiz_key)) else "low-confidence"
    for row in rows:
        scenario = load_scenario(row)
        rubric = load_rubric(row.rubric_version)
        answer = attempt.answer_for(row.id)
        if answer is None or not _is_answered(scenario, answer):
            continue
        result = quizzes.grade(
            scenario,
            rubric,
            Response(selected=tuple(answer.selected), text=answer.text),
            privacy_check=privacy_check,
        )
        answer.result = result.to_dict()
        answer.needs_review = _needs_review(review, scenario, result)
    attempt.submitted_at = now
    _finalise(attempt, rows, now)
    record(
        "quiz.graded",
        actor=user,
        subject=f"attempt:{attempt.id}",
        quiz=attempt.quiz_key,
        status=attempt.status,
        score=attempt.score,
        passed=attempt.passed,
    )
    db.session.flush()
    return attempt


# --------------------------------------------------------------------------- views' data


@dataclass(frozen=True, slots=True)
class QuestionView:
    """What an answer page may show: the public scenario and the learner's saved answer."""

    index: int  # 1-based
    total: int
    row_id: int
    public: quizzes.PublicScenario
    selected: tuple[str, ...]
    text: str
    answered: bool


def _shown_order(attempt: Attempt, scenario: Scenario) -> tuple[str, ...]:
    """Option ids in the order this attempt shows them (written order for old attempts)."""
    return tuple(
        o.id for o in quizzes.ordered_options(scenario.options, attempt.shuffle_seed, scenario.id)
    )


def questions(attempt: Attempt) -> list[QuestionView]:
    rows = scenario_rows(attempt)
    out = []
    for i, row in enumerate(rows, start=1):
        scenario = load_scenario(row)
        answer = attempt.answer_for(row.id)
        public = scenario.public_view()
        if public.options:
            by_id = {o.id: o for o in public.options}
            order = _shown_order(attempt, scenario)
            public = replace(public, options=tuple(by_id[i] for i in order))
        out.append(
            QuestionView(
                index=i,
                total=len(rows),
                row_id=row.id,
                public=public,
                selected=tuple(answer.selected) if answer else (),
                text=answer.text if answer else "",
                answered=_is_answered(scenario, answer),
            )
        )
    return out


def start_for_user(user: User, quiz_key: str, now: datetime | None = None) -> Attempt:
    """Start (or resume) a quiz in the learner's current cycle, opening it if needed."""
    return start_attempt(user, learner_enrollment(user), quiz_key, now)
