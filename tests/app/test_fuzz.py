"""Hostile input never reaches a 500: every route, every form field, the JSON endpoints.

The routes come from `app.url_map`, their form fields from the pages themselves, so a new form
is fuzzed without anyone listing it here. Values are hostile strings (NUL, other controls, lone
surrogates, huge, right-to-left, emoji), huge numbers and nested structures; a 5xx (or, since
the app propagates exceptions under test, any exception) fails. Deterministic and bounded: a
few derandomized examples per route. Runs on PostgreSQL too (TEST_DATABASE_URL), where a NUL
byte in almost any field used to answer 500.
"""

from __future__ import annotations

import io
import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from app import config, create_app
from app.db_tx import transaction
from app.extensions import db
from app.models import Institution, Membership, Role, User
from app.models.quiz import QuizDefinition, RubricVersion, ScenarioVersion
from app.services import quiz as quiz_svc
from app.services.accounts import hash_password
from app.services.api_tokens import create_token
from app.services.learning.content import get_course
from quizzes import default_bank_root
from tests.conftest import PASSWORD

HOSTILE = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\ud800",
    "x\udfffy",
    "\u202eevil\u202c",
    "مرحبا \u200f123",
    "😀" * 200,
    "x" * 100_000,
    "9" * 30,
    "-9223372036854775809",
    "18446744073709551616",
    "1e999",
    "NaN",
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "%00",
    "",
    " ",
    "[" * 10_000 + "]" * 10_000,  # YAML boxes: deep nesting, a "billion laughs"
    "- " * 10_000 + "x",
    "a0: &a0 [l, l, l, l, l, l, l, l, l]\n"
    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
]
NUMBERS = st.integers(min_value=-(2**80), max_value=2**80).map(str)
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=()), max_size=40),  # surrogates included
    NUMBERS,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
DEEP_JSON = [
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 20_000 + "1" + "}" * 20_000,
    json.dumps({"text": "x" * 2_000_000}),
]
HOSTILE_FILES = [
    b"title: a\x00b\n",
    b"a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + b"".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n".encode() for i in range(1, 10)),
    b"- " * 10_000 + b"x\n",
    b"[" * 10_000,
    b"name,email\n\x00,\xff\xfe\n",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
]
# One fixed shape per example (no data-dependent draws, so replays are exact): field values
# used in turn, and for each path argument (in name order) a hostile value or None (the real one).
VALUES = st.lists(TEXT, min_size=6, max_size=6)
PATH_VALUES = st.lists(st.none() | TEXT, min_size=3, max_size=3)
# Routes that would end the session the fuzzer works in.
SKIP = {"auth.logout", "auth.logout_everywhere", "static"}
ANONYMOUS = {"auth.login", "auth.register", "auth.request_reset", "auth.reset_password"}
_FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*?\bname="([^"]+)"[^>]*>', re.S)
_FILE = re.compile(
    r'<input\b[^>]*?type="file"[^>]*?name="([^"]+)"|<input\b[^>]*?name="([^"]+)"'
    r'[^>]*?type="file"',
    re.S,
)


class _Config(config.TestConfig):
    def __init__(self, instance_dir: str) -> None:
        super().__init__()
        self.INSTANCE_DIR = instance_dir
        self.RATELIMIT_ENABLED = False


