"""`postrx scenarios` commands: thin wrappers over app.services.quizzes."""

from __future__ import annotations

import json
from pathlib import Path

import click

import quizzes


@click.group("scenarios")
def scenarios_group() -> None:
    """The scenario bank: list, check, export, import."""


@scenarios_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_command(as_json: bool) -> None:
    """List scenarios: the latest published versions in the database once a bank has been
    imported, otherwise the bundled files (the source is printed to stderr)."""
    from app.services.quizzes import bank_listing

    try:
        source, rows = bank_listing()
    except quizzes.BankError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"source: {source}", err=True)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        gl = ",".join(map(str, r["guidelines"]))
        click.echo(f"{r['id']:<36} v{r['version']:<3} {r['type']:<10} G{gl:<8} {r['title']}")


@scenarios_group.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Validate bank files or folders; prints FILE:LINE: problems and exits 1 on any."""
    problems = quizzes.check(paths)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        raise SystemExit(1)
    click.echo("ok")


@scenarios_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Write the published bank to DIRECTORY as YAML that `check` and `import` accept."""
    from app.services.quizzes import export_bank

    files = export_bank(directory)
    click.echo(f"Wrote {len(files)} files to {directory}")


@scenarios_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import bank folders or files, all or nothing; a changed item becomes a new version."""
    from app.services.quizzes import import_bank

    try:
        report = import_bank(list(paths))
    except quizzes.BankError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was imported.", err=True)
        raise SystemExit(1) from None
    click.echo(str(report))
