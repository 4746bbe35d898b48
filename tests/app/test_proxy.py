"""Behind a proxy: X-Forwarded-For is believed only when POSTRX_TRUSTED_PROXIES says so.

Without it, every user behind one proxy shares the proxy's address (one sign-in limit for all);
with it, a client typing the header itself could dodge the limit and forge the audit log. So
the limiter and the audit log see the forwarded address exactly when a proxy is trusted.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.config import Config, ConfigError
from app.extensions import db
from app.models import AuditEvent

PROXY = "10.0.0.1"


def _sign_in_wrong(app: Flask, forwarded_for: str, email: str = "x@example.org") -> int:
    client = app.test_client()
    resp = client.post(
        "/login",
        data={"email": email, "password": "wrong-password"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return resp.status_code


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_one_limit(make_app) -> None:
    app = make_app(LOGIN_RATE_LIMIT="2 per minute")
    codes = [_sign_in_wrong(app, f"203.0.113.{i}", email=f"u{i}@example.org") for i in range(1, 4)]
    assert codes == [200, 200, 429]  # the header is ignored: all three are the proxy


def test_with_a_trusted_proxy_each_forwarded_client_has_its_own_limit(make_app) -> None:
    app = make_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    codes = [_sign_in_wrong(app, f"203.0.113.{i}", email=f"u{i}@example.org") for i in range(1, 4)]
    assert codes == [200, 200, 200]
    again = [_sign_in_wrong(app, "203.0.113.1", email=f"v{i}@example.org") for i in range(2)]
    assert again == [200, 429]  # that client's own third try


def test_one_account_is_limited_whatever_address_the_guesses_come_from(make_app) -> None:
    app = make_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    codes = [_sign_in_wrong(app, f"198.51.100.{i}", email="Nurse@Example.org ") for i in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize(("hops", "expected"), [(0, PROXY), (1, "203.0.113.7")])
def test_the_audit_log_records_the_forwarded_address_only_when_trusted(
    make_app, make_user, hops: int, expected: str
) -> None:
    app = make_app(TRUSTED_PROXIES=hops)
    with app.app_context():
        client = app.test_client()
        resp = client.post(
            "/register",
            data={
                "email": "new@example.org",
                "password": "a long enough passphrase",
                "confirm": "a long enough passphrase",
                "print_name": "New Nurse",
                "credentials": "RN",
                "profession": "nurse",
            },
            headers={"X-Forwarded-For": "203.0.113.7"},
            environ_base={"REMOTE_ADDR": PROXY},
        )
        assert resp.status_code == 200
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.register"))
    assert event is not None
    assert event.detail["ip"] == expected


def test_a_trusted_proxy_also_sets_scheme_and_host(make_app) -> None:
    app = make_app(TRUSTED_PROXIES=1)

    @app.get("/_where")
    def where() -> str:
        from flask import request

        return f"{request.scheme}://{request.host} {request.remote_addr}"

    resp = app.test_client().get(
        "/_where",
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "postrx.example.org",
        },
    )
    assert resp.get_data(as_text=True) == "https://postrx.example.org 203.0.113.9"


@pytest.mark.parametrize(("value", "hops"), [("", 0), ("0", 0), ("2", 2)])
def test_trusted_proxies_is_read_from_the_environment(monkeypatch, value: str, hops: int) -> None:
    monkeypatch.setenv("POSTRX_TRUSTED_PROXIES", value)
    config = Config()
    assert hops == config.TRUSTED_PROXIES


def test_a_malformed_trusted_proxies_value_stops_the_start(monkeypatch) -> None:
    monkeypatch.setenv("POSTRX_TRUSTED_PROXIES", "yes")
    with pytest.raises(ConfigError, match="POSTRX_TRUSTED_PROXIES='yes' must be a whole number"):
        Config()
