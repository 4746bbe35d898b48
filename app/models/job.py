"""Background jobs: what was asked, how far it got, and what it produced.

A job row is the truth about a piece of slow work; the Celery message only says "run job X".
So any web host can show progress and serve the output (stored in the database in chunks, not
on a worker's disk), a duplicate or retried message finds the job already claimed or done, and
a worker that dies leaves a lease that runs out and lets another worker finish the job.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(Model):
    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_requester", "requested_by_id", "created_at"),
        Index("ix_job_state_lease", "state", "lease_until"),
    )

    # Random and unguessable: it appears in URLs that download an institution's data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Equal keys while a job is queued or running mean the same request: it is not started twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), index=True)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    # The worker that holds the job: its token, and until when the claim holds unless renewed.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # After this the job and its files are deleted by the cleanup schedule.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    output_name: Mapped[str | None] = mapped_column(String(200))
    output_type: Mapped[str | None] = mapped_column(String(120))
    output_size: Mapped[int] = mapped_column(default=0)

    requested_by = relationship("User")
    institution = relationship("Institution")

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        if self.progress_total <= 0:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))


class JobChunk(Model):
    """A piece (≤ 1 MiB) of a job's input (an uploaded file) or output (the built report)."""

    __tablename__ = "job_chunk"

    job_id: Mapped[str] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[str] = mapped_column(String(8), primary_key=True)  # "in" | "out"
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class WorkerHeartbeat(Model):
    """Each worker process writes its row every few seconds; the status page reads them."""

    __tablename__ = "worker_heartbeat"

    hostname: Mapped[str] = mapped_column(String(200), primary_key=True)
    pid: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    beat: Mapped[bool] = mapped_column(default=False)  # runs the schedule (celery beat)
