"""Sessions that really end: cookies captured before an event are replayed after it."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.db_tx import transaction
from app.extensions import db
from app.models import UserSession
from app.models.base import utcnow
from app.services.admin.users import disable_user
from tests.conftest import PASSWORD

NEW_PASSWORD = "brand-new-pass-1"


def _sign_in(app, user, *, remember: bool = False) -> FlaskClient:
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _cookies(client: FlaskClient, *names: str) -> dict[str, str]:
    found = {name: client.get_cookie(name) for name in names or ("session", "remember_token")}
    return {name: cookie.value for name, cookie in found.items() if cookie is not None}


def _replay(app, cookies: dict[str, str]) -> FlaskClient:
    """A new browser presenting exactly the captured cookies."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _is_signed_in(client: FlaskClient) -> bool:
    resp = client.get("/account")
    if resp.status_code == 200:
        return True
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    return False


def _age_sessions(**by: timedelta) -> None:
    """Move every session's timestamps back (created_at=…, last_seen_at=…)."""
    values = {column: utcnow() - delta for column, delta in by.items()}
    db.session.execute(update(UserSession).values(**values))
    db.session.commit()


def test_a_session_cookie_replayed_after_sign_out_signs_nobody_in(app, make_user):
    browser = _sign_in(app, make_user())
    captured = _cookies(browser, "session")
    assert _is_signed_in(_replay(app, captured))  # the capture is a working sign-in
    browser.post("/logout")
    assert not _is_signed_in(browser)
    assert not _is_signed_in(_replay(app, captured))


def test_a_remember_me_cookie_replayed_after_sign_out_signs_nobody_in(app, make_user):
    browser = _sign_in(app, make_user(), remember=True)
    captured = _cookies(browser, "remember_token")
    assert captured, "signing in with 'keep me signed in' sets a remember-me cookie"
    assert _is_signed_in(_replay(app, captured))
    browser.post("/logout")
    assert not _is_signed_in(_replay(app, captured))


def test_a_cookie_of_an_ended_session_is_forgotten_by_the_browser(app, make_user):
    browser = _sign_in(app, make_user(), remember=True)
    browser.post("/logout/everywhere")
    stale = _replay(app, _cookies(browser))
    assert not _is_signed_in(stale)
    assert stale.get_cookie("remember_token") is None
    with stale.session_transaction() as sess:
        assert "_user_id" not in sess


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, make_user):
    user = make_user()
    phone, laptop = _sign_in(app, user), _sign_in(app, user, remember=True)
    phone.post("/logout")
    assert not _is_signed_in(phone)
    assert _is_signed_in(laptop)
    assert _is_signed_in(_replay(app, _cookies(laptop, "remember_token")))


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user()
    here, elsewhere = _sign_in(app, user), _sign_in(app, user, remember=True)
    captured = _cookies(elsewhere)
    resp = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert resp.status_code == 302
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)
    assert not _is_signed_in(_replay(app, captured))
    assert not _is_signed_in(_replay(app, {"remember_token": captured["remember_token"]}))


def test_a_password_reset_ends_every_session(app, client, make_user):
    user = make_user(email="reset@example.org")
    browser = _sign_in(app, user, remember=True)
    captured = _cookies(browser)
    client.post("/reset", data={"email": user.email})
    body = app.extensions["postrx_outbox"][-1][2]
    path = next(line for line in body.splitlines() if "/reset/" in line).split("verify.test")[1]
    resp = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.headers["Location"].endswith("/login")
    assert not _is_signed_in(browser)
    assert not _is_signed_in(_replay(app, captured))
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == 0


