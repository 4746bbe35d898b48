"""Background jobs on Celery: the edge that runs slow work outside web requests.

`init_celery(app)` builds one Celery app per Flask app (the Flask documentation's pattern: every
task runs inside the app context). The broker comes from configuration:

- production: Redis (`CELERY_BROKER_URL`, else `REDIS_URL`), or RabbitMQ by URL;
- the embedded default (`make run`): kombu's filesystem transport in the instance folder, so no
  server is needed, with a worker that `postrx run` starts beside the dev server;
- tests: eager (the task runs in the calling process) unless a test starts a real worker.

The job row (`app.models.job`) is the truth; a message only says "run job X", so the sweeper can
send it again at any time and a duplicate does nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import worker_process_init
from flask import Flask, current_app

__all__ = ["bp", "celery_for", "dispatch", "init_celery"]

log = logging.getLogger("postrx.jobs")

RUN_JOB = "postrx.run_job"


def celery_config(app: Flask) -> dict[str, Any]:
    """Celery settings derived from the Flask config (one place, read by workers and web)."""
    cfg = app.config
    url = cfg.get("CELERY_BROKER_URL") or "filesystem://"
    options: dict[str, Any] = {}
    if url.startswith("filesystem://"):
        folder = Path(cfg["INSTANCE_DIR"]) / "queue"  # made on first use (ensure_queue_folder)
        options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),  # kombu's default is ./control
            "store_processed": False,
        }
    elif url.startswith(("redis://", "rediss://")):
        # An unacknowledged message (its worker died) comes back after this; the lease and the
        # sweeper usually finish the job sooner, and the late copy then finds it done.
        options = {"visibility_timeout": int(cfg.get("JOB_VISIBILITY_TIMEOUT", 3600))}
    sweep = float(cfg.get("JOB_SWEEP_SECONDS", 30))
    return {
        "broker_url": url,
        "broker_transport_options": options,
        "broker_connection_retry_on_startup": True,
        "task_ignore_result": True,
        "result_backend": None,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "task_always_eager": bool(cfg.get("JOBS_EAGER", False)),
        "task_eager_propagates": True,
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": {
            "sweep": {"task": "postrx.sweep_jobs", "schedule": sweep},
            "cleanup": {"task": "postrx.schedule", "schedule": 3600.0, "args": ["cleanup"]},
            "records-check": {
                "task": "postrx.schedule",
                "schedule": crontab(hour=2, minute=30),
                "args": ["records_check"],
            },
        },
        "beat_schedule_filename": str(Path(cfg["INSTANCE_DIR"]) / "celerybeat-schedule"),
    }


def init_celery(app: Flask) -> Celery:
    """Create this app's Celery app and register the tasks on it."""

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            # Always a fresh app context (and so a fresh session), also when run eagerly
            # inside a request, whose own transaction has committed before it dispatches.
            with app.app_context():
                return self.run(*args, **kwargs)

    celery: Celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.config_from_object(celery_config(app))
    celery.flask_app = app  # type: ignore[attr-defined]  # read by the worker heartbeat step
    from app.jobs import tasks

    tasks.register(celery)
    app.extensions["celery"] = celery

    _dispatch_on_commit()

    @worker_process_init.connect(weak=False)
    def _fresh_pool(**_kwargs: Any) -> None:
        """A forked worker child must not share its parent's database connections."""
        from app.extensions import db

        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)

    return celery


def _send_pending(session: Any) -> None:
    from app.services.jobs import PENDING_KEY

    for job_id, kind in session.info.pop(PENDING_KEY, []):
        dispatch(job_id, kind=kind)  # the session is closed here: no query for the kind


def _forget_pending(session: Any, *_args: Any) -> None:
    from app.services.jobs import PENDING_KEY

    session.info.pop(PENDING_KEY, None)


def _dispatch_on_commit() -> None:
    """Jobs a service marked with `dispatch_after_commit` go out when their transaction commits."""
    from sqlalchemy import event

    from app.extensions import db

    for name, hook in (("after_commit", _send_pending), ("after_rollback", _forget_pending)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def celery_for(app: Flask | None = None) -> Celery:
    return (app or current_app).extensions["celery"]  # type: ignore[no-any-return]  # set by init_celery


def embedded_broker(app: Flask | None = None) -> bool:
    return str(celery_for(app).conf.broker_url).startswith("filesystem://")


def ensure_queue_folder(app: Flask | None = None) -> None:
    """The embedded broker's folders, created when a job is sent or a worker starts (not when
    an app is merely built)."""
    if embedded_broker(app):
        options = celery_for(app).conf.broker_transport_options
        for key in ("processed_folder", "control_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def dispatch(job_id: str, *, countdown: float | None = None, kind: str | None = None) -> bool:
    """Send "run job X" to the workers, after the job row is committed.

    A broker that is down does not lose the job: it stays queued and the sweeper sends it again.
    Returns whether the message was sent (or, eagerly, run).
    """
    from app.services.jobs import HANDLERS, get_kind

    celery = celery_for()
    ensure_queue_folder()
    kind = kind or get_kind(job_id)
    handler = HANDLERS.get(kind or "")
    limit = handler.time_limit if handler else 600
    try:
        celery.tasks[RUN_JOB].apply_async(
            args=(job_id,),
            countdown=countdown or 0,
            soft_time_limit=limit,
            time_limit=limit + 30,
        )
    except Exception as err:  # the job stays queued; the sweeper resends it
        if celery.conf.task_always_eager:
            raise
        log.warning("could not queue job %s (%s); the sweeper will send it again", job_id, err)
        return False
    return True


from app.jobs.blueprint import bp  # noqa: E402  (its routes import dispatch from here)
