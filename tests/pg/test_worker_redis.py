"""Real Celery workers on the real Redis against PostgreSQL: a job runs in a worker process,
and a worker killed mid-job leaves the job to another worker, which finishes it exactly once."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import dispatch
from app.models import AuditEvent
from app.models.job import Job
from app.services import jobs
from tests.app.jobs.workers import start_worker, stop, wait_until
from tests.conftest import require_service

REDIS = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        client.flushdb()
        return bool(client.ping())
    except Exception:  # any failure means: no Redis here
        return False


@pytest.fixture
def redis_app(make_app, tmp_path: Path):
    require_service(_redis_up(), "Redis at 127.0.0.1:6379")
    import tests.app.jobs.slow_handler  # noqa: F401  (the job kind the workers run)

    app = make_app(JOBS_EAGER=False, CELERY_BROKER_URL=REDIS, JOB_LEASE_SECONDS=2)
    env = {
        "DATABASE_URL": os.environ["TEST_DATABASE_URL"],
        "CELERY_BROKER_URL": REDIS,
        "SECRET_KEY": "redis-worker-test",
        "POSTRX_INSTANCE_DIR": str(tmp_path / "instance"),
        "POSTRX_JOB_LEASE_SECONDS": "2",
        "POSTRX_LOG_LEVEL": "WARNING",
    }
    return app, env


def _job(app, seconds: float) -> str:
    with app.app_context():
        job, _ = jobs.create("test_slow", {"seconds": seconds}, title="slow", requested_by=None)
        db.session.commit()
        assert dispatch(job.id)
        return job.id


def _row(app, job_id: str) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def test_a_worker_process_runs_a_job_sent_through_redis(redis_app, tmp_path):
    app, env = redis_app
    log = tmp_path / "worker.log"
    worker = start_worker(env, "--concurrency=1", "--hostname=one@%h", log=log)
    try:
        job_id = _job(app, 0.5)
        wait_until(lambda: _row(app, job_id).state == "done", 60, "the job to finish", log)
        assert _row(app, job_id).worker.startswith("one@")
    finally:
        stop(worker)


def test_a_killed_worker_leaves_the_job_to_another_which_finishes_it_once(redis_app, tmp_path):
    app, env = redis_app
    log = tmp_path / "workers.log"
    first = start_worker(env, "--pool=solo", "--hostname=first@%h", log=log)
    second = None
    try:
        job_id = _job(app, 6)
        wait_until(
            lambda: _row(app, job_id).state == "running" and _row(app, job_id).progress_done > 2,
            60,
            "the first worker to be half-way",
            log,
        )
        first.send_signal(signal.SIGKILL)  # no goodbye: its transaction is never committed
        first.wait()
        second = start_worker(env, "--pool=solo", "--hostname=second@%h", log=log)
        lease = _row(app, job_id).lease_until
        assert lease is not None
        time.sleep(max(0.0, (lease - datetime.now(UTC)).total_seconds()) + 0.5)
        with app.app_context():
            resent = app.extensions["celery"].tasks["postrx.sweep_jobs"].apply().get()
        assert resent == 1
        wait_until(lambda: _row(app, job_id).state == "done", 90, "the second worker", log)
        done = _row(app, job_id)
        assert done.worker.startswith("second@") and done.attempts == 2
        with app.app_context():
            effects = select(func.count()).where(AuditEvent.action == "test.slow.side_effect")
            assert db.session.scalar(effects) == 1  # the killed run left nothing behind
    finally:
        for proc in (first, second):
            if proc is not None:
                stop(proc)
