"""Public verification: certificate pages by number, pasted Open Badges, and the JSON an
Open Badges verifier fetches (issuer profile, public keys, revocation list)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.extensions import limiter
from app.services import certificates as svc
from app.verify import bp
from app.verify.forms import CredentialForm, LookupForm
from certificates.numbers import normalize


def _limit() -> str:
    limit: str = current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")
    return limit


def _base_url() -> str:
    url: str = current_app.config["BASE_URL"]
    return url


@bp.get("/")
@limiter.limit(_limit)
def lookup() -> str | BaseResponse:
    form = LookupForm(request.args)
    if request.args and form.validate():
        number = normalize(form.number.data)
        if number is not None:
            return redirect(url_for("verify.show", number=number))
        form.number.errors = [
            *form.number.errors,
            "That is not a valid certificate number. Check each character and try again.",
        ]
    return render_template("verify/lookup.html", form=form, credential_form=CredentialForm())


@bp.get("/<number>")
@limiter.limit(_limit)
def show(number: str) -> str | BaseResponse:
    canonical = normalize(number)
    if canonical is None:
        abort(404)
    if canonical != number:
        return redirect(url_for("verify.show", number=canonical), code=301)
    cert = svc.find_by_number(canonical)
    if cert is None:
        abort(404)
    resp = Response(
        render_template(
            "verify/show.html",
            cert=cert,
            data=svc.certificate_data(cert),
            state=svc.state_of(cert, datetime.now(UTC).date()),
            superseded_by=svc.superseding(cert),
        )
    )
    resp.headers["X-Robots-Tag"] = "noindex"
    return resp


@bp.post("/credential")
@limiter.limit(_limit)
def credential() -> str:
    form = CredentialForm()
    result = None
    if form.validate_on_submit():
        result = svc.verify_pasted(form.token.data, now=datetime.now(UTC))
    return render_template(
        "verify/lookup.html", form=LookupForm(), credential_form=form, result=result
    )


@bp.get("/issuer.json")
def issuer() -> Response:
    return jsonify(svc.issuer_profile(_base_url()))


@bp.get("/jwks.json")
def jwks() -> Response:
    return jsonify(svc.jwks())


@bp.get("/status.json")
def status() -> Response:
    resp = jsonify(svc.revocation_list(_base_url()))
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/achievements/<course_slug>.json")
def achievement(course_slug: str) -> Response:
    body = svc.achievement(_base_url(), course_slug)
    if body is None:
        abort(404)
    return jsonify(body)
