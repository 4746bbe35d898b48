"""Staff actions: revoke a certificate, reissue a corrected one (CE office, console)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from app.extensions import db
from app.models import User
from app.models.certificate import Certificate, CertificateStatus
from app.services import audit
from app.services.certificates.issue import _snapshot_for, _subject_hash, _unused_number
from app.services.certificates.lookup import find_by_number
from app.services.certificates.settings import MAX_REASON_LENGTH, CertificateError
from certificates.model import CertificateData


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("Give a reason; it is shown on the public verify page.", "reason")
    return reason[:MAX_REASON_LENGTH]


def revoke(cert: Certificate, *, actor: User | None, reason: str, now: datetime) -> Certificate:
    """Revoke a valid certificate; the verify page and badge status then say so."""
    reason = _clean_reason(reason)
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError(f"Certificate {cert.number} is already {cert.status}.")
    cert.status = CertificateStatus.REVOKED.value
    cert.revoked_at = now
    cert.revoked_reason = reason
    audit.record(
        "certificate.revoke", actor=actor, subject=f"certificate:{cert.number}", reason=reason
    )
    return cert


def reissue(
    cert: Certificate, *, actor: User | None, reason: str, now: datetime, base_url: str
) -> Certificate:
    """A corrected certificate from the learner's current profile, with a new number.

    Course, completion date, credit claimed and expiry carry over from the original; the
    original becomes superseded by the new one and stays verifiable as such.
    """
    reason = _clean_reason(reason)
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError(f"Only a valid certificate can be reissued ({cert.status}).")
    user = db.session.get(User, cert.user_id) if cert.user_id else None
    if user is None:
        raise CertificateError("The learner's account no longer exists.")
    old = CertificateData.from_dict(cert.snapshot)
    number = _unused_number()
    data = _snapshot_for(
        user,
        number=number,
        course_title=old.course_title,
        course_version=old.course_version,
        completion=old.completion_date,
        issue=now.date(),
        expires=max(old.expiry_date, now.date()) if old.expiry_date else None,
        amount=Decimal(cert.credit_hours),
        base_url=base_url,
    )
    data = replace(data, provider=old.provider, signer=old.signer, logo=old.logo)
    cert.status = CertificateStatus.SUPERSEDED.value
    db.session.flush()  # free the enrollment's "one valid certificate" slot first
    identity, salt = _subject_hash(user.email)
    new = Certificate(
        number=number,
        enrollment_id=cert.enrollment_id,
        user_id=user.id,
        course_slug=cert.course_slug,
        course_version=cert.course_version,
        issued_at=now,
        completion_date=cert.completion_date,
        expires_on=data.expiry_date,
        credit_hours=cert.credit_hours,
        snapshot=data.to_dict(),
        status=CertificateStatus.VALID.value,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_identifier=identity,
        subject_salt=salt,
    )
    db.session.add(new)
    db.session.flush()
    cert.superseded_by_id = new.id
    audit.record(
        "certificate.reissue",
        actor=actor,
        subject=f"certificate:{cert.number}",
        reason=reason,
        new_number=number,
    )
    return new


def revoke_by_number(number: str, *, reason: str, now: datetime) -> Certificate:
    """For `postrx certificates revoke`: the actor is the operator at the console."""
    cert = find_by_number(number)
    if cert is None:
        raise CertificateError(f"No certificate has the number {number!r}.")
    return revoke(cert, actor=None, reason=reason, now=now)
