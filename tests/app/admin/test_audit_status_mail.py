"""The audit log (filters, pages, CSV), the status checks and the mail test."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from app.services import admin as svc
from app.services.admin import status as status_checks


def _event(action: str, *, actor=None, subject: str = "", at: datetime | None = None, **detail):
    e = AuditEvent(
        action=action, actor_id=actor.id if actor else None, subject=subject, detail=detail
    )
    if at:
        e.at = at
    db.session.add(e)
    return e


def test_the_audit_log_filters_by_actor_action_subject_and_dates(
    admin_client, site_admin, make_user
):
    other = make_user(email="educator@example.org")
    _event(
        "role.grant", actor=site_admin, subject="user:7", at=datetime(2026, 3, 1, 12, tzinfo=UTC)
    )
    _event(
        "admin.institution.create",
        actor=other,
        subject="institution:3",
        at=datetime(2026, 3, 5, tzinfo=UTC),
    )
    _event(
        "admin.institution.archive", subject="institution:3", at=datetime(2026, 3, 9, tzinfo=UTC)
    )
    db.session.commit()

    def shown(query: str) -> list[str]:
        page = admin_client.get(f"/admin/audit?{query}").get_data(as_text=True)
        return [
            a
            for a in ("role.grant", "institution.create", "institution.archive")
            if f"<td>{'admin.' if 'institution' in a else ''}{a}</td>" in page
        ]

    assert shown("") == ["role.grant", "institution.create", "institution.archive"]
    assert shown("actor=educator") == ["institution.create"]
    assert shown("actor=cli") == ["institution.archive"]
    assert shown("action=admin.") == ["institution.create", "institution.archive"]
    assert shown("action=role.grant") == ["role.grant"]
    assert shown("subject=institution:3") == ["institution.create", "institution.archive"]
    assert shown("since=2026-03-05&until=2026-03-05") == ["institution.create"]
    assert shown("until=2026-03-01") == ["role.grant"]


def test_a_malformed_date_is_a_clear_error(admin_client):
    resp = admin_client.get("/admin/audit?since=03/05/2026")
    assert resp.status_code == 400
    assert "is not a date (use YYYY-MM-DD)" in resp.get_data(as_text=True)
    assert admin_client.get("/admin/audit.csv?until=nope").status_code == 400
    resp = admin_client.get("/admin/audit?since=2026-03-09&until=2026-03-01")
    assert "start date is after the end date" in resp.get_data(as_text=True)


def test_the_audit_log_paginates_newest_first(admin_client):
    for i in range(120):
        _event(
            "bulk.event",
            subject=f"n:{i:03d}",
            at=datetime(2026, 1, 1, tzinfo=UTC).replace(minute=i % 60, hour=i // 60),
        )
    db.session.commit()
    first = admin_client.get("/admin/audit?action=bulk.event").get_data(as_text=True)
    assert (
        "120 events" in first
        and "Page 1 of 3" in first
        and "n:119" in first
        and "n:069" not in first
    )
    third = admin_client.get("/admin/audit?action=bulk.event&page=3").get_data(as_text=True)
    assert "n:000" in third and "n:119" not in third
    assert "action=bulk.event" in first.split('class="pager"')[1]  # the pager keeps the filter


def test_the_csv_export_has_the_filtered_rows_and_neutralises_formulas(admin_client, make_user):
    evil = make_user(email="=cmd@example.org")
    _event("role.grant", actor=evil, subject='=HYPERLINK("http://x")', role="+1")
    _event("other.thing", subject="kept out")
    db.session.commit()
    resp = admin_client.get("/admin/audit.csv?action=role.grant")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["id", "at", "actor", "action", "subject", "detail"]
    assert len(rows) == 2
    assert rows[1][2] == "'=cmd@example.org" and rows[1][4] == '\'=HYPERLINK("http://x")'
    assert rows[1][5] == '{"role": "+1"}'


def test_the_csv_export_streams_every_row_across_batches(admin_client, monkeypatch):
    monkeypatch.setattr("app.services.admin.auditlog._BATCH", 7)
    for i in range(30):
        _event("bulk.event", subject=f"n:{i}", at=datetime(2026, 1, 1, tzinfo=UTC))  # equal times
    db.session.commit()
    body = admin_client.get("/admin/audit.csv?action=bulk").get_data(as_text=True)
    subjects = [r[4] for r in list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]]
    assert sorted(subjects) == sorted(f"n:{i}" for i in range(30))


def test_the_status_page_lists_database_redis_mail_version_and_migrations(admin_client):
    page = admin_client.get("/admin/status").get_data(as_text=True)
    for name in ("Database", "Redis", "Mail", "Version", "Migrations"):
        assert f"<td>{name}</td>" in page
    checks = {c.name: c for c in svc.run_checks()}
    assert checks["Database"].state in {"ok", "warn"} and "SELECT 1 in" in checks["Database"].detail
    assert checks["Redis"].state == "off" and checks["Redis"].detail == "not configured"
    assert checks["Mail"].state == "off"
    assert checks["Migrations"].state == "warn"  # the test schema is created, not migrated


def test_a_configured_but_unreachable_redis_fails_its_check(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    check = status_checks.redis_ping()
    assert check.state == "fail" and "no answer" in check.detail


def test_other_areas_can_register_checks_and_a_broken_check_fails_alone(app, monkeypatch):
    monkeypatch.setattr(status_checks, "CHECKS", list(status_checks.CHECKS))

    @svc.register_check("Queue depth")
    def queue_depth() -> svc.Check:
        return svc.Check("Queue depth", "ok", "0 waiting")

    @svc.register_check("Workers alive")
    def workers() -> svc.Check:
        raise RuntimeError("broker down")

    checks = svc.run_checks()
    assert [c.name for c in checks][-2:] == ["Queue depth", "Workers alive"]
    assert checks[-1].state == "fail" and "broker down" in checks[-1].detail
    assert checks[0].name == "Database" and checks[0].state != "fail"


def test_the_mail_test_says_clearly_when_mail_is_not_configured(admin_client, app):
    page = admin_client.get("/admin/mail").get_data(as_text=True)
    assert "Mail is not configured" in page
    resp = admin_client.post("/admin/mail", data={"email": "me@example.org"})
    assert resp.status_code == 400 and "nothing was sent" in resp.get_data(as_text=True)
    assert app.extensions.get("postrx_outbox", []) == []
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_the_mail_test_sends_and_is_audited_when_configured(admin_client, app, monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr("app.services.admin.mailtest.send_mail", lambda to, s, b: sent.append(to))
    app.config["MAIL_SERVER"] = "smtp.example.org"
    resp = admin_client.post("/admin/mail", data={"email": "Me@Example.org"}, follow_redirects=True)
    assert "Test message sent to me@example.org" in resp.get_data(as_text=True)
    assert sent == ["me@example.org"]
    assert db.session.scalar(select(AuditEvent.action)) == "admin.mail_test"


def test_a_refusing_mail_server_is_reported(admin_client, app, monkeypatch):
    import smtplib

    def refuse(to: str, s: str, b: str) -> None:
        raise smtplib.SMTPAuthenticationError(535, b"bad credentials")

    monkeypatch.setattr("app.services.admin.mailtest.send_mail", refuse)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    resp = admin_client.post("/admin/mail", data={"email": "me@example.org"})
    assert resp.status_code == 400 and "refused the message" in resp.get_data(as_text=True)
