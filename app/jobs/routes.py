"""Pages for background jobs: start one, watch its progress, download what it made.

Starting a job is a POST (CSRF) that records the job, commits, sends it to the workers and
redirects to its page; the page polls a small JSON view and shows the download when it is ready.
Nothing holds a request open while the work runs, so the user may leave and come back
("Your reports" lists recent jobs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.db_tx import transaction
from app.jobs import dispatch
from app.jobs.blueprint import bp
from app.jobs.forms import StartJobForm
from app.models import Institution
from app.services import audit, jobs
from app.services.jobs import files

REPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF"}
REPORT_FILTERS = ("department", "status", "profession", "from", "to", "sort", "dir")


def _admin_org(slug: str) -> Institution:
    from app.services import institutions

    try:
        return institutions.admin_institution(current_user, slug)
    except LookupError:
        abort(404)
    except Exception as err:  # NotFound today; the domain error once the service has one
        if getattr(err, "code", None) == 404 or type(err).__name__.endswith(("NotFound", "Error")):
            abort(404)
        raise


def _start(kind: str, params: dict[str, Any], *, title: str, org: Institution) -> BaseResponse:
    with transaction():
        job, created = jobs.create(
            kind, params, title=title, requested_by=current_user, institution=org
        )
        if created:
            audit.record(
                "job.requested",
                actor=current_user,
                subject=f"job:{job.id}",
                kind=kind,
                institution=org.slug,
            )
    if created:
        dispatch(job.id)
    else:
        flash("The same request is already being prepared; here it is.", "info")
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/org/<slug>/report.<fmt>")
@login_required
def start_report(slug: str, fmt: str) -> BaseResponse:
    org = _admin_org(slug)
    if fmt not in REPORT_FORMATS:
        abort(404)
    if not StartJobForm().validate_on_submit():
        abort(400)
    filters = {k: v for k in REPORT_FILTERS if (v := request.form.get(k, "").strip())}
    today = datetime.now(UTC).date().isoformat()
    return _start(
        "report",
        {"format": fmt, "filters": filters, "today": today},
        title=f"Completion report, {REPORT_FORMATS[fmt]} · {org.name}",
        org=org,
    )


@bp.post("/org/<slug>/certificates.zip")
@login_required
def start_certificates_zip(slug: str) -> BaseResponse:
    org = _admin_org(slug)
    if not StartJobForm().validate_on_submit():
        abort(400)
    today = datetime.now(UTC).date().isoformat()
    return _start(
        "certificates_zip", {"today": today}, title=f"All certificates (ZIP) · {org.name}", org=org
    )


@bp.post("/org/<slug>/roster")
@login_required
def start_roster_import(slug: str) -> BaseResponse:
    """Store the uploaded roster with the job; a worker checks every line, then imports."""
    from app.institution.forms import RosterForm

    org = _admin_org(slug)  # app/jobs/uploads.py lets this request exceed the site limit
    form = RosterForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("institution.roster", slug=slug))
    upload = form.roster.data
    filename = (upload.filename or "roster.csv").replace("/", "_")[-120:]
    try:
        with transaction():
            job, _ = jobs.create(
                "roster_import",
                {"filename": filename},
                title=f"Roster import: {filename} · {org.name}",
                requested_by=current_user,
                institution=org,
                input_stream=upload.stream,
            )
            audit.record(
                "job.requested",
                actor=current_user,
                subject=f"job:{job.id}",
                kind="roster_import",
                institution=org.slug,
                filename=filename,
            )
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    dispatch(job.id)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/")
@login_required
def index() -> str:
    return render_template("jobs/index.html", jobs=jobs.recent_for(current_user))


def _job_or_404(job_id: str) -> Any:
    try:
        return jobs.get_for(current_user, job_id)
    except jobs.JobNotFound:
        abort(404)


@bp.get("/<job_id>")
@login_required
def show(job_id: str) -> str:
    return render_template("jobs/show.html", job=_job_or_404(job_id))


@bp.get("/<job_id>.json")
@login_required
def status(job_id: str) -> Response:
    job = _job_or_404(job_id)
    body = {
        "id": job.id,
        "state": job.state,
        "percent": job.percent,
        "done": job.progress_done,
        "total": job.progress_total,
        "message": job.message,
        "download": url_for("jobs.download", job_id=job.id) if job.output_name else None,
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<job_id>/download")
@login_required
def download(job_id: str) -> Response:
    job = _job_or_404(job_id)
    if job.state != "done" or not job.output_name:
        abort(404)
    with transaction():
        audit.record("job.download", actor=current_user, subject=f"job:{job.id}", kind=job.kind)
    return Response(
        stream_with_context(files.iter_chunks(job.id, "out")),
        content_type=job.output_type or "application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{job.output_name}"',
            "Content-Length": str(job.output_size),
            "Cache-Control": "no-store",
        },
    )


@bp.app_template_global()
def job_start_form() -> StartJobForm:
    """An empty CSRF form for the buttons that start jobs on other pages."""
    return StartJobForm()
