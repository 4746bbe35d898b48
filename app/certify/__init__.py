"""certify blueprint."""

from flask import Blueprint

bp = Blueprint("certify", __name__)

from app.certify import routes  # noqa: E402,F401
