"""Invite links: join, expiry, maximum uses, and the sign-in detour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership
from app.models.base import utcnow
from app.services.institutions import InstitutionError, create_invite, join_with_invite
from tests.conftest import PASSWORD


def test_a_signed_in_user_joins_with_an_invite_link_into_its_department(
    client, login, admin_org, make_user
):
    admin, org = admin_org
    dept = org.departments[0]
    invite = create_invite(org, admin, department_id=dept.id)
    assert len(invite.code) >= 20
    learner = make_user(name="Lee Learner")
    login(learner)
    page = client.get(f"/org/join/{invite.code}")
    assert page.status_code == 200 and "Join Hospital A" in page.get_data(as_text=True)
    client.post(f"/org/join/{invite.code}")
    m = db.session.scalar(select(Membership).where(Membership.user_id == learner.id))
    assert m.institution_id == org.id and m.department_id == dept.id and not m.is_admin
    db.session.refresh(invite)
    assert invite.uses == 1


def test_an_expired_invite_cannot_be_used(app, admin_org, make_user):
    admin, org = admin_org
    invite = create_invite(org, admin, days_valid=1, now=utcnow() - timedelta(days=2))
    with pytest.raises(InstitutionError, match="expired"):
        join_with_invite(make_user(), invite.code)


def test_an_invite_stops_working_after_its_maximum_uses(app, admin_org, make_user):
    admin, org = admin_org
    invite = create_invite(org, admin, max_uses=2)
    join_with_invite(make_user(), invite.code)
    join_with_invite(make_user(), invite.code)
    with pytest.raises(InstitutionError, match="used as many times"):
        join_with_invite(make_user(), invite.code)


def test_an_unknown_or_revoked_code_shows_a_not_found_page(client, admin_org):
    admin, org = admin_org
    assert client.get("/org/join/not-a-real-code").status_code == 404
    from app.services.institutions import revoke_invite

    invite = create_invite(org, admin)
    revoke_invite(org, admin, invite.id)
    assert client.get(f"/org/join/{invite.code}").status_code == 404


def test_a_visitor_signs_in_from_the_invite_page_and_comes_back_to_join(
    client, admin_org, make_user
):
    admin, org = admin_org
    invite = create_invite(org, admin)
    learner = make_user(email="visitor@example.org")
    html = client.get(f"/org/join/{invite.code}").get_data(as_text=True)
    assert "Sign in or create an account first" in html
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    resp = client.get("/dashboard")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/org/join/{invite.code}")
