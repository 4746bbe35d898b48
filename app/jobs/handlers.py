"""What each kind of job does: a thin call into the area's service, with progress and output.

A handler runs inside the runner's transaction (so an import is all-or-nothing with the job's
outcome), reports progress through `ctx.progress(done, total)`, writes a file to `ctx.out` and
names it with `ctx.set_output`, and puts what the requester should read in `ctx.result`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import delete, update
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.jobs import status as _status  # noqa: F401  (registers the status-page checks)
from app.models import Institution, User
from app.models.job import Job
from app.services import jobs
from app.services.jobs import JobContext, JobRefused, handler

REPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _org(ctx: JobContext) -> Institution:
    org = db.session.get(Institution, ctx.job.institution_id) if ctx.job.institution_id else None
    if org is None:
        raise JobRefused("The institution of this job no longer exists.")
    return org


@handler("report", time_limit=1800)
def build_report(ctx: JobContext) -> None:
    """A completion report (CSV, XLSX or PDF) with the filters the page had."""
    from app.services import reports

    org = _org(ctx)
    fmt = ctx.params["format"]
    if fmt not in REPORT_TYPES:
        raise JobRefused(f"Unknown report format {fmt!r}.")
    filters = reports.ReportFilters.from_args(MultiDict(ctx.params.get("filters") or {}))
    day = ctx.params.get("today") or datetime.now(UTC).date().isoformat()
    size = reports.export(org, fmt, ctx.out, filters, progress=ctx.progress)
    ctx.set_output(
        f"{org.slug}-completion-{date.fromisoformat(day).isoformat()}.{fmt}", REPORT_TYPES[fmt]
    )
    ctx.result["summary"] = f"{fmt.upper()} completion report of {org.name} ({size:,} bytes)"


@handler("certificates_zip", time_limit=3600)
def build_certificates_zip(ctx: JobContext) -> None:
    """Every valid certificate of the institution's members, as PDFs in one ZIP."""
    from app.services import reports

    org = _org(ctx)
    base_url = current_app.config["BASE_URL"]
    size = reports.write_certificates_zip(org, base_url, ctx.out, progress=ctx.progress)
    ctx.set_output(f"{org.slug}-certificates.zip", "application/zip")
    ctx.result["summary"] = f"Certificates of {org.name} ({size:,} bytes)"


@handler("roster_import", time_limit=1800, max_attempts=3)
def import_roster(ctx: JobContext) -> None:
    """A roster file: every line checked first; a bad line anywhere imports nothing."""
    from app.services import institutions

    org = _org(ctx)
    actor = db.session.get(User, ctx.job.requested_by_id) if ctx.job.requested_by_id else None
    filename = str(ctx.params.get("filename") or "roster.csv")
    try:
        result = institutions.import_roster(
            org, actor, ctx.open_input(), filename, progress=ctx.progress
        )
    except institutions.RosterError as err:
        lines = err.lines()
        raise JobRefused(
            f"{filename} was not imported: {len(lines)} "
            f"{'problem' if len(lines) == 1 else 'problems'} to fix (nothing was changed).",
            lines,
        ) from None
    created, updated, unchanged = result.created, result.updated, result.unchanged
    depts = list(result.departments_created)
    ctx.result.update(
        created=created,
        updated=updated,
        unchanged=unchanged,
        departments_created=depts,
        summary=(
            f"{filename}: {created:,} added, {updated:,} updated, {unchanged:,} unchanged"
            + (f"; new departments: {', '.join(depts)}" if depts else "")
        ),
    )
    messages = list(getattr(result, "messages", None) or [])
    if messages:
        mail_job, _ = jobs.create(
            "email",
            {"messages": [list(m) for m in messages]},
            title=f"Welcome e-mails for {filename} ({len(messages):,})",
            requested_by=actor,
            institution=org,
            dedupe=False,
        )
        ctx.follow_ups.append(mail_job.id)
        ctx.result["mails_queued"] = len(messages)


@handler("email", time_limit=1800, max_attempts=6)
def send_email(ctx: JobContext) -> None:
    """Messages over one SMTP connection; a retry skips the ones already sent."""
    from app.services import mail

    messages = [tuple(m) for m in ctx.params.get("messages", [])]
    sent_before = int(ctx.job.result.get("sent", 0)) if ctx.job.result else 0
    todo = messages[sent_before:]
    total = len(messages)
    sent = sent_before
    for start in range(0, len(todo), 200):
        batch = todo[start : start + 200]
        mail.send_many(batch)
        sent += len(batch)
        ctx.progress(sent, total)
        _remember_sent(ctx.job.id, sent)
    # The links in the messages are secrets: keep only the count once they are out.
    db.session.execute(update(Job).where(Job.id == ctx.job.id).values(params={"count": total}))
    ctx.result.update(sent=sent, summary=f"{sent:,} e-mail(s) sent")


def _remember_sent(job_id: str, sent: int) -> None:
    """Record how many are out on the runner's side connection: it must survive a failure, so
    a retry starts after them (in-memory SQLite, the tests' database, has no second one)."""
    from app.jobs.runner import side_engine

    engine = side_engine()
    if engine is not None:
        with engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == job_id).values(result={"sent": sent}))


@handler("records_rebuild", time_limit=3600)
def rebuild_records(ctx: JobContext) -> None:
    from app.services import records

    count = records.rebuild()
    ctx.result.update(records=count, summary=f"Recomputed {count:,} completion records")


@handler("records_check", time_limit=3600)
def check_records(ctx: JobContext) -> None:
    """Nightly: recompute every record; the upsert writes only rows that were wrong."""
    from app.services import records

    count = records.rebuild()
    ctx.result.update(records=count, summary=f"Checked {count:,} completion records")


@handler("cleanup", time_limit=600)
def cleanup(ctx: JobContext) -> None:
    """Delete jobs (and their stored files) past their retention period, and expired sessions."""
    now = datetime.now(UTC)
    old = [j.id for j in jobs.expired(now) if j.id != ctx.job.id]
    for start in range(0, len(old), 500):
        db.session.execute(delete(Job).where(Job.id.in_(old[start : start + 500])))
    from app.services.accounts.sessions import purge_expired_sessions

    sessions = purge_expired_sessions(now=now)
    ctx.result.update(
        deleted=len(old),
        sessions=sessions,
        summary=f"Deleted {len(old):,} expired job(s) and {sessions:,} expired sign-in session(s)",
    )
