"""Accounts: register, sign in and out, profile, passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes, sessions  # noqa: E402,F401
