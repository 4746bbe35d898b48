"""Account flows through the real views: register, sign in/out, profile, passwords."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Role, User
from app.services import accounts
from tests.conftest import PASSWORD

NEW = {
    "email": "Nadia.Haddad@Example.org",
    "password": "a-long-secret-99",
    "confirm": "a-long-secret-99",
    "print_name": "Nadia Haddad",
    "credentials": "RN, BSN",
    "profession": "nurse",
    "licence_number": "RN-554433",
    "licence_state": "Ohio",
}


def _link(app, to: str, marker: str) -> str:
    """The path of the link in the last message sent to `to`."""
    body = [b for t, _s, b in app.extensions["postrx_outbox"] if t == to][-1]
    return next(line for line in body.splitlines() if marker in line).split("verify.test", 1)[1]


def test_registering_creates_a_learner_who_signs_in_through_the_emailed_link(app, client):
    resp = client.post("/register", data=NEW)
    assert resp.status_code == 200 and "Check your e-mail" in resp.get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert user.email == "nadia.haddad@example.org"
    assert user.roles == {Role.LEARNER}
    assert user.awaiting_confirmation
    assert user.password_hash.startswith("$argon2id$")
    assert NEW["password"] not in user.password_hash
    assert user.licence_number == "RN-554433"
    assert client.get("/dashboard").status_code == 302  # not signed in yet
    # Until the link is followed, the password chosen does not sign in (a prober could
    # otherwise learn that the address was free by signing in with it).
    creds = {"email": user.email, "password": NEW["password"]}
    assert "do not match an account" in client.post("/login", data=creds).get_data(as_text=True)
    link = _link(app, "nadia.haddad@example.org", "/confirm/")
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/dashboard")
    assert "Welcome, Nadia Haddad" in client.get("/dashboard").get_data(as_text=True)
    client.post("/logout")
    again = client.get(link)  # a used link is not a sign-in link
    assert again.headers["Location"].endswith("/login")
    assert client.get("/dashboard").status_code == 302
    assert client.post("/login", data=creds).status_code == 302


def test_registering_a_known_email_answers_the_same_and_mails_the_owner(app, client, make_user):
    owner = make_user(email="nadia.haddad@example.org")
    known = client.post("/register", data=NEW)
    fresh = client.post("/register", data={**NEW, "email": "someone.new@example.org"})
    assert known.status_code == fresh.status_code == 200
    page = known.get_data(as_text=True).replace("nadia.haddad@example.org", "X")
    assert page == fresh.get_data(as_text=True).replace("someone.new@example.org", "X")
    assert db.session.scalar(select(db.func.count(User.id))) == 2  # the owner + the new one
    subject, body = next((s, b) for t, s, b in app.extensions["postrx_outbox"] if t == owner.email)
    assert subject == "You already have a PostRx account" and "/reset/" in body
    reset = _link(app, owner.email, "/reset/")
    resp = client.post(reset, data={"password": "fresh-password-7", "confirm": "fresh-password-7"})
    assert resp.headers["Location"].endswith("/login")
    assert accounts.authenticate(owner.email, "fresh-password-7") is not None


def test_a_reset_link_also_confirms_an_account_awaiting_its_link(app, client):
    client.post("/register", data=NEW)
    client.post("/register", data=NEW)  # lost the first message: registers again
    reset = _link(app, "nadia.haddad@example.org", "/reset/")
    client.post(reset, data={"password": "fresh-password-7", "confirm": "fresh-password-7"})
    creds = {"email": "nadia.haddad@example.org", "password": "fresh-password-7"}
    assert client.post("/login", data=creds).status_code == 302


def test_short_and_mismatched_passwords_are_rejected_with_field_errors(client):
    resp = client.post("/register", data={**NEW, "password": "short", "confirm": "other"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Field must be between 10 and 256 characters long." in page
    assert "The passwords do not match." in page
    assert db.session.scalar(select(db.func.count(User.id))) == 0


def test_a_name_with_control_characters_is_refused(client):
    resp = client.post("/register", data={**NEW, "print_name": "Evil\u202eName"})
    assert "invisible or control characters" in resp.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == 0


def test_login_with_the_right_password_signs_in_and_records_the_time(client, make_user):
    user = make_user(email="sam@example.org")
    resp = client.post("/login", data={"email": "SAM@example.org", "password": PASSWORD})
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert client.get("/dashboard").status_code == 200


def test_login_failure_gives_the_same_answer_for_unknown_and_known_emails(client, make_user):
    make_user(email="sam@example.org")
    wrong = client.post("/login", data={"email": "sam@example.org", "password": "nope-nope-nope"})
    unknown = client.post("/login", data={"email": "who@example.org", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    msg = "That email and password do not match an account."
    assert msg in wrong.get_data(as_text=True)
    assert msg in unknown.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user(email="gone@example.org")
    user.is_active_account = False
    db.session.commit()
    resp = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert resp.status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_login_only_follows_next_links_on_this_site(client, make_user):
    make_user(email="sam@example.org")
    creds = {"email": "sam@example.org", "password": PASSWORD}
    resp = client.post("/login?next=https://evil.example/phish", data=creds)
    assert resp.headers["Location"].endswith("/dashboard")
    client.post("/logout")
    resp = client.post("/login?next=/account", data=creds)
    assert resp.headers["Location"].endswith("/account")


def test_logout_needs_a_post_and_ends_the_session(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    resp = client.post("/logout")
    assert resp.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_dashboard_requires_sign_in(client):
    resp = client.get("/dashboard")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_profile_edit_saves_certificate_fields_in_any_script(client, make_user, login):
    user = make_user()
    login(user)
    resp = client.post(
        "/account",
        data={
            "print_name": "  Nguyễn   Thị Minh Khai ",
            "credentials": "PharmD",
            "profession": "pharmacist",
            "licence_number": "",
            "licence_state": "",
        },
    )
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.print_name == "Nguyễn Thị Minh Khai"
    assert user.profession == "pharmacist"
    assert user.licence_number is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.profile"))


def test_changing_password_needs_the_current_one(client, make_user, login):
    user = make_user()
    login(user)
    bad = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one-here",
            "password": "brand-new-pass-1",
            "confirm": "brand-new-pass-1",
        },
    )
    assert "Your current password is not correct." in bad.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "brand-new-pass-1",
            "confirm": "brand-new-pass-1",
        },
    )
    assert ok.status_code == 302
    assert accounts.authenticate(user.email, "brand-new-pass-1") is not None
    assert accounts.authenticate(user.email, PASSWORD) is None


def test_password_reset_link_works_once_and_the_request_page_reveals_nothing(
    app, client, make_user
):
    user = make_user(email="reset@example.org")
    known = client.post("/reset", data={"email": "reset@example.org"}, follow_redirects=True)
    unknown = client.post("/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.get_data(as_text=True).count("If an account uses that email") == 1
    assert unknown.get_data(as_text=True).count("If an account uses that email") == 1
    outbox = app.extensions["postrx_outbox"]
    assert [to for to, _s, _b in outbox] == ["reset@example.org"]
    link = next(line for line in outbox[0][2].splitlines() if "/reset/" in line)
    path = link.split("verify.test", 1)[1]
    assert client.get(path).status_code == 200
    resp = client.post(path, data={"password": "fresh-password-7", "confirm": "fresh-password-7"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert accounts.authenticate(user.email, "fresh-password-7") is not None
    again = client.post(path, data={"password": "another-pass-88", "confirm": "another-pass-88"})
    assert again.headers["Location"].endswith("/reset")
    assert accounts.authenticate(user.email, "another-pass-88") is None


def test_a_tampered_reset_token_is_refused(client, make_user):
    user = make_user()
    token = accounts.reset_token(user)
    resp = client.get(f"/reset/{token[:-2]}xx")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/reset")


def test_reset_link_cli_prints_a_working_link(runner, client, make_user):
    make_user(email="cli@example.org")
    result = runner.invoke(args=["users", "reset-link", "cli@example.org"])
    assert result.exit_code == 0
    path = result.output.strip().split("verify.test", 1)[1]
    assert client.get(path).status_code == 200
    missing = runner.invoke(args=["users", "reset-link", "none@example.org"])
    assert missing.exit_code != 0 and "No account uses" in missing.output
