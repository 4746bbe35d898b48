"""Reuse the certificate fixtures (controllable progress, one-call issue)."""

from tests.app.certify.conftest import enroll, issue, progress  # noqa: F401
