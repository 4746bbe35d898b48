"""Certificate snapshots as this install would issue them, for demo certificates and tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def demo_credit() -> Decimal:
    """What each demo certificate awards: the course's maximum credit."""
    from app.services.learning import get_course

    return Decimal(str(get_course().max_credit_hours)).quantize(Decimal("0.01"))


def snapshot_base() -> dict[str, Any]:
    """A certificate snapshot as this install would issue it (configured provider, signer and
    logo, the loaded course); each demo certificate then gets its own number, name and dates.
    The certificates' statements and credit lines therefore agree with each other."""
    from flask import current_app

    from app.services.certificates import credit_lines, logo_png, provider_info, signer_info
    from app.services.learning import get_course
    from certificates.model import CertificateData

    course = get_course()
    data = CertificateData(
        number="PRX-0000-0000-0000-0",
        learner_name="Placeholder",
        course_title=course.title,
        course_version=course.version,
        completion_date=date(2026, 1, 1),
        issue_date=date(2026, 1, 1),
        credits=credit_lines("nurse", demo_credit()),
        provider=provider_info(current_app.config["BASE_URL"]),
        signer=signer_info(),
        logo=logo_png(),
    )
    return data.to_dict()
