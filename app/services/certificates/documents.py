"""PDFs: the certificate (original, then DUPLICATE) and the learner's transcript."""

from __future__ import annotations

from datetime import date, datetime

from app.models import User
from app.models.certificate import Certificate, CertificateStatus
from app.services.certificates.lookup import certificate_data, learner_certificates
from app.services.certificates.settings import CertificateError
from certificates.render import render_pdf, render_transcript


def download_pdf(cert: Certificate, *, now: datetime, base_url: str) -> bytes:
    """The certificate PDF. The first download is the original; later ones print DUPLICATE."""
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError("This certificate is no longer valid and cannot be downloaded.")
    duplicate = cert.first_downloaded_at is not None
    if not duplicate:
        cert.first_downloaded_at = now
    return render_pdf(certificate_data(cert, duplicate=duplicate), base_url)


def transcript_pdf(user: User, *, today: date, base_url: str) -> bytes:
    """A transcript of all the learner's certificates and credits (superseded ones left out,
    their corrected replacement stands for them; revoked ones are listed, not counted)."""
    certs = [
        certificate_data(c)
        for c in learner_certificates(user)
        if c.status != CertificateStatus.SUPERSEDED.value
    ]
    return render_transcript(user.print_name, certs, base_url, generated_on=today)
