"""The /api/v1 API: bearer tokens, pagination, since, isolation and the OpenAPI document."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Role
from app.models.base import utcnow
from app.models.certificate import Certificate
from app.models.org import ApiToken
from app.services import records
from app.services.api_tokens import create_token, hash_token, revoke_token
from app.services.institutions import create_assignment
from tests.app.institution.conftest import NOW, add_learner


def _auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_requests_without_or_with_a_bad_token_get_a_json_401(client, admin_org):
    admin, org = admin_org
    for headers in ({}, _auth("prx_wrong"), {"Authorization": "Basic abc"}):
        resp = client.get("/api/v1/members", headers=headers)
        assert resp.status_code == 401 and resp.is_json
        assert resp.json["error"]["status"] == 401
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    new = create_token(org, admin, "sync")
    revoke_token(org, admin, new.row.id)
    assert client.get("/api/v1/members", headers=_auth(new.secret)).status_code == 401


def test_tokens_are_stored_hashed_and_record_their_last_use(client, admin_org):
    admin, org = admin_org
    new = create_token(org, admin, "sync")
    row = db.session.get(ApiToken, new.row.id)
    assert row.token_hash == hash_token(new.secret) and new.secret not in row.token_hash
    assert row.last_used_at is None
    assert client.get("/api/v1/members", headers=_auth(new.secret)).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at is not None


def test_the_token_is_shown_once_in_the_admin_page(client, login, admin_org):
    admin, org = admin_org
    login(admin)
    html = client.post(f"/org/{org.slug}/tokens", data={"name": "HR sync"}).get_data(as_text=True)
    secret = html.split('id="new-token" class="secret" type="text" readonly value="')[1].split('"')[
        0
    ]
    assert secret.startswith("prx_")
    assert client.get("/api/v1/assignments", headers=_auth(secret)).status_code == 200
    assert secret not in client.get(f"/org/{org.slug}/tokens").get_data(as_text=True)


def test_members_are_paged_and_filtered_by_since(client, admin_org, make_user):
    admin, org = admin_org
    for i in range(4):
        add_learner(org, make_user, name=f"Person {i}")
    secret = create_token(org, admin, "sync").secret
    page1 = client.get("/api/v1/members?per_page=2", headers=_auth(secret)).json
    assert page1["total"] == 5 and len(page1["data"]) == 2 and page1["next_page"] == 2
    page3 = client.get("/api/v1/members?per_page=2&page=3", headers=_auth(secret)).json
    assert len(page3["data"]) == 1 and page3["next_page"] is None
    last = db.session.scalars(select(Membership).order_by(Membership.id.desc())).first()
    last.updated_at = utcnow() + timedelta(days=1)
    db.session.commit()
    since = (utcnow() + timedelta(hours=6)).isoformat()
    recent = client.get(
        "/api/v1/members", query_string={"since": since}, headers=_auth(secret)
    ).json
    assert [m["id"] for m in recent["data"]] == [last.id]
    bad = client.get("/api/v1/members?since=yesterday", headers=_auth(secret))
    assert bad.status_code == 400 and bad.is_json


def test_completions_use_a_cursor_and_completed_since(client, admin_org, make_user):
    admin, org = admin_org
    create_assignment(org, admin, due_date=NOW.date() + timedelta(days=5))
    add_learner(
        org, make_user, name="Early", state="completed", completed_at=NOW - timedelta(days=40)
    )
    add_learner(
        org, make_user, name="Late", state="certified", completed_at=NOW - timedelta(days=2)
    )
    add_learner(org, make_user, name="Nobody")
    secret = create_token(org, admin, "sync").secret
    seen, after = [], 0
    while True:
        body = client.get(f"/api/v1/completions?limit=2&after={after}", headers=_auth(secret)).json
        seen += [r["name"] for r in body["data"]]
        if body["next_cursor"] is None:
            break
        after = body["next_cursor"]
    assert sorted(seen) == ["Ada Admin", "Early", "Late", "Nobody"]
    since = (NOW - timedelta(days=10)).date().isoformat()
    body = client.get(f"/api/v1/completions?completed_since={since}", headers=_auth(secret)).json
    assert [(r["name"], r["status"]) for r in body["data"]] == [("Late", "completed")]
    assert body["data"][0]["certificate_number"].startswith("PRX-")
    bad = client.get("/api/v1/completions?completed_since=soon", headers=_auth(secret))
    assert bad.status_code == 400 and "completed_since" in bad.json["error"]["message"]


def test_since_returns_what_changed_including_a_revoked_certificate(client, admin_org, make_user):
    admin, org = admin_org
    add_learner(org, make_user, name="Early", state="completed")
    late = add_learner(org, make_user, name="Late", state="certified")
    secret = create_token(org, admin, "sync").secret

    def changed(mark: datetime) -> list[dict]:
        query = {"since": mark.isoformat()}
        return client.get("/api/v1/completions", query_string=query, headers=_auth(secret)).json[
            "data"
        ]

    last_sync = utcnow()
    assert changed(last_sync) == []
    cert = db.session.scalar(select(Certificate).where(Certificate.user_id == late.id))
    cert.status = "revoked"
    db.session.commit()
    [record] = changed(last_sync)
    assert record["name"] == "Late" and record["certificate_number"] is None
    assert datetime.fromisoformat(record["updated_at"]) >= last_sync

    # Recomputing everything (postrx setup, reports rebuild) changes nothing, so reports nothing.
    next_sync = utcnow()
    records.rebuild()
    assert changed(next_sync) == []


def test_another_institution_s_objects_are_404_through_the_api(
    client, admin_org, make_user, make_org
):
    admin, org = admin_org
    admin_b = make_user(Role.INSTITUTION_ADMIN)
    org_b = make_org("Hospital B", admins=(admin_b,))
    person_b = add_learner(org_b, make_user, name="Secret B")
    assignment_b = create_assignment(org_b, admin_b, due_date=NOW.date())
    mid_b = db.session.scalar(select(Membership.id).where(Membership.user_id == person_b.id))
    secret = create_token(org, admin, "sync").secret
    assert client.get(f"/api/v1/members/{mid_b}", headers=_auth(secret)).status_code == 404
    assert (
        client.get(f"/api/v1/assignments/{assignment_b.id}", headers=_auth(secret)).status_code
        == 404
    )
    names = [m["name"] for m in client.get("/api/v1/members", headers=_auth(secret)).json["data"]]
    assert "Secret B" not in names
    records = client.get("/api/v1/completions", headers=_auth(secret)).json["data"]
    assert "Secret B" not in [r["name"] for r in records]
    own = db.session.scalar(select(Membership.id).where(Membership.user_id == admin.id))
    assert client.get(f"/api/v1/members/{own}", headers=_auth(secret)).json["email"] == admin.email


def test_the_openapi_document_is_generated_from_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/members",
        "/members/{member_id}",
        "/assignments",
        "/assignments/{assignment_id}",
        "/completions",
    }
    members = doc["paths"]["/members"]["get"]
    assert {p["name"] for p in members["parameters"]} == {"page", "per_page", "since"}
    assert "401" in members["responses"] and members["security"] == [{"bearerAuth": []}]
    schema = members["responses"]["200"]["content"]["application/json"]["schema"]
    assert "email" in schema["properties"]["data"]["items"]["properties"]


def test_the_api_needs_no_csrf_token(make_app, admin_org):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        resp = app.test_client().post("/api/v1/members")
    assert resp.status_code == 405  # not 400: the CSRF check (before routing) let it through
