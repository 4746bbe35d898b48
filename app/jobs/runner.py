"""Run one job: claim it, do the work in one transaction, record the outcome exactly once.

The claim is a conditional UPDATE (queued, or running with a lease that ran out), so of two
messages for one job only one worker works; the outcome is written with the same condition on
the claim token, in the handler's transaction, so work whose claim was taken over by another
worker (this one stalled past its lease) is rolled back instead of done twice.

Progress and lease renewals go through a second connection and commit on their own, so the
browser sees them while the handler's transaction is still open.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import Engine, and_, create_engine, func, or_, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from app.extensions import db
from app.models.job import Job
from app.services import audit
from app.services.jobs import HANDLERS, JobContext, JobRefused, files

log = logging.getLogger("postrx.jobs")

try:  # the Redis client is a dependency, but keep the runner importable without it
    from redis.exceptions import ConnectionError as RedisConnectionError
except ImportError:  # pragma: no cover
    RedisConnectionError = ConnectionError  # type: ignore[assignment,misc]  # same role

# Faults worth another try later: a database or mail server that went away for a moment.
TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    RedisConnectionError,
)


@dataclass(frozen=True)
class Outcome:
    state: str  # done | failed | retry | skipped | lost
    retry_in: float | None = None


class _LostClaim(Exception):
    """Another worker took the job over while this one worked (its lease ran out)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _lease() -> timedelta:
    return timedelta(seconds=float(current_app.config.get("JOB_LEASE_SECONDS", 60)))


def backoff(attempt: int) -> float:
    """Seconds before retry `attempt` (1, 2, …): 5 s, 20 s, 80 s, then at most 10 minutes."""
    return float(min(600, 5 * 4 ** (attempt - 1)))


@cache
def _side_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # A SQLite writer blocks others; a progress update that would wait is skipped instead.
        return create_engine(url, poolclass=NullPool, connect_args={"timeout": 0.2})
    return create_engine(url, poolclass=NullPool)


def side_engine() -> Engine | None:
    """A second engine on the app's database (None for in-memory SQLite, which has one)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return _side_engine(url.render_as_string(False))


class _Side:
    """Progress and lease renewal on their own connection (inline for in-memory SQLite)."""

    def __init__(self, job_id: str, token: str, lease: timedelta) -> None:
        self.job_id = job_id
        self.token = token
        self.lease = lease
        self.engine = side_engine()
        self.inline = self.engine is None
        self._last = 0.0
        self._lock = threading.Lock()

    def write(self, **values: Any) -> None:
        stmt = (
            update(Job)
            .where(Job.id == self.job_id, Job.claim_token == self.token)
            .values(lease_until=_now() + self.lease, **values)
        )
        if self.engine is None:
            db.session.execute(stmt)
            return
        with self._lock:
            try:
                with self.engine.begin() as conn:
                    conn.execute(stmt)
            except DBAPIError as err:  # locked SQLite, a blip: the next update tries again
                log.debug("progress of job %s not written: %s", self.job_id, err)

    def progress(self, done: int, total: int) -> None:
        now = _now().timestamp()
        if now - self._last < 0.5 and done < total:
            return
        self._last = now
        self.write(progress_done=int(done), progress_total=int(total))


class _Heartbeat(threading.Thread):
    """Renews the lease while the handler works, so only a dead worker's lease runs out."""

    def __init__(self, side: _Side) -> None:
        super().__init__(daemon=True, name=f"lease-{side.job_id[:8]}")
        self.side = side
        self.stopped = threading.Event()

    def run(self) -> None:
        every = max(self.side.lease.total_seconds() / 3, 0.5)
        while not self.stopped.wait(every):
            self.side.write()


def _claim(job_id: str, worker: str) -> str | None:
    token = secrets.token_hex(16)
    now = _now()
    claimable = or_(Job.state == "queued", and_(Job.state == "running", Job.lease_until < now))
    res = db.session.execute(
        update(Job)
        .where(Job.id == job_id, claimable)
        .values(
            state="running",
            claim_token=token,
            lease_until=now + _lease(),
            attempts=Job.attempts + 1,
            started_at=func.coalesce(Job.started_at, now),
            worker=worker[:200],
            message="Working",
        )
    )
    db.session.commit()
    return token if res.rowcount else None  # type: ignore[attr-defined]  # CursorResult


