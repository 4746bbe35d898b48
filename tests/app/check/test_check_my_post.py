"""Check my post: page, JSON endpoint and CLI over the privacy checker; nothing is stored."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent

RISKY = "Rough night on my unit. Mr. Alvarez in bed 4 finally went home, his daughter Rosa cried."
CLEAN = "Flu shots are free at every county clinic this month. Details: https://www.cdc.gov/flu"


def test_the_page_requires_sign_in(client):
    assert client.get("/check-my-post/").status_code == 302


def test_a_risky_post_is_highlighted_with_explanations(client, make_user, login):
    login(make_user())
    resp = client.post("/check-my-post/", data={"text": RISKY})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'Risk: <span class="risk-label">High</span>' in html
    assert "<mark" in html and "bed 4" in html
    assert "Guideline 2" in html
    assert resp.headers["Cache-Control"] == "no-store"


def test_a_clean_post_stays_clean(client, make_user, login):
    login(make_user())
    html = client.post("/check-my-post/", data={"text": CLEAN}).get_data(as_text=True)
    assert 'Risk: <span class="risk-label">None</span>' in html
    assert "<mark" not in html


def test_hostile_text_is_escaped_in_the_highlight(client, make_user, login):
    login(make_user())
    html = client.post(
        "/check-my-post/", data={"text": "<script>alert(1)</script> my patient in room 12"}
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_nothing_typed_is_stored(client, make_user, login):
    login(make_user())
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    client.post("/check-my-post/", data={"text": RISKY})
    client.post("/check-my-post/api", json={"text": RISKY})
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_the_json_endpoint_returns_risk_findings_and_spans(client, make_user, login):
    login(make_user())
    resp = client.post("/check-my-post/api", json={"text": RISKY})
    data = resp.get_json()
    assert resp.status_code == 200
    assert data["risk"] == "high"
    for finding in data["findings"]:
        assert RISKY[finding["start"] : finding["end"]] == finding["text"]
        assert set(finding) == {"category", "start", "end", "text", "explanation", "guideline"}
    assert data["hint"]


def test_the_json_endpoint_rejects_bad_and_oversized_input(client, make_user, login):
    login(make_user())
    assert client.post("/check-my-post/api", json={"post": "x"}).status_code == 400
    assert client.post("/check-my-post/api", data="not json").status_code == 400
    big = client.post("/check-my-post/api", json={"text": "a " * 3000})
    assert big.status_code == 413 and "5,000 characters" in big.get_json()["error"]


def test_the_form_rejects_an_oversized_post_with_a_field_error(client, make_user, login):
    login(make_user())
    html = client.post("/check-my-post/", data={"text": "x" * 5001}).get_data(as_text=True)
    assert "Field cannot be longer than 5000 characters." in html


def test_the_json_endpoint_needs_a_csrf_token_when_csrf_is_on(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from app.models import User
        from app.services.accounts import hash_password

        db.session.add(
            User(email="u@example.org", password_hash=hash_password("pw-123456789"), print_name="U")
        )
        db.session.commit()
    import re

    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get("/login").get_data(as_text=True),
    ).group(1)
    client.post(
        "/login", data={"email": "u@example.org", "password": "pw-123456789", "csrf_token": token}
    )
    assert client.post("/check-my-post/api", json={"text": RISKY}).status_code == 400
    ok = client.post("/check-my-post/api", json={"text": RISKY}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


def test_cli_prints_json_and_jsonl(runner, tmp_path):
    result = runner.invoke(args=["privacy", "check", "--json", RISKY])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["risk"] == "high"
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps({"text": RISKY}) + "\n" + json.dumps({"text": CLEAN}) + "\n")
    result = runner.invoke(args=["privacy", "check", "--jsonl", str(src)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["risk"] for line in lines] == ["high", "none"]


def test_cli_reads_standard_input_for_a_readable_report(runner):
    result = runner.invoke(args=["privacy", "check", "-"], input=RISKY)
    assert result.exit_code == 0
    assert result.output.startswith("Risk: HIGH")
