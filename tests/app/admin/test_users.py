"""Accounts from the site admin pages: search, roles, disable/enable and reset links."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.conftest import PASSWORD


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_search_finds_accounts_by_name_email_or_institution_and_paginates(
    admin_client, make_user, make_org
):
    nurse = make_user(name="Grace Hopper", email="grace@example.org")
    make_org("Riverside General", members=(nurse,))
    for i in range(60):
        make_user(email=f"bulk{i:02d}@example.org")
    by_name = admin_client.get("/admin/users?q=hopper").get_data(as_text=True)
    by_org = admin_client.get("/admin/users?q=riverside").get_data(as_text=True)
    for page in (by_name, by_org):
        assert "1 account." in page and "grace@example.org" in page
    assert "0 accounts." in admin_client.get("/admin/users?q=100%25").get_data(as_text=True)
    first = admin_client.get("/admin/users?q=bulk").get_data(as_text=True)
    assert "60 accounts" in first and "Page 1 of 2" in first and "bulk59" not in first
    assert "bulk59" in admin_client.get("/admin/users?q=bulk&page=2").get_data(as_text=True)


def test_the_user_page_shows_roles_and_memberships(admin_client, make_user, make_org):
    boss = make_user(Role.LEARNER, Role.INSTITUTION_ADMIN, email="boss@example.org")
    make_org("Hilltop Clinic", admins=(boss,))
    page = admin_client.get(f"/admin/users/{boss.id}").get_data(as_text=True)
    assert "Hilltop Clinic</a> (admin)" in page and "Institution admin" in page
    assert admin_client.get("/admin/users/9999").status_code == 404


def test_granting_and_revoking_roles_is_audited(admin_client, make_user):
    user = make_user()
    admin_client.post(f"/admin/users/{user.id}/roles/grant", data={"role": "educator"})
    assert Role.EDUCATOR in db.session.get(User, user.id).roles
    admin_client.post(f"/admin/users/{user.id}/roles/revoke", data={"role": "educator"})
    assert Role.EDUCATOR not in db.session.get(User, user.id).roles
    assert _actions() == ["role.grant", "role.revoke"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.grant"))
    assert event.subject == f"user:{user.id}" and event.detail == {
        "role": "educator",
        "ip": "127.0.0.1",
    }


def test_institution_admin_cannot_be_granted_without_an_institution(admin_client, make_user):
    user = make_user()
    resp = admin_client.post(
        f"/admin/users/{user.id}/roles/grant",
        data={"role": "institution_admin"},
        follow_redirects=True,
    )
    assert "Choose one of the roles" in resp.get_data(as_text=True)
    assert Role.INSTITUTION_ADMIN not in db.session.get(User, user.id).roles
    assert _actions() == []


def test_a_site_admin_cannot_disable_or_demote_themself(admin_client, site_admin, make_user):
    other = make_user(Role.SITE_ADMIN, email="other-root@example.org")
    resp = admin_client.post(f"/admin/users/{site_admin.id}/disable", follow_redirects=True)
    assert "cannot disable your own account" in resp.get_data(as_text=True)
    resp = admin_client.post(
        f"/admin/users/{site_admin.id}/roles/revoke",
        data={"role": "site_admin"},
        follow_redirects=True,
    )
    assert "cannot remove site admin from your own account" in resp.get_data(as_text=True)
    me = db.session.get(User, site_admin.id)
    assert me.is_active_account and Role.SITE_ADMIN in me.roles
    admin_client.post(f"/admin/users/{other.id}/roles/revoke", data={"role": "site_admin"})
    assert Role.SITE_ADMIN not in db.session.get(User, other.id).roles
    assert _actions() == ["role.revoke"]


def test_the_last_site_admin_stays_even_from_the_cli(runner, site_admin):
    result = runner.invoke(args=["users", "disable", site_admin.email])
    assert result.exit_code == 1 and "last site admin" in result.output
    assert db.session.get(User, site_admin.id).is_active_account


def test_a_disabled_user_cannot_sign_in_and_their_open_session_ends(make_app, make_user, issue):
    """Requests run outside any app context here, as in production: each gets a fresh `g`,
    so Flask-Login really reloads the user from the session cookie on every request."""
    live = make_app()
    with live.app_context():
        root = make_user(Role.SITE_ADMIN, email="root@example.org")
        leaver = make_user(email="leaver@example.org")
        number, leaver_id, root_email = issue(leaver).number, leaver.id, root.email
        db.session.commit()
        db.session.remove()
    admin, theirs = live.test_client(), live.test_client()
    admin.post("/login", data={"email": root_email, "password": PASSWORD})
    theirs.post("/login", data={"email": "leaver@example.org", "password": PASSWORD})
    assert theirs.get("/account").status_code == 200
    confirm = admin.get(f"/admin/users/{leaver_id}/disable").get_data(as_text=True)
    assert "stay valid" in confirm
    assert theirs.get("/account").status_code == 200  # the GET changed nothing
    assert admin.post(f"/admin/users/{leaver_id}/disable").status_code == 302
    resp = theirs.get("/account")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    with theirs.session_transaction() as sess:
        assert "_user_id" not in sess
    assert theirs.get("/account").status_code == 302
    again = live.test_client()
    again.post("/login", data={"email": "leaver@example.org", "password": PASSWORD})
    assert again.get("/account").status_code == 302
    assert "Valid" in again.get(f"/verify/{number}").get_data(as_text=True)
    admin.post(f"/admin/users/{leaver_id}/disable")  # the same page enables
    with live.app_context():
        assert db.session.get(User, leaver_id).is_active_account
        assert _actions()[-2:] == ["user.disable", "user.enable"]


def test_a_reset_link_is_shown_once_when_mail_is_not_configured(admin_client, make_user, app):
    user = make_user()
    resp = admin_client.post(f"/admin/users/{user.id}/reset-link")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "/reset/" in page and "once" in page
    assert resp.headers["Cache-Control"] == "no-store"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admin.reset_link"))
    assert event.detail == {"mailed": False, "ip": "127.0.0.1"}
    assert "/reset/" not in admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_a_reset_link_is_mailed_when_mail_is_configured(admin_client, make_user, app, monkeypatch):
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        "app.services.admin.users.send_mail",
        lambda to, subject, body: sent.append((to, subject, body)),
    )
    app.config["MAIL_SERVER"] = "smtp.example.org"
    user = make_user(email="mailme@example.org")
    resp = admin_client.post(f"/admin/users/{user.id}/reset-link", follow_redirects=True)
    assert "was mailed to mailme@example.org" in resp.get_data(as_text=True)
    assert len(sent) == 1 and sent[0][0] == "mailme@example.org" and "/reset/" in sent[0][2]


def test_no_reset_link_for_a_disabled_account(admin_client, make_user):
    user = make_user()
    user.is_active_account = False
    db.session.commit()
    resp = admin_client.post(f"/admin/users/{user.id}/reset-link", follow_redirects=True)
    assert "enable the account first" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
