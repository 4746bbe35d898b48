"""`postrx author` commands (educators' tools)."""

from __future__ import annotations

import sys

import click


@click.group("author")
def author_group() -> None:
    """Educators' tools: analytics exports and the review digest."""


@author_group.command("analytics")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    required=True,
    help="Write item and guideline statistics to this CSV file ('-' for standard output).",
)
@click.option("--quiz", "quiz_key", default=None, help="Only attempts at this quiz.")
def analytics_command(csv_path: str, quiz_key: str | None) -> None:
    """Facility, discrimination and flags per scenario; mastery per guideline and month."""
    from app.services.author import analytics

    rep = analytics.report(quiz_key)
    if csv_path == "-":
        analytics.write_csv(rep, sys.stdout)
        return
    with open(csv_path, "w", newline="", encoding="utf-8") as out:
        rows = analytics.write_csv(rep, out)
    flagged = len(rep.flagged)
    click.echo(
        f"Wrote {rows} rows to {csv_path}: {len(rep.items)} items from {rep.attempts} graded "
        f"attempts, {flagged} flagged."
    )


@author_group.command("review-digest")
@click.option("--force", is_flag=True, help="Send even if today's digest went out already.")
def review_digest_command(force: bool) -> None:
    """Mail educators the review queue (run daily from cron; printed when no mail server)."""
    from datetime import UTC, datetime

    from flask import current_app

    from app.db_tx import transaction
    from app.services.quiz import review

    with transaction():  # the audit row marks today's digest as sent
        sent = review.send_digest(current_app.config["BASE_URL"], datetime.now(UTC), force=force)
    if sent:
        click.echo(f"Review digest sent to {len(sent)} educator(s).")
    else:
        click.echo("No digest sent: the queue is empty or today's digest went out already.")
