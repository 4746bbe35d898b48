"""The institution API (/api/v1): bearer tokens, JSON in and out, OpenAPI from the code.

Each endpoint is declared with `@endpoint(...)`, which registers the Flask route and records
its path, parameters and response schema; `/openapi.json` is built from those records, so the
document cannot drift from the routes. A token belongs to one institution and every query is
scoped to it: another institution's ids answer 404, exactly like ids that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any

from flask import Response, g, jsonify, request
from sqlalchemy import Select, func, select
from werkzeug.exceptions import HTTPException

from app.api import bp
from app.db_tx import transaction
from app.extensions import csrf, db, limiter
from app.input_limits import MAX_ID
from app.models import Department, Institution, Membership, User
from app.models.org import Assignment
from app.services import reports
from app.services.api_tokens import institution_for_token

csrf.exempt(bp)

MAX_PER_PAGE = 500


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@bp.errorhandler(ApiError)
def _api_error(err: ApiError) -> Response:
    resp = jsonify(error={"status": err.status, "message": err.message})
    resp.status_code = err.status
    if err.status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="postrx"'
    return resp


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException) -> Response:
    resp = jsonify(error={"status": err.code, "message": err.description})
    resp.status_code = err.code or 500
    return resp


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str  # query | path
    schema: dict[str, Any]
    description: str
    required: bool = False


@dataclass(slots=True)
class Operation:
    path: str
    method: str
    operation_id: str
    summary: str
    params: tuple[Param, ...]
    response: dict[str, Any]
    auth: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)


REGISTRY: list[Operation] = []

PAGE = Param("page", "query", {"type": "integer", "minimum": 1, "default": 1}, "Page number.")
PER_PAGE = Param(
    "per_page",
    "query",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 100},
    "Items per page.",
)
SINCE = Param(
    "since",
    "query",
    {"type": "string", "format": "date-time"},
    "ISO 8601 date-time; only items created or changed at or after it.",
)
COMPLETED_SINCE = Param(
    "completed_since",
    "query",
    {"type": "string", "format": "date-time"},
    "ISO 8601 date-time; only members whose latest completion is at or after it.",
)


def endpoint(
    path: str,
    *,
    summary: str,
    response: dict[str, Any],
    params: tuple[Param, ...] = (),
    auth: bool = True,
    tag: str = "institution",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a GET route under /api/v1 and record it for the OpenAPI document."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if auth:
                g.api_org = _authenticate()
            return view(*args, **{name: _path_id(value) for name, value in kwargs.items()})

        # Ids are matched as text and checked here, so "abc" or an id beyond 64 bits gets the
        # API's JSON 404 rather than the site's HTML one (or an overflow in the database).
        flask_path = path.replace("{", "<").replace("}", ">")
        bp.add_url_rule(flask_path, view.__name__, wrapped, methods=["GET"])
        REGISTRY.append(
            Operation(path, "get", view.__name__, summary, params, response, auth, (tag,))
        )
        return wrapped

    return decorator


def _path_id(raw: str) -> int:
    """An id from the path: digits that fit a 64-bit column, else the API's 404."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or int(raw) > MAX_ID:
        raise ApiError(404, "Not found: ids are whole numbers.")
    return int(raw)


def _authenticate() -> Institution:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "Send an API token: 'Authorization: Bearer <token>'.")
    with transaction():
        org = institution_for_token(secret.strip())
    if org is None:
        raise ApiError(401, "The API token is not valid or has been revoked.")
    return org


def _org() -> Institution:
    org: Institution = g.api_org  # set by the token check before every endpoint
    return org


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be an integer.") from None
    if not low <= value <= high:
        raise ApiError(400, f"'{name}' must be between {low} and {high}.")
    return value


def _since(name: str = "since") -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise ApiError(400, f"'{name}' must be an ISO 8601 date or date-time.") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


# ---------------------------------------------------------------- schemas

