"""tests/pg runs only in the PostgreSQL pass (TEST_DATABASE_URL set); the SQLite pass skips it."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="PostgreSQL run only: make test-pg sets TEST_DATABASE_URL")
    for item in items:
        if "tests/pg/" in str(item.fspath):
            item.add_marker(skip)