@dataclass
class World:
    """One app, its signed-in client, and the real values that make each route reachable."""

    app: Flask
    client: FlaskClient
    anonymous: FlaskClient
    user: User
    token: str
    route_values: dict[str, dict[str, str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)


def _sign_in(client: FlaskClient, email: str) -> None:
    resp = client.post("/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def _quote(value: str) -> str:
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def _url(rule: Rule, values: dict[str, str], hostile: dict[str, str] | None = None) -> str:
    """The rule's path with each argument filled (hostile values where given)."""
    path = rule.rule
    for arg in rule.arguments:
        value = (hostile or {}).get(arg, values.get(arg, "1"))
        path = re.sub(rf"<(?:[a-z]+:)?{arg}>", _quote(str(value)), path)
    return path


def _hostile_path(rule: Rule, path: list[str | None]) -> dict[str, str]:
    return {a: v for a, v in zip(sorted(rule.arguments), path, strict=False) if v is not None}


def _methods(rule: Rule) -> set[str]:
    return set(rule.methods or ())


def _form_body(pairs: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app = create_app(_Config(str(tmp_path_factory.mktemp("fuzz"))))
    with app.app_context():
        db.drop_all()
        db.create_all()
        with transaction():
            quiz_svc.import_bank([default_bank_root()])
        user = User(
            email="fuzz-admin@example.org",
            password_hash=hash_password(PASSWORD),
            print_name="Fuzz Admin",
            credentials="RN",
            profession="nurse",
        )
        for role in Role:
            user.grant(role)
        victim = User(
            email="victim@example.org",
            password_hash=hash_password(PASSWORD),
            print_name="Bad\x01Name\x0b\ufffe",  # XML cannot carry these: exports must cope
            credentials="RN",
            profession="nurse",
        )
        db.session.add_all([user, victim])
        org = Institution(slug="fuzz-org", name="Fuzz Hospital")
        db.session.add(org)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, institution_id=org.id, is_admin=True))
        db.session.add(Membership(user_id=victim.id, institution_id=org.id))
        token = create_token(org, user, "fuzz").secret
        db.session.commit()

        course = get_course()
        module = course.modules[0]
        quiz_key = db.session.scalars(db.select(QuizDefinition.quiz_key)).first() or "x"
        values = {
            "slug": org.slug,
            "user_id": str(victim.id),
            "member_id": str(victim.id),
            "membership_id": "2",
            "module_slug": module.slug,
            "lesson_slug": module.lessons[0].slug,
            "quiz_key": quiz_key,
            "course_slug": course.slug,
            "fmt": "xlsx",
            "label": "a",
            "n": "1",
        }
        client, anonymous = app.test_client(), app.test_client()
        _sign_in(client, user.email)
        start = client.post(f"/quiz/{quiz_key}/start")
        attempt = re.search(r"/quiz/attempt/(\d+)", start.headers.get("Location", ""))
        values["attempt_id"] = attempt.group(1) if attempt else "1"
        w = World(app, client, anonymous, user, token)
        scenario = db.session.scalars(db.select(ScenarioVersion.scenario_key)).first()
        rubric = db.session.scalars(db.select(RubricVersion.rubric_key)).first()
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIP:
                continue
            path_values = dict(values)
            if rule.endpoint.startswith("author.") and "rubric" in rule.endpoint:
                path_values["key"] = rubric or "x"
            elif rule.endpoint.startswith("author.") and "quiz" in rule.endpoint:
                path_values["key"] = quiz_key
            else:
                path_values["key"] = scenario or "x"
            w.route_values[rule.endpoint] = path_values
            if {"GET", "POST"} <= _methods(rule):
                c = anonymous if rule.endpoint in ANONYMOUS else client
                html = c.get(_url(rule, path_values)).get_data(as_text=True)
                w.fields[rule.endpoint] = sorted(
                    {n for n in _FIELD.findall(html) if n != "csrf_token"}
                )
                w.files[rule.endpoint] = sorted({a or b for a, b in _FILE.findall(html)})
        every_field = sorted({name for names in w.fields.values() for name in names})
        for rule in app.url_map.iter_rules():  # POST-only: their forms sit on other pages
            if _methods(rule) & {"GET", "POST"} == {"POST"}:
                w.fields[rule.endpoint] = every_field
        yield w
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _rules(methods: set[str]) -> list[Rule]:
    app = create_app(_Config("/tmp/postrx-fuzz-rules"))
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIP and _methods(r) & methods),
        key=lambda r: r.endpoint,
    )


POST_RULES = _rules({"POST"})
GET_RULES = _rules({"GET"})


def _check(resp: Any, what: str) -> None:
    assert resp.status_code < 500, f"{what} answered {resp.status_code}"


def _client_for(world: World, rule: Rule) -> FlaskClient:
    if rule.endpoint in ANONYMOUS:
        return world.anonymous
    return world.client


def _resign_if_needed(world: World, resp: Any) -> None:
    if "/login" in resp.headers.get("Location", ""):
        _sign_in(world.client, world.user.email)


def _post(world: World, rule: Rule, pairs: list[tuple[str, str]], path: dict[str, str]) -> None:
    values = world.route_values[rule.endpoint]
    url = _url(rule, values, path)
    client = _client_for(world, rule)
    start = time.perf_counter()
    if world.files.get(rule.endpoint):
        data: dict[str, Any] = {}
        for name, value in pairs:
            data[name] = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        for i, name in enumerate(world.files[rule.endpoint]):
            content = HOSTILE_FILES[(len(pairs) + i) % len(HOSTILE_FILES)]
            data[name] = (io.BytesIO(content), "hostile\x00.yaml")
        resp = client.post(url, data=data, content_type="multipart/form-data")
    else:
        resp = client.post(
            url, data=_form_body(pairs), content_type="application/x-www-form-urlencoded"
        )
    _check(resp, f"POST {url} {pairs!r:.300}")
    assert time.perf_counter() - start < 10, f"POST {url} took too long"
    _resign_if_needed(world, resp)


