"""Background jobs: the web flow, the runner's exactly-once rules, retries, sweeping, cleanup."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError

from app.db_tx import transaction
from app.extensions import db
from app.jobs import runner as job_runner
from app.models import AuditEvent, Role
from app.models.job import Job, JobChunk
from app.services import jobs
from app.services.jobs import JobContext, JobRefused, files, handler
from tests.app.institution.conftest import add_learner

CALLS: dict[str, int] = {}


@handler("test_flaky", max_attempts=4)
def _flaky(ctx: JobContext) -> None:
    CALLS["flaky"] = CALLS.get("flaky", 0) + 1
    if CALLS["flaky"] < 3:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    ctx.result["summary"] = "third time lucky"


@handler("test_refused")
def _refused(ctx: JobContext) -> None:
    db.session.execute(text("UPDATE institution SET name = 'changed'"))
    raise JobRefused("roster.csv was not imported", ["roster.csv:3: email: not an e-mail"])


@handler("test_crash")
def _crash(ctx: JobContext) -> None:
    raise RuntimeError("boom")


@handler("test_stolen")
def _stolen(ctx: JobContext) -> None:
    db.session.execute(text("UPDATE institution SET name = 'changed'"))
    # Another worker reclaims the job (this one's lease ran out) before this one finishes.
    db.session.execute(update(Job).where(Job.id == ctx.job.id).values(claim_token="other"))


@handler("test_file")
def _file(ctx: JobContext) -> None:
    data = ctx.open_input().read()
    total = len(data)
    for done in range(0, total, 1_000_000):
        ctx.progress(done, total)
    ctx.out.write(data[::-1])
    ctx.set_output("reversed.bin", "application/octet-stream")
    ctx.result["summary"] = f"{total} bytes reversed"


def _job(kind: str, org=None, user=None, **params) -> Job:
    with transaction():
        job, _ = jobs.create(kind, params, title=kind, requested_by=user, institution=org)
    return job


def _state(job_id: str) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


@pytest.fixture
def admin_and_org(make_user, make_org):
    admin = make_user(Role.INSTITUTION_ADMIN, email="admin@example.org")
    org = make_org("General Hospital", admins=(admin,))
    return admin, org


def test_report_job_from_the_page_to_the_download(client, login, make_user, admin_and_org):
    admin, org = admin_and_org
    add_learner(org, make_user, name="Nia Nurse", state="in_progress")
    add_learner(org, make_user, name="Pat Pharm", state="certified", profession="pharmacist")
    login(admin)
    page = client.get(f"/org/{org.slug}/report").get_data(as_text=True)
    assert f"/jobs/org/{org.slug}/report.csv" in page  # the buttons start jobs

    resp = client.post(f"/jobs/org/{org.slug}/report.csv", data={"status": "in_progress"})
    assert resp.status_code == 302
    job_id = resp.headers["Location"].rsplit("/", 1)[-1]
    job = _state(job_id)
    assert (job.state, job.kind, job.params["filters"]) == (
        "done",
        "report",
        {"status": "in_progress"},
    )
    status = client.get(f"/jobs/{job_id}.json").get_json()
    assert status["state"] == "done" and status["percent"] == 100
    show = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Ready." in show and f"/jobs/{job_id}/download" in show
    body = client.get(status["download"])
    assert body.headers["Content-Disposition"].startswith(f'attachment; filename="{org.slug}-')
    rows = list(csv.reader(io.StringIO(body.get_data(as_text=True))))
    names = {r[0] for r in rows[1:]} | {r[1] for r in rows[1:] if len(r) > 1}
    assert "Nia Nurse" in names and "Pat Pharm" not in names  # the filter travelled with the job
    assert job_id in client.get("/jobs/").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"job.requested", "job.done", "job.download"} <= actions


def test_jobs_of_another_institution_are_not_found(
    client, login, make_user, make_org, admin_and_org
):
    admin, org = admin_and_org
    job = _job("report", org, admin, format="csv", filters={})
    job_runner.run(job.id, worker="test")
    other_admin = make_user(Role.INSTITUTION_ADMIN, email="other@example.org")
    make_org("Other Hospital", admins=(other_admin,))
    login(other_admin)
    for url in (f"/jobs/{job.id}", f"/jobs/{job.id}.json", f"/jobs/{job.id}/download"):
        assert client.get(url).status_code == 404
    assert client.post(f"/jobs/org/{org.slug}/report.csv").status_code == 404
    assert client.post(f"/jobs/org/{org.slug}/report.exe").status_code == 404


def test_the_same_request_while_queued_is_one_job(make_app, make_user, make_org):
    app = make_app(JOBS_EAGER=False)  # nothing runs: the message waits in the memory broker
    with app.app_context():
        admin = make_user(Role.INSTITUTION_ADMIN)
        org = make_org(admins=(admin,))
        client = app.test_client()
        client.post("/login", data={"email": admin.email, "password": "correct-horse-battery"})
        first = client.post(f"/jobs/org/{org.slug}/report.xlsx").headers["Location"]
        second = client.post(f"/jobs/org/{org.slug}/report.xlsx").headers["Location"]
        other = client.post(f"/jobs/org/{org.slug}/report.pdf").headers["Location"]
        assert first == second != other
        assert db.session.scalar(select(func.count()).select_from(Job)) == 2
        job_id = first.rsplit("/", 1)[-1]
        assert _state(job_id).state == "queued"
        assert "Waiting for a worker" in client.get(first).get_data(as_text=True)


def test_a_claimed_job_runs_once(app, admin_and_org):
    admin, org = admin_and_org
    job = _job("report", org, admin, format="csv", filters={})
    assert job_runner.run(job.id, worker="a").state == "done"
    assert job_runner.run(job.id, worker="b").state == "skipped"  # a duplicate message
    assert _state(job.id).attempts == 1


def test_transient_faults_are_retried_until_done(app):
    CALLS.clear()
    job = _job("test_flaky")
    first = job_runner.run(job.id, worker="w")
    assert first.state == "retry" and first.retry_in == 5.0
    assert _state(job.id).state == "queued" and "Retrying" in _state(job.id).message
    assert job_runner.run(job.id, worker="w").retry_in == 20.0
    assert job_runner.run(job.id, worker="w").state == "done"
    assert (_state(job.id).attempts, _state(job.id).message) == (3, "third time lucky")


def test_the_celery_task_retries_with_backoff(app):
    CALLS.clear()
    job = _job("test_flaky")
    from app.jobs import dispatch

    dispatch(job.id)  # eager: Celery's retry runs the task again at once
    assert _state(job.id).state == "done" and CALLS["flaky"] == 3


def test_a_refused_job_changes_nothing_and_lists_the_problems(app, admin_and_org):
    _admin, org = admin_and_org
    job = _job("test_refused", org)
    assert job_runner.run(job.id, worker="w").state == "failed"
    failed = _state(job.id)
    assert failed.message == "roster.csv was not imported"
    assert failed.result["errors"] == ["roster.csv:3: email: not an e-mail"]
    db.session.refresh(org)
    assert org.name == "General Hospital"


def test_an_unexpected_error_fails_the_job_without_detail(app, caplog):
    job = _job("test_crash")
    assert job_runner.run(job.id, worker="w").state == "failed"
    assert "error was logged" in _state(job.id).message and "boom" not in _state(job.id).message
    assert "boom" in caplog.text


def test_work_whose_claim_was_taken_over_is_rolled_back(app, admin_and_org):
    _admin, org = admin_and_org
    job = _job("test_stolen", org)
    assert job_runner.run(job.id, worker="slow").state == "lost"
    db.session.refresh(org)
    assert org.name == "General Hospital"  # the other worker's run is the one that counts
    assert _state(job.id).state == "running"  # still the other worker's to finish


def test_files_are_stored_in_chunks_and_streamed(client, login, admin_and_org):
    admin, _org = admin_and_org
    data = bytes(range(256)) * (10 * 1024 + 7)  # ~2.5 MiB: three chunks
    with transaction():
        job, _ = jobs.create(
            "test_file", {}, title="t", requested_by=admin, input_stream=io.BytesIO(data)
        )
    assert db.session.scalar(select(func.count()).select_from(JobChunk)) == 3
    assert job_runner.run(job.id, worker="w").state == "done"
    login(admin)
    resp = client.get(f"/jobs/{job.id}/download")
    assert resp.data == data[::-1]
    assert resp.headers["Content-Length"] == str(len(data))


def test_the_sweeper_resends_jobs_whose_worker_vanished(app):
    job = _job("test_flaky")
    CALLS["flaky"] = 5  # succeeds at once
    past = datetime.now(UTC) - timedelta(minutes=5)
    db.session.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(state="running", claim_token="dead", lease_until=past)
    )
    db.session.commit()
    sent = app.extensions["celery"].tasks["postrx.sweep_jobs"].apply().get()
    assert sent == 1 and _state(job.id).state == "done"


def test_cleanup_deletes_expired_jobs_and_their_files(app):
    old = _job("test_file")
    files.write_bytes(old.id, "out", b"x" * 10)
    db.session.execute(
        update(Job)
        .where(Job.id == old.id)
        .values(expires_at=datetime.now(UTC) - timedelta(hours=1))
    )
    db.session.commit()
    old_id, keep_id = old.id, _job("test_flaky").id
    app.extensions["celery"].tasks["postrx.schedule"].apply(args=["cleanup"])
    db.session.expunge_all()
    ids = set(db.session.scalars(select(Job.id)))
    assert old_id not in ids and keep_id in ids
    assert db.session.scalar(select(func.count()).select_from(JobChunk)) == 0
    done = db.session.scalar(select(Job).where(Job.kind == "cleanup"))
    assert done is not None and done.result["deleted"] == 1 and done.result["sessions"] == 0


def test_cleanup_purges_expired_sign_in_sessions(app, make_user):
    from app.models.session import UserSession
    from app.services.accounts.sessions import start_session

    user = make_user()
    start_session(user)
    start_session(user, now=datetime.now(UTC) - timedelta(days=400))  # long expired
    db.session.commit()
    app.extensions["celery"].tasks["postrx.schedule"].apply(args=["cleanup"])
    db.session.expunge_all()
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_email_job_sends_and_forgets_the_links(app, monkeypatch):
    sent: list[tuple[str, str, str]] = []
    from app.services import mail

    monkeypatch.setattr(mail, "send_mail", lambda to, s, b: sent.append((to, s, b)))
    if hasattr(mail, "send_many"):
        monkeypatch.setattr(mail, "send_many", lambda msgs: sent.extend(msgs) or len(msgs))
    msgs = [[f"u{i}@example.org", "Welcome", f"https://x/reset/{i}"] for i in range(3)]
    job = _job("email", messages=msgs)
    assert job_runner.run(job.id, worker="w").state == "done"
    assert [m[0] for m in sent] == ["u0@example.org", "u1@example.org", "u2@example.org"]
    assert _state(job.id).params == {"count": 3}


def test_cli_lists_jobs_and_waits_for_one_inline(app, runner):
    from app.jobs.cli import wait_for

    CALLS["flaky"] = 5
    job = _job("test_flaky")
    with app.test_request_context():
        finished = wait_for(job.id)  # no worker alive: it runs in this process
    assert finished.state == "done"
    out = runner.invoke(args=["jobs", "list"]).output
    assert job.id in out and "test_flaky" in out and "done" in out


def test_a_queued_mail_goes_out_after_commit_and_never_after_rollback(app):
    outbox = app.extensions.setdefault("postrx_outbox", [])
    outbox.clear()
    with pytest.raises(RuntimeError), transaction():
        jobs.queue_mail("lost@example.org", "Never", "rolled back")
        raise RuntimeError("the request failed")
    assert outbox == [] and db.session.scalar(select(func.count()).select_from(Job)) == 0
    with transaction():
        jobs.queue_mail("kept@example.org", "Hello", "committed")
        assert outbox == []  # not before the commit
    assert [m[0] for m in outbox] == ["kept@example.org"]
