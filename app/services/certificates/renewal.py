"""Renewal after expiry and the dashboard card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.models import Enrollment, User
from app.models.certificate import Certificate
from app.services import audit
from app.services.certificates.eligibility import Eligibility, eligibility
from app.services.certificates.issue import _active_certificate, _revoked_certificate
from app.services.certificates.lookup import state_of
from app.services.certificates.settings import CertificateError, get_course
from vocab import COURSE_SLUG

# ------------------------------------------------------------------ renewal


def can_renew(user: User, today: date) -> bool:
    """A new cycle opens once the certificate of the current cycle has expired."""
    from app.services.enrollment import current_enrollment

    enrollment = current_enrollment(user, COURSE_SLUG)
    if enrollment is None:
        return False
    cert = _active_certificate(enrollment.id)
    return cert is not None and state_of(cert, today) == "expired"


def renew(user: User, *, now: datetime) -> Enrollment:
    """Start the next cycle after expiry; earlier cycles and certificates are kept."""
    from app.services.enrollment import start_new_cycle

    if not can_renew(user, now.date()):
        raise CertificateError("You can start the course again once your certificate expires.")
    enrollment = start_new_cycle(user, COURSE_SLUG, get_course().version)
    audit.record("enrollment.new_cycle", actor=user, subject=f"enrollment:{enrollment.id}")
    return enrollment


# ------------------------------------------------------------------ dashboard card


@dataclass(frozen=True, slots=True)
class CardStatus:
    """What the dashboard card shows: the certificate, or what is still missing."""

    certificate: Certificate | None
    state: str | None
    eligibility: Eligibility | None
    can_renew: bool


def dashboard_status(user: User, today: date) -> CardStatus:
    from app.services.enrollment import current_enrollment

    enrollment = current_enrollment(user, COURSE_SLUG)
    cert = _active_certificate(enrollment.id) if enrollment else None
    if cert is None and enrollment is not None:
        cert = _revoked_certificate(enrollment.id)
    if cert is not None:
        state = state_of(cert, today)
        return CardStatus(cert, state, None, state == "expired")
    return CardStatus(None, None, eligibility(enrollment), False)
