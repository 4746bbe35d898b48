"""Every schema change is a migration: upgrading from empty gives exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db


def _reset(app) -> None:
    db.session.remove()  # release this session's locks before dropping tables
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_migrations_upgrade_from_empty_to_the_models_schema_and_back(app):
    _reset(app)
    directory = app.extensions["migrate"].directory
    upgrade(directory=directory)
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    downgrade(directory=directory, revision="base")
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    _reset(app)
    db.create_all()


def test_setup_runs_twice_without_error_and_creates_demo_accounts(app, runner):
    _reset(app)
    first = runner.invoke(args=["setup", "--demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["setup", "--demo"])
    assert second.exit_code == 0, second.output
    assert "learner@demo.example.org" in second.output
    from sqlalchemy import func, select

    from app.models import Membership, User

    assert db.session.scalar(select(func.count(User.id))) == 4
    assert db.session.scalar(select(func.count(Membership.id))) == 3
    _reset(app)
    db.create_all()


def test_every_demo_login_works_through_the_sign_in_form(app, client):
    from app.db_tx import transaction
    from app.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    with transaction():
        load_demo()
    for account in DEMO_ACCOUNTS:
        resp = client.post("/login", data={"email": account.email, "password": DEMO_PASSWORD})
        assert resp.status_code == 302, account.email
        assert client.get("/dashboard").status_code == 200
        client.post("/logout")
