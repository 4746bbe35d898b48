"""Learner and staff certificate pages: parse the form, call services.certificates, respond."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.certify import bp
from app.certify.forms import EmptyForm, ReasonForm, StaffSearchForm, evaluation_form
from app.db_tx import transaction
from app.models import Role
from app.models.certificate import Certificate
from app.security import role_required
from app.services import certificates as svc
from app.services.certificates import CertificateError
from app.services.enrollment import current_enrollment
from app.urls import external_url


def _now() -> datetime:
    return datetime.now(UTC)


def _base_url() -> str:
    url: str = current_app.config["BASE_URL"]
    return url


@bp.app_context_processor
def _certificate_card() -> dict[str, Any]:
    """`certificate_card()` for certify/_dashboard.html, included in the learner dashboard."""

    def certificate_card() -> svc.CardStatus | None:
        if not current_user.is_authenticated:
            return None
        return svc.dashboard_status(current_user, _now().date())

    return {"certificate_card": certificate_card}


def _own_or_404(number: str) -> Certificate:
    cert = svc.learner_certificate(current_user, number)
    if cert is None:
        abort(404)
    return cert


def _no_store(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/")
@login_required
def index() -> str:
    today = _now().date()
    certs = svc.learner_certificates(current_user)
    rows = [
        {
            "cert": c,
            "state": svc.state_of(c, today),
            "data": svc.certificate_data(c),
            "verify_url": external_url("verify.show", number=c.number),
            "superseded_by": svc.superseding(c),
        }
        for c in certs
    ]
    return render_template(
        "certify/index.html",
        rows=rows,
        card=svc.dashboard_status(current_user, today),
        renew_form=EmptyForm(),
    )


@bp.route("/claim", methods=["GET", "POST"])
@login_required
def claim() -> str | BaseResponse:
    enrollment = current_enrollment(current_user, svc.COURSE_SLUG)
    if enrollment is not None and svc.active_certificate(enrollment) is not None:
        flash("Your certificate is ready.", "success")
        return redirect(url_for("certify.index"))
    status = svc.eligibility(enrollment)
    if enrollment is None:  # not started: the status says so and links to the course
        return render_template("certify/claim.html", status=status)
    if status.met:  # evaluation in, certificate not issued yet: one button issues it
        issue_form = EmptyForm()
        if issue_form.validate_on_submit():
            try:
                with transaction():
                    svc.issue_certificate(enrollment, now=_now(), base_url=_base_url())
            except CertificateError as err:
                flash(str(err), "error")
            else:
                flash("Your certificate has been issued.", "success")
                return redirect(url_for("certify.index"))
        return render_template("certify/claim.html", status=status, issue_form=issue_form)
    if not status.ready_for_evaluation:
        return render_template("certify/claim.html", status=status)
    course = svc.get_course()
    form = evaluation_form(svc.evaluation_questions(), svc.max_minutes(course))
    if form.validate_on_submit():
        try:
            with transaction():
                svc.claim_certificate(
                    enrollment,
                    answers={name: f.data for name, f in form._fields.items()},
                    minutes=form.minutes.data,
                    now=_now(),
                    base_url=_base_url(),
                )
        except CertificateError as err:
            target = getattr(form, err.field or "", None)
            if target is not None:
                target.errors = [*target.errors, str(err)]
            else:
                flash(str(err), "error")
        else:
            flash("Thank you. Your certificate has been issued.", "success")
            return redirect(url_for("certify.index"))
    return render_template(
        "certify/claim.html",
        status=status,
        form=form,
        course=course,
        questions=svc.evaluation_questions(),
        recorded_minutes=svc.recorded_minutes(enrollment),
        max_minutes=svc.max_minutes(course),
    )


@bp.get("/<number>/certificate.pdf")
@login_required
def download(number: str) -> Response:
    cert = _own_or_404(number)
    try:
        with transaction():
            pdf = svc.download_pdf(cert, now=_now(), base_url=_base_url())
    except CertificateError:
        abort(404)
    resp = Response(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return _no_store(resp)


@bp.get("/<number>/badge.jwt")
@login_required
def badge(number: str) -> Response:
    cert = _own_or_404(number)
    try:
        with transaction():
            token = svc.badge_jwt(cert, base_url=_base_url())
    except CertificateError:
        abort(404)
    resp = Response(token, mimetype="application/vc+jwt")
    resp.headers["Content-Disposition"] = f'attachment; filename="{cert.number}-badge.jwt"'
    return _no_store(resp)


@bp.get("/transcript.pdf")
@login_required
def transcript() -> Response:
    pdf = svc.transcript_pdf(current_user, today=_now().date(), base_url=_base_url())
    resp = Response(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = 'attachment; filename="postrx-transcript.pdf"'
    return _no_store(resp)


@bp.post("/renew")
@login_required
def renew() -> BaseResponse:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            svc.renew(current_user, now=_now())
    except CertificateError as err:
        flash(str(err), "error")
        return redirect(url_for("certify.index"))
    flash("A new cycle has started. Your earlier certificates stay in your history.", "success")
    return redirect(url_for("main.dashboard"))


# ------------------------------------------------------------------ staff


@bp.get("/staff")
@role_required(Role.EDUCATOR)
def staff() -> str:
    form = StaffSearchForm(request.args)
    results = svc.staff_search(form.q.data) if form.q.data else None
    return render_template(
        "certify/staff.html", form=form, results=results, today=_now().date(), svc=svc
    )


def _staff_cert(number: str) -> Certificate:
    cert = svc.find_by_number(number)
    if cert is None:
        abort(404)
    return cert


@bp.get("/staff/<number>")
@role_required(Role.EDUCATOR)
def staff_detail(number: str) -> str:
    cert = _staff_cert(number)
    return _render_detail(cert, ReasonForm(prefix="revoke"), ReasonForm(prefix="reissue"))


def _render_detail(cert: Certificate, revoke_form: ReasonForm, reissue_form: ReasonForm) -> str:
    return render_template(
        "certify/staff_detail.html",
        cert=cert,
        data=svc.certificate_data(cert),
        state=svc.state_of(cert, _now().date()),
        superseded_by=svc.superseding(cert),
        revoke_form=revoke_form,
        reissue_form=reissue_form,
    )


@bp.post("/staff/<number>/revoke")
@role_required(Role.EDUCATOR)
def revoke(number: str) -> str | BaseResponse:
    cert = _staff_cert(number)
    form = ReasonForm(prefix="revoke")
    if form.validate_on_submit():
        try:
            with transaction():
                svc.revoke(cert, actor=current_user, reason=form.reason.data, now=_now())
        except CertificateError as err:
            flash(str(err), "error")
        else:
            flash(f"Certificate {cert.number} has been revoked.", "success")
            return redirect(url_for("certify.staff_detail", number=cert.number))
    return _render_detail(cert, form, ReasonForm(prefix="reissue"))


@bp.post("/staff/<number>/reissue")
@role_required(Role.EDUCATOR)
def reissue(number: str) -> str | BaseResponse:
    cert = _staff_cert(number)
    form = ReasonForm(prefix="reissue")
    if form.validate_on_submit():
        try:
            with transaction():
                new = svc.reissue(
                    cert,
                    actor=current_user,
                    reason=form.reason.data,
                    now=_now(),
                    base_url=_base_url(),
                )
        except CertificateError as err:
            flash(str(err), "error")
        else:
            flash(f"Reissued as {new.number}; {number} is now superseded.", "success")
            return redirect(url_for("certify.staff_detail", number=new.number))
    return _render_detail(cert, ReasonForm(prefix="revoke"), form)
