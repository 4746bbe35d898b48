"""Home page, error pages and the health check."""

from __future__ import annotations

from app.config import normalize_database_url


def test_home_page_says_what_postrx_is_and_for_whom(client):
    html = client.get("/").get_data(as_text=True)
    assert "healthcare professionals" in html
    for audience in ("For learners", "For educators", "For institutions"):
        assert audience in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    assert '<nav aria-label="Main">' in html


def test_unknown_pages_get_a_404_in_the_site_layout(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Page not found" in html and "skip-link" in html


def test_server_errors_render_the_500_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom() -> str:
        raise RuntimeError("kaput")

    app.add_url_rule("/_test/boom", "boom", boom)
    resp = app.test_client().get("/_test/boom")
    assert resp.status_code == 500
    assert "Something went wrong" in resp.get_data(as_text=True)


def test_healthz_reports_ok_after_a_database_round_trip(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app, app):
    down = make_app.__wrapped__ if hasattr(make_app, "__wrapped__") else None
    assert down is None
    from app import create_app
    from tests.conftest import _Config

    broken = create_app(
        _Config(
            SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
            SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
        )
    )
    resp = broken.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["database"] == "unreachable"


def test_database_urls_are_pointed_at_psycopg():
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