@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=VALUES, path=PATH_VALUES)
@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.endpoint)
def test_no_form_post_answers_5xx(
    world: World, rule: Rule, values: list[str], path: list[str | None]
) -> None:
    names = world.fields.get(rule.endpoint) or ["text", "name", "email", "title", "q"]
    pairs = [(name, values[i % len(values)]) for i, name in enumerate(names)]
    with world.app.app_context():
        _post(world, rule, pairs, _hostile_path(rule, path))


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.endpoint)
def test_a_nul_in_every_field_is_refused_naming_the_field(world: World, rule: Rule) -> None:
    names = world.fields.get(rule.endpoint) or ["text"]
    pairs = [(name, f"before\x00after {name}") for name in names]
    values = world.route_values[rule.endpoint]
    client = _client_for(world, rule)
    with world.app.app_context():
        resp = client.post(
            _url(rule, values),
            data=_form_body(pairs),
            content_type="application/x-www-form-urlencoded",
        )
    _check(resp, f"POST {rule.rule}")
    if resp.status_code == 400 and rule.endpoint not in SKIP:
        body = resp.get_data(as_text=True)
        assert "control character (U+0000)" in body
        assert any(f"“{name}”" in body for name in names)
    _resign_if_needed(world, resp)


@pytest.mark.parametrize(
    "value",
    ["9" * 30, "-" + "9" * 30, "1e400", HOSTILE[-3], HOSTILE[-1]],
    ids=["huge", "huge-negative", "1e400", "deep-yaml", "billion-laughs"],
)
@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.endpoint)
def test_huge_numbers_and_hostile_yaml_in_every_field_are_not_a_500(
    world: World, rule: Rule, value: str
) -> None:
    names = world.fields.get(rule.endpoint) or ["text"]
    with world.app.app_context():
        _post(world, rule, [(name, value) for name in names], {})
        _post(world, rule, [(name, value) for name in names], dict.fromkeys(rule.arguments, value))


@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(st.none() | TEXT, min_size=9, max_size=9), path=PATH_VALUES)
@pytest.mark.parametrize("rule", GET_RULES, ids=lambda r: r.endpoint)
def test_no_page_or_query_answers_5xx(
    world: World, rule: Rule, values: list[str | None], path: list[str | None]
) -> None:
    route_values = world.route_values[rule.endpoint]
    hostile_path = _hostile_path(rule, path)
    names = ["page", "q", "per_page", "after", "limit", "since", "status", "department", "from"]
    query = [(n, v) for n, v in zip(names, values, strict=True) if v is not None]
    qs = urllib.parse.urlencode(query, encoding="utf-8", errors="surrogatepass")
    headers = {"Authorization": f"Bearer {world.token}"} if rule.endpoint.startswith("api.") else {}
    client = _client_for(world, rule)
    with world.app.app_context():
        resp = client.get(_url(rule, route_values, hostile_path), query_string=qs, headers=headers)
    _check(resp, f"GET {rule.rule}?{qs:.200}")
    _resign_if_needed(world, resp)


def _fresh_org(world: World) -> str:
    """A new institution (the fuzzer may have archived or renamed the first): its slug."""
    with world.app.app_context():
        n = db.session.scalar(db.select(db.func.count(Institution.id))) or 0
        org = Institution(slug=f"fresh-{n + 1}", name="Fresh \x01Hospital")
        db.session.add(org)
        db.session.flush()
        victim = db.session.scalars(db.select(User).where(User.email == "victim@example.org")).one()
        db.session.add(Membership(user_id=world.user.id, institution_id=org.id, is_admin=True))
        db.session.add(Membership(user_id=victim.id, institution_id=org.id))
        db.session.commit()
        return org.slug


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "0", "1e9", "x", "٣"])
@pytest.mark.parametrize(
    "path",
    [
        "/org/ORG/members",
        "/org/ORG/report",
        "/admin/users",
        "/admin/audit",
        "/admin/institutions",
    ],
)
def test_huge_or_odd_page_numbers_are_clamped(world: World, path: str, page: str) -> None:
    with world.app.app_context():
        path = path.replace("ORG", _fresh_org(world))
        resp = world.client.get(path, query_string={"page": page})
    assert resp.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"department": "9" * 30},
        {"department": "٣"},
        {"from": "99999-01-01", "to": "0000-00-00"},
        {"sort": "\u202ename", "dir": "desc", "status": "x" * 10_000},
    ],
)
def test_odd_report_filters_are_ignored(world: World, query: dict[str, str]) -> None:
    slug = _fresh_org(world)
    with world.app.app_context():
        page = world.client.get(f"/org/{slug}/report", query_string=query)
        body, state = _export(world, slug, "csv", query)
    assert page.status_code == 200
    assert state == "done"
    assert body.decode("utf-8-sig").startswith("Name,")


