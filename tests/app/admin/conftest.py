"""Site admin fixtures: a signed-in site admin, the certificate fixtures, image bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.models import Role, User
from tests.app.certify.conftest import enroll, issue, progress  # noqa: F401


@pytest.fixture
def site_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.SITE_ADMIN, email="root@example.org", name="Site Root")


@pytest.fixture
def admin_client(client: FlaskClient, login, site_admin: User) -> FlaskClient:
    login(site_admin)
    return client


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 20)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (10, 80, 160)).save(buf, format=fmt)
    return buf.getvalue()
