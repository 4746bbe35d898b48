"""Roles, CSRF, rate limits and response headers."""

from __future__ import annotations

import re

from flask import Flask

from app.models import Role
from app.security import role_required
from tests.conftest import PASSWORD


def _add_educator_route(app: Flask) -> None:
    @role_required(Role.EDUCATOR)
    def secret() -> str:
        return "educator area"

    app.add_url_rule("/_test/educator", "test_educator", secret)


def test_role_required_lets_holders_and_site_admins_in_and_forbids_others(make_app):
    app = make_app()
    _add_educator_route(app)
    with app.app_context():
        from app.extensions import db
        from app.models import User
        from app.services.accounts import hash_password

        def user(email: str, *roles: Role) -> None:
            u = User(email=email, password_hash=hash_password(PASSWORD), print_name="X")
            for r in roles:
                u.grant(r)
            db.session.add(u)
            db.session.commit()

        user("learner@example.org", Role.LEARNER)
        user("edu@example.org", Role.LEARNER, Role.EDUCATOR)
        user("root@example.org", Role.SITE_ADMIN)

    def status_for(email: str) -> int:
        c = app.test_client()
        c.post("/login", data={"email": email, "password": PASSWORD})
        return c.get("/_test/educator").status_code

    assert status_for("learner@example.org") == 403
    assert status_for("edu@example.org") == 200
    assert status_for("root@example.org") == 200
    assert app.test_client().get("/_test/educator").status_code == 302


def test_a_user_may_hold_several_roles(make_user):
    user = make_user(Role.LEARNER, Role.INSTITUTION_ADMIN)
    assert user.roles == {Role.LEARNER, Role.INSTITUTION_ADMIN}
    assert user.has_role(Role.INSTITUTION_ADMIN)
    assert not user.has_role(Role.EDUCATOR)
    user.revoke(Role.INSTITUTION_ADMIN)
    assert user.roles == {Role.LEARNER}


def test_forms_without_a_csrf_token_are_rejected(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    resp = client.post("/register", data={"email": "a@example.org"})
    assert resp.status_code == 400
    assert "security token" in resp.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post(
        "/login", data={"email": "a@example.org", "password": "x" * 10, "csrf_token": token}
    )
    assert resp.status_code == 200  # accepted for processing, wrong password message
    assert "do not match" in resp.get_data(as_text=True)
    assert client.post("/logout").status_code == 400


def test_login_is_rate_limited_per_client(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [
        client.post(
            "/login", data={"email": "x@example.org", "password": "wrong-password"}
        ).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    assert "Too many attempts" in client.post("/login", data={}).get_data(as_text=True)


def test_pages_carry_security_headers_and_a_strict_csp(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_pages_use_no_inline_scripts_styles_or_external_assets(client):
    for path in ("/", "/login", "/register", "/reset", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert not re.search(r'(src|href)="https?://', html), path


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user(email="c@example.org")
    resp = client.post("/login", data={"email": "c@example.org", "password": PASSWORD})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    resp = app.test_client().get("/")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
