"""The public verify page in every state, the lookup form, rate limiting and Open Badges."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.certificate import Certificate
from app.services import certificates as svc
from certificates import ob3
from tests.app.certify.conftest import NOW

UNKNOWN_BUT_WELL_FORMED = "PRX-0000-0000-0000-0"


def test_a_valid_certificate_shows_name_course_credits_and_dates(client, make_user, issue):
    cert = issue(make_user(name="Ελένη Παπαδοπούλου", credentials="RN"))
    resp = client.get(f"/verify/{cert.number}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Valid" in page and "Ελένη Παπαδοπούλου, RN" in page
    assert cert.snapshot["course_title"] in page
    assert "1.50" in page and "nursing contact hours" in page
    assert "20 November 2026" in page
    assert resp.headers["X-Robots-Tag"] == "noindex"


def test_a_revoked_certificate_shows_the_date_and_reason(client, make_user, issue):
    cert = issue(make_user())
    svc.revoke(cert, actor=None, reason="Issued to the wrong learner", now=NOW + timedelta(days=2))
    page = client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert "Revoked" in page and "22 November 2026" in page
    assert "Issued to the wrong learner" in page
    assert "verify-valid" not in page


def test_an_expired_certificate_shows_the_expiry_date(client, make_user, issue):
    cert = issue(make_user(), now=NOW - timedelta(days=800))
    cert.expires_on = date(2025, 9, 12)
    db.session.commit()
    page = client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert "Expired" in page and "was valid until 12 September 2025" in page


def test_a_superseded_certificate_links_its_replacement(client, make_user, issue):
    cert = issue(make_user())
    new = svc.reissue(cert, actor=None, reason="Name change", now=NOW, base_url="http://x")
    page = client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert "Superseded" in page
    assert f'href="/verify/{new.number}"' in page and "Superseded by" in page
    assert "Valid" in client.get(f"/verify/{new.number}").get_data(as_text=True)


def test_unknown_and_malformed_numbers_give_a_plain_404(client, make_user, issue):
    issue(make_user(name="Secret Person"))
    for path in (
        f"/verify/{UNKNOWN_BUT_WELL_FORMED}",
        "/verify/PRX-0000-0000-0000-1",  # wrong check symbol
        "/verify/not-a-number",
        "/verify/credential",
    ):
        resp = client.get(path)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 404, path
        assert "Page not found" in page and "Secret Person" not in page


def test_a_number_typed_loosely_redirects_to_its_canonical_page(client, make_user, issue):
    cert = issue(make_user())
    loose = cert.number.lower().replace("-", "")
    resp = client.get(f"/verify/{loose}")
    assert resp.status_code == 301 and resp.headers["Location"].endswith(f"/verify/{cert.number}")
    resp = client.get("/verify/", query_string={"number": " " + cert.number.lower() + " "})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/verify/{cert.number}")


def test_the_lookup_form_rejects_a_malformed_number_without_a_lookup(client):
    page = client.get("/verify/", query_string={"number": "PRX-1234"}).get_data(as_text=True)
    assert "not a valid certificate number" in page
    assert client.get("/verify/").status_code == 200


def test_the_verify_page_is_rate_limited(make_app):
    app = make_app(VERIFY_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.get(f"/verify/{UNKNOWN_BUT_WELL_FORMED}").status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]


# ------------------------------------------------------------------ Open Badges 3.0


def _badge(client, login, user, cert) -> str:
    login(user)
    resp = client.get(f"/certificates/{cert.number}/badge.jwt")
    assert resp.status_code == 200 and resp.mimetype == "application/vc+jwt"
    return resp.get_data(as_text=True)


def test_a_downloaded_open_badge_verifies_against_the_published_keys(
    client, login, make_user, issue
):
    user = make_user()
    cert = issue(user)
    token = _badge(client, login, user, cert)
    jwks = client.get("/verify/jwks.json").get_json()
    keys = {k["kid"]: k for k in jwks["keys"]}
    result = ob3.verify_credential(token, keys, now=NOW, is_revoked=lambda _id: False)
    assert result.valid, result.reason
    vc = result.credential
    assert vc["issuer"]["id"] == "http://verify.test/verify/issuer.json"
    assert vc["id"] == cert.credential_id
    assert vc["credentialStatus"]["id"].startswith("http://verify.test/verify/status.json")
    assert user.email not in token and user.email not in json.dumps(vc)
    issuer = client.get("/verify/issuer.json").get_json()
    assert issuer["id"] == vc["issuer"]["id"] and issuer["type"] == ["Profile"]


def test_a_pasted_credential_is_checked_and_shown_as_valid(client, login, make_user, issue):
    user = make_user()
    cert = issue(user)
    token = _badge(client, login, user, cert)
    page = client.post("/verify/credential", data={"token": token}).get_data(as_text=True)
    assert "Valid:" in page and f"/verify/{cert.number}" in page


def test_a_tampered_pasted_credential_is_rejected(client, login, make_user, issue):
    user = make_user()
    cert = issue(user)
    header, payload, signature = _badge(client, login, user, cert).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["name"] = "Advanced Cardiac Life Support"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    page = client.post(
        "/verify/credential", data={"token": f"{header}.{forged}.{signature}"}
    ).get_data(as_text=True)
    assert "Not valid" in page and "altered or forged" in page
    assert "Advanced Cardiac Life Support" not in page
    page = client.post("/verify/credential", data={"token": "not a jwt"}).get_data(as_text=True)
    assert "not a readable VC-JWT" in page


def test_a_revoked_certificates_badge_fails_and_is_on_the_status_list(
    client, login, make_user, issue
):
    user = make_user()
    cert = issue(user)
    token = _badge(client, login, user, cert)
    svc.revoke(cert, actor=None, reason="Issued in error", now=NOW)
    page = client.post("/verify/credential", data={"token": token}).get_data(as_text=True)
    assert "Not valid" in page and "revoked" in page
    status = client.get("/verify/status.json").get_json()
    assert status["type"] == "1EdTechRevocationList"
    assert status["revokedCredentials"] == [
        {"id": cert.credential_id, "revocationReason": "Issued in error"}
    ]
    assert client.get(f"/certificates/{cert.number}/badge.jwt").status_code == 404


def test_the_achievement_is_published_at_its_id(client):
    body = client.get(f"/verify/achievements/{svc.COURSE_SLUG}.json").get_json()
    assert body["type"] == ["Achievement"] and body["creditsAvailable"] == 3.0
    assert client.get("/verify/achievements/other-course.json").status_code == 404


def test_a_learner_sees_every_cycle_in_my_certificates(client, login, make_user, issue):
    user = make_user()
    cert = issue(user)
    login(user)
    page = client.get("/certificates/").get_data(as_text=True)
    assert f'value="http://verify.test/verify/{cert.number}"' in page and "readonly" in page
    assert 'data-copy-target="verify-' in page and "js/certify.js" in page
    assert db.session.scalar(select(Certificate.number)) == cert.number
