"""Site admin views for the audit log, the mail test and the status page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.admin import bp
from app.admin.forms import MailTestForm
from app.db_tx import transaction
from app.input_limits import page_arg
from app.services import admin as svc
from app.services.admin import AdminError, AuditFilters


def _filters() -> tuple[AuditFilters, str | None]:
    try:
        return AuditFilters.from_args(request.args), None
    except AdminError as err:
        return AuditFilters(), str(err)


@bp.get("/audit")
def audit() -> tuple[str, int]:
    filters, problem = _filters()
    page = svc.audit_page(filters, page=page_arg())
    return (
        render_template(
            "admin/audit.html",
            page=page,
            filters=filters,
            query=filters.to_args(),
            args=request.args,
            problem=problem,
        ),
        400 if problem else 200,
    )


@bp.get("/audit.csv")
def audit_csv() -> Response | tuple[str, int]:
    filters, problem = _filters()
    if problem:
        return audit()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Response(
        stream_with_context(svc.audit_csv(filters)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="postrx-audit-{stamp}.csv"'},
    )


@bp.route("/mail", methods=["GET", "POST"])
def mail_test() -> tuple[str, int] | BaseResponse:
    form = MailTestForm()
    if form.validate_on_submit():
        try:
            with transaction():
                sent = svc.send_test_mail(current_user, form.email.data or "")
        except AdminError as err:
            form.email.errors = [*form.email.errors, str(err)]
        else:
            flash(f"Test message sent to {sent}.", "success")
            return redirect(url_for("admin.mail_test"))
    from app.services.mail import mail_configured

    status = 400 if form.errors else 200
    return render_template("admin/mail.html", form=form, configured=mail_configured()), status


@bp.get("/status")
def status() -> str:
    return render_template("admin/status.html", checks=svc.run_checks())