def test_disabling_an_account_ends_its_sessions_at_once(app, make_user):
    user, other = make_user(email="leaver@example.org"), make_user(email="stayer@example.org")
    browser, bystander = _sign_in(app, user, remember=True), _sign_in(app, other)
    captured = _cookies(browser)
    with transaction():
        disable_user(None, user)
    assert (
        db.session.scalar(
            select(db.func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
        )
        == 0
    )
    assert not _is_signed_in(_replay(app, captured))
    assert not _is_signed_in(_replay(app, {"remember_token": captured["remember_token"]}))
    assert _is_signed_in(bystander)


def test_sign_out_everywhere_ends_every_session_of_the_account_and_no_one_elses(app, make_user):
    user, other = make_user(email="me@example.org"), make_user(email="you@example.org")
    here, there = _sign_in(app, user), _sign_in(app, user, remember=True)
    bystander = _sign_in(app, other, remember=True)
    captured = _cookies(there)
    assert "Sign out everywhere" in here.get("/account").get_data(as_text=True)
    resp = here.post("/logout/everywhere")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert not _is_signed_in(here)
    assert not _is_signed_in(there)
    assert not _is_signed_in(_replay(app, captured))
    assert _is_signed_in(bystander)


def test_sign_out_everywhere_needs_a_post_and_a_signed_in_user(app, client, make_user):
    assert client.get("/logout/everywhere").status_code == 405
    resp = client.post("/logout/everywhere")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_an_idle_session_ends_after_the_idle_timeout(make_app, make_user):
    app = make_app(SESSION_IDLE_MINUTES=30)
    with app.app_context():
        browser = _sign_in(app, make_user(), remember=True)
        captured = _cookies(browser)
        _age_sessions(last_seen_at=timedelta(minutes=29))
        assert _is_signed_in(browser)  # used within the limit: the clock restarts
        _age_sessions(last_seen_at=timedelta(minutes=31))
        assert not _is_signed_in(_replay(app, captured))
        assert not _is_signed_in(browser)


def test_no_idle_limit_when_it_is_zero(make_app, make_user):
    app = make_app(SESSION_IDLE_MINUTES=0)
    with app.app_context():
        browser = _sign_in(app, make_user())
        _age_sessions(last_seen_at=timedelta(days=300), created_at=timedelta(days=1))
        assert _is_signed_in(browser)


def test_last_seen_is_written_at_most_once_a_minute(app, make_user):
    browser = _sign_in(app, make_user())

    def last_seen():
        db.session.expire_all()
        return db.session.scalar(select(UserSession.last_seen_at))

    _age_sessions(last_seen_at=timedelta(seconds=30))
    before = last_seen()
    assert _is_signed_in(browser) and _is_signed_in(browser)
    assert last_seen() == before  # within the minute: no write
    _age_sessions(last_seen_at=timedelta(seconds=61))
    before = last_seen()
    assert _is_signed_in(browser)
    assert last_seen() > before


def test_a_session_ends_at_its_lifetime_however_active(make_app, make_user):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(hours=8), SESSION_IDLE_MINUTES=0)
    with app.app_context():
        browser = _sign_in(app, make_user(), remember=True)
        captured = _cookies(browser)
        _age_sessions(created_at=timedelta(hours=7, minutes=59), last_seen_at=timedelta(0))
        assert _is_signed_in(browser)
        _age_sessions(created_at=timedelta(hours=8, minutes=1), last_seen_at=timedelta(0))
        assert not _is_signed_in(browser)
        assert not _is_signed_in(_replay(app, captured))


def test_a_cookie_from_before_server_side_sessions_signs_nobody_in(app, client, make_user):
    user = make_user()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)  # what a cookie used to hold: the bare user id
        sess["_fresh"] = True
    assert not _is_signed_in(client)


def test_a_session_key_does_not_sign_in_another_user(app, client, make_user):
    victim, attacker = make_user(email="v@example.org"), make_user(email="a@example.org")
    browser = _sign_in(app, attacker)
    with browser.session_transaction() as sess:
        key = sess["_user_id"].split(":", 1)[1]
    with client.session_transaction() as sess:
        sess["_user_id"] = f"{victim.id}:{key}"
    assert not _is_signed_in(client)


def test_the_database_holds_only_a_hash_of_the_session_key(app, make_user):
    browser = _sign_in(app, make_user())
    with browser.session_transaction() as sess:
        key = sess["_user_id"].split(":", 1)[1]
    stored = db.session.scalar(select(UserSession.key_hash))
    assert key and key not in stored and len(stored) == 64
