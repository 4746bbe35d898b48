"""Proves the PostgreSQL run really talks to PostgreSQL (and not a silent SQLite fallback)."""

from __future__ import annotations

import os

from sqlalchemy import text

from app.extensions import db
from tests.conftest import require_service


def test_the_suite_runs_against_a_real_postgresql_server(app):
    require_service(bool(os.environ.get("TEST_DATABASE_URL")), "TEST_DATABASE_URL is not set")
    assert db.engine.dialect.name == "postgresql"
    version = db.session.execute(text("SHOW server_version")).scalar_one()
    assert int(version.split(".")[0]) >= 13


def test_emails_are_unique_case_insensitively_on_postgresql(app, make_user):
    require_service(bool(os.environ.get("TEST_DATABASE_URL")), "TEST_DATABASE_URL is not set")
    from app.services.accounts import find_user_by_email

    make_user(email="mixed@example.org")
    assert find_user_by_email("MIXED@Example.org") is not None
