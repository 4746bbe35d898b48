"""Roster uploads: validated first, all or nothing, re-uploads update, no passwords in mail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.db_tx import transaction
from app.extensions import db
from app.models import Institution, Membership, User
from app.services.accounts import authenticate, user_for_reset_token
from app.services.institutions import RosterError, import_roster, parse_roster
from app.services.mail import send_many

HEADER = "email,name,department,profession,credentials,employee_id\n"


def _count_members(org: Institution) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Membership).where(Membership.institution_id == org.id)
        )
        or 0
    )


def test_every_bad_row_is_reported_by_line_and_field_and_nothing_is_saved(app, admin_org):
    admin, org = admin_org
    data = (
        HEADER
        + "ok@example.org,Ana Souza,Pharmacy,nurse,RN,E1\n"
        + "not-an-email,Tom Reid,Pharmacy,pharmacist,PharmD,E2\n"
        + "x@example.org,,Pharmacy,wizard,,E3\n"
        + "OK@example.org,Ana Again,Pharmacy,nurse,RN,E4\n"
    ).encode()
    with pytest.raises(RosterError) as info:
        import_roster(org, admin, data, "staff.csv")
    lines = info.value.lines()
    assert "staff.csv:3: email: 'not-an-email' is not an email address" in lines
    assert "staff.csv:4: name: required" in lines
    assert any(line.startswith("staff.csv:4: profession:") for line in lines)
    assert "staff.csv:5: email: same email as line 2" in lines
    assert _count_members(org) == 1  # only the admin: the good row was not saved either
    assert db.session.scalar(select(User).where(User.email == "ok@example.org")) is None


def test_a_missing_column_is_reported_on_the_header_line(app):
    with pytest.raises(RosterError) as info:
        parse_roster(b"email,name\nx@example.org,X\n", "r.csv")
    assert "r.csv:1: department: column missing from the header row" in info.value.lines()


def test_an_oversized_roster_is_refused_with_a_clear_message(app):
    app.config["ROSTER_MAX_BYTES"] = 100
    with pytest.raises(RosterError) as info:
        parse_roster((HEADER + "a@example.org,A,,nurse,,\n" * 10).encode(), "big.csv")
    assert "the limit is" in str(info.value)


def test_new_people_get_an_unusable_password_and_a_set_password_link_by_mail(app, admin_org):
    admin, org = admin_org
    with transaction():
        result = import_roster(
            org, admin, (HEADER + "new.person@example.org,New Person,ICU,nurse,RN,E9\n").encode()
        )
    assert send_many(result.messages) == 1  # the caller sends, after its commit
    assert result.created == 1 and result.departments_created == ["ICU"]
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert authenticate("new.person@example.org", "") is None
    outbox = app.extensions["postrx_outbox"]
    to, subject, body = outbox[-1]
    assert to == "new.person@example.org" and "Hospital A" in subject
    link = next(w for w in body.split() if "/reset/" in w)
    assert user_for_reset_token(link.rsplit("/", 1)[1]).id == user.id
    assert "password:" not in body.lower()


def test_uploading_again_updates_people_instead_of_duplicating_them(app, admin_org):
    admin, org = admin_org
    first = HEADER + "ana@example.org,Ana Souza,Pharmacy,nurse,RN,E1\n"
    import_roster(org, admin, first.encode())
    second = (
        HEADER
        + "ANA@example.org,Ana Souza-Lima,Emergency Department,nurse,RN BSN,E1\n"
        + "tom@example.org,Tom Reid,Pharmacy,pharmacist,PharmD,E2\n"
    )
    result = import_roster(org, admin, second.encode())
    assert (result.created, result.updated) == (1, 1)
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "ana@example.org")
        )
        == 1
    )
    ana = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert ana.print_name == "Ana Souza-Lima" and ana.credentials == "RN BSN"
    m = db.session.scalar(select(Membership).where(Membership.user_id == ana.id))
    assert m.department.name == "Emergency Department" and m.employee_id == "E1"
    assert _count_members(org) == 3


def test_an_employee_id_of_another_member_is_refused(app, admin_org):
    admin, org = admin_org
    import_roster(org, admin, (HEADER + "ana@example.org,Ana,,nurse,,E1\n").encode())
    with pytest.raises(RosterError) as info:
        import_roster(org, admin, (HEADER + "tom@example.org,Tom,,nurse,,E1\n").encode())
    assert info.value.problems[0].line == 2 and info.value.problems[0].field == "employee_id"


def test_the_upload_page_lists_the_problems_and_imports_a_good_file(client, login, admin_org):
    admin, org = admin_org
    login(admin)
    page = client.get(f"/org/{org.slug}/roster").get_data(as_text=True)
    assert f"/jobs/org/{org.slug}/roster" in page  # the file goes to a background job
    bad = {"roster": (io.BytesIO((HEADER + "nope,X,,nurse,,\n").encode()), "staff.csv")}
    resp = client.post(
        f"/jobs/org/{org.slug}/roster",
        data=bad,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "staff.csv:2: email:" in html and "not imported" in html
    good = {"roster": (io.BytesIO((HEADER + "a@example.org,A B,,nurse,,\n").encode()), "s.csv")}
    resp = client.post(
        f"/jobs/org/{org.slug}/roster",
        data=good,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "s.csv: 1 added, 0 updated" in resp.get_data(as_text=True)


def test_an_admin_gets_a_reset_link_for_a_member_but_not_for_a_site_admin(
    client, login, admin_org, make_user
):
    from app.models import Role

    admin, org = admin_org
    import_roster(org, admin, (HEADER + "nora@example.org,Nora Nurse,,nurse,,\n").encode())
    db.session.commit()
    nurse = db.session.scalar(select(User).where(User.email == "nora@example.org"))
    assert nurse is not None  # provisioned by this roster, never set a password
    root = make_user(Role.SITE_ADMIN, name="Root")
    db.session.add(Membership(user_id=root.id, institution_id=org.id))
    db.session.commit()
    mid = {
        u.id: db.session.scalar(select(Membership.id).where(Membership.user_id == u.id))
        for u in (nurse, root)
    }
    login(admin)
    resp = client.post(f"/org/{org.slug}/members/{mid[nurse.id]}/reset-link")
    assert resp.status_code == 200 and "/reset/" in resp.get_data(as_text=True)
    resp = client.post(f"/org/{org.slug}/members/{mid[root.id]}/reset-link", follow_redirects=True)
    assert "/reset/" not in resp.get_data(as_text=True)
    assert "access beyond your institution" in resp.get_data(as_text=True)


def test_an_admin_cannot_obtain_a_link_into_a_member_s_own_account(
    app, client, login, admin_org, make_user
):
    """Issue 18: a person who joined with their own account gets the reset e-mail; the admin
    sees no link (and so cannot sign in as them)."""
    admin, org = admin_org
    own = make_user(email="own@example.org", name="Own Account")  # has a password
    db.session.add(Membership(user_id=own.id, institution_id=org.id))
    db.session.commit()
    mid = db.session.scalar(select(Membership.id).where(Membership.user_id == own.id))
    outbox = app.extensions.setdefault("postrx_outbox", [])
    outbox.clear()
    login(admin)
    resp = client.post(f"/org/{org.slug}/members/{mid}/reset-link", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "/reset/" not in html and "reset e-mail is on its way to own@example.org" in html
    assert [to for to, _s, _b in outbox] == ["own@example.org"]  # to the owner, not the admin
