"""institution blueprint."""

from flask import Blueprint

bp = Blueprint("institution", __name__)

from app.institution import routes  # noqa: E402,F401
