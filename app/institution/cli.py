"""`postrx reports` and `postrx demo-data` commands: thin wrappers over the services."""

from __future__ import annotations

import sys
import time

import click
from sqlalchemy import select

from app.db_tx import transaction
from app.extensions import db
from app.models import Institution


@click.group("reports")
def reports_group() -> None:
    """Completion reports for institutions."""


@reports_group.command("completion")
@click.option("--org", "org_slug", required=True, help="Institution slug.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True
)
@click.option("--out", "out_path", default="-", help="Output file ('-' for standard output).")
def completion_report(org_slug: str, fmt: str, out_path: str) -> None:
    """Write the completion report of ORG (one row per member) as CSV, XLSX or PDF."""
    from app.services import reports

    org = db.session.scalar(select(Institution).where(Institution.slug == org_slug))
    if org is None:
        raise click.ClickException(f"No institution has the slug {org_slug!r}.")
    if out_path == "-":
        if fmt != "csv" and sys.stdout.isatty():
            raise click.ClickException(f"Use --out FILE for {fmt} output.")
        stream = sys.stdout.buffer  # click.get_binary_stream is deprecated (Click 8.5)
        reports.export(org, fmt, stream)
        stream.flush()
        return
    with open(out_path, "wb") as fh:
        size = reports.export(org, fmt, fh)
    click.echo(f"Wrote {out_path} ({size:,} bytes).", err=True)


@reports_group.command("rebuild")
def rebuild_records() -> None:
    """Recompute every learner's completion record from their progress, attempts and
    certificates (they are kept current automatically; this repairs after manual SQL)."""
    from app.services import records

    started = time.perf_counter()
    with transaction():
        count = records.rebuild()
    took = time.perf_counter() - started
    click.echo(f"Recomputed {count:,} completion records in {took:.1f} s.")


@click.command("demo-data")
@click.option("--org", "org_slug", required=True, help="Institution slug (created if missing).")
@click.option("--learners", type=int, default=200, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
def demo_data_command(org_slug: str, learners: int, seed: int) -> None:
    """Create or extend a synthetic institution with varied progress, for demos and benchmarks."""
    from app.services.demo_data import generate

    if learners < 1:
        raise click.ClickException("--learners must be at least 1.")
    started = time.perf_counter()
    with transaction():
        stats = generate(org_slug, learners, seed=seed)
    took = time.perf_counter() - started
    click.echo(
        f"{stats.institution}: added {stats.learners:,} learners, {stats.enrollments:,} "
        f"enrollments, {stats.attempts:,} graded attempts, {stats.certificates:,} certificates "
        f"in {took:.1f} s."
    )
