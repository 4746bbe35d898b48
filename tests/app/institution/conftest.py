"""Helpers to build learners in every state of the course for institution tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.extensions import db
from app.models import Department, Institution, Membership, Role, User
from app.models.certificate import Certificate
from app.models.learning import Enrollment, LessonProgress
from app.models.quiz import Attempt, QuizDefinition
from app.services.demo_data import _snapshot_base
from app.services.institutions import COURSE_SLUG

NOW = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)


def add_learner(
    org: Institution,
    make_user: Callable[..., User],
    *,
    name: str,
    state: str = "not_started",
    department: Department | None = None,
    profession: str = "nurse",
    completed_at: datetime | None = None,
    started_at: datetime | None = None,
    score: float = 0.9,
    email: str | None = None,
) -> User:
    """A member in `state`: not_started | in_progress | completed (enrollment) | certified."""
    user = make_user(Role.LEARNER, name=name, profession=profession, email=email)
    db.session.add(
        Membership(
            user_id=user.id,
            institution_id=org.id,
            department_id=department.id if department else None,
        )
    )
    if state != "not_started":
        started = started_at or (NOW - timedelta(days=20))
        enr = Enrollment(
            user_id=user.id,
            course_slug=COURSE_SLUG,
            course_version="2026.1",
            cycle=1,
            started_at=started,
        )
        db.session.add(enr)
        db.session.flush()
        db.session.add(
            LessonProgress(
                enrollment_id=enr.id,
                module_slug="03-qr-codes",
                lesson_slug="01-qr-codes-for-accessibility",
                completed_at=started,
            )
        )
        db.session.add(
            LessonProgress(
                enrollment_id=enr.id,
                module_slug="03-qr-codes",
                lesson_slug="02-holding-destinations-to-standards",
                completed_at=started,
            )
        )
        if state in ("completed", "certified"):
            done = completed_at or (NOW - timedelta(days=5))
            if state == "completed":
                enr.completed_at = done
            _graded_attempt(user, enr, score, done)
            if state == "certified":
                add_certificate(user, enr, done)
    db.session.commit()
    return user


def _graded_attempt(user: User, enr: Enrollment, score: float, at: datetime) -> None:
    if db.session.query(QuizDefinition).filter_by(quiz_key="final-assessment").first() is None:
        db.session.add(
            QuizDefinition(
                quiz_key="final-assessment", title="Final", is_final=True, scenario_keys=[]
            )
        )
    db.session.add(
        Attempt(
            enrollment_id=enr.id,
            user_id=user.id,
            quiz_key="final-assessment",
            pass_mark=0.8,
            status="graded",
            score=score,
            passed=score >= 0.8,
            scenario_version_ids=[],
            submitted_at=at,
            graded_at=at,
            result={
                "quiz_id": "final-assessment",
                "score": score,
                "scenarios": [
                    {
                        "scenario_id": "s1",
                        "criteria": [
                            {"guidelines": [1], "points": 3, "max_points": 3, "weight": 1},
                            {"guidelines": [2], "points": 1, "max_points": 4, "weight": 1},
                        ],
                    }
                ],
            },
        )
    )


def add_certificate(
    user: User, enr: Enrollment, issued: datetime, number: str | None = None
) -> Certificate:
    from certificates.numbers import new_number

    number = number or new_number()
    snap: dict[str, Any] = dict(_snapshot_base())
    snap.update(
        number=number,
        learner_name=user.print_name,
        completion_date=issued.date().isoformat(),
        issue_date=issued.date().isoformat(),
    )
    cert = Certificate(
        number=number,
        enrollment_id=enr.id,
        user_id=user.id,
        course_slug=COURSE_SLUG,
        course_version="2026.1",
        issued_at=issued,
        completion_date=issued.date(),
        credit_hours=Decimal("3.00"),
        snapshot=snap,
        status="valid",
        credential_id=f"urn:uuid:{secrets.token_hex(16)}",
        subject_identifier="sha256$" + secrets.token_hex(32),
        subject_salt=secrets.token_hex(8),
    )
    db.session.add(cert)
    return cert


@pytest.fixture
def admin_org(make_user, make_org):
    """(admin user, institution with two departments) for the common case."""
    admin = make_user(Role.INSTITUTION_ADMIN, email="admin@hospital-a.example", name="Ada Admin")
    org = make_org("Hospital A", admins=(admin,))
    for name in ("Emergency Department", "Pharmacy"):
        db.session.add(Department(institution_id=org.id, name=name))
    db.session.commit()
    return admin, org


def job_download(client: Any, path: str, data: dict[str, str] | None = None) -> Any:
    """Press a "Prepare …" button (a background job, eager in tests) and fetch its file."""
    resp = client.post(path, data=data or {})
    assert resp.status_code == 302, resp.status_code
    job_id = resp.headers["Location"].rsplit("/", 1)[-1]
    return client.get(f"/jobs/{job_id}/download")
