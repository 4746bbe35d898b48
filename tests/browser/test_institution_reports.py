"""An institution admin uploads a roster and downloads a CSV report (a background job) in a
real browser."""

from __future__ import annotations

import csv
import io

import pytest

from app.extensions import db
from app.models import Department, Institution, Membership, Role, User
from app.services.accounts import hash_password

pytestmark = pytest.mark.browser

PASSWORD = "harbour-lights-42"


@pytest.fixture
def org_admin(live_app):
    with live_app.app_context():
        admin = User(
            email="priya@riverside.example",
            password_hash=hash_password(PASSWORD),
            print_name="Priya Raman",
            credentials="MSN, RN",
            profession="nurse",
        )
        admin.grant(Role.INSTITUTION_ADMIN)
        org = Institution(slug="riverside", name="Riverside General")
        db.session.add_all([admin, org])
        db.session.flush()
        db.session.add(Department(institution_id=org.id, name="Pharmacy"))
        db.session.add(Membership(user_id=admin.id, institution_id=org.id, is_admin=True))
        db.session.commit()
    return "riverside"


def test_an_admin_uploads_a_roster_and_downloads_the_csv_report(page, org_admin, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "email,name,department,profession,credentials,employee_id\n"
        "ana.souza@example.org,Ana Souza,Emergency Department,nurse,RN,E1001\n"
        "tom.reid@example.org,=Tom Reid,Pharmacy,pharmacist,PharmD,E1002\n",
        encoding="utf-8",
    )
    page.goto("/login")
    page.get_by_label("Email").fill("priya@riverside.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/org/{org_admin}/roster")
    page.get_by_label("Roster file (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Upload roster").click()  # a background job
    page.get_by_text("Ready.").wait_for()
    assert page.get_by_text("staff.csv: 2 added, 0 updated, 0 unchanged").is_visible()
    page.get_by_role("link", name="See the members of Riverside General").click()
    assert page.get_by_role("cell", name="Ana Souza, RN").is_visible()
    page.screenshot(path="/tmp/institution-members.png", full_page=True)

    page.get_by_role("link", name="Completion report").click()
    assert page.get_by_role("heading", name="Completion report").is_visible()
    page.screenshot(path="/tmp/institution-report.png", full_page=True)
    page.get_by_role("button", name="Prepare CSV").click()  # a background job
    assert page.get_by_role("heading", name="Completion report, CSV").is_visible()
    page.get_by_text("Ready.").wait_for()
    page.screenshot(path="/tmp/institution-report-job.png", full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download riverside-completion-").click()
    data = tmp_path / "report.csv"
    info.value.save_as(data)
    rows = list(csv.reader(io.StringIO(data.read_text("utf-8-sig"))))
    assert rows[0][0] == "Name" and len(rows) == 4  # header + admin + two new people
    assert "'=Tom Reid" in [r[0] for r in rows]

    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/org/{org_admin}/report")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
