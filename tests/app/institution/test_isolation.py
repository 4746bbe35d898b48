"""An institution admin never sees another institution: pages, downloads, ids all 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Role
from app.services.api_tokens import create_token
from app.services.institutions import create_assignment, create_invite
from tests.app.institution.conftest import NOW, add_learner, job_download


@pytest.fixture
def two_orgs(admin_org, make_user, make_org):
    admin_a, org_a = admin_org
    admin_b = make_user(Role.INSTITUTION_ADMIN, name="Bea Admin")
    org_b = make_org("Hospital B", admins=(admin_b,))
    secret_person = add_learner(org_b, make_user, name="Secret Person B", state="certified")
    return admin_a, org_a, admin_b, org_b, secret_person


def test_pages_and_downloads_of_another_institution_are_not_found(client, login, two_orgs):
    admin_a, org_a, _admin_b, org_b, _ = two_orgs
    login(admin_a)
    for path in (
        "/",
        "/members",
        "/roster",
        "/invites",
        "/assignments",
        "/report",
        "/tokens",
    ):
        assert client.get(f"/org/{org_b.slug}{path}").status_code == 404, path
    for path in ("/report.csv", "/report.xlsx", "/report.pdf", "/certificates.zip", "/roster"):
        assert client.post(f"/jobs/org/{org_b.slug}{path}").status_code == 404, path
    assert client.get(f"/org/{org_a.slug}/report").status_code == 200
    overview = client.get("/org/", follow_redirects=True).get_data(as_text=True)
    assert "Hospital A" in overview and "Hospital B" not in overview


def test_guessed_ids_of_another_institution_are_not_found(client, login, two_orgs):
    admin_a, org_a, admin_b, org_b, person = two_orgs
    invite_b = create_invite(org_b, admin_b)
    assignment_b = create_assignment(org_b, admin_b, due_date=NOW.date())
    token_b = create_token(org_b, admin_b, "B sync").row
    mid_b = db.session.scalar(select(Membership.id).where(Membership.user_id == person.id))
    login(admin_a)
    for path in (
        f"/members/{mid_b}/reset-link",
        f"/invites/{invite_b.id}/revoke",
        f"/assignments/{assignment_b.id}/delete",
        f"/tokens/{token_b.id}/revoke",
    ):
        assert client.post(f"/org/{org_a.slug}{path}").status_code == 404, path
    db.session.refresh(token_b)
    assert token_b.revoked_at is None


def test_reports_of_one_institution_never_contain_another_s_people(client, login, two_orgs):
    admin_a, org_a, *_ = two_orgs
    login(admin_a)
    for fmt in ("csv", "xlsx"):
        data = job_download(client, f"/jobs/org/{org_a.slug}/report.{fmt}").data
        assert b"Secret Person B" not in data
    html = client.get(f"/org/{org_a.slug}/report").get_data(as_text=True)
    assert "Secret Person B" not in html
    import io
    import zipfile

    zipped = job_download(client, f"/jobs/org/{org_a.slug}/certificates.zip")
    zf = zipfile.ZipFile(io.BytesIO(zipped.data))
    assert zf.namelist() == []


def test_a_plain_member_or_stranger_cannot_open_the_admin_pages(client, login, two_orgs, make_user):
    _admin_a, org_a, *_ = two_orgs
    member = add_learner(org_a, make_user, name="Plain Member")
    login(member)
    assert client.get(f"/org/{org_a.slug}/members").status_code == 404
    assert client.get("/org/").status_code == 404


def test_tokens_of_another_institution_are_not_listed(client, login, two_orgs):
    admin_a, org_a, admin_b, org_b, _ = two_orgs
    create_token(org_b, admin_b, "B secret sync")
    login(admin_a)
    assert "B secret sync" not in client.get(f"/org/{org_a.slug}/tokens").get_data(as_text=True)
