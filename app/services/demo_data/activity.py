"""The demo members' activity: enrollments, lesson progress, graded final assessments and the
certificates of those who passed, all written with bulk INSERTs.

The random draws happen in a fixed order, so one seed always gives the same institution.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update

from app.extensions import db
from app.models import User
from app.models.certificate import Certificate
from app.models.learning import Enrollment, LessonProgress
from app.models.quiz import Attempt
from app.services.demo_data.common import (
    CRITERIA,
    DIFFICULTY,
    FINAL_QUIZ,
    SCENARIOS,
    batched,
    bulk,
)
from app.services.demo_data.snapshots import demo_credit, snapshot_base
from app.services.institutions import COURSE_SLUG


@dataclass(frozen=True, slots=True)
class Plan:
    """One enrolled learner: who (index into the new users), how far, since when, how good."""

    index: int
    done: int
    started: datetime
    skill: float


def enrol(
    rng: random.Random,
    user_ids: list[int],
    lessons: list[tuple[str, str]],
    *,
    now: datetime,
    course_version: str,
    pattern: str,
) -> tuple[list[Plan], list[int]]:
    """Enrol 85 % of the new users (the rest never started); part or all of the lessons each.
    Returns the plans and their enrollment ids, in the same order."""
    rows: list[dict[str, Any]] = []
    plans: list[Plan] = []
    for n, uid in enumerate(user_ids):
        if rng.random() < 0.15:
            continue
        started = now - timedelta(days=rng.randint(1, 420), minutes=rng.randint(0, 1440))
        done = len(lessons) if rng.random() < 0.6 else rng.randint(0, len(lessons) - 1)
        skill = min(0.98, max(0.3, rng.gauss(0.88, 0.1)))
        plans.append(Plan(n, done, started, skill))
        rows.append(
            {
                "user_id": uid,
                "course_slug": COURSE_SLUG,
                "course_version": course_version,
                "cycle": 1,
                "started_at": started,
                "last_seen_at": started + timedelta(days=done // 4),
                "lessons_completed_at": (
                    started + timedelta(days=done // 4) if done == len(lessons) else None
                ),
                "completed_at": None,
            }
        )
    bulk(Enrollment, rows)
    by_user = dict(
        db.session.execute(
            select(Enrollment.user_id, Enrollment.id)
            .join(User, User.id == Enrollment.user_id)
            .where(User.email.like(pattern), Enrollment.course_slug == COURSE_SLUG)
        ).all()
    )
    return plans, [by_user[r["user_id"]] for r in rows]


def add_progress(
    plans: list[Plan], enrollment_ids: list[int], lessons: list[tuple[str, str]]
) -> None:
    """Lesson progress: each plan's completed lessons, and the next one opened."""

    def rows() -> Iterable[dict[str, Any]]:
        for plan, eid in zip(plans, enrollment_ids, strict=True):
            for k in range(min(plan.done + 1, len(lessons))):
                at = plan.started + timedelta(hours=k * 3)
                yield {
                    "enrollment_id": eid,
                    "module_slug": lessons[k][0],
                    "lesson_slug": lessons[k][1],
                    "first_opened_at": at,
                    "last_opened_at": at,
                    "completed_at": at + timedelta(minutes=9) if k < plan.done else None,
                    "seconds_spent": 420 + (k * 37) % 300,
                }

    bulk(LessonProgress, rows())  # a generator: never all of them in memory at once


def result_json(rng: random.Random, skill: float) -> tuple[dict[str, Any], float]:
    """A plausible graded final-assessment result (scenarios -> criteria) and its score."""
    scenarios = []
    got = possible = 0.0
    for sid in SCENARIOS:
        criteria = []
        s_got = s_max = 0.0
        for cid, guidelines, weight, mx in CRITERIA:
            # Some guidelines are harder than others (consent and jurisdiction most of all).
            level = skill + DIFFICULTY.get(cid, 0.0)
            pts = max(0, min(mx, round(rng.gauss(level * mx, 0.8))))
            criteria.append(
                {
                    "criterion_id": cid,
                    "level_id": f"L{pts}",
                    "points": float(pts),
                    "max_points": float(mx),
                    "weight": weight,
                    "guidelines": guidelines,
                    "critical": cid == "confidentiality",
                    "is_lowest": pts == 0,
                }
            )
            s_got += weight * pts
            s_max += weight * mx
        got += s_got
        possible += s_max
        scenarios.append(
            {
                "scenario_id": sid,
                "version": 1,
                "score": round(s_got / s_max, 4),
                "passed_criticals": True,
                "criteria": criteria,
            }
        )
    score = round(got / possible, 4)
    result = {
        "quiz_id": FINAL_QUIZ,
        "score": score,
        "passed": score >= 0.8,
        "pass_mark": 0.8,
        "scenarios": scenarios,
        "critical_failures": [],
        "missing": [],
        "needs_review": False,
    }
    return result, score


