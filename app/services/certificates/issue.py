"""Issue and claim: the evaluation with the time attestation, and the certificate issued
exactly once per enrollment (a unique partial index and a savepoint settle a race)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Enrollment, User
from app.models.certificate import Certificate, CertificateStatus, CourseEvaluation
from app.services import audit
from app.services.certificates.eligibility import (
    credit_for,
    eligibility,
    evaluation_for,
    max_minutes,
)
from app.services.certificates.settings import (
    SCALE_CHOICES,
    CertificateError,
    _add_months,
    _as_utc,
    credit_lines,
    evaluation_questions,
    get_course,
    signer_info,
)
from certificates.model import CertificateData
from certificates.numbers import new_number
from vocab import profession_label

# ------------------------------------------------------------------ evaluation + issue


def clean_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only configured questions' answers; check required ones and the allowed values."""
    out: dict[str, Any] = {}
    for q in evaluation_questions():
        value = str(answers.get(q.key) or "").strip()
        if q.kind == "scale" and value and value not in {k for k, _ in SCALE_CHOICES}:
            raise CertificateError("Choose one of the options.", q.key)
        if q.kind == "yesno" and value and value not in {"yes", "no"}:
            raise CertificateError("Answer yes or no.", q.key)
        if q.required and not value:
            raise CertificateError("Answer this question.", q.key)
        out[q.key] = value[:4000]
        if q.comment:
            out[f"{q.key}_comment"] = str(answers.get(f"{q.key}_comment") or "").strip()[:4000]
    return out


def _active_certificate(enrollment_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrollment_id == enrollment_id,
            Certificate.status == CertificateStatus.VALID.value,
        )
    )


def active_certificate(enrollment: Enrollment) -> Certificate | None:
    """The enrollment's valid certificate, if it has been issued."""
    return _active_certificate(enrollment.id)


def _revoked_certificate(enrollment_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrollment_id == enrollment_id,
            Certificate.status == CertificateStatus.REVOKED.value,
        )
    )


def _snapshot_for(
    user: User,
    *,
    number: str,
    course_title: str,
    course_version: str,
    completion: date,
    issue: date,
    expires: date | None,
    amount: Decimal,
    base_url: str,
) -> CertificateData:
    from app.services.admin import branding  # an institution's logo and provider details

    return CertificateData(
        number=number,
        learner_name=user.print_name,
        credentials=user.credentials or "",
        profession=profession_label(user.profession),
        course_title=course_title,
        course_version=course_version,
        completion_date=completion,
        issue_date=issue,
        expiry_date=expires,
        credits=credit_lines(user.profession, amount),
        provider=branding.certificate_provider(user, base_url),  # the site's unless allowed
        signer=signer_info(),
        logo=branding.certificate_logo(user),
    )


def _subject_hash(email: str) -> tuple[str, str]:
    """OB3 identityHash for the email, and the salt the issuer keeps."""
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}", salt


def _unused_number() -> str:
    for _ in range(5):
        number = new_number()
        if db.session.scalar(select(Certificate.id).where(Certificate.number == number)) is None:
            return number
    raise RuntimeError("could not draw an unused certificate number")  # pragma: no cover


def _add_certificate(
    enrollment: Enrollment, evaluation: CourseEvaluation, *, now: datetime, base_url: str
) -> Certificate:
    """Build the snapshot and add the row (flushes; the caller commits)."""
    course = get_course()
    user = db.session.get_one(User, enrollment.user_id)
    amount = credit_for(evaluation.minutes_attested, course)
    completion = _as_utc(evaluation.submitted_at).date()
    issue = now.date()
    months = current_app.config.get("CERTIFICATE_VALIDITY_MONTHS", {}).get(enrollment.course_slug)
    expires = max(_add_months(completion, int(months)), issue) if months else None
    number = _unused_number()
    data = _snapshot_for(
        user,
        number=number,
        course_title=course.title,
        course_version=enrollment.course_version or course.version,
        completion=completion,
        issue=issue,
        expires=expires,
        amount=amount,
        base_url=base_url,
    )
    identity, salt = _subject_hash(user.email)
    cert = Certificate(
        number=number,
        enrollment_id=enrollment.id,
        user_id=user.id,
        course_slug=enrollment.course_slug,
        course_version=data.course_version,
        issued_at=now,
        completion_date=completion,
        expires_on=expires,
        credit_hours=amount,
        snapshot=data.to_dict(),
        status=CertificateStatus.VALID.value,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_identifier=identity,
        subject_salt=salt,
    )
    db.session.add(cert)
    if enrollment.completed_at is None:
        enrollment.completed_at = now
    audit.record(
        "certificate.issue",
        actor=user,
        subject=f"certificate:{number}",
        enrollment_id=enrollment.id,
        credit_hours=str(amount),
    )
    db.session.flush()
    return cert


