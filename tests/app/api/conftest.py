"""The API tests reuse the institution tests' builders and fixtures."""

from tests.app.institution.conftest import add_learner, admin_org  # noqa: F401
