"""The status page's job checks read the job table and the worker heartbeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.jobs import status
from app.models.job import WorkerHeartbeat
from app.services import jobs


def test_workers_are_alive_only_with_a_recent_heartbeat(app):
    assert status.workers().state == "fail"
    old = datetime.now(UTC) - timedelta(minutes=5)
    db.session.add(WorkerHeartbeat(hostname="gone@h:1", pid=1, started_at=old, seen_at=old))
    db.session.commit()
    assert status.workers().state == "fail"
    now = datetime.now(UTC)
    db.session.add(WorkerHeartbeat(hostname="w1@h:2", pid=2, started_at=now, seen_at=now))
    db.session.commit()
    check = status.workers()
    assert check.state == "ok" and "1 alive: w1@h:2" in check.detail


def test_queue_and_scheduler_checks(app):
    assert status.scheduler().state == "warn"
    app.extensions["celery"].tasks["postrx.sweep_jobs"].apply()  # what beat runs every 30 s
    assert status.scheduler().state == "ok"
    assert status.workers().state == "fail"  # the scheduler's pulse is not a worker
    job, _ = jobs.create("cleanup", {}, title="cleanup", requested_by=None)
    db.session.commit()
    assert "1 queued" in status.queue().detail
    job.created_at = datetime.now(UTC) - timedelta(hours=3)
    db.session.commit()
    assert status.queue().state == "warn"
    pulse = db.session.get(WorkerHeartbeat, "schedule:sweep")
    assert pulse is not None
    pulse.seen_at = datetime.now(UTC) - timedelta(minutes=10)
    db.session.commit()
    assert status.scheduler().state == "warn"
