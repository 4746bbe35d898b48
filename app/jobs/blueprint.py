"""The `jobs` blueprint object (routes in app/jobs/routes.py, imported for their side effect)."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from app.jobs import routes  # noqa: E402,F401  (registers the routes on bp)
