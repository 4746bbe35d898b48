"""Open Badges 3.0 VC-JWT: build, sign, verify, and refuse tampering."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from datetime import UTC, datetime

import jwt
import pytest

from certificates.ob3 import (
    OB3_CONTEXT,
    VC_CONTEXT,
    build_credential,
    generate_keypair,
    sign_credential,
    verify_credential,
)
from certificates.sample import specimen_data

KID = "https://postrx.example.org/keys/2025-1"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
NEVER_REVOKED = lambda _id: False  # noqa: E731


@pytest.fixture(scope="module")
def keys():
    return generate_keypair()


def _credential(**overrides):
    data = dataclasses.replace(specimen_data("Maria Lopez"), **overrides)
    email_hash = "sha256$" + hashlib.sha256(b"maria@example.org" + b"pepper").hexdigest()
    return build_credential(
        data,
        issuer_id="https://postrx.example.org/issuer",
        issuer_name="PostRx Continuing Education",
        issuer_url="https://postrx.example.org",
        achievement_id="https://postrx.example.org/achievements/social-media-for-hcps/2025.1",
        subject_identifier=email_hash,
        credential_id="urn:uuid:6f1c8a52-3d2e-4b7a-9a43-8e2f5c1d0b77",
        status_url="https://postrx.example.org/ob3/status",
    )


def _private(keys):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(keys[0], password=None)


def _verify(token, keys, now=NOW, is_revoked=NEVER_REVOKED):
    return verify_credential(token, {KID: keys[1]}, now=now, is_revoked=is_revoked)


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _unb64(seg: str):
    return json.loads(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4)))


def test_generated_public_jwk_has_no_private_part(keys):
    pem, jwk = keys
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk


def test_credential_has_the_open_badges_shape():
    cred = _credential()
    assert cred["@context"] == [VC_CONTEXT, OB3_CONTEXT]
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert cred["id"].startswith("urn:uuid:")
    assert cred["issuer"]["id"] == "https://postrx.example.org/issuer"
    assert cred["validFrom"] == "2025-03-14T00:00:00Z"
    assert cred["validUntil"] == "2026-03-14T23:59:59Z"
    subject = cred["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["creditsAvailable"] == 1.5
    assert achievement["criteria"]["narrative"]
    assert cred["credentialStatus"]["id"].endswith("#" + specimen_data("x").number)
    json.dumps(cred)  # JSON-safe


def test_credential_without_expiry_has_no_valid_until():
    assert "validUntil" not in _credential(expiry_date=None)


def test_build_refuses_a_non_uuid_id_or_an_unhashed_email():
    data = specimen_data("A B")
    common = {
        "issuer_id": "i",
        "issuer_name": "n",
        "issuer_url": "u",
        "achievement_id": "a",
        "status_url": "s",
    }
    with pytest.raises(ValueError):
        build_credential(data, subject_identifier="sha256$ab", credential_id="42", **common)
    with pytest.raises(ValueError):
        build_credential(
            data, subject_identifier="maria@example.org", credential_id="urn:uuid:1", **common
        )


def test_signed_credential_verifies_and_carries_the_registered_claims(keys):
    cred = _credential()
    token = sign_credential(cred, keys[0], KID)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": KID, "typ": "vc+jwt"}
    claims = _unb64(_segments(token)[1])
    assert claims["iss"] == cred["issuer"]["id"]
    assert claims["jti"] == cred["id"]
    assert claims["sub"] == cred["credentialSubject"]["identifier"][0]["identityHash"]
    assert claims["nbf"] == int(datetime(2025, 3, 14, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC).timestamp())
    result = _verify(token, keys)
    assert (result.valid, result.reason) == (True, "ok")
    assert result.credential == cred


def test_a_changed_credential_body_fails_the_signature(keys):
    token = sign_credential(_credential(), keys[0], KID)
    header, payload, sig = _segments(token)
    claims = _unb64(payload)
    claims["vc"]["credentialSubject"]["achievement"]["creditsAvailable"] = 40.0
    forged = ".".join([header, _b64(claims), sig])
    assert _verify(forged, keys).reason == "bad-signature"


def test_a_token_signed_by_another_key_fails(keys):
    other_pem, _ = generate_keypair()
    token = sign_credential(_credential(), other_pem, KID)
    assert _verify(token, keys).reason == "bad-signature"


def test_an_unknown_kid_fails(keys):
    token = sign_credential(_credential(), keys[0], "someone-else")
    assert _verify(token, keys).reason == "unknown-key"


def test_alg_none_and_other_headers_are_refused(keys):
    token = sign_credential(_credential(), keys[0], KID)
    _, payload, _ = _segments(token)
    unsigned = ".".join([_b64({"alg": "none", "kid": KID, "typ": "vc+jwt"}), payload, ""])
    assert _verify(unsigned, keys).reason == "bad-header"
    # Algorithm confusion: an HMAC "signed" with the public key bytes must not pass.
    hmac_token = jwt.encode(
        _unb64(payload), keys[1]["x"] * 2, algorithm="HS256", headers={"kid": KID, "typ": "vc+jwt"}
    )
    assert _verify(hmac_token, keys).reason == "bad-header"
    untyped = jwt.encode(_unb64(payload), _private(keys), algorithm="EdDSA", headers={"kid": KID})
    assert _verify(untyped, keys).reason == "bad-header"


def test_claims_that_disagree_with_the_body_are_refused_even_when_signed(keys):
    cred = _credential()
    key = _private(keys)
    claims = {
        "iss": cred["issuer"]["id"],
        "jti": "urn:uuid:00000000-0000-0000-0000-000000000000",
        "sub": cred["credentialSubject"]["identifier"][0]["identityHash"],
        "nbf": int(datetime(2025, 3, 14, tzinfo=UTC).timestamp()),
        "exp": int(datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC).timestamp()),
        "vc": cred,
    }
    token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": KID, "typ": "vc+jwt"})
    assert _verify(token, keys).reason == "claims-mismatch"
    claims["jti"] = cred["id"]
    del claims["exp"]  # dropping exp must not silently lift the expiry
    token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": KID, "typ": "vc+jwt"})
    assert _verify(token, keys).reason == "claims-mismatch"


def test_an_expired_credential_is_refused(keys):
    token = sign_credential(_credential(), keys[0], KID)
    assert _verify(token, keys, now=datetime(2026, 3, 15, tzinfo=UTC)).reason == "expired"
    assert _verify(token, keys, now=datetime(2026, 3, 14, 23, 0, tzinfo=UTC)).valid


def test_a_credential_is_not_valid_before_valid_from(keys):
    token = sign_credential(_credential(), keys[0], KID)
    assert _verify(token, keys, now=datetime(2025, 3, 13, tzinfo=UTC)).reason == "not-yet-valid"


def test_a_revoked_credential_is_refused_and_the_lookup_gets_its_id(keys):
    cred = _credential()
    token = sign_credential(cred, keys[0], KID)
    asked = []

    def is_revoked(credential_id: str) -> bool:
        asked.append(credential_id)
        return True

    result = _verify(token, keys, is_revoked=is_revoked)
    assert (result.valid, result.reason) == (False, "revoked")
    assert asked == [cred["id"]]


def test_garbage_is_malformed(keys):
    assert _verify("not-a-jwt", keys).reason == "malformed"


def test_a_credential_without_expiry_never_expires(keys):
    token = sign_credential(_credential(expiry_date=None), keys[0], KID)
    assert "exp" not in _unb64(_segments(token)[1])
    assert _verify(token, keys, now=datetime(2040, 1, 1, tzinfo=UTC)).valid
