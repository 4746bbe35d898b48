"""Fixtures for the learn blueprint: a signed-in learner and the small demo course on disk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.models import User
from modules import Course, load_course
from modules.catalog import default_content_root
from tests.modules.conftest import make_course  # noqa: F401  (re-exported fixture)

COURSE_DIR = default_content_root() / "social-media-for-hcps"
REAL_COURSE: Course = load_course(COURSE_DIR)


@pytest.fixture
def learner(make_user: Callable[..., User], login: Callable[[User], None]) -> User:
    """A learner signed in on `client`."""
    user = make_user(name="Lena Learner")
    login(user)
    return user


@pytest.fixture
def signed_in(client: FlaskClient, learner: User) -> FlaskClient:
    return client
