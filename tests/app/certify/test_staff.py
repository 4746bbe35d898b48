"""Revoke and reissue (who may, what it records), staff search and the CLI."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Role
from app.models.certificate import Certificate, SigningKey
from app.services import certificates as svc
from app.services.accounts import update_profile


def audit_rows(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_learners_cannot_use_the_staff_pages(client, login, make_user, issue):
    learner = make_user()
    cert = issue(learner)
    login(learner)
    assert client.get("/certificates/staff").status_code == 403
    assert client.get(f"/certificates/staff/{cert.number}").status_code == 403
    resp = client.post(f"/certificates/staff/{cert.number}/revoke", data={"revoke-reason": "x"})
    assert resp.status_code == 403
    resp = client.post(f"/certificates/staff/{cert.number}/reissue", data={"reissue-reason": "x"})
    assert resp.status_code == 403
    assert db.session.get(Certificate, cert.id).status == "valid"
    assert audit_rows("certificate.revoke") == []


def test_an_educator_revokes_with_a_reason_and_it_is_audited(client, login, make_user, issue):
    cert = issue(make_user())
    educator = make_user(Role.EDUCATOR)
    login(educator)
    resp = client.post(
        f"/certificates/staff/{cert.number}/revoke",
        data={"revoke-reason": "Attestation found to be false"},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert cert.status == "revoked" and cert.revoked_at is not None
    assert cert.revoked_reason == "Attestation found to be false"
    [row] = audit_rows("certificate.revoke")
    assert row.actor_id == educator.id and row.subject == f"certificate:{cert.number}"
    assert row.detail["reason"] == "Attestation found to be false"


def test_a_revocation_needs_a_reason(client, login, make_user, issue):
    cert = issue(make_user())
    login(make_user(Role.SITE_ADMIN))
    resp = client.post(f"/certificates/staff/{cert.number}/revoke", data={"revoke-reason": ""})
    assert resp.status_code == 200 and "Give a reason." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert cert.status == "valid"


def test_a_site_admin_reissues_after_a_name_change(client, login, make_user, issue):
    learner = make_user(name="Maria Lopez")
    cert = issue(learner, minutes=75)
    update_profile(
        learner,
        print_name="Maria Lopez-Garcia",
        credentials="RN, MSN",
        profession="nurse",
        licence_number=None,
        licence_state=None,
    )
    admin = make_user(Role.SITE_ADMIN)
    login(admin)
    resp = client.post(
        f"/certificates/staff/{cert.number}/reissue", data={"reissue-reason": "Name change"}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(select(Certificate).where(Certificate.status == "valid"))
    assert new.number != cert.number
    assert resp.headers["Location"].endswith(f"/certificates/staff/{new.number}")
    assert new.snapshot["learner_name"] == "Maria Lopez-Garcia"
    assert new.snapshot["credentials"] == "RN, MSN"
    assert new.snapshot["completion_date"] == cert.snapshot["completion_date"]
    assert new.credit_hours == cert.credit_hours
    assert cert.status == "superseded" and cert.superseded_by_id == new.id
    assert cert.snapshot["learner_name"] == "Maria Lopez"  # the old snapshot is untouched
    [row] = audit_rows("certificate.reissue")
    assert row.actor_id == admin.id and row.detail["new_number"] == new.number


def test_staff_find_certificates_by_number_or_learner_email(client, login, make_user, issue):
    learner = make_user(email="nurse.kim@example.org")
    cert = issue(learner)
    login(make_user(Role.EDUCATOR))
    sloppy = cert.number.lower().replace("-", " ")
    assert cert.number in client.get(f"/certificates/staff?q={sloppy}").get_data(as_text=True)
    page = client.get("/certificates/staff?q=NURSE.KIM@example.org").get_data(as_text=True)
    assert cert.number in page
    page = client.get("/certificates/staff?q=nobody@example.org").get_data(as_text=True)
    assert "No certificate matches" in page
    detail = client.get(f"/certificates/staff/{cert.number}").get_data(as_text=True)
    assert "Reissue" in detail and "Revoke certificate" in detail


def test_render_sample_gives_identical_bytes_on_every_run(runner, tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        result = runner.invoke(
            args=["certificates", "render-sample", "--name", "Nguyễn Văn An", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    assert a.read_bytes().startswith(b"%PDF") and a.read_bytes() == b.read_bytes()


def test_render_sample_refuses_a_name_it_cannot_print(runner, tmp_path):
    result = runner.invoke(
        args=["certificates", "render-sample", "--name", "محمد", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code != 0 and "Cannot print" in result.output


def test_the_revoke_command_revokes_and_audits(runner, make_user, issue):
    cert = issue(make_user())
    result = runner.invoke(
        args=["certificates", "revoke", cert.number.lower(), "--reason", "Issued in error"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert cert.status == "revoked"
    [row] = audit_rows("certificate.revoke")
    assert row.actor_id is None and row.detail["reason"] == "Issued in error"
    again = runner.invoke(args=["certificates", "revoke", cert.number, "--reason", "x"])
    assert again.exit_code != 0 and "already revoked" in again.output
    unknown = runner.invoke(args=["certificates", "revoke", "PRX-0000", "--reason", "x"])
    assert unknown.exit_code != 0 and "No certificate" in unknown.output


def test_setup_keys_keeps_the_private_key_out_of_the_database(app):
    message = svc.setup_keys()
    [row] = db.session.scalars(select(SigningKey))
    assert row.kid in message
    assert "d" not in row.public_jwk and row.public_jwk["kid"] == row.kid
    pem = Path(app.config["INSTANCE_DIR"]) / "keys" / f"{row.kid}.pem"
    assert b"PRIVATE KEY" in pem.read_bytes()
    assert stat.S_IMODE(os.stat(pem).st_mode) == 0o600
    svc.setup_keys()
    assert len(list(db.session.scalars(select(SigningKey)))) == 1
