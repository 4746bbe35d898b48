"""`postrx reports` and `postrx demo-data` commands."""

import click


@click.group("reports")
def reports_group() -> None:
    """Completion reports for institutions."""


@click.command("demo-data")
@click.option("--org", "org_slug", required=True, help="Institution slug (created if missing).")
@click.option("--learners", type=int, default=200, show_default=True)
def demo_data_command(org_slug: str, learners: int) -> None:
    """Create or extend a synthetic institution with varied progress, for demos and benchmarks."""
    raise click.ClickException("not implemented yet")
