"""The background-job checks of the site status page (queue, workers, scheduler)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.jobs import celery_for
from app.models.job import Job
from app.services import jobs
from app.services.admin.status import Check, register_check


def _broker_depth() -> str:
    """Messages waiting in the broker's default queue, where the broker can say."""
    url = str(celery_for().conf.broker_url)
    if url.startswith("filesystem://"):
        folder = Path(celery_for().conf.broker_transport_options["data_folder_in"])
        return f"{sum(1 for p in folder.glob('*.msg'))} message(s) in the embedded queue"
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return f"{client.llen('celery')} message(s) waiting in Redis"
        finally:
            client.close()
    return "broker queue length not available for this transport"


@register_check("Job queue")
def queue() -> Check:
    counts = jobs.queue_counts()
    stale = db.session.scalar(
        select(func.count()).where(
            Job.state == "queued", Job.created_at < datetime.now(UTC) - timedelta(minutes=5)
        )
    )
    detail = (
        f"{counts.get('queued', 0)} queued, {counts.get('running', 0)} running, "
        f"{counts.get('failed', 0)} failed (kept for the retention period); {_broker_depth()}"
    )
    if stale:
        return Check("Job queue", "warn", f"{stale} job(s) waiting over 5 minutes; {detail}")
    return Check("Job queue", "ok", detail)


@register_check("Workers")
def workers() -> Check:
    alive = jobs.live_workers()
    if not alive:
        return Check(
            "Workers", "fail", "no worker reported in the last minute: start `postrx worker`"
        )
    names = ", ".join(w.hostname for w in alive[:5]) + ("…" if len(alive) > 5 else "")
    return Check("Workers", "ok", f"{len(alive)} alive: {names}")


@register_check("Scheduler")
def scheduler() -> Check:
    pulse = jobs.last_schedule_pulse()
    last = jobs.last_scheduled("cleanup")
    cleanup = (
        f"; last cleanup {_utc(last.created_at):%Y-%m-%d %H:%M} UTC ({last.state})" if last else ""
    )
    if pulse is None:
        return Check("Scheduler", "warn", "no scheduled run yet: start `postrx scheduler`")
    age = datetime.now(UTC) - _utc(pulse)
    when = f"last scheduled run {_utc(pulse):%Y-%m-%d %H:%M:%S} UTC{cleanup}"
    if age > timedelta(minutes=5):
        return Check("Scheduler", "warn", f"{when}: over 5 minutes ago — is `postrx scheduler` up?")
    return Check("Scheduler", "ok", when)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
