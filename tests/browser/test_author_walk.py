"""An educator writes a scenario in the browser, previews it, publishes it and adds it to a quiz."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, User
from app.services import quiz as svc
from app.services.accounts import hash_password
from tests.app.author.conftest import BANK
from tests.app.author.helpers import SINGLE_BODY

pytestmark = pytest.mark.browser

PASSWORD = "harbour-lights-42"


@pytest.fixture
def educator(live_app):
    with live_app.app_context():
        svc.import_bank([BANK])
        user = User(
            email="eda@example.org",
            password_hash=hash_password(PASSWORD),
            print_name="Eda Educator",
            profession="nurse",
        )
        user.grant(Role.EDUCATOR)
        db.session.add(user)
        db.session.commit()
    return "eda@example.org"


def test_an_educator_writes_previews_publishes_and_adds_a_scenario_to_a_quiz(
    page, educator, tmp_path
):
    page.goto("/login")
    page.get_by_label("Email").fill(educator)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/author/scenarios")
    page.get_by_role("link", name="One best answer").click()
    page.get_by_label("Id", exact=True).fill("ward-tiktok")
    page.get_by_label("Title").fill("The ward dance video")
    page.get_by_label("Rubric").select_option("patient-confidentiality")
    page.get_by_label("Assessed criteria").fill("confidentiality, escalation")
    page.get_by_label("Platform").fill("TikTok")
    page.get_by_label("Module").select_option("04-risks")
    page.get_by_label("2. Keep strict confidentiality").check()
    page.get_by_label("7. Know the legal").check()
    page.get_by_label("Privacy and confidentiality").check()
    page.get_by_label("Situation").fill("A colleague films a dance in the corridor.")
    page.get_by_label("Prompt").fill("What do you do first?")
    page.get_by_label("Debrief").fill("Get it removed and tell the manager.")
    # first a mistake: option b misses a criterion, and the error names the line
    page.get_by_label("Options, mapping and concepts (YAML)").fill(
        SINGLE_BODY.replace(
            "{confidentiality: breach, escalation: missed}", "{confidentiality: breach}"
        )
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Line 9: option 'b': gives no level").first).to_be_visible()
    page.get_by_label("Options, mapping and concepts (YAML)").fill(SINGLE_BODY)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.screenshot(path="/tmp/author-scenario.png", full_page=True)

    page.get_by_role("link", name="Preview draft").click()
    page.get_by_label("Like the video; the patient cannot be seen.").check()
    page.get_by_role("button", name="Try this answer").click()
    expect(page.get_by_role("heading", name="Grade: 0%")).to_be_visible()
    expect(
        page.get_by_text("The monitor and voices can still identify the patient.")
    ).to_be_visible()

    page.get_by_role("link", name="Back to the scenario").click()
    page.get_by_role("button", name="Publish draft").click()
    expect(page.get_by_text("Published as version 1.")).to_be_visible()

    page.get_by_role("navigation", name="Authoring").get_by_role("link", name="Quizzes").click()
    page.get_by_role("link", name="Module 4 quiz: Risks").click()
    box = page.get_by_label("Scenarios, in order")
    box.fill(box.input_value() + "\nward-tiktok")
    page.get_by_role("button", name="Save quiz").click()
    expect(page.get_by_text("Quiz saved (version 2)")).to_be_visible()
    assert "ward-tiktok" in page.get_by_label("Scenarios, in order").input_value()
    page.get_by_role("navigation", name="Authoring").get_by_role("link", name="Quizzes").click()
    row = page.get_by_role("row", name="Module 4 quiz: Risks")
    expect(row.get_by_role("cell", name="5", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/author/scenarios/ward-tiktok")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    page.screenshot(path="/tmp/author-320.png", full_page=True)
    assert overflow <= 0, wide
