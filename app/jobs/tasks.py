"""The Celery tasks: run a job, resend lost ones, start scheduled jobs; the worker heartbeat."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Celery, Task, bootsteps
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.jobs import RUN_JOB, runner
from app.models.job import WorkerHeartbeat

log = logging.getLogger("postrx.jobs")

# Scheduled jobs (Celery beat): kind → title. Later work (reminders, scheduled reports) adds
# its kinds here and its entry to the beat schedule in app/jobs/__init__.py.
SCHEDULED: dict[str, str] = {
    "cleanup": "Delete expired job outputs",
    "records_check": "Nightly completion-record consistency check",
}


def register(celery: Celery) -> None:
    """Define the tasks on this Celery app (one per Flask app, so tests stay separate)."""

    @celery.task(name=RUN_JOB, bind=True, max_retries=None, acks_late=True, shared=False)
    def run_job(self: Task, job_id: str) -> str:  # type: ignore[type-arg]  # celery-types generic
        worker = self.request.hostname or f"{socket.gethostname()}:{os.getpid()}"
        outcome = runner.run(job_id, worker=worker)
        while self.request.is_eager and outcome.retry_in is not None:
            outcome = runner.run(job_id, worker=worker)  # eager: no broker to wait in
        if outcome.retry_in is not None:
            raise self.retry(countdown=outcome.retry_in)
        return outcome.state

    @celery.task(name="postrx.sweep_jobs", shared=False)
    def sweep_jobs() -> int:
        """Send again the jobs whose worker vanished or whose message may have been lost."""
        from app.jobs import dispatch
        from app.services.jobs import due_for_dispatch

        grace = timedelta(seconds=float(current_app.config.get("JOB_QUEUED_GRACE_SECONDS", 120)))
        now = datetime.now(UTC)
        ids = due_for_dispatch(now, queued_grace=grace)
        _mark_scheduled_run(now)
        db.session.commit()
        for job_id in ids:
            dispatch(job_id)
        if ids:
            log.info("resent %d job(s)", len(ids))
        return len(ids)

    @celery.task(name="postrx.schedule", shared=False)
    def schedule(kind: str) -> str:
        """Create the scheduled job as a row (so its run is visible and audited) and run it."""
        from app.jobs import dispatch
        from app.services import jobs

        job, created = jobs.create(kind, {}, title=SCHEDULED.get(kind, kind), requested_by=None)
        db.session.commit()
        if created:
            dispatch(job.id)
        return job.id

    celery.steps["worker"].add(HeartbeatStep)


SCHEDULE_MARK = "schedule:sweep"


def _mark_scheduled_run(now: datetime) -> None:
    """The sweeper runs on the schedule every few seconds: its last run is the scheduler's pulse
    (the status page's "last scheduled run")."""
    row = db.session.get(WorkerHeartbeat, SCHEDULE_MARK)
    if row is None:
        row = WorkerHeartbeat(hostname=SCHEDULE_MARK, pid=os.getpid(), started_at=now, beat=True)
        db.session.add(row)
    row.seen_at = now


class HeartbeatStep(bootsteps.StartStopStep):
    """Writes this worker's heartbeat row every few seconds (the status page's "workers alive")."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.timer_ref: Any = None

    def start(self, worker: Any) -> None:
        self.hostname = f"{worker.hostname}:{os.getpid()}"
        self.beat = bool(getattr(worker, "beat", None))
        self.started = datetime.now(UTC)
        self.app = worker.app
        self.beat_once()
        self.timer_ref = worker.timer.call_repeatedly(10.0, self.beat_once)

    def beat_once(self) -> None:
        flask_app = getattr(self.app, "flask_app", None)
        if flask_app is None:
            return
        try:
            with flask_app.app_context():
                row = db.session.scalar(
                    select(WorkerHeartbeat).where(WorkerHeartbeat.hostname == self.hostname)
                )
                now = datetime.now(UTC)
                if row is None:
                    row = WorkerHeartbeat(
                        hostname=self.hostname, pid=os.getpid(), started_at=self.started
                    )
                    db.session.add(row)
                row.seen_at = now
                row.beat = self.beat
                db.session.commit()
        except Exception as err:  # a heartbeat must never stop the worker
            log.debug("heartbeat not written: %s", err)

    def stop(self, worker: Any) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()
