"""Reading certificates: by number (any spelling), a learner's own, their state, the snapshot
with revocation overlaid, and the staff search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.models.certificate import Certificate, CertificateStatus
from app.services.certificates.settings import _as_utc
from certificates.model import CertificateData
from certificates.numbers import normalize

# ------------------------------------------------------------------ reading certificates


def find_by_number(text: str) -> Certificate | None:
    """The certificate with this number in any accepted spelling; None if unknown/malformed."""
    number = normalize(text)
    if number is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


def learner_certificates(user: User) -> list[Certificate]:
    """All of a learner's certificates across cycles, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def learner_certificate(user: User, number: str) -> Certificate | None:
    """The learner's own certificate by number; someone else's looks exactly like unknown."""
    cert = find_by_number(number)
    if cert is None or cert.user_id != user.id:
        return None
    return cert


def state_of(cert: Certificate, today: date) -> str:
    """valid / revoked / expired / superseded, as the verify page and lists show it."""
    if cert.status == CertificateStatus.SUPERSEDED.value:
        return "superseded"
    if cert.status == CertificateStatus.REVOKED.value:
        return "revoked"
    if cert.expires_on is not None and today > cert.expires_on:
        return "expired"
    return "valid"


def certificate_data(cert: Certificate, *, duplicate: bool = False) -> CertificateData:
    """The stored snapshot, with revocation overlaid (the snapshot itself never changes)."""
    data = CertificateData.from_dict(cert.snapshot)
    if cert.status == CertificateStatus.REVOKED.value:
        data = replace(
            data,
            status="revoked",
            revoked_on=_as_utc(cert.revoked_at).date() if cert.revoked_at else None,
            revocation_reason=cert.revoked_reason,
        )
    if duplicate:
        data = replace(data, duplicate=True)
    return data


def superseding(cert: Certificate) -> Certificate | None:
    return db.session.get(Certificate, cert.superseded_by_id) if cert.superseded_by_id else None


def staff_search(query: str) -> list[Certificate]:
    """Certificates by number (any spelling) or by the learner's email."""
    query = (query or "").strip()
    if not query:
        return []
    cert = find_by_number(query)
    if cert is not None:
        return [cert]
    return list(
        db.session.scalars(
            select(Certificate)
            .join(User, User.id == Certificate.user_id)
            .where(func.lower(User.email) == query.lower())
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )
