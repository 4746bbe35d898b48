"""Proves the PostgreSQL run really talks to PostgreSQL (and not a silent SQLite fallback)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from app.extensions import db

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="PostgreSQL run only: set TEST_DATABASE_URL (make test-pg does)",
)


def test_the_suite_runs_against_a_real_postgresql_server(app):
    assert db.engine.dialect.name == "postgresql"
    version = db.session.execute(text("SHOW server_version")).scalar_one()
    assert int(version.split(".")[0]) >= 13


def test_emails_are_unique_case_insensitively_on_postgresql(app, make_user):
    from app.services.accounts import find_user_by_email

    make_user(email="mixed@example.org")
    assert find_user_by_email("MIXED@Example.org") is not None
