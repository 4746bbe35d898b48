"""The status page: a list of checks, each a name, a state (ok/warn/fail/off) and a detail.

Checks are a registry, not a page of if/else: another area adds its own with

    from app.services.admin.status import Check, register_check

    @register_check("Queue depth")
    def queue_depth() -> Check: ...

(the background-job system adds "queue depth", "workers alive" and "last scheduled run" this
way). A check that raises is shown as failed with the error, so one broken check never hides
the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Literal

from flask import current_app
from sqlalchemy import text

from app.extensions import db
from app.services.mail import mail_configured

State = Literal["ok", "warn", "fail", "off"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    state: State
    detail: str


CheckFn = Callable[[], Check]
# (name, function) in page order. Add checks with register_check(), not by editing this list.
CHECKS: list[tuple[str, CheckFn]] = []


def register_check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Add a check to the status page (registering the same name again replaces it)."""

    def decorator(fn: CheckFn) -> CheckFn:
        for i, (existing, _) in enumerate(CHECKS):
            if existing == name:
                CHECKS[i] = (name, fn)
                break
        else:
            CHECKS.append((name, fn))
        return fn

    return decorator


def run_checks() -> list[Check]:
    """Every registered check, in order; an exception becomes a failed check."""
    out = []
    for name, fn in CHECKS:
        try:
            out.append(fn())
        except Exception as err:  # the page must show every other check
            out.append(Check(name, "fail", f"{type(err).__name__}: {err}"))
    return out


@register_check("Database")
def database() -> Check:
    started = time.perf_counter()
    db.session.execute(text("SELECT 1")).scalar()
    ms = (time.perf_counter() - started) * 1000
    backend = db.engine.dialect.name
    return Check("Database", "ok" if ms < 200 else "warn", f"{backend}: SELECT 1 in {ms:.1f} ms")


def redis_url() -> str | None:
    """The Redis URL the app is configured with (REDIS_URL, or the rate limiter's storage)."""
    cfg = current_app.config
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "RATELIMIT_STORAGE_URI"):
        value = cfg.get(key)
        if isinstance(value, str) and value.startswith(("redis://", "rediss://", "unix://")):
            return value
    return None


@register_check("Redis")
def redis_ping() -> Check:
    url = redis_url()
    if url is None:
        return Check("Redis", "off", "not configured")
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        started = time.perf_counter()
        client.ping()
        ms = (time.perf_counter() - started) * 1000
    except redis.RedisError as err:
        return Check("Redis", "fail", f"no answer: {err}")
    finally:
        client.close()
    return Check("Redis", "ok", f"PING answered in {ms:.1f} ms")


@register_check("Mail")
def mail() -> Check:
    if not mail_configured():
        return Check("Mail", "off", "not configured: messages are written to the log")
    cfg = current_app.config
    return Check("Mail", "ok", f"SMTP {cfg['MAIL_SERVER']}:{cfg['MAIL_PORT']}")


@register_check("Version")
def version() -> Check:
    try:
        return Check("Version", "ok", f"PostRx {metadata.version('postrx')}")
    except metadata.PackageNotFoundError:
        return Check("Version", "warn", "PostRx is not installed as a package")


@register_check("Migrations")
def migrations() -> Check:
    from alembic.config import Config as AlembicConfig
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", current_app.extensions["migrate"].directory)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current == heads:
        return Check("Migrations", "ok", f"at head ({', '.join(sorted(heads))})")
    if not current:
        return Check("Migrations", "warn", "database not stamped: run `postrx setup`")
    return Check(
        "Migrations",
        "fail",
        f"database at {', '.join(sorted(current))}, code at {', '.join(sorted(heads))}: "
        "run `postrx setup`",
    )
