"""A roster upload is a background job: checked line by line, imported all-or-nothing, and the
welcome e-mails are a job of their own that runs only after the import committed."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.models.job import Job
from app.services.accounts import hash_password

GOOD = (
    "email,name,department,profession,credentials,employee_id\n"
    "ana.souza@example.org,Ana Souza,Emergency Department,nurse,RN,E1001\n"
    "tom.reid@example.org,Tom Reid,Pharmacy,pharmacist,PharmD,E1002\n"
)


def _post_file(client, slug: str, body: bytes, name: str = "staff.csv"):
    """POST a roster; the builder is closed here (a large body is spooled to a temp file)."""
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path=f"/jobs/org/{slug}/roster",
        method="POST",
        data={"roster": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )
    try:
        return client.open(builder)
    finally:
        builder.close()


def _upload(client, slug: str, text: str):
    resp = _post_file(client, slug, text.encode())
    assert resp.status_code == 302
    return resp.headers["Location"].rsplit("/", 1)[-1]


def test_a_roster_upload_imports_in_a_job_and_mails_after_commit(
    client, login, make_user, make_org, monkeypatch
):
    sent: list[str] = []
    from app.services import mail

    monkeypatch.setattr(mail, "send_mail", lambda to, s, b: sent.append(to))
    monkeypatch.setattr(
        mail, "send_many", lambda msgs: sent.extend(m[0] for m in msgs) or len(msgs)
    )
    admin = make_user(Role.INSTITUTION_ADMIN)
    org = make_org(admins=(admin,))
    login(admin)
    job_id = _upload(client, org.slug, GOOD)
    job = db.session.get(Job, job_id)
    assert job is not None and job.state == "done", job.message
    assert job.result["created"] == 2 and "2 added" in job.message
    members = db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.institution_id == org.id)
    )
    assert members == 3
    assert sorted(sent) == ["ana.souza@example.org", "tom.reid@example.org"]
    mail_job = db.session.scalar(select(Job).where(Job.kind == "email"))
    assert mail_job is not None and mail_job.state == "done" and mail_job.params == {"count": 2}
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "See the members" in page


def test_a_bad_line_anywhere_imports_nothing_and_lists_the_line(client, login, make_user, make_org):
    admin = make_user(Role.INSTITUTION_ADMIN)
    org = make_org(admins=(admin,))
    login(admin)
    users_before = db.session.scalar(select(func.count()).select_from(User))
    job_id = _upload(client, org.slug, GOOD + "not-an-email,Bad Row,Pharmacy,nurse,RN,E9\n")
    job = db.session.get(Job, job_id)
    assert job is not None and job.state == "failed"
    assert "nothing was changed" in job.message
    assert any(e.startswith("staff.csv:4:") and "email" in e for e in job.result["errors"])
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == "email")) == 0
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "staff.csv:4:" in page and "Upload a corrected file" in page


def test_a_learner_cannot_start_an_import(client, login, make_user, make_org):
    learner = make_user(Role.LEARNER)
    org = make_org(members=(learner,))
    login(learner)
    data = {"roster": (io.BytesIO(GOOD.encode()), "staff.csv")}
    resp = client.post(
        f"/jobs/org/{org.slug}/roster", data=data, content_type="multipart/form-data"
    )
    assert resp.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_the_cli_imports_a_roster_and_exits_1_on_a_refused_file(app, runner, make_org, tmp_path):
    from app.jobs.cli import import_roster_command

    org = make_org()
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "x,,Pharmacy,nurse,RN,E9\n")
    result = runner.invoke(import_roster_command, [org.slug, str(good)])
    assert result.exit_code == 0, result.output
    assert "good.csv: 2 added" in result.output
    refused = runner.invoke(import_roster_command, [org.slug, str(bad)])
    assert refused.exit_code == 1
    assert "bad.csv:4:" in refused.output and "nothing was changed" in refused.output
    missing = runner.invoke(import_roster_command, ["no-such-org", str(good)])
    assert missing.exit_code == 1 and "No institution has the slug" in missing.output


def test_the_roster_route_alone_takes_files_over_the_site_request_limit(make_app):
    # Small limits so the bodies stay in memory (the test client spools large ones to disk).
    app = make_app(MAX_CONTENT_LENGTH=60_000, ROSTER_MAX_BYTES=150_000)
    with app.app_context():
        admin = User(
            email="a@example.org",
            password_hash=hash_password("pw-pw-pw-pw-pw"),
            print_name="A",
            profession="nurse",
        )
        admin.grant(Role.INSTITUTION_ADMIN)
        org = Institution(slug="big", name="Big")
        db.session.add_all([admin, org])
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, institution_id=org.id, is_admin=True))
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "a@example.org", "password": "pw-pw-pw-pw-pw"})
        big = GOOD + "# padding\n" * 10_000  # ~100 kB: over the site limit, under the roster's
        job_id = _upload(client, "big", big)
        job = db.session.get(Job, job_id)
        assert job is not None and job.state == "failed"  # read and refused by line, not a 413
        assert any(":4:" in e for e in job.result["errors"])
        assert _post_file(client, "big", b"x" * 300_000, "huge.csv").status_code == 413
        assert client.post("/org/big/invites", data={"x": "y" * 70_000}).status_code == 413