MEMBER = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "department": {"type": ["string", "null"]},
        "employee_id": {"type": ["string", "null"]},
        "profession": {"type": "string"},
        "credentials": {"type": "string"},
        "is_admin": {"type": "boolean"},
        "joined_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
ASSIGNMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "course": {"type": "string"},
        "department": {"type": ["string", "null"]},
        "due_date": {"type": "string", "format": "date"},
        "recurrence": {"type": "string", "enum": ["none", "yearly"]},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}
RECORD = {
    "type": "object",
    "properties": {
        "member_id": {"type": "integer"},
        "name": {"type": "string"},
        "email": {"type": "string"},
        "department": {"type": ["string", "null"]},
        "profession": {"type": "string"},
        "modules_completed": {"type": "integer"},
        "quiz_scores": {"type": "string"},
        "passed": {"type": "boolean"},
        "certificate_number": {"type": ["string", "null"]},
        "certificate_date": {"type": ["string", "null"], "format": "date"},
        "credits": {"type": ["string", "null"]},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "status": {
            "type": "string",
            "enum": ["not_started", "in_progress", "completed", "overdue"],
        },
        "completed_at": {"type": ["string", "null"], "format": "date-time"},
        "updated_at": {"type": ["string", "null"], "format": "date-time"},
    },
}


def _page_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": item},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next_page": {"type": ["integer", "null"]},
        },
    }


def _member(m: Membership, u: User, dept: str | None) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": u.print_name,
        "email": u.email,
        "department": dept,
        "employee_id": m.employee_id,
        "profession": u.profession,
        "credentials": u.credentials,
        "is_admin": bool(m.is_admin),
        "joined_at": _iso(m.joined_at),
        "updated_at": _iso(m.updated_at),
    }


def _members_query(org: Institution) -> Select[Membership, User, str]:
    return (
        select(Membership, User, Department.name)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Department, Department.id == Membership.department_id)
        .where(Membership.institution_id == org.id)
    )


# ---------------------------------------------------------------- endpoints


@endpoint(
    "/members",
    summary="Members of the token's institution, page by page.",
    params=(PAGE, PER_PAGE, SINCE),
    response=_page_of(MEMBER),
)
def members() -> Response:
    org = _org()
    page = _int_arg("page", 1, 1, 10_000_000)
    per_page = _int_arg("per_page", 100, 1, MAX_PER_PAGE)
    query = _members_query(org)
    since = _since()
    if since is not None:
        query = query.where(Membership.updated_at >= since)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Membership.id).limit(per_page).offset((page - 1) * per_page)
    )
    data = [_member(m, u, d) for m, u, d in rows]
    return jsonify(
        data=data,
        page=page,
        per_page=per_page,
        total=total,
        next_page=page + 1 if page * per_page < total else None,
    )


@endpoint(
    "/members/{member_id}",
    summary="One member of the token's institution (404 for any other id).",
    params=(Param("member_id", "path", {"type": "integer"}, "Member id.", True),),
    response=MEMBER,
)
def member(member_id: int) -> Response:
    row = db.session.execute(_members_query(_org()).where(Membership.id == member_id)).one_or_none()
    if row is None:
        raise ApiError(404, "No such member.")
    return jsonify(_member(*row))


def _assignment(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "course": a.course_slug,
        "department": a.department.name if a.department else None,
        "due_date": a.due_date.isoformat(),
        "recurrence": a.recurrence,
        "updated_at": _iso(a.updated_at),
    }


@endpoint(
    "/assignments",
    summary="Course assignments and due dates of the token's institution.",
    params=(SINCE,),
    response={"type": "object", "properties": {"data": {"type": "array", "items": ASSIGNMENT}}},
)
def assignments() -> Response:
    query = select(Assignment).where(Assignment.institution_id == _org().id)
    since = _since()
    if since is not None:
        query = query.where(Assignment.updated_at >= since)
    rows = db.session.scalars(query.order_by(Assignment.id))
    return jsonify(data=[_assignment(a) for a in rows])


