"""`postrx worker`, `postrx scheduler`, `postrx jobs …`, and `postrx run` with its worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import click
from flask.cli import ScriptInfo
from flask.cli import run_command as flask_run_command

from app.jobs import celery_for, dispatch, embedded_broker, ensure_queue_folder


@click.command(
    "worker", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.option("--beat", is_flag=True, help="Also run the schedule here (one process only).")
@click.pass_context
def worker_command(ctx: click.Context, beat: bool) -> None:
    """Run a Celery worker with the app's context. Extra options go to `celery worker`
    (e.g. --concurrency 4, --hostname web2@%h, --queues)."""
    ensure_queue_folder()
    argv = ["worker", "--loglevel=INFO", *ctx.args]
    if beat:
        argv.append("--beat")
    if embedded_broker() and not any(a.startswith(("--pool", "-P")) for a in ctx.args):
        argv.append("--pool=solo")  # the filesystem broker: one process on one machine
    celery_for().worker_main(argv)


@click.command(
    "scheduler", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.pass_context
def scheduler_command(ctx: click.Context) -> None:
    """Run Celery beat: the nightly record check, hourly cleanup and job sweeper (run one)."""
    celery_for().start(["beat", "--loglevel=INFO", *ctx.args])


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs."""


@jobs_group.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
def list_jobs(limit: int) -> None:
    """The most recent jobs and their state."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.job import Job

    rows = db.session.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit))
    for job in rows:
        click.echo(
            f"{job.id}  {job.created_at:%Y-%m-%d %H:%M}  {job.kind:<16} {job.state:<8} "
            f"{job.percent:>3}%  {job.message}"
        )


@jobs_group.command("sweep")
def sweep() -> None:
    """Send again the jobs whose worker vanished or whose message was lost."""
    count = celery_for().tasks["postrx.sweep_jobs"].apply().get()
    click.echo(f"Resent {count} job(s).")


def wait_for(job_id: str, *, inline: bool | None = None, timeout: float = 3600) -> Any:
    """Run or wait for a job from the command line; returns the finished row.

    With no live worker (and `inline` not False) the job runs in this process, so a command
    works on a machine where nobody started `postrx worker`.
    """
    from app.extensions import db
    from app.jobs import runner
    from app.models.job import Job
    from app.services import jobs

    if inline is None:
        inline = not jobs.live_workers()
    if inline:
        runner.run(job_id, worker=f"cli:{os.getpid()}")
    else:
        dispatch(job_id)
    started = time.monotonic()
    while True:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        assert job is not None
        if job.finished:
            return job
        if time.monotonic() - started > timeout:
            raise click.ClickException(f"job {job_id} still {job.state} after {timeout:.0f} s")
        click.echo(f"  {job.percent:>3}%  {job.message}", err=True)
        time.sleep(1.0)


@click.command("import-roster")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for the result.")
@click.option(
    "--inline/--worker",
    "inline",
    default=None,
    help="Run in this process, or leave it to the workers (default: inline when no worker "
    "is alive).",
)
def import_roster_command(slug: str, path: str, wait: bool, inline: bool | None) -> None:
    """Import a roster CSV into institution SLUG as a background job; prints the summary, or
    every bad line (exit 1, nothing imported)."""
    from pathlib import Path

    from sqlalchemy import select

    from app.db_tx import transaction
    from app.extensions import db
    from app.models import Institution
    from app.services import audit, jobs

    org = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if org is None:
        raise click.ClickException(f"No institution has the slug {slug!r}.")
    name = Path(path).name
    with open(path, "rb") as fh, transaction():
        job, _ = jobs.create(
            "roster_import",
            {"filename": name},
            title=f"Roster import: {name} · {org.name}",
            requested_by=None,
            institution=org,
            input_stream=fh,
        )
        audit.record("job.requested", actor=None, subject=f"job:{job.id}", via="cli", file=name)
    if not wait:
        dispatch(job.id)
        click.echo(f"Queued job {job.id}; `postrx jobs list` shows its progress.")
        return
    if inline is None:
        inline = not jobs.live_workers()
    done = wait_for(job.id, inline=inline)
    if inline and done.state == "done":
        _run_follow_ups(org.id, done.created_at)
    if done.state == "failed":
        click.echo(done.message, err=True)
        for line in (done.result or {}).get("errors", []):
            click.echo(line, err=True)
        raise SystemExit(1)
    click.echo(done.message)


def _run_follow_ups(org_id: int, since: Any) -> None:
    """With no worker, the welcome e-mails of an inline import are sent here too."""
    from sqlalchemy import select

    from app.extensions import db
    from app.jobs import runner
    from app.models.job import Job

    follow_ups = db.session.scalars(
        select(Job.id).where(
            Job.institution_id == org_id,
            Job.kind == "email",
            Job.state == "queued",
            Job.created_at >= since,
        )
    ).all()
    for job_id in follow_ups:
        runner.run(job_id, worker=f"cli:{os.getpid()}")
        click.echo(f"  {db.session.get(Job, job_id).message}", err=True)  # type: ignore[union-attr]  # just run


def _start_embedded_worker() -> subprocess.Popen[bytes] | None:
    """Beside the dev server, a worker (with the schedule) on the embedded broker."""
    if os.environ.get("POSTRX_EMBEDDED_WORKER", "1") == "0":
        return None
    if os.environ.get("WERKZEUG_RUN_MAIN"):  # the reloader's child: the parent has one
        return None
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    if not embedded_broker(app):
        return None
    code = "from app.cli import main; main()"
    cmd = [sys.executable, "-c", code, "worker", "--beat", "--loglevel=WARNING"]
    click.echo(" * Background jobs: embedded worker started (no Redis needed)")
    return subprocess.Popen(cmd, env=os.environ.copy())


def _run(**kwargs: Any) -> None:
    worker = _start_embedded_worker()
    try:
        click.get_current_context().invoke(flask_run_command, **kwargs)
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


run_command = click.Command(
    "run",
    params=list(flask_run_command.params),
    callback=_run,
    help="Run the development server, with an embedded background-job worker when no broker "
    "is configured (set POSTRX_EMBEDDED_WORKER=0 to run `postrx worker` yourself).",
)

__all__ = [
    "import_roster_command",
    "jobs_group",
    "run_command",
    "scheduler_command",
    "wait_for",
    "worker_command",
]