@pytest.mark.parametrize("label", ["9" * 30, "٣", "-1"])
def test_odd_version_labels_are_not_found(world: World, label: str) -> None:
    key = world.route_values["author.preview_scenario"]["key"]
    with world.app.app_context():
        preview = world.client.get(f"/author/scenarios/{key}/preview/{label}")
        diff = world.client.get(f"/author/scenarios/{key}/diff", query_string={"a": label})
    assert preview.status_code == 404
    assert diff.status_code < 500


@pytest.mark.parametrize("big", [str(2**63), "99999999999999999999999"])
def test_ids_beyond_64_bits_are_not_found(world: World, big: str) -> None:
    with world.app.app_context():
        org = db.session.scalars(db.select(Institution).filter_by(slug="fuzz-org")).one()
        user = db.session.get_one(User, world.user.id)
        token = create_token(org, user, "ids").secret  # the fuzzer may have revoked the first
        db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
        api = world.client.get(f"/api/v1/members/{big}", headers=headers)
        page = world.client.get(f"/admin/users/{big}")
    assert api.status_code == 404
    assert api.get_json()["error"]["status"] == 404
    assert page.status_code == 404


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=JSON_VALUES)
def test_check_my_post_json_never_answers_5xx(world: World, payload: Any) -> None:
    with world.app.app_context():
        for body in (payload, {"text": payload}):
            resp = world.client.post(
                "/check-my-post/api", data=json.dumps(body), content_type="application/json"
            )
            _check(resp, f"check api {body!r:.200}")


@pytest.mark.parametrize("body", DEEP_JSON, ids=["100k-deep-array", "20k-deep-object", "huge"])
def test_deep_or_huge_json_is_refused_quickly(world: World, body: str) -> None:
    start = time.perf_counter()
    with world.app.app_context():
        resp = world.client.post("/check-my-post/api", data=body, content_type="application/json")
    assert resp.status_code in (400, 413)
    assert "error" in resp.get_json()
    assert time.perf_counter() - start < 1.0


def test_a_control_character_in_json_is_refused_naming_the_field(world: World) -> None:
    with world.app.app_context():
        resp = world.client.post(
            "/check-my-post/api",
            data=json.dumps({"text": "a\u0000b"}),
            content_type="application/json",
        )
    assert resp.status_code == 400
    assert "“text”" in resp.get_json()["error"]


def _export(world: World, slug: str, fmt: str, filters: dict[str, str]) -> tuple[bytes, str]:
    """Run the report export job (eager under test) and fetch its file: (bytes, job state)."""
    start = world.client.post(f"/jobs/org/{slug}/report.{fmt}", data=filters)
    assert start.status_code == 302, start.status_code
    job_id = start.headers["Location"].rsplit("/", 1)[-1]
    status = world.client.get(f"/jobs/{job_id}.json").get_json()
    if status["state"] != "done":
        return b"", status["state"]
    return world.client.get(status["download"]).get_data(), status["state"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_member_name_with_xml_illegal_characters_does_not_break_the_report(
    world: World, fmt: str
) -> None:
    with world.app.app_context():
        body, state = _export(world, _fresh_org(world), fmt, {})
    assert state == "done"
    if fmt == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        assert sheet is not None
        names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "BadName" in names
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        assert "Bad\x01Name" in body.decode("utf-8-sig")  # CSV carries it as typed


def test_a_billion_laughs_bank_upload_is_refused_in_well_under_a_second(world: World) -> None:
    start = time.perf_counter()
    name = (world.files.get("author.bank") or ["files"])[0]
    with world.app.app_context():
        resp = world.client.post(
            "/author/bank",
            data={name: (io.BytesIO(HOSTILE_FILES[1]), "laughs.yaml")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
    assert resp.status_code < 500
    assert "aliases expand to more than" in resp.get_data(as_text=True)
    assert time.perf_counter() - start < 2.0
