"""Shared fixtures: an app with a fresh database per test, a client, and factories.

When TEST_DATABASE_URL is set the web and service tests run against that PostgreSQL server.
When POSTRX_REQUIRE_SERVICES=1 (CI), a test that would skip for a missing service fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.services.accounts import hash_password

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2 at production cost dominates test time; the tests check behaviour, not cost."""
    from argon2 import PasswordHasher

    from app.services.accounts import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords._hasher = original


postgres_only = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="PostgreSQL pass only: make test-pg sets TEST_DATABASE_URL",
)


def require_service(available: bool, reason: str) -> None:
    """Skip when a service is missing, unless CI demands every service (then fail)."""
    if available:
        return
    if os.environ.get("POSTRX_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


class _Config(TestConfig):
    def __init__(self, **overrides: Any) -> None:
        super().__init__()
        for key, value in overrides.items():
            setattr(self, key, value)


@pytest.fixture
def make_app(tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build apps with config overrides; each gets a fresh schema, dropped afterwards."""
    built: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        overrides.setdefault("INSTANCE_DIR", str(tmp_path))
        app = create_app(_Config(**overrides))
        with app.app_context():
            db.drop_all()
            db.create_all()
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = {"n": 0}

    def factory(
        *roles: Role,
        email: str | None = None,
        name: str = "Test Learner",
        password: str = PASSWORD,
        profession: str = "nurse",
        credentials: str = "RN",
    ) -> User:
        counter["n"] += 1
        user = User(
            email=email or f"user{counter['n']}@example.org",
            password_hash=hash_password(password),
            print_name=name,
            credentials=credentials,
            profession=profession,
        )
        for role in roles or (Role.LEARNER,):
            user.grant(role)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Institution]:
    counter = {"n": 0}

    def factory(
        name: str | None = None, *, admins: tuple[User, ...] = (), members=()
    ) -> Institution:
        counter["n"] += 1
        org = Institution(slug=f"org-{counter['n']}", name=name or f"Hospital {counter['n']}")
        db.session.add(org)
        db.session.flush()
        for user in admins:
            db.session.add(Membership(user_id=user.id, institution_id=org.id, is_admin=True))
        for user in members:
            db.session.add(Membership(user_id=user.id, institution_id=org.id))
        db.session.commit()
        return org

    return factory


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if not match:
        raise AssertionError("no csrf_token in page")
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], None]:
    """Sign a user in through the real login form."""

    def do(user: User, password: str = PASSWORD) -> None:
        resp = client.post(
            "/login", data={"email": user.email, "password": password}, follow_redirects=False
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)

    return do
