"""Check my post: a page and a JSON endpoint over the privacy checker."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import login_required
from werkzeug.wrappers import Response

from app.check import bp
from app.check.forms import CheckPostForm
from app.extensions import limiter
from app.services.privacy_check import PostTooLong, check_text, report_json


@bp.after_request
def no_store(response: Response) -> Response:
    """Drafts may hold patient details: keep them out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per minute", methods=["POST"])
def page() -> str:
    form = CheckPostForm()
    checked = None
    if form.validate_on_submit():
        checked = check_text(form.text.data)
    return render_template("check/page.html", form=form, checked=checked)


@bp.post("/api")
@login_required
@limiter.limit("120 per minute")
def api() -> tuple[Response, int]:
    """JSON in ({"text": …}), JSON out ({"risk", "findings", "hint"}); CSRF via X-CSRFToken."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return jsonify(error='Send a JSON object with a string field "text".'), 400
    try:
        checked = check_text(payload["text"])
    except PostTooLong as err:
        return jsonify(error=str(err)), 413
    return jsonify(report_json(checked)), 200
