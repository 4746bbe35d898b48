"""Institutions from the site admin pages: create, rename, logo, provider, admins, archive."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Institution, Membership, Role, User
from app.models.org import Invite
from app.services import institutions as org_service
from tests.app.admin.conftest import image_bytes
from tests.conftest import PASSWORD


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_creating_an_institution_with_a_new_admin_shows_their_password_link_once(
    admin_client, site_admin, app
):
    resp = admin_client.post(
        "/admin/institutions/new",
        data={
            "name": "  Riverside   General ",
            "slug": "riverside",
            "admin_email": "Nina@Example.org",
            "admin_name": "Nina Obi",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "/reset/" in page
    assert resp.headers["Cache-Control"] == "no-store"
    org = db.session.scalar(select(Institution).where(Institution.slug == "riverside"))
    assert org is not None and org.name == "Riverside General"
    nina = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    assert nina is not None and nina.print_name == "Nina Obi"
    assert Role.INSTITUTION_ADMIN in nina.roles
    membership = db.session.scalar(select(Membership).where(Membership.user_id == nina.id))
    assert membership.is_admin and membership.institution_id == org.id
    (created,) = _audit("admin.institution.create")
    assert created.actor_id == site_admin.id and created.subject == f"institution:{org.id}"
    assert _audit("admin.institution.add_admin")[0].detail["email"] == "nina@example.org"
    assert admin_client.get("/admin/institutions").get_data(as_text=True).count("Riverside") == 1


def test_the_new_admin_sets_a_password_and_reaches_the_institution_dashboard(admin_client, app):
    page = admin_client.post(
        "/admin/institutions/new",
        data={"name": "Lakeside", "slug": "lakeside", "admin_email": "lee@example.org"},
    ).get_data(as_text=True)
    link = page.split('id="reset-link" class="secret" type="text" readonly value="')[1]
    path = link.split('"')[0].removeprefix(app.config["BASE_URL"])
    admin_client.post("/logout")
    resp = admin_client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert resp.status_code == 302
    admin_client.post("/login", data={"email": "lee@example.org", "password": PASSWORD})
    resp = admin_client.get("/org/", follow_redirects=True)
    assert resp.status_code == 200 and "Lakeside" in resp.get_data(as_text=True)


def test_an_existing_account_can_be_the_first_admin(admin_client, make_user):
    existing = make_user(email="old@example.org")
    resp = admin_client.post(
        "/admin/institutions/new",
        data={"name": "Hill", "slug": "hill", "admin_email": "old@example.org"},
    )
    assert resp.status_code == 302
    assert Role.INSTITUTION_ADMIN in db.session.get(User, existing.id).roles
    assert _count(User) == 2  # no new account


def test_bad_duplicate_and_reserved_slugs_are_refused_and_change_nothing(admin_client, make_org):
    org = make_org()
    before = (_count(Institution), _count(AuditEvent), _count(User))
    for slug, message in [
        ("Has Spaces", "lower-case letters"),
        ("-edge", "lower-case letters"),
        ("x", "2 to 64"),
        (org.slug, "already uses the slug"),
        ("join", "reserved"),
    ]:
        resp = admin_client.post(
            "/admin/institutions/new",
            data={"name": "New", "slug": slug, "admin_email": "n@example.org"},
        )
        assert resp.status_code == 400, slug
        assert message in resp.get_data(as_text=True), slug
    resp = admin_client.post("/admin/institutions/new", data={"name": "   ", "slug": "ok-slug"})
    assert resp.status_code == 400
    assert (_count(Institution), _count(AuditEvent), _count(User)) == before


def test_list_searches_and_paginates(admin_client, make_org):
    for i in range(55):
        make_org(f"Clinic {i:02d}")
    make_org("Other Place")
    first = admin_client.get("/admin/institutions?q=clinic").get_data(as_text=True)
    assert "55 institutions" in first and "Clinic 00" in first and "Clinic 50" not in first
    assert "Page 1 of 2" in first and "Other Place" not in first
    second = admin_client.get("/admin/institutions?q=clinic&page=2").get_data(as_text=True)
    assert "Clinic 54" in second and "Clinic 00" not in second


def test_rename_is_audited_and_a_blank_name_changes_nothing(admin_client, make_org):
    org = make_org("Old Name")
    resp = admin_client.post(
        f"/admin/institutions/{org.slug}/rename", data={"rename-name": "New Name"}
    )
    assert resp.status_code == 302
    assert db.session.get(Institution, org.id).name == "New Name"
    assert _audit("admin.institution.rename")[0].detail == {
        "old": "Old Name",
        "new": "New Name",
        "ip": "127.0.0.1",
    }
    resp = admin_client.post(f"/admin/institutions/{org.slug}/rename", data={"rename-name": ""})
    assert resp.status_code == 400 and db.session.get(Institution, org.id).name == "New Name"


def _upload(client, slug, data, name="logo.png"):
    import io

    return client.post(
        f"/admin/institutions/{slug}/logo",
        data={"logo-logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_png_or_jpeg_logo_is_stored_in_the_database_and_served(admin_client, make_org):
    org = make_org()
    png = image_bytes("PNG")
    assert _upload(admin_client, org.slug, png).status_code == 302
    resp = admin_client.get(f"/admin/institutions/{org.slug}/logo")
    assert resp.data == png and resp.headers["Content-Type"] == "image/png"
    jpeg = image_bytes("JPEG")
    assert _upload(admin_client, org.slug, jpeg, "logo.jpg").status_code == 302
    assert db.session.get(Institution, org.id).logo_type == "image/jpeg"
    assert len(_audit("admin.institution.logo")) == 2


def test_a_logo_that_is_not_png_or_jpeg_or_too_large_is_refused(admin_client, make_org, app):
    org = make_org()
    app.config["INSTITUTION_LOGO_MAX_BYTES"] = 2000
    cases = [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a readable PNG or JPEG"),
        (image_bytes("GIF"), "must be PNG or JPEG, not GIF"),
        (image_bytes("PNG")[:60], "not a readable PNG or JPEG"),
        (b"\x89PNG" + b"0" * 3000, "larger than 1 KB"),
        (image_bytes("PNG", (4001, 1)), "at most 4000 per side"),
    ]
    for data, message in cases:
        resp = _upload(admin_client, org.slug, data)
        assert resp.status_code == 400
        assert message in resp.get_data(as_text=True), message
    assert db.session.get(Institution, org.id).logo is None
    assert _audit("admin.institution.logo") == []


def test_provider_details_are_refused_unless_the_site_allows_them(admin_client, make_org, app):
    org = make_org()
    data = {"provider-provider_name": "Riverside CE", "provider-provider_url": "https://r.example"}
    resp = admin_client.post(f"/admin/institutions/{org.slug}/provider", data=data)
    assert resp.status_code == 400 and "INSTITUTION_PROVIDER_DETAILS" in resp.get_data(as_text=True)
    assert db.session.get(Institution, org.id).certificate_provider is None
    app.config["INSTITUTION_PROVIDER_DETAILS"] = True
    bad = {**data, "provider-provider_url": "javascript:alert(1)"}
    assert (
        admin_client.post(f"/admin/institutions/{org.slug}/provider", data=bad).status_code == 400
    )
    resp = admin_client.post(f"/admin/institutions/{org.slug}/provider", data=data)
    assert resp.status_code == 302
    assert db.session.get(Institution, org.id).certificate_provider == {
        "name": "Riverside CE",
        "url": "https://r.example",
    }


def test_allowed_provider_details_and_logo_are_printed_on_staff_certificates(
    app, make_user, make_org, issue
):
    from app.services import admin as svc

    nurse = make_user(email="nurse@example.org")
    org = make_org(members=(nurse,))
    app.config["INSTITUTION_PROVIDER_DETAILS"] = True
    svc.set_provider_details(org, None, {"name": "Riverside CE", "address": "1 River Rd"})
    svc.set_logo(org, None, image_bytes("PNG"))
    db.session.commit()
    provider = svc.certificate_provider(nurse, "http://verify.test")
    assert provider.name == "Riverside CE" and provider.address == "1 River Rd"
    assert provider.accreditation_statements == (app.config["ACCREDITATION_STATEMENT"],)
    assert svc.certificate_logo(nurse) == org.logo
    cert = issue(nurse)
    assert cert.snapshot["provider"]["name"] == "Riverside CE"
    app.config["INSTITUTION_PROVIDER_DETAILS"] = False
    assert svc.certificate_provider(nurse, "http://verify.test").name == app.config["PROVIDER_NAME"]


def test_appointing_and_removing_admins_keeps_role_and_memberships_in_step(
    admin_client, make_user, make_org
):
    a, b = make_org(), make_org()
    user = make_user(email="both@example.org")
    for org in (a, b):
        resp = admin_client.post(
            f"/admin/institutions/{org.slug}/admins", data={"admin-email": user.email}
        )
        assert resp.status_code == 302
    again = admin_client.post(
        f"/admin/institutions/{a.slug}/admins", data={"admin-email": user.email}
    )
    assert again.status_code == 400 and "already an admin" in again.get_data(as_text=True)
    confirm = admin_client.get(f"/admin/institutions/{a.slug}/admins/{user.id}/remove")
    assert confirm.status_code == 200 and "Remove admin" in confirm.get_data(as_text=True)
    admin_client.post(f"/admin/institutions/{a.slug}/admins/{user.id}/remove")
    assert Role.INSTITUTION_ADMIN in db.session.get(User, user.id).roles  # still admin of b
    admin_client.post(f"/admin/institutions/{b.slug}/admins/{user.id}/remove")
    assert Role.INSTITUTION_ADMIN not in db.session.get(User, user.id).roles
    assert _count(Membership) == 2  # still a member of both
    assert len(_audit("admin.institution.remove_admin")) == 2


def test_archiving_needs_confirmation_and_hides_the_institution(admin_client, make_org):
    org = make_org("Closing Clinic")
    confirm = admin_client.get(f"/admin/institutions/{org.slug}/archive")
    assert "stay valid" in confirm.get_data(as_text=True)
    assert db.session.get(Institution, org.id).archived_at is None
    admin_client.post(f"/admin/institutions/{org.slug}/archive", follow_redirects=True)
    assert db.session.get(Institution, org.id).is_archived
    assert "Closing Clinic" not in admin_client.get("/admin/institutions").get_data(as_text=True)
    shown = admin_client.get("/admin/institutions?archived=1").get_data(as_text=True)
    assert "Closing Clinic" in shown and "Archived" in shown
    resp = admin_client.post(f"/admin/institutions/{org.slug}/rename", data={"rename-name": "X"})
    assert resp.status_code == 400 and db.session.get(Institution, org.id).name == "Closing Clinic"
    resp = _upload(admin_client, org.slug, image_bytes("PNG"))
    assert resp.status_code == 400 and "unarchive it" in resp.get_data(as_text=True)
    assert db.session.get(Institution, org.id).logo is None
    admin_client.post(f"/admin/institutions/{org.slug}/archive")  # unarchive
    assert not db.session.get(Institution, org.id).is_archived
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "admin.institution.archive",
        "admin.institution.unarchive",
    ]


def test_an_archived_institutions_invites_stop_and_its_admins_cannot_change_it(
    client, login, make_user, make_org
):
    boss = make_user(Role.INSTITUTION_ADMIN)
    org = make_org(admins=(boss,))
    invite = org_service.create_invite(org, boss)
    db.session.commit()
    code = invite.code
    org.archived_at = org.created_at + timedelta(days=1)
    db.session.commit()
    login(boss)
    assert client.get(f"/org/{org.slug}/members").status_code == 200  # still readable
    resp = client.post(f"/org/{org.slug}/departments", data={"name": "Ward 9"})
    assert resp.status_code == 302
    assert db.session.get(Institution, org.id).departments == []
    newcomer = make_user(email="newcomer@example.org")
    client.post("/logout")
    login(newcomer)
    resp = client.get(f"/org/join/{code}")
    assert resp.status_code == 404 and "archived" in resp.get_data(as_text=True)
    client.post(f"/org/join/{code}")
    assert db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id)) is None
    assert db.session.scalar(select(Invite.uses)) == 0


def test_certificates_of_an_archived_institutions_staff_stay_verifiable(
    admin_client, make_user, make_org, issue
):
    nurse = make_user(email="staff@example.org", name="Ada Staff")
    org = make_org(members=(nurse,))
    cert = issue(nurse)
    db.session.commit()
    admin_client.post(f"/admin/institutions/{org.slug}/archive")
    assert db.session.get(Institution, org.id).is_archived
    admin_client.post("/logout")
    page = admin_client.get(f"/verify/{cert.number}")
    assert page.status_code == 200
    assert "Valid" in page.get_data(as_text=True) and "Ada Staff" in page.get_data(as_text=True)


def test_an_archived_institution_still_looks_missing_to_someone_who_does_not_administer_it(
    client, login, make_user, make_org
):
    org = make_org()
    org.archived_at = org.created_at
    db.session.commit()
    login(make_user())
    assert client.post(f"/org/{org.slug}/departments", data={"name": "X"}).status_code == 404
    assert client.post("/org/no-such-org/departments", data={"name": "X"}).status_code == 404
