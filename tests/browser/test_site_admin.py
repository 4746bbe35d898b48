"""A site admin creates an institution with a new admin, who signs in and reaches its
dashboard: issue 14's "done when", in a real browser with CSRF on."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Role, User
from app.services.accounts import hash_password

pytestmark = pytest.mark.browser

PASSWORD = "harbour-lights-42"
NEW_PASSWORD = "lantern-quay-913"


@pytest.fixture
def site_admin(live_app):
    with live_app.app_context():
        root = User(
            email="ops@postrx.example",
            password_hash=hash_password(PASSWORD),
            print_name="Site Operator",
        )
        root.grant(Role.SITE_ADMIN)
        db.session.add(root)
        db.session.commit()
    return "ops@postrx.example"


def test_a_site_admin_creates_an_institution_whose_new_admin_reaches_its_dashboard(
    page, site_admin, live_server
):
    page.goto("/login")
    page.get_by_label("Email").fill(site_admin)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("navigation", name="Site administration").get_by_role(
        "link", name="Institutions"
    ).click()
    page.get_by_role("link", name="New institution").click()
    page.get_by_label("Name", exact=True).fill("Harbour View Hospital")
    page.get_by_label("Slug").fill("harbour-view")
    page.get_by_label("First admin's email (optional)").fill("mara@harbour.example")
    page.get_by_label("First admin's name (for a new account)").fill("Mara Quinn")
    page.get_by_role("button", name="Create institution").click()

    assert page.get_by_role("heading", name="Password link for Mara Quinn").is_visible()
    link = page.get_by_label("Link").input_value()
    assert link.startswith(live_server) and "/reset/" in link
    page.get_by_role("link", name="Continue").click()
    assert page.get_by_role("heading", name="Harbour View Hospital").is_visible()
    assert page.get_by_text("mara@harbour.example").is_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    page.get_by_label("Email").fill("mara@harbour.example")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Institution", exact=True).click()
    assert page.get_by_role("heading", name="Harbour View Hospital").is_visible()
    assert page.get_by_role("heading", name="At a glance").is_visible()
    assert page.get_by_role("link", name="Admin", exact=True).count() == 0