def _lost_race(enrollment_id: int) -> Certificate:
    """After a unique-index clash (the savepoint is rolled back, the caller's transaction
    goes on): the certificate the concurrent request committed."""
    winner = _active_certificate(enrollment_id)
    if winner is None:  # pragma: no cover - the clash was not about this enrollment
        raise CertificateError("The certificate could not be issued. Please try again.")
    return winner


def issue_certificate(enrollment: Enrollment, *, now: datetime, base_url: str) -> Certificate:
    """The enrollment's certificate, issued on first call and returned unchanged afterwards.

    Idempotent per learner, course and cycle: at most one valid certificate per enrollment,
    enforced by a unique partial index, so two simultaneous requests still give one row.
    """
    enrollment_id = enrollment.id
    existing = _active_certificate(enrollment_id)
    if existing is not None:
        return existing
    if _revoked_certificate(enrollment_id) is not None:
        raise CertificateError(
            "The certificate for this course was revoked. Contact the CE office for help."
        )
    status = eligibility(enrollment)
    if not status.met:
        raise CertificateError(
            "The certificate is not available yet: " + " ".join(m.text for m in status.missing)
        )
    evaluation = evaluation_for(enrollment)
    assert evaluation is not None
    try:
        with db.session.begin_nested():  # a clash rolls back to here, not the whole request
            cert = _add_certificate(enrollment, evaluation, now=now, base_url=base_url)
    except IntegrityError:  # the INSERT waited for the concurrent transaction, then clashed
        return _lost_race(enrollment_id)
    return cert


def claim_certificate(
    enrollment: Enrollment,
    *,
    answers: Mapping[str, Any],
    minutes: int,
    now: datetime,
    base_url: str,
) -> Certificate:
    """Record the evaluation and time attestation and issue the certificate (one transaction:

    the caller's). Posting the form twice (or from two tabs) gives the same certificate.
    """
    enrollment_id = enrollment.id
    existing = _active_certificate(enrollment_id)
    if existing is not None:
        return existing
    status = eligibility(enrollment)
    if not (status.modules_done and status.quizzes_passed):
        todo = [m.text for m in status.missing if m.kind != "evaluation"]
        raise CertificateError("Finish the course first: " + " ".join(todo))
    if _revoked_certificate(enrollment_id) is not None:
        raise CertificateError(
            "The certificate for this course was revoked. Contact the CE office for help."
        )
    try:
        with db.session.begin_nested():  # a clash rolls back to here, not the whole request
            evaluation = evaluation_for(enrollment) or _add_evaluation(
                enrollment, answers=answers, minutes=minutes, now=now
            )
            cert = _add_certificate(enrollment, evaluation, now=now, base_url=base_url)
    except IntegrityError:
        return _lost_race(enrollment_id)
    return cert


def _add_evaluation(
    enrollment: Enrollment, *, answers: Mapping[str, Any], minutes: int, now: datetime
) -> CourseEvaluation:
    """Validate and add the evaluation with the capped attestation (flushes)."""
    course = get_course()
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise CertificateError("Enter the number of minutes you spent.", "minutes")
    capped = min(minutes, max_minutes(course))
    if credit_for(capped, course) <= 0:
        raise CertificateError(
            "Credit is given in quarter hours: attest at least 8 minutes.", "minutes"
        )
    evaluation = CourseEvaluation(
        enrollment_id=enrollment.id,
        answers=clean_answers(answers),
        minutes_attested=capped,
        submitted_at=now,
    )
    db.session.add(evaluation)
    audit.record(
        "evaluation.submit",
        actor=db.session.get(User, enrollment.user_id),
        subject=f"enrollment:{enrollment.id}",
        minutes_attested=capped,
    )
    db.session.flush()
    return evaluation
