"""The embedded default: a real worker process on the filesystem broker, no server needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import Config
from app.extensions import db
from app.jobs import dispatch
from app.models import AuditEvent
from app.models.job import Job, WorkerHeartbeat
from app.services import jobs
from tests.app.jobs.workers import start_worker, stop, wait_until


@pytest.fixture
def embedded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "POSTRX_INSTANCE_DIR": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "SECRET_KEY": "embedded-worker-test",
        "POSTRX_LOG_LEVEL": "WARNING",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("CELERY_BROKER_URL", "REDIS_URL", "TEST_DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    return env


def test_a_real_worker_runs_a_job_from_the_filesystem_broker(embedded_env, tmp_path):
    import tests.app.jobs.slow_handler  # noqa: F401  (the web side knows the kind too)

    app = create_app(Config())
    assert app.extensions["celery"].conf.broker_url == "filesystem://"
    log = tmp_path / "worker.log"
    with app.app_context():
        db.create_all()
        job, _ = jobs.create("test_slow", {"seconds": 1}, title="slow", requested_by=None)
        job_id = job.id
        db.session.commit()
        assert dispatch(job_id)
    worker = start_worker(embedded_env, log=log)
    try:

        def done() -> bool:
            with app.app_context():
                return db.session.scalar(select(Job.state).where(Job.id == job_id)) == "done"

        wait_until(done, 60, "the job to finish", log)
        with app.app_context():
            finished = db.session.get(Job, job_id)
            assert finished is not None and finished.output_size == len(b"slow job output")
            assert finished.worker.startswith("celery@")
            effects = select(func.count()).where(AuditEvent.action == "test.slow.side_effect")
            assert db.session.scalar(effects) == 1
            assert db.session.scalar(select(func.count()).select_from(WorkerHeartbeat)) == 1
    finally:
        stop(worker)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_embedded_broker_keeps_every_folder_in_the_instance(embedded_env, tmp_path):
    app = create_app(Config())
    options = app.extensions["celery"].conf.broker_transport_options
    instance = Path(embedded_env["POSTRX_INSTANCE_DIR"])
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        assert Path(options[key]).is_relative_to(instance), key  # never the current directory
