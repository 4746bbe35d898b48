"""Only site admins reach /admin: everyone else gets 403 on every URL, and forms need CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Institution, Role
from tests.conftest import PASSWORD, csrf_token

GET_URLS = [
    "/admin/",
    "/admin/institutions",
    "/admin/institutions/new",
    "/admin/institutions/{slug}",
    "/admin/institutions/{slug}/logo",
    "/admin/institutions/{slug}/admins/{uid}/remove",
    "/admin/institutions/{slug}/archive",
    "/admin/users",
    "/admin/users/{uid}",
    "/admin/users/{uid}/disable",
    "/admin/audit",
    "/admin/audit.csv",
    "/admin/mail",
    "/admin/status",
]
POST_URLS = [
    "/admin/institutions/new",
    "/admin/institutions/{slug}/rename",
    "/admin/institutions/{slug}/logo",
    "/admin/institutions/{slug}/provider",
    "/admin/institutions/{slug}/admins",
    "/admin/institutions/{slug}/admins/{uid}/remove",
    "/admin/institutions/{slug}/archive",
    "/admin/users/{uid}/roles/grant",
    "/admin/users/{uid}/roles/revoke",
    "/admin/users/{uid}/disable",
    "/admin/users/{uid}/reset-link",
    "/admin/mail",
]


def test_every_admin_url_is_registered_in_these_lists(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")}
    listed = {
        u.replace("{slug}", "<slug>").replace("{uid}", "<int:user_id>")
        for u in GET_URLS + POST_URLS
    }
    assert rules == listed


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EDUCATOR, Role.INSTITUTION_ADMIN])
def test_learners_educators_and_institution_admins_get_403_on_every_admin_url(
    client, login, make_user, make_org, role
):
    user = make_user(role)
    org = make_org(admins=(user,) if role is Role.INSTITUTION_ADMIN else ())
    target = make_user(email="target@example.org")
    login(user)
    for url in GET_URLS:
        resp = client.get(url.format(slug=org.slug, uid=target.id))
        assert resp.status_code == 403, url
    for url in POST_URLS:
        resp = client.post(url.format(slug=org.slug, uid=target.id), data={"name": "X"})
        assert resp.status_code == 403, url
    assert db.session.get(Institution, org.id).name == org.name
    assert "Admin</a>" not in client.get("/dashboard").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    resp = client.get("/admin/users")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_site_admin_sees_the_admin_link_in_the_navigation(admin_client):
    page = admin_client.get("/dashboard").get_data(as_text=True)
    assert 'href="/admin/"' in page


def test_admin_forms_refuse_a_post_without_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = make_user(Role.SITE_ADMIN, email="root@example.org")
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.post(
            "/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        )
        resp = client.post("/admin/institutions/new", data={"name": "Forged", "slug": "forged"})
        assert resp.status_code == 400
        assert db.session.scalar(select(func.count(Institution.id))) == 0
        token = csrf_token(client.get("/admin/institutions/new").get_data(as_text=True))
        resp = client.post(
            "/admin/institutions/new",
            data={"name": "Real", "slug": "real", "csrf_token": token},
        )
        assert resp.status_code == 302
        assert db.session.scalar(select(Institution.name)) == "Real"
