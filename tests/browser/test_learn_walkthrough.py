"""A learner walks through a module in Chromium, signs out, signs back in and resumes."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Role, User
from app.services.accounts import hash_password
from modules import load_course
from modules.catalog import default_content_root

pytestmark = pytest.mark.browser

COURSE = load_course(default_content_root() / "social-media-for-hcps")
EMAIL = "walker@example.org"
PASSWORD = "harbour-lights-42"


@pytest.fixture
def learner(live_app):
    with live_app.app_context():
        user = User(
            email=EMAIL,
            password_hash=hash_password(PASSWORD),
            print_name="Wren Walker",
            credentials="RN",
            profession="nurse",
        )
        user.grant(Role.LEARNER)
        db.session.add(user)
        db.session.commit()
    return EMAIL


def sign_in(page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Welcome, Wren Walker").is_visible()


def test_a_learner_walks_a_module_and_resumes_after_signing_back_in(page, learner) -> None:
    module = COURSE.module("03-qr-codes")
    assert module is not None
    sign_in(page)

    page.get_by_role("link", name="Course overview").click()
    assert page.get_by_role("heading", level=1, name=COURSE.title).is_visible()
    page.get_by_role("link", name=module.title).click()
    assert page.get_by_role("heading", level=1, name=module.title).is_visible()
    page.get_by_role("link", name=module.lessons[0].title).click()

    for lesson in module.lessons:
        assert page.get_by_role("heading", level=1, name=lesson.title).is_visible()
        page.get_by_role("button", name="Mark as complete and continue").click()

    # After the module's last lesson the module page shows takeaways and full progress.
    assert page.url.endswith(f"/course/{module.slug}/#module-end")
    assert page.get_by_text(
        f"{len(module.lessons)} of {len(module.lessons)} lessons done"
    ).first.is_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Course", exact=True
    ).click()
    assert page.get_by_text(f"{len(module.lessons)} of 23 lessons done").first.is_visible()

    # Open the first lesson of the next module, then leave without finishing it.
    following = COURSE.modules[module.position].lessons[0]
    page.goto(f"/course/{following.module_slug}/{following.slug}")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You have signed out.").is_visible()

    sign_in(page)
    page.get_by_role("link", name=f"Continue: {following.title}").click()
    assert page.get_by_role("heading", level=1, name=following.title).is_visible()


def test_a_lesson_with_a_table_fits_a_320px_phone(page, learner) -> None:
    sign_in(page)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/course/04-risks/privacy-and-confidentiality")
    assert page.locator(".lesson-body table").count() >= 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The table scrolls inside its own keyboard-reachable region instead.
    wrap = page.locator(".lesson-body .table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.get_attribute("tabindex") == "0"
    page.screenshot(path="/tmp/learn-320.png", full_page=False)


def test_the_lesson_page_is_keyboard_navigable_to_the_completion_button(page, learner) -> None:
    sign_in(page)
    page.goto("/course/03-qr-codes/holding-destinations-to-standards")
    button = page.get_by_role("button", name="Mark as complete and continue")
    for _ in range(200):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the completion button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/course/03-qr-codes/#module-end")
    assert page.get_by_text("1 of 2 lessons done").first.is_visible()


def test_printing_a_lesson_hides_navigation_and_buttons(page, learner) -> None:
    sign_in(page)
    page.goto("/course/03-qr-codes/qr-codes-for-accessibility")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Mark as complete and continue").is_visible()
    assert not page.locator("nav.breadcrumb").is_visible()
    assert not page.locator("nav.pager").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".lesson-body img").is_visible()


def test_learn_js_sends_heartbeats_with_the_csrf_header(page, learner, live_app) -> None:
    from app.models.learning import LessonProgress

    live_app.config["LEARN_HEARTBEAT_SECONDS"] = 1
    sign_in(page)
    with page.expect_response(lambda r: r.url.endswith("/heartbeat")) as beat:
        page.goto("/course/04-risks/legal-and-ethical")
    response = beat.value
    assert response.status == 200
    assert response.json()["recorded"] is True
    with live_app.app_context():
        row = db.session.scalar(
            db.select(LessonProgress).filter_by(lesson_slug="legal-and-ethical")
        )
        assert row is not None and row.completed_at is None
