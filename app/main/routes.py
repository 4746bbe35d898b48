"""Public pages and the health check."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

import vocab
from app.extensions import db, limiter
from app.main import bp

# The shared vocabulary as template filters, so no template spells a label its own way.
bp.add_app_template_filter(vocab.guideline_name, "guideline_name")
bp.add_app_template_filter(vocab.guideline_wording, "guideline_wording")
bp.add_app_template_filter(vocab.profession_label, "profession_label")
bp.add_app_template_filter(vocab.scenario_profession_label, "scenario_profession_label")
bp.add_app_template_filter(vocab.audience_label, "audience_label")


@bp.get("/")
def home() -> str:
    return render_template("main/home.html")


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    return render_template("main/dashboard.html", user=current_user)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """Liveness plus a real database round trip, for load balancers and monitors."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