@dataclass(slots=True)
class _Outcomes:
    """What the final assessments produced, ready for bulk INSERTs."""

    attempts: list[dict[str, Any]]
    certificates: list[dict[str, Any]]
    completions: list[tuple[int, datetime]]  # (enrollment id, completed at)


def add_assessments(
    rng: random.Random,
    plans: list[Plan],
    enrollment_ids: list[int],
    user_ids: list[int],
    people: list[tuple[str, str]],
    *,
    lessons: int,
    now: datetime,
    course_version: str,
) -> tuple[int, int]:
    """Up to two graded final attempts for everyone who finished the lessons; a certificate
    (and a completed enrollment) for a pass that is not in the future. Returns how many
    attempts and certificates were written."""
    out = _Outcomes([], [], [])
    base, credit = snapshot_base(), demo_credit()
    for plan, eid in zip(plans, enrollment_ids, strict=True):
        if plan.done < lessons:
            continue
        uid = user_ids[plan.index]
        at = plan.started + timedelta(days=plan.done // 4, hours=2)
        for _try in range(2):
            result, score = result_json(rng, plan.skill)
            passed = score >= 0.8
            out.attempts.append(_attempt(eid, uid, at, result, score, passed))
            if passed:
                issued = at + timedelta(minutes=40)
                if issued <= now:
                    cert = _certificate(rng, base, people[plan.index], eid, uid, issued)
                    cert.update(credit_hours=credit, course_version=course_version)
                    out.certificates.append(cert)
                    out.completions.append((eid, issued))
                break
            at += timedelta(days=rng.randint(1, 10))
    bulk(Attempt, out.attempts)
    bulk(Certificate, out.certificates)
    _complete(out.completions)
    return len(out.attempts), len(out.certificates)


def _attempt(
    eid: int, uid: int, at: datetime, result: dict[str, Any], score: float, passed: bool
) -> dict[str, Any]:
    return {
        "enrollment_id": eid,
        "user_id": uid,
        "quiz_key": FINAL_QUIZ,
        "quiz_version": 1,
        "pass_mark": 0.8,
        "status": "graded",
        "started_at": at,
        "submitted_at": at + timedelta(minutes=25),
        "graded_at": at + timedelta(minutes=25),
        "score": score,
        "passed": passed,
        "scenario_version_ids": [],
        "result": result,
    }


def _certificate(
    rng: random.Random,
    base: dict[str, Any],
    person: tuple[str, str],
    eid: int,
    uid: int,
    issued: datetime,
) -> dict[str, Any]:
    """A valid certificate row whose snapshot is `base` with this learner's name and dates."""
    from certificates.numbers import new_number

    number = new_number(rng)
    name, cred = person
    expires = issued.date() + timedelta(days=730)
    snap = dict(base)
    snap.update(
        number=number,
        learner_name=name,
        credentials=cred,
        completion_date=issued.date().isoformat(),
        issue_date=issued.date().isoformat(),
        expiry_date=expires.isoformat(),
    )
    return {
        "number": number,
        "enrollment_id": eid,
        "user_id": uid,
        "course_slug": COURSE_SLUG,
        "issued_at": issued,
        "completion_date": issued.date(),
        "expires_on": expires,
        "snapshot": snap,
        "status": "valid",
        "credential_id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
        "subject_identifier": "sha256$" + secrets.token_hex(32),
        "subject_salt": secrets.token_hex(8),
    }


def _complete(completions: list[tuple[int, datetime]]) -> None:
    """Mark the certified enrollments completed, at their certificate's time."""
    if not completions:
        return
    table = cast(Table, Enrollment.__table__)  # Core: one executemany, no ORM per row
    stmt = update(table).where(table.c.id == bindparam("eid"))
    stmt = stmt.values(completed_at=bindparam("done"))
    for batch in batched([{"eid": e, "done": d} for e, d in completions]):
        db.session.execute(stmt, batch)
