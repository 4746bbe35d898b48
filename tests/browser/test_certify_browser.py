"""A learner who finished the course evaluates it, attests time, gets the certificate and
checks it on the public verify page, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from app.services.accounts import hash_password
from tests.app.certify.conftest import complete_course_for_real

pytestmark = pytest.mark.browser

PASSWORD = "harbour-lights-42"


@pytest.fixture
def finished_learner(live_app) -> str:
    with live_app.app_context():
        user = User(
            email="maya.f@example.org",
            password_hash=hash_password(PASSWORD),
            print_name="Maya Fernández",
            credentials="RN",
            profession="nurse",
        )
        db.session.add(user)
        db.session.commit()
        complete_course_for_real(user)
        return user.email


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_finished_learner_gets_a_certificate_and_the_verify_page_says_valid(
    page, finished_learner
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, finished_learner)
    page.goto("/certificates/claim")
    form = page.locator("form.evaluation-form")
    form.get_by_role("group", name="met its stated learning objectives").get_by_label(
        "Strongly agree"
    ).check()
    form.get_by_role("group", name="relevant to my practice").get_by_label(
        "Agree", exact=True
    ).check()
    form.get_by_role("group", name="free of commercial bias").get_by_label("Yes").check()
    form.get_by_label("Any other comments").fill("Clear and practical.")
    form.get_by_label("Minutes you spent on the course").fill("95")
    form.get_by_label("I attest").check()
    page.screenshot(path="/tmp/certify-claim.png", full_page=True)
    form.get_by_role("button", name="Submit and get my certificate").click()

    assert page.get_by_text("Your certificate has been issued").is_visible()
    assert page.get_by_role("heading", name="My certificates").is_visible()
    assert page.get_by_text("1.50").first.is_visible()
    link = page.locator("input.copy-input").first
    verify_url = link.input_value()
    assert "/verify/PRX-" in verify_url and link.get_attribute("readonly") is not None
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == verify_url
    page.screenshot(path="/tmp/certify-index.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(verify_url)
    status = page.locator(".verify-status")
    assert status.get_by_text("Valid", exact=True).is_visible()
    assert page.get_by_text("Maya Fernández, RN").is_visible()
    page.screenshot(path="/tmp/certify-verify.png", full_page=True)


def test_my_certificates_fits_a_320px_phone(page, finished_learner):
    sign_in(page, finished_learner)
    page.goto("/certificates/")
    page.set_viewport_size({"width": 320, "height": 700})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
