"""Open Badges 3.0 credentials as VC-JWT, the machine-checkable companion to the PDF.

A learner can put the signed credential in a wallet or send it to an employer, who checks it
without trusting the PDF: the signature (Ed25519, JOSE ``alg`` EdDSA) ties it to our published
key, the JWT claims must repeat the credential body, the validity window must hold and the
status list must not say revoked. Keys, "now" and the revocation lookup are arguments, so this
module stays pure and testable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from certificates.model import CertificateData, format_amount

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_TYP = "vc+jwt"
ALGORITHM = "EdDSA"


def generate_keypair() -> tuple[bytes, dict[str, str]]:
    """A new Ed25519 signing key: (PKCS#8 PEM private key, public JWK without private parts)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    jwk = json.loads(OKPAlgorithm.to_jwk(key.public_key()))
    return pem, {
        "kty": jwk["kty"],
        "crv": jwk["crv"],
        "x": jwk["x"],
        "alg": ALGORITHM,
        "use": "sig",
    }


def _iso(d: date | datetime) -> str:
    if isinstance(d, datetime):
        dt = d if d.tzinfo else d.replace(tzinfo=UTC)
    else:
        dt = datetime.combine(d, time(0, 0), tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _end_of_day(d: date) -> str:
    return datetime.combine(d, time(23, 59, 59), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def build_credential(
    data: CertificateData,
    *,
    issuer_id: str,
    issuer_name: str,
    issuer_url: str,
    achievement_id: str,
    subject_identifier: str,
    credential_id: str,
    status_url: str,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for a certificate snapshot.

    ``subject_identifier`` is a salted email hash ("sha256$<hex>"; the issuer keeps the salt) so
    the credential names its holder without publishing an email address. It goes into
    ``credentialSubject.identifier`` and, as there is no subject id, into the JWT ``sub``.
    ``credential_id`` is a urn:uuid; ``status_url`` is the revocation list the id is checked in.
    """
    if not credential_id.startswith("urn:uuid:"):
        raise ValueError("credential_id must be a urn:uuid")
    if not subject_identifier.startswith("sha256$"):
        raise ValueError('subject_identifier must be a hashed email ("sha256$" + hex)')
    max_credit = max((line.amount for line in data.credits), default=0)
    credit_text = "; ".join(
        f"{line.label}: {format_amount(line.amount)} {line.unit}" for line in data.credits
    )
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "id": credential_id,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name, "url": issuer_url},
        "validFrom": _iso(data.issue_date),
        "name": data.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": subject_identifier,
                    "identityType": "emailAddress",
                    "hashed": True,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": data.course_title,
                "description": (
                    f"{data.activity_format}, version {data.course_version}, provided by "
                    f"{data.provider.name}. Credit awarded: {credit_text}."
                ),
                "criteria": {
                    "narrative": (
                        "Completed every module, passed the scenario-based post-test and "
                        "submitted the course evaluation. Credit claimed matches the time the "
                        "learner attested, capped at the maximum awarded for the activity."
                    )
                },
                "creditsAvailable": float(max_credit),
            },
            "result": [
                {
                    "type": ["Result"],
                    "value": format_amount(line.amount),
                    "resultDescription": f"{line.label}: {line.unit}",
                }
                for line in data.credits
            ],
            "activityEndDate": _iso(data.completion_date),
        },
        "credentialStatus": {
            "id": f"{status_url.rstrip('/')}#{data.number}",
            "type": "1EdTechRevocationList",
        },
        "evidence": [
            {"type": ["Evidence"], "id": data.number, "name": f"Certificate {data.number}"}
        ],
    }
    if data.expiry_date is not None:
        credential["validUntil"] = _end_of_day(data.expiry_date)
    return credential


def subject_of(credential: Mapping[str, Any]) -> str:
    """The JWT ``sub``: credentialSubject.id, or the hashed identifier when there is no id."""
    subject = credential["credentialSubject"]
    if "id" in subject:
        return str(subject["id"])
    return str(subject["identifier"][0]["identityHash"])


def sign_credential(credential: Mapping[str, Any], private_pem: bytes, kid: str) -> str:
    """Compact VC-JWT: header {alg: EdDSA, kid, typ: vc+jwt}, registered claims + "vc"."""
    claims: dict[str, Any] = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(_parse_iso(credential["validFrom"]).timestamp()),
        "sub": subject_of(credential),
        "vc": dict(credential),
    }
    if "validUntil" in credential:
        claims["exp"] = int(_parse_iso(credential["validUntil"]).timestamp())
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("private_pem must be an Ed25519 key")
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid, "typ": JWT_TYP})


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Outcome of verifying a VC-JWT; ``reason`` is a short code a UI can map to text."""

    valid: bool
    reason: str
    credential: dict[str, Any] | None = None


def _fail(reason: str, credential: dict[str, Any] | None = None) -> VerificationResult:
    return VerificationResult(False, reason, credential)


def verify_credential(
    token: str,
    public_jwks: Mapping[str, Mapping[str, Any]],
    *,
    now: datetime,
    is_revoked: Callable[[str], bool],
) -> VerificationResult:
    """Check signature, header, claims against the body, validity window and revocation.

    ``public_jwks`` maps kid -> public JWK; ``is_revoked`` gets the credential id (urn:uuid).
    Reasons: malformed, bad-header, unknown-key, bad-signature, claims-mismatch, not-yet-valid,
    expired, revoked, ok.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return _fail("malformed")
    if header.get("alg") != ALGORITHM or header.get("typ") != JWT_TYP:
        return _fail("bad-header")
    if "jwk" in header and "d" in header["jwk"]:
        return _fail("bad-header")
    jwk = public_jwks.get(str(header.get("kid")))
    if jwk is None or "d" in jwk:
        return _fail("unknown-key")
    try:
        key = OKPAlgorithm.from_jwk(dict(jwk))
    except (jwt.PyJWTError, ValueError, KeyError):
        return _fail("unknown-key")
    if not isinstance(key, Ed25519PublicKey):
        return _fail("unknown-key")
    try:
        # Time checks are ours (against ``now``), so PyJWT only checks the signature here.
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except jwt.InvalidSignatureError:
        return _fail("bad-signature")
    except jwt.PyJWTError:
        return _fail("malformed")

    vc = claims.get("vc")
    if not isinstance(vc, dict):
        return _fail("malformed")
    try:
        types_ok = vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        contexts_ok = vc["@context"][:2] == [VC_CONTEXT, OB3_CONTEXT]
        valid_from = _parse_iso(vc["validFrom"])
        valid_until = _parse_iso(vc["validUntil"]) if "validUntil" in vc else None
        consistent = (
            claims.get("iss") == vc["issuer"]["id"]
            and claims.get("jti") == vc["id"]
            and claims.get("sub") == subject_of(vc)
            and claims.get("nbf") == int(valid_from.timestamp())
            and claims.get("exp") == (int(valid_until.timestamp()) if valid_until else None)
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return _fail("malformed", vc)
    if not (types_ok and contexts_ok and consistent):
        return _fail("claims-mismatch", vc)

    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    if now < valid_from:
        return _fail("not-yet-valid", vc)
    if valid_until is not None and now > valid_until:
        return _fail("expired", vc)
    if is_revoked(vc["id"]):
        return _fail("revoked", vc)
    return VerificationResult(True, "ok", vc)
