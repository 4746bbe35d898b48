"""quiz blueprint."""

from flask import Blueprint

bp = Blueprint("quiz", __name__)

from app.quiz import routes  # noqa: E402,F401
