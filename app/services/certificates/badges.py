"""Open Badges 3.0: issuer profile, achievement, the signed VC-JWT, revocation list and the
check of a pasted credential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models.certificate import Certificate, CertificateStatus, SigningKey
from app.services.certificates.keys import signing_key
from app.services.certificates.lookup import certificate_data
from app.services.certificates.settings import CertificateError, get_course
from certificates import ob3
from certificates.numbers import normalize


def issuer_id(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/issuer.json"


def status_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/status.json"


def achievement_id(base_url: str, course_slug: str) -> str:
    return f"{base_url.rstrip('/')}/verify/achievements/{course_slug}.json"


def issuer_profile(base_url: str) -> dict[str, Any]:
    """The OB3 issuer Profile served at the stable issuer id URL."""
    cfg = current_app.config
    return {
        "@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT],
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": cfg["PROVIDER_NAME"],
        "url": cfg.get("PROVIDER_URL") or base_url,
        "description": cfg.get("ACCREDITATION_STATEMENT", ""),
        "address": {"type": ["Address"], "streetAddress": cfg.get("PROVIDER_ADDRESS", "")},
        "publicKeys": f"{base_url.rstrip('/')}/verify/jwks.json",
    }


def achievement(base_url: str, course_slug: str) -> dict[str, Any] | None:
    course = get_course()
    if course.slug != course_slug:
        return None
    return {
        "@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT],
        "id": achievement_id(base_url, course_slug),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course.title,
        "description": course.summary,
        "criteria": {"narrative": course.participation},
        "creditsAvailable": float(course.max_credit_hours),
        "creator": {"id": issuer_id(base_url), "type": ["Profile"]},
    }


def badge_jwt(cert: Certificate, *, base_url: str) -> str:
    """The certificate as an OpenBadgeCredential, signed as a compact VC-JWT."""
    if cert.status != CertificateStatus.VALID.value:
        raise CertificateError("This certificate is no longer valid.")
    data = certificate_data(cert)
    credential = ob3.build_credential(
        data,
        issuer_id=issuer_id(base_url),
        issuer_name=current_app.config["PROVIDER_NAME"],
        issuer_url=current_app.config.get("PROVIDER_URL") or base_url,
        achievement_id=achievement_id(base_url, cert.course_slug),
        subject_identifier=cert.subject_identifier,
        credential_id=cert.credential_id,
        status_url=status_url(base_url),
    )
    kid, pem = signing_key()
    return ob3.sign_credential(credential, pem, kid)


def revocation_list(base_url: str) -> dict[str, Any]:
    """1EdTech revocation list: credential ids (urn:uuid, not numbers) no longer valid."""
    rows = db.session.execute(
        select(Certificate.credential_id, Certificate.status, Certificate.revoked_reason)
        .where(Certificate.status != CertificateStatus.VALID.value)
        .order_by(Certificate.id)
    )
    return {
        "id": status_url(base_url),
        "type": "1EdTechRevocationList",
        "issuer": issuer_id(base_url),
        "revokedCredentials": [
            {
                "id": cid,
                "revocationReason": reason
                if status == CertificateStatus.REVOKED.value
                else "Superseded by a corrected certificate.",
            }
            for cid, status, reason in rows
        ],
    }


def _credential_revoked(credential_id: str) -> bool:
    cert = db.session.scalar(select(Certificate).where(Certificate.credential_id == credential_id))
    return cert is None or cert.status != CertificateStatus.VALID.value


VERIFY_MESSAGES = {
    "ok": "Valid: the signature, the claims and the dates check out and it is not revoked.",
    "malformed": "This is not a readable VC-JWT credential.",
    "bad-header": "The credential's header is not one we issue (wrong algorithm or type).",
    "unknown-key": "The credential was not signed with one of our published keys.",
    "bad-signature": "The signature does not match: the credential was altered or forged.",
    "claims-mismatch": "The JWT claims do not match the credential body.",
    "not-yet-valid": "The credential is not valid yet.",
    "expired": "The credential has expired.",
    "revoked": "The credential has been revoked or replaced by a corrected one.",
}


# Reasons reached only after the signature and claims checked out: the body is ours to show.
_TRUSTED_BODY = frozenset({"ok", "not-yet-valid", "expired", "revoked"})


@dataclass(frozen=True, slots=True)
class PastedResult:
    """The outcome of checking a pasted credential, ready for the page."""

    valid: bool
    reason: str
    message: str
    credential: dict[str, Any] | None
    certificate_number: str | None


def verify_pasted(token: str, *, now: datetime) -> PastedResult:
    """Check a pasted VC-JWT: signature, claims, validity window and revocation."""
    keys = {row.kid: row.public_jwk for row in db.session.scalars(select(SigningKey))}
    result = ob3.verify_credential(
        "".join((token or "").split()), keys, now=now, is_revoked=_credential_revoked
    )
    trusted = result.credential if result.reason in _TRUSTED_BODY else None
    number = None
    if trusted is not None:
        evidence = trusted.get("evidence")
        if isinstance(evidence, list) and evidence and isinstance(evidence[0], dict):
            number = normalize(str(evidence[0].get("id", "")))
    return PastedResult(
        valid=result.valid,
        reason=result.reason,
        message=VERIFY_MESSAGES.get(result.reason, result.reason),
        credential=trusted,
        certificate_number=number,
    )
