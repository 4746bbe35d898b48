"""The learner's pages: overview, modules, lessons, completion button, images and the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from tests.app.learn.conftest import REAL_COURSE
from tests.conftest import csrf_token

LESSONS = list(REAL_COURSE.iter_lessons())


def lesson_url(module_slug: str, lesson_slug: str) -> str:
    return f"/course/{module_slug}/{lesson_slug}"


def test_every_lesson_page_renders_its_title_for_a_signed_in_learner(signed_in) -> None:
    assert len(LESSONS) == 23
    for lesson in LESSONS:
        resp = signed_in.get(lesson_url(lesson.module_slug, lesson.slug))
        assert resp.status_code == 200, lesson.ref
        html = resp.get_data(as_text=True)
        assert f'<h1 id="lesson-title">{escape(lesson.title)}</h1>' in html, lesson.ref
        assert "Mark as complete and continue" in html, lesson.ref
        assert f"About {lesson.minutes} min" in html, lesson.ref
        # CSP: no inline styles or scripts in what we render.
        assert " style=" not in html, lesson.ref
        assert "<script>" not in html, lesson.ref


def test_the_overview_is_public_and_shows_what_accreditors_require(make_app) -> None:
    app = make_app(
        PROVIDER_NAME="Northwind CE Unit",
        ACCREDITATION_STATEMENT="Northwind is accredited by the Example Board.",
        CREDIT_TYPES=[{"label": "Dentistry", "unit": "CDE hours", "professions": ["other"]}],
    )
    html = app.test_client().get("/course/").get_data(as_text=True)
    assert "Northwind CE Unit" in html
    assert "Northwind is accredited by the Example Board." in html
    assert "CDE hours" in html and "3.00" in html
    assert "ACPE contact hours" not in html  # the configured table replaces the defaults
    for person in REAL_COURSE.faculty:
        assert str(escape(person.name)) in html
        assert str(escape(person.credentials)) in html
    assert "Receives honoraria for health-literacy workshops" in html
    assert "3 h in total" in html
    assert "How to take part" in html
    assert "1 November 2026" in html and "31 October 2029" in html
    assert "Create an account to start" in html


def test_the_default_credit_table_names_each_professions_credit(client: FlaskClient) -> None:
    html = client.get("/course/").get_data(as_text=True)
    assert "nursing contact hours" in html
    assert "AMA PRA Category 1 Credit™" in html
    assert "ACPE contact hours" in html


@pytest.mark.parametrize(
    "path",
    [
        "/course/04-risks/",
        "/course/04-risks/privacy-and-confidentiality",
        "/course/03-qr-codes/images/qr-flow.svg",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=")


def test_anonymous_completion_is_refused(client: FlaskClient) -> None:
    resp = client.post("/course/04-risks/privacy-and-confidentiality/complete")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/course/99-nothing/",
        "/course/99-nothing/privacy-and-confidentiality",
        "/course/04-risks/no-such-lesson",
        "/course/03-qr-codes/qr-flow",
    ],
)
def test_unknown_modules_and_lessons_are_not_found(signed_in: FlaskClient, path: str) -> None:
    assert signed_in.get(path).status_code == 404


def test_completing_an_unknown_lesson_is_not_found(signed_in: FlaskClient) -> None:
    assert signed_in.post("/course/04-risks/no-such-lesson/complete").status_code == 404


def test_the_module_page_lists_objectives_lessons_takeaways_and_references(signed_in) -> None:
    module = REAL_COURSE.module("04-risks")
    assert module is not None
    html = signed_in.get("/course/04-risks/").get_data(as_text=True)
    for text in (*module.objectives, *module.takeaways, *(r.title for r in module.references)):
        assert str(escape(text)) in html
    for lesson in module.lessons:
        assert f'href="{lesson_url("04-risks", lesson.slug)}"' in html
    assert html.count("Not started") == len(module.lessons)
    assert "0 of 4 lessons done" in html


def test_lesson_pages_link_previous_and_next_across_module_boundaries(signed_in) -> None:
    html = signed_in.get("/course/01-social-media-today/what-changed").get_data(as_text=True)
    assert (
        'href="/course/01-social-media-today/clinicians-patients-organisations" rel="prev"' in html
    )
    assert 'href="/course/02-benefits/networking-and-collaboration" rel="next"' in html
    first = signed_in.get("/course/01-social-media-today/platforms-and-people")
    assert 'rel="prev"' not in first.get_data(as_text=True)


def test_lesson_bodies_turn_lesson_links_and_images_into_real_urls(signed_in) -> None:
    html = signed_in.get("/course/02-benefits/networking-and-collaboration").get_data(as_text=True)
    assert 'href="/course/04-risks/privacy-and-confidentiality"' in html
    assert "lesson:" not in html
    html = signed_in.get("/course/03-qr-codes/qr-codes-for-accessibility").get_data(as_text=True)
    assert 'src="/course/03-qr-codes/images/qr-flow.svg"' in html
    assert '<div class="table-wrap" tabindex="0"' in html


def test_the_breadcrumb_leads_back_to_the_module_and_course(signed_in) -> None:
    html = signed_in.get("/course/04-risks/information-quality").get_data(as_text=True)
    crumbs = re.search(r'<nav class="breadcrumb.*?</nav>', html, re.S)
    assert crumbs is not None
    assert 'href="/course/"' in crumbs.group(0)
    assert 'href="/course/04-risks/"' in crumbs.group(0)


def test_mark_complete_moves_to_the_next_lesson_and_shows_progress(signed_in) -> None:
    signed_in.get("/course/04-risks/privacy-and-confidentiality")
    resp = signed_in.post("/course/04-risks/privacy-and-confidentiality/complete")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/course/04-risks/information-quality"
    html = signed_in.get("/course/04-risks/").get_data(as_text=True)
    assert "1 of 4 lessons done" in html
    assert "Completed" in html


def test_completing_the_last_lesson_of_a_module_shows_the_module_end(signed_in) -> None:
    resp = signed_in.post("/course/03-qr-codes/holding-destinations-to-standards/complete")
    assert resp.headers["Location"] == "/course/03-qr-codes/#module-end"


def test_completing_the_last_lesson_of_the_course_returns_to_the_overview(signed_in) -> None:
    resp = signed_in.post("/course/06-putting-it-together/when-something-goes-wrong/complete")
    assert resp.headers["Location"] == "/course/"


def test_the_completion_button_needs_a_csrf_token(make_app) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from app.extensions import db
        from app.models import Role, User
        from app.services.accounts import hash_password

        user = User(
            email="csrf@example.org",
            password_hash=hash_password("correct-horse-battery"),
            print_name="C",
            profession="nurse",
        )
        user.grant(Role.LEARNER)
        db.session.add(user)
        db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "email": "csrf@example.org",
            "password": "correct-horse-battery",
            "csrf_token": csrf_token(page),
        },
    )
    lesson = client.get("/course/04-risks/information-quality").get_data(as_text=True)
    assert client.post("/course/04-risks/information-quality/complete").status_code == 400
    ok = client.post(
        "/course/04-risks/information-quality/complete", data={"csrf_token": csrf_token(lesson)}
    )
    assert ok.status_code == 302


def test_the_dashboard_card_offers_start_then_continue(signed_in) -> None:
    html = signed_in.get("/dashboard").get_data(as_text=True)
    assert '<section class="card learn-card"' in html
    assert "Start the course" in html
    signed_in.get("/course/02-benefits/networking-and-collaboration")
    signed_in.post("/course/02-benefits/networking-and-collaboration/complete")
    html = signed_in.get("/dashboard").get_data(as_text=True)
    assert "Continue: Patient education and engagement" in html
    assert "1 of 23 lessons done" in html
    overview = signed_in.get("/course/").get_data(as_text=True)
    assert "Continue: Patient education and engagement" in overview
    assert 'href="/course/02-benefits/patient-education-and-engagement"' in overview


# ------------------------------------------------------------------------------------------
# Images


def test_svg_images_are_served_with_a_sandboxing_csp(signed_in) -> None:
    resp = signed_in.get("/course/03-qr-codes/images/qr-flow.svg")
    assert resp.status_code == 200
    assert resp.mimetype == "image/svg+xml"
    csp = resp.headers["Content-Security-Policy"]
    assert csp == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.get_data().lstrip().startswith(b"<")


@pytest.fixture
def demo_client(make_app, make_course, tmp_path):
    """A signed-in client on the small demo course, whose images/ folder we can salt."""
    root: Path = make_course()
    images = root / "01-first" / "images"
    (images / "notes.txt").write_text("not an image", encoding="utf-8")
    (images / "fake.md").write_text("# nope", encoding="utf-8")
    (images / "sub").mkdir()
    (images / "sub" / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>", encoding="utf-8")
    (images / "escape.svg").symlink_to(secret)
    (root / "01-first" / "outside.svg").write_text("<svg/>", encoding="utf-8")
    app = make_app(COURSE_CONTENT_PATH=str(root))
    with app.app_context():
        from app.extensions import db
        from app.models import Role, User
        from app.services.accounts import hash_password

        user = User(
            email="img@example.org",
            password_hash=hash_password("correct-horse-battery"),
            print_name="I",
            profession="nurse",
        )
        user.grant(Role.LEARNER)
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "img@example.org", "password": "correct-horse-battery"})
    return client


def test_png_images_in_subfolders_are_served_as_png(demo_client) -> None:
    resp = demo_client.get("/course/01-first/images/sub/dot.png")
    assert resp.status_code == 200
    assert resp.mimetype == "image/png"
    assert "sandbox" not in resp.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/course/01-first/images/../outside.svg",
        "/course/01-first/images/%2e%2e/outside.svg",
        "/course/01-first/images/..%2foutside.svg",
        "/course/01-first/images/..%2f..%2fcourse.yaml",
        "/course/01-first/images/%2fetc%2fpasswd.svg",
        "/course/01-first/images/..%5coutside.svg",
        "/course/01-first/images/escape.svg",
        "/course/01-first/images/notes.txt",
        "/course/01-first/images/fake.md",
        "/course/01-first/images/sub",
        "/course/01-first/images/missing.svg",
        "/course/99-none/images/flow.svg",
    ],
)
def test_the_image_route_refuses_traversal_and_non_images(demo_client, path: str) -> None:
    # Werkzeug may first normalise doubled slashes with a redirect; the end is always a 404.
    assert demo_client.get(path, follow_redirects=True).status_code == 404


def test_the_image_route_serves_a_real_image_of_the_demo_course(demo_client) -> None:
    assert demo_client.get("/course/01-first/images/flow.svg").status_code == 200


# ------------------------------------------------------------------------------------------
# Heartbeat


def test_the_heartbeat_credits_an_open_lesson_and_stops_once_it_is_complete(signed_in) -> None:
    signed_in.get("/course/04-risks/information-quality")
    resp = signed_in.post("/course/04-risks/information-quality/heartbeat")
    assert resp.status_code == 200
    assert resp.get_json()["recorded"] is True
    signed_in.post("/course/04-risks/information-quality/complete")
    after = signed_in.post("/course/04-risks/information-quality/heartbeat")
    assert after.get_json() == {"recorded": False, "seconds": 0}


def test_the_heartbeat_is_for_signed_in_learners_and_known_lessons(client, learner) -> None:
    assert client.post("/course/04-risks/no-such-lesson/heartbeat").status_code == 404
    client.post("/logout")
    assert client.post("/course/04-risks/information-quality/heartbeat").status_code == 302


def test_a_completed_lesson_offers_continue_and_no_heartbeat(signed_in) -> None:
    signed_in.post("/course/04-risks/information-quality/complete")
    html = signed_in.get("/course/04-risks/information-quality").get_data(as_text=True)
    assert "Mark as complete and continue" not in html
    assert ">Continue</button>" in html
    assert "data-heartbeat-url" not in html
