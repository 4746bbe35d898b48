"""Background jobs as rows: create, find, permission, handler registry, maintenance queries.

This package owns the job table and its stored files; it flushes and never commits. The edge
that runs jobs (claims, commits, retries) is `app.jobs`; the work itself is done by the area
services (reports, institutions, records, mail) through the handlers in `app.jobs.handlers`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Membership, Role, User
from app.models.job import Job, WorkerHeartbeat
from app.services.jobs import files

if TYPE_CHECKING:
    from app.models import Institution

ACTIVE_STATES = ("queued", "running")


class JobNotFound(LookupError):
    """No such job, or not one this user may see (the same answer, so ids cannot be probed)."""


class JobRefused(Exception):
    """The job's input was refused: a permanent failure with details for the requester.

    `details` is shown on the job page (e.g. the per-line errors of a roster file).
    """

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass
class JobContext:
    """What a handler gets: the job's parameters, its input, a progress callback, an output."""

    job: Job
    progress: Callable[[int, int], None]
    out: BinaryIO
    result: dict[str, Any] = field(default_factory=dict)
    output_name: str | None = None
    output_type: str | None = None
    # Jobs this one created (in its own transaction), sent to the workers once it commits.
    follow_ups: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def open_input(self) -> BinaryIO:
        return files.open_part(self.job.id, "in")

    def set_output(self, name: str, content_type: str) -> None:
        self.output_name = name
        self.output_type = content_type


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[JobContext], None]
    time_limit: int  # seconds; the worker stops the job after this
    max_attempts: int = 4


HANDLERS: dict[str, Handler] = {}


def handler(
    kind: str, *, time_limit: int = 600, max_attempts: int = 4
) -> Callable[[Callable[[JobContext], None]], Callable[[JobContext], None]]:
    """Register the function that does the work of jobs of `kind`."""

    def register(fn: Callable[[JobContext], None]) -> Callable[[JobContext], None]:
        HANDLERS[kind] = Handler(kind, fn, time_limit, max_attempts)
        return fn

    return register


def dedupe_key(kind: str, params: dict[str, Any], user_id: int | None, org_id: int | None) -> str:
    raw = json.dumps([kind, params, user_id, org_id], sort_keys=True, default=str)
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def create(
    kind: str,
    params: dict[str, Any],
    *,
    title: str,
    requested_by: User | None,
    institution: Institution | None = None,
    input_stream: BinaryIO | None = None,
    dedupe: bool = True,
) -> tuple[Job, bool]:
    """A queued job (flushed, not committed), or the same request already queued or running.

    Returns (job, created). A job with an input file is never merged with another.
    """
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    user_id = requested_by.id if requested_by else None
    org_id = institution.id if institution else None
    key = dedupe_key(kind, params, user_id, org_id) if dedupe and input_stream is None else None
    if key:
        existing = db.session.scalar(
            select(Job).where(Job.dedupe_key == key, Job.state.in_(ACTIVE_STATES)).limit(1)
        )
        if existing is not None:
            return existing, False
    job = Job(
        id=secrets.token_hex(16),
        kind=kind,
        title=title[:200],
        state="queued",
        params=params,
        dedupe_key=key,
        institution_id=org_id,
        requested_by_id=user_id,
        progress_done=0,
        progress_total=0,
        message="Waiting for a worker",
        result={},
        attempts=0,
        worker="",
        output_size=0,
    )
    db.session.add(job)
    db.session.flush()
    if input_stream is not None:
        files.write_stream(job.id, "in", input_stream)
    return job, True


def may_see(user: User, job: Job) -> bool:
    """The requester, a site admin, or an admin of the job's institution."""
    if user.has_role(Role.SITE_ADMIN) or job.requested_by_id == user.id:
        return True
    if job.institution_id is None or not user.has_role(Role.INSTITUTION_ADMIN):
        return False
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.institution_id == job.institution_id,
                Membership.is_admin.is_(True),
            )
        )
        is not None
    )


def get_for(user: User, job_id: str) -> Job:
    # populate_existing: progress is written by another process (or session); never show a
    # copy this session loaded earlier.
    job = db.session.get(Job, job_id, populate_existing=True) if len(job_id) == 32 else None
    if job is None or not may_see(user, job):
        raise JobNotFound(job_id)
    return job


def recent_for(user: User, *, limit: int = 50) -> list[Job]:
    """The user's own jobs, newest first (what "Your reports" lists)."""
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.requested_by_id == user.id)
            .order_by(Job.created_at.desc())
            .limit(limit)
        )
    )


def recent_for_institution(
    org: Institution, *, kinds: tuple[str, ...], limit: int = 20
) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.institution_id == org.id, Job.kind.in_(kinds))
            .order_by(Job.created_at.desc())
            .limit(limit)
        )
    )


def due_for_dispatch(now: datetime, *, queued_grace: timedelta) -> list[str]:
    """Jobs whose worker vanished (lease ran out) or whose message may be lost (long queued)."""
    return list(
        db.session.scalars(
            select(Job.id).where(
                or_(
                    (Job.state == "running") & (Job.lease_until < now),
                    (Job.state == "queued") & (Job.created_at < now - queued_grace),
                )
            )
        )
    )


def expired(now: datetime) -> list[Job]:
    return list(
        db.session.scalars(select(Job).where(Job.expires_at.is_not(None), Job.expires_at < now))
    )


def queue_counts() -> dict[str, int]:
    rows = db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return {state: int(n) for state, n in rows}


def live_workers(now: datetime | None = None, *, within: int = 60) -> list[WorkerHeartbeat]:
    now = now or datetime.now(UTC)
    return list(
        db.session.scalars(
            select(WorkerHeartbeat)
            .where(
                WorkerHeartbeat.seen_at >= now - timedelta(seconds=within),
                WorkerHeartbeat.hostname.not_like("schedule:%"),
            )
            .order_by(WorkerHeartbeat.hostname)
        )
    )


def last_schedule_pulse() -> datetime | None:
    """When the scheduled sweeper last ran (written by app/jobs/tasks.py)."""
    return db.session.scalar(
        select(WorkerHeartbeat.seen_at).where(WorkerHeartbeat.hostname == "schedule:sweep")
    )


def last_scheduled(kind: str) -> Job | None:
    return db.session.scalar(
        select(Job).where(Job.kind == kind).order_by(Job.created_at.desc()).limit(1)
    )


def get_kind(job_id: str) -> str | None:
    return db.session.scalar(select(Job.kind).where(Job.id == job_id))


PENDING_KEY = "postrx.jobs.pending"


def dispatch_after_commit(job: Job) -> None:
    """Send the job to the workers once the current transaction commits (never if it rolls
    back). Lets a service start a job without owning the transaction (app/jobs listens)."""
    db.session.info.setdefault(PENDING_KEY, []).append((job.id, job.kind))


def queue_mail(to: str, subject: str, body: str) -> Job:
    """One message, sent by a worker after the caller's transaction commits.

    A request never waits for the mail server, and answers in the same time whether or not a
    message was queued (a reset request must not reveal which e-mails have accounts).
    """
    job, _ = create(
        "email",
        {"messages": [[to, subject, body]]},
        title=f"E-mail: {subject}"[:200],
        requested_by=None,
        dedupe=False,
    )
    dispatch_after_commit(job)
    return job