def _settle(job_id: str, token: str, **values: Any) -> bool:
    res = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.claim_token == token)
        .values(claim_token=None, lease_until=None, **values)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]  # CursorResult


def _retention() -> timedelta:
    return timedelta(hours=float(current_app.config.get("JOB_RETENTION_HOURS", 168)))


def _finish(job: Job, token: str, ctx: JobContext) -> None:
    size = 0
    if ctx.output_name:
        ctx.out.seek(0)
        size = files.write_stream(job.id, "out", ctx.out)
    now = _now()
    done = job.progress_total or 1
    ok = _settle(
        job.id,
        token,
        state="done",
        finished_at=now,
        expires_at=now + _retention(),
        progress_done=done,
        progress_total=done,
        result=ctx.result,
        message=str(ctx.result.get("summary", "Done"))[:500],
        output_name=ctx.output_name,
        output_type=ctx.output_type,
        output_size=size,
    )
    if not ok:
        raise _LostClaim(job.id)
    audit.record(
        "job.done", actor=job.requested_by, subject=f"job:{job.id}", kind=job.kind, bytes=size
    )


def _fail(job: Job, token: str, message: str, details: list[str] | None = None) -> None:
    now = _now()
    if _settle(
        job.id,
        token,
        state="failed",
        finished_at=now,
        expires_at=now + _retention(),
        message=message[:500],
        result={"errors": (details or [])[:1000]},
    ):
        audit.record(
            "job.failed",
            actor=job.requested_by,
            subject=f"job:{job.id}",
            kind=job.kind,
            message=message[:200],
        )
    db.session.commit()


def run(job_id: str, *, worker: str) -> Outcome:
    """Run the job if it is this worker's to run; see the module docstring."""
    token = _claim(job_id, worker)
    if token is None:
        return Outcome("skipped")  # done, failed, or held by a live worker: nothing to do
    job = db.session.get(Job, job_id)
    assert job is not None  # claimed just now
    handler = HANDLERS.get(job.kind)
    if handler is None:
        _fail(job, token, f"No worker code for jobs of kind {job.kind!r}.")
        return Outcome("failed")
    side = _Side(job_id, token, _lease())
    beat = _Heartbeat(side)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  # closed below
    ctx = JobContext(job=job, progress=side.progress, out=out)  # type: ignore[arg-type]  # a binary file
    if not side.inline:
        beat.start()
    try:
        handler.run(ctx)
        _finish(job, token, ctx)
        db.session.commit()
    except _LostClaim:
        db.session.rollback()
        log.warning("job %s was taken over by another worker; this run is undone", job_id)
        return Outcome("lost")
    except JobRefused as err:
        db.session.rollback()
        _fail(db.session.get(Job, job_id) or job, token, err.message, err.details)
        return Outcome("failed")
    except SoftTimeLimitExceeded:
        db.session.rollback()
        _fail(job, token, f"Stopped: the job took longer than {handler.time_limit} s.")
        return Outcome("failed")
    except TRANSIENT as err:
        db.session.rollback()
        job = db.session.get(Job, job_id) or job
        if job.attempts < handler.max_attempts:
            wait = backoff(job.attempts)
            _settle(job_id, token, state="queued", message=f"Retrying in {wait:.0f} s: {err}"[:500])
            db.session.commit()
            log.warning("job %s: transient fault (%s); retry in %.0f s", job_id, err, wait)
            return Outcome("retry", retry_in=wait)
        _fail(job, token, f"Gave up after {job.attempts} attempts: {err}")
        return Outcome("failed")
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        _fail(
            db.session.get(Job, job_id) or job,
            token,
            "The job failed unexpectedly; the error was logged for the site administrator.",
        )
        return Outcome("failed")
    finally:
        beat.stopped.set()
        out.close()
    from app.jobs import dispatch

    for follow_up in ctx.follow_ups:
        dispatch(follow_up)
    return Outcome("done")
