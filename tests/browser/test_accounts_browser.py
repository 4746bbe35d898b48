"""Register, sign out and sign in again in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_registers_signs_out_and_signs_back_in(page, live_app):
    page.goto("/")
    page.get_by_role("link", name="Start the course").click()
    page.get_by_label("Email").fill("ana.souza@example.org")
    page.get_by_label("Password", exact=True).fill("harbour-lights-42")
    page.get_by_label("Repeat password").fill("harbour-lights-42")
    page.get_by_label("Name as printed on certificates").fill("Ana Souza")
    page.get_by_label("Credentials").fill("RN")
    page.get_by_label("Profession").select_option("nurse")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    body = live_app.extensions["postrx_outbox"][-1][2]
    page.goto(next(line for line in body.splitlines() if "/confirm/" in line))
    assert page.get_by_role("heading", name="Welcome, Ana Souza").is_visible()

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You have signed out.").is_visible()

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill("ana.souza@example.org")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("do not match an account").is_visible()
    page.get_by_label("Password").fill("harbour-lights-42")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Welcome, Ana Souza").is_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_the_home_page_fits_a_320px_phone_without_sideways_scrolling(page):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