@endpoint(
    "/assignments/{assignment_id}",
    summary="One assignment (404 for any other institution's id).",
    params=(Param("assignment_id", "path", {"type": "integer"}, "Assignment id.", True),),
    response=ASSIGNMENT,
)
def assignment(assignment_id: int) -> Response:
    a = db.session.get(Assignment, assignment_id)
    if a is None or a.institution_id != _org().id:
        raise ApiError(404, "No such assignment.")
    return jsonify(_assignment(a))


def _record(r: reports.ReportRow) -> dict[str, Any]:
    return {
        "member_id": r.membership_id,
        "name": r.name,
        "email": r.email,
        "department": r.department,
        "profession": r.profession,
        "modules_completed": r.modules_completed,
        "quiz_scores": r.quiz_scores,
        "passed": r.passed,
        "certificate_number": r.certificate_number,
        "certificate_date": _iso(r.certificate_date),
        "credits": f"{r.credits:.2f}" if r.credits is not None else None,
        "due_date": _iso(r.due_date),
        "status": r.status,
        "completed_at": _iso(r.completed_at),
        "updated_at": _iso(r.updated_at),
    }


@endpoint(
    "/completions",
    summary="Completion records, one per member, with cursor pagination.",
    params=(
        Param(
            "after",
            "query",
            {"type": "integer"},
            "Cursor: the `next_cursor` of the previous page.",
        ),
        Param("limit", "query", {"type": "integer", "maximum": MAX_PER_PAGE}, "Page size."),
        Param(
            "status",
            "query",
            {"type": "string", "enum": ["not_started", "in_progress", "completed", "overdue"]},
            "Only records with this status.",
        ),
        SINCE,
        COMPLETED_SINCE,
    ),
    response={
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": RECORD},
            "next_cursor": {"type": ["integer", "null"]},
        },
    },
)
def completions() -> Response:
    after = _int_arg("after", 0, 0, 2**62)
    limit = _int_arg("limit", 100, 1, MAX_PER_PAGE)
    status = request.args.get("status") or None
    filters = reports.ReportFilters.from_args({"status": status or ""})
    if status and filters.status is None:
        raise ApiError(400, "'status' must be not_started, in_progress, completed or overdue.")
    rows = reports.records_after(
        _org(),
        filters,
        after=after,
        limit=limit,
        since=_since(),
        completed_since=_since("completed_since"),
    )
    data = [_record(r) for r in rows[:limit]]
    return jsonify(
        data=data, next_cursor=rows[limit - 1].membership_id if len(rows) > limit else None
    )


@bp.get("/openapi.json")
@limiter.exempt
def openapi() -> Response:
    """The OpenAPI 3 document, generated from the endpoint registry."""
    return jsonify(build_openapi())


def build_openapi() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in REGISTRY:
        responses: dict[str, Any] = {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": op.response}},
            },
            "404": {"$ref": "#/components/responses/NotFound"},
        }
        if op.auth:
            responses["401"] = {"$ref": "#/components/responses/Unauthorized"}
        if any(p.where == "query" for p in op.params):
            responses["400"] = {"$ref": "#/components/responses/BadRequest"}
        paths.setdefault(op.path, {})[op.method] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "tags": list(op.tags),
            "parameters": [
                {
                    "name": p.name,
                    "in": p.where,
                    "required": p.required or p.where == "path",
                    "description": p.description,
                    "schema": p.schema,
                }
                for p in op.params
            ],
            "responses": responses,
            **({"security": [{"bearerAuth": []}]} if op.auth else {}),
        }
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PostRx institution API",
            "version": "1.0.0",
            "description": "Members, assignments and completion records of one institution. "
            "Authenticate with a token an institution admin creates: "
            "`Authorization: Bearer <token>`.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                }
            },
            "responses": {
                "Unauthorized": {"description": "Missing, invalid or revoked token.", **error},
                "NotFound": {"description": "No such object in this institution.", **error},
                "BadRequest": {"description": "A parameter is not valid.", **error},
            },
        },
    }
